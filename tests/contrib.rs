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

/// The series `/metrics` exposes, as a query names them: a counter with `_total`, a
/// histogram with `_bucket`, `_sum` and `_count`, a gauge as it is.
fn exported_series() -> (
    std::collections::BTreeSet<String>,
    std::collections::BTreeSet<String>,
) {
    // Labelled series show once they have a value: a cycle that changed, failed and waited.
    let metrics = mcteams::metrics::SyncMetrics::new();
    let mut report = mcteams::engine::CycleReport::default();
    report.applied.pbx_to_teams = 1;
    report.applied.teams_to_micollab = 1;
    report.errors_by_system.insert("graph", 1);
    metrics.record(
        &report,
        std::time::Duration::from_secs(1),
        true,
        "both",
        1e9,
    );
    metrics.propagated(&report, std::time::Duration::from_secs(1), true);
    metrics.set_degraded(&["pbx_to_teams"].into());
    metrics.set_lane_period("teams", std::time::Duration::from_secs(15));
    let text = metrics.encode();
    let mut series = std::collections::BTreeSet::new();
    let mut labels: std::collections::BTreeSet<String> = ["instance".to_string()].into();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        if let Some((_, rest)) = line.split_once('{') {
            let pairs = rest.split('}').next().unwrap_or("");
            labels.extend(
                pairs
                    .split(',')
                    .filter_map(|p| p.split_once('='))
                    .map(|(k, _)| k.to_string()),
            );
        }
    }
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# TYPE ") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let (name, kind) = (words.next().unwrap(), words.next().unwrap());
        let suffixes: &[&str] = match kind {
            "counter" => &["_total"],
            "histogram" => &["_bucket", "_sum", "_count"],
            _ => &[""],
        };
        series.extend(suffixes.iter().map(|s| format!("{name}{s}")));
    }
    assert!(series.len() > 15, "{text}");
    (series, labels)
}

/// Every `mcteams_*` series a query names, and every label it groups by.
fn named_in(expr: &str) -> (Vec<String>, Vec<String>) {
    let mut series = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("mcteams_") {
        let name: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        rest = &rest[at + name.len()..];
        series.push(name);
    }
    let grouping = expr
        .replace("by(", "by (")
        .replace("without(", "by (")
        .replace("without (", "by (");
    let labels = grouping
        .split("by (")
        .skip(1)
        .flat_map(|after| after.split(')').next().unwrap_or("").split(','))
        .map(|l| l.trim().to_string())
        .collect();
    (series, labels)
}

type Exported = (
    std::collections::BTreeSet<String>,
    std::collections::BTreeSet<String>,
);

/// Every series `expr` names is exported, and every label it groups by is one they carry.
fn check_expr(source: &str, expr: &str, (exported, known): &Exported) {
    let (series, labels) = named_in(expr);
    assert!(
        !series.is_empty(),
        "{source}: {expr} names no mcteams series"
    );
    for name in series {
        assert!(
            exported.contains(&name),
            "{source}: {name} is not exported: {exported:?}"
        );
    }
    for label in labels {
        assert!(
            known.contains(&label),
            "{source}: no series has label {label}: {known:?}"
        );
    }
}

#[test]
fn the_dashboard_and_the_alerts_name_only_series_mcteams_exports() {
    let exported = exported_series();
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(contrib("grafana/mcteams-dashboard.json")).unwrap(),
    )
    .unwrap();
    let panels = dashboard["panels"].as_array().unwrap();
    assert!(panels.len() >= 10);
    let mut covered = String::new();
    for panel in panels {
        let targets = panel["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "{panel}");
        for target in targets {
            let expr = target["expr"].as_str().unwrap();
            check_expr(panel["title"].as_str().unwrap(), expr, &exported);
            covered.push_str(expr);
        }
    }
    // What the issue asks the dashboard to show.
    for series in [
        "mcteams_sync_cycles_total",
        "mcteams_sync_changes_total",
        "mcteams_sync_propagation_seconds_bucket",
        "mcteams_sync_errors_total",
        "mcteams_graph_budget_used_ratio",
        "mcteams_sync_guard_held_users",
    ] {
        assert!(
            covered.contains(series),
            "the dashboard does not show {series}"
        );
    }

    let rules = std::fs::read_to_string(contrib("prometheus/mcteams-alerts.yml")).unwrap();
    let alerts: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- alert: "))
        .collect();
    for wanted in [
        "McteamsSyncStale",
        "McteamsDirectionDegraded",
        "McteamsPlanHeldByGuard",
        "McteamsThrottled",
    ] {
        assert!(alerts.contains(&wanted), "{wanted} missing: {alerts:?}");
    }
    let exprs: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("expr: "))
        .collect();
    assert_eq!(exprs.len(), alerts.len());
    for expr in exprs {
        check_expr("mcteams-alerts.yml", expr, &exported);
    }
}

#[test]
fn the_alert_rules_pass_promtool_where_it_exists() {
    let Ok(out) = std::process::Command::new("promtool")
        .args(["check", "rules"])
        .arg(contrib("prometheus/mcteams-alerts.yml"))
        .output()
    else {
        eprintln!("promtool is not installed here: only the series checks ran");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
