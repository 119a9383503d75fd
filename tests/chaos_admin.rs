//! Admin changes on a bad day: `profile enable` killed after MiCollab applied the switch but
//! before its answer came back. The next run reads the users' flags back and records what
//! happened (the audit row, the users onboarded), so the sync that follows onboards them as
//! the expected change they are instead of holding them at the mass-change guard.

mod e2e;

use std::process::Stdio;
use std::time::Duration;

use e2e::Estate;
use serde_json::json;

async fn profile_on(estate: &Estate, name: &str) -> bool {
    let summary = estate.control("GET", "/_sim/summary", None).await;
    summary["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == name && p["teamsPresence"] == true)
}

fn audit_rows(estate: &Estate) -> Vec<(String, String, Option<String>, Option<String>)> {
    let db = rusqlite::Connection::open(estate.path("state.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT object_type, object_id, old_value, new_value FROM audit WHERE field = 'teamsPresence'")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn open_runs(estate: &Estate) -> i64 {
    let db = rusqlite::Connection::open(estate.path("state.db")).unwrap();
    db.query_row(
        "SELECT count(*) FROM runs WHERE finished_at IS NULL",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_enable_killed_after_micollab_applied_it_is_recorded_and_onboarded() {
    let estate = Estate::start(80).await;
    let sales = estate.desk_phones_of("Sales");
    assert!(sales.len() > 3);
    estate.map(&sales).await;
    // MiCollab acts on the switch, then its answer is held back: the run is killed waiting.
    estate
        .control(
            "POST",
            "/_sim/faults",
            Some(json!({"system": "micollab", "answer_delay_ms": 60_000})),
        )
        .await;
    let mut enable = estate
        .command(&["profile", "enable", "Sales", "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while !profile_on(&estate, "Sales").await {
        tokio::time::sleep(Duration::from_millis(40)).await;
        waited += 1;
        assert!(waited < 1_500, "MiCollab never saw the switch");
    }
    enable.kill().unwrap();
    enable.wait().unwrap();
    estate.control("DELETE", "/_sim/faults", None).await;
    assert!(audit_rows(&estate).is_empty(), "nothing recorded yet");
    assert_eq!(open_runs(&estate), 1, "the killed run");

    // The next sync settles the switch first: the Sales users are an expected change.
    let out = estate.run(&["sync", "--max-changes", "2"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        audit_rows(&estate),
        vec![(
            "profile".to_string(),
            "Sales".to_string(),
            Some("false".to_string()),
            Some("true".to_string())
        )]
    );
    assert_eq!(open_runs(&estate), 0, "the killed run is closed out");
    for u in &sales {
        let view = estate.user(Estate::upn(u)).await;
        assert_eq!(
            view["cloudlink"]["presentity"]["source"], "mcteams",
            "{}: {stderr}",
            u["login"]
        );
    }
    // The admin's re-run finds it on, and records nothing twice.
    let out = estate.run(&["profile", "enable", "Sales", "--yes"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(audit_rows(&estate).len(), 1);
}
