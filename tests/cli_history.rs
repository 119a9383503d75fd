//! `mcteams history` through the binary against the emulator: the admin changes and the
//! sync's writes, newest first, filtered by time, user and run.

mod e2e;

use e2e::{Estate, desk_phone};
use serde_json::Value;

fn objects(rows: &Value) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["object"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_shows_admin_changes_and_sync_writes_newest_first() {
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let (alice, bob) = (&users[0], &users[1]);
    estate
        .phone_state(alice["extension"].as_str().unwrap(), "busy")
        .await;
    let (code, _, stderr) = estate.run_json(&["sync"]).await;
    assert_eq!(code, 0, "{stderr}");

    let (code, rows, stderr) = estate.run_json(&["history"]).await;
    assert_eq!(code, 0, "{stderr}");
    let all = rows.as_array().unwrap();
    let keys: Vec<&String> = all[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "at", "run_id", "kind", "object", "what", "old", "new", "outcome"
        ]
    );
    let login = |u: &Value| u["login"].as_str().unwrap().to_string();
    // The import's mappings (changes) and the sync's session for the call (a write).
    assert!(
        all.iter()
            .any(|r| r["kind"] == "change" && r["object"] == format!("mapping {}", login(bob))),
        "{rows:#}"
    );
    let write = all
        .iter()
        .find(|r| r["kind"] == "write" && r["object"] == format!("user {}", login(alice)))
        .unwrap_or_else(|| panic!("{rows:#}"));
    assert_eq!(write["outcome"], "applied", "{write}");
    let times: Vec<&str> = all.iter().map(|r| r["at"].as_str().unwrap()).collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );

    // By user (a Teams UPN names its login), by run, by time.
    let upn = Estate::upn(alice);
    let (_, mine, _) = estate.run_json(&["history", "--user", upn]).await;
    let login_a = login(alice);
    assert!(!objects(&mine).is_empty());
    assert!(
        objects(&mine)
            .iter()
            .all(|o| o.ends_with(&format!(" {login_a}"))),
        "{mine:#}"
    );
    let run = write["run_id"].as_i64().unwrap().to_string();
    let (_, of_run, _) = estate.run_json(&["history", "--run", &run]).await;
    assert!(
        of_run
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["run_id"] == write["run_id"])
    );
    let (_, recent, _) = estate.run_json(&["history", "--since", "1h"]).await;
    assert_eq!(recent.as_array().unwrap().len(), all.len());
    let (code, none, stderr) = estate
        .run_json(&["history", "--since", "2099-01-01T00:00:00Z"])
        .await;
    assert_eq!(
        (code, none.as_array().map(Vec::len)),
        (0, Some(0)),
        "{stderr}"
    );
    assert!(stderr.contains("no entry matches"), "{stderr}");
    let (_, two, stderr) = estate.run_json(&["history", "--limit", "2"]).await;
    assert_eq!(two.as_array().unwrap().len(), 2);
    assert!(stderr.contains("--limit N shows more"), "{stderr}");

    let out = estate.run(&["history", "--limit", "0"]).await;
    assert_eq!(out.status.code(), Some(2));
    // Bad input: a usage error naming the flag.
    let out = estate.run(&["history", "--since", "last tuesday"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since \"last tuesday\""));
}
