//! High availability on a PostgreSQL store: several `sync --watch` instances share it, one
//! is active, the others stand by calling no system; the active one killed (SIGKILL) at
//! random moments is taken over, and every user is checked against the systems (the
//! emulator), not against the store. The emulator's request log (`GET /_sim/requests`) says
//! which instance wrote what, and when.
//!
//! Runs when `MCTEAMS_TEST_POSTGRES` names a server (`.ci/postgres` starts one; CI always
//! does): each test in a schema of its own.

mod e2e;

use std::time::{Duration, Instant};

use e2e::{Estate, Watch, desk_phone};
use serde_json::Value;

const LEASE: &str = "3s";

/// The tests' server as this estate's store, in a new schema; `None` (said) without one.
async fn on_postgres(estate: &Estate) -> Option<()> {
    let Ok(url) = std::env::var("MCTEAMS_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs the PostgreSQL tests: .ci/run starts a server"
        );
        eprintln!("SKIPPED: MCTEAMS_TEST_POSTGRES names no server (.ci/postgres starts one)");
        return None;
    };
    let password = std::env::var("MCTEAMS_TEST_POSTGRES_PASSWORD").ok();
    let schema = format!("ha_{}", uuid::Uuid::new_v4().simple());
    let admin = mcteams::store::db::PgTarget::parse(&url, password.clone(), None).unwrap();
    let conn = mcteams::store::db::postgres::PgConnection::connect(&admin).unwrap();
    conn.batch(&format!("CREATE SCHEMA {schema}")).unwrap();
    let config = std::fs::read_to_string(&estate.config).unwrap();
    let (before, _) = config
        .split_once("[state]")
        .expect("the estate's config has [state]");
    let separator = if url.contains('?') { '&' } else { '?' };
    std::fs::write(
        &estate.config,
        format!(
            "{before}[state]\nurl = \"{url}{separator}options=-csearch_path%3D{schema}\"\n\
             password_env = \"HA_TEST_POSTGRES_PASSWORD\"\n\n[sync]\nlease_duration = \"{LEASE}\"\n"
        ),
    )
    .unwrap();
    // SAFETY: set before any instance starts; the tests of this file read it only here.
    unsafe { std::env::set_var("HA_TEST_POSTGRES_PASSWORD", password.unwrap_or_default()) };
    Some(())
}

/// Waits (bounded, on the instance's own word) until `watch` holds the lease.
async fn active(watch: &Watch) -> bool {
    for _ in 0..1_000 {
        let log = watch.log();
        let took = log.contains("took the sync lease") || !log.contains("standing by");
        if took && log.contains("sync cycle") {
            let (status, body) = watch.health().await;
            if status == 200 && !body.contains("standby") {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

async fn writes_since(estate: &Estate, since: u64) -> Vec<Value> {
    let log = estate
        .control(
            "GET",
            &format!("/_sim/requests?writes=true&since={since}"),
            None,
        )
        .await;
    log["requests"].as_array().cloned().unwrap_or_default()
}

async fn last_request(estate: &Estate) -> u64 {
    estate
        .control("GET", "/_sim/requests?since=0&writes=true", None)
        .await["last"]
        .as_u64()
        .unwrap()
}

/// Waits (bounded) until the user's phone shows in Teams as `busy` says.
async fn converged(estate: &Estate, upn: &str, busy: bool) -> bool {
    for _ in 0..1_000 {
        if estate.mcteams_sessions(upn).await.is_empty() != busy {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Two instances; the active one killed with SIGKILL at a random moment, ten times: the
/// standby takes over each time (well within two lease periods), every user's phone shows in
/// Teams within two cycles of the new holder, and no write comes from a killed instance
/// after it died.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_takes_over_each_time_the_active_instance_is_killed() {
    let estate = Estate::start(30).await;
    if on_postgres(&estate).await.is_none() {
        return;
    }
    let users = estate.pick(4, desk_phone);
    estate.map_and_enable(&users).await;
    let args = ["--interval", "1s"];
    let mut names = 0;
    let mut start = |estate: &Estate| {
        names += 1;
        let name = format!("instance-{names}");
        (Watch::start_as(estate, &name, &args), name)
    };
    let (mut holder, mut holder_name) = start(&estate);
    assert!(
        active(&holder).await,
        "pid {}: {}",
        holder.pid(),
        holder.log()
    );
    let (mut standby, mut standby_name) = start(&estate);
    assert!(standby.said("standing by").await, "{}", standby.log());
    let (status, body) = standby.health().await;
    assert_eq!((status, body.contains("standby")), (200, true), "{body}");
    let mut takeovers = Vec::new();
    for round in 0..10usize {
        // A random moment of the holder's cycle: between 0 and 1.5 s into this round.
        tokio::time::sleep(Duration::from_millis(rand_ms(round))).await;
        let user = &users[round % users.len()];
        let extension = user["extension"].as_str().unwrap();
        let busy = round % 2 == 0;
        estate
            .phone_state(extension, if busy { "busy" } else { "idle" })
            .await;
        holder.signal(libc::SIGKILL);
        let killed = Instant::now();
        let killed_at_ms = chrono::Utc::now().timestamp_millis();
        let since = last_request(&estate).await;
        assert!(active(&standby).await, "round {round}: {}", standby.log());
        takeovers.push(killed.elapsed().as_secs_f64());
        assert!(
            converged(&estate, e2e::Estate::upn(user), busy).await,
            "round {round}: {}",
            standby.log()
        );
        let late: Vec<Value> = writes_since(&estate, since)
            .await
            .into_iter()
            .filter(|w| w["caller"].as_str().unwrap_or("").contains(&holder_name))
            .filter(|w| w["at_ms"].as_i64().unwrap_or(0) > killed_at_ms)
            .collect();
        assert!(
            late.is_empty(),
            "round {round}: writes of a killed instance: {late:?}"
        );
        let _ = holder.stop().await;
        (holder, holder_name) = (standby, standby_name);
        (standby, standby_name) = start(&estate);
        assert!(standby.said("standing by").await, "{}", standby.log());
    }
    takeovers.sort_by(f64::total_cmp);
    eprintln!(
        "takeover after SIGKILL, 10 rounds, lease {LEASE}: p50 {:.2} s, p95 {:.2} s, max {:.2} s",
        percentile(&takeovers, 0.5),
        percentile(&takeovers, 0.95),
        takeovers[takeovers.len() - 1]
    );
    // Two lease periods at most (a lease lapses, and a standby tries four times a period).
    assert!(takeovers[takeovers.len() - 1] < 6.0, "{takeovers:?}");
    let report = estate.run(&["report", "-o", "json"]).await;
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert_eq!(holder.stop().await, Some(0));
    assert_eq!(standby.stop().await, Some(0));
}

/// A different moment each round, spread over a cycle and a half (no wall-clock wait for
/// an event: the rounds wait on the instances' own word).
fn rand_ms(round: usize) -> u64 {
    (round as u64 * 617 + 211) % 1_500
}
