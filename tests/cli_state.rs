//! `mcteams state check | backup | rebind` through the binary against the emulator.

mod e2e;

use e2e::{Estate, desk_phone};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn run_env(estate: &Estate, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let out = estate.run_env(env, args).await;
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_and_backup_tell_a_good_store_from_a_damaged_one() {
    use std::os::unix::fs::PermissionsExt as _;
    let estate = Estate::start(20).await;
    estate.map_and_enable(&estate.pick(3, desk_phone)).await;
    let (code, rows, stderr) = estate.run_json(&["state", "check"]).await;
    assert_eq!(code, 0, "{stderr}");
    let integrity = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "integrity")
        .unwrap_or_else(|| panic!("{rows:#}"));
    assert_eq!(integrity["result"], "ok");

    // A backup: a new file, its owner's only, a store of the same mappings.
    let copy = estate.path("backup.db");
    let copy_s = copy.to_str().unwrap();
    let (code, _, stderr) = run_env(&estate, &[], &["state", "backup", copy_s]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("3 mapped users, integrity checked"),
        "{stderr}"
    );
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let (code, listed, _) = run_env(
        &estate,
        &[],
        &["--state", copy_s, "-o", "csv", "mappings", "list"],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(listed.lines().count(), 4, "{listed}");
    // Never over an existing file.
    let before = std::fs::read(&copy).unwrap();
    let (code, _, stderr) = run_env(&estate, &[], &["state", "backup", copy_s]).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("never over one"), "{stderr}");
    assert!(std::fs::read(&copy).unwrap() == before);

    // A damaged copy: state check names it, exit 78.
    let mut bytes = before.clone();
    // A whole page overwritten, its b-tree header too, as a bad disk would.
    let page = bytes.len() / 4096 / 2;
    bytes[page * 4096..(page + 1) * 4096].fill(0x5a);
    std::fs::write(&copy, &bytes).unwrap();
    let (code, _, stderr) = run_env(&estate, &[], &["--state", copy_s, "state", "check"]).await;
    assert_eq!(code, 78, "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebind_moves_the_store_to_a_micollab_that_moved_and_never_to_another_tenant() {
    let estate = Estate::start(20).await;
    estate.map_and_enable(&estate.pick(2, desk_phone)).await;
    let micollab = estate.micollab_url();
    let mut moved = url::Url::parse(&micollab).unwrap();
    moved.set_port(Some(moved.port().unwrap() + 1)).unwrap();
    let moved = moved.to_string();
    let env = [("MCTEAMS_MICOLLAB_BASE_URL", moved.as_str())];
    // The store records the address as the server it names (loopback as localhost).
    let recorded = |url: &str| {
        url.replace("127.0.0.1", "localhost")
            .trim_end_matches('/')
            .to_string()
    };
    let (code, _, stderr) = run_env(&estate, &env, &["mappings", "list"]).await;
    assert_eq!(code, 78, "{stderr}");

    let (code, _, stderr) = run_env(&estate, &env, &["state", "rebind"]).await;
    assert_eq!(code, 2, "no terminal, no --yes: {stderr}");
    let (code, _, stderr) = run_env(&estate, &env, &["state", "rebind", "--dry-run"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("-> {}", recorded(&moved))),
        "{stderr}"
    );
    let (code, _, _) = run_env(&estate, &env, &["mappings", "list"]).await;
    assert_eq!(code, 78, "a dry run changes nothing");

    // Another tenant is another estate: refused, even with --yes.
    let other = [
        ("MCTEAMS_MICOLLAB_BASE_URL", moved.as_str()),
        (
            "MCTEAMS_GRAPH_TENANT_ID",
            "0b4a7c2e-1111-4222-8333-444455556666",
        ),
    ];
    let (code, _, stderr) = run_env(&estate, &other, &["state", "rebind", "--yes"]).await;
    assert_eq!(code, 78, "{stderr}");
    assert!(
        stderr.contains("another tenant is another estate"),
        "{stderr}"
    );

    let (code, _, stderr) = run_env(&estate, &env, &["state", "rebind", "--yes"]).await;
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run_env(&estate, &env, &["mappings", "list"]).await;
    assert_eq!(code, 0, "{stderr}");
    // The audit trail has it, old -> new.
    let (code, trail, _) = run_env(&estate, &env, &["-o", "json", "history", "--limit", "5"]).await;
    assert_eq!(code, 0);
    let trail: serde_json::Value = serde_json::from_str(&trail).unwrap();
    let row = &trail[0];
    assert_eq!(row["object"], "estate micollab", "{trail:#}");
    assert_eq!(
        row["old"].as_str(),
        Some(recorded(&micollab).as_str()),
        "{row}"
    );
    assert_eq!(
        row["new"].as_str(),
        Some(recorded(&moved).as_str()),
        "{row}"
    );
}
