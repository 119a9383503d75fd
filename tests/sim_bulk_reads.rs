//! The exact bytes the emulator answers to the bulk reads a sync makes (Graph presence by
//! ids, MiCollab `users/query` with and without a sparse fieldset, MiVB `extensions/query`,
//! CloudLink presentity queries), and to the reads and wrappers that share their item
//! shapes. The emulator builds these answers on a fast path; the snapshot holds them to what
//! clients always saw, byte for byte: only the wall-clock times, the loopback origin and
//! the per-request ids are masked.

mod sim_support;

use reqwest::Method;
use serde_json::{Value, json};
use sim_support::{TestSim, sim};

/// Requests sent in order and their answers, as one text to compare.
struct Transcript<'a> {
    s: &'a TestSim,
    text: String,
}

impl Transcript<'_> {
    async fn send(
        &mut self,
        title: &str,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Value {
        let mut request = self
            .s
            .http
            .request(method.clone(), self.s.url(path))
            .bearer_auth(token);
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request reaches the emulator");
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let content_type = header("content-type");
        let etag = header("etag");
        let ids = [
            header("request-id"),
            header("client-request-id"),
            header("x-mitel-correlation-id"),
        ];
        let bytes = response.bytes().await.expect("body");
        let raw = String::from_utf8(bytes.to_vec()).expect("UTF-8 body");
        let mut shown = raw.replace(&self.s.handle.base_url, "http://ORIGIN");
        for id in ids.iter().filter(|id| !id.is_empty()) {
            shown = shown.replace(id.as_str(), "REQUEST-ID");
        }
        let shown = mask_times(&shown);
        self.text.push_str(&format!(
            "### {title}\n{method} {path}\nstatus: {status}\ncontent-type: {content_type}\n"
        ));
        if !etag.is_empty() {
            self.text.push_str(&format!("etag: {etag}\n"));
        }
        self.text.push_str(&shown);
        self.text.push_str("\n\n");
        serde_json::from_str(&raw).unwrap_or(Value::Null)
    }
}

/// Replaces RFC 3339 times (`2025-01-02T03:04:05`, with optional fraction and `Z`) by `TIME`:
/// the emulated clock starts at the wall clock.
fn mask_times(text: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let fits = bytes.len() - i >= SHAPE.len()
            && SHAPE.iter().zip(&bytes[i..]).all(|(shape, b)| match shape {
                b'd' => b.is_ascii_digit(),
                other => other == b,
            });
        if !fits {
            let c = text[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        i += SHAPE.len();
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if bytes.get(i) == Some(&b'Z') {
            i += 1;
        }
        out.push_str("TIME");
    }
    out
}

fn column(users: &[Value], key: &str) -> Vec<String> {
    users
        .iter()
        .map(|u| u[key].as_str().expect("column").to_string())
        .collect()
}

#[test]
fn times_are_masked_whole() {
    assert_eq!(
        mask_times(r#"{"a":"2025-01-02T03:04:05.678Z","b":"2025-01-02T03:04:05","c":"é"}"#),
        r#"{"a":"TIME","b":"TIME","c":"é"}"#
    );
}

#[tokio::test]
async fn bulk_reads_answer_byte_for_byte_as_before() {
    let s = sim(30).await;
    let graph = s.graph_token().await;
    let micollab = s.mitel_token("micollab").await;
    let pbx = s.mitel_token("pbx").await;
    let cloudlink = s.mitel_token("cloudlink").await;
    let users = s.users(30).await;
    let (ids, logins) = (column(&users, "objectId"), column(&users, "login"));
    let (extensions, principals) = (column(&users, "extension"), column(&users, "principalId"));
    let upns = column(&users, "upn");
    // User 3 is an ACD agent hot-desking on a softphone, user 8 one on a desk phone.
    assert_eq!(users[3]["acdHotDeskSoftphone"], true);

    // An estate where the answers differ from user to user.
    let control = |method: Method, path: String, body: Value| {
        let s = &s;
        async move { s.control(method, &path, Some(body)).await }
    };
    control(
        Method::POST,
        format!("/users/{}/rename", upns[4]),
        json!({"upn": "renamed.person@contoso.com"}),
    )
    .await;
    s.control(Method::DELETE, &format!("/users/{}", upns[6]), None)
        .await;
    control(
        Method::POST,
        format!("/pbx/{}/state", extensions[3]),
        json!({"state": "busy"}),
    )
    .await;
    control(
        Method::POST,
        format!("/pbx/{}/state", extensions[8]),
        json!({"state": "ringing"}),
    )
    .await;
    control(
        Method::POST,
        format!("/pbx/{}/dnd", extensions[10]),
        json!({"enabled": true}),
    )
    .await;
    control(
        Method::POST,
        format!("/teams/{}/client", upns[1]),
        json!({"availability": "Busy", "activity": "InACall"}),
    )
    .await;
    control(
        Method::POST,
        format!("/teams/{}/preferred", upns[2]),
        json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"}),
    )
    .await;
    control(
        Method::POST,
        format!("/cloudlink/{}/presentity", upns[5]),
        json!({"status": "In a meeting", "activity": "InAMeeting", "source": "person"}),
    )
    .await;

    let mut t = Transcript {
        s: &s,
        text: String::new(),
    };
    // MiCollab: Teams on for one user and for a whole profile, so the flags differ.
    t.send(
        "micollab: one user's Teams flag on",
        Method::PATCH,
        &format!("/micollab/2017-09-01/users/{}", logins[7]),
        &micollab,
        Some(json!({"teamsPresence": true})),
    )
    .await;
    t.send(
        "micollab: Sales profile's Teams presence on",
        Method::PATCH,
        "/micollab/2017-09-01/profiles/Sales",
        &micollab,
        Some(json!({"teamsPresence": true})),
    )
    .await;

    // Graph.
    let unknown_guid = "00000000-0000-4000-8000-000000000000";
    let mut wanted = ids.clone();
    wanted.insert(3, unknown_guid.to_string());
    wanted.push(ids[0].to_uppercase());
    t.send(
        "graph: presences by ids (an unknown, a deleted and an upper-case id)",
        Method::POST,
        "/graph/v1.0/communications/getPresencesByUserId",
        &graph,
        Some(json!({"ids": wanted})),
    )
    .await;
    t.send(
        "graph: presences again (sequence numbers kept)",
        Method::POST,
        "/graph/v1.0/communications/getPresencesByUserId",
        &graph,
        Some(json!({"ids": [ids[2], ids[1]]})),
    )
    .await;
    t.send(
        "graph: a malformed id fails the request",
        Method::POST,
        "/graph/v1.0/communications/getPresencesByUserId",
        &graph,
        Some(json!({"ids": [ids[0], "not-a-guid"]})),
    )
    .await;
    t.send(
        "graph: one presence",
        Method::GET,
        &format!("/graph/v1.0/users/{}/presence", ids[1]),
        &graph,
        None,
    )
    .await;
    t.send(
        "graph: $batch wrapping presence reads and a text answer",
        Method::POST,
        "/graph/v1.0/$batch",
        &graph,
        Some(json!({"requests": [
            {"id": "1", "method": "POST", "url": "/communications/getPresencesByUserId",
             "headers": {"Content-Type": "application/json"},
             "body": {"ids": [ids[0], unknown_guid, ids[2]]}},
            {"id": "2", "method": "GET", "url": format!("/communications/presences/{}", ids[3])},
            {"id": "3", "method": "GET", "url": "/users/$count",
             "headers": {"ConsistencyLevel": "eventual"}},
            {"id": "4", "method": "POST", "url": format!("/users/{}/presence/clearUserPreferredPresence", ids[2])},
        ]})),
    )
    .await;

    // MiCollab.
    let mut asked = logins.clone();
    asked.insert(2, "nobody-here".to_string());
    asked.push(format!("  {}  ", logins[9].to_uppercase()));
    for (title, fields) in [
        ("micollab: users by login, every field", None),
        (
            "micollab: users by login, the sync's fieldset",
            Some(json!(["teamsPresence"])),
        ),
        (
            "micollab: users by login, a wider fieldset with an unknown field",
            Some(json!([
                "dynamicStatus",
                "bogus",
                "login",
                "email",
                "teamsPresence"
            ])),
        ),
        (
            "micollab: users by login, an empty fieldset",
            Some(json!([])),
        ),
    ] {
        let mut body = json!({"logins": asked});
        if let Some(fields) = fields {
            body["fields"] = fields;
        }
        t.send(
            title,
            Method::POST,
            "/micollab/2017-09-01/users/query",
            &micollab,
            Some(body),
        )
        .await;
    }
    t.send(
        "micollab: users by login, too many",
        Method::POST,
        "/micollab/2017-09-01/users/query",
        &micollab,
        Some(json!({"logins": vec!["x"; 1001], "fields": ["teamsPresence"]})),
    )
    .await;
    t.send(
        "micollab: users by login, an unknown body field",
        Method::POST,
        "/micollab/2017-09-01/users/query",
        &micollab,
        Some(json!({"logins": [logins[0]], "extra": 1})),
    )
    .await;
    t.send(
        "micollab: users by login as a query string",
        Method::GET,
        &format!(
            "/micollab/2017-09-01/users?login={},{},nobody",
            logins[5], logins[3]
        ),
        &micollab,
        None,
    )
    .await;
    t.send(
        "micollab: a page of users",
        Method::GET,
        "/micollab/2017-09-01/users?limit=4&next=c5",
        &micollab,
        None,
    )
    .await;
    t.send(
        "micollab: one user",
        Method::GET,
        &format!("/micollab/2017-09-01/users/{}", logins[5]),
        &micollab,
        None,
    )
    .await;
    t.send(
        "micollab: bulk user patch results",
        Method::PATCH,
        "/micollab/2017-09-01/users",
        &micollab,
        Some(json!({"operations": [
            {"op": "replace", "id": logins[11], "body": {"teamsPresence": true}},
            {"op": "replace", "id": "nobody", "body": {"teamsPresence": true}},
        ]})),
    )
    .await;

    // MiVoice Business.
    let mut asked = extensions.clone();
    asked.insert(1, "99999".to_string());
    asked.push(format!(" {} ", extensions[3]));
    asked.push("020000".to_string());
    t.send(
        "pbx: extensions by number (unknown, deleted, padded and zero-led numbers)",
        Method::POST,
        "/pbx/2017-09-01/extensions/query",
        &pbx,
        Some(json!({"extensions": asked})),
    )
    .await;
    t.send(
        "pbx: extensions by number, too many",
        Method::POST,
        "/pbx/2017-09-01/extensions/query",
        &pbx,
        Some(json!({"extensions": vec!["1"; 1001]})),
    )
    .await;
    t.send(
        "pbx: extensions by number, no list",
        Method::POST,
        "/pbx/2017-09-01/extensions/query",
        &pbx,
        Some(json!({})),
    )
    .await;
    t.send(
        "pbx: extensions by number as a query string",
        Method::GET,
        &format!(
            "/pbx/2017-09-01/extensions?extensions={},{},1",
            extensions[8], extensions[3]
        ),
        &pbx,
        None,
    )
    .await;
    t.send(
        "pbx: a page of extensions",
        Method::GET,
        "/pbx/2017-09-01/extensions?limit=3&next=c2",
        &pbx,
        None,
    )
    .await;
    t.send(
        "pbx: one extension",
        Method::GET,
        &format!("/pbx/2017-09-01/extensions/{}", extensions[3]),
        &pbx,
        None,
    )
    .await;

    // CloudLink.
    let mut asked = principals.clone();
    asked.insert(4, "p-00000000000000ff".to_string());
    asked.push("not-a-principal".to_string());
    asked.push(format!(" {} ", principals[5]));
    t.send(
        "cloudlink: presentities by principal (unknown, deleted and padded ids)",
        Method::POST,
        "/cloudlink/presence/2017-09-01/presentities/query",
        &cloudlink,
        Some(json!({"ids": asked})),
    )
    .await;
    t.send(
        "cloudlink: presentities by principal, too many",
        Method::POST,
        "/cloudlink/presence/2017-09-01/presentities/query",
        &cloudlink,
        Some(json!({"ids": vec!["p-1"; 1001]})),
    )
    .await;
    t.send(
        "cloudlink: presentities by principal, no list",
        Method::POST,
        "/cloudlink/presence/2017-09-01/presentities/query",
        &cloudlink,
        Some(json!({"principals": []})),
    )
    .await;
    t.send(
        "cloudlink: one presentity",
        Method::GET,
        &format!(
            "/cloudlink/presence/2017-09-01/presentities/{}",
            principals[5]
        ),
        &cloudlink,
        None,
    )
    .await;
    t.send(
        "cloudlink: a page of presentities",
        Method::GET,
        "/cloudlink/presence/2017-09-01/presentities?limit=3",
        &cloudlink,
        None,
    )
    .await;
    t.send(
        "cloudlink: bulk presentity write results",
        Method::PATCH,
        "/cloudlink/presence/2017-09-01/presentities",
        &cloudlink,
        Some(json!({"operations": [
            {"op": "replace", "id": principals[7], "body": {"status": "Busy", "activity": "InACall"}},
            {"op": "replace", "id": "p-00000000000000ff", "body": {"status": "Busy"}},
        ]})),
    )
    .await;
    t.send(
        "cloudlink: presentities after the write",
        Method::POST,
        "/cloudlink/presence/2017-09-01/presentities/query",
        &cloudlink,
        Some(json!({"ids": [principals[7], principals[0]]})),
    )
    .await;

    insta::assert_snapshot!("bulk_reads", t.text);
}
