//! The one contract for what goes where (README, "Messages and logs"), through the real
//! binary against the emulator: `-q` errors only (and, on stdout, only what `-o json|jsonl|csv`
//! asks for); by default the result and notes; `-v` a line per call and per direction's
//! decisions; `--log-format json` makes every stderr line JSON, the last error included.

mod e2e;

use e2e::{Estate, desk_phone};
use serde_json::Value;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Each stderr line as JSON, or a panic naming the line that is not.
fn json_lines(stderr: &str) -> Vec<Value> {
    stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_default_verbose_and_json_logs_each_keep_their_promise() {
    let estate = Estate::start(20).await;
    let users = estate.pick(3, desk_phone);
    let file = estate.write("users.csv", &estate.mapping_csv(&users));
    let out = estate
        .run(&["-q", "import", file.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");

    // Default: the result on stdout.
    let out = estate.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("users_checked:"), "{out:?}");

    // -q: nothing for people; a script's -o json still gets its result.
    for args in [&["-q", "sync"][..], &["-q", "report", "--all"]] {
        let out = estate.run(args).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "{args:?}: {out:?}"
        );
    }
    let out = estate.run(&["-q", "-o", "json", "report", "--all"]).await;
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3, "{}", text(&out.stdout));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    // -v: a line per call and one per direction's decisions.
    let out = estate.run(&["-v", "sync"]).await;
    let said = text(&out.stderr);
    assert!(said.contains("call system=graph"), "{said}");
    assert!(said.contains("call system=micollab"), "{said}");
    assert_eq!(said.matches(" decided direction=").count(), 2, "{said}");
    assert!(!said.contains("DEBUG"), "-v is not -vv: {said}");

    // JSON logs: every stderr line JSON, the calls, the decisions and the final error too.
    let out = estate.run(&["--log-format", "json", "-v", "sync"]).await;
    let lines = json_lines(&text(&out.stderr));
    assert!(lines.iter().any(|l| l["message"] == "decided"), "{lines:?}");
    let missing = estate.dir.path().join("not-mounted/state.db");
    let missing = missing.to_str().unwrap();
    for args in [
        &["--log-format", "json", "-v", "--state", missing, "sync"][..],
        &["--log-format", "json", "sync", "--no-such-flag"],
        &["--log-format=json", "-q", "--state", missing, "report"],
    ] {
        let out = estate.run(args).await;
        let lines = json_lines(&text(&out.stderr));
        let last = lines.last().expect("an error line");
        assert_eq!(last["level"], "ERROR", "{args:?}: {last}");
        assert!(last["timestamp"].is_string(), "{last}");
        assert!(matches!(out.status.code(), Some(2 | 78)), "{args:?}");
    }

    // -q still says what failed, and that a run did nothing although it did not fail.
    let out = estate.run(&["-q", "--state", missing, "sync"]).await;
    assert_eq!(out.status.code(), Some(78));
    assert!(
        text(&out.stderr).starts_with("error: cannot use state file"),
        "{out:?}"
    );
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
    let empty = estate.dir.path().join("empty.db");
    let out = estate
        .run(&["-q", "--state", empty.to_str().unwrap(), "sync"])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("has no mappings: this sync checks nobody"),
        "{out:?}"
    );
}
