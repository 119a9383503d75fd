//! What the whole-process benchmarks share.

/// Whether this run is `cargo bench`'s (which passes `--bench`). `cargo test --all-targets`
/// runs every bench target in test mode too, where a whole-process benchmark (minutes, an
/// emulator of 100,000 users) has nothing quick to show: it says so and stops.
pub fn benchmarking(name: &str) -> bool {
    let on = std::env::args().any(|arg| arg == "--bench");
    if !on {
        println!("{name}: a whole-process benchmark; run it with `cargo bench --bench {name}`");
    }
    on
}

/// The release binary cargo built for this benchmark.
#[allow(dead_code)] // not every benchmark runs the binary
pub fn bin() -> std::path::PathBuf {
    env!("CARGO_BIN_EXE_mcteams").into()
}

/// Runs a benchmark on two worker threads, as `sync --watch` runs.
#[allow(dead_code)] // not every benchmark is async
pub fn block_on(benchmark: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(benchmark)
}

/// The mapping CSV of every given emulator user (`/_sim/users` items), with every id filled
/// in so that `import --offline` needs no system.
#[allow(dead_code)] // not every benchmark imports
pub fn offline_csv(users: &[serde_json::Value]) -> String {
    let mut csv = String::from("micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n");
    for user in users {
        let field = |name: &str| user[name].as_str().unwrap_or_default().to_string();
        let row = ["login", "upn", "objectId", "extension", "cloudlinkUserId"].map(field);
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    csv
}

/// Starts `mcteams sim serve <args> --write-config <config>` in its own process and waits for
/// its ready line: the child, and the emulator's base URL.
#[allow(dead_code)] // not every benchmark starts an emulator
pub fn serve_emulator(args: &[&str], config: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(bin())
        .args(["sim", "serve"])
        .args(args)
        .arg("--write-config")
        .arg(config)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("mcteams sim serve starts");
    let stdout = child.stdout.take().expect("the emulator's stdout");
    let base = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("ready ")
                .map(|url| url.trim().to_string())
        })
        .expect("the emulator prints its ready line");
    (child, base)
}
