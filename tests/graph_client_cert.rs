//! The certificate credential: built from the config, the client assertion it sends has the
//! documented header and claims and verifies against the certificate's public key.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mcteams::config::Config;
use mcteams::connectors::PresenceDirectory;
use mcteams::connectors::graph::{
    AssertionClaims, CertificateCredential, GraphClient, JWT_BEARER_ASSERTION,
};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde_json::json;
use sha1::{Digest, Sha1};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/graph-app-cert.pem"
);
const TENANT: &str = "contoso-tenant";
const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// The fixture copied to a private file (git does not keep the 0600 mode the config asks for).
fn private_copy(dir: &Path) -> PathBuf {
    let target = dir.join("app.pem");
    std::fs::copy(FIXTURE, &target).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    target
}

fn certificate_der() -> Vec<u8> {
    CertificateDer::pem_file_iter(FIXTURE)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn the_client_assertion_is_signed_by_the_certificates_key() {
    let server = MockServer::start().await;
    let token_path = format!("/{TENANT}/oauth2/v2.0/token");
    let payload = URL_SAFE_NO_PAD.encode(br#"{"roles":["User.Read.All"]}"#);
    Mock::given(method("POST"))
        .and(path(token_path.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 4_000, "access_token": format!("h.{payload}.s")
        })))
        .mount(&server)
        .await;

    let dir = tempfile::tempdir().unwrap();
    let pem = private_copy(dir.path());
    let config_text = format!(
        "[graph]\ntenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT_ID}\"\n\
         client_certificate_file = \"{}\"\nauthority_url = \"{}\"\nbase_url = \"{}/v1.0\"\n",
        pem.display(),
        server.uri(),
        server.uri()
    );
    let config = Config::from_parts(None, &config_text, |_| None).unwrap();
    let graph = GraphClient::from_config(&config).unwrap();

    // doctor's view: the roles the admin consented.
    assert_eq!(graph.token_roles().await.unwrap(), ["User.Read.All"]);

    let requests = server.received_requests().await.unwrap();
    let form: HashMap<String, String> = url::form_urlencoded::parse(&requests[0].body)
        .into_owned()
        .collect();
    assert_eq!(form["client_assertion_type"], JWT_BEARER_ASSERTION);
    assert_eq!(form["grant_type"], "client_credentials");
    assert!(!form.contains_key("client_secret"));
    let assertion = &form["client_assertion"];

    let header = jsonwebtoken::decode_header(assertion).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let der = certificate_der();
    assert_eq!(
        header.x5t.as_deref(),
        Some(URL_SAFE_NO_PAD.encode(Sha1::digest(&der)).as_str())
    );

    // The certificate's own public key (jsonwebtoken reads it out of a CERTIFICATE block).
    let encoded = base64::engine::general_purpose::STANDARD.encode(&der);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    let certificate_pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    );
    let public_key = jsonwebtoken::DecodingKey::from_rsa_pem(certificate_pem.as_bytes()).unwrap();
    let token_url = format!("{}{token_path}", server.uri());
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[token_url.as_str()]);
    validation.set_issuer(&[CLIENT_ID]);
    let claims = jsonwebtoken::decode::<AssertionClaims>(assertion, &public_key, &validation)
        .expect("the assertion verifies against the certificate's public key")
        .claims;
    assert_eq!(claims.sub, CLIENT_ID);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(claims.nbf <= now && claims.exp > now && claims.exp - claims.nbf <= 3_600);
    assert!(uuid::Uuid::parse_str(&claims.jti).is_ok());
}

#[test]
fn each_assertion_is_unique() {
    let credential =
        CertificateCredential::from_pem(&std::fs::read(FIXTURE).unwrap(), "test").unwrap();
    let now = SystemTime::now();
    let a = credential.assertion(CLIENT_ID, "https://x/t", now).unwrap();
    let b = credential.assertion(CLIENT_ID, "https://x/t", now).unwrap();
    assert_ne!(a, b, "jti differs");
    assert!(!format!("{credential:?}").contains("PRIVATE"));
}

#[test]
fn a_pem_without_its_key_is_a_configuration_error_that_shows_no_key() {
    let full = std::fs::read_to_string(FIXTURE).unwrap();
    let cert_only = &full[..full.find("-----BEGIN PRIVATE KEY-----").unwrap()];
    let error =
        CertificateCredential::from_pem(cert_only.as_bytes(), "graph.client_certificate_file")
            .unwrap_err();
    assert!(
        error.message.contains("no private key"),
        "{}",
        error.message
    );
    let key_only = &full[full.find("-----BEGIN PRIVATE KEY-----").unwrap()..];
    let error = CertificateCredential::from_pem(key_only.as_bytes(), "f").unwrap_err();
    assert!(
        error.message.contains("no CERTIFICATE"),
        "{}",
        error.message
    );
    let key_body = key_only.lines().nth(1).unwrap();
    assert!(!error.message.contains(key_body));
}
