//! The README's quick start, run as written (every `mcteams` line of it, in order) against
//! the emulator: each step exits 0, and at the end the users of the profile it enabled are
//! mapped, synchronized and in sync.

mod e2e;

use e2e::Estate;

/// The `mcteams …` lines of the README's quick start, comments cut off.
fn quick_start() -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("## Quick start").expect("a quick start")..];
    let block = section.split("```").nth(1).expect("its shell block");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter_map(|l| l.strip_prefix("mcteams "))
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_start_runs_as_written() {
    let estate = Estate::start(40).await;
    let steps = quick_start();
    let names: Vec<String> = steps.iter().map(|s| s.join(" ")).collect();
    for wanted in [
        "mappings discover --out users.csv",
        "import users.csv --yes",
        "sync",
        "report",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} is not in the quick start: {names:?}"
        );
    }
    for step in &steps {
        // The config is the emulator's: `config init` would write the template instead.
        if step[0] == "config" && step[1] == "init" {
            continue;
        }
        let args: Vec<&str> = step.iter().map(String::as_str).collect();
        let out = estate.run(&args).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "`mcteams {}`:\n{}",
            step.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Everyone discovered is mapped, and the enabled profile's users were synchronized.
    let (code, rows, _) = estate.run_json(&["mappings", "list"]).await;
    assert_eq!(code, 0);
    assert_eq!(rows.as_array().map(Vec::len), Some(40), "{rows}");
    let (code, rows, stderr) = estate
        .run_json(&["report", "--all", "--reason", "in_sync"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !rows.as_array().unwrap().is_empty(),
        "nobody in sync: {stderr}"
    );
}
