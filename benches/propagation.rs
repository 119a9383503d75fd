//! How long a change made in Teams takes to reach MiCollab under `sync --watch` (issue 7,
//! DESIGN.md section 6: within interval + 2 s at p95), run by `cargo bench`:
//!
//! ```sh
//! cargo build --release
//! cargo bench --bench propagation
//! ```
//!
//! The emulator and `mcteams sync --watch --interval 15s` each run in their own process.
//! Users pick "Do not disturb" in Teams at spread-out moments; the time until their MiCollab
//! status (the CloudLink presentity) shows it is measured by polling the emulator every 50 ms.
//!
//! On a bad day (issue 16): `MCTEAMS_BENCH_DOWN=pbx` keeps that system down for the whole run
//! (Teams -> MiCollab does not need it), and `MCTEAMS_BENCH_SPREAD_S` spreads the changes over
//! that long (default 30 s), e.g. `MCTEAMS_BENCH_DOWN=pbx MCTEAMS_BENCH_SPREAD_S=300`;
//! `MCTEAMS_BENCH_SLOW=pbx:5000` makes that system answer every request 5 s late instead.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

async fn teams_to_micollab_propagation_in_watch_mode() {
    let samples: usize = std::env::var("MCTEAMS_BENCH_SAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let spread_ms: u64 = std::env::var("MCTEAMS_BENCH_SPREAD_S")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(30)
        * 1000;
    let down = std::env::var("MCTEAMS_BENCH_DOWN").ok();
    // A system that answers every request this late without failing (`pbx:5000`).
    let slow = std::env::var("MCTEAMS_BENCH_SLOW").ok();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let (mut sim, base) = support::serve_emulator(&["--users", "1000", "--seed", "5"], &config);
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = http.clone();
        let base = base.clone();
        async move {
            http.get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let users = get("/_sim/users?limit=1000".into()).await["items"]
        .as_array()
        .cloned()
        .unwrap();
    let csv = support::offline_csv(&users);
    let file = dir.path().join("users.csv");
    std::fs::write(&file, csv).unwrap();
    let mcteams = |args: &[&str]| {
        Command::new(support::bin())
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(
        mcteams(&["-q", "import", "--offline", file.to_str().unwrap()])
            .status
            .success()
    );
    let logins: Vec<&str> = users.iter().map(|u| u["login"].as_str().unwrap()).collect();
    for chunk in logins.chunks(500) {
        let mut args = vec!["-q", "user", "enable", "--yes", "--force"];
        args.extend_from_slice(chunk);
        assert!(mcteams(&args).status.success());
    }
    // The sampled users are signed in to Teams (preferred presence needs a session).
    for k in 0..samples {
        let upn = users[k * 7 % users.len()]["upn"].as_str().unwrap();
        http.post(format!("{base}/_sim/teams/{upn}/client"))
            .json(&json!({"availability": "Available", "activity": "Available"}))
            .send()
            .await
            .unwrap();
    }
    assert!(mcteams(&["-q", "sync", "--force"]).status.success());

    let mut watch = Command::new(support::bin())
        .arg("--config")
        .arg(&config)
        .args(["-q", "sync", "--watch", "--interval", "15s"])
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    if let Some(system) = &down {
        http.post(format!("{base}/_sim/faults"))
            .json(&json!({"system": system, "outage": true}))
            .send()
            .await
            .unwrap();
    }
    if let Some((system, ms)) = slow.as_deref().and_then(|s| s.split_once(':')) {
        let latency_ms: u64 = ms.parse().expect("MCTEAMS_BENCH_SLOW: system:milliseconds");
        http.post(format!("{base}/_sim/faults"))
            .json(&json!({"system": system, "latency_ms": latency_ms}))
            .send()
            .await
            .unwrap();
    }

    // Spread the changes (over two intervals by default), a few concurrently.
    let mut tasks = Vec::new();
    for k in 0..samples {
        let upn = users[k * 7 % users.len()]["upn"]
            .as_str()
            .unwrap()
            .to_string();
        let http = http.clone();
        let base = base.clone();
        let offset = Duration::from_millis((k as u64 * spread_ms / samples as u64) % spread_ms);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(offset).await;
            http.post(format!("{base}/_sim/teams/{upn}/preferred"))
                .json(&json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"}))
                .send()
                .await
                .unwrap();
            let changed = Instant::now();
            loop {
                let user: Value = http
                    .get(format!("{base}/_sim/users/{upn}"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                if user["cloudlink"]["presentity"]["status"] == "Do not disturb" {
                    return changed.elapsed();
                }
                if changed.elapsed() > Duration::from_secs(60) {
                    return Duration::from_secs(60);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }
    let mut delays = Vec::new();
    for t in tasks {
        delays.push(t.await.unwrap());
    }
    let _ = watch.kill();
    let _ = watch.wait();
    let _ = sim.kill();
    let _ = sim.wait();
    delays.sort();
    let pct =
        |p: f64| delays[((delays.len() as f64 * p).ceil() as usize).clamp(1, delays.len()) - 1];
    println!(
        "propagation Teams -> MiCollab, interval 15 s, {} samples over {} s{}: p50 {:.1} s, p95 {:.1} s, max {:.1} s",
        delays.len(),
        spread_ms / 1000,
        down.as_ref()
            .map(|s| format!(" with {s} down"))
            .or(slow.as_ref().map(|s| format!(" with {s} ms slow")))
            .unwrap_or_default(),
        pct(0.50).as_secs_f64(),
        pct(0.95).as_secs_f64(),
        delays.last().unwrap().as_secs_f64()
    );
    assert!(
        pct(0.95) <= Duration::from_secs(17),
        "p95 above interval + 2 s"
    );
}

fn main() {
    if support::benchmarking("propagation") {
        support::block_on(teams_to_micollab_propagation_in_watch_mode());
    }
}
