//! Benchmark of the Graph client (`cargo bench --bench graph`; figures and commands in
//! docs/emulator.md, "Benchmarks"): reads presence for 100,000 users through the emulator
//! running in its own process, and reports per cycle the requests, wall time and the
//! client's CPU time, then the client's peak memory and the 429s the emulator counted.
//!
//! ```text
//! cargo build --release
//! cargo bench --bench graph
//! ```
//!
//! Environment (all optional): `MCTEAMS_BENCH_USERS` (100000), `MCTEAMS_BENCH_ROUNDS` (5),
//! `MCTEAMS_BENCH_INTERVAL_S` (15, the default sync interval: each cycle starts with the
//! rate limiter's burst refilled; 0 runs the cycles back to back, at the limit),
//! `MCTEAMS_BENCH_LATENCY` (e.g. `20ms`, passed to `sim serve --latency`).
//! The emulator is `target/<profile>/mcteams sim serve --write-config …`, started here and
//! never waited for, so `/usr/bin/time -v` on this benchmark counts the client alone.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use mcteams::config::Config;
use mcteams::connectors::PresenceDirectory;
use mcteams::connectors::graph::GraphClient;
use serde::Deserialize;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// utime + stime of this process (not its children), from /proc/self/stat (USER_HZ = 100).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    // After "pid (comm)": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
    // cmajflt utime stime …
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let ticks = field(11) + field(12);
    Duration::from_millis(ticks * 10)
}

/// Peak resident memory of this process (VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[derive(Deserialize)]
struct UserPage {
    items: Vec<UserId>,
}

#[derive(Deserialize)]
struct UserId {
    #[serde(rename = "objectId")]
    object_id: String,
}

async fn presence_of_100k_users_through_an_emulator_in_its_own_process() {
    let users: u32 = env_or("MCTEAMS_BENCH_USERS", 100_000);
    let rounds: u32 = env_or("MCTEAMS_BENCH_ROUNDS", 5);
    let interval = Duration::from_secs_f64(env_or("MCTEAMS_BENCH_INTERVAL_S", 15.0));
    let latency = std::env::var("MCTEAMS_BENCH_LATENCY").ok();

    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("config.toml");
    let users_text = users.to_string();
    let mut args = vec!["--users", users_text.as_str()];
    if let Some(latency) = &latency {
        args.extend(["--latency", latency.as_str()]);
    }
    // Deliberately never waited for: a waited-for child's CPU time and peak RSS are added
    // to this process's in what `/usr/bin/time -v` reports. It is sent SIGTERM at the end
    // and reaped by init once this process exits.
    let (emulator, base) = support::serve_emulator(&args, &config_path);

    // Setup (not measured): the object ids, from the control API.
    let http = reqwest::Client::new();
    let mut ids = Vec::with_capacity(users as usize);
    while ids.len() < users as usize {
        let page: UserPage = http
            .get(format!(
                "{base}/_sim/users?limit=10000&offset={}",
                ids.len()
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(!page.items.is_empty());
        ids.extend(page.items.into_iter().map(|u| u.object_id));
    }
    http.delete(format!("{base}/_sim/stats"))
        .send()
        .await
        .unwrap();

    let text = std::fs::read_to_string(&config_path).unwrap();
    let config = Config::from_parts(Some(&config_path), &text, |_| None).unwrap();
    let graph = GraphClient::from_config(&config).unwrap();
    println!(
        "graph client benchmark: {users} users, {rounds} cycles, interval {interval:?}, latency {}",
        latency.as_deref().unwrap_or("0")
    );
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for round in 0..rounds {
        let started = Instant::now();
        let before = graph.http().stats();
        let cpu_before = cpu_time();
        let presences = graph.read_presences(&ids).await.unwrap();
        let wall = started.elapsed();
        let cpu = cpu_time() - cpu_before;
        let after = graph.http().stats();
        assert_eq!(presences.len(), ids.len());
        drop(presences);
        println!(
            "cycle {round}: requests {} (429: {}), wall {:.0} ms, client CPU {:.0} ms, token fetches {}",
            after.attempts - before.attempts,
            after.throttled - before.throttled,
            wall.as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0,
            graph.token_fetches(),
        );
        walls.push(wall);
        cpus.push(cpu);
        if round + 1 < rounds {
            tokio::time::sleep(interval.saturating_sub(wall)).await;
        }
    }
    let stats: serde_json::Value = http
        .get(format!("{base}/_sim/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reads =
        &stats["systems"]["graph"]["endpoints"]["POST /communications/getPresencesByUserId"];
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    // Skip the first cycle (token fetch, connections opened) in the medians when there are
    // several.
    let steady = |v: &Vec<Duration>| {
        if v.len() > 2 {
            v[1..].to_vec()
        } else {
            v.clone()
        }
    };
    println!(
        "median of cycles 2..: wall {:.0} ms, client CPU {:.0} ms; first cycle wall {:.0} ms; \
         client peak RSS {:.1} MB; emulator counted {} reads answered 200 and {} answered 429",
        median(steady(&walls)).as_secs_f64() * 1000.0,
        median(steady(&cpus)).as_secs_f64() * 1000.0,
        walls[0].as_secs_f64() * 1000.0,
        peak_rss_mb(),
        reads["200"].as_u64().unwrap_or(0),
        reads["429"].as_u64().unwrap_or(0),
    );
    assert_eq!(reads["429"].as_u64().unwrap_or(0), 0, "no 429 at the limit");
    // Stop the emulator; it is not waited for (its memory must not count as the client's).
    let _ = Command::new("kill")
        .args(["-TERM", &emulator.id().to_string()])
        .status();
}

fn main() {
    if support::benchmarking("graph") {
        support::block_on(presence_of_100k_users_through_an_emulator_in_its_own_process());
    }
}
