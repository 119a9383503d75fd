//! TLS against the OS trust store and a `ca_file` together, as the README promises: a
//! server whose CA the OS trusts and one whose CA only `ca_file` names are both reached by
//! one client; without `ca_file` only the first. The OS store is read from `SSL_CERT_FILE`
//! (the OpenSSL convention rustls-native-certs follows), set before any client is built.
//! One test in its own binary: the variable is the process's, and the store is read once.

mod tls_support;

use mcteams::http::Call;
use tls_support::{client, https_server};

#[tokio::test]
async fn the_os_trust_store_and_a_ca_file_are_trusted_together() {
    let (os_port, os_ca) = https_server().await;
    let (private_port, private_ca) = https_server().await;
    let dir = tempfile::tempdir().unwrap();
    let os_store = dir.path().join("os-store.pem");
    std::fs::write(&os_store, os_ca).unwrap();
    let ca_file = dir.path().join("private-ca.pem");
    std::fs::write(&ca_file, private_ca).unwrap();
    // SAFETY: the only test of this binary, before any client reads the store.
    unsafe { std::env::set_var("SSL_CERT_FILE", &os_store) };
    let url = |port: u16| url::Url::parse(&format!("https://localhost:{port}/")).unwrap();

    let both = client(Some(ca_file));
    for port in [os_port, private_port] {
        let answer = both.send(&Call::get(url(port))).await;
        assert!(answer.is_ok(), "port {port}: {:?}", answer.err());
    }
    let os_only = client(None);
    assert!(os_only.send(&Call::get(url(os_port))).await.is_ok());
    let refused = os_only
        .send(&Call::get(url(private_port)))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("ca_file"), "{refused}");
}
