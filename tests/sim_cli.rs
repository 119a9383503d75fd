//! `mcteams sim serve` as a process: the ready line, `--write-config`, SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn serve_writes_a_config_that_config_check_accepts_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sim").join("config.toml");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("mcteams"))
        .args([
            "sim",
            "serve",
            "--users",
            "20",
            "--seed",
            "5",
            "--write-config",
        ])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut base = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("ready ") {
            base = Some(url.to_string());
            break;
        }
    }
    let base = base.expect("a ready line");
    assert!(base.starts_with("http://127.0.0.1:"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in [
            "graph-secret.txt",
            "micollab-password.txt",
            "pbx-password.txt",
            "cloudlink-secret.txt",
            "graph-cert.pem",
        ] {
            let mode = std::fs::metadata(config.parent().unwrap().join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains(&format!("base_url = \"{base}/graph/v1.0\"")));
    // The secret is the active credential; the certificate is offered in a comment.
    assert!(text.contains("\nclient_secret_file = \"graph-secret.txt\""));
    assert!(text.contains("\n# client_certificate_file = \"graph-cert.pem\""));
    assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("mcteams"))
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .env_remove("MCTEAMS_STATE")
        .assert()
        .success();

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn serve_refuses_a_non_loopback_listen_address() {
    assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("mcteams"))
        .args(["sim", "serve", "--listen", "0.0.0.0:0"])
        .assert()
        .code(2);
}
