//! TLS: a loopback HTTPS server whose certificate comes from a CA made in the test is
//! trusted with `ca_file` and refused without it (no retry, a configuration error).

mod tls_support;

use mcteams::exit::{ExitCode, ExitStatus};
use mcteams::http::{Call, HttpClient, HttpErrorKind, HttpSettings, System};
use tls_support::{client, https_server};

#[tokio::test]
async fn a_private_ca_is_trusted_through_ca_file_only() {
    let (port, ca_pem) = https_server().await;
    let url = url::Url::parse(&format!("https://localhost:{port}/api/version")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();

    let trusted = client(Some(ca_file));
    let response = trusted.send(&Call::get(url.clone())).await.unwrap();
    assert_eq!(&response.body[..], b"ok");

    let untrusted = client(None);
    let error = untrusted.send(&Call::get(url)).await.unwrap_err();
    assert!(matches!(error.kind, HttpErrorKind::Tls(_)), "{error}");
    assert!(error.to_string().contains("ca_file"), "{error}");
    assert_eq!(error.exit_status(), ExitStatus::Config);
    assert_eq!(
        untrusted.stats().attempts,
        1,
        "a refused certificate is not retried"
    );
}

#[test]
fn an_unusable_ca_file_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, "not a certificate").unwrap();
    let error = HttpClient::new(HttpSettings {
        ca_file: Some(ca_file),
        ..HttpSettings::new(System::Pbx)
    })
    .unwrap_err();
    assert!(
        error.message.starts_with("pbx.ca_file:"),
        "{}",
        error.message
    );
    let missing = HttpClient::new(HttpSettings {
        ca_file: Some(dir.path().join("absent.pem")),
        ..HttpSettings::new(System::Pbx)
    })
    .unwrap_err();
    assert!(
        missing.message.contains("cannot read"),
        "{}",
        missing.message
    );
}
