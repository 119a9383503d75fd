//! The seed's scenarios end to end: the real binary syncing the emulator's four systems.

mod e2e;

use e2e::{Estate, desk_phone};
use serde_json::json;

/// An estate with `n` users of the given kinds mapped and Teams presence on.
async fn estate_with(users: &[serde_json::Value], estate: &Estate) {
    estate.map_and_enable(users).await;
}

async fn sync(estate: &Estate) -> serde_json::Value {
    let (code, summary, stderr) = estate.run_json(&["sync"]).await;
    assert_eq!(code, 0, "sync failed: {stderr}");
    summary
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dnd_chosen_in_teams_reaches_micollab_and_leaves_the_phone_alone() {
    let estate = Estate::start(30).await;
    let alice = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&alice), &estate).await;
    let upn = Estate::upn(&alice);
    sync(&estate).await;
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{upn}/preferred"),
            Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await;
    sync(&estate).await;
    assert_eq!(estate.micollab_status(upn).await, "Do not disturb");
    let phone = &estate.user(upn).await["pbx"];
    assert_eq!(phone["dnd"], false, "mcteams never writes to the phone");
    assert!(estate.mcteams_sessions(upn).await.is_empty());
    // Cleared in Teams: MiCollab follows back.
    estate
        .control("DELETE", &format!("/_sim/teams/{upn}/preferred"), None)
        .await;
    sync(&estate).await;
    assert_ne!(estate.micollab_status(upn).await, "Do not disturb");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_call_shows_in_teams_and_micollab_then_clears() {
    let estate = Estate::start(30).await;
    let bob = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&bob), &estate).await;
    let (upn, ext) = (Estate::upn(&bob), bob["extension"].as_str().unwrap());
    sync(&estate).await;
    estate.phone_state(ext, "busy").await;
    sync(&estate).await;
    assert_eq!(estate.mcteams_sessions(upn).await, vec!["Busy/InACall"]);
    sync(&estate).await;
    assert_eq!(estate.micollab_status(upn).await, "In a call");
    // Five idle cycles: zero writes.
    estate.control("DELETE", "/_sim/stats", None).await;
    for _ in 0..5 {
        sync(&estate).await;
    }
    assert_eq!(
        estate.write_requests().await,
        0,
        "idle cycles wrote something"
    );
    // Hung up.
    estate.phone_state(ext, "idle").await;
    sync(&estate).await;
    assert!(estate.mcteams_sessions(upn).await.is_empty());
    sync(&estate).await;
    assert_ne!(estate.micollab_status(upn).await, "In a call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_dnd_shows_as_presenting_and_wins_over_a_call() {
    let estate = Estate::start(30).await;
    let carol = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&carol), &estate).await;
    let (upn, ext) = (Estate::upn(&carol), carol["extension"].as_str().unwrap());
    estate.phone_dnd(ext, true).await;
    estate.phone_state(ext, "busy").await;
    sync(&estate).await;
    sync(&estate).await;
    assert_eq!(
        estate.mcteams_sessions(upn).await,
        vec!["DoNotDisturb/Presenting"]
    );
    assert_eq!(estate.micollab_status(upn).await, "Presenting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acd_hotdesk_softphone_calls_are_not_pushed_but_desk_agents_are() {
    let estate = Estate::start(200).await;
    let soft = estate
        .pick(1, |u| u["acdHotDeskSoftphone"] == true)
        .remove(0);
    let desk = estate.pick(1, desk_phone).remove(0);
    estate_with(&[soft.clone(), desk.clone()], &estate).await;
    for u in [&soft, &desk] {
        let ext = u["extension"].as_str().unwrap();
        estate.phone_state(ext, "busy").await;
    }
    let summary = sync(&estate).await;
    assert_eq!(summary["notes"]["acd_hotdesk_unsynced"], 1);
    // Bulk reads: one presence read, one query per Mitel system; one write batch each way.
    let requests = &summary["requests_by_system"];
    assert!(requests["graph"].as_u64().unwrap() >= 2, "{summary}");
    assert!(requests["pbx"].as_u64().unwrap() <= 3, "{summary}");
    assert!(estate.mcteams_sessions(Estate::upn(&soft)).await.is_empty());
    assert_eq!(
        estate.mcteams_sessions(Estate::upn(&desk)).await,
        vec!["Busy/InACall"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_chosen_in_teams_beats_the_phone() {
    let estate = Estate::start(30).await;
    let dan = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&dan), &estate).await;
    let (upn, ext) = (Estate::upn(&dan), dan["extension"].as_str().unwrap());
    estate.phone_state(ext, "busy").await;
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{upn}/preferred"),
            Some(json!({"availability": "Available", "activity": "Available"})),
        )
        .await;
    sync(&estate).await;
    sync(&estate).await;
    assert_eq!(estate.micollab_status(upn).await, "Available");
    // mcteams' session is there (the phone is busy), the preferred status wins the aggregate.
    assert_eq!(estate.mcteams_sessions(upn).await, vec!["Busy/InACall"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_call_outlives_several_session_lifetimes() {
    let estate = Estate::start(30).await;
    let erin = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&erin), &estate).await;
    let (upn, ext) = (Estate::upn(&erin), erin["extension"].as_str().unwrap());
    // Signed in to Teams and otherwise available, so the call is all Teams has to show.
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{upn}/client"),
            Some(json!({"availability": "Available", "activity": "Available"})),
        )
        .await;
    estate.phone_state(ext, "busy").await;
    sync(&estate).await;
    sync(&estate).await;
    // 45 minutes of Graph time in 150 s steps (shorter than the 3-minute refresh margin, as a
    // 15 s interval is): the 15-minute session is refreshed before it ever lapses.
    let mut refreshes = 0;
    for _ in 0..18 {
        estate
            .control("POST", "/_sim/clock", Some(json!({"advance_s": 150})))
            .await;
        refreshes += sync(&estate).await["refreshes"].as_u64().unwrap();
        assert_eq!(estate.mcteams_sessions(upn).await, vec!["Busy/InACall"]);
        assert_eq!(estate.micollab_status(upn).await, "In a call");
    }
    assert!(refreshes >= 3, "{refreshes} refreshes in 45 minutes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flag_off_or_mapping_removed_clears_the_session() {
    let estate = Estate::start(30).await;
    let pair = estate.pick(2, desk_phone);
    estate_with(&pair, &estate).await;
    for u in &pair {
        let ext = u["extension"].as_str().unwrap();
        estate.phone_state(ext, "busy").await;
    }
    sync(&estate).await;
    estate
        .micollab_set_flag(pair[0]["login"].as_str().unwrap(), false)
        .await;
    let out = estate
        .run(&[
            "mappings",
            "remove",
            pair[1]["login"].as_str().unwrap(),
            "--yes",
        ])
        .await;
    assert!(out.status.success());
    sync(&estate).await;
    for u in &pair {
        assert!(estate.mcteams_sessions(Estate::upn(u)).await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_fails_the_cycle_and_the_next_converges() {
    let estate = Estate::start(30).await;
    let fay = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&fay), &estate).await;
    let (upn, ext) = (Estate::upn(&fay), fay["extension"].as_str().unwrap());
    estate
        .control(
            "POST",
            "/_sim/faults",
            // Retry-After short: the run gives up after the same retries, sooner.
            Some(json!({"system": "graph", "outage": true, "retry_after_s": 0.2})),
        )
        .await;
    estate.phone_state(ext, "busy").await;
    let (code, _, stderr) = estate.run_json(&["sync"]).await;
    assert_eq!(code, 75, "{stderr}");
    assert!(stderr.contains("graph"), "{stderr}");
    estate.control("DELETE", "/_sim/faults", None).await;
    sync(&estate).await;
    sync(&estate).await;
    assert_eq!(estate.micollab_status(upn).await, "In a call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_leaves_no_app_session() {
    let estate = Estate::start(30).await;
    let users = estate.pick(3, desk_phone);
    estate_with(&users, &estate).await;
    for u in &users {
        let ext = u["extension"].as_str().unwrap();
        estate.phone_dnd(ext, true).await;
    }
    sync(&estate).await;
    let (code, preview, _) = estate.run_json(&["release", "--dry-run"]).await;
    assert_eq!(code, 0);
    assert_eq!(preview.as_array().unwrap().len(), 3);
    assert_eq!(
        estate.mcteams_sessions(Estate::upn(&users[0])).await.len(),
        1
    );
    let out = estate.run(&["release"]).await;
    assert_eq!(out.status.code(), Some(2), "no terminal, no --yes");
    let (code, _, stderr) = estate.run_json(&["release", "--yes"]).await;
    assert_eq!(code, 0, "{stderr}");
    for u in &users {
        assert!(estate.mcteams_sessions(Estate::upn(u)).await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_store_release_directory_clears_every_session_mcteams_set() {
    let estate = Estate::start(30).await;
    let users = estate.pick(3, desk_phone);
    estate_with(&users, &estate).await;
    for u in &users {
        estate
            .phone_dnd(u["extension"].as_str().unwrap(), true)
            .await;
    }
    sync(&estate).await;
    // The store is lost: it no longer says who has a session.
    let state = estate.dir.path().join("state.db");
    assert!(
        state.exists(),
        "the emulator's config keeps its store beside it"
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", state.display()));
    }
    let out = estate.run(&["release", "--yes"]).await;
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("mcteams release --directory"), "{said}");
    assert_eq!(
        estate.mcteams_sessions(Estate::upn(&users[0])).await.len(),
        1
    );

    // A dry run reads the directory and writes nothing; the real run clears every session,
    // and the users without one (a 404 each) are no failure.
    estate.control("DELETE", "/_sim/stats", None).await;
    let out = estate.run(&["release", "--directory", "--dry-run"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("30 other user(s) of the Entra directory")
    );
    assert_eq!(estate.write_requests().await, 0);
    let (code, rows, stderr) = estate.run_json(&["release", "--directory", "--yes"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(0),
        "no failure to list: {rows}"
    );
    assert!(
        stderr.contains("30 user(s) have no mcteams session in Teams now (0 failed)"),
        "{stderr}"
    );
    for u in &users {
        assert!(
            estate.mcteams_sessions(Estate::upn(u)).await.is_empty(),
            "{u}"
        );
    }
    // Paced within Graph's budget: no request of it was throttled.
    let graph = estate.control("GET", "/_sim/stats", None).await["systems"]["graph"].clone();
    assert!(
        graph["endpoints"].to_string().contains("clearPresence"),
        "{graph}"
    );
    assert!(!graph.to_string().contains("\"429\""), "{graph}");
}

async fn busy(estate: &Estate, users: &[serde_json::Value]) {
    for u in users {
        let ext = u["extension"].as_str().unwrap();
        estate.phone_state(ext, "busy").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_and_the_mass_change_guard_change_nothing() {
    let estate = Estate::start(30).await;
    let users = estate.pick(3, desk_phone);
    estate_with(&users, &estate).await;
    sync(&estate).await;
    busy(&estate, &users).await;
    estate.control("DELETE", "/_sim/stats", None).await;
    let (code, plan, _) = estate.run_json(&["sync", "--dry-run"]).await;
    assert_eq!(code, 0);
    assert_eq!(plan.as_array().map(Vec::len), Some(3), "{plan}");
    let (code, _, stderr) = estate.run_json(&["sync", "--max-changes", "2"]).await;
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("more than max_changes (2): nothing applied"),
        "{stderr}"
    );
    assert_eq!(estate.write_requests().await, 0);
    for u in &users {
        assert!(estate.mcteams_sessions(Estate::upn(u)).await.is_empty());
    }
    let (code, summary, _) = estate
        .run_json(&["sync", "--max-changes", "2", "--force"])
        .await;
    assert_eq!(code, 0);
    assert_eq!(summary["applied_pbx_to_teams"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_a_crash_left_unrecorded_is_settled_by_the_next_run() {
    let estate = Estate::start(30).await;
    let gus = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&gus), &estate).await;
    let (upn, login) = (Estate::upn(&gus), gus["login"].as_str().unwrap());
    busy(&estate, std::slice::from_ref(&gus)).await;
    sync(&estate).await;
    assert_eq!(estate.mcteams_sessions(upn).await.len(), 1);
    // As if the run had been killed after sending setPresence and before recording it: the
    // record does not know the session, the journal holds the unconfirmed intent.
    {
        let state = estate.dir.path().join("state.db");
        let mut store = mcteams::store::Store::open(&state, None).unwrap();
        let mut record = store.sync_record(login).unwrap().unwrap();
        record.graph_session = None;
        record.graph_session_expires_at = None;
        store.put_sync_records(&[record]).unwrap();
        store
            .journal_intend_many(
                None,
                &[mcteams::store::Intent::new(
                    login.to_string(),
                    "graph",
                    "set_session",
                    json!({"session": "Busy/InACall", "ttl_s": 900}),
                )],
            )
            .unwrap();
    }
    let ext = gus["extension"].as_str().unwrap();
    estate.phone_state(ext, "idle").await;
    let summary = sync(&estate).await;
    assert_eq!(summary["settled_journal_entries"], 1);
    assert!(
        estate.mcteams_sessions(upn).await.is_empty(),
        "the settled session was cleared, not forgotten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sync_waits_for_the_first_and_watch_stops_cleanly() {
    let estate = Estate::start(30).await;
    let hal = estate.pick(1, desk_phone).remove(0);
    estate_with(std::slice::from_ref(&hal), &estate).await;
    let watch = e2e::Watch::start(&estate, &["--interval", "1h"]);
    // Wait until the service has finished its first cycle in each direction (each has its
    // own lane: the store is in WAL).
    for lane in ["lane=\"pbx_to_teams\"", "lane=\"teams_to_micollab\""] {
        assert!(watch.said(lane).await, "{}", watch.log());
    }
    let (status, _) = watch.health().await;
    assert_eq!(status, 200);
    let metrics = watch.metrics_text().await;
    assert!(metrics.contains("mcteams_sync_cycles_total 2"), "{metrics}");
    let (code, _, stderr) = estate.run_json(&["sync"]).await;
    assert_eq!(code, 75, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "another run holds the sync lock: pid {}",
            watch.pid()
        )),
        "{stderr}"
    );
    // SIGTERM: the service finishes, releases the lease, exits 0.
    assert_eq!(watch.stop().await, Some(0));
    sync(&estate).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_disabled_and_enabled_again_syncs_everyone_with_no_foreign_writer() {
    let estate = Estate::start(60).await;
    let sales: Vec<serde_json::Value> = estate
        .users
        .iter()
        .filter(|u| u["profile"] == "Sales")
        .cloned()
        .collect();
    assert!(sales.len() >= 4, "the estate has Sales users");
    let file = estate.write("users.csv", &estate.mapping_csv(&sales));
    let out = estate
        .run(&["import", file.to_str().unwrap(), "--yes"])
        .await;
    assert!(out.status.success());
    let profile = |verb: &'static str| {
        let estate = &estate;
        async move {
            let out = estate.run(&["profile", verb, "Sales", "--yes"]).await;
            assert!(
                out.status.success(),
                "profile {verb}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    };
    profile("enable").await;
    sync(&estate).await;
    profile("disable").await;
    sync(&estate).await;
    profile("enable").await;
    sync(&estate).await;
    sync(&estate).await;
    let (code, rows, stderr) = estate.run_json(&["report", "--all"]).await;
    assert_eq!(code, 0, "{stderr}");
    let rows = rows.as_array().unwrap();
    let foreign: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| {
            r["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "foreign_writer")
        })
        .collect();
    assert!(foreign.is_empty(), "{foreign:#?}");
    for u in &sales {
        let view = estate.user(Estate::upn(u)).await;
        assert_eq!(
            view["cloudlink"]["presentity"]["source"], "mcteams",
            "{} was taken back: {view:#}",
            u["login"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_of_a_store_without_mappings_says_it_checked_nobody() {
    let estate = Estate::start(5).await;
    let out = estate.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("has no mappings: this sync checks nobody"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graph_clock_far_from_ours_is_shown_in_the_summary() {
    let estate = Estate::start(10).await;
    let users = estate.pick(1, desk_phone);
    estate_with(&users, &estate).await;
    estate
        .control("POST", "/_sim/clock", Some(json!({"advance_s": 90})))
        .await;
    let summary = sync(&estate).await;
    let skew = summary["clock_skew_seconds"].as_i64().unwrap_or_default();
    assert!((85..=95).contains(&skew), "{summary}");
}
