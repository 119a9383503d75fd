//! The Graph client against a local Graph stand-in (wiremock): tokens, chunked presence
//! reads, session writes (direct and batched), user resolution, and no secret in any
//! error or log line.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mcteams::config::Secret;
use mcteams::connectors::graph::{GraphClient, GraphSettings};
use mcteams::connectors::{MatchedOn, PresenceDirectory, SessionWrite};
use mcteams::exit::{ExitCode, ExitStatus};
use mcteams::http::{HttpErrorKind, RetryPolicy};
use mcteams::wire::graph::{Activity, Availability, BatchRequest};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TENANT: &str = "contoso-tenant";
const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
const SECRET: &str = "s3cr3t-value-never-shown";

fn fake_jwt(serial: usize) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(
        json!({"aud":"graph","roles":["Presence.ReadWrite.All","User.Read.All"],"n":serial})
            .to_string(),
    );
    format!("{header}.{payload}.signature-of-token-{serial}")
}

/// Mounts the token endpoint; returns the counter of tokens issued.
async fn mount_token(server: &MockServer, expires_in: u64) -> Arc<AtomicUsize> {
    mount_token_lifetimes(server, &[expires_in]).await
}

/// A token endpoint whose n-th answer lives `lifetimes[n]` seconds (the last one repeats).
async fn mount_token_lifetimes(server: &MockServer, lifetimes: &[u64]) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let lifetimes = lifetimes.to_vec();
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let expires_in = lifetimes[(n - 1).min(lifetimes.len() - 1)];
            ResponseTemplate::new(200).set_body_json(json!({
                "token_type": "Bearer",
                "expires_in": expires_in,
                "access_token": fake_jwt(n),
            }))
        })
        .mount(server)
        .await;
    issued
}

/// A `$batch` responder answering each request inside it with `answer`.
fn answer_each(
    answer: impl Fn(&mcteams::wire::graph::BatchRequestItem) -> Value + Send + Sync + 'static,
) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    move |request: &Request| {
        let batch: BatchRequest = serde_json::from_slice(&request.body).unwrap();
        let responses: Vec<Value> = batch.requests.iter().map(&answer).collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

fn settings(server: &MockServer) -> GraphSettings {
    let mut settings = GraphSettings::with_secret(
        TENANT,
        CLIENT_ID,
        Secret::new(SECRET),
        url::Url::parse(&server.uri()).unwrap(),
        url::Url::parse(&format!("{}/v1.0", server.uri())).unwrap(),
    );
    settings.retry = RetryPolicy {
        max_attempts: 4,
        budget: Duration::from_secs(10),
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    };
    settings
}

fn ids(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect()
}

/// Answers `getPresencesByUserId` with a presence per id (one with an activity Graph may
/// add tomorrow), refusing more than 650 ids as Graph does.
async fn mount_presence_echo(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1.0/communications/getPresencesByUserId"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let ids = body["ids"].as_array().unwrap();
            if ids.len() > 650 {
                return ResponseTemplate::new(400);
            }
            let value: Vec<Value> = ids
                .iter()
                .map(|id| json!({"id": id, "availability": "Available", "activity": "FocusMode"}))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "value": value }))
        })
        .mount(server)
        .await;
}

async fn presence_calls(server: &MockServer) -> Vec<usize> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().ends_with("getPresencesByUserId"))
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["ids"].as_array().unwrap().len()
        })
        .collect()
}

#[tokio::test]
async fn the_token_request_is_the_documented_one_and_is_reused() {
    let server = MockServer::start().await;
    let issued = mount_token(&server, 3_599).await;
    mount_presence_echo(&server).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    for _ in 0..3 {
        graph.read_presences(&ids(3)).await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    let requests = server.received_requests().await.unwrap();
    let token_request = &requests[0];
    let form: HashMap<String, String> = url::form_urlencoded::parse(&token_request.body)
        .into_owned()
        .collect();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], CLIENT_ID);
    assert_eq!(form["client_secret"], SECRET);
    // The scope is the Graph host the client talks to (national clouds, the emulator).
    let origin = url::Url::parse(&server.uri()).unwrap().origin();
    assert_eq!(
        form["scope"],
        format!("{}/.default", origin.ascii_serialization())
    );
    let presence_request = &requests[1];
    assert!(
        presence_request.headers["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Bearer ")
    );
    assert_eq!(
        graph.token_roles().await.unwrap(),
        ["Presence.ReadWrite.All", "User.Read.All"]
    );
}

#[tokio::test]
async fn presence_is_read_650_ids_per_call_into_one_map() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    mount_presence_echo(&server).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let mut wanted = ids(651);
    wanted.push(wanted[0].clone()); // a duplicate is read once
    let presences = graph.read_presences(&wanted).await.unwrap();
    assert_eq!(presences.len(), 651);
    let mut calls = presence_calls(&server).await;
    calls.sort();
    assert_eq!(calls, [1, 650]);
    let one = &presences[&wanted[0]];
    assert_eq!(one.availability, Availability::Available);
    assert_eq!(one.activity, Activity::Other("FocusMode".into()));
}

#[tokio::test]
async fn a_hundred_thousand_ids_take_154_calls() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    mount_presence_echo(&server).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let presences = graph.read_presences(&ids(100_000)).await.unwrap();
    assert_eq!(presences.len(), 100_000);
    let calls = presence_calls(&server).await;
    assert_eq!(calls.len(), 154);
    assert!(calls.iter().all(|n| *n <= 650));
    assert_eq!(graph.http().stats().throttled, 0);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_exactly_once_for_concurrent_callers() {
    let server = MockServer::start().await;
    // The first token comes with no life left (as one at the end of its hour is seen), the
    // next with an hour: the test never waits for a token to age.
    let issued = mount_token_lifetimes(&server, &[0, 3_599]).await;
    mount_presence_echo(&server).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    graph.read_presences(&ids(1)).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    let one = ids(1);
    let reads = (0..5).map(|_| graph.read_presences(&one));
    for result in futures_util::future::join_all(reads).await {
        result.unwrap();
    }
    assert_eq!(
        issued.load(Ordering::SeqCst),
        2,
        "five callers, one refresh"
    );
    // Fresh now: kept.
    graph.read_presences(&ids(1)).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(graph.token_fetches(), 2);
}

#[tokio::test]
async fn a_401_gets_one_new_token_and_one_retry() {
    let server = MockServer::start().await;
    let issued = mount_token(&server, 3_599).await;
    Mock::given(path("/v1.0/communications/getPresencesByUserId"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {"code": "InvalidAuthenticationToken", "message": "Lifetime validation failed"}
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_presence_echo(&server).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    assert_eq!(graph.read_presences(&ids(2)).await.unwrap().len(), 2);
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(presence_calls(&server).await.len(), 2);
}

#[tokio::test]
async fn a_malformed_presence_answer_is_a_clear_error() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    Mock::given(path("/v1.0/communications/getPresencesByUserId"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"value\": [ {\"id\": 42"))
        .mount(&server)
        .await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let error = graph.read_presences(&ids(1)).await.unwrap_err();
    let line = error.to_string();
    assert!(
        line.contains("/v1.0/communications/getPresencesByUserId") && line.contains("malformed"),
        "{line}"
    );
}

#[tokio::test]
async fn single_writes_go_direct_with_the_apps_session() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    Mock::given(path("/v1.0/users/u1/presence/setPresence"))
        .and(body_string_contains("\"expirationDuration\":\"PT15M\""))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/users/u1/presence/clearPresence"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "NotFound", "message": "session not found"}
        })))
        .mount(&server)
        .await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    graph
        .set_presence(
            "u1",
            Availability::Busy,
            Activity::InACall,
            Duration::from_secs(900),
        )
        .await
        .unwrap();
    // No such session: already clear.
    graph.clear_presence("u1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let set: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(
        set,
        json!({"sessionId": CLIENT_ID, "availability": "Busy", "activity": "InACall", "expirationDuration": "PT15M"})
    );
    let clear: Value = serde_json::from_slice(&requests[2].body).unwrap();
    assert_eq!(clear, json!({"sessionId": CLIENT_ID}));
}

#[tokio::test]
async fn many_writes_are_batched_and_each_answer_handled_on_its_own() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    let throttled_once = Arc::new(AtomicUsize::new(0));
    let seen = throttled_once.clone();
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(move |request: &Request| {
            let batch: BatchRequest = serde_json::from_slice(&request.body).unwrap();
            assert!(batch.requests.len() <= 20);
            let responses: Vec<Value> = batch
                .requests
                .iter()
                .map(|r| {
                    let status = if r.url.contains("/users/u7/") {
                        // Throttled the first time only.
                        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                            return json!({"id": r.id, "status": 429,
                                "headers": {"Retry-After": "0.3"},
                                "body": {"error": {"code": "TooManyRequests", "message": "slow"}}});
                        }
                        200
                    } else if r.url.contains("/users/u9/") {
                        404
                    } else if r.url.contains("/users/u13/") {
                        return json!({"id": r.id, "status": 403,
                            "body": {"error": {"code": "Forbidden", "message": "no consent",
                                "innerError": {"request-id": "req-13"}}}});
                    } else {
                        200
                    };
                    json!({"id": r.id, "status": status})
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
        })
        .mount(&server)
        .await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let writes: Vec<SessionWrite> = (0..45)
        .map(|i| {
            let user_id = format!("u{i}");
            if i % 3 == 0 {
                SessionWrite::Clear { user_id }
            } else {
                SessionWrite::Set {
                    user_id,
                    availability: Availability::DoNotDisturb,
                    activity: Activity::Presenting,
                    ttl: Duration::from_secs(900),
                }
            }
        })
        .collect();
    let started = Instant::now();
    let outcomes = graph.write_sessions(&writes).await;
    assert_eq!(outcomes.len(), 45);
    for (write, outcome) in writes.iter().zip(&outcomes) {
        assert_eq!(write.user_id(), outcome.user_id);
        match outcome.user_id.as_str() {
            // u9 is a clearPresence (9 % 3 == 0): its 404 means already clear.
            "u13" => {
                let error = outcome.result.as_ref().unwrap_err();
                assert_eq!(error.status, Some(403));
                assert_eq!(error.request_id.as_deref(), Some("req-13"));
                assert!(
                    error
                        .to_string()
                        .contains("/v1.0/users/u13/presence/setPresence")
                );
            }
            other => assert!(outcome.result.is_ok(), "{other}: {:?}", outcome.result),
        }
    }
    let batches: Vec<usize> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/v1.0/$batch")
        .map(|r| {
            serde_json::from_slice::<BatchRequest>(&r.body)
                .unwrap()
                .requests
                .len()
        })
        .collect();
    // 45 writes in 20 + 20 + 5 (sent at once, so in any order), then the throttled one again
    // after its Retry-After.
    let (first, retry) = batches.split_at(batches.len().saturating_sub(1));
    let mut first = first.to_vec();
    first.sort_unstable();
    assert_eq!(
        (first.as_slice(), retry),
        (&[5, 20, 20][..], &[1][..]),
        "{batches:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        graph.http().stats().throttled,
        1,
        "the inner 429 counts as throttling"
    );
}

/// An outer `$batch` that fails fails only the writes it carried; a write that once met a
/// gateway timeout may have been applied, whatever its retries met after (the engine keeps
/// its journal entry open instead of closing it as failed).
#[tokio::test]
async fn a_failed_batch_fails_only_its_writes_and_a_timed_out_write_stays_maybe_applied() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    let rounds_of_u1 = Arc::new(AtomicUsize::new(0));
    let seen = rounds_of_u1.clone();
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(body_string_contains("/users/u2"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"code": "BadRequest", "message": "no"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(answer_each(move |r| {
            if !r.url.contains("/users/u01/") {
                json!({"id": r.id, "status": 200})
            } else if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                json!({"id": r.id, "status": 504})
            } else {
                json!({"id": r.id, "status": 429, "headers": {"Retry-After": "0"}})
            }
        }))
        .mount(&server)
        .await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    // u00..u19 in one $batch, u20..u24 in the other (the one refused).
    let writes: Vec<SessionWrite> = (0..25)
        .map(|i| SessionWrite::Clear {
            user_id: format!("u{i:02}"),
        })
        .collect();
    let outcomes = graph.write_sessions(&writes).await;
    for (i, outcome) in outcomes.iter().enumerate() {
        match i {
            1 => {
                let error = outcome.result.as_ref().unwrap_err();
                assert_eq!(error.status, Some(429), "{error}");
                assert!(error.maybe_applied(), "{error}");
            }
            20.. => {
                let error = outcome.result.as_ref().unwrap_err();
                assert_eq!(error.status, Some(400), "{error}");
                assert!(!error.maybe_applied(), "{error}");
            }
            _ => assert!(outcome.result.is_ok(), "u{i}: {:?}", outcome.result),
        }
    }
    assert_eq!(
        rounds_of_u1.load(Ordering::SeqCst),
        4,
        "every round of the policy"
    );
}

/// A `$batch` whose first attempt met a gateway timeout and whose retry was answered: its
/// writes may have been done by the first, so inner refusals after it stay maybe-applied.
#[tokio::test]
async fn writes_of_a_batch_retried_after_a_gateway_timeout_stay_maybe_applied() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(answer_each(
            |r| json!({"id": r.id, "status": 429, "headers": {"Retry-After": "0"}}),
        ))
        .mount(&server)
        .await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let writes: Vec<SessionWrite> = (0..3)
        .map(|i| SessionWrite::Clear {
            user_id: format!("u{i}"),
        })
        .collect();
    for outcome in graph.write_sessions(&writes).await {
        let error = outcome.result.unwrap_err();
        assert_eq!(error.status, Some(429), "{error}");
        assert!(error.maybe_applied(), "{}: {error}", outcome.user_id);
    }
}

/// A directory of users; `$filter … in (…)` and paging are answered from it.
fn directory() -> Vec<Value> {
    (0..40)
        .map(|i| {
            let upn = if i == 7 {
                "o'brien@contoso.com".to_string()
            } else {
                format!("user{i}@contoso.com")
            };
            // Users 30+ have a mail that differs from their UPN.
            let mail = if i >= 30 {
                format!("first.last{i}@contoso.com")
            } else {
                upn.clone()
            };
            json!({"id": format!("id-{i}"), "userPrincipalName": upn, "mail": mail})
        })
        .collect()
}

/// Answers one `/users?$filter=prop in ('a','b')` URL from the directory.
fn answer_filter(url: &url::Url) -> Value {
    let filter = url
        .query_pairs()
        .find(|(k, _)| k == "$filter")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let (property, list) = filter.split_once(" in (").unwrap();
    let list = list.strip_suffix(')').unwrap();
    // Split on the quotes that delimit values; doubled quotes are part of a value.
    let values: Vec<String> = list
        .split("','")
        .map(|v| v.trim_matches('\'').replace("''", "'").to_lowercase())
        .collect();
    let key = if property == "mail" {
        "mail"
    } else {
        "userPrincipalName"
    };
    let value: Vec<Value> = directory()
        .into_iter()
        .filter(|u| values.contains(&u[key].as_str().unwrap().to_lowercase()))
        .collect();
    json!({ "value": value })
}

async fn mount_directory(server: &MockServer, count: Option<usize>) {
    let base = server.uri();
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(move |request: &Request| {
            let batch: BatchRequest = serde_json::from_slice(&request.body).unwrap();
            let responses: Vec<Value> = batch
                .requests
                .iter()
                .map(|r| {
                    assert_eq!(r.method, "GET");
                    let url = url::Url::parse(&format!("https://x/v1.0{}", r.url)).unwrap();
                    json!({"id": r.id, "status": 200, "body": answer_filter(&url)})
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
        })
        .mount(server)
        .await;
    match count {
        Some(n) => {
            Mock::given(path("/v1.0/users/$count"))
                .respond_with(ResponseTemplate::new(200).set_body_string(n.to_string()))
                .mount(server)
                .await
        }
        None => {
            Mock::given(path("/v1.0/users/$count"))
                .respond_with(ResponseTemplate::new(400))
                .mount(server)
                .await
        }
    }
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(move |request: &Request| {
            if request.url.query_pairs().any(|(k, _)| k == "$filter") {
                return ResponseTemplate::new(200).set_body_json(answer_filter(&request.url));
            }
            // Two pages of 20.
            let users = directory();
            let second = request.url.query_pairs().any(|(k, _)| k == "$skiptoken");
            let (page, next) = if second {
                (users[20..].to_vec(), None)
            } else {
                (
                    users[..20].to_vec(),
                    Some(format!(
                        "{base}/v1.0/users?$select=id,userPrincipalName,mail&$top=999&$skiptoken=p2"
                    )),
                )
            };
            let mut body = json!({ "value": page });
            if let Some(next) = next {
                body["@odata.nextLink"] = json!(next);
            }
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(server)
        .await;
}

fn wanted_names() -> Vec<String> {
    let mut names: Vec<String> = (0..30)
        .filter(|i| *i != 7)
        .map(|i| format!("USER{i}@contoso.com"))
        .collect();
    names.push("o'brien@contoso.com".into());
    names.push("first.last31@contoso.com".into()); // a mail, not a UPN
    names.push("ghost@contoso.com".into());
    names
}

fn check_resolution(resolution: &mcteams::connectors::UserResolution) {
    assert_eq!(resolution.found.len(), 31);
    assert_eq!(resolution.found["USER3@contoso.com"].user.id, "id-3");
    assert_eq!(resolution.found["o'brien@contoso.com"].user.id, "id-7");
    let by_mail = &resolution.found["first.last31@contoso.com"];
    assert_eq!(
        (by_mail.user.id.as_str(), by_mail.matched_on),
        ("id-31", MatchedOn::Mail)
    );
    assert_eq!(resolution.not_found, ["ghost@contoso.com"]);
}

#[tokio::test]
async fn users_resolve_by_filter_batches_then_by_mail() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    // No count: the filter strategy, whose cost is bounded by what is wanted.
    mount_directory(&server, None).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let resolution = graph.resolve_users(&wanted_names()).await.unwrap();
    check_resolution(&resolution);
    let requests = server.received_requests().await.unwrap();
    let batches: Vec<BatchRequest> = requests
        .iter()
        .filter(|r| r.url.path() == "/v1.0/$batch")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    // 32 names: 3 filters of at most 15 in one $batch; then the 2 left on mail, direct.
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].requests.len(), 3);
    assert!(
        batches[0].requests[0]
            .url
            .contains("userPrincipalName%20in%20")
    );
    let mail_pass: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.path() == "/v1.0/users" && r.url.query().unwrap().contains("mail%20in"))
        .collect();
    assert_eq!(mail_pass.len(), 1);
}

#[tokio::test]
async fn users_resolve_by_paging_a_small_directory() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    // 40 users: one page of 999 beats 3 filters.
    mount_directory(&server, Some(40)).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let resolution = graph.resolve_users(&wanted_names()).await.unwrap();
    check_resolution(&resolution);
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.url.path() != "/v1.0/$batch"));
    let pages = requests
        .iter()
        .filter(|r| r.url.path() == "/v1.0/users")
        .count();
    assert_eq!(pages, 2, "nextLink followed to the end");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    Mock::given(path("/v1.0/users/$count"))
        .respond_with(ResponseTemplate::new(200).set_body_string("10"))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [],
            "@odata.nextLink": "https://attacker.example/v1.0/users?$skiptoken=1"
        })))
        .mount(&server)
        .await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    let names: Vec<String> = (0..20).map(|i| format!("u{i}@x.com")).collect();
    let error = graph.resolve_users(&names).await.unwrap_err();
    assert!(
        matches!(error.kind, HttpErrorKind::InsecureUrl(_)),
        "{error}"
    );
}

/// Collects every log line (all levels, all crates) written while `f` runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_and_tokens_never_reach_errors_or_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A working run: token obtained, a 401 and a 429 on the way, presence read.
    let server = MockServer::start().await;
    mount_token(&server, 3_599).await;
    Mock::given(path("/v1.0/communications/getPresencesByUserId"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/communications/getPresencesByUserId"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    mount_presence_echo(&server).await;
    let graph = GraphClient::new(settings(&server)).unwrap();
    graph.read_presences(&ids(2)).await.unwrap();
    let debug = format!("{graph:?} {:?}", settings(&server));

    // A rejected secret: a configuration error, exit 78.
    let rejected = MockServer::start().await;
    Mock::given(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": format!("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the one for the app ({SECRET} is wrong).\r\nTrace ID: t"),
            "correlation_id": "corr-1"
        })))
        .mount(&rejected)
        .await;
    let graph = GraphClient::new(settings(&rejected)).unwrap();
    let error = graph.read_presences(&ids(1)).await.unwrap_err();
    assert!(
        matches!(error.kind, HttpErrorKind::CredentialRejected),
        "{error}"
    );
    assert_eq!(error.exit_status(), ExitStatus::Config);
    assert_eq!(error.request_id.as_deref(), Some("corr-1"));
    let texts = [
        error.to_string(),
        format!("{error:?}"),
        debug,
        String::from_utf8(logs.0.lock().unwrap().clone()).unwrap(),
    ];
    drop(_guard);
    assert!(texts[3].contains("retrying"), "the logs were captured");
    for text in &texts {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains("signature-of-token"), "token leaked: {text}");
    }
}
