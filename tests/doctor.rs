//! `mcteams doctor` through the binary against an in-process emulator: every check green,
//! a missing Graph permission, a MiCollab below R9.8 SP1, a broken config, `-o json`.

mod mitel_common;

use mitel_common::Rig;
use reqwest::Method;
use serde_json::{Value, json};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Vec<Value> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// Runs the binary off the async runtime (the emulator keeps serving meanwhile).
async fn doctor(rig: &Rig, args: &[&str]) -> Run {
    doctor_of(rig, &rig.dir.path().join("state.db"), args).await
}

/// As [`doctor`], with the state store at `state`.
async fn doctor_of(rig: &Rig, state: &std::path::Path, args: &[&str]) -> Run {
    let config = rig.config_path();
    let state = state.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("mcteams"))
            .arg("--config")
            .arg(&config)
            .arg("--state")
            .arg(&state)
            .args(&args)
            .env_remove("MCTEAMS_CONFIG")
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    })
    .await
    .unwrap()
}

fn row<'a>(rows: &'a [Value], system: &str, check: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["system"] == system && r["check"] == check)
        .unwrap_or_else(|| panic!("no {system}/{check} row in {rows:#?}"))
}

fn secrets(rig: &Rig) -> Vec<String> {
    let c = &rig.sim.handle.credentials;
    vec![
        c.graph_client_secret.clone(),
        c.micollab_password.clone(),
        c.pbx_password.clone(),
        c.cloudlink_client_secret.clone(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn all_green_against_the_emulator_exits_0_with_the_json_shape() {
    let rig = Rig::new(20).await;
    let run = doctor(&rig, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let rows = run.json();
    for row in &rows {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["system", "check", "result", "detail", "hint"]);
        assert!(row["result"] == "ok" || row["result"] == "warn", "{row:#}");
    }
    for system in ["micollab", "pbx", "cloudlink", "graph"] {
        for check in ["reachable", "tls", "credentials", "clock"] {
            assert_eq!(
                row(&rows, system, check)["result"],
                "ok",
                "{system}/{check}"
            );
        }
    }
    assert_eq!(row(&rows, "micollab", "version")["result"], "ok");
    assert_eq!(row(&rows, "micollab", "pbx type")["result"], "ok");
    assert_eq!(row(&rows, "pbx", "pbx type")["result"], "ok");
    assert_eq!(row(&rows, "graph", "permissions")["result"], "ok");
    assert_eq!(row(&rows, "graph", "presence read")["result"], "ok");
    assert_eq!(row(&rows, "cloudlink", "presence read")["result"], "ok");
    for secret in secrets(&rig) {
        assert!(!run.stdout.contains(&secret) && !run.stderr.contains(&secret));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_store_is_checked_without_being_created_or_changed() {
    use std::os::unix::fs::PermissionsExt;
    let rig = Rig::new(5).await;
    let path = rig.dir.path().join("data/state.db");
    let result = |run: &Run, check: &str| row(&run.json(), "state", check)["result"].clone();

    // None yet: told, and not created.
    std::fs::create_dir(path.parent().unwrap()).unwrap();
    let run = doctor_of(&rig, &path, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.json();
    let store = row(&rows, "state", "store");
    assert!(
        store["detail"].as_str().unwrap().contains("none yet"),
        "{store}"
    );
    assert!(!path.exists());

    // A new store is its owner's alone; with no mappings, sync would check nobody.
    drop(mcteams::store::Store::open(&path, None).unwrap());
    let run = doctor_of(&rig, &path, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(result(&run, "store"), "ok");
    assert_eq!(result(&run, "writable"), "ok");
    assert_eq!(result(&run, "permissions"), "ok");
    assert_eq!(result(&run, "mappings"), "warn");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = doctor_of(&rig, &path, &["-o", "json", "doctor"]).await;
    let rows = run.json();
    let open = row(&rows, "state", "permissions");
    assert_eq!(open["result"], "warn");
    assert!(open["detail"].as_str().unwrap().contains("0644"), "{open}");

    // A newer build's store, a directory, a foreign file: exit 78, the file named.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let foreign = rig.dir.path().join("notes.txt");
    std::fs::write(
        &foreign,
        "shopping list: milk, eggs, and a database that is not one",
    )
    .unwrap();
    for (state, says) in [
        (path.as_path(), "newer mcteams"),
        (rig.dir.path(), "it is a directory"),
        (foreign.as_path(), "not an mcteams store"),
    ] {
        let run = doctor_of(&rig, state, &["-o", "json", "doctor"]).await;
        assert_eq!(run.code, 78, "{}", run.stderr);
        let rows = run.json();
        let store = row(&rows, "state", "store");
        assert_eq!(store["result"], "fail");
        assert!(store["detail"].as_str().unwrap().contains(says), "{store}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_check_sets_and_clears_a_session() {
    let rig = Rig::new(10).await;
    let upn = rig.users(1).await[0]["upn"].as_str().unwrap().to_string();
    let run = doctor(&rig, &["-o", "json", "doctor", "--write-check", &upn]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let rows = run.json();
    assert_eq!(row(&rows, "graph", "write check")["result"], "ok");
    let view = rig
        .control(Method::GET, &format!("/users/{upn}"), None)
        .await
        .body;
    assert!(
        !view["teams"].to_string().contains("InACall"),
        "the test session is cleared: {:#}",
        view["teams"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_graph_permission_fails_naming_it() {
    let rig = Rig::new(10).await;
    rig.control(
        Method::POST,
        "/graph/roles",
        Some(json!({"roles": ["Presence.ReadWrite.All"]})),
    )
    .await;
    let run = doctor(&rig, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let permissions = row(&run.json(), "graph", "permissions").clone();
    assert_eq!(permissions["result"], "fail");
    assert!(
        permissions["detail"]
            .as_str()
            .unwrap()
            .contains("User.Read.All"),
        "{permissions:#}"
    );
    assert!(
        permissions["hint"]
            .as_str()
            .unwrap()
            .contains("admin consent")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_micollab_below_r98_sp1_fails_with_found_and_needed() {
    let rig = Rig::new(10).await;
    rig.control(
        Method::POST,
        "/micollab/system",
        Some(json!({"version": "9.8.0.33"})),
    )
    .await;
    let run = doctor(&rig, &["doctor"]).await;
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("found 9.8.0.33, need 9.8.1"),
        "{}",
        run.stdout
    );
    let json = doctor(&rig, &["-o", "json", "doctor"]).await;
    let version = row(&json.json(), "micollab", "version").clone();
    assert_eq!(version["result"], "fail");
    assert_eq!(row(&json.json(), "micollab", "pbx type")["result"], "ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_config_exits_78() {
    let rig = Rig::new(5).await;
    // The PBX password file is gone: the config names a secret that cannot be read.
    std::fs::remove_file(rig.dir.path().join("pbx-password.txt")).unwrap();
    let run = doctor(&rig, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 78, "{}\n{}", run.stdout, run.stderr);
    let config = row(&run.json(), "pbx", "config").clone();
    assert_eq!(config["result"], "fail");
    assert!(
        config["detail"]
            .as_str()
            .unwrap()
            .contains("pbx.password_file")
    );
    // The other systems are still checked.
    assert_eq!(row(&run.json(), "micollab", "credentials")["result"], "ok");

    // A file that is not a config at all: 78 before any check.
    std::fs::write(rig.config_path(), "[micollab\n").unwrap();
    let run = doctor(&rig, &["doctor"]).await;
    assert_eq!(run.code, 78, "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_credentials_fail_the_credentials_check_without_showing_them() {
    let rig = Rig::new(5).await;
    let wrong = "wrong-password-never-shown";
    let file = rig.dir.path().join("micollab-password.txt");
    std::fs::write(&file, wrong).unwrap();
    let run = doctor(&rig, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let credentials = row(&run.json(), "micollab", "credentials").clone();
    assert_eq!(credentials["result"], "fail");
    assert!(
        credentials["detail"]
            .as_str()
            .unwrap()
            .contains("InvalidCredentials"),
        "{credentials:#}"
    );
    assert_eq!(row(&run.json(), "micollab", "reachable")["result"], "ok");
    assert!(!run.stdout.contains(wrong) && !run.stderr.contains(wrong));
}

/// The store's file as bytes, to show a command left it as it was.
fn bytes_of(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_no_command_can_use_is_named_by_config_check_and_never_written() {
    let rig = Rig::new(5).await;
    let stated = |run: &Run, code: i32, says: &str| {
        assert_eq!(run.code, code, "{}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
    };

    // An explicit --state in a directory that is not there (a volume not mounted): named,
    // and the directory is not created.
    let unmounted = rig.dir.path().join("not-mounted/state.db");
    for args in [&["config", "check"][..], &["mappings", "list"]] {
        let run = doctor_of(&rig, &unmounted, args).await;
        stated(&run, 78, "not-mounted does not exist");
    }
    let run = doctor_of(&rig, &unmounted, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert_eq!(row(&run.json(), "state", "store")["result"], "fail");
    assert!(!unmounted.parent().unwrap().exists());

    // A damaged store: no command writes to it, and each says it is damaged.
    let state = rig.dir.path().join("state.db");
    let rows: String = (0..2_000)
        .map(|i| format!("user{i},user{i}@contoso.com,,{}\n", 10_000 + i))
        .collect();
    let csv = rig.dir.path().join("users.csv");
    std::fs::write(
        &csv,
        format!("micollab_login,teams_upn,teams_id,extension\n{rows}"),
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let run = doctor_of(&rig, &state, &["import", csv, "--offline", "--yes"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = doctor_of(&rig, &state, &["config", "check"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // One page of the mappings' index, overwritten as a bad disk would: an import does not
    // read it, SQLite's check does.
    let mut bytes = bytes_of(&state);
    bytes[5 * 4096 + 100..6 * 4096 - 100].fill(0x5a);
    std::fs::write(&state, &bytes).unwrap();
    let more = rig.dir.path().join("more.csv");
    std::fs::write(
        &more,
        "micollab_login,teams_upn,extension\nzoe,zoe@contoso.com,3999\n",
    )
    .unwrap();
    let more = more.to_str().unwrap();
    for args in [
        &["config", "check"][..],
        &["import", more, "--offline", "--yes"],
        &["mappings", "remove", "user7", "--yes"],
    ] {
        let run = doctor_of(&rig, &state, args).await;
        stated(&run, 78, "is damaged");
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert!(
            bytes_of(&state) == bytes,
            "{args:?} wrote to the damaged store"
        );
    }

    // A store of another estate, and one of a newer build: config check names each.
    let foreign = rig.dir.path().join("fabrikam.db");
    let fabrikam = mcteams::config::Estate {
        tenant_id: "fabrikam-tenant".into(),
        micollab: "https://micollab.fabrikam.com".into(),
    };
    drop(mcteams::store::Store::open(&foreign, Some(&fabrikam)).unwrap());
    let run = doctor_of(&rig, &foreign, &["config", "check"]).await;
    stated(&run, 78, "belongs to another estate");
    let run = doctor_of(&rig, &foreign, &["-o", "json", "doctor"]).await;
    assert_eq!(run.code, 78, "{}", run.stderr);
    let store = row(&run.json(), "state", "store").clone();
    assert!(
        store["detail"].as_str().unwrap().contains("fabrikam"),
        "{store}"
    );
    let newer = rig.dir.path().join("newer.db");
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let run = doctor_of(&rig, &newer, &["config", "check"]).await;
    stated(&run, 78, "newer mcteams");
}
