//! The lease and the clock on a bad day: a watch paused past its lease while another run
//! takes over, a clock far ahead, SIGHUP. The host clock is moved with libfaketime (Debian's
//! `faketime` package, which `.ci/run` installs); the checks read the systems, not the store.

mod e2e;

use std::process::{Command, Stdio};
use std::time::Duration;

use e2e::{Estate, Watch, desk_phone};
use serde_json::json;

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/// libfaketime, or `None` (the test then says it is skipped). CI installs it (`.ci/run`), so
/// there a missing library fails the test instead.
fn faketime() -> Option<&'static str> {
    if std::path::Path::new(LIBFAKETIME).exists() {
        return Some(LIBFAKETIME);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{LIBFAKETIME} is missing: .ci/run installs Debian's faketime"
    );
    eprintln!("SKIPPED: {LIBFAKETIME} is missing (apt-get install faketime)");
    None
}

/// Runs `cmd` with the host clock `offset` away ("+2m", "+1h"), as libfaketime reads it.
fn with_clock(mut cmd: Command, lib: &str, offset: &str) -> Command {
    cmd.env("LD_PRELOAD", lib)
        .env("FAKETIME", offset)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    cmd
}

async fn run(cmd: Command) -> (Option<i32>, String) {
    let mut cmd = cmd;
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("runs"))
        .await
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue 16, 6(b): a watch paused mid-cycle past its lease, a one-shot taking over, then the
/// watch resumed: it drops its old cycle's writes (they would be stale) and stands by.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_resumed_after_a_takeover_sends_nothing_and_stands_by() {
    let Some(lib) = faketime() else { return };
    let estate = Estate::start(40).await;
    let users = estate.pick(5, desk_phone);
    estate.map_and_enable(&users).await;
    for u in &users {
        estate
            .phone_state(u["extension"].as_str().unwrap(), "busy")
            .await;
    }
    // Graph answers late: the watch's first cycle waits for it with the phones read busy.
    estate
        .control(
            "POST",
            "/_sim/faults",
            Some(json!({"system": "graph", "latency_ms": 3000})),
        )
        .await;
    estate.control("DELETE", "/_sim/stats", None).await;
    let watch = Watch::start(&estate, &["--interval", "1h"]);
    let mut waited = 0;
    // Answered phone-state reads (a login or a version probe before them is not enough).
    while estate.requests_to("pbx", "extensions/query").await == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += 1;
        assert!(
            waited < 1_000,
            "the watch never read the PBX: {}",
            watch.log()
        );
    }
    watch.signal(libc::SIGSTOP);
    // Meanwhile the calls end, and a cron run (its clock past the paused lease's expiry)
    // takes over and finds nothing to do.
    for u in &users {
        estate
            .phone_state(u["extension"].as_str().unwrap(), "idle")
            .await;
    }
    estate.control("DELETE", "/_sim/faults", None).await;
    let (code, stderr) = run(with_clock(estate.command(&["sync"]), lib, "+2m")).await;
    assert_eq!(
        code,
        Some(0),
        "the cron run takes the paused watch's lease: {stderr}"
    );
    assert!(stderr.contains("taking over a stale lease"), "{stderr}");
    estate.control("DELETE", "/_sim/stats", None).await;
    watch.signal(libc::SIGCONT);
    assert!(
        watch.said("lost the sync lease").await,
        "the resumed watch noticed: {}",
        watch.log()
    );
    assert!(watch.said("standing by").await, "{}", watch.log());
    for u in &users {
        assert!(
            estate.mcteams_sessions(Estate::upn(u)).await.is_empty(),
            "no stale Busy/InACall for {}: {}",
            u["login"],
            watch.log()
        );
    }
    assert_eq!(
        estate.write_requests().await,
        0,
        "no write sent: {}",
        watch.log()
    );
    let (status, body) = watch.health().await;
    assert_eq!(
        (status, body.trim()),
        (200, "standby: another run holds the sync lease")
    );
    assert_eq!(watch.stop().await, Some(0));
}

/// Issue 16, 6(c): a live holder's lease is never taken, whatever the other run's clock says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_watchs_lease_is_never_taken_by_a_clock_far_ahead() {
    let Some(lib) = faketime() else { return };
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "1h"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    let (code, stderr) = run(with_clock(estate.command(&["sync"]), lib, "+11m")).await;
    assert_eq!(code, Some(75), "{stderr}");
    assert!(
        stderr.contains("another run holds the sync lock"),
        "{stderr}"
    );
    assert_eq!(watch.stop().await, Some(0));
}

/// Issue 16, 6(a): a run with the clock an hour ahead leaves Graph's rate limit "an hour
/// ahead"; the runs after it wait at most Graph's 30 s window, and say so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_left_by_a_clock_an_hour_ahead_does_not_hang_later_runs() {
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let (code, _, stderr) = estate.run_json(&["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    // What that run leaves in the store: its own "now" plus how far it took the limit.
    {
        let state = estate.dir.path().join("state.db");
        let mut store = mcteams::store::Store::open(&state, None).unwrap();
        store
            .set_graph_limit_until(chrono::Utc::now() + chrono::Duration::hours(1))
            .unwrap();
    }
    let mut cmd = estate.command(&["-v", "sync"]);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut finished = None;
    for _ in 0..3_000 {
        if let Some(status) = child.try_wait().unwrap() {
            finished = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let Some(status) = finished else {
        let _ = child.kill();
        panic!("the sync after a clock an hour ahead hangs");
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("further ahead than Graph's 30 s window"),
        "{stderr}"
    );
}

/// Issue 16, 6(e): SIGHUP re-reads the configuration (a bad one is refused and the running
/// one kept); the service goes on and keeps its lease.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_rereads_the_configuration_and_a_bad_one_is_refused() {
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let watch = Watch::start(&estate, &["--interval", "2s"]);
    assert!(watch.said("sync cycle").await, "{}", watch.log());
    let good = std::fs::read_to_string(&estate.config).unwrap();
    assert!(!good.contains("[sync]"));
    std::fs::write(
        &estate.config,
        format!("{good}\n[sync]\nsession_ttl = \"20m\"\n"),
    )
    .unwrap();
    watch.signal(libc::SIGHUP);
    assert!(watch.said("configuration re-read").await, "{}", watch.log());
    assert!(watch.said("session_ttl=20m").await, "{}", watch.log());
    std::fs::write(&estate.config, format!("{good}\n[nonsense\n")).unwrap();
    watch.signal(libc::SIGHUP);
    assert!(
        watch.said("configuration is refused").await,
        "{}",
        watch.log()
    );
    std::fs::write(&estate.config, &good).unwrap();
    let (code, stderr) = run(estate.command(&["sync"])).await;
    assert_eq!(code, Some(75), "the watch still holds the lease: {stderr}");
    let (status, _) = watch.health().await;
    assert_eq!(status, 200);
    assert_eq!(watch.stop().await, Some(0));
}
