//! The emulated MiCollab, MiVoice Business and CloudLink, over real HTTP, against the
//! contracts in docs/contracts/.

mod sim_support;

use reqwest::Method;
use serde_json::{Value, json};
use sim_support::{TestSim, sim};

async fn patch(s: &TestSim, path: &str, token: &str, body: Value) -> sim_support::Answer {
    s.send(Method::PATCH, path, Some(token), Some(body)).await
}

fn profile_named<'a>(profiles: &'a Value, name: &str) -> &'a Value {
    profiles["_embedded"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
}

#[tokio::test]
async fn mitel_systems_need_a_token_and_answer_with_a_correlation_id() {
    let s = sim(5).await;
    let denied = s.get("/micollab/2017-09-01/system", None).await;
    assert_eq!(denied.status, 401);
    assert_eq!(denied.body["reason"], "MissingToken");
    assert!(denied.header("x-mitel-correlation-id").is_some());
    assert_eq!(
        denied.body["correlationId"],
        json!(denied.header("x-mitel-correlation-id").unwrap())
    );
    let wrong = s
        .post(
            "/micollab/2017-09-01/token",
            None,
            json!({"grant_type": "password", "username": "mcteams", "password": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, 401);
    let token = s.mitel_token("micollab").await;
    let system = s.get("/micollab/2017-09-01/system", Some(&token)).await;
    assert_eq!(system.status, 200);
    assert_eq!(system.body["version"], "9.8.1.201");
    assert_eq!(system.body["pbxType"], "MiVoice Business");
    // A MiCollab token does not open the PBX.
    assert_eq!(
        s.get("/pbx/2017-09-01/system", Some(&token)).await.status,
        401
    );
    // Tokens expire after an hour of emulated time; the refresh token gets a new one.
    let c = &s.handle.credentials;
    let issued = s
        .post("/pbx/2017-09-01/token", None, json!({"grant_type": "password", "username": c.pbx_username, "password": c.pbx_password}))
        .await;
    let access = issued.body["access_token"].as_str().unwrap();
    s.advance(3601.0).await;
    let expired = s.get("/pbx/2017-09-01/system", Some(access)).await;
    assert_eq!(expired.body["reason"], "TokenExpired");
    let refreshed = s
        .post(
            "/pbx/2017-09-01/token",
            None,
            json!({"grant_type": "refresh_token", "refresh_token": issued.body["refresh_token"]}),
        )
        .await;
    assert_eq!(refreshed.status, 200);
    assert_eq!(
        s.get(
            "/pbx/2017-09-01/system",
            refreshed.body["access_token"].as_str()
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn default_profiles_refuse_changes_and_custom_ones_notify_their_users() {
    let s = sim(60).await;
    let token = s.mitel_token("micollab").await;
    let profiles = s
        .get("/micollab/2017-09-01/profiles", Some(&token))
        .await
        .body;
    let default = profile_named(&profiles, "Default");
    assert_eq!(default["isDefault"], true);
    let refused = patch(
        &s,
        &format!(
            "/micollab/2017-09-01/profiles/{}",
            default["profileId"].as_str().unwrap()
        ),
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["reason"], "DefaultProfileNotEditable");
    let refused_status = patch(
        &s,
        "/micollab/2017-09-01/profiles/Default/statuses/Away",
        &token,
        json!({"message": "x"}),
    )
    .await;
    assert_eq!(refused_status.body["reason"], "DefaultProfileNotEditable");

    let sales = profile_named(&profiles, "Sales");
    let members = sales["userCount"].as_u64().unwrap();
    assert!(members > 0);
    let enabled = patch(
        &s,
        "/micollab/2017-09-01/profiles/Sales",
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    assert_eq!(enabled.body["teamsPresence"], true);
    let notifications = s
        .get(
            "/micollab/2017-09-01/notifications?limit=1000",
            Some(&token),
        )
        .await
        .body;
    let items = notifications["_embedded"]["items"].as_array().unwrap();
    assert_eq!(
        items.len() as u64,
        members,
        "one restart message per member"
    );
    assert!(
        items
            .iter()
            .all(|n| n["kind"] == "restartRequired" && n["profileId"] == sales["profileId"])
    );

    // The per-user checkbox: a notice that status is now controlled by Teams.
    let users = s
        .get(
            "/micollab/2017-09-01/users?profileId=Support&limit=1",
            Some(&token),
        )
        .await
        .body;
    let login = users["_embedded"]["items"][0]["login"]
        .as_str()
        .unwrap()
        .to_string();
    let user = patch(
        &s,
        &format!("/micollab/2017-09-01/users/{login}"),
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    assert_eq!(user.body["teamsPresence"]["effective"], true);
    assert_eq!(user.body["calendarIntegrationEditable"], false);
    let own = s
        .get(
            &format!("/micollab/2017-09-01/users/{login}/notifications"),
            Some(&token),
        )
        .await
        .body;
    let notice = &own["_embedded"]["items"][0];
    assert_eq!(notice["kind"], "teamsStatusControl");
    assert!(
        notice["message"]
            .as_str()
            .unwrap()
            .contains("managed by your Microsoft Teams")
    );
}

#[tokio::test]
async fn enabling_needs_r9_8_sp1_and_mivoice_business() {
    let s = sim(20).await;
    let token = s.mitel_token("micollab").await;
    s.control(
        Method::POST,
        "/micollab/system",
        Some(json!({"version": "9.8.0.33"})),
    )
    .await;
    let old = patch(
        &s,
        "/micollab/2017-09-01/profiles/Sales",
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    assert_eq!(old.status, 409);
    assert_eq!(old.body["reason"], "VersionNotSupported");
    assert_eq!(old.body["data"]["found"], "9.8.0.33");
    let users = s.users(1).await;
    let login = users[0]["login"].as_str().unwrap();
    let user = patch(
        &s,
        &format!("/micollab/2017-09-01/users/{login}"),
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    assert_eq!(user.body["reason"], "VersionNotSupported");

    s.control(
        Method::POST,
        "/micollab/system",
        Some(json!({"version": "9.8.1.201", "pbx_type": "MiVoice Office 400"})),
    )
    .await;
    let wrong_pbx = patch(
        &s,
        "/micollab/2017-09-01/profiles/Sales",
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    assert_eq!(wrong_pbx.body["reason"], "PbxNotSupported");
    assert_eq!(wrong_pbx.body["data"]["found"], "MiVoice Office 400");
    // Disabling is always allowed; nothing was enabled, nobody was notified.
    let notifications = s
        .get("/micollab/2017-09-01/notifications", Some(&token))
        .await
        .body;
    assert_eq!(notifications["count"], 0);

    s.control(
        Method::POST,
        "/micollab/system",
        Some(json!({"version": "10.0.0.12", "pbx_type": "MiVoice Business"})),
    )
    .await;
    assert_eq!(
        patch(
            &s,
            "/micollab/2017-09-01/profiles/Sales",
            &token,
            json!({"teamsPresence": true})
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn teams_statuses_keep_their_name_and_dnd_and_refuse_additions() {
    let s = sim(30).await;
    let token = s.mitel_token("micollab").await;
    let statuses = s
        .get("/micollab/2017-09-01/profiles/Sales/statuses", Some(&token))
        .await
        .body;
    let names: Vec<&str> = statuses["_embedded"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Available",
            "Busy",
            "Do not disturb",
            "Be right back",
            "Away",
            "Appear offline",
            "In a call",
            "In a meeting",
            "Presenting",
            "Out of office",
            "Unknown"
        ]
    );
    let rename = patch(
        &s,
        "/micollab/2017-09-01/profiles/Sales/statuses/Away",
        &token,
        json!({"name": "Gone"}),
    )
    .await;
    assert_eq!(rename.status, 422);
    assert_eq!(rename.body["reason"], "StatusNameNotEditable");
    let dnd = patch(
        &s,
        "/micollab/2017-09-01/profiles/Sales/statuses/Do%20not%20disturb",
        &token,
        json!({"doNotDisturb": false}),
    )
    .await;
    assert_eq!(dnd.body["reason"], "DoNotDisturbNotEditable");
    let add = s
        .post(
            "/micollab/2017-09-01/profiles/Sales/statuses",
            Some(&token),
            json!({"name": "Lunch"}),
        )
        .await;
    assert_eq!(add.status, 422);
    assert_eq!(add.body["reason"], "StatusAdditionNotAllowed");
    let edit = patch(
        &s,
        "/micollab/2017-09-01/profiles/Sales/statuses/Away",
        &token,
        json!({"callRouting": "voicemail", "message": "Back soon"}),
    )
    .await;
    assert_eq!(edit.status, 200);
    assert_eq!(edit.body["callRouting"], "voicemail");
    assert_eq!(edit.body["name"], "Away");
}

#[tokio::test]
async fn a_profile_change_keeps_users_own_settings_unless_asked() {
    let s = sim(200).await;
    let token = s.mitel_token("micollab").await;
    // Find a user of a custom profile with their own setting of "Away".
    let mut found = None;
    for u in s.users(200).await {
        let login = u["login"].as_str().unwrap().to_string();
        let user = s
            .get(&format!("/micollab/2017-09-01/users/{login}"), Some(&token))
            .await
            .body;
        if user["profileName"] == "Default" || user["profileName"] == "Default (migrated)" {
            continue;
        }
        patch(
            &s,
            &format!("/micollab/2017-09-01/users/{login}"),
            &token,
            json!({"teamsPresence": true}),
        )
        .await;
        let statuses = s
            .get(
                &format!("/micollab/2017-09-01/users/{login}/statuses"),
                Some(&token),
            )
            .await
            .body;
        let away = statuses["_embedded"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == "Away")
            .unwrap()
            .clone();
        if away["ownSetting"] == true {
            found = Some((login, user["profileId"].as_str().unwrap().to_string(), away));
            break;
        }
    }
    let (login, profile, away) = found.expect("the directory has users with own status settings");
    let edit = patch(
        &s,
        &format!("/micollab/2017-09-01/profiles/{profile}/statuses/Away"),
        &token,
        json!({"callRouting": "desk"}),
    )
    .await;
    assert!(edit.body["usersKeepingOwnSetting"].as_u64().unwrap() >= 1);
    let after = s
        .get(
            &format!("/micollab/2017-09-01/users/{login}/statuses"),
            Some(&token),
        )
        .await
        .body;
    let away_after = after["_embedded"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Away")
        .unwrap();
    assert_eq!(
        away_after["callRouting"], away["callRouting"],
        "the user's own setting survives"
    );
    let forced = patch(
        &s,
        &format!("/micollab/2017-09-01/profiles/{profile}/statuses/Away"),
        &token,
        json!({"callRouting": "desk", "overrideUsers": true}),
    )
    .await;
    assert!(forced.body["usersOverridden"].as_u64().unwrap() >= 1);
    let after = s
        .get(
            &format!("/micollab/2017-09-01/users/{login}/statuses"),
            Some(&token),
        )
        .await
        .body;
    let away_after = after["_embedded"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Away")
        .unwrap();
    assert_eq!(away_after["callRouting"], "desk");
}

#[tokio::test]
async fn own_statuses_are_hidden_while_teams_manages_and_come_back_unchanged() {
    let s = sim(30).await;
    let token = s.mitel_token("micollab").await;
    let mut login = None;
    for u in s.users(30).await {
        let l = u["login"].as_str().unwrap().to_string();
        let statuses = s
            .get(
                &format!("/micollab/2017-09-01/users/{l}/statuses"),
                Some(&token),
            )
            .await
            .body;
        if statuses["_embedded"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["source"] == "user")
        {
            login = Some((l, statuses));
            break;
        }
    }
    let (login, before) = login.expect("a user with own statuses");
    let user_before = s
        .get(&format!("/micollab/2017-09-01/users/{login}"), Some(&token))
        .await
        .body;
    patch(
        &s,
        &format!("/micollab/2017-09-01/users/{login}"),
        &token,
        json!({"teamsPresence": true}),
    )
    .await;
    let during = s
        .get(
            &format!("/micollab/2017-09-01/users/{login}/statuses"),
            Some(&token),
        )
        .await
        .body;
    assert_eq!(during["teamsManaged"], true);
    assert!(
        during["_embedded"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["managedBy"] == "teams")
    );
    assert!(during["hiddenStatuses"].as_u64().unwrap() > 0);
    patch(
        &s,
        &format!("/micollab/2017-09-01/users/{login}"),
        &token,
        json!({"teamsPresence": false}),
    )
    .await;
    let after = s
        .get(
            &format!("/micollab/2017-09-01/users/{login}/statuses"),
            Some(&token),
        )
        .await
        .body;
    assert_eq!(
        after["_embedded"], before["_embedded"],
        "own statuses back, unchanged"
    );
    let user_after = s
        .get(&format!("/micollab/2017-09-01/users/{login}"), Some(&token))
        .await
        .body;
    assert_eq!(
        user_after["dynamicStatus"]["name"],
        user_before["dynamicStatus"]["name"]
    );
}

#[tokio::test]
async fn pbx_reads_single_batch_and_paged_and_is_read_only() {
    let s = sim(250).await;
    let token = s.mitel_token("pbx").await;
    s.control(
        Method::POST,
        "/pbx/20005/state",
        Some(json!({"state": "busy"})),
    )
    .await;
    s.control(
        Method::POST,
        "/pbx/20006/dnd",
        Some(json!({"enabled": true})),
    )
    .await;
    let one = s
        .get("/pbx/2017-09-01/extensions/20005", Some(&token))
        .await
        .body;
    assert_eq!(one["callState"], "busy");
    assert_eq!(one["dnd"], false);
    let batch = s
        .post(
            "/pbx/2017-09-01/extensions/query",
            Some(&token),
            json!({"extensions": ["20005", "20006", "99999"]}),
        )
        .await
        .body;
    assert_eq!(batch["count"], 2);
    assert_eq!(batch["_embedded"]["items"][1]["dnd"], true);
    assert_eq!(batch["notFound"], json!(["99999"]));
    // The read's cursor: the change feed from it holds nothing yet; the two changes made
    // before it are not after it.
    let cursor = batch["cursor"].as_str().expect("a cursor").to_string();
    let feed = |query: String| {
        let url = format!("/pbx/2017-09-01/extension-changes?{query}");
        let token = token.clone();
        let s = &s;
        async move { s.get(&url, Some(&token)).await }
    };
    let after = feed(format!("since={cursor}")).await;
    assert_eq!((after.status, after.body["count"].clone()), (200, json!(0)));
    assert_eq!(after.body["cursor"], json!(cursor));
    s.control(
        Method::POST,
        "/pbx/20009/state",
        Some(json!({"state": "ringing"})),
    )
    .await;
    let changed = feed(format!("since={cursor}&wait=5s")).await.body;
    assert_eq!(changed["_embedded"]["items"][0]["extension"], "20009");
    assert_eq!(changed["_embedded"]["items"][0]["callState"], "ringing");
    // Bad waits and unknown cursors, named.
    for (query, status, reason) in [
        (format!("since={cursor}&wait=soon"), 400, "InvalidRequest"),
        (format!("since={cursor}&wait=61s"), 400, "InvalidRequest"),
        ("since=zz.1".to_string(), 410, "CursorUnknown"),
    ] {
        let answer = feed(query.clone()).await;
        assert_eq!(answer.status, status, "{query}");
        assert_eq!(answer.body["reason"], reason, "{query}");
    }
    let gone = feed("since=zz.1".to_string()).await.body;
    assert_eq!(gone["name"], "Gone");
    let by_query = s
        .get(
            "/pbx/2017-09-01/extensions?extensions=20003,20008",
            Some(&token),
        )
        .await
        .body;
    let items = by_query["_embedded"]["items"].as_array().unwrap();
    assert_eq!(
        items[0]["deviceType"], "softphone",
        "an ACD hot-desk softphone"
    );
    assert_eq!(items[0]["acdHotDesk"]["loggedIn"], true);
    assert_eq!(
        items[1]["deviceType"], "deskPhone",
        "an ACD agent on a desk phone"
    );
    assert!(items[1]["acdHotDesk"].is_object());

    let mut next = Some(s.url("/pbx/2017-09-01/extensions?limit=100"));
    let mut total = 0;
    while let Some(url) = next {
        let page: Value = s
            .http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        total += page["count"].as_u64().unwrap();
        next = page["_links"]["next"]["href"].as_str().map(str::to_string);
    }
    assert_eq!(total, 250);
    let write = s
        .send(
            Method::PATCH,
            "/pbx/2017-09-01/extensions/20005",
            Some(&token),
            Some(json!({"dnd": true})),
        )
        .await;
    assert_eq!(write.status, 405);
}

#[tokio::test]
async fn cloudlink_users_page_and_presentities_use_optimistic_concurrency_and_bulk_patch() {
    let s = sim(120).await;
    let token = s.mitel_token("cloudlink").await;
    let account = s.handle.credentials.cloudlink_account_id.clone();
    let mut next = Some(s.url(&format!(
        "/cloudlink/admin/2017-09-01/accounts/{account}/users?limit=50"
    )));
    let mut users = Vec::new();
    while let Some(url) = next {
        let page: Value = s
            .http
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        users.extend(
            page["_embedded"]["items"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
        next = page["_links"]["next"]["href"].as_str().map(str::to_string);
    }
    assert_eq!(users.len(), 120);
    assert!(
        users[0]["userId"].is_string()
            && users[0]["email"].is_string()
            && users[0]["extension"].is_string()
    );
    let wrong_account = s
        .get(
            "/cloudlink/admin/2017-09-01/accounts/someone-else/users",
            Some(&token),
        )
        .await;
    assert_eq!(wrong_account.status, 404);

    let principal = users[0]["principalId"].as_str().unwrap();
    let path = format!("/cloudlink/presence/2017-09-01/presentities/{principal}");
    let current = s.get(&path, Some(&token)).await;
    let version = current.body["version"].as_u64().unwrap();
    assert_eq!(current.header("etag"), Some(format!("\"{version}\"")));
    let written = s
        .send(Method::PUT, &path, Some(&token), Some(json!({"status": "Busy", "activity": "InACall", "version": version, "source": "mcteams"})))
        .await;
    assert_eq!(written.status, 200, "{}", written.body);
    assert_eq!(written.body["version"], version + 1);
    assert_eq!(written.body["source"], "mcteams");
    let stale = s
        .send(
            Method::PUT,
            &path,
            Some(&token),
            Some(json!({"status": "Away", "version": version})),
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_eq!(stale.body["data"]["currentVersion"], version + 1);
    let if_match = s
        .http
        .put(s.url(&path))
        .bearer_auth(&token)
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"status": "Away"}))
        .send()
        .await
        .unwrap();
    assert_eq!(if_match.status(), 412);

    // Another writer (MiCollab itself) changes it: version and source tell.
    let upn = users[0]["email"].as_str().unwrap();
    s.control(
        Method::POST,
        &format!("/cloudlink/{upn}/presentity"),
        Some(json!({"status": "Lunch", "source": "micollab"})),
    )
    .await;
    let after = s.get(&path, Some(&token)).await.body;
    assert_eq!(after["source"], "micollab");
    assert_eq!(after["version"], version + 2);

    let other = users[1]["principalId"].as_str().unwrap();
    let bulk = s
        .send(
            Method::PATCH,
            "/cloudlink/presence/2017-09-01/presentities",
            Some(&token),
            Some(json!({"operations": [
                {"op": "replace", "id": principal, "body": {"status": "Away", "version": version + 2}},
                {"op": "replace", "id": other, "body": {"status": "Away", "version": 999}},
                {"op": "replace", "id": "p-0000", "body": {"status": "Away"}},
                {"op": "remove", "id": other, "body": {}},
            ]})),
        )
        .await;
    assert_eq!(bulk.status, 200);
    let statuses: Vec<u64> = bulk.body["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 412, 404, 400]);

    let query = s
        .post(
            "/cloudlink/presence/2017-09-01/presentities/query",
            Some(&token),
            json!({"ids": [principal, other, "p-1"]}),
        )
        .await
        .body;
    assert_eq!(query["count"], 2);
    assert_eq!(query["_embedded"]["items"][0]["status"], "Away");
    assert_eq!(query["notFound"], json!(["p-1"]));
}

#[tokio::test]
async fn the_presentity_is_the_micollab_dynamic_status_and_teams_users_get_only_teams_statuses() {
    let s = sim(10).await;
    let micollab = s.mitel_token("micollab").await;
    let cloudlink = s.mitel_token("cloudlink").await;
    let users = s.users(1).await;
    let (login, principal) = (
        users[0]["login"].as_str().unwrap(),
        users[0]["principalId"].as_str().unwrap(),
    );
    patch(
        &s,
        &format!("/micollab/2017-09-01/users/{login}"),
        &micollab,
        json!({"teamsPresence": true}),
    )
    .await;
    let path = format!("/cloudlink/presence/2017-09-01/presentities/{principal}");
    let refused = s
        .send(
            Method::PUT,
            &path,
            Some(&cloudlink),
            Some(json!({"status": "Lunch"})),
        )
        .await;
    assert_eq!(refused.status, 422);
    let ok = s
        .send(
            Method::PUT,
            &path,
            Some(&cloudlink),
            Some(json!({"status": "In a meeting", "activity": "InAMeeting"})),
        )
        .await;
    assert_eq!(ok.status, 200);
    let user = s
        .get(
            &format!("/micollab/2017-09-01/users/{login}"),
            Some(&micollab),
        )
        .await
        .body;
    assert_eq!(user["dynamicStatus"]["name"], "In a meeting");
    assert_eq!(user["dynamicStatus"]["activity"], "InAMeeting");
}

#[tokio::test]
async fn micollab_users_query_reads_in_bulk_with_a_sparse_fieldset() {
    let s = sim(30).await;
    let token = s.mitel_token("micollab").await;
    let listed = s
        .get("/micollab/2017-09-01/users?limit=3", Some(&token))
        .await
        .body;
    let logins: Vec<Value> = listed["_embedded"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].clone())
        .collect();
    let mut asked = logins.clone();
    asked.push(json!("nobody"));
    let answer = s
        .send(
            reqwest::Method::POST,
            "/micollab/2017-09-01/users/query",
            Some(&token),
            Some(json!({"logins": asked, "fields": ["teamsPresence"]})),
        )
        .await;
    assert_eq!(answer.status, 200);
    let items = answer.body["_embedded"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "unknown logins are left out");
    for item in items {
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["login", "teamsPresence"]);
    }
    let too_many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let refused = s
        .send(
            reqwest::Method::POST,
            "/micollab/2017-09-01/users/query",
            Some(&token),
            Some(json!({"logins": too_many})),
        )
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["reason"], "TooManyIds");
}
