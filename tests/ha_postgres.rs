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

/// A new schema on the tests' server, as a store URL; `None` (said) without a server. The
/// password is in `HA_TEST_POSTGRES_PASSWORD` for the config's `[state] password_env`.
fn new_schema() -> Option<String> {
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
    let url = mcteams::store::db::postgres::new_schema(&url, password.clone(), &schema).unwrap();
    // SAFETY: every test of this file sets the same value, before it starts any process.
    unsafe { std::env::set_var("HA_TEST_POSTGRES_PASSWORD", password.unwrap_or_default()) };
    Some(url)
}

/// The estate's `[state]` section, replaced by `state` (and a short lease).
fn set_state(estate: &Estate, state: &str) {
    let config = std::fs::read_to_string(&estate.config).unwrap();
    let (before, _) = config
        .split_once("[state]")
        .expect("the estate's config has [state]");
    let text = format!(
        "{before}[state]\n{state}\npassword_env = \"HA_TEST_POSTGRES_PASSWORD\"\n\n\
         [sync]\nlease_duration = \"{LEASE}\"\n"
    );
    std::fs::write(&estate.config, text).unwrap();
}

/// The tests' server as this estate's store, in a new schema; `None` (said) without one.
async fn on_postgres(estate: &Estate) -> Option<()> {
    let url = new_schema()?;
    set_state(estate, &format!("url = \"{url}\""));
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

/// Whether a logged request changes something (not a read, a bulk query, or a sign-in).
fn changes_something(request: &Value) -> bool {
    let path = request["path"].as_str().unwrap_or("");
    request["method"] != "GET"
        && !["query", "getPresencesByUserId", "token"]
            .iter()
            .any(|read| path.contains(read))
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
    assert!(
        standby
            .metrics_text()
            .await
            .contains("mcteams_sync_standby 1"),
        "the standby's metric"
    );
    assert!(
        holder
            .metrics_text()
            .await
            .contains("mcteams_sync_standby 0")
    );
    // A one-shot run takes part in the same lease: refused while a watch syncs.
    let once = estate.run(&["sync"]).await;
    assert_eq!(once.status.code(), Some(75), "{}", text(&once.stderr));
    let mut takeovers = Vec::new();
    let mut busy_now = vec![false; users.len()];
    for round in 0..10usize {
        // A random moment of the holder's cycle: between 0 and 1.5 s into this round.
        tokio::time::sleep(Duration::from_millis(rand_ms(round))).await;
        let user = &users[round % users.len()];
        let extension = user["extension"].as_str().unwrap();
        let busy = round % 2 == 0;
        busy_now[round % users.len()] = busy;
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
            .filter(changes_something)
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
    // Every user as their phone is, whoever showed it.
    for (user, busy) in users.iter().zip(&busy_now) {
        assert!(converged(&estate, Estate::upn(user), *busy).await, "{user}");
    }
    let report = estate.run(&["report", "-o", "json"]).await;
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert_eq!(holder.stop().await, Some(0));
    assert_eq!(standby.stop().await, Some(0));
    // No journal entry of a killed instance was left unsettled by the ones after it.
    let store = open_store(&estate);
    let open = store.journal_unconfirmed().unwrap();
    assert!(open.is_empty(), "journal entries never settled: {open:?}");
}

/// The estate's PostgreSQL store, as the tests' process opens it.
fn open_store(estate: &Estate) -> mcteams::store::Store {
    let config = std::fs::read_to_string(&estate.config).unwrap();
    let url = config
        .lines()
        .find_map(|l| l.strip_prefix("url = \""))
        .unwrap()
        .trim_end_matches('"');
    let password = std::env::var("MCTEAMS_TEST_POSTGRES_PASSWORD").ok();
    let target = mcteams::store::db::PgTarget::parse(url, password, None).unwrap();
    let location = mcteams::store::Location::Postgres(Box::new(target));
    mcteams::store::Store::open_at(&location, None).unwrap()
}

/// A different moment each round, spread over a cycle and a half (no wall-clock wait for
/// an event: the rounds wait on the instances' own word).
fn rand_ms(round: usize) -> u64 {
    (round as u64 * 617 + 211) % 1_500
}

/// Waits (bounded) until the instance `caller` has read Teams presence `n` times since the
/// request log's `since`.
async fn polled(estate: &Estate, caller: &str, since: u64, n: usize) -> bool {
    for _ in 0..1_000 {
        let log = estate
            .control("GET", &format!("/_sim/requests?since={since}"), None)
            .await;
        let reads = log["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["caller"].as_str().unwrap_or("").contains(caller))
            .filter(|r| {
                r["path"]
                    .as_str()
                    .unwrap_or("")
                    .contains("getPresencesByUserId")
            })
            .count();
        if reads >= n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// A holder paused (SIGSTOP) past its lease while the standby takes over, then resumed: it
/// sends nothing after its renew deadline, steps down to standby, and the session it set
/// for a call that ended meanwhile does not outlive the takeover.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_paused_past_its_lease_sends_nothing_when_resumed_and_stands_by() {
    let estate = Estate::start(30).await;
    if on_postgres(&estate).await.is_none() {
        return;
    }
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let upn = Estate::upn(&users[0]);
    let extension = users[0]["extension"].as_str().unwrap();
    let args = ["--interval", "1s"];
    let holder = Watch::start_as(&estate, "paused-one", &args);
    assert!(active(&holder).await, "{}", holder.log());
    let standby = Watch::start_as(&estate, "other-one", &args);
    assert!(standby.said("standing by").await, "{}", standby.log());
    estate.phone_state(extension, "busy").await;
    assert!(converged(&estate, upn, true).await, "{}", holder.log());
    holder.signal(libc::SIGSTOP);
    let paused_at_ms = chrono::Utc::now().timestamp_millis();
    // The call ends while the holder is paused: the standby takes over and clears it.
    estate.phone_state(extension, "idle").await;
    assert!(active(&standby).await, "{}", standby.log());
    assert!(converged(&estate, upn, false).await, "{}", standby.log());
    holder.signal(libc::SIGCONT);
    assert!(holder.said("standing by").await, "{}", holder.log());
    let (status, body) = holder.health().await;
    assert_eq!((status, body.contains("standby")), (200, true), "{body}");
    // Two more Teams polls of the new holder with the resumed one around.
    let since = last_request(&estate).await;
    assert!(
        polled(&estate, "other-one", since, 2).await,
        "{}",
        standby.log()
    );
    // The renew deadline: two thirds of the lease after its last renewal, before the pause.
    let deadline_ms = paused_at_ms + 2_000;
    let late: Vec<Value> = writes_since(&estate, 0)
        .await
        .into_iter()
        .filter(|w| w["caller"].as_str().unwrap_or("").contains("paused-one"))
        .filter(|w| w["at_ms"].as_i64().unwrap_or(0) > deadline_ms)
        .filter(changes_something)
        .collect();
    assert!(
        late.is_empty(),
        "writes of the paused holder after its deadline: {late:?}"
    );
    assert!(
        estate.mcteams_sessions(upn).await.is_empty(),
        "a session outlived the takeover"
    );
    assert_eq!(holder.stop().await, Some(0));
    assert_eq!(standby.stop().await, Some(0));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `state migrate`: a SQLite store with mappings, records and history copied to PostgreSQL
/// with each table's count equal; a dry run writes nothing; a target holding a store is
/// refused unless forced; the estate then syncs from PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_store_moves_to_postgres_whole() {
    let estate = Estate::start(20).await;
    let Some(url) = new_schema() else { return };
    let users = estate.pick(3, desk_phone);
    estate.map_and_enable(&users).await;
    let synced = estate.run(&["sync"]).await;
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    let config = std::fs::read_to_string(&estate.config).unwrap();
    let file = config.split_once("[state]").unwrap().1.trim().to_string();
    set_state(&estate, &file);
    let migrate = ["-o", "json", "state", "migrate", "--to", url.as_str()];
    let with = |extra: &[&'static str]| {
        let mut args = migrate.to_vec();
        args.extend_from_slice(extra);
        args
    };
    let dry = estate.run(&with(&["--dry-run"])).await;
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(
        text(&dry.stderr).contains("dry run"),
        "{}",
        text(&dry.stderr)
    );
    let moved = estate.run(&with(&["--yes"])).await;
    assert!(moved.status.success(), "{}", text(&moved.stderr));
    let counts: Vec<Value> = serde_json::from_slice(&moved.stdout).unwrap();
    assert_eq!(counts.len(), 11, "{counts:?}");
    for c in &counts {
        assert_eq!(c["source"], c["target"], "{c}");
    }
    let count = |table: &str| {
        counts.iter().find(|c| c["table"] == table).unwrap()["target"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(count("mappings"), 3);
    assert_eq!(count("sync_records"), 3);
    assert!(count("runs") >= 2 && count("journal") > 0, "{counts:?}");
    let again = estate.run(&with(&["--yes"])).await;
    assert_eq!(again.status.code(), Some(1), "{}", text(&again.stderr));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    let forced = estate.run(&with(&["--force", "--yes"])).await;
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    set_state(&estate, &format!("url = \"{url}\""));
    let listed = estate.run(&["-o", "json", "user", "list"]).await;
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let listed: Vec<Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.len(), 3);
    let synced = estate.run(&["sync"]).await;
    assert!(synced.status.success(), "{}", text(&synced.stderr));
}
