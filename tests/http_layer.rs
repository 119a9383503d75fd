//! The shared HTTP layer against local servers: retries, Retry-After, budgets, replay
//! safety, token refresh on 401, malformed answers, redirects.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use mcteams::config::Secret;
use mcteams::exit::{ExitCode, ExitStatus, status_of};
use mcteams::http::{
    AccessToken, Call, HttpClient, HttpError, HttpErrorKind, HttpSettings, RetryPolicy, System,
    TokenCache, TokenSource,
};
use tokio::io::AsyncReadExt;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        budget: Duration::from_secs(10),
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    }
}

fn client(policy: RetryPolicy) -> HttpClient {
    HttpClient::new(HttpSettings {
        retry: policy,
        ..HttpSettings::new(System::Micollab)
    })
    .unwrap()
}

fn url(server: &MockServer, p: &str) -> url::Url {
    url::Url::parse(&format!("{}{p}", server.uri())).unwrap()
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_storm_is_waited_out_as_retry_after_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("user-agent", mcteams::http::user_agent()))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let http = client(fast_policy(5));
    let started = Instant::now();
    let response = http
        .send(&Call::get(url(&server, "/things")))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(hits(&server).await, 3);
    // Two hints of one second each were obeyed, not the 10 ms backoff.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let stats = http.stats();
    assert_eq!((stats.attempts, stats.retries, stats.throttled), (3, 2, 2));
    assert_eq!(stats.waited, Duration::from_secs(2));
}

#[tokio::test]
async fn retry_after_in_decimal_seconds_and_as_an_http_date() {
    let server = MockServer::start().await;
    Mock::given(path("/decimal"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0.4"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = client(fast_policy(3));

    let started = Instant::now();
    http.send(&Call::get(url(&server, "/decimal")))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(http.stats().waited, Duration::from_millis(400));

    // An HTTP date has whole seconds: "in two seconds" is between one and two from now.
    let in_two_seconds = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    Mock::given(path("/date"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", in_two_seconds))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    http.send(&Call::get(url(&server, "/date"))).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(hits(&server).await, 4);
}

#[tokio::test]
async fn service_unavailable_twice_then_success() {
    let server = MockServer::start().await;
    Mock::given(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(3)
        .mount(&server)
        .await;
    Mock::given(path("/flaky"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .mount(&server)
        .await;
    let http = client(fast_policy(6));
    let value: serde_json::Value = http
        .send_json(&Call::get(url(&server, "/flaky")))
        .await
        .unwrap();
    assert_eq!(value["ok"], true);
    assert_eq!(hits(&server).await, 4);
}

#[tokio::test]
async fn a_503_counts_as_throttling_only_with_a_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/limited"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    for ok in ["/limited", "/down"] {
        Mock::given(path(ok))
            .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
            .mount(&server)
            .await;
    }
    let http = client(fast_policy(6));
    let _: serde_json::Value = http
        .send_json(&Call::get(url(&server, "/limited")))
        .await
        .unwrap();
    assert_eq!(http.stats().throttled, 2);
    let _: serde_json::Value = http
        .send_json(&Call::get(url(&server, "/down")))
        .await
        .unwrap();
    assert_eq!(http.stats().throttled, 2, "an outage is not throttling");
}

#[tokio::test]
async fn an_exhausted_retry_budget_ends_as_unavailable() {
    let server = MockServer::start().await;
    Mock::given(path("/down"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-mitel-correlation-id", "corr-42")
                .set_body_string(r#"{"code":"Maintenance","message":"back soon"}"#),
        )
        .mount(&server)
        .await;
    let http = client(fast_policy(4));
    let error = http
        .send(&Call::get(url(&server, "/down?secret_query=1")))
        .await
        .unwrap_err();
    assert_eq!(hits(&server).await, 4, "bounded attempts");
    assert!(matches!(
        error.kind,
        HttpErrorKind::GaveUp { attempts: 4, .. }
    ));
    assert_eq!(error.exit_status(), ExitStatus::Unavailable);
    let line = error.to_string();
    assert!(
        line.starts_with("micollab GET /down: HTTP 503 Maintenance:"),
        "{line}"
    );
    assert!(
        line.contains("corr-42") && !line.contains("secret_query"),
        "{line}"
    );
    // Through anyhow and the command's context, the exit status is still 75.
    let wrapped = anyhow::Error::new(error).context("sync failed");
    assert_eq!(status_of(&wrapped).code(), 75);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let http = client(fast_policy(6));
    let started = Instant::now();
    let error = http
        .send(&Call::get(url(&server, "/slow")))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(hits(&server).await, 1);
    assert_eq!(error.exit_status(), ExitStatus::Unavailable);
}

#[tokio::test]
async fn a_504_is_retried_for_an_idempotent_request_only() {
    let server = MockServer::start().await;
    Mock::given(path("/gateway"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;
    let http = client(fast_policy(3));
    // A POST the gateway may have passed on: not repeated.
    let error = http
        .send(&Call::post(url(&server, "/gateway")).json(&serde_json::json!({"add": 1})))
        .await
        .unwrap_err();
    assert_eq!(error.status, Some(504));
    assert_eq!(hits(&server).await, 1);
    // The same POST declared idempotent: retried.
    let _ = http
        .send(&Call::post(url(&server, "/gateway")).idempotent())
        .await
        .unwrap_err();
    assert_eq!(hits(&server).await, 4);
}

/// An idempotent write whose first attempt may have landed (a 504) and whose retries were
/// then refused (429) may still have been applied: the journal must keep it open.
#[tokio::test]
async fn a_write_that_may_have_landed_once_stays_maybe_applied_whatever_came_after() {
    let server = MockServer::start().await;
    Mock::given(path("/presence"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/presence"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let http = client(fast_policy(3));
    let error = http
        .send(&Call::post(url(&server, "/presence")).idempotent())
        .await
        .unwrap_err();
    assert_eq!((error.status, hits(&server).await), (Some(429), 3));
    assert!(error.maybe_applied(), "{error}");
    // Refused every time: not applied.
    let refused = MockServer::start().await;
    Mock::given(path("/presence"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&refused)
        .await;
    let error = http
        .send(&Call::post(url(&refused, "/presence")).idempotent())
        .await
        .unwrap_err();
    assert!(!error.maybe_applied(), "{error}");
}

#[tokio::test]
async fn a_429_on_a_post_is_retried_since_it_was_not_applied() {
    let server = MockServer::start().await;
    Mock::given(path("/create"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/create"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let http = client(fast_policy(3));
    let response = http
        .send(&Call::post(url(&server, "/create")).json(&serde_json::json!({})))
        .await
        .unwrap();
    assert_eq!(response.status, 201);
}

/// A server that accepts connections, reads the request and hangs up without answering.
async fn hang_up_server() -> (url::Url, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicU64::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });
    let url = url::Url::parse(&format!("http://{address}/orders")).unwrap();
    (url, connections)
}

#[tokio::test]
async fn a_post_is_not_retried_after_the_connection_dropped_mid_request() {
    let (url, connections) = hang_up_server().await;
    let http = client(fast_policy(4));
    let error = http
        .send(&Call::post(url.clone()).json(&serde_json::json!({"order": 1})))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind, HttpErrorKind::Transport { sent: true, .. }),
        "{error}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1, "sent once only");
    assert_eq!(error.exit_status(), ExitStatus::Unavailable);

    // A GET to the same server is retried up to the bound.
    let _ = http.send(&Call::get(url)).await.unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 1 + 4);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let http = client(fast_policy(3));
    let error = http
        .send(&Call::post(
            url::Url::parse(&format!("http://{address}/x")).unwrap(),
        ))
        .await
        .unwrap_err();
    match &error.kind {
        HttpErrorKind::GaveUp { attempts, last, .. } => {
            assert_eq!(*attempts, 3);
            assert!(matches!(
                **last,
                HttpErrorKind::Transport { sent: false, .. }
            ));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(error.exit_status(), ExitStatus::Unavailable);
}

struct CountingTokens(Arc<AtomicU64>);

impl TokenSource for CountingTokens {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, HttpError>> + Send + '_>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken {
                value: Secret::new(format!("t{n}")),
                lifetime: Duration::from_secs(3_600),
            })
        })
    }
}

fn authorized_client(policy: RetryPolicy) -> (HttpClient, Arc<AtomicU64>) {
    let fetches = Arc::new(AtomicU64::new(0));
    let tokens = Arc::new(TokenCache::new(Box::new(CountingTokens(fetches.clone()))));
    let http = HttpClient::with_tokens(
        HttpSettings {
            retry: policy,
            ..HttpSettings::new(System::Cloudlink)
        },
        tokens,
    )
    .unwrap();
    (http, fetches)
}

/// A token endpoint that does not answer in time.
struct TimedOutTokens;

impl TokenSource for TimedOutTokens {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, HttpError>> + Send + '_>> {
        Box::pin(async {
            Err(HttpError::new(
                System::EntraId,
                "POST",
                "/token",
                HttpErrorKind::Timeout,
            ))
        })
    }
}

/// A write whose access token could not be had was never sent: whatever the token call
/// met (a timeout here), the write was not applied, so its journal entry may be closed.
#[tokio::test]
async fn a_write_without_a_token_was_never_sent() {
    let server = MockServer::start().await;
    let tokens = Arc::new(TokenCache::new(Box::new(TimedOutTokens)));
    let http = HttpClient::with_tokens(
        HttpSettings {
            retry: fast_policy(2),
            ..HttpSettings::new(System::Graph)
        },
        tokens,
    )
    .unwrap();
    let error = http
        .send(&Call::post(url(&server, "/presence")).idempotent())
        .await
        .unwrap_err();
    assert_eq!(hits(&server).await, 0);
    assert!(!error.maybe_applied(), "{error}");
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer t2"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let (http, fetches) = authorized_client(fast_policy(3));
    http.send(&Call::get(url(&server, "/me"))).await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(hits(&server).await, 2);
    // Later requests use the new token without another fetch.
    http.send(&Call::get(url(&server, "/me"))).await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_token_rejected_twice_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}"#,
        ))
        .mount(&server)
        .await;
    let (http, fetches) = authorized_client(fast_policy(5));
    let error = http
        .send(&Call::get(url(&server, "/me")))
        .await
        .unwrap_err();
    assert_eq!(error.status, Some(401));
    assert_eq!(error.code.as_deref(), Some("InvalidAuthenticationToken"));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(hits(&server).await, 2);
}

/// The error of a JSON read whose answer (200) is `body`.
async fn decode_error(body: &[u8]) -> HttpError {
    let server = MockServer::start().await;
    Mock::given(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.to_vec()))
        .mount(&server)
        .await;
    let http = client(fast_policy(2));
    let error = http
        .send_json::<serde_json::Value>(&Call::get(url(&server, "/v1/users")))
        .await
        .unwrap_err();
    assert!(matches!(error.kind, HttpErrorKind::Decode(_)));
    assert_eq!(error.status, Some(200));
    assert_eq!(error.exit_status(), ExitStatus::Failure);
    error
}

#[tokio::test]
async fn a_malformed_answer_is_a_clear_error_naming_the_path() {
    let line = decode_error(br#"{"value":[{"id":"#).await.to_string();
    assert!(
        line.contains("GET /v1/users") && line.contains("malformed JSON"),
        "{line}"
    );
}

#[tokio::test]
async fn an_answer_that_is_not_utf8_is_a_clear_error_naming_the_byte() {
    let line = decode_error(b"{\"value\":\"caf\xe9\"}").await.to_string();
    assert!(
        line.contains("GET /v1/users") && line.contains("malformed JSON: not UTF-8 at byte 13"),
        "{line}"
    );
}

#[tokio::test]
async fn redirects_to_plain_http_elsewhere_are_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/moved"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("Location", "http://example.com/stolen"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/local"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/landing"))
        .mount(&server)
        .await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = client(fast_policy(2));
    let error = http
        .send(&Call::get(url(&server, "/moved")))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind, HttpErrorKind::InsecureUrl(_)),
        "{error}"
    );
    // A redirect that stays on loopback is followed.
    let response = http.send(&Call::get(url(&server, "/local"))).await.unwrap();
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_never_sent() {
    let http = client(fast_policy(2));
    let error = http
        .send(&Call::get(url::Url::parse("http://example.com/x").unwrap()))
        .await
        .unwrap_err();
    assert!(matches!(error.kind, HttpErrorKind::InsecureUrl(_)));
    assert_eq!(http.stats().attempts, 0);
}

#[tokio::test]
async fn concurrency_is_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let http = HttpClient::new(HttpSettings {
        max_concurrency: 2,
        ..HttpSettings::new(System::Pbx)
    })
    .unwrap();
    let started = Instant::now();
    let calls: Vec<Call> = (0..4)
        .map(|i| Call::get(url(&server, &format!("/{i}"))))
        .collect();
    let results = futures_util::future::join_all(calls.iter().map(|c| http.send(c))).await;
    assert!(results.iter().all(Result::is_ok));
    // Four 200 ms requests, two at a time: two rounds.
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}
