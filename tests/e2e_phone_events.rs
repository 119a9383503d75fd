//! Phone state as events under `sync --watch`: the PBX's change feed wakes the phone lane, and
//! what Teams then shows reaches MiCollab in the same step. The interval is an hour, so only
//! the feed can explain a change arriving; checked at the systems through the emulator.

mod e2e;

use e2e::{Estate, Watch, desk_phone, eventually};

/// An estate of `n` desk phones mapped and enabled, and a watch that follows the PBX's feed
/// with an hour's interval, past its first cycles.
async fn following(n: usize) -> (Estate, Vec<serde_json::Value>, Watch) {
    let estate = Estate::start(30).await;
    let users = estate.pick(n, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "1h"]);
    let feed = watch.said("following the change feed").await;
    assert!(feed && watch.said("sync cycle").await, "{}", watch.log());
    (estate, users, watch)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_change_reaches_teams_and_micollab_without_waiting_for_the_interval() {
    let (estate, users, watch) = following(3).await;
    let upn = |i: usize| Estate::upn(&users[i]).to_string();
    let ext = |i: usize| users[i]["extension"].as_str().unwrap().to_string();
    let full_reads = estate
        .requests_to("pbx", "POST /2017-09-01/extensions/query")
        .await;

    // A call: Teams shows it, then MiCollab, in one step.
    estate.phone_state(&ext(0), "busy").await;
    eventually("phone -> Teams from the feed", &watch, || async {
        estate.mcteams_sessions(&upn(0)).await == ["Busy/InACall"]
    })
    .await;
    eventually("phone -> MiCollab in one step", &watch, || async {
        estate.micollab_status(&upn(0)).await == "In a call"
    })
    .await;
    // Hung up: both follow; the other users were left alone.
    estate.phone_state(&ext(0), "idle").await;
    eventually("hang-up -> Teams and MiCollab", &watch, || async {
        estate.mcteams_sessions(&upn(0)).await.is_empty()
            && estate.micollab_status(&upn(0)).await != "In a call"
    })
    .await;
    assert!(estate.mcteams_sessions(&upn(1)).await.is_empty());
    // Each targeted cycle read only its users: one batch read each, never a page walk.
    let reads = estate
        .requests_to("pbx", "POST /2017-09-01/extensions/query")
        .await;
    assert!(reads - full_reads >= 2, "{reads} - {full_reads}");
    assert_eq!(
        estate
            .requests_to("pbx", "GET /2017-09-01/extensions")
            .await,
        0
    );
    assert!(watch.stop().await == Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_pbx_is_read_again_and_followed_from_a_fresh_cursor() {
    let (estate, users, watch) = following(2).await;
    let upn = |i: usize| Estate::upn(&users[i]).to_string();
    let ext = |i: usize| users[i]["extension"].as_str().unwrap().to_string();

    // The facade restarts: the watch's cursor is unknown (410 Gone). A change made while it
    // was away is found by the full read that follows; later ones by the feed again.
    estate.control("POST", "/_sim/pbx/restart", None).await;
    estate.phone_state(&ext(0), "busy").await;
    assert!(watch.said("410 Gone").await, "{}", watch.log());
    eventually("the change made during the restart", &watch, || async {
        estate.mcteams_sessions(&upn(0)).await == ["Busy/InACall"]
    })
    .await;
    estate.phone_dnd(&ext(1), true).await;
    eventually("a change after the restart", &watch, || async {
        estate.mcteams_sessions(&upn(1)).await == ["DoNotDisturb/Presenting"]
    })
    .await;
    assert!(watch.stop().await == Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_changes_faster_than_the_interval_never_hold_up_the_teams_poll() {
    let estate = Estate::start(30).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "1s"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    let (ext, upn) = (
        users[0]["extension"].as_str().unwrap().to_string(),
        Estate::upn(&users[1]).to_string(),
    );
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{upn}/client"),
            Some(serde_json::json!({"availability": "Available", "activity": "Available"})),
        )
        .await;
    // A phone that changes every 300 ms wakes both lanes again and again: the Teams lane's
    // poll still comes every interval.
    let calls = async {
        for k in 0.. {
            let state = if k % 2 == 0 { "busy" } else { "idle" };
            estate.phone_state(&ext, state).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
    };
    let chosen = async {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        estate
            .control(
                "POST",
                &format!("/_sim/teams/{upn}/preferred"),
                Some(
                    serde_json::json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"}),
                ),
            )
            .await;
        eventually(
            "Teams -> MiCollab while the phone keeps changing",
            &watch,
            || async { estate.micollab_status(&upn).await == "Do not disturb" },
        )
        .await;
    };
    // The calls go on until the status shows (or the wait gives up and fails the test).
    tokio::select! {
        _ = calls => {}
        _ = chosen => {}
    }
    assert!(watch.stop().await == Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn between_full_cycles_the_teams_poll_reads_mitel_only_for_users_whose_presence_moved() {
    let estate = Estate::start(30).await;
    let users = estate.pick(6, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "1s"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    let upn = Estate::upn(&users[0]).to_string();
    let flags = || estate.requests_to("micollab", "POST /2017-09-01/users/query");
    let presentities = || estate.requests_to("cloudlink", "presentities/query");
    let polls = || estate.requests_to("graph", "POST /communications/getPresencesByUserId");

    // A status chosen in Teams reaches MiCollab within a poll or two.
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{upn}/preferred"),
            Some(serde_json::json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await;
    eventually("Teams -> MiCollab on a glance", &watch, || async {
        estate.micollab_status(&upn).await == "Do not disturb"
    })
    .await;
    // Then nothing moves: each poll reads Graph, and neither MiCollab's flags nor CloudLink's
    // presentities (a full poll reads both for every user).
    let before = (flags().await, presentities().await, polls().await);
    eventually("three more polls", &watch, || async {
        polls().await >= before.2 + 3
    })
    .await;
    assert_eq!((flags().await, presentities().await), (before.0, before.1));
    assert!(watch.stop().await == Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_watch_plans_every_interval_and_writes_nothing() {
    let estate = Estate::start(30).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    estate
        .phone_state(users[0]["extension"].as_str().unwrap(), "busy")
        .await;
    estate.control("DELETE", "/_sim/stats", None).await;
    let watch = Watch::start(&estate, &["--dry-run", "--interval", "1s"]);
    eventually("two plans", &watch, || async {
        watch
            .log()
            .matches("change(s) planned, nothing written")
            .count()
            >= 2
    })
    .await;
    assert!(watch.stop().await == Some(0));
    assert_eq!(estate.write_requests().await, 0, "a dry run writes nothing");
    assert!(
        estate
            .mcteams_sessions(Estate::upn(&users[0]))
            .await
            .is_empty()
    );
}
