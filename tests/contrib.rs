//! The files under `contrib/` that admins install as they are: the systemd units run flags
//! that parse, name only documented exit codes, and pass `systemd-analyze verify` where it
//! exists; the logrotate snippet rotates the log the README's cron line writes.

use std::path::{Path, PathBuf};

use clap::Parser as _;

fn contrib(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("contrib")
        .join(path)
}

fn units() -> Vec<PathBuf> {
    let mut units: Vec<PathBuf> = std::fs::read_dir(contrib("systemd"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    units.sort();
    assert_eq!(units.len(), 3, "{units:?}");
    units
}

/// The values of `key=` lines of a unit file.
fn values<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .collect()
}

#[test]
fn each_unit_runs_flags_that_parse_and_names_only_documented_exit_codes() {
    let documented: Vec<u8> = mcteams::exit::ExitStatus::PRECEDENCE
        .iter()
        .map(|s| s.code())
        .collect();
    for unit in units() {
        let text = std::fs::read_to_string(&unit).unwrap();
        let name = unit.file_name().unwrap().to_string_lossy().into_owned();
        for exec in values(&text, "ExecStart") {
            let args: Vec<&str> = exec.split_whitespace().collect();
            assert!(args[0].ends_with("/mcteams"), "{name}: {exec}");
            let parsed = mcteams::cli::Cli::try_parse_from(&args);
            assert!(parsed.is_ok(), "{name}: {exec}: {:?}", parsed.err());
            assert_eq!(
                exec.contains("--watch"),
                name == "mcteams-sync.service",
                "{name}"
            );
        }
        for key in ["SuccessExitStatus", "RestartPreventExitStatus"] {
            for code in values(&text, key).iter().flat_map(|v| v.split_whitespace()) {
                let code: u8 = code.parse().unwrap();
                assert!(
                    documented.contains(&code),
                    "{name}: {key} {code} is not an exit code"
                );
            }
        }
        if let Some(target) = values(&text, "Unit").first() {
            assert!(
                contrib(&format!("systemd/{target}")).exists(),
                "{name}: {target}"
            );
        }
    }
}

#[test]
fn the_units_pass_systemd_analyze_verify_where_it_exists() {
    let Ok(found) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("systemd-analyze is not installed here: only the parse checks ran");
        return;
    };
    assert!(found.status.success());
    // The units name the installed binary; verify checks that it is executable.
    let dir = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin!("mcteams");
    let mut files = Vec::new();
    for unit in units() {
        let text = std::fs::read_to_string(&unit)
            .unwrap()
            .replace("/usr/local/bin/mcteams", &binary.display().to_string());
        let copy = dir.path().join(unit.file_name().unwrap());
        std::fs::write(&copy, text).unwrap();
        files.push(copy);
    }
    let out = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(&files)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.trim().is_empty(), "{said}");
}

#[test]
fn logrotate_rotates_the_log_the_readme_cron_line_writes() {
    let snippet = std::fs::read_to_string(contrib("logrotate/mcteams")).unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains("2>>/var/log/mcteams/sync.log"),
        "the README's cron line moved"
    );
    assert!(snippet.contains("/var/log/mcteams/*.log {"), "{snippet}");
    // mcteams does not reopen its log: the shell appends, so it is truncated in place.
    assert!(snippet.contains("copytruncate"), "{snippet}");
}
