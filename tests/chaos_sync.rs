//! The bad day for real: a one-shot `mcteams sync` killed with SIGKILL, SIGTERM and SIGINT at
//! random moments while it sends its Graph session writes (a Graph latency fault keeps each
//! write on the wire for a while), then one more sync. Every user is then checked against
//! the systems (mcteams' session in Graph against the phone), never against mcteams' records,
//! and `report` must call in_sync only users who are.
//!
//! Trials per signal: `MCTEAMS_CHAOS_TRIALS` (default 2); the seed of the random moments and
//! phone changes: `MCTEAMS_CHAOS_SEED` (printed, so a failure can be replayed).

mod e2e;

use std::collections::HashMap;
use std::time::Duration;

use e2e::{Estate, desk_phone};
use serde_json::{Value, json};

const USERS: usize = 300;
/// Graph's answer to every request is this late, so the writes of a run are seconds wide.
const GRAPH_LATENCY_MS: u64 = 1_500;

/// A small deterministic generator (xorshift64*): the test needs no more than that.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What mcteams' session in Teams must be for a phone: in a call, or none.
fn expected(busy: bool) -> Vec<String> {
    if busy {
        vec!["Busy/InACall".to_string()]
    } else {
        Vec::new()
    }
}

struct Rig {
    estate: Estate,
    users: Vec<Value>,
    busy: HashMap<String, bool>,
}

impl Rig {
    async fn start() -> Rig {
        let estate = Estate::start(2 * USERS as u32).await;
        let users = estate.pick(USERS, desk_phone);
        estate.map_and_enable(&users).await;
        let busy = users
            .iter()
            .map(|u| (Estate::upn(u).to_string(), false))
            .collect();
        Rig {
            estate,
            users,
            busy,
        }
    }

    /// Puts about half the phones in a call, changing about a third of them.
    async fn change_phones(&mut self, dice: &mut Dice) {
        for u in &self.users {
            if dice.below(3) != 0 {
                continue;
            }
            let upn = Estate::upn(u).to_string();
            let now_busy = !self.busy[&upn];
            let state = if now_busy { "busy" } else { "idle" };
            self.estate
                .phone_state(u["extension"].as_str().unwrap(), state)
                .await;
            self.busy.insert(upn, now_busy);
        }
    }

    /// Users whose session in Graph is not what their phone needs.
    async fn wrong_users(&self) -> Vec<String> {
        let mut wrong = Vec::new();
        for (upn, busy) in &self.busy {
            if self.estate.mcteams_sessions(upn).await != expected(*busy) {
                wrong.push(upn.clone());
            }
        }
        wrong.sort();
        wrong
    }

    /// Users `report` calls in_sync whose Graph session is not the one it shows for them.
    async fn in_sync_but_wrong(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["report", "--all"];
        all.extend_from_slice(args);
        let (code, rows, stderr) = self.estate.run_json(&all).await;
        assert_eq!(code, 0, "report: {stderr}");
        let mut lying = Vec::new();
        for row in rows.as_array().expect("report rows") {
            let reasons: Vec<&str> = row["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if !reasons.contains(&"in_sync") {
                continue;
            }
            let upn = row["teams_upn"].as_str().unwrap();
            let shown: Vec<String> = row["mcteams_session"]
                .as_str()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default();
            let actual = self.estate.mcteams_sessions(upn).await;
            // `--from-state` vouches for what mcteams holds; a live report for the phone too.
            let truth = if args.contains(&"--from-state") {
                shown
            } else {
                expected(self.busy[upn])
            };
            if actual != truth {
                lying.push(upn.to_string());
            }
        }
        lying
    }

    async fn graph_latency(&self, ms: u64) {
        self.estate
            .control(
                "POST",
                "/_sim/faults",
                Some(json!({"system": "graph", "latency_ms": ms})),
            )
            .await;
    }
}

/// Spawns `mcteams sync`, sends `signal` at a random moment after it journaled its writes
/// (each takes the Graph latency to reach Graph), and returns its exit code (`None`: ended by the signal itself).
async fn interrupted_sync(rig: &Rig, signal: i32, dice: &mut Dice) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("mcteams"));
    cmd.env("HOME", rig.estate.dir.path())
        .env("XDG_DATA_HOME", rig.estate.dir.path().join("xdg-data"))
        .env("NO_COLOR", "1")
        .args(["--config", rig.estate.config.to_str().unwrap(), "sync"])
        .current_dir(rig.estate.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("sync starts");
    // The run journaled its writes: it is about to send them, or sending.
    let store = mcteams::store::Store::open(&rig.estate.dir.path().join("state.db"), None)
        .expect("the store opens beside the run");
    let mut waited = 0;
    while store.journal_unconfirmed().expect("journal").is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
        assert!(waited < 3_000, "the sync never started writing");
    }
    drop(store);
    let extra = dice.below(GRAPH_LATENCY_MS * 2 / 3);
    tokio::time::sleep(Duration::from_millis(extra)).await;
    // SAFETY: a signal to our own child, whose pid we hold and have not reaped.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0, "signal not sent");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait"))
        .await
        .expect("join");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_mid_write_leaves_nobody_wrong_after_the_next_run() {
    let trials: usize = std::env::var("MCTEAMS_CHAOS_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let seed: u64 = std::env::var("MCTEAMS_CHAOS_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("chaos seed {seed} (MCTEAMS_CHAOS_SEED), {trials} trials per signal");
    let mut dice = Dice(seed);
    let mut rig = Rig::start().await;
    let (code, _, stderr) = rig.estate.run_json(&["sync"]).await;
    assert_eq!(code, 0, "first sync: {stderr}");

    let mut wrong_after_kill = 0;
    for round in 0..trials {
        for (signal, name, want) in [
            (libc::SIGKILL, "SIGKILL", None),
            (libc::SIGTERM, "SIGTERM", Some(143)),
            (libc::SIGINT, "SIGINT", Some(130)),
        ] {
            rig.change_phones(&mut dice).await;
            rig.graph_latency(GRAPH_LATENCY_MS).await;
            let (code, stderr) = interrupted_sync(&rig, signal, &mut dice).await;
            assert_eq!(code, want, "{name} (round {round}): {stderr}");
            rig.graph_latency(0).await;

            let wrong_now = rig.wrong_users().await.len();
            wrong_after_kill += wrong_now;
            let lying = rig.in_sync_but_wrong(&["--from-state"]).await;
            assert!(
                lying.is_empty(),
                "{name} (round {round}): report --from-state calls {} users in_sync whose \
                 Teams session is not the one it shows: {lying:?}",
                lying.len()
            );

            let (code, _, stderr) = rig.estate.run_json(&["sync"]).await;
            assert_eq!(code, 0, "{name} (round {round}), the sync after: {stderr}");
            let wrong = rig.wrong_users().await;
            assert!(
                wrong.is_empty(),
                "{name} (round {round}): {} users wrong after one more sync: {wrong:?}",
                wrong.len()
            );
            let lying = rig.in_sync_but_wrong(&[]).await;
            assert!(lying.is_empty(), "{name} (round {round}): {lying:?}");
            eprintln!(
                "{name} round {round}: {wrong_now} users wrong right after the signal, 0 after one more sync"
            );
        }
    }
    eprintln!(
        "{} trials: {wrong_after_kill} user-trials wrong right after the signal, 0 after one more sync",
        trials * 3
    );
}
