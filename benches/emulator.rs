//! The emulator in-process (criterion): a 650-id presence read over loopback, the sync's read
//! unit. The emulator's clock moves 30 ms before each read (outside the measurement), so the
//! reads stay under Graph's 1,500 per 30 s and are never answered 429.
//! `cargo bench --bench emulator`; `cargo test --all-targets` runs it once.
//!
//! With `MCTEAMS_SIM_URL` (and `MCTEAMS_SIM_SECRET_FILE`, the Graph secret file its
//! `--write-config` wrote) it reads from that emulator instead, running in its own process,
//! e.g. `mcteams sim serve --users 100000` under `/usr/bin/time -v` (docs/benchmarks.md).

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mcteams::sim::{SimHandle, SimOptions};
use serde_json::{Value, json};

const USERS: u32 = 2_000;
const IDS: usize = 650;

/// Where the reads go, and what they need.
struct Setup {
    /// The in-process emulator, when no other was named.
    sim: Option<SimHandle>,
    base: String,
    http: reqwest::Client,
    token: String,
    ids: Vec<String>,
}

/// The emulator named by `MCTEAMS_SIM_URL`, or one started here; its Graph login.
async fn emulator() -> (Option<SimHandle>, String, [String; 3]) {
    if let Ok(base) = std::env::var("MCTEAMS_SIM_URL") {
        let info: Value = reqwest::get(format!("{base}/_sim/info"))
            .await
            .expect("the emulator answers")
            .json()
            .await
            .expect("its info");
        let secret_file =
            std::env::var("MCTEAMS_SIM_SECRET_FILE").expect("MCTEAMS_SIM_SECRET_FILE");
        let secret = std::fs::read_to_string(secret_file).expect("the Graph secret file");
        let field = |name: &str| info[name].as_str().unwrap_or_default().to_string();
        let login = [
            field("tenant_id"),
            field("graph_client_id"),
            secret.trim().to_string(),
        ];
        return (None, base, login);
    }
    let sim = mcteams::sim::start(SimOptions {
        users: USERS,
        ..SimOptions::default()
    })
    .await
    .expect("the emulator starts");
    let creds = &sim.credentials;
    let login = [
        creds.tenant_id.clone(),
        creds.graph_client_id.clone(),
        creds.graph_client_secret.clone(),
    ];
    let base = sim.base_url.clone();
    (Some(sim), base, login)
}

async fn setup() -> Setup {
    let (sim, base, [tenant, client_id, secret]) = emulator().await;
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{base}/login/{tenant}/oauth2/v2.0/token"))
        .form(&[
            ("client_id", client_id.as_str()),
            ("scope", "https://graph.microsoft.com/.default"),
            ("grant_type", "client_credentials"),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("a token")
        .json()
        .await
        .expect("a token's JSON");
    let users: Value = http
        .get(format!("{base}/_sim/users?limit={IDS}"))
        .send()
        .await
        .expect("the users")
        .json()
        .await
        .expect("the users' JSON");
    let ids = users["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|u| u["objectId"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Setup {
        token: token["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        sim,
        base,
        http,
        ids,
    }
}

async fn advance_clock(s: &Setup) {
    s.http
        .post(format!("{}/_sim/clock", s.base))
        .json(&json!({"advance_s": 0.03}))
        .send()
        .await
        .expect("the clock moves");
}

async fn read_presences(s: &Setup) -> usize {
    let response = s
        .http
        .post(format!(
            "{}/graph/v1.0/communications/getPresencesByUserId",
            s.base
        ))
        .bearer_auth(&s.token)
        .json(&json!({"ids": s.ids}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    response.bytes().await.expect("a body").len()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let setup = runtime.block_on(setup());
    assert_eq!(setup.ids.len(), IDS);
    c.bench_function("emulator: 650-id presence read over loopback", |b| {
        b.iter_batched(
            || runtime.block_on(advance_clock(&setup)),
            |()| runtime.block_on(read_presences(&setup)),
            BatchSize::PerIteration,
        )
    });
    if let Some(sim) = setup.sim {
        runtime.block_on(sim.shutdown());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
