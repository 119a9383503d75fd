//! Benchmark of the emulator alone (ignored by default; see docs/emulator.md):
//! start `mcteams sim serve --users 100000` under `/usr/bin/time -v`, then run
//! `MCTEAMS_SIM_URL=http://127.0.0.1:PORT cargo test --release --test sim_bench -- --ignored --nocapture`.
//! It times 650-id presence reads (the sync's read unit) and prints the median and p95.

use std::time::Instant;

use serde_json::{Value, json};

#[tokio::test]
#[ignore = "needs a running emulator: see docs/emulator.md"]
async fn presence_read_of_650_ids() {
    let base = std::env::var("MCTEAMS_SIM_URL").expect("MCTEAMS_SIM_URL=http://127.0.0.1:PORT");
    let http = reqwest::Client::new();
    let info: Value = http
        .get(format!("{base}/_sim/info"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = std::env::var("MCTEAMS_SIM_SECRET_FILE")
        .map(|f| std::fs::read_to_string(f).unwrap().trim().to_string())
        .expect("MCTEAMS_SIM_SECRET_FILE=path of graph-secret.txt");
    let token: Value = http
        .post(format!(
            "{base}/login/{}/oauth2/v2.0/token",
            info["tenant_id"].as_str().unwrap()
        ))
        .form(&[
            ("client_id", info["graph_client_id"].as_str().unwrap()),
            ("scope", "https://graph.microsoft.com/.default"),
            ("grant_type", "client_credentials"),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let users: Value = http
        .get(format!("{base}/_sim/users?limit=10000"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["objectId"].as_str().unwrap().to_string())
        .collect();
    let mut times = Vec::new();
    // 15 chunks of 650 ids, 20 rounds: 300 reads, well under the 1,500 per 30 s limit.
    for round in 0..20 {
        for chunk in ids.chunks(650).take(15) {
            let started = Instant::now();
            let response = http
                .post(format!(
                    "{base}/graph/v1.0/communications/getPresencesByUserId"
                ))
                .bearer_auth(&token)
                .json(&json!({"ids": chunk}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "round {round}");
            let body = response.bytes().await.unwrap();
            times.push(started.elapsed());
            assert!(body.len() > 1000);
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    println!(
        "650-id presence read over HTTP: n={} median={median:?} p95={p95:?}",
        times.len()
    );
}
