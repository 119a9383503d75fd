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

/// Rows of four columns (the last two may be NULL) the state file answers to `sql`.
type Row4 = (String, String, Option<String>, Option<String>);

fn rows(estate: &Estate, sql: &str) -> Vec<Row4> {
    let db = rusqlite::Connection::open(estate.path("state.db")).unwrap();
    let mut stmt = db.prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(estate: &Estate, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(estate.path("state.db")).unwrap();
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn audit_rows(estate: &Estate) -> Vec<Row4> {
    let sql = "SELECT object_type, object_id, old_value, new_value FROM audit \
               WHERE field = 'teamsPresence'";
    rows(estate, sql)
}

fn open_runs(estate: &Estate) -> i64 {
    count(
        estate,
        "SELECT count(*) FROM runs WHERE finished_at IS NULL",
    )
}

/// Runs `args` with MiCollab's answers to changes held back, kills the run once `applied`
/// says MiCollab has acted on it (its answer still on the way), then lifts the fault.
async fn kill_once_applied<F, R>(estate: &Estate, args: &[&str], applied: F)
where
    F: Fn() -> R,
    R: std::future::Future<Output = bool>,
{
    let hold = json!({"system": "micollab", "answer_delay_ms": 60_000});
    estate.control("POST", "/_sim/faults", Some(hold)).await;
    let mut run = estate
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while !applied().await {
        tokio::time::sleep(Duration::from_millis(40)).await;
        waited += 1;
        assert!(waited < 1_500, "MiCollab never saw {args:?}");
    }
    run.kill().unwrap();
    run.wait().unwrap();
    estate.control("DELETE", "/_sim/faults", None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_enable_killed_after_micollab_applied_it_is_recorded_and_onboarded() {
    let estate = Estate::start(80).await;
    let sales = estate.desk_phones_of("Sales");
    assert!(sales.len() > 3);
    estate.map(&sales).await;
    // MiCollab acts on the switch, then its answer is held back: the run is killed waiting.
    let enable = ["profile", "enable", "Sales", "--yes"];
    kill_once_applied(&estate, &enable, || profile_on(&estate, "Sales")).await;
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

// `status set` killed the same way: the next `status set` reads the status back and records
// the edit; a sync in between leaves it alone.

async fn away_call_routing(estate: &Estate) -> String {
    let out = estate.run(&["-o", "json", "status", "list", "Sales"]).await;
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let away = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Away")
        .cloned()
        .unwrap();
    away["call_routing"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn status_audit_rows(estate: &Estate) -> Vec<Row4> {
    let sql = "SELECT object_id, field, old_value, new_value FROM audit \
               WHERE object_type = 'profile_status'";
    rows(estate, sql)
}

fn open_status_edits(estate: &Estate) -> i64 {
    let sql = "SELECT count(*) FROM journal WHERE action = 'edit_status' AND confirmed_at IS NULL";
    count(estate, sql)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_set_killed_after_micollab_applied_it_is_recorded_by_the_next_one() {
    let estate = Estate::start(40).await;
    let before = away_call_routing(&estate).await;
    let after = if before == "voicemail" {
        "mobile"
    } else {
        "voicemail"
    };
    let args = [
        "status",
        "set",
        "Sales",
        "Away",
        "--call-routing",
        after,
        "--yes",
    ];
    let applied = || async { away_call_routing(&estate).await == after };
    kill_once_applied(&estate, &args, applied).await;
    assert!(
        status_audit_rows(&estate).is_empty(),
        "nothing recorded yet"
    );
    assert_eq!((open_runs(&estate), open_status_edits(&estate)), (1, 1));

    // A sync reads no status settings: it leaves the edit to `status set`.
    let out = estate.run(&["sync"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(open_status_edits(&estate), 1);

    // The admin's re-run records what MiCollab shows, then finds nothing left to change.
    let out = estate.run(&args).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("already has these settings"), "{stderr}");
    assert_eq!(
        status_audit_rows(&estate),
        vec![(
            "Sales/Away".to_string(),
            "callRouting".to_string(),
            Some(before.clone()).filter(|b| !b.is_empty()),
            Some(after.to_string())
        )]
    );
    assert_eq!((open_runs(&estate), open_status_edits(&estate)), (0, 0));
}
