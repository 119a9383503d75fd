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
