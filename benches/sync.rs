//! Benchmark of a sync cycle (issue 7, DESIGN.md section 6), run by `cargo bench` (release)
//! with the emulator in its own process, so only the client is measured:
//!
//! ```sh
//! cargo build --release
//! MCTEAMS_BENCH_USERS=100000 cargo bench --bench sync
//! ```
//!
//! Per size: the estate is prepared (mappings imported, Teams presence on for everyone, two
//! converging cycles), then for each timed cycle 1 % of the users change (half a phone call,
//! half a Teams status) and `mcteams sync` runs under `/usr/bin/time -v`, 15 s after the last
//! one (`MCTEAMS_BENCH_GAP_S`: runs back to back share Graph's rate limit). The emulator's
//! request counts per system come from `/_sim/stats`.
//!
//! With `MCTEAMS_BENCH_POSTGRES` naming a PostgreSQL server (its password in
//! `MCTEAMS_BENCH_POSTGRES_PASSWORD`), the store is a new schema there instead of the SQLite
//! file; with `MCTEAMS_BENCH_MIGRATE=1` as well, the store stays SQLite and, once converged,
//! is copied to a new schema there by `mcteams state migrate` (timed, each table's count
//! shown).
//!
//! Lower bound of a cycle (published with the figures): the reads of the four systems run in
//! parallel, then the writes of two systems in parallel, each system `concurrency` requests at
//! a time (Graph 16, the Mitel systems 8), each request at least the emulated latency:
//! `lower = L × (max_s ceil(reads_s / c_s) + max_s ceil(writes_s / c_s) + 1)`,
//! the `+ 1` being the token round trip every one-shot run starts with; or the rate limit's
//! minimum time for the Graph presence requests beyond the limiter's burst of 240
//! (`(requests − 240) ÷ (0.8 × 1500 / 30 s)`, a `$batch` counted as its inner requests, as
//! Graph counts it), whichever is larger.

mod support;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const GRAPH_CONCURRENCY: u64 = 16;
const MITEL_CONCURRENCY: u64 = 8;
/// The Graph presence limiter's burst at the default budget share (`src/http/limit.rs`).
const GRAPH_BURST: u64 = 240;

struct Emulator {
    child: Child,
    base: String,
    config: std::path::PathBuf,
    /// `--state URL` when the store is on PostgreSQL.
    state: Vec<String>,
    _dir: tempfile::TempDir,
}

/// A new schema on the benchmark's PostgreSQL server, as a store URL (`None`: no server).
fn postgres_schema() -> Option<String> {
    let url = std::env::var("MCTEAMS_BENCH_POSTGRES").ok()?;
    let password = std::env::var("MCTEAMS_BENCH_POSTGRES_PASSWORD").ok();
    let schema = format!("bench_{}", std::process::id());
    Some(mcteams::store::db::postgres::new_schema(&url, password, &schema).unwrap())
}

fn migrating() -> bool {
    std::env::var("MCTEAMS_BENCH_MIGRATE").is_ok_and(|v| v == "1")
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(users: u32, latency: &str) -> Emulator {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let users = users.to_string();
    let args = [
        "--users",
        users.as_str(),
        "--seed",
        "3",
        "--latency",
        latency,
    ];
    let (child, base) = support::serve_emulator(&args, &config);
    let text = std::fs::read_to_string(&config).unwrap();
    // The store's password, for a PostgreSQL store or a migration's target.
    let text = text.replace(
        "[state]\n",
        "[state]\npassword_env = \"BENCH_POSTGRES_PASSWORD\"\n",
    );
    std::fs::write(&config, text).unwrap();
    let state = match postgres_schema().filter(|_| !migrating()) {
        Some(url) => vec!["--state".to_string(), url],
        None => Vec::new(),
    };
    Emulator {
        child,
        base,
        config,
        state,
        _dir: dir,
    }
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap()
}

impl Emulator {
    fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = http().request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().unwrap();
        assert!(response.status().is_success(), "{path}");
        response.json().unwrap_or(Value::Null)
    }

    fn users(&self, n: u32) -> Vec<Value> {
        let mut all = Vec::new();
        while all.len() < n as usize {
            let page = self.control(
                "GET",
                &format!("/_sim/users?limit=10000&offset={}", all.len()),
                None,
            );
            let items = page["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                break;
            }
            all.extend(items);
        }
        all
    }

    fn mcteams(&self, args: &[&str]) -> std::process::Output {
        Command::new(support::bin())
            .arg("--config")
            .arg(&self.config)
            .args(&self.state)
            .args(args)
            .env("NO_COLOR", "1")
            .env("BENCH_POSTGRES_PASSWORD", password())
            .output()
            .unwrap()
    }

    /// Runs `mcteams` under `/usr/bin/time -v`: (summary JSON, wall, CPU, peak RSS KiB).
    fn timed_sync(&self) -> (Value, f64, f64, u64) {
        let started = Instant::now();
        let out = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(support::bin())
            .arg("--config")
            .arg(&self.config)
            .args(&self.state)
            .args(["-o", "json", "sync", "--force"])
            .env("BENCH_POSTGRES_PASSWORD", password())
            .output()
            .unwrap();
        let wall = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let field = |name: &str| {
            stderr
                .lines()
                .find_map(|l| l.trim().strip_prefix(name))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let cpu = field("User time (seconds):").parse::<f64>().unwrap_or(0.0)
            + field("System time (seconds):")
                .parse::<f64>()
                .unwrap_or(0.0);
        let rss = field("Maximum resident set size (kbytes):")
            .parse()
            .unwrap_or(0);
        // With MCTEAMS_LOG=debug, show where the cycle's time and memory went.
        for line in stderr.lines().filter(|l| {
            l.contains("cycle stage") || l.contains("store read") || l.contains("carried over")
        }) {
            eprintln!("{line}");
        }
        let summary = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert!(
            out.status.success(),
            "sync failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (summary, wall, cpu, rss)
    }

    /// CPU seconds the emulator process has used so far (Linux), to show how much of a
    /// cycle's wall time the emulator itself took on a shared machine.
    fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (ticks(11) + ticks(12)) / 100.0
    }

    fn micollab_token(&self) -> String {
        let text =
            std::fs::read_to_string(self.config.with_file_name("micollab-password.txt")).unwrap();
        let answer: Value = http()
            .post(format!("{}/micollab/2017-09-01/token", self.base))
            .json(
                &json!({"grant_type": "password", "username": "mcteams", "password": text.trim()}),
            )
            .send()
            .unwrap()
            .json()
            .unwrap();
        answer["access_token"].as_str().unwrap().to_string()
    }
}

/// Requests per system since the last reset: (system, reads, writes, 429s, `$batch`
/// envelopes). Writes count a `$batch`'s inner requests and its envelope.
fn counts(stats: &Value) -> Vec<(String, u64, u64, u64, u64)> {
    let mut out = Vec::new();
    for (system, v) in stats["systems"].as_object().into_iter().flatten() {
        let (mut reads, mut writes, mut throttled, mut envelopes) = (0, 0, 0, 0);
        for (endpoint, by_status) in v["endpoints"].as_object().into_iter().flatten() {
            let n: u64 = by_status
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, c)| c.as_u64().unwrap_or(0))
                .sum();
            throttled += by_status["429"].as_u64().unwrap_or(0);
            let write = endpoint.contains("setPresence")
                || endpoint.contains("clearPresence")
                || endpoint.starts_with("PATCH")
                || endpoint.starts_with("PUT")
                || endpoint.contains("$batch");
            if endpoint.contains("/token") {
                continue;
            }
            if endpoint.contains("$batch") {
                envelopes += n;
            }
            if write {
                writes += n;
            } else {
                reads += n;
            }
        }
        out.push((system.clone(), reads, writes, throttled, envelopes));
    }
    out.sort();
    out
}

fn lower_bound(counts: &[(String, u64, u64, u64, u64)], latency: f64) -> f64 {
    let conc = |s: &str| {
        if s == "graph" {
            GRAPH_CONCURRENCY
        } else {
            MITEL_CONCURRENCY
        }
    };
    let waves = |pick: fn(&(String, u64, u64, u64, u64)) -> u64| {
        counts
            .iter()
            .map(|c| pick(c).div_ceil(conc(&c.0)))
            .max()
            .unwrap_or(0)
    };
    let by_latency = latency * (waves(|c| c.1) + waves(|c| c.2) + 1) as f64;
    // Graph's limit counts a `$batch` as the requests inside it, not its envelope.
    let graph: u64 = counts
        .iter()
        .filter(|c| c.0 == "graph")
        .map(|c| c.1 + c.2 - c.4)
        .sum();
    // The limiter lets a burst through at once, then 0.8 × 1500 / 30 s = 40 per second.
    let by_rate = graph.saturating_sub(GRAPH_BURST) as f64 / (0.8 * 1500.0 / 30.0);
    by_latency.max(by_rate)
}

fn sync_cycle_benchmark() {
    let users: u32 = std::env::var("MCTEAMS_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let cycles: usize = std::env::var("MCTEAMS_BENCH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    // Between timed cycles, as a schedule would leave them (the default sync interval): the
    // Graph rate limit a cycle used is carried over to the next run, and a cycle that starts
    // within its reach is paced by it (that is its rate bound, not this table's).
    let gap = Duration::from_secs(
        std::env::var("MCTEAMS_BENCH_GAP_S")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(15),
    );
    let latency_ms: u64 = std::env::var("MCTEAMS_BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let sim = start(users, &format!("{latency_ms}ms"));
    let directory = sim.users(users);
    eprintln!("{} users in the emulator", directory.len());

    // Mappings for everyone, offline (the CSV carries every id).
    let csv = support::offline_csv(&directory);
    let file = sim.config.with_file_name("users.csv");
    std::fs::write(&file, csv).unwrap();
    let out = sim.mcteams(&["-q", "import", "--offline", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Teams presence on for everyone: MiCollab's bulk user PATCH, 1000 at a time.
    let token = sim.micollab_token();
    for chunk in directory.chunks(1000) {
        let operations: Vec<Value> = chunk
            .iter()
            .map(|u| json!({"op": "replace", "id": u["login"], "body": {"teamsPresence": true}}))
            .collect();
        let response = http()
            .patch(format!("{}/micollab/2017-09-01/users", sim.base))
            .bearer_auth(&token)
            .json(&json!({"operations": operations}))
            .send()
            .unwrap();
        assert!(response.status().is_success());
    }
    // Converge: the first cycles write every presentity that differs (a mass change: its
    // wall time, CPU and memory are shown too).
    for round in 1..=2 {
        let (summary, wall, cpu, rss) = sim.timed_sync();
        eprintln!(
            "converging cycle {round}: {} changes applied, {wall:.2} s, CPU {cpu:.2} s, peak RSS {} MB",
            summary["applied_pbx_to_teams"].as_u64().unwrap_or(0)
                + summary["applied_teams_to_micollab"].as_u64().unwrap_or(0),
            rss / 1024
        );
    }

    if migrating() {
        return migrate_benchmark(&sim);
    }
    let backend = if sim.state.is_empty() {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!("store: {backend}");
    let latency = latency_ms as f64 / 1000.0;
    println!(
        "| users | cycle | changes | requests per system (reads/writes) | 429s | wall s | lower bound s | ratio | CPU s | peak RSS MB | emulator CPU s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let changes = (users as usize / 100).max(1);
    for cycle in 0..cycles {
        std::thread::sleep(gap);
        // 1 % of users change: half start or end a phone call, half change Teams status.
        for k in 0..changes {
            let u = &directory[(cycle * changes + k * 97) % directory.len()];
            if k % 2 == 0 {
                let state = if cycle % 2 == 0 { "busy" } else { "idle" };
                sim.control(
                    "POST",
                    &format!("/_sim/pbx/{}/state", u["extension"].as_str().unwrap()),
                    Some(json!({"state": state})),
                );
            } else {
                let (a, b) = if cycle % 2 == 0 {
                    ("Away", "Away")
                } else {
                    ("Available", "Available")
                };
                sim.control(
                    "POST",
                    &format!("/_sim/teams/{}/client", u["upn"].as_str().unwrap()),
                    Some(json!({"availability": a, "activity": b})),
                );
            }
        }
        sim.control("DELETE", "/_sim/stats", None);
        let emulator_cpu = sim.cpu_seconds();
        let (summary, wall, cpu, rss) = sim.timed_sync();
        let emulator_cpu = sim.cpu_seconds() - emulator_cpu;
        let stats = sim.control("GET", "/_sim/stats", None);
        let c = counts(&stats);
        let bound = lower_bound(&c, latency);
        let per_system: Vec<String> = c
            .iter()
            .map(|(s, r, w, _, _)| format!("{s} {r}/{w}"))
            .collect();
        let throttled: u64 = c.iter().map(|x| x.3).sum();
        println!(
            "| {users} | {} | {} | {} | {throttled} | {wall:.2} | {bound:.2} | {:.2} | {cpu:.2} | {} | {emulator_cpu:.2} |",
            cycle + 1,
            summary["applied_pbx_to_teams"].as_u64().unwrap_or(0)
                + summary["applied_teams_to_micollab"].as_u64().unwrap_or(0),
            per_system.join(", "),
            wall / bound.max(1e-9),
            rss / 1024
        );
        assert_eq!(throttled, 0, "a normal run never sees a 429");
    }
}

fn password() -> String {
    std::env::var("MCTEAMS_BENCH_POSTGRES_PASSWORD").unwrap_or_default()
}

/// Times `state migrate` of the converged SQLite store to a new PostgreSQL schema.
fn migrate_benchmark(sim: &Emulator) {
    let Some(url) = postgres_schema() else {
        eprintln!("MCTEAMS_BENCH_MIGRATE needs MCTEAMS_BENCH_POSTGRES");
        return;
    };
    let started = Instant::now();
    let out = sim.mcteams(&["state", "migrate", "--to", &url, "--yes"]);
    let wall = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("state migrate to PostgreSQL: {wall:.2} s wall");
    println!("{}", String::from_utf8_lossy(&out.stdout));
}

fn main() {
    if !support::benchmarking("sync") {
        return;
    }
    sync_cycle_benchmark();
}
