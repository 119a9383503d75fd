//! Outages under `sync --watch`: a system that is down holds up only the direction that needs
//! it, the loop keeps its interval, and each direction recovers as soon as its system
//! answers. Checked at the systems, through the emulator's faults (an outage answers 503).

mod e2e;

use std::time::Duration;

use e2e::{Estate, Watch, desk_phone};
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

/// Waits (bounded: 20 s) until `check` holds.
async fn eventually<F, Fut>(what: &str, watch: &Watch, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    panic!("{what} never happened: {}", watch.log());
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

    // CloudLink down: phone -> Teams goes on.
    outage(&estate, "cloudlink", true).await;
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
