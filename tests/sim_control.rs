//! The control API: faults, directory changes, stats, the one-user view, determinism, churn.

mod sim_support;

use std::time::{Duration, Instant};

use mcteams::sim::SimOptions;
use reqwest::Method;
use serde_json::json;
use sim_support::{sim, sim_with};

#[tokio::test]
async fn an_outage_answers_503_and_a_full_error_rate_500_per_system() {
    let s = sim(5).await;
    let token = s.mitel_token("pbx").await;
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "pbx", "outage": true})),
    )
    .await;
    let down = s
        .get("/pbx/2017-09-01/extensions/20000", Some(&token))
        .await;
    assert_eq!(down.status, 503);
    assert!(down.header("x-mitel-correlation-id").is_some());
    // Other systems are untouched.
    let graph = s.graph_token().await;
    assert_eq!(s.get("/graph/v1.0/users", Some(&graph)).await.status, 200);
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "pbx", "outage": false, "error_rate": 1.0})),
    )
    .await;
    assert_eq!(
        s.get("/pbx/2017-09-01/extensions/20000", Some(&token))
            .await
            .status,
        500
    );
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "graph", "error_rate": 1.0})),
    )
    .await;
    let failed = s.get("/graph/v1.0/users", Some(&graph)).await;
    assert_eq!(failed.status, 500);
    assert!(
        failed.body["error"]["innerError"]["request-id"].is_string(),
        "Graph's error shape"
    );
    s.control(Method::DELETE, "/faults", None).await;
    assert_eq!(
        s.get("/pbx/2017-09-01/extensions/20000", Some(&token))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_throttle_storm_answers_429_with_retry_after_until_it_ends() {
    let s = sim(5).await;
    let token = s.mitel_token("cloudlink").await;
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "cloudlink", "throttle_for_s": 20})),
    )
    .await;
    let account = s.handle.credentials.cloudlink_account_id.clone();
    let path = format!("/cloudlink/admin/2017-09-01/accounts/{account}/users");
    let storm = s.get(&path, Some(&token)).await;
    assert_eq!(storm.status, 429);
    let retry: u64 = storm.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry));
    s.advance(21.0).await;
    // The token outlives 21 s of emulated time.
    assert_eq!(s.get(&path, Some(&token)).await.status, 200);
    let stats = s.control(Method::GET, "/stats", None).await.body;
    let endpoint = &stats["systems"]["cloudlink"]["endpoints"]["GET /admin/2017-09-01/accounts/{account}/users"];
    assert_eq!(endpoint["429"], 1);
    assert_eq!(endpoint["200"], 1);
    s.control(Method::DELETE, "/stats", None).await;
    assert_eq!(
        s.control(Method::GET, "/stats", None).await.body["total"],
        0
    );
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let s = sim(5).await;
    let token = s.mitel_token("micollab").await;
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "micollab", "latency_ms": 150})),
    )
    .await;
    let started = Instant::now();
    assert_eq!(
        s.get("/micollab/2017-09-01/system", Some(&token))
            .await
            .status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(150));
}

/// `--latency` is the time to the answer, the emulator's work inside it; a system's latency
/// fault comes on top of it.
#[tokio::test]
async fn the_global_latency_is_the_least_time_to_an_answer_and_a_fault_adds_to_it() {
    let s = sim_with(SimOptions {
        users: 5,
        latency: Duration::from_millis(120),
        ..SimOptions::default()
    })
    .await;
    let token = s.mitel_token("pbx").await;
    let started = Instant::now();
    let read = s
        .post(
            "/pbx/2017-09-01/extensions/query",
            Some(&token),
            json!({"extensions": ["20000", "20001"]}),
        )
        .await;
    assert_eq!(read.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(120));
    s.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "pbx", "latency_ms": 100})),
    )
    .await;
    let started = Instant::now();
    assert_eq!(
        s.get("/pbx/2017-09-01/extensions/20000", Some(&token))
            .await
            .status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(220));
}

#[tokio::test]
async fn a_deleted_user_is_gone_everywhere_and_a_renamed_one_keeps_its_id() {
    let s = sim(10).await;
    let users = s.users(2).await;
    let (gone, renamed) = (&users[0], &users[1]);
    let graph = s.graph_token().await;
    let micollab = s.mitel_token("micollab").await;
    let pbx = s.mitel_token("pbx").await;
    let cloudlink = s.mitel_token("cloudlink").await;
    s.control(
        Method::DELETE,
        &format!("/users/{}", gone["upn"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(
        s.get(
            &format!("/graph/v1.0/users/{}", gone["objectId"].as_str().unwrap()),
            Some(&graph)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        s.get(
            &format!(
                "/micollab/2017-09-01/users/{}",
                gone["login"].as_str().unwrap()
            ),
            Some(&micollab)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        s.get(
            &format!(
                "/pbx/2017-09-01/extensions/{}",
                gone["extension"].as_str().unwrap()
            ),
            Some(&pbx)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        s.get(
            &format!(
                "/cloudlink/presence/2017-09-01/presentities/{}",
                gone["principalId"].as_str().unwrap()
            ),
            Some(&cloudlink)
        )
        .await
        .status,
        404
    );

    let old = renamed["upn"].as_str().unwrap();
    s.control(
        Method::POST,
        &format!("/users/{old}/rename"),
        Some(json!({"upn": "new.name@contoso.com"})),
    )
    .await;
    assert_eq!(
        s.get(&format!("/graph/v1.0/users/{old}"), Some(&graph))
            .await
            .status,
        404
    );
    let now = s
        .get("/graph/v1.0/users/new.name@contoso.com", Some(&graph))
        .await;
    assert_eq!(now.body["id"], renamed["objectId"]);
}

#[tokio::test]
async fn one_user_across_all_four_systems() {
    let s = sim(10).await;
    let users = s.users(1).await;
    let upn = users[0]["upn"].as_str().unwrap();
    let extension = users[0]["extension"].as_str().unwrap();
    s.control(
        Method::POST,
        &format!("/teams/{upn}/preferred"),
        Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
    )
    .await;
    s.control(
        Method::POST,
        &format!("/teams/{upn}/client"),
        Some(json!({"availability": "Available", "activity": "Available"})),
    )
    .await;
    s.control(
        Method::POST,
        &format!("/pbx/{extension}/state"),
        Some(json!({"state": "ringing"})),
    )
    .await;
    let view = s
        .control(Method::GET, &format!("/users/{upn}"), None)
        .await
        .body;
    assert_eq!(view["teams"]["presence"]["availability"], "DoNotDisturb");
    assert_eq!(view["teams"]["preferred"]["availability"], "DoNotDisturb");
    assert_eq!(view["teams"]["sessions"][0]["sessionId"], "teams-client");
    assert_eq!(view["pbx"]["callState"], "ringing");
    assert_eq!(view["micollab"]["user"]["login"], users[0]["login"]);
    assert!(view["cloudlink"]["presentity"]["version"].is_u64());
    let bad = s
        .send(
            Method::POST,
            &format!("/_sim/teams/{upn}/preferred"),
            None,
            Some(json!({"availability": "Busy", "activity": "InACall"})),
        )
        .await;
    assert_eq!(bad.status, 400, "not a status a person can pick");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_directory() {
    let options = SimOptions {
        users: 50,
        seed: 9,
        ..SimOptions::default()
    };
    let a = sim_with(options.clone()).await;
    let b = sim_with(options).await;
    let c = sim_with(SimOptions {
        users: 50,
        seed: 10,
        ..SimOptions::default()
    })
    .await;
    let (ua, ub, uc) = (a.users(50).await, b.users(50).await, c.users(50).await);
    assert_eq!(ua, ub);
    assert_ne!(ua, uc);
    assert_eq!(
        a.handle.credentials.tenant_id,
        b.handle.credentials.tenant_id
    );
    let upn = ua[7]["upn"].as_str().unwrap().to_string();
    let mut va = a
        .control(Method::GET, &format!("/users/{upn}"), None)
        .await
        .body;
    let mut vb = b
        .control(Method::GET, &format!("/users/{upn}"), None)
        .await
        .body;
    // Times are the start time of each emulator; everything else must match.
    for v in [&mut va, &mut vb] {
        v["micollab"]["user"]["dynamicStatus"]["updatedOn"] = json!(null);
    }
    assert_eq!(
        va["teams"]["presence"]["availability"],
        vb["teams"]["presence"]["availability"]
    );
    assert_eq!(va["micollab"]["user"], vb["micollab"]["user"]);
}

#[tokio::test]
async fn a_non_loopback_address_is_refused() {
    let refused = mcteams::sim::start(SimOptions {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..SimOptions::default()
    })
    .await;
    assert!(refused.is_err());
}
