//! `--query JMESPATH` and `--out FILE` on the commands' results, through the binary against
//! the emulator: the query shapes the result before any format, and `--out` writes it whole
//! or, when the command fails, not at all.

mod e2e;

use e2e::{Estate, desk_phone};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_shapes_the_result_and_out_writes_it_whole_or_not_at_all() {
    let estate = Estate::start(20).await;
    let users = estate.pick(3, desk_phone);
    estate.map_and_enable(&users).await;
    let login = users[1]["login"].as_str().unwrap();
    let extension = users[1]["extension"].as_str().unwrap();

    let query = format!("[?extension=='{extension}'].micollab_login");
    let out = estate
        .run(&["-o", "json", "mappings", "list", "--query", &query])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!([login])
    );
    // In CSV and table too: the query's rows, with the columns it made.
    let out = estate
        .run(&[
            "-o",
            "csv",
            "mappings",
            "list",
            "--query",
            "[].{login: micollab_login}",
        ])
        .await;
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().next(), Some("login"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let out = estate
        .run(&["report", "--all", "--query", "length(@)"])
        .await;
    assert_eq!(text(&out.stdout), "3\n");
    // A bad query is a usage error naming the flag, before any work.
    let out = estate
        .run(&["mappings", "list", "--query", "[?extension=="])
        .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--query \"[?extension==\""),
        "{}",
        text(&out.stderr)
    );

    // --out: nothing on stdout, the whole result in the file.
    let file = estate.path("mappings.json");
    let file_s = file.to_str().unwrap();
    let out = estate
        .run(&["-o", "json", "mappings", "list", "--out", file_s])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written.as_array().map(Vec::len), Some(3));
    // A run that fails leaves the file as it was.
    let before = std::fs::read(&file).unwrap();
    let missing = estate.path("not-mounted/state.db");
    let out = estate
        .run(&[
            "--state",
            missing.to_str().unwrap(),
            "mappings",
            "list",
            "--out",
            file_s,
        ])
        .await;
    assert_eq!(out.status.code(), Some(78));
    assert!(std::fs::read(&file).unwrap() == before);
    // -q with --out: the table still goes to the file (only people's screen is spared).
    let quiet = estate.path("quiet.txt");
    let out = estate
        .run(&["-q", "mappings", "list", "--out", quiet.to_str().unwrap()])
        .await;
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert!(std::fs::read_to_string(&quiet).unwrap().contains(login));
    // A directory that cannot take the file is said before any work; a watch never ends.
    let nowhere = estate.path("no-such-dir/out.csv");
    let out = estate
        .run(&[
            "import",
            "users.csv",
            "--yes",
            "--out",
            nowhere.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot write in"),
        "{}",
        text(&out.stderr)
    );
    let out = estate.run(&["sync", "--watch", "--out", file_s]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--out does not go with --watch"));
    // Every listing command takes it: the report and the trail too.
    for args in [&["report", "--all"][..], &["history"], &["profile", "list"]] {
        let file = estate.path("listing.csv");
        let _ = std::fs::remove_file(&file);
        let mut all = vec!["-o", "csv", "--out", file.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = estate.run(&all).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            std::fs::read_to_string(&file).unwrap().lines().count() > 1,
            "{args:?}"
        );
    }
}
