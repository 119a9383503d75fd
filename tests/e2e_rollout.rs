//! Rollouts under `sync --watch`: a profile an admin enables through mcteams is onboarded
//! without tripping the mass-change guard; a mass change made in MiCollab's own console is
//! held as a plan (`report` says `held_by_guard`) while everyone else keeps syncing, and is
//! applied after `sync approve`. Checked at the systems (the presentities' writer).

mod e2e;

use std::time::Duration;

use e2e::{Estate, Watch, desk_phone};
use serde_json::Value;

/// Waits (bounded) until every one of `users` shows a MiCollab status mcteams wrote.
async fn all_written_by_mcteams(estate: &Estate, users: &[Value]) -> bool {
    for _ in 0..500 {
        let mut all = true;
        for u in users {
            let view = estate.user(Estate::upn(u)).await;
            all &= view["cloudlink"]["presentity"]["source"] == "mcteams";
        }
        if all {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    false
}

async fn held_by_guard(estate: &Estate) -> Vec<String> {
    let (code, rows, stderr) = estate
        .run_json(&["report", "--reason", "held_by_guard"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["micollab_login"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollout_through_mcteams_is_onboarded_and_a_console_mass_change_waits_for_approval() {
    let estate = Estate::start(80).await;
    let sales = estate.desk_phones_of("Sales");
    let others: Vec<Value> = estate
        .users
        .iter()
        .filter(|u| u["profile"] == "Support" && desk_phone(u))
        .take(5)
        .cloned()
        .collect();
    assert!(sales.len() > 3 && others.len() == 5);
    let everyone: Vec<Value> = sales.iter().chain(&others).cloned().collect();
    let file = estate.write("users.csv", &estate.mapping_csv(&everyone));
    let out = estate
        .run(&["import", file.to_str().unwrap(), "--yes"])
        .await;
    assert!(out.status.success());
    let watch = Watch::start(&estate, &["--interval", "1s", "--max-changes", "2"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());

    // Through mcteams: an expected change, onboarded whatever its size.
    let out = estate.run(&["profile", "enable", "Sales", "--yes"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all_written_by_mcteams(&estate, &sales).await,
        "Sales onboarded: {}",
        watch.log()
    );
    assert!(
        !watch.log().contains("mass-change guard"),
        "{}",
        watch.log()
    );

    // In MiCollab's own console: five users switched on at once, more than max_changes.
    for u in &others {
        estate
            .micollab_set_flag(u["login"].as_str().unwrap(), true)
            .await;
    }
    assert!(watch.said("changes are held").await, "{}", watch.log());
    let mut held = held_by_guard(&estate).await;
    held.sort();
    let mut expected: Vec<String> = others
        .iter()
        .map(|u| u["login"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert_eq!(held, expected);
    let (code, _, _) = estate
        .run_json(&["report", "--detailed-exitcode", "--reason", "held_by_guard"])
        .await;
    assert_eq!(code, 4, "held users count as out of sync");
    let (status, body) = watch.health().await;
    assert_eq!(status, 200);
    assert!(body.contains("holds 5 users' changes"), "{body}");
    // Everyone else goes on meanwhile: a Sales user's call still reaches Teams.
    let caller = &sales[0];
    estate
        .phone_state(caller["extension"].as_str().unwrap(), "busy")
        .await;
    let mut shown = false;
    for _ in 0..500 {
        if estate.mcteams_sessions(Estate::upn(caller)).await == ["Busy/InACall"] {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(shown, "{}", watch.log());

    // Approved: the watch applies the held users' changes on its next cycle.
    let out = estate.run(&["sync", "approve", "--dry-run"]).await;
    assert!(out.status.success());
    let out = estate.run(&["sync", "approve"]).await;
    assert_eq!(out.status.code(), Some(2), "no terminal, no --yes");
    let out = estate.run(&["sync", "approve", "--yes"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all_written_by_mcteams(&estate, &others).await,
        "{}",
        watch.log()
    );
    assert!(held_by_guard(&estate).await.is_empty());
    assert_eq!(watch.stop().await, Some(0));
}

/// Issue 16: a 3,000-user `profile enable` under `--watch` is an expected change: all
/// onboarded, the guard (500 here) never trips, no 429 from any system, and a user already
/// in sync keeps syncing meanwhile. Checked at the systems.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_3000_user_profile_enable_is_onboarded_within_the_budgets() {
    let estate = Estate::start(12_000).await;
    let sales: Vec<Value> = estate
        .users
        .iter()
        .filter(|u| u["profile"] == "Sales")
        .take(3_000)
        .cloned()
        .collect();
    let support: Vec<Value> = estate
        .users
        .iter()
        .filter(|u| u["profile"] == "Support" && desk_phone(u))
        .take(500)
        .cloned()
        .collect();
    assert_eq!((sales.len(), support.len()), (3_000, 500));
    let everyone: Vec<Value> = sales.iter().chain(&support).cloned().collect();
    estate.map(&everyone).await;
    let out = estate
        .run(&["profile", "enable", "Support", "--yes", "--force"])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let watch = Watch::start(&estate, &["--interval", "2s", "--max-changes", "500"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    assert!(
        all_written_by_mcteams(&estate, &support[..20]).await,
        "{}",
        watch.log()
    );
    estate.control("DELETE", "/_sim/stats", None).await;

    let started = std::time::Instant::now();
    // Past the command's own threshold: the admin's explicit `--force`.
    let out = estate
        .run(&["profile", "enable", "Sales", "--yes", "--force"])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Meanwhile a Support user's call starts: it reaches Teams while Sales is onboarded.
    let caller = &support[0];
    estate
        .phone_state(caller["extension"].as_str().unwrap(), "busy")
        .await;
    let mut shown = false;
    for _ in 0..1_500 {
        if estate.mcteams_sessions(Estate::upn(caller)).await == ["Busy/InACall"] {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(
        shown,
        "the call shows while Sales onboards: {}",
        watch.log()
    );
    // Each user is checked until mcteams wrote it, then the next: a user once onboarded
    // stays so (nothing else writes here).
    let mut onboarded = 0;
    for _ in 0..3_000 {
        while onboarded < sales.len() {
            let view = estate.user(Estate::upn(&sales[onboarded])).await;
            if view["cloudlink"]["presentity"]["source"] != "mcteams" {
                break;
            }
            onboarded += 1;
        }
        if onboarded == sales.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert_eq!(onboarded, sales.len(), "{}", watch.log());
    eprintln!(
        "3,000 users onboarded {:.1?} after `profile enable`",
        started.elapsed()
    );
    assert!(
        all_written_by_mcteams(&estate, &sales[..50]).await,
        "{}",
        watch.log()
    );
    assert!(
        !watch.log().contains("mass-change guard"),
        "{}",
        watch.log()
    );
    assert_eq!(estate.answers_with(429).await, 0, "{}", watch.log());
    assert_eq!(watch.stop().await, Some(0));
}
