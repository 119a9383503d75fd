//! A credential the system refuses is a configuration error whichever system refuses it:
//! `sync` and `report` exit 78 naming the system and the config section to fix, never
//! showing the secret.

mod e2e;

use e2e::{Estate, desk_phone};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_credential_exits_78_for_every_system() {
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let out = estate.run(&["sync"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (system, file) in [
        ("graph", "graph-secret.txt"),
        ("micollab", "micollab-password.txt"),
        ("pbx", "pbx-password.txt"),
        ("cloudlink", "cloudlink-secret.txt"),
    ] {
        let path = estate.path(file);
        let good = std::fs::read_to_string(&path).unwrap();
        let wrong = "wrong-but-secret-value";
        std::fs::write(&path, wrong).unwrap();
        for args in [&["sync"][..], &["report"][..]] {
            let out = estate.run(args).await;
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(78), "{system} {args:?}: {stderr}");
            let section = format!("[{system}] section");
            assert!(stderr.contains(&section), "{system} {args:?}: {stderr}");
            assert!(!stderr.contains(wrong), "{system} {args:?}: {stderr}");
        }
        std::fs::write(&path, good).unwrap();
    }
}
