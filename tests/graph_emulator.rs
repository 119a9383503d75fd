//! The real Graph client against the emulator over real HTTP (issue 4's tests): the
//! certificate credential, throttling, outages, token expiry, chunking, user resolution,
//! batched writes, and secrets kept out of errors and logs. Counts come from the emulator's
//! `/_sim/stats` and the client's own counters, not from the wall clock.

mod sim_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use mcteams::config::Config;
use mcteams::connectors::graph::{CertificateCredential, GraphClient, GraphSettings};
use mcteams::connectors::{MatchedOn, PresenceDirectory, SessionWrite};
use mcteams::http::{HttpErrorKind, RetryPolicy};
use mcteams::wire::graph::{Activity, Availability};
use reqwest::Method;
use serde_json::{Value, json};
use sim_support::{TestSim, sim};

const PRESENCE_READ: &str = "POST /communications/getPresencesByUserId";
const TOKEN: &str = "POST /login/{tenant}/oauth2/v2.0/token";

/// An emulator with its config written to a temporary directory.
struct Rig {
    s: TestSim,
    dir: tempfile::TempDir,
}

impl Rig {
    async fn new(users: u32) -> Rig {
        let s = sim(users).await;
        let dir = tempfile::tempdir().unwrap();
        s.handle
            .write_config(&dir.path().join("config.toml"))
            .unwrap();
        Rig { s, dir }
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// The written config, edited by `edit`.
    fn config(&self, edit: impl FnOnce(String) -> String) -> Config {
        let text = edit(std::fs::read_to_string(self.config_path()).unwrap());
        Config::from_parts(Some(&self.config_path()), &text, |_| None).expect("valid config")
    }

    /// A client exactly as `mcteams --config FILE` builds it (client secret).
    fn client(&self) -> GraphClient {
        GraphClient::from_config(&self.config(|t| t)).unwrap()
    }

    /// A client with short backoff delays (the emulator's 5xx carry no `Retry-After`).
    fn quick_client(&self) -> GraphClient {
        let mut settings = GraphSettings::from_config(&self.config(|t| t)).unwrap();
        settings.retry = RetryPolicy {
            max_attempts: 8,
            budget: Duration::from_secs(30),
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
        };
        GraphClient::new(settings).unwrap()
    }

    async fn object_ids(&self, n: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(n);
        while ids.len() < n {
            let limit = (n - ids.len()).min(10_000);
            let page = self
                .s
                .control(
                    Method::GET,
                    &format!("/users?limit={limit}&offset={}", ids.len()),
                    None,
                )
                .await;
            let items = page.body["items"].as_array().unwrap();
            assert!(!items.is_empty(), "the directory has fewer than {n} users");
            ids.extend(
                items
                    .iter()
                    .map(|u| u["objectId"].as_str().unwrap().to_string()),
            );
        }
        ids
    }

    async fn stats(&self) -> Value {
        self.s.control(Method::GET, "/stats", None).await.body
    }

    async fn reset_stats(&self) {
        self.s.control(Method::DELETE, "/stats", None).await;
    }

    /// Graph requests counted for `endpoint` (route template) with `status`.
    async fn count(&self, endpoint: &str, status: u16) -> u64 {
        self.stats().await["systems"]["graph"]["endpoints"][endpoint][status.to_string()]
            .as_u64()
            .unwrap_or(0)
    }

    async fn fault(&self, body: Value) {
        self.s.control(Method::POST, "/faults", Some(body)).await;
    }
}

/// The written config with the certificate as the credential instead of the secret.
fn with_certificate(text: String) -> String {
    text.replace(
        "\nclient_secret_file = \"graph-secret.txt\"",
        "\n# client_secret_file = \"graph-secret.txt\"",
    )
    .replace(
        "\n# client_certificate_file = \"graph-cert.pem\"",
        "\nclient_certificate_file = \"graph-cert.pem\"",
    )
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------------------------------
// Certificate credential (issue 3)

#[tokio::test]
async fn the_written_certificate_signs_the_client_in_and_presence_is_read() {
    let rig = Rig::new(30).await;
    let pem_path = rig.dir.path().join("graph-cert.pem");
    assert_eq!(mode(&pem_path), 0o600);
    let pem = std::fs::read_to_string(&pem_path).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----") && pem.contains("PRIVATE KEY"));
    // The thumbprint the emulator registered is the one the client computes.
    let (certificate, x5t) = rig.s.handle.graph_certificate().unwrap();
    assert!(pem.starts_with(&certificate));
    let credential = CertificateCredential::from_pem(pem.as_bytes(), "graph-cert.pem").unwrap();
    assert_eq!(credential.x5t(), x5t);

    let config = rig.config(with_certificate);
    assert!(config.file.graph.client_secret_file.is_none());
    let graph = GraphClient::from_config(&config).unwrap();
    let ids = rig.object_ids(30).await;
    let presences = graph.read_presences(&ids).await.unwrap();
    assert_eq!(presences.len(), 30);
    assert_eq!(graph.token_fetches(), 1);
    assert_eq!(rig.count(TOKEN, 200).await, 1);
    assert_eq!(
        graph.token_roles().await.unwrap(),
        ["Presence.ReadWrite.All", "User.Read.All"]
    );
}

#[tokio::test]
async fn an_unregistered_certificate_is_invalid_client_and_the_error_shows_no_key() {
    let rig = Rig::new(5).await;
    let foreign = rig.dir.path().join("foreign.pem");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/graph-app-cert.pem"
        ),
        &foreign,
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&foreign, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let config = rig.config(|t| {
        with_certificate(t).replace(
            "client_certificate_file = \"graph-cert.pem\"",
            "client_certificate_file = \"foreign.pem\"",
        )
    });
    let graph = GraphClient::from_config(&config).unwrap();
    let ids = rig.object_ids(1).await;
    let error = graph.read_presences(&ids).await.unwrap_err();
    assert_eq!(error.status, Some(401), "{error}");
    assert_eq!(error.code.as_deref(), Some("invalid_client"), "{error}");
    assert!(
        matches!(error.kind, HttpErrorKind::CredentialRejected),
        "{error}"
    );
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("AADSTS700027"), "{shown}");
    let key = std::fs::read_to_string(&foreign).unwrap();
    let key_line = key
        .lines()
        .skip_while(|l| !l.contains("PRIVATE KEY"))
        .nth(1)
        .unwrap();
    assert!(!shown.contains(key_line));
    assert_eq!(
        rig.count(TOKEN, 401).await,
        1,
        "a rejected credential is not retried"
    );
}

#[tokio::test]
async fn assertions_are_checked_for_audience_issuer_time_and_signature() {
    let rig = Rig::new(3).await;
    let pem = std::fs::read(rig.dir.path().join("graph-cert.pem")).unwrap();
    let credential = CertificateCredential::from_pem(&pem, "graph-cert.pem").unwrap();
    let c = rig.s.handle.credentials.clone();
    let token_url = format!(
        "{}/login/{}/oauth2/v2.0/token",
        rig.s.handle.base_url, c.tenant_id
    );
    let now = SystemTime::now();
    let hour = Duration::from_secs(3600);
    let ask = |assertion: String| {
        let client_id = c.graph_client_id.clone();
        let s = &rig.s;
        async move {
            s.token_request(&[
                ("client_id", &client_id),
                ("scope", "https://graph.microsoft.com/.default"),
                ("grant_type", "client_credentials"),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", &assertion),
            ])
            .await
        }
    };
    let good = credential
        .assertion(&c.graph_client_id, &token_url, now)
        .unwrap();
    let answer = ask(good.clone()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["token_type"], "Bearer");

    let cases = [
        (
            credential
                .assertion(&c.graph_client_id, "https://login.example/t/token", now)
                .unwrap(),
            700023,
        ),
        (
            credential
                .assertion("00000000-0000-0000-0000-000000000001", &token_url, now)
                .unwrap(),
            700021,
        ),
        (
            credential
                .assertion(&c.graph_client_id, &token_url, now - hour)
                .unwrap(),
            700024,
        ),
        (
            credential
                .assertion(&c.graph_client_id, &token_url, now + hour)
                .unwrap(),
            700024,
        ),
        (
            // The payload changed after signing.
            {
                let parts: Vec<&str> = good.split('.').collect();
                let other = credential
                    .assertion(&c.graph_client_id, &token_url, now + Duration::from_secs(1))
                    .unwrap();
                let other_payload = other.split('.').nth(1).unwrap().to_string();
                format!("{}.{other_payload}.{}", parts[0], parts[2])
            },
            700027,
        ),
    ];
    for (assertion, code) in cases {
        let answer = ask(assertion).await;
        assert_eq!(answer.status, 401, "{code}: {}", answer.body);
        assert_eq!(answer.body["error"], "invalid_client");
        assert_eq!(answer.body["error_codes"], json!([code]));
        assert!(
            answer.body["error_description"]
                .as_str()
                .unwrap()
                .starts_with(&format!("AADSTS{code}: ")),
            "{}",
            answer.body
        );
        assert!(answer.body["trace_id"].is_string() && answer.body["correlation_id"].is_string());
    }
    let answer = ask("not-a-jwt".to_string()).await;
    assert_eq!(answer.status, 400, "{}", answer.body);

    // The emulator's clock is the one assertions are checked against: 11 minutes on, an
    // assertion made now (valid for 10 minutes) has expired.
    rig.s.advance(660.0).await;
    let answer = ask(good).await;
    assert_eq!(
        answer.body["error_codes"],
        json!([700024]),
        "{}",
        answer.body
    );
}

// ---------------------------------------------------------------------------------------
// Throttling, 503s, outages (issue 4)

#[tokio::test]
async fn a_429_storm_is_waited_out_as_retry_after_says() {
    let rig = Rig::new(1300).await;
    let graph = rig.client();
    let ids = rig.object_ids(1300).await;
    graph.read_presences(&ids[..1]).await.unwrap(); // token in hand, connection warm
    rig.reset_stats().await;
    let before = graph.http().stats();

    rig.fault(json!({"system": "graph", "throttle_for_s": 1}))
        .await;
    let presences = graph.read_presences(&ids).await.unwrap();
    assert_eq!(presences.len(), 1300);

    let after = graph.http().stats();
    let throttled = after.throttled - before.throttled;
    // Both chunks were sent at once and refused; the client then paused every request for
    // the Retry-After (1 s), by which time the storm was over: one 429 per chunk, no more.
    assert_eq!(rig.count(PRESENCE_READ, 429).await, 2);
    assert_eq!(throttled, 2);
    assert_eq!(rig.count(PRESENCE_READ, 200).await, 2);
    assert_eq!(after.attempts - before.attempts, 4);
    assert_eq!(after.retries - before.retries, 2);
    assert!(
        after.waited - before.waited >= Duration::from_secs(2),
        "each retried chunk waited the full Retry-After: {:?}",
        after.waited - before.waited
    );
}

#[tokio::test]
async fn batched_writes_inside_a_storm_are_retried_after_the_inner_retry_after() {
    let rig = Rig::new(40).await;
    let graph = rig.client();
    let ids = rig.object_ids(25).await;
    graph.read_presences(&ids[..1]).await.unwrap();
    rig.reset_stats().await;
    rig.fault(json!({"system": "graph", "throttle_for_s": 1}))
        .await;
    let writes: Vec<SessionWrite> = ids
        .iter()
        .map(|id| SessionWrite::Set {
            user_id: id.clone(),
            availability: Availability::Busy,
            activity: Activity::InACall,
            ttl: Duration::from_secs(3600),
        })
        .collect();
    let outcomes = graph.write_sessions(&writes).await;
    assert_eq!(outcomes.len(), 25);
    for outcome in &outcomes {
        assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    }
    // 25 writes = 2 batches, each answered 200 with every inner request 429 (Retry-After:
    // 1); one second later the 25 go again in 2 batches and are applied.
    assert_eq!(rig.count("POST /$batch", 200).await, 4);
    let set = "POST /users/{id}/presence/setPresence";
    assert_eq!(rig.count(set, 429).await, 25);
    assert_eq!(rig.count(set, 200).await, 25);
}

#[tokio::test]
async fn random_503s_are_retried_until_every_chunk_is_read() {
    let rig = Rig::new(6500).await;
    let graph = rig.quick_client();
    let ids = rig.object_ids(6500).await;
    graph.read_presences(&ids[..1]).await.unwrap();
    rig.reset_stats().await;
    let before = graph.http().stats();
    rig.fault(json!({"system": "graph", "error_rate": 0.3, "error_status": 503}))
        .await;
    let presences = graph.read_presences(&ids).await.unwrap();
    assert_eq!(presences.len(), 6500);
    let after = graph.http().stats();
    let failed = rig.count(PRESENCE_READ, 503).await;
    assert!(failed > 0, "the fault injected 503s");
    assert_eq!(
        rig.count(PRESENCE_READ, 200).await,
        10,
        "one success per chunk"
    );
    assert_eq!(after.retries - before.retries, failed, "one retry per 503");
    assert_eq!(after.attempts - before.attempts, 10 + failed);
}

#[tokio::test]
async fn a_short_outage_is_survived_once_it_is_cleared() {
    let rig = Rig::new(700).await;
    let graph = rig.client();
    let ids = rig.object_ids(700).await;
    graph.read_presences(&ids[..1]).await.unwrap();
    rig.reset_stats().await;
    rig.fault(json!({"system": "graph", "outage": true, "retry_after_s": 1}))
        .await;
    let reader = {
        let graph = graph.clone();
        let ids = ids.clone();
        tokio::spawn(async move { graph.read_presences(&ids).await })
    };
    // The outage ends once the emulator has refused both chunks.
    while rig.count(PRESENCE_READ, 503).await < 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    rig.s.control(Method::DELETE, "/faults", None).await;
    let presences = reader.await.unwrap().unwrap();
    assert_eq!(presences.len(), 700);
    assert_eq!(rig.count(PRESENCE_READ, 503).await, 2);
    assert_eq!(rig.count(PRESENCE_READ, 200).await, 2);
}

#[tokio::test]
async fn an_outage_longer_than_the_retry_budget_fails_clearly() {
    let rig = Rig::new(10).await;
    let graph = rig.quick_client();
    let ids = rig.object_ids(10).await;
    graph.read_presences(&ids).await.unwrap();
    rig.fault(json!({"system": "graph", "outage": true, "retry_after_s": 0.01}))
        .await;
    let error = graph.read_presences(&ids).await.unwrap_err();
    assert!(
        matches!(error.kind, HttpErrorKind::GaveUp { attempts: 8, .. }),
        "{error}"
    );
    assert_eq!(error.status, Some(503));
    assert_eq!(error.code.as_deref(), Some("ServiceUnavailable"));
    assert!(
        error.request_id.is_some(),
        "the request-id is kept: {error}"
    );
}

// ---------------------------------------------------------------------------------------
// Tokens

#[tokio::test]
async fn a_token_expiring_mid_run_is_refreshed_exactly_once() {
    let rig = Rig::new(2000).await;
    let graph = rig.client();
    let ids = rig.object_ids(2000).await;
    rig.s
        .control(
            Method::POST,
            "/graph/tokens",
            Some(json!({"lifetime_s": 600})),
        )
        .await;
    graph.read_presences(&ids).await.unwrap();
    assert_eq!(graph.token_fetches(), 1);

    // Ten minutes pass on the emulator's clock: the token has expired, the client does not
    // know yet (its own clock says it has minutes left). Four chunks meet the 401 at once.
    rig.s.advance(601.0).await;
    rig.reset_stats().await;
    let presences = graph.read_presences(&ids).await.unwrap();
    assert_eq!(presences.len(), 2000);
    assert_eq!(graph.token_fetches(), 2, "one refresh for all four chunks");
    assert_eq!(rig.count(TOKEN, 200).await, 1);
    assert_eq!(rig.count(PRESENCE_READ, 200).await, 4);
    assert_eq!(rig.count(PRESENCE_READ, 401).await, 4);

    // Revoked tokens: the same, once.
    rig.s.control(Method::DELETE, "/graph/tokens", None).await;
    graph.read_presences(&ids).await.unwrap();
    assert_eq!(graph.token_fetches(), 3);
}

#[tokio::test]
async fn a_warm_up_racing_the_first_reads_fetches_one_token_they_share() {
    let rig = Rig::new(2000).await;
    let ids = rig.object_ids(2000).await;
    // Alone, a warm-up gets the token; the reads after it ask for none.
    let graph = rig.client();
    graph.warm_up().await;
    assert_eq!(graph.token_fetches(), 1);
    assert_eq!(rig.count(TOKEN, 200).await, 1);
    graph.read_presences(&ids).await.unwrap();
    graph.warm_up().await;
    assert_eq!(graph.token_fetches(), 1);

    // As a sync cycle does: the warm-up starts first, the reads follow before it is done,
    // and all of them wait for the one fetch.
    rig.reset_stats().await;
    let graph = rig.client();
    let (_, presences) = tokio::join!(graph.warm_up(), graph.read_presences(&ids));
    assert_eq!(presences.unwrap().len(), 2000);
    assert_eq!(graph.token_fetches(), 1);
    assert_eq!(rig.count(TOKEN, 200).await, 1);
}

// ---------------------------------------------------------------------------------------
// Chunking

#[tokio::test]
async fn six_hundred_fifty_one_ids_take_two_calls() {
    let rig = Rig::new(651).await;
    let graph = rig.client();
    let ids = rig.object_ids(651).await;
    let presences = graph.read_presences(&ids).await.unwrap();
    assert_eq!(presences.len(), 651);
    assert_eq!(rig.count(PRESENCE_READ, 200).await, 2);
    assert_eq!(rig.count(PRESENCE_READ, 400).await, 0);
    assert_eq!(graph.http().stats().attempts, 2);
}

// ---------------------------------------------------------------------------------------
// Users and writes

#[tokio::test]
async fn users_resolve_by_upn_then_mail_through_encoded_filters_in_a_batch() {
    let rig = Rig::new(2000).await;
    let graph = rig.client();
    let users = rig
        .s
        .control(Method::GET, "/users?limit=2000", None)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    // 36 people by UPN, 4 whose mail is not their UPN by mail, and one nobody has.
    let by_mail: Vec<&Value> = users
        .iter()
        .filter(|u| u["mail"] != u["upn"])
        .take(4)
        .collect();
    assert_eq!(
        by_mail.len(),
        4,
        "the directory has users whose mail is not their UPN"
    );
    let mut names: Vec<String> = users
        .iter()
        .filter(|u| u["mail"] == u["upn"])
        .take(36)
        .map(|u| u["upn"].as_str().unwrap().to_uppercase())
        .collect();
    names.extend(
        by_mail
            .iter()
            .map(|u| u["mail"].as_str().unwrap().to_string()),
    );
    names.push("o'brien+test@contoso.com".to_string());

    let resolution = graph.resolve_users(&names).await.unwrap();
    assert_eq!(resolution.not_found, ["o'brien+test@contoso.com"]);
    assert_eq!(resolution.found.len(), 40);
    for user in &by_mail {
        let found = &resolution.found[user["mail"].as_str().unwrap()];
        assert_eq!(found.matched_on, MatchedOn::Mail);
        assert_eq!(found.user.id, user["objectId"].as_str().unwrap());
    }
    let upn = users[0]["upn"].as_str().unwrap();
    if let Some(found) = resolution.found.get(&upn.to_uppercase()) {
        assert_eq!(found.matched_on, MatchedOn::UserPrincipalName);
    }
    // 41 names: the count (2000 users = 3 pages vs 3 filters: a tie keeps the filter), the
    // UPN pass as 3 filters in one $batch, then the 5 left over by mail in one filter.
    assert_eq!(rig.count("GET /users/$count", 200).await, 1);
    assert_eq!(rig.count("POST /$batch", 200).await, 1);
    assert_eq!(rig.count("GET /users", 200).await, 4);
    assert_eq!(rig.count("GET /users", 400).await, 0);
}

#[tokio::test]
async fn users_resolve_by_paging_when_the_directory_is_small_for_what_is_wanted() {
    let rig = Rig::new(2500).await;
    let graph = rig.client();
    let users = rig
        .s
        .control(Method::GET, "/users?limit=200", None)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<String> = users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let key = if i % 2 == 0 { "mail" } else { "upn" };
            u[key].as_str().unwrap().to_string()
        })
        .collect();
    let resolution = graph.resolve_users(&names).await.unwrap();
    assert!(
        resolution.not_found.is_empty(),
        "{:?}",
        resolution.not_found
    );
    assert_eq!(resolution.found.len(), 200);
    let mails = resolution
        .found
        .values()
        .filter(|f| f.matched_on == MatchedOn::Mail)
        .count();
    assert!(mails > 0, "some were found by mail only");
    // 200 names = 14 filters; 2500 users = 3 pages of 999, followed by @odata.nextLink.
    assert_eq!(rig.count("GET /users/$count", 200).await, 1);
    assert_eq!(rig.count("GET /users", 200).await, 3);
    assert_eq!(rig.count("POST /$batch", 200).await, 0);
}

#[tokio::test]
async fn batched_session_writes_show_in_the_users_sessions_and_clears_are_idempotent() {
    let rig = Rig::new(60).await;
    let graph = rig.client();
    let users = rig
        .s
        .control(Method::GET, "/users?limit=30", None)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    let writes: Vec<SessionWrite> = users
        .iter()
        .map(|u| SessionWrite::Set {
            user_id: u["objectId"].as_str().unwrap().to_string(),
            availability: Availability::DoNotDisturb,
            activity: Activity::Presenting,
            ttl: Duration::from_secs(4 * 3600),
        })
        .collect();
    let before = graph.http().stats();
    for outcome in graph.write_sessions(&writes).await {
        assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    }
    assert_eq!(
        rig.count("POST /$batch", 200).await,
        2,
        "30 writes in 2 batches"
    );
    let after = graph.http().stats();
    assert_eq!(after.attempts - before.attempts, 2);
    assert_eq!(
        graph.requests_sent(),
        after.counted,
        "the summary counts requests as Graph's limit does"
    );
    assert_eq!(
        after.counted - before.counted,
        30,
        "a batch is its requests"
    );
    let client_id = rig.s.handle.credentials.graph_client_id.to_lowercase();
    for u in &users {
        let view = rig
            .s
            .control(
                Method::GET,
                &format!("/users/{}", u["upn"].as_str().unwrap()),
                None,
            )
            .await
            .body;
        let sessions = view["teams"]["sessions"].as_array().unwrap();
        let ours = sessions
            .iter()
            .find(|s| s["sessionId"] == client_id.as_str())
            .unwrap_or_else(|| panic!("no app session: {view}"));
        assert_eq!(ours["availability"], "DoNotDisturb");
        assert_eq!(ours["activity"], "Presenting");
        assert_eq!(view["teams"]["presence"]["availability"], "DoNotDisturb");
    }
    // Clear them all, twice: the second time every clear answers 404, which means done.
    let clears: Vec<SessionWrite> = users
        .iter()
        .map(|u| SessionWrite::Clear {
            user_id: u["objectId"].as_str().unwrap().to_string(),
        })
        .collect();
    for _ in 0..2 {
        for outcome in graph.write_sessions(&clears).await {
            assert!(outcome.result.is_ok(), "{:?}", outcome.result);
        }
    }
    let clear = "POST /users/{id}/presence/clearPresence";
    assert_eq!(rig.count(clear, 200).await, 30);
    assert_eq!(rig.count(clear, 404).await, 30);
    let view = rig
        .s
        .control(
            Method::GET,
            &format!("/users/{}", users[0]["upn"].as_str().unwrap()),
            None,
        )
        .await
        .body;
    assert!(
        !view["teams"]["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["sessionId"] == client_id.as_str())
    );
}

// ---------------------------------------------------------------------------------------
// Secrets

/// Collects every log line written while a test runs (current-thread runtime).
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_an_error_or_a_log_line() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let rig = Rig::new(700).await;
    let secret = rig.s.handle.credentials.graph_client_secret.clone();
    let key_pem = std::fs::read_to_string(rig.dir.path().join("graph-cert.pem")).unwrap();
    let key_lines: Vec<&str> = key_pem
        .lines()
        .skip_while(|l| !l.contains("PRIVATE KEY"))
        .skip(1)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let ids = rig.object_ids(700).await;
    let mut texts = Vec::new();

    // The certificate credential.
    let cert = GraphClient::from_config(&rig.config(with_certificate)).unwrap();
    cert.read_presences(&ids[..3]).await.unwrap();
    texts.push(format!("{cert:?}"));

    // A run with everything going wrong once: a 429 storm, an expired token, 503s.
    let graph = rig.quick_client();
    rig.fault(json!({"system": "graph", "throttle_for_s": 1}))
        .await;
    graph.read_presences(&ids).await.unwrap();
    rig.s.control(Method::DELETE, "/faults", None).await;
    rig.s.advance(3600.0).await;
    rig.fault(json!({"system": "graph", "error_rate": 0.5, "error_status": 503}))
        .await;
    graph.read_presences(&ids).await.unwrap();
    rig.s.control(Method::DELETE, "/faults", None).await;
    texts.push(format!("{graph:?}"));

    // A refused secret, and a refused certificate (the emulator's clock is an hour ahead
    // now, so a fresh assertion looks expired to it).
    let wrong_secret = rig.dir.path().join("wrong-secret.txt");
    std::fs::write(&wrong_secret, format!("{secret}-but-wrong")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrong_secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let refused = GraphClient::from_config(
        &rig.config(|t| t.replace("\"graph-secret.txt\"", "\"wrong-secret.txt\"")),
    )
    .unwrap();
    let error = refused.read_presences(&ids[..1]).await.unwrap_err();
    assert!(
        matches!(error.kind, HttpErrorKind::CredentialRejected),
        "{error}"
    );
    texts.push(format!("{error} {error:?}"));
    let cert = GraphClient::from_config(&rig.config(with_certificate)).unwrap();
    let error = cert.read_presences(&ids[..1]).await.unwrap_err();
    assert_eq!(error.status, Some(401), "{error}");
    assert!(format!("{error}").contains("AADSTS700024"), "{error}");
    texts.push(format!("{error} {error:?}"));

    drop(_guard);
    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("retrying"), "the logs were captured");
    assert!(log.contains("refreshing it once"), "the 401 was logged");
    texts.push(log);
    for text in &texts {
        assert!(!text.contains(&secret), "the client secret leaked: {text}");
        // Every token the emulator issues is a JWT, which starts with "eyJ".
        assert!(
            !text.contains("eyJ"),
            "a token or an assertion leaked: {text}"
        );
        for line in &key_lines {
            assert!(!text.contains(line), "the private key leaked: {text}");
        }
    }
}

#[tokio::test]
async fn a_hundred_thousand_ids_take_154_calls_and_no_429() {
    let rig = Rig::new(100_000).await;
    let graph = rig.client();
    let ids = rig.object_ids(100_000).await;
    let presences = graph.read_presences(&ids).await.unwrap();
    assert_eq!(presences.len(), 100_000);
    assert_eq!(rig.count(PRESENCE_READ, 200).await, 154);
    assert_eq!(rig.count(PRESENCE_READ, 429).await, 0);
    let stats = graph.http().stats();
    assert_eq!((stats.attempts, stats.throttled), (154, 0));
    assert_eq!(graph.token_fetches(), 1);
}
