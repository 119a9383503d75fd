//! Outages under `sync --watch`: a system that is down holds up only the direction that needs
//! it, the loop keeps its interval, and each direction recovers as soon as its system
//! answers. Checked at the systems, through the emulator's faults (an outage answers 503).

mod e2e;

use std::time::Duration;

use e2e::{Estate, Watch, desk_phone, eventually};
use serde_json::json;

async fn outage(estate: &Estate, system: &str, on: bool) {
    estate
        .control(
            "POST",
            "/_sim/faults",
            Some(json!({"system": system, "outage": on})),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_system_down_holds_up_only_the_direction_that_needs_it() {
    let estate = Estate::start(40).await;
    let users = estate.pick(4, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "1s"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    let upn = |i: usize| Estate::upn(&users[i]).to_string();
    let ext = |i: usize| users[i]["extension"].as_str().unwrap().to_string();

    // The PBX down: a DND chosen in Teams still reaches MiCollab, cycle after cycle.
    outage(&estate, "pbx", true).await;
    assert!(watch.said("pbx is down").await, "{}", watch.log());
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/preferred", upn(0)),
            Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await;
    eventually("Teams -> MiCollab during a PBX outage", &watch, || async {
        estate.micollab_status(&upn(0)).await == "Do not disturb"
    })
    .await;
    // The PBX back: its direction recovers.
    estate.phone_state(&ext(1), "busy").await;
    outage(&estate, "pbx", false).await;
    eventually("phone -> Teams once the PBX is back", &watch, || async {
        estate.mcteams_sessions(&upn(1)).await == ["Busy/InACall"]
    })
    .await;
    assert!(watch.said("pbx answers again").await, "{}", watch.log());

    // CloudLink down: phone -> Teams goes on. A Teams poll reads CloudLink for the users whose
    // presence moved (or a page swept once a minute): a change in Teams finds it down.
    outage(&estate, "cloudlink", true).await;
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/preferred", upn(0)),
            Some(json!({"availability": "BeRightBack", "activity": "BeRightBack"})),
        )
        .await;
    assert!(watch.said("cloudlink is down").await, "{}", watch.log());
    estate.phone_state(&ext(2), "busy").await;
    eventually(
        "phone -> Teams during a CloudLink outage",
        &watch,
        || async { estate.mcteams_sessions(&upn(2)).await == ["Busy/InACall"] },
    )
    .await;
    outage(&estate, "cloudlink", false).await;

    // MiCollab down: the Teams flags the last syncs read carry both directions meanwhile.
    outage(&estate, "micollab", true).await;
    assert!(
        watch.said("going on with the Teams flags").await,
        "{}",
        watch.log()
    );
    estate.phone_state(&ext(2), "idle").await;
    eventually(
        "phone -> Teams during a MiCollab outage",
        &watch,
        || async { estate.mcteams_sessions(&upn(2)).await.is_empty() },
    )
    .await;
    outage(&estate, "micollab", false).await;

    // Graph down: the phone's call is written as soon as Graph answers again.
    outage(&estate, "graph", true).await;
    assert!(watch.said("graph is down").await, "{}", watch.log());
    estate.phone_state(&ext(3), "busy").await;
    let metrics = watch.metrics_text().await;
    assert!(
        metrics.contains("mcteams_sync_direction_degraded{direction=\"pbx_to_teams\"} 1"),
        "{metrics}"
    );
    outage(&estate, "graph", false).await;
    eventually("phone -> Teams once Graph is back", &watch, || async {
        estate.mcteams_sessions(&upn(3)).await == ["Busy/InACall"]
    })
    .await;
    let (code, stderr) = {
        let out = estate.run(&["sync"]).await;
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(
        code,
        Some(75),
        "the watch kept its lease throughout: {stderr}"
    );
    assert_eq!(watch.stop().await, Some(0));
}

/// The sync lease's row as the store holds it: its holder's token and its expiry.
fn lease_row(estate: &Estate) -> Option<(String, chrono::DateTime<chrono::Utc>)> {
    let path = estate.path("state.db");
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the state store opens");
    db.busy_timeout(Duration::from_secs(5)).unwrap();
    let row = db.query_row(
        "SELECT token, expires_at FROM leases WHERE name = 'sync'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    );
    match row {
        Ok(row) => Some(row),
        Err(rusqlite::Error::QueryReturnedNoRows) => None,
        Err(e) => panic!("reading the lease: {e}"),
    }
}

/// Issue 16: an outage of every system for many lease periods (a 3 s lease here, so the
/// outage is over four of them; with the default 60 s lease that is a 200 s outage) never
/// costs the watch its lease: the heartbeat renews it throughout, a cron run meanwhile exits
/// 75, and once the systems answer the watch syncs again, still the holder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_of_many_lease_periods_never_costs_the_lease() {
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let config = std::fs::read_to_string(&estate.config).unwrap();
    std::fs::write(
        &estate.config,
        format!("{config}\n[sync]\nlease_duration = \"3s\"\n"),
    )
    .unwrap();
    let watch = Watch::start(&estate, &["--interval", "1s"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    for system in ["graph", "micollab", "pbx", "cloudlink"] {
        outage(&estate, system, true).await;
    }
    let (holder, _) = lease_row(&estate).expect("the watch holds the lease");
    // Renewals seen, one a second: thirteen span over four 3 s lease periods.
    let mut renewals = std::collections::BTreeSet::new();
    let mut cron_refused = false;
    for _ in 0..1_500 {
        let (token, expires) = lease_row(&estate).expect("the lease row stays");
        assert_eq!(token, holder, "the lease changed hands: {}", watch.log());
        assert!(
            expires > chrono::Utc::now(),
            "the lease lapsed at {expires}: {}",
            watch.log()
        );
        renewals.insert(expires);
        if renewals.len() == 6 && !cron_refused {
            let out = estate.run(&["sync"]).await;
            assert_eq!(out.status.code(), Some(75), "a cron run during the outage");
            cron_refused = true;
        }
        if renewals.len() >= 13 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(renewals.len() >= 13 && cron_refused, "{}", watch.log());
    assert!(watch.said("pbx is down").await, "{}", watch.log());
    for system in ["graph", "micollab", "pbx", "cloudlink"] {
        outage(&estate, system, false).await;
    }
    let ext = users[0]["extension"].as_str().unwrap().to_string();
    estate.phone_state(&ext, "busy").await;
    eventually("phone -> Teams after the outage", &watch, || async {
        estate.mcteams_sessions(Estate::upn(&users[0])).await == ["Busy/InACall"]
    })
    .await;
    assert_eq!(lease_row(&estate).map(|(t, _)| t), Some(holder));
    let log = watch.log();
    assert!(
        !log.contains("lost the sync lease") && !log.contains("standing by"),
        "{log}"
    );
    assert_eq!(watch.stop().await, Some(0));
}

/// Each direction of the watch keeps its own pace: while every PBX request takes 30 s,
/// Teams -> MiCollab goes on cycle after cycle (a joint cycle would wait for the PBX, and
/// miss the 20 s bound), and the stop waits for the phone lane's read in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_pbx_holds_up_only_phone_to_teams() {
    let estate = Estate::start(40).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "1s"]);
    for lane in ["lane=\"pbx_to_teams\"", "lane=\"teams_to_micollab\""] {
        assert!(watch.said(lane).await, "{}", watch.log());
    }
    let fault = json!({"system": "pbx", "latency_ms": 30_000});
    estate.control("POST", "/_sim/faults", Some(fault)).await;
    let ext = users[1]["extension"].as_str().unwrap().to_string();
    estate.phone_state(&ext, "busy").await;
    let upn = Estate::upn(&users[0]).to_string();
    for (availability, status) in [("DoNotDisturb", "Do not disturb"), ("Away", "Away")] {
        estate
            .control(
                "POST",
                &format!("/_sim/teams/{upn}/preferred"),
                Some(json!({"availability": availability, "activity": availability})),
            )
            .await;
        eventually(
            "Teams -> MiCollab while the PBX is slow",
            &watch,
            || async { estate.micollab_status(&upn).await == status },
        )
        .await;
    }
    assert!(
        estate
            .mcteams_sessions(Estate::upn(&users[1]))
            .await
            .is_empty(),
        "the call is not shown yet: its read is still on the wire"
    );
    estate.control("DELETE", "/_sim/faults", None).await;
    assert_eq!(watch.stop().await, Some(0));
}
