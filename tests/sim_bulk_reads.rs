//! What clients depend on in the emulator's answers to the bulk reads a sync makes (Graph
//! presence by ids, MiCollab `users/query` with and without a sparse fieldset, MiVB
//! `extensions/query`, CloudLink presentity queries), and to the reads and wrappers that
//! share their item shapes: status, content type, the documented wrappers and item keys,
//! items in the order asked, unknown and deleted ids left out or reported, the values the
//! scenario set, and the documented error shapes.

mod sim_support;

use reqwest::Method;
use serde_json::{Value, json};
use sim_support::{Answer, TestSim, sim};

/// The user the scenario deletes before the reads.
const DELETED: usize = 6;
const UNKNOWN_GUID: &str = "00000000-0000-4000-8000-000000000000";
const UNKNOWN: &str = "PresenceUnknown";
const UNKNOWN_PRINCIPAL: &str = "p-00000000000000ff";

const USERS: &str = "/micollab/2017-09-01/users";
const EXTENSIONS: &str = "/pbx/2017-09-01/extensions";
const PRESENTITIES: &str = "/cloudlink/presence/2017-09-01/presentities";

const GRAPH_PRESENCE: &str =
    "id availability activity statusMessage outOfOfficeSettings sequenceNumber";
const MICOLLAB_USER: &str = "login name firstName lastName email extension profileId \
    profileName teamsPresence clientType telephonyOnly dynamicStatus \
    calendarIntegrationEditable schedulesEditable";
const PBX_EXTENSION: &str = "extension name callState dnd deviceType acdHotDesk stateChangedOn";
const PRESENTITY: &str =
    "principalId userId accountId status activity teamsManaged version source updatedOn";

/// One system's API with its bearer token.
struct Api<'a> {
    s: &'a TestSim,
    token: String,
}

impl<'a> Api<'a> {
    /// Graph ("graph"), MiCollab ("micollab"), MiVB ("pbx") or CloudLink ("cloudlink").
    async fn new(s: &'a TestSim, system: &str) -> Self {
        let token = match system {
            "graph" => s.graph_token().await,
            mitel => s.mitel_token(mitel).await,
        };
        Api { s, token }
    }

    /// Sends a request and checks the status and that the answer is JSON.
    async fn call(&self, method: Method, path: &str, body: Option<Value>, status: u16) -> Answer {
        let answer = self
            .s
            .send(method.clone(), path, Some(&self.token), body)
            .await;
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
        let content_type = answer.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{method} {path}: content-type {content_type:?}"
        );
        answer
    }

    /// A Mitel 400 answer to a POST, with its `reason` and a message that `says` something.
    async fn rejects(&self, path: &str, body: Value, reason: &str, says: &str) {
        let answer = self.call(Method::POST, path, Some(body), 400).await;
        let correlation = answer.header("x-mitel-correlation-id").expect("id");
        assert_mitel_error(&answer.body, 400, reason, says, &correlation);
    }

    /// A 200 answer's body.
    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        self.call(method, path, body, 200).await.body
    }
}

/// The ids of the first users under each system's name, read before the scenario.
struct Estate {
    ids: Vec<String>,
    logins: Vec<String>,
    extensions: Vec<String>,
    principals: Vec<String>,
}

fn column(users: &[Value], key: &str) -> Vec<String> {
    users
        .iter()
        .map(|u| u[key].as_str().expect("column").to_string())
        .collect()
}

/// The whole column but the deleted user, then `last` (asked again, padded or cased).
fn known_then(all: &[String], last: &str) -> Vec<String> {
    let mut known: Vec<String> = all.to_vec();
    known.remove(DELETED);
    known.push(last.to_string());
    known
}

fn strings<'v>(items: &'v [Value], key: &str) -> Vec<&'v str> {
    items
        .iter()
        .map(|item| item[key].as_str().expect(key))
        .collect()
}

/// Asserts `item` has each of the space-separated `keys`.
fn assert_keys(item: &Value, keys: &str) {
    for key in keys.split_whitespace() {
        assert!(item.get(key).is_some(), "no {key:?} in {item}");
    }
}

/// A Mitel list (`count`, `_links.self`, `_embedded.items`): its items, each with `keys`.
fn listing<'v>(body: &'v Value, self_path: &str, keys: &str) -> &'v [Value] {
    let items = body["_embedded"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("_embedded.items in {body}"));
    assert_eq!(body["count"], items.len(), "count of {body}");
    let href = body["_links"]["self"]["href"].as_str().expect("self href");
    assert!(href.ends_with(self_path), "self href {href}");
    items.iter().for_each(|item| assert_keys(item, keys));
    items
}

/// The `_links.next.href` of a page: absolute, on the same list.
fn assert_next(s: &TestSim, body: &Value, list_path: &str) {
    let next = body["_links"]["next"]["href"].as_str().expect("next href");
    let list = format!("{}{list_path}?", s.handle.base_url);
    assert!(next.starts_with(&list), "next href {next}");
}

/// A Mitel error body: `{name, code, reason, message, correlationId}`.
fn assert_mitel_error(body: &Value, code: u16, reason: &str, says: &str, correlation: &str) {
    let name = if code == 404 {
        "NotFound"
    } else {
        "BadRequest"
    };
    assert_eq!(body["name"], name, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["reason"], reason, "{body}");
    let message = body["message"].as_str().expect("message");
    assert!(message.contains(says), "{message}");
    assert_eq!(body["correlationId"], correlation, "{body}");
}

/// The results of a Mitel bulk PATCH of `[a known id, an unknown id]`: the first one's body.
fn bulk_results<'v>(answer: &'v Answer, ids: [&str; 2], not_found: &str) -> &'v Value {
    let operations = answer.body["operations"].as_array().expect("operations");
    assert_eq!(strings(operations, "id"), ids);
    assert_eq!(strings(operations, "op"), ["replace", "replace"]);
    assert_eq!(operations[0]["status"], 200);
    assert_eq!(operations[1]["status"], 404);
    let correlation = answer.header("x-mitel-correlation-id").expect("id");
    let says = format!("\"{}\"", ids[1]);
    assert_mitel_error(&operations[1]["body"], 404, not_found, &says, &correlation);
    &operations[0]["body"]
}

#[tokio::test]
async fn bulk_reads_answer_what_clients_depend_on() {
    let s = sim(30).await;
    let users = s.users(30).await;
    let estate = Estate {
        ids: column(&users, "objectId"),
        logins: column(&users, "login"),
        extensions: column(&users, "extension"),
        principals: column(&users, "principalId"),
    };
    // User 3 is an ACD agent hot-desking on a softphone, user 8 one on a desk phone.
    assert_eq!(users[3]["acdHotDeskSoftphone"], true);
    set_up_estate(&s, &column(&users, "upn"), &estate.extensions).await;

    let micollab = Api::new(&s, "micollab").await;
    micollab_teams_on(&micollab, &estate).await;
    let graph = Api::new(&s, "graph").await;
    graph_reads(&graph, &estate).await;
    micollab_queries(&micollab, &estate).await;
    micollab_reads(&micollab, &estate).await;
    let pbx = Api::new(&s, "pbx").await;
    pbx_reads(&pbx, &estate.extensions).await;
    let cloudlink = Api::new(&s, "cloudlink").await;
    cloudlink_queries(&cloudlink, &estate.principals).await;
    cloudlink_writes(&cloudlink, &estate.principals).await;
}

/// An estate where the answers differ from user to user.
async fn set_up_estate(s: &TestSim, upns: &[String], extensions: &[String]) {
    let rename = json!({"upn": "renamed.person@contoso.com"});
    let path = format!("/users/{}/rename", upns[4]);
    s.control(Method::POST, &path, Some(rename)).await;
    let path = format!("/users/{}", upns[DELETED]);
    s.control(Method::DELETE, &path, None).await;
    let steps = [
        ("/pbx/{}/state", &extensions[3], json!({"state": "busy"})),
        ("/pbx/{}/state", &extensions[8], json!({"state": "ringing"})),
        ("/pbx/{}/dnd", &extensions[10], json!({"enabled": true})),
        (
            "/teams/{}/client",
            &upns[1],
            json!({"availability": "Busy", "activity": "InACall"}),
        ),
        (
            "/teams/{}/preferred",
            &upns[2],
            json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"}),
        ),
        (
            "/cloudlink/{}/presentity",
            &upns[5],
            json!({"status": "In a meeting", "activity": "InAMeeting", "source": "person"}),
        ),
    ];
    for (path, who, body) in steps {
        s.control(Method::POST, &path.replace("{}", who), Some(body))
            .await;
    }
}

/// Teams on for one user and for a whole profile, so the flags differ.
async fn micollab_teams_on(api: &Api<'_>, estate: &Estate) {
    let path = format!("{USERS}/{}", estate.logins[7]);
    let on = json!({"teamsPresence": true});
    let user = api.ok(Method::PATCH, &path, Some(on.clone())).await;
    assert_keys(&user, MICOLLAB_USER);
    assert_eq!(user["login"], estate.logins[7]);
    let flags = json!({"user": true, "profile": false, "effective": true});
    assert_eq!(user["teamsPresence"], flags);
    let path = "/micollab/2017-09-01/profiles/Sales";
    let profile = api.ok(Method::PATCH, path, Some(on)).await;
    assert_keys(&profile, "profileId name teamsPresence");
    assert_eq!(profile["name"], "Sales");
    assert_eq!(profile["teamsPresence"], true);
}

/// A Graph presence: the documented keys, then its id, availability, activity.
fn assert_presence(item: &Value, id: &str, availability: &str, activity: &str) {
    assert_keys(item, GRAPH_PRESENCE);
    assert_keys(&item["outOfOfficeSettings"], "message isOutOfOffice");
    assert_eq!(item["id"], id, "{item}");
    assert_eq!(item["availability"], availability, "{item}");
    assert_eq!(item["activity"], activity, "{item}");
    let sequence = &item["sequenceNumber"];
    if availability == UNKNOWN {
        assert!(sequence.is_null(), "{item}");
    } else {
        let sequence = sequence.as_str().expect("a sequence number");
        assert!(sequence.len() == 16 && sequence.starts_with('C'), "{item}");
    }
}

async fn graph_reads(api: &Api<'_>, estate: &Estate) {
    let ids = &estate.ids;
    let by_ids = "/graph/v1.0/communications/getPresencesByUserId";
    // An unknown id, the deleted user's id and an upper-case id.
    let mut wanted = ids.clone();
    wanted.insert(3, UNKNOWN_GUID.to_string());
    wanted.push(ids[0].to_uppercase());
    let body = json!({"ids": wanted});
    let first = api.ok(Method::POST, by_ids, Some(body)).await;
    let value = first["value"].as_array().expect("value");
    let answered: Vec<String> = wanted.iter().map(|id| id.to_lowercase()).collect();
    assert_eq!(strings(value, "id"), answered, "in the order asked");
    for (item, id) in value.iter().zip(&answered) {
        assert_keys(item, GRAPH_PRESENCE);
        let unknown = id.as_str() == UNKNOWN_GUID || *id == ids[DELETED];
        assert_eq!(item["availability"] == UNKNOWN, unknown, "{item}");
    }
    assert_presence(&value[3], UNKNOWN_GUID, UNKNOWN, UNKNOWN);
    assert_presence(&value[7], &ids[DELETED], UNKNOWN, UNKNOWN);
    assert_presence(&value[1], &ids[1], "Busy", "InACall");
    // A preferred presence shows only while the user has a session; user 2 has none.
    assert_presence(&value[2], &ids[2], "Offline", "Offline");
    assert_eq!(value.last(), value.first(), "upper-case id as lower-case");
    let sequence = |id: &str| {
        let item = value.iter().find(|item| item["id"] == id).expect("read");
        item["sequenceNumber"].clone()
    };

    let body = json!({"ids": [ids[2], ids[1]]});
    let again = api.ok(Method::POST, by_ids, Some(body)).await;
    let again = again["value"].as_array().expect("value");
    assert_eq!(strings(again, "id"), [&ids[2], &ids[1]]);
    for item in again {
        let id = item["id"].as_str().expect("id");
        assert_eq!(item["sequenceNumber"], sequence(id), "sequence kept");
    }

    let body = json!({"ids": [ids[0], "not-a-guid"]});
    let malformed = api.call(Method::POST, by_ids, Some(body), 400).await;
    let error = &malformed.body["error"];
    assert_eq!(error["code"], "BadRequest");
    let message = error["message"].as_str().expect("message");
    assert!(message.contains("'not-a-guid'"), "{message}");
    assert_keys(&error["innerError"], "date request-id client-request-id");
    let request_id = malformed.header("request-id").expect("request-id");
    assert_eq!(error["innerError"]["request-id"], request_id);

    let path = format!("/graph/v1.0/users/{}/presence", ids[1]);
    let one = api.ok(Method::GET, &path, None).await;
    assert_presence(&one, &ids[1], "Busy", "InACall");
    assert_eq!(one["sequenceNumber"], sequence(&ids[1]));
    graph_batch(api, ids, &sequence).await;
}

async fn graph_batch(api: &Api<'_>, ids: &[String], sequence: &impl Fn(&str) -> Value) {
    let body = json!({"requests": [
        {"id": "1", "method": "POST", "url": "/communications/getPresencesByUserId",
         "headers": {"Content-Type": "application/json"},
         "body": {"ids": [ids[0], UNKNOWN_GUID, ids[2]]}},
        {"id": "2", "method": "GET", "url": format!("/communications/presences/{}", ids[3])},
        {"id": "3", "method": "GET", "url": "/users/$count",
         "headers": {"ConsistencyLevel": "eventual"}},
        {"id": "4", "method": "POST",
         "url": format!("/users/{}/presence/clearUserPreferredPresence", ids[2])},
    ]});
    let batch = api
        .call(Method::POST, "/graph/v1.0/$batch", Some(body), 200)
        .await;
    let responses = batch.body["responses"].as_array().expect("responses");
    assert_eq!(responses.len(), 4);
    let response = |id: &str| {
        let found = responses.iter().find(|r| r["id"] == id).expect("answered");
        assert_eq!(found["status"], 200, "{found}");
        found["body"].clone()
    };
    let presences = response("1");
    let presences = presences["value"].as_array().expect("value");
    assert_eq!(strings(presences, "id"), [&ids[0], UNKNOWN_GUID, &ids[2]]);
    presences
        .iter()
        .for_each(|p| assert_keys(p, GRAPH_PRESENCE));
    assert_eq!(presences[1]["availability"], UNKNOWN);
    assert_eq!(presences[0]["sequenceNumber"], sequence(&ids[0]));
    assert_eq!(presences[2]["sequenceNumber"], sequence(&ids[2]));
    let one = response("2");
    assert_keys(&one, GRAPH_PRESENCE);
    assert_eq!(one["id"], ids[3]);
    assert_eq!(one["sequenceNumber"], sequence(&ids[3]));
    assert_eq!(response("3"), "29", "$count as text: 30 users, one deleted");
    assert!(response("4").is_null(), "clearing answers without a body");
}

/// The four variants of the sync's bulk MiCollab read: every field, then sparse fieldsets.
async fn micollab_queries(api: &Api<'_>, estate: &Estate) {
    let logins = &estate.logins;
    let mut asked = logins.clone();
    asked.insert(2, "nobody-here".to_string());
    asked.push(format!("  {}  ", logins[9].to_uppercase()));
    let expected = known_then(logins, &logins[9]);
    let query = &format!("{USERS}/query");
    let full = api
        .ok(Method::POST, query, Some(json!({"logins": asked})))
        .await;
    let full = listing(&full, query, MICOLLAB_USER).to_vec();
    assert_eq!(strings(&full, "login"), expected, "in the order asked");
    for user in &full {
        // Teams on for the Sales profile and for one user (7).
        let sales = user["profileName"] == "Sales";
        let own = user["login"] == logins[7];
        let flags = json!({"user": own, "profile": sales, "effective": own || sales});
        assert_eq!(user["teamsPresence"], flags, "{user}");
    }
    assert!(full.iter().any(|user| user["profileName"] == "Sales"));
    assert_person_written_status(&full[5]["dynamicStatus"]);

    // Exactly the known fields asked and the key field, whatever the order asked.
    for (fields, keys) in [
        (json!(["teamsPresence"]), "login teamsPresence"),
        (
            json!(["dynamicStatus", "bogus", "login", "email", "teamsPresence"]),
            "login email teamsPresence dynamicStatus",
        ),
        (json!([]), "login"),
    ] {
        let body = json!({"logins": asked, "fields": fields});
        let sparse = api.ok(Method::POST, query, Some(body)).await;
        let sparse = listing(&sparse, query, keys);
        assert_eq!(sparse.len(), full.len(), "fields {fields}");
        for (item, user) in sparse.iter().zip(&full) {
            let count = item.as_object().map(serde_json::Map::len);
            assert_eq!(count, Some(keys.split_whitespace().count()), "{item}");
            for key in keys.split_whitespace() {
                assert_eq!(item[key], user[key], "fields {fields}");
            }
        }
    }
}

/// The MiCollab status a person wrote through CloudLink.
fn assert_person_written_status(status: &Value) {
    assert_eq!(status["name"], "In a meeting", "{status}");
    assert_eq!(status["activity"], "InAMeeting", "{status}");
    assert_eq!(status["source"], "person", "{status}");
}

async fn micollab_reads(api: &Api<'_>, estate: &Estate) {
    let logins = &estate.logins;
    let query = &format!("{USERS}/query");
    let body = json!({"logins": vec!["x"; 1001], "fields": ["teamsPresence"]});
    api.rejects(query, body, "TooManyIds", "1000").await;
    let body = json!({"logins": [logins[0]], "extra": 1});
    api.rejects(query, body, "InvalidRequest", "logins").await;

    let path = format!("{USERS}?login={},{},nobody", logins[5], logins[3]);
    let by_login = api.ok(Method::GET, &path, None).await;
    let by_login = listing(&by_login, USERS, MICOLLAB_USER);
    assert_eq!(strings(by_login, "login"), [&logins[5], &logins[3]]);

    let path = &format!("{USERS}?limit=4&next=c5");
    let page = api.ok(Method::GET, path, None).await;
    let items = listing(&page, path, MICOLLAB_USER);
    let expected = [&logins[5], &logins[7], &logins[8], &logins[9]];
    assert_eq!(strings(items, "login"), expected, "user 6 skipped");
    assert_next(api.s, &page, USERS);

    let path = format!("{USERS}/{}", logins[5]);
    let one = api.ok(Method::GET, &path, None).await;
    assert_keys(&one, MICOLLAB_USER);
    assert_eq!(one["login"], logins[5]);
    assert_person_written_status(&one["dynamicStatus"]);

    let body = json!({"operations": [
        {"op": "replace", "id": logins[11], "body": {"teamsPresence": true}},
        {"op": "replace", "id": "nobody", "body": {"teamsPresence": true}},
    ]});
    let bulk = api.call(Method::PATCH, USERS, Some(body), 200).await;
    let done = bulk_results(&bulk, [&logins[11], "nobody"], "UserNotFound");
    assert_keys(done, MICOLLAB_USER);
    assert_eq!(done["teamsPresence"]["user"], true);
    assert_eq!(done["teamsPresence"]["effective"], true);
}

/// MiVB extensions' states: the scenario's busy, ringing and DND phones, the rest idle.
fn assert_extension_states(items: &[Value], extensions: &[String]) {
    items
        .iter()
        .for_each(|item| assert_extension_state(item, extensions));
}

fn assert_extension_state(item: &Value, extensions: &[String]) {
    let number = item["extension"].as_str().expect("extension");
    let state = match number {
        n if n == extensions[3] => "busy",
        n if n == extensions[8] => "ringing",
        _ => "idle",
    };
    assert_eq!(item["callState"], state, "{item}");
    assert_eq!(item["dnd"], number == extensions[10], "{item}");
    if number == extensions[3] {
        // The ACD agent hot-desking on a softphone.
        assert_eq!(item["deviceType"], "softphone", "{item}");
        assert_eq!(item["acdHotDesk"]["loggedIn"], true, "{item}");
        assert!(item["acdHotDesk"]["agentId"].is_string(), "{item}");
    }
    if number == extensions[8] {
        assert_eq!(item["deviceType"], "deskPhone", "{item}");
        assert_eq!(item["acdHotDesk"]["loggedIn"], true, "{item}");
    }
}

async fn pbx_reads(api: &Api<'_>, extensions: &[String]) {
    let query = &format!("{EXTENSIONS}/query");
    // An unknown number, the deleted user's, a padded one and one led by a zero.
    let mut asked = extensions.to_vec();
    asked.insert(1, "99999".to_string());
    asked.push(format!(" {} ", extensions[3]));
    asked.push("020000".to_string());
    let body = json!({"extensions": asked});
    let found = api.ok(Method::POST, query, Some(body)).await;
    let items = listing(&found, query, PBX_EXTENSION);
    let expected = known_then(extensions, &extensions[3]);
    assert_eq!(strings(items, "extension"), expected, "in the order asked");
    let not_found = json!(["99999", extensions[DELETED], "020000"]);
    assert_eq!(found["notFound"], not_found);
    assert_extension_states(items, extensions);

    let body = json!({"extensions": vec!["1"; 1001]});
    api.rejects(query, body, "TooManyIds", "1000").await;
    api.rejects(query, json!({}), "InvalidRequest", "extensions")
        .await;

    let (ringing, busy) = (&extensions[8], &extensions[3]);
    let path = format!("{EXTENSIONS}?extensions={ringing},{busy},1");
    let by_number = api.ok(Method::GET, &path, None).await;
    let items = listing(&by_number, EXTENSIONS, PBX_EXTENSION);
    assert_eq!(strings(items, "extension"), [ringing, busy]);
    assert_eq!(by_number["notFound"], json!(["1"]));
    assert_extension_states(items, extensions);

    let path = &format!("{EXTENSIONS}?limit=3&next=c2");
    let page = api.ok(Method::GET, path, None).await;
    let items = listing(&page, path, PBX_EXTENSION);
    assert_eq!(strings(items, "extension"), &extensions[2..5]);
    assert_next(api.s, &page, EXTENSIONS);

    let path = format!("{EXTENSIONS}/{}", extensions[3]);
    let one = api.ok(Method::GET, &path, None).await;
    assert_keys(&one, PBX_EXTENSION);
    assert_eq!(one["extension"], extensions[3]);
    assert_extension_states(std::slice::from_ref(&one), extensions);
}

/// The presentity a person wrote for user 5 (version 1 was the seeded one).
fn assert_person_written_presentity(item: &Value) {
    assert_eq!(item["status"], "In a meeting", "{item}");
    assert_eq!(item["activity"], "InAMeeting", "{item}");
    assert_eq!(item["source"], "person", "{item}");
    assert_eq!(item["version"], 2, "{item}");
}

async fn cloudlink_queries(api: &Api<'_>, principals: &[String]) {
    let query = &format!("{PRESENTITIES}/query");
    // An unknown id, the deleted user's, a malformed one and a padded one.
    let mut asked = principals.to_vec();
    asked.insert(4, UNKNOWN_PRINCIPAL.to_string());
    asked.push("not-a-principal".to_string());
    asked.push(format!(" {} ", principals[5]));
    let body = json!({"ids": asked});
    let found = api.ok(Method::POST, query, Some(body)).await;
    let items = listing(&found, query, PRESENTITY);
    let expected = known_then(principals, &principals[5]);
    assert_eq!(strings(items, "principalId"), expected, "as asked");
    let not_found = json!([UNKNOWN_PRINCIPAL, principals[DELETED], "not-a-principal"]);
    assert_eq!(found["notFound"], not_found);
    let account = &api.s.handle.credentials.cloudlink_account_id;
    assert!(items.iter().all(|item| item["accountId"] == *account));
    assert_person_written_presentity(&items[5]);
    assert_eq!(items[29], items[5], "the padded id as the plain one");
    // Teams manages the status of the Sales users (2) and of user 7, not of user 0.
    assert_eq!(items[2]["teamsManaged"], true);
    assert_eq!(items[6]["principalId"], principals[7]);
    assert_eq!(items[6]["teamsManaged"], true);
    assert_eq!(items[0]["teamsManaged"], false);

    let body = json!({"ids": vec!["p-1"; 1001]});
    api.rejects(query, body, "TooManyIds", "1000").await;
    api.rejects(query, json!({"principals": []}), "InvalidRequest", "ids")
        .await;

    let path = format!("{PRESENTITIES}/{}", principals[5]);
    let one = api.call(Method::GET, &path, None, 200).await;
    assert_keys(&one.body, PRESENTITY);
    assert_eq!(one.body["principalId"], principals[5]);
    assert_person_written_presentity(&one.body);
    assert_eq!(one.header("etag").as_deref(), Some("\"2\""), "the version");

    let path = &format!("{PRESENTITIES}?limit=3");
    let page = api.ok(Method::GET, path, None).await;
    let items = listing(&page, path, PRESENTITY);
    assert_eq!(strings(items, "principalId"), &principals[..3]);
    assert_next(api.s, &page, PRESENTITIES);
}

async fn cloudlink_writes(api: &Api<'_>, principals: &[String]) {
    let body = json!({"operations": [
        {"op": "replace", "id": principals[7],
         "body": {"status": "Busy", "activity": "InACall"}},
        {"op": "replace", "id": UNKNOWN_PRINCIPAL, "body": {"status": "Busy"}},
    ]});
    let bulk = api.call(Method::PATCH, PRESENTITIES, Some(body), 200).await;
    let ids = [&principals[7], UNKNOWN_PRINCIPAL];
    let written = bulk_results(&bulk, ids, "PresentityNotFound");
    assert_keys(written, PRESENTITY);
    assert_eq!(written["status"], "Busy");
    assert_eq!(written["activity"], "InACall");
    assert_eq!(written["version"], 2);
    let writer = &api.s.handle.credentials.cloudlink_client_id;
    assert_eq!(written["source"], *writer, "no source: the writer");

    let query = &format!("{PRESENTITIES}/query");
    let ids = [&principals[7], &principals[0]];
    let after = api.ok(Method::POST, query, Some(json!({"ids": ids}))).await;
    let items = listing(&after, query, PRESENTITY);
    assert_eq!(strings(items, "principalId"), ids);
    assert_eq!(&items[0], written, "the query reads the write");
    assert_eq!(after["notFound"], json!([]));
}
