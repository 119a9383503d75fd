//! The emulated Microsoft Graph and token endpoint, over real HTTP, against Microsoft's
//! documented behaviour (DESIGN.md section 5).

mod sim_support;

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};
use sim_support::{TestSim, sim};

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("JWT payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("claims JSON")
}

fn ids(users: &[Value]) -> Vec<String> {
    users
        .iter()
        .map(|u| u["objectId"].as_str().unwrap().to_string())
        .collect()
}

async fn set_presence(
    s: &TestSim,
    token: &str,
    id: &str,
    availability: &str,
    activity: &str,
    duration: Option<&str>,
) -> u16 {
    let mut body = json!({
        "sessionId": s.handle.credentials.graph_client_id,
        "availability": availability,
        "activity": activity,
    });
    if let Some(d) = duration {
        body["expirationDuration"] = json!(d);
    }
    s.post(
        &format!("/graph/v1.0/users/{id}/presence/setPresence"),
        Some(token),
        body,
    )
    .await
    .status
}

async fn shown(s: &TestSim, token: &str, id: &str) -> (String, String) {
    let p = s.presence(token, id).await;
    (
        p["availability"].as_str().unwrap().to_string(),
        p["activity"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn token_with_a_secret_carries_the_roles_and_a_wrong_secret_is_invalid_client() {
    let s = sim(5).await;
    let token = s.graph_token().await;
    let c = claims(&token);
    assert_eq!(
        c["roles"],
        json!(["Presence.ReadWrite.All", "User.Read.All"])
    );
    assert_eq!(c["appid"], json!(s.handle.credentials.graph_client_id));
    assert_eq!(c["tid"], json!(s.handle.credentials.tenant_id));

    let c = &s.handle.credentials;
    let wrong = s
        .token_request(&[
            ("client_id", &c.graph_client_id),
            ("scope", "https://graph.microsoft.com/.default"),
            ("grant_type", "client_credentials"),
            ("client_secret", "not-the-secret"),
        ])
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["error"], "invalid_client");
    assert_eq!(wrong.body["error_codes"], json!([7000215]));
    assert!(
        wrong.body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS7000215")
    );

    let bad_scope = s
        .token_request(&[
            ("client_id", &c.graph_client_id),
            ("scope", "https://graph.microsoft.com/Presence.Read.All"),
            ("grant_type", "client_credentials"),
            ("client_secret", &c.graph_client_secret),
        ])
        .await;
    assert_eq!(bad_scope.status, 400);
    assert_eq!(bad_scope.body["error"], "invalid_scope");
}

#[tokio::test]
async fn tokens_expire_with_the_clock_and_can_be_revoked() {
    let s = sim(5).await;
    s.control(
        Method::POST,
        "/graph/tokens",
        Some(json!({"lifetime_s": 60})),
    )
    .await;
    let token = s.graph_token().await;
    assert_eq!(s.get("/graph/v1.0/users", Some(&token)).await.status, 200);
    s.advance(61.0).await;
    let expired = s.get("/graph/v1.0/users", Some(&token)).await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.body["error"]["code"], "InvalidAuthenticationToken");
    let request_id = expired.header("request-id").expect("request-id header");
    assert_eq!(
        expired.body["error"]["innerError"]["request-id"],
        json!(request_id)
    );

    let fresh = s.graph_token().await;
    assert_eq!(s.get("/graph/v1.0/users", Some(&fresh)).await.status, 200);
    s.control(Method::DELETE, "/graph/tokens", None).await;
    assert_eq!(s.get("/graph/v1.0/users", Some(&fresh)).await.status, 401);
    assert_eq!(s.get("/graph/v1.0/users", None).await.status, 401);
}

#[tokio::test]
async fn the_clock_moves_forward_only_and_at_most_a_century() {
    let s = sim(5).await;
    let before = s.send(Method::GET, "/_sim/clock", None, None).await;
    for (advance_s, status) in [
        (json!(-1), 400),
        (json!(1e20), 400),
        (json!(f64::MAX), 400),
        (json!(3.2e9), 400),
        (json!("soon"), 400),
    ] {
        let answer = s
            .send(
                Method::POST,
                "/_sim/clock",
                None,
                Some(json!({ "advance_s": advance_s })),
            )
            .await;
        assert_eq!(answer.status, status, "{advance_s}: {}", answer.body);
    }
    // Refused moves left the clock where it was; a year ahead is fine.
    let after = s.send(Method::GET, "/_sim/clock", None, None).await;
    assert_eq!(after.body["offset_s"], before.body["offset_s"]);
    s.advance(366.0 * 86_400.0).await;
    let later = s.send(Method::GET, "/_sim/clock", None, None).await;
    assert!(later.body["now"].as_str().unwrap() > before.body["now"].as_str().unwrap());
}

#[tokio::test]
async fn a_missing_role_is_forbidden() {
    let s = sim(5).await;
    s.control(
        Method::POST,
        "/graph/roles",
        Some(json!({"roles": ["User.Read.All"]})),
    )
    .await;
    let token = s.graph_token().await;
    assert_eq!(claims(&token)["roles"], json!(["User.Read.All"]));
    let users = s.users(1).await;
    let denied = s
        .post(
            "/graph/v1.0/communications/getPresencesByUserId",
            Some(&token),
            json!({"ids": ids(&users)}),
        )
        .await;
    assert_eq!(denied.status, 403);
    assert_eq!(s.get("/graph/v1.0/users", Some(&token)).await.status, 200);
}

#[tokio::test]
async fn bulk_presence_reads_650_ids_and_refuses_651() {
    let s = sim(700).await;
    let token = s.graph_token().await;
    let all = ids(&s.users(700).await);
    let ok = s
        .post(
            "/graph/v1.0/communications/getPresencesByUserId",
            Some(&token),
            json!({"ids": &all[..650]}),
        )
        .await;
    assert_eq!(ok.status, 200);
    let value = ok.body["value"].as_array().unwrap();
    assert_eq!(value.len(), 650);
    assert_eq!(value[0]["id"], json!(all[0]));
    for p in value {
        assert!(
            p["availability"].is_string()
                && p["activity"].is_string()
                && p["sequenceNumber"].is_string()
        );
    }
    let too_many = s
        .post(
            "/graph/v1.0/communications/getPresencesByUserId",
            Some(&token),
            json!({"ids": &all[..651]}),
        )
        .await;
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.body["error"]["code"], "BadRequest");
    assert!(too_many.body["error"]["innerError"]["request-id"].is_string());
    let upns = s
        .post(
            "/graph/v1.0/communications/getPresencesByUserId",
            Some(&token),
            json!({"ids": ["someone@contoso.com"]}),
        )
        .await;
    assert_eq!(upns.status, 400, "ids are object ids, not UPNs");
}

#[tokio::test]
async fn presence_is_throttled_at_1500_per_30s_with_retry_after_and_batch_items_on_their_own() {
    let s = sim(3).await;
    let token = s.graph_token().await;
    let id = ids(&s.users(1).await).remove(0);
    let path = format!("/graph/v1.0/users/{id}/presence");
    for n in 0..1495 {
        let answer = s.get(&path, Some(&token)).await;
        assert_eq!(answer.status, 200, "request {n}");
    }
    // A batch of 10 presence reads: 5 fit in the window, 5 are throttled, each on its own.
    let requests: Vec<Value> = (0..10)
        .map(|n| json!({"id": n.to_string(), "method": "GET", "url": format!("/users/{id}/presence")}))
        .collect();
    let batch = s
        .post(
            "/graph/v1.0/$batch",
            Some(&token),
            json!({"requests": requests}),
        )
        .await;
    assert_eq!(batch.status, 200);
    let statuses: Vec<u64> = batch.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 429).count(),
        5,
        "{statuses:?}"
    );
    let throttled_item = batch.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == 429)
        .unwrap();
    assert!(throttled_item["headers"]["Retry-After"].is_string());

    let throttled = s.get(&path, Some(&token)).await;
    assert_eq!(throttled.status, 429);
    assert_eq!(throttled.body["error"]["code"], "TooManyRequests");
    let retry: u64 = throttled.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "Retry-After {retry}");
    // Users are not presence: not throttled.
    assert_eq!(s.get("/graph/v1.0/users", Some(&token)).await.status, 200);
    s.advance(30.0).await;
    assert_eq!(s.get(&path, Some(&token)).await.status, 200);
    let stats = s.control(Method::GET, "/stats", None).await.body;
    assert_eq!(
        stats["systems"]["graph"]["endpoints"]["GET /users/{id}/presence"]["429"],
        json!(6)
    );
}

#[tokio::test]
async fn set_presence_accepts_only_the_documented_pairs_session_id_and_durations() {
    let s = sim(3).await;
    let token = s.graph_token().await;
    let id = ids(&s.users(1).await).remove(0);
    for (a, b) in [
        ("Available", "Available"),
        ("Busy", "InACall"),
        ("Busy", "InAConferenceCall"),
        ("Away", "Away"),
        ("DoNotDisturb", "Presenting"),
    ] {
        assert_eq!(
            set_presence(&s, &token, &id, a, b, None).await,
            200,
            "{a}/{b}"
        );
    }
    for (a, b) in [
        ("Busy", "Busy"),
        ("DoNotDisturb", "DoNotDisturb"),
        ("Available", "InACall"),
        ("Offline", "OffWork"),
    ] {
        assert_eq!(
            set_presence(&s, &token, &id, a, b, None).await,
            400,
            "{a}/{b}"
        );
    }
    for (d, want) in [
        ("PT4M", 400),
        ("PT5M", 200),
        ("PT4H", 200),
        ("PT4H1M", 400),
        ("soon", 400),
    ] {
        assert_eq!(
            set_presence(&s, &token, &id, "Busy", "InACall", Some(d)).await,
            want,
            "{d}"
        );
    }
    let other_session = s
        .post(
            &format!("/graph/v1.0/users/{id}/presence/setPresence"),
            Some(&token),
            json!({"sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87", "availability": "Available", "activity": "Available"}),
        )
        .await;
    assert_eq!(
        other_session.status, 400,
        "sessionId must be the app's client id"
    );
}

#[tokio::test]
async fn sessions_aggregate_as_documented_and_expire() {
    let s = sim(3).await;
    let token = s.graph_token().await;
    let users = s.users(1).await;
    let (id, upn) = (
        users[0]["objectId"].as_str().unwrap(),
        users[0]["upn"].as_str().unwrap(),
    );
    s.control(Method::DELETE, &format!("/teams/{upn}/client"), None)
        .await;
    assert_eq!(
        shown(&s, &token, id).await,
        ("Offline".into(), "Offline".into()),
        "no session: Offline"
    );

    s.control(
        Method::POST,
        &format!("/teams/{upn}/client"),
        Some(json!({"availability": "Available", "activity": "Available"})),
    )
    .await;
    assert_eq!(
        set_presence(&s, &token, id, "Busy", "InACall", None).await,
        200
    );
    assert_eq!(
        shown(&s, &token, id).await,
        ("Busy".into(), "InACall".into()),
        "Busy > Available"
    );

    assert_eq!(
        set_presence(&s, &token, id, "Away", "Away", None).await,
        200
    );
    assert_eq!(
        shown(&s, &token, id).await,
        ("Available".into(), "Available".into()),
        "Available > Away"
    );

    s.control(
        Method::POST,
        &format!("/teams/{upn}/client"),
        Some(json!({"availability": "Busy", "activity": "InAMeeting"})),
    )
    .await;
    assert_eq!(
        set_presence(&s, &token, id, "DoNotDisturb", "Presenting", Some("PT10M")).await,
        200
    );
    assert_eq!(
        shown(&s, &token, id).await,
        ("DoNotDisturb".into(), "Presenting".into()),
        "DND > Busy"
    );

    s.advance(599.0).await;
    assert_eq!(shown(&s, &token, id).await.0, "DoNotDisturb");
    s.advance(2.0).await;
    assert_eq!(
        shown(&s, &token, id).await,
        ("Busy".into(), "InAMeeting".into()),
        "the app session expired"
    );

    let clear = |s: &TestSim| {
        let path = format!("/graph/v1.0/users/{id}/presence/clearPresence");
        let body = json!({"sessionId": s.handle.credentials.graph_client_id});
        (path, body)
    };
    let (path, body) = clear(&s);
    assert_eq!(
        s.post(&path, Some(&token), body.clone()).await.status,
        404,
        "no session left to clear"
    );
    assert_eq!(
        set_presence(&s, &token, id, "Busy", "InACall", None).await,
        200
    );
    assert_eq!(s.post(&path, Some(&token), body.clone()).await.status, 200);
    assert_eq!(s.post(&path, Some(&token), body).await.status, 404);
}

#[tokio::test]
async fn preferred_presence_needs_a_session_wins_over_sessions_and_expires() {
    let s = sim(3).await;
    // The test moves the clock by days: a token that outlives them keeps it readable.
    s.control(
        Method::POST,
        "/graph/tokens",
        Some(json!({"lifetime_s": 30 * 86_400})),
    )
    .await;
    let token = s.graph_token().await;
    let users = s.users(1).await;
    let (id, upn) = (
        users[0]["objectId"].as_str().unwrap(),
        users[0]["upn"].as_str().unwrap(),
    );
    s.control(Method::DELETE, &format!("/teams/{upn}/client"), None)
        .await;
    let preferred = s
        .post(
            &format!("/graph/v1.0/users/{id}/presence/setUserPreferredPresence"),
            Some(&token),
            json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"}),
        )
        .await;
    assert_eq!(preferred.status, 200);
    assert_eq!(
        shown(&s, &token, id).await.0,
        "Offline",
        "preferred needs a session"
    );
    assert_eq!(
        set_presence(&s, &token, id, "Busy", "InACall", Some("PT4H")).await,
        200
    );
    assert_eq!(
        shown(&s, &token, id).await,
        ("DoNotDisturb".into(), "DoNotDisturb".into()),
        "preferred above all"
    );

    // DND picked in Teams lasts a day; a client session keeps the user signed in meanwhile.
    s.control(
        Method::POST,
        &format!("/teams/{upn}/client"),
        Some(json!({"availability": "Available", "activity": "Available"})),
    )
    .await;
    s.advance(86_399.0).await;
    assert_eq!(shown(&s, &token, id).await.0, "DoNotDisturb");
    s.advance(2.0).await;
    assert_eq!(
        shown(&s, &token, id).await.0,
        "Available",
        "DND preferred expires after 1 day"
    );

    // Other preferred states last 7 days (through the control API, as a person picks them).
    s.control(
        Method::POST,
        &format!("/teams/{upn}/preferred"),
        Some(json!({"availability": "Away", "activity": "Away"})),
    )
    .await;
    s.advance(6.0 * 86_400.0).await;
    assert_eq!(shown(&s, &token, id).await.0, "Away");
    s.advance(86_401.0).await;
    assert_eq!(
        shown(&s, &token, id).await.0,
        "Available",
        "Away preferred expires after 7 days"
    );

    let bad = s
        .post(
            &format!("/graph/v1.0/users/{id}/presence/setUserPreferredPresence"),
            Some(&token),
            json!({"availability": "Busy", "activity": "InACall"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    s.control(
        Method::POST,
        &format!("/teams/{upn}/preferred"),
        Some(json!({"availability": "Busy", "activity": "Busy"})),
    )
    .await;
    let cleared = s
        .send(
            Method::POST,
            &format!("/graph/v1.0/users/{id}/presence/clearUserPreferredPresence"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(cleared.status, 200);
    assert_eq!(shown(&s, &token, id).await.0, "Available");
}

#[tokio::test]
async fn the_sequence_number_changes_when_the_aggregate_does() {
    let s = sim(3).await;
    let token = s.graph_token().await;
    let users = s.users(1).await;
    let (id, upn) = (
        users[0]["objectId"].as_str().unwrap(),
        users[0]["upn"].as_str().unwrap(),
    );
    s.control(
        Method::POST,
        &format!("/teams/{upn}/client"),
        Some(json!({"availability": "Available", "activity": "Available"})),
    )
    .await;
    let first = s.presence(&token, id).await["sequenceNumber"].clone();
    assert_eq!(
        s.presence(&token, id).await["sequenceNumber"],
        first,
        "unchanged presence, same number"
    );
    s.control(
        Method::POST,
        &format!("/teams/{upn}/client"),
        Some(json!({"availability": "Away", "activity": "Away"})),
    )
    .await;
    assert_ne!(s.presence(&token, id).await["sequenceNumber"], first);
}

#[tokio::test]
async fn users_page_with_next_links_select_and_top() {
    let s = sim(2500).await;
    let token = s.graph_token().await;
    let mut next = Some(s.url("/graph/v1.0/users?$select=id,userPrincipalName,mail&$top=999"));
    let mut seen = std::collections::HashSet::new();
    let mut pages = Vec::new();
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
        let value = page["value"].as_array().unwrap();
        pages.push(value.len());
        for user in value {
            assert_eq!(
                user.as_object().unwrap().len(),
                3,
                "only the selected properties"
            );
            seen.insert(user["id"].as_str().unwrap().to_string());
        }
        next = page["@odata.nextLink"].as_str().map(str::to_string);
    }
    assert_eq!(pages, vec![999, 999, 502]);
    assert_eq!(seen.len(), 2500);
    assert_eq!(
        s.get("/graph/v1.0/users?$top=1000", Some(&token))
            .await
            .status,
        400
    );
    assert_eq!(
        s.get("/graph/v1.0/users?$select=nope", Some(&token))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn users_filter_by_upn_or_mail_with_at_most_15_values_and_get_by_id_or_upn() {
    let s = sim(40).await;
    let token = s.graph_token().await;
    let users = s.users(40).await;
    let quoted = |n: usize| {
        users[..n]
            .iter()
            .map(|u| format!("'{}'", u["upn"].as_str().unwrap()))
            .collect::<Vec<_>>()
            .join(",")
    };
    let fifteen = s
        .http
        .get(s.url("/graph/v1.0/users"))
        .query(&[
            ("$filter", format!("userPrincipalName in ({})", quoted(15))),
            ("$select", "id,userPrincipalName".into()),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(fifteen.status(), 200);
    let body: Value = fifteen.json().await.unwrap();
    assert_eq!(body["value"].as_array().unwrap().len(), 15);
    let sixteen = s
        .http
        .get(s.url("/graph/v1.0/users"))
        .query(&[("$filter", format!("userPrincipalName in ({})", quoted(16)))])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(sixteen.status(), 400);

    let other_mail = users
        .iter()
        .find(|u| u["mail"] != u["upn"])
        .expect("a user whose mail is not the UPN");
    let by_mail: Value = s
        .http
        .get(s.url("/graph/v1.0/users"))
        .query(&[(
            "$filter",
            format!("mail eq '{}'", other_mail["mail"].as_str().unwrap()),
        )])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_mail["value"][0]["id"], other_mail["objectId"]);

    let upn = users[3]["upn"].as_str().unwrap();
    let by_upn = s
        .get(&format!("/graph/v1.0/users/{upn}"), Some(&token))
        .await;
    assert_eq!(by_upn.body["id"], users[3]["objectId"]);
    let by_id = s
        .get(
            &format!(
                "/graph/v1.0/users/{}",
                users[3]["objectId"].as_str().unwrap()
            ),
            Some(&token),
        )
        .await;
    assert_eq!(by_id.body["userPrincipalName"], json!(upn));
    let missing = s
        .get("/graph/v1.0/users/nobody@contoso.com", Some(&token))
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["error"]["code"], "Request_ResourceNotFound");
}

#[tokio::test]
async fn batch_holds_20_requests_each_answered_on_its_own() {
    let s = sim(5).await;
    let token = s.graph_token().await;
    let id = ids(&s.users(1).await).remove(0);
    let client_id = s.handle.credentials.graph_client_id.clone();
    let mut requests = vec![
        json!({"id": "1", "method": "GET", "url": format!("/users/{id}/presence")}),
        json!({"id": "2", "method": "GET", "url": "/users/nobody@contoso.com"}),
        json!({"id": "3", "method": "POST", "url": format!("/users/{id}/presence/setPresence"),
               "headers": {"Content-Type": "application/json"},
               "body": {"sessionId": client_id, "availability": "Busy", "activity": "Busy"}}),
        json!({"id": "4", "method": "POST", "url": format!("/users/{id}/presence/setPresence"),
               "headers": {"Content-Type": "application/json"},
               "body": {"sessionId": client_id, "availability": "Busy", "activity": "InACall"}}),
        json!({"id": "5", "method": "GET", "url": "users?$select=id&$top=2", "dependsOn": ["4"]}),
    ];
    let answer = s
        .post(
            "/graph/v1.0/$batch",
            Some(&token),
            json!({"requests": requests}),
        )
        .await;
    assert_eq!(answer.status, 200);
    let status_of = |n: &str| {
        answer.body["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == n)
            .unwrap()["status"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(
        [
            status_of("1"),
            status_of("2"),
            status_of("3"),
            status_of("4"),
            status_of("5")
        ],
        [200, 404, 400, 200, 200]
    );
    while requests.len() < 21 {
        requests.push(json!({"id": format!("x{}", requests.len()), "method": "GET", "url": format!("/users/{id}")}));
    }
    let too_many = s
        .post(
            "/graph/v1.0/$batch",
            Some(&token),
            json!({"requests": &requests}),
        )
        .await;
    assert_eq!(too_many.status, 400);
    let twenty = s
        .post(
            "/graph/v1.0/$batch",
            Some(&token),
            json!({"requests": &requests[1..]}),
        )
        .await;
    assert_eq!(twenty.status, 200);
    assert_eq!(twenty.body["responses"].as_array().unwrap().len(), 20);
}

/// The request examples of Microsoft's pages, with the ids of this directory.
#[tokio::test]
async fn documented_examples_replay() {
    let s = sim(5).await;
    let token = s.graph_token().await;
    let users = ids(&s.users(2).await);
    // cloudcommunications-getpresencesbyuserid
    let answer = s
        .post(
            "/graph/v1.0/communications/getPresencesByUserId",
            Some(&token),
            json!({"ids": [users[0], users[1]]}),
        )
        .await;
    assert_eq!(answer.status, 200);
    for (p, id) in answer.body["value"].as_array().unwrap().iter().zip(&users) {
        assert_eq!(&p["id"], id);
        assert_eq!(
            p["outOfOfficeSettings"],
            json!({"message": null, "isOutOfOffice": false})
        );
        assert!(p.get("statusMessage").is_some());
    }
    // presence-setpresence: Available/Available for an hour, sessionId = the app id.
    let set = s
        .post(
            &format!("/graph/v1.0/users/{}/presence/setPresence", users[0]),
            Some(&token),
            json!({"sessionId": s.handle.credentials.graph_client_id, "availability": "Available", "activity": "Available", "expirationDuration": "PT1H"}),
        )
        .await;
    assert_eq!(set.status, 200);
    // presence-setuserpreferredpresence: DoNotDisturb for 8 hours.
    let preferred = s
        .post(
            &format!("/graph/v1.0/users/{}/presence/setUserPreferredPresence", users[0]),
            Some(&token),
            json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb", "expirationDuration": "PT8H"}),
        )
        .await;
    assert_eq!(preferred.status, 200);
    // presence-get: GET /communications/presences/{id}
    let got = s
        .get(
            &format!("/graph/v1.0/communications/presences/{}", users[0]),
            Some(&token),
        )
        .await;
    assert_eq!(got.body["availability"], "DoNotDisturb");
    // presence-clearpresence
    let cleared = s
        .post(
            &format!("/graph/v1.0/users/{}/presence/clearPresence", users[0]),
            Some(&token),
            json!({"sessionId": s.handle.credentials.graph_client_id}),
        )
        .await;
    assert_eq!(cleared.status, 200);
}

#[tokio::test]
async fn user_count_needs_consistency_level_eventual_and_is_plain_text() {
    let s = sim(123).await;
    let token = s.graph_token().await;
    let without = s.get("/graph/v1.0/users/$count", Some(&token)).await;
    assert_eq!(without.status, 400, "{}", without.body);
    assert_eq!(without.body["error"]["code"], "Request_BadRequest");
    assert!(without.body["error"]["innerError"]["request-id"].is_string());

    let response = s
        .http
        .get(s.url("/graph/v1.0/users/$count"))
        .bearer_auth(&token)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(response.text().await.unwrap(), "123");

    // A deleted user is no longer counted; `$count=true` on a list adds `@odata.count`.
    let upn = s.users(1).await[0]["upn"].as_str().unwrap().to_string();
    s.control(Method::DELETE, &format!("/users/{upn}"), None)
        .await;
    let page: Value = s
        .http
        .get(s.url("/graph/v1.0/users?$count=true&$top=5&$select=id"))
        .bearer_auth(&token)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["@odata.count"], 122);
    assert_eq!(page["value"].as_array().unwrap().len(), 5);
    let refused = s.get("/graph/v1.0/users?$count=true", Some(&token)).await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn a_throttle_storm_answers_batch_items_429_with_their_own_retry_after() {
    let s = sim(5).await;
    let token = s.graph_token().await;
    let users = s.users(2).await;
    let ids = ids(&users);
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "graph", "throttle_for_s": 3})),
    )
    .await;
    let direct = s
        .post(
            "/graph/v1.0/communications/getPresencesByUserId",
            Some(&token),
            json!({"ids": ids}),
        )
        .await;
    assert_eq!(direct.status, 429);
    assert_eq!(direct.header("retry-after").as_deref(), Some("3"));
    let batch = s
        .post(
            "/graph/v1.0/$batch",
            Some(&token),
            json!({"requests": [
                {"id": "1", "method": "GET", "url": format!("/users/{}/presence", ids[0])},
                {"id": "2", "method": "GET", "url": format!("/users/{}/presence", ids[1])},
            ]}),
        )
        .await;
    assert_eq!(batch.status, 200, "the batch itself is accepted");
    for response in batch.body["responses"].as_array().unwrap() {
        assert_eq!(response["status"], 429);
        assert_eq!(response["headers"]["Retry-After"], "3");
        assert_eq!(response["body"]["error"]["code"], "TooManyRequests");
    }
    s.advance(3.0).await;
    let batch = s
        .post(
            "/graph/v1.0/$batch",
            Some(&token),
            json!({"requests": [{"id": "1", "method": "GET", "url": format!("/users/{}/presence", ids[0])}]}),
        )
        .await;
    assert_eq!(batch.body["responses"][0]["status"], 200);
}

#[tokio::test]
async fn error_rate_faults_can_be_503s_with_a_decimal_retry_after() {
    let s = sim(3).await;
    let token = s.graph_token().await;
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "graph", "error_rate": 1.0, "error_status": 503, "retry_after_s": 0.5})),
    )
    .await;
    let answer = s.get("/graph/v1.0/users?$top=1", Some(&token)).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.body["error"]["code"], "ServiceUnavailable");
    assert_eq!(answer.header("retry-after").as_deref(), Some("0.5"));
    let refused = s
        .send(
            Method::POST,
            "/_sim/faults",
            None,
            Some(json!({"system": "graph", "error_status": 404})),
        )
        .await;
    assert_eq!(refused.status, 400);
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "graph", "error_rate": 0.0, "outage": true, "retry_after_s": 1})),
    )
    .await;
    let answer = s.get("/graph/v1.0/users?$top=1", Some(&token)).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("retry-after").as_deref(), Some("1"));
}
