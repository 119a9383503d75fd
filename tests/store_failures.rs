//! The store's own bad days, for real, through the binary against the emulator: a disk that
//! fills up in the middle of a cycle (the child's file-size limit, as a full disk answers
//! SQLite), and a store made read-only then writable again (run as a user the permission
//! bits bind: root is not). Each ends with every user checked against the systems.

#![cfg(unix)]

mod e2e;

use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::Output;

use e2e::{Estate, desk_phone};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The binary with the estate's config, as `Estate::cmd` runs it, with `prepare` applied
/// to the child before it starts.
async fn run_child(
    estate: &Estate,
    args: &[&str],
    prepare: impl FnOnce(&mut std::process::Command) + Send + 'static,
) -> Output {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("mcteams"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("MCTEAMS_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("HOME", estate.dir.path())
        .env("NO_COLOR", "1")
        .arg("--config")
        .arg(&estate.config)
        .args(args)
        .current_dir(estate.dir.path());
    prepare(&mut cmd);
    tokio::task::spawn_blocking(move || cmd.output().expect("binary runs"))
        .await
        .unwrap()
}

/// Every picked user in a call, as the systems show it: mcteams' session in Teams and the
/// MiCollab status.
async fn all_in_a_call(estate: &Estate, users: &[serde_json::Value]) {
    for u in users {
        let upn = Estate::upn(u);
        assert_eq!(
            estate.mcteams_sessions(upn).await,
            ["Busy/InACall"],
            "{upn}"
        );
        assert_eq!(estate.micollab_status(upn).await, "In a call", "{upn}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disk_full_in_mid_cycle_is_told_with_what_was_sent_and_the_next_run_converges() {
    let estate = Estate::start(30).await;
    let users = estate.pick(6, desk_phone);
    estate.map_and_enable(&users).await;
    let out = estate.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for u in &users {
        estate
            .phone_state(u["extension"].as_str().unwrap(), "busy")
            .await;
    }
    // The disk fills up at a point of the cycle that depends on the store's size: the
    // smallest room in which the run sends writes before it fails is the case.
    let state = estate.path("state.db");
    let mut failed = None;
    for room in (8..64).map(|pages| pages * 4096u64) {
        let out = run_child(&estate, &["sync"], move |cmd| unsafe {
            cmd.pre_exec(move || {
                // A write past `room` bytes fails as a full disk does (EFBIG, not a signal).
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: room,
                    rlim_max: room,
                };
                match libc::setrlimit(libc::RLIMIT_FSIZE, &limit) {
                    0 => Ok(()),
                    _ => Err(std::io::Error::last_os_error()),
                }
            });
        })
        .await;
        let said = text(&out.stderr);
        if out.status.code() == Some(0) {
            break;
        }
        assert_eq!(out.status.code(), Some(75), "{said}");
        assert!(
            said.contains(&format!("state file {}", state.display())),
            "{said}"
        );
        assert!(said.contains("no space left on its device"), "{said}");
        if said.contains("write(s) of this run were") {
            failed = Some(said);
            break;
        }
        assert!(said.contains("no write of this run was sent"), "{said}");
    }
    let said = failed.expect("a room in which the cycle sent writes, then failed");
    assert_eq!(said.matches("error:").count(), 1, "one error line: {said}");

    // Space again: the next runs settle what was in flight and converge; the lease and the
    // run row the failed run could not close are no obstacle.
    for _ in 0..2 {
        let out = estate.run(&["sync"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    all_in_a_call(&estate, &users).await;
    let (code, rows, _) = estate.run_json(&["report"]).await;
    assert_eq!(code, 0);
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(0),
        "nobody out of sync: {rows}"
    );
}

/// Runs the child as `nobody` when the tests run as root (root ignores permission bits), and
/// gives it the estate's files.
fn as_a_user_bound_by_permissions(dir: &Path) -> Option<(u32, u32)> {
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let (uid, gid) = (65534, 65534);
    for entry in walk(dir) {
        std::os::unix::fs::lchown(&entry, Some(uid), Some(gid)).unwrap();
    }
    Some((uid, gid))
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_store_names_the_file_in_the_way_and_works_again_once_writable() {
    use std::os::unix::fs::PermissionsExt as _;
    let estate = Estate::start(30).await;
    let users = estate.pick(3, desk_phone);
    estate.map_and_enable(&users).await;
    let state = estate.path("state.db");
    let chmod = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let owner = as_a_user_bound_by_permissions(estate.dir.path());
    let sync = |args: &'static [&'static str]| {
        run_child(&estate, args, move |cmd| {
            if let Some((uid, gid)) = owner {
                cmd.uid(uid).gid(gid);
            }
        })
    };
    let out = sync(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for u in &users {
        estate
            .phone_state(u["extension"].as_str().unwrap(), "busy")
            .await;
    }

    // Read-only: exit 78, one line naming the file and why; nothing sent.
    chmod(&state, 0o444);
    estate.control("DELETE", "/_sim/stats", None).await;
    let out = sync(&["sync"]).await;
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(78), "{said}");
    assert!(
        said.contains(&format!(
            "{} cannot be written (read-only for mcteams' user (mode 0444))",
            state.display()
        )),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    assert_eq!(estate.write_requests().await, 0);
    // doctor says so too.
    let out = sync(&["-o", "json", "doctor"]).await;
    assert_eq!(out.status.code(), Some(78), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let check = rows
        .iter()
        .find(|r| r["system"] == "state" && r["check"] == "writable")
        .expect("a writable check");
    assert_eq!(check["result"], "fail", "{check}");
    assert!(
        check["detail"].as_str().unwrap().contains("mode 0444"),
        "{check}"
    );

    // Writable again, a shared-memory file left read-only beside it is no obstacle.
    chmod(&state, 0o600);
    let shm = estate.path("state.db-shm");
    if !shm.exists() {
        std::fs::write(&shm, b"").unwrap();
    }
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::lchown(&shm, Some(uid), Some(gid)).unwrap();
    }
    chmod(&shm, 0o444);
    for _ in 0..2 {
        let out = sync(&["sync"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    all_in_a_call(&estate, &users).await;

    // A directory that cannot be written (its WAL cannot be created) is named as such.
    let _ = std::fs::remove_file(&shm);
    let _ = std::fs::remove_file(estate.path("state.db-wal"));
    chmod(estate.dir.path(), 0o555);
    let out = sync(&["sync"]).await;
    chmod(estate.dir.path(), 0o700);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(78), "{said}");
    assert!(
        said.contains("(the state file's directory: read-only"),
        "{said}"
    );
}
