//! `mcteams doctor`: can mcteams do its job against these systems? For each one: reachable,
//! TLS verified, credentials accepted, the version and PBX gates, the Graph application
//! permissions, one real read, the server's clock; optionally a real write (`--write-check`).
//! And the state store: usable, writable, its owner's alone, holding mappings.
//!
//! Exit 0 when nothing fails (warnings allowed), 1 when a check fails, 78 when the
//! configuration itself is wrong (a missing key or secret).

use std::time::Duration;

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::config::{Config, ConfigError};
use crate::connectors::cloudlink::{CloudlinkClient, CloudlinkDirectory};
use crate::connectors::micollab::{GateFailure, MicollabAdmin, MicollabClient, teams_gates};
use crate::connectors::mitel::ClockReading;
use crate::connectors::pbx::{MIVOICE_BUSINESS, PbxClient, PbxDirectory};
use crate::exit::ExitStatus;
use crate::http::{HttpError, HttpErrorKind};
use crate::output::{Column, Records};

use super::Context;
use graph::check_graph;

mod graph;
pub(super) mod state;

/// The application permissions mcteams needs (DESIGN.md section 5).
pub const REQUIRED_GRAPH_ROLES: [&str; 2] = ["Presence.ReadWrite.All", "User.Read.All"];

/// A clock further off than this is a warning: tokens and sessions expire by the clock.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Warn,
    Fail,
    /// Not run: an earlier check of the same system failed.
    Skip,
}

/// One line of the report (`-o json` prints these objects).
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub system: &'static str,
    pub check: &'static str,
    pub result: Outcome,
    pub detail: String,
    pub hint: Option<String>,
}

#[derive(Default)]
struct Report {
    checks: Vec<Check>,
    config_broken: bool,
}

impl Report {
    fn add(
        &mut self,
        system: &'static str,
        check: &'static str,
        result: Outcome,
        detail: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.checks.push(Check {
            system,
            check,
            result,
            detail: detail.into(),
            hint: hint.map(str::to_string),
        });
    }

    fn ok(&mut self, system: &'static str, check: &'static str, detail: impl Into<String>) {
        self.add(system, check, Outcome::Ok, detail, None);
    }

    fn fail(
        &mut self,
        system: &'static str,
        check: &'static str,
        detail: impl Into<String>,
        hint: &str,
    ) {
        self.add(system, check, Outcome::Fail, detail, Some(hint));
    }

    fn skip(&mut self, system: &'static str, check: &'static str, why: &str) {
        self.add(system, check, Outcome::Skip, why, None);
    }

    fn config_error(&mut self, system: &'static str, error: &ConfigError) {
        self.config_broken = true;
        self.fail(
            system,
            "config",
            error.to_string(),
            "fix the configuration (`mcteams config check`); secrets come from the *_env variable or *_file named in it",
        );
    }

    fn status(&self) -> ExitStatus {
        if self.config_broken {
            ExitStatus::Config
        } else if self.checks.iter().any(|c| c.result == Outcome::Fail) {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }
}

pub fn run(ctx: &Context, args: DoctorArgs) -> anyhow::Result<ExitStatus> {
    // A file that does not parse is a configuration error before any check (exit 78).
    let config = ctx.config()?;
    let state = ctx.state_path(&config);
    let mut report = Report::default();
    check_store_at(ctx, &config, &state, &mut report)?;
    let write_check = args.write_check.as_deref();
    super::runtime()?.block_on(diagnose(&config, write_check, &mut report));
    print_report(ctx, &report, "doctor")
}

/// `state check`: the store's checks alone, with SQLite's full integrity check.
pub(super) fn check_store(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let path = ctx.state_path(&config);
    let mut report = Report::default();
    if check_store_at(ctx, &config, &path, &mut report)? {
        state::check_integrity(&path, &mut report);
    }
    print_report(ctx, &report, "state check")
}

/// The store's checks, as a file or a PostgreSQL database; `true` for a file.
fn check_store_at(
    ctx: &Context,
    config: &crate::config::Config,
    path: &std::path::Path,
    report: &mut Report,
) -> anyhow::Result<bool> {
    if let crate::store::Location::Postgres(target) = ctx.state_location(config)? {
        state::check_shared(&target, config.estate().as_ref(), report);
        return Ok(false);
    }
    let directory = ctx.state_directory_exists(config, path);
    state::check_state(path, config.estate().as_ref(), directory, report);
    Ok(true)
}

fn print_report(ctx: &Context, report: &Report, what: &str) -> anyhow::Result<ExitStatus> {
    let mut records = Records::new(vec![
        Column::exact("system", "System"),
        Column::exact("check", "Check"),
        Column::exact("result", "Result"),
        Column::text("detail", "Detail"),
        Column::text("hint", "Hint"),
    ]);
    for check in &report.checks {
        records.push(check);
    }
    ctx.printer.results(&records)?;
    let count = |o: Outcome| report.checks.iter().filter(|c| c.result == o).count();
    let (failed, warned) = (count(Outcome::Fail), count(Outcome::Warn));
    if failed + warned == 0 {
        ctx.printer.note(format!("{what}: every check passed"));
    } else {
        ctx.printer.note(format!(
            "{what}: {failed} check(s) failed, {warned} warning(s)"
        ));
    }
    Ok(report.status())
}

/// Runs every check; never fails itself (every problem is a line of the report).
async fn diagnose(config: &Config, write_check: Option<&str>, report: &mut Report) {
    let micollab_sample = check_micollab(config, report).await;
    check_pbx(config, report).await;
    check_cloudlink(config, report).await;
    check_graph(config, report, write_check, micollab_sample.as_deref()).await;
}

/// Reachability, TLS and credentials from the outcome of the first authenticated contact.
/// Returns whether the system can be used for the next checks.
fn first_contact(
    report: &mut Report,
    system: &'static str,
    url: &url::Url,
    result: Result<(), &HttpError>,
) -> bool {
    let tls_detail = if url.scheme() == "https" {
        "certificate verified"
    } else {
        "plain http (allowed to loopback only)"
    };
    let Err(error) = result else {
        report.ok(system, "reachable", url.origin().ascii_serialization());
        report.ok(system, "tls", tls_detail);
        report.ok(system, "credentials", "accepted: access token obtained");
        return true;
    };
    let kind = match &error.kind {
        HttpErrorKind::GaveUp { last, .. } => last.as_ref(),
        other => other,
    };
    match kind {
        HttpErrorKind::Transport { .. } | HttpErrorKind::Timeout | HttpErrorKind::Stopped => {
            let hint = "check the URL, the network path and HTTPS_PROXY/NO_PROXY";
            not_reached(report, system, error, hint, "not reached");
        }
        HttpErrorKind::Throttled { .. } => {
            let hint = "the service is down or throttling: try again later";
            not_reached(report, system, error, hint, "no answer to check");
        }
        HttpErrorKind::Tls(_) => {
            report.ok(system, "reachable", url.origin().ascii_serialization());
            report.fail(system, "tls", error.to_string(), "trust the server's CA with the section's ca_file (PEM), or fix the server's certificate");
            report.skip(system, "credentials", "TLS failed");
        }
        HttpErrorKind::InsecureUrl(_) | HttpErrorKind::Local(_) => {
            report.config_broken = true;
            report.fail(
                system,
                "config",
                error.to_string(),
                "fix the URL or credential in the configuration",
            );
        }
        HttpErrorKind::CredentialRejected | HttpErrorKind::Status | HttpErrorKind::Decode(_) => {
            report.ok(system, "reachable", url.origin().ascii_serialization());
            report.ok(system, "tls", tls_detail);
            report.fail(
                system,
                "credentials",
                error.to_string(),
                "check the username/client id and the password or secret the config names",
            );
        }
        HttpErrorKind::GaveUp { .. } => {
            report.fail(system, "reachable", error.to_string(), "try again later");
        }
    }
    false
}

/// No usable answer: reachability failed, and the checks after it skipped.
fn not_reached(
    report: &mut Report,
    system: &'static str,
    error: &HttpError,
    hint: &str,
    skipped: &str,
) {
    report.fail(system, "reachable", error.to_string(), hint);
    report.skip(system, "tls", skipped);
    report.skip(system, "credentials", skipped);
}

fn clock_check(report: &mut Report, system: &'static str, reading: Option<ClockReading>) {
    let Some(reading) = reading else {
        report.add(
            system,
            "clock",
            Outcome::Warn,
            "the server sent no Date header",
            None,
        );
        return;
    };
    let skew = reading.skew_seconds();
    let detail = if skew.abs() < 1.5 {
        "in step with this machine".to_string()
    } else {
        format!(
            "server clock {:.0} s {} this machine's",
            skew.abs(),
            if skew > 0.0 { "ahead of" } else { "behind" }
        )
    };
    if skew.abs() > MAX_CLOCK_SKEW.as_secs_f64() {
        report.add(
            system,
            "clock",
            Outcome::Warn,
            detail,
            Some("synchronize the clocks (NTP): tokens and Teams sessions expire by the clock"),
        );
    } else {
        report.ok(system, "clock", detail);
    }
}

fn gate_row(
    report: &mut Report,
    check: &'static str,
    gate: Option<&GateFailure>,
    found: &str,
    required: &str,
) {
    match gate {
        None => report.ok("micollab", check, format!("{found} (needs {required})")),
        Some(gate) => report.fail(
            "micollab",
            check,
            format!("found {}, need {}", gate.found(), gate.required()),
            match gate {
                GateFailure::Version { .. } => {
                    "upgrade MiCollab to R9.8 SP1 (9.8.1) or later before enabling Teams presence"
                }
                GateFailure::Pbx { .. } => "Teams presence works only with a MiVoice Business PBX",
            },
        ),
    }
}

fn base_url(api_url: Option<&crate::config::ServiceUrl>) -> url::Url {
    api_url
        .map(|u| u.0.clone())
        .unwrap_or_else(|| url::Url::parse("https://invalid.invalid").expect("valid constant"))
}

/// MiCollab; returns the email of a user, for the Graph presence read.
async fn check_micollab(config: &Config, report: &mut Report) -> Option<String> {
    const S: &str = "micollab";
    let client = match MicollabClient::from_config(config) {
        Ok(c) => c,
        Err(e) => {
            report.config_error(S, &e);
            return None;
        }
    };
    let url = base_url(config.file.micollab.base_url.as_ref());
    let contact = client.api().authenticate().await;
    if !first_contact(report, S, &url, contact.as_ref().map(|_| ())) {
        return None;
    }
    match client.system().await {
        Ok(system) => gate_rows(report, &system),
        Err(e) => report.fail(
            S,
            "version",
            e.to_string(),
            "MiCollab's system information could not be read",
        ),
    }
    let sample = match client.first_users(None, 1).await {
        Ok(page) => {
            let user = page.users.first();
            report.ok(
                S,
                "read",
                match user {
                    Some(u) => format!("users readable (first: {})", u.login),
                    None => "users readable (none yet)".to_string(),
                },
            );
            user.and_then(|u| u.email.clone())
        }
        Err(e) => {
            report.fail(
                S,
                "read",
                e.to_string(),
                "the account needs read access to users",
            );
            None
        }
    };
    clock_check(report, S, client.api().clock());
    sample
}

/// MiCollab's version and PBX type against what Teams presence needs.
fn gate_rows(report: &mut Report, system: &crate::wire::micollab::SystemInfo) {
    let gates = teams_gates(system);
    let version_gate = gates
        .iter()
        .find(|g| matches!(g, GateFailure::Version { .. }));
    let pbx_gate = gates.iter().find(|g| matches!(g, GateFailure::Pbx { .. }));
    gate_row(
        report,
        "version",
        version_gate,
        &system.version,
        "9.8.1 (R9.8 SP1) or later",
    );
    gate_row(
        report,
        "pbx type",
        pbx_gate,
        system.pbx_type.as_deref().unwrap_or("unknown"),
        MIVOICE_BUSINESS,
    );
}

async fn check_pbx(config: &Config, report: &mut Report) {
    const S: &str = "pbx";
    let client = match PbxClient::from_config(config) {
        Ok(c) => c,
        Err(e) => return report.config_error(S, &e),
    };
    let url = base_url(config.file.pbx.base_url.as_ref());
    let contact = client.api().authenticate().await;
    if !first_contact(report, S, &url, contact.as_ref().map(|_| ())) {
        return;
    }
    match client.system().await {
        Ok(system) => {
            let found = system.pbx_type.unwrap_or_else(|| "unknown".to_string());
            if found.trim().eq_ignore_ascii_case(MIVOICE_BUSINESS) {
                report.ok(
                    S,
                    "pbx type",
                    format!("{found} {}", system.version.unwrap_or_default())
                        .trim_end()
                        .to_string(),
                );
            } else {
                report.fail(
                    S,
                    "pbx type",
                    format!("found {found}, need {MIVOICE_BUSINESS}"),
                    "Teams presence works only with a MiVoice Business PBX",
                );
            }
        }
        Err(e) => report.fail(
            S,
            "pbx type",
            e.to_string(),
            "the PBX's system information could not be read",
        ),
    }
    match client.first_extensions(1).await {
        Ok(extensions) => report.ok(
            S,
            "read",
            match extensions.first() {
                Some(x) => format!(
                    "extension {} readable ({})",
                    x.extension,
                    x.call_state.as_deref().unwrap_or("?")
                ),
                None => "extensions readable (none)".to_string(),
            },
        ),
        Err(e) => report.fail(
            S,
            "read",
            e.to_string(),
            "the account needs read access to extensions",
        ),
    }
    clock_check(report, S, client.api().clock());
}

async fn check_cloudlink(config: &Config, report: &mut Report) {
    const S: &str = "cloudlink";
    let client = match CloudlinkClient::from_config(config) {
        Ok(c) => c,
        Err(e) => return report.config_error(S, &e),
    };
    let url = base_url(config.file.cloudlink.auth_url.as_ref());
    let contact = client.api().authenticate().await;
    if !first_contact(report, S, &url, contact.as_ref().map(|_| ())) {
        return;
    }
    let principal = match client.first_users(1).await {
        Ok(users) => {
            report.ok(
                S,
                "read",
                format!("account {} users readable", client.account_id()),
            );
            users.into_iter().next().and_then(|u| u.principal_id)
        }
        Err(e) => {
            report.fail(
                S,
                "read",
                e.to_string(),
                "check cloudlink.account_id and the API client's admin permissions",
            );
            None
        }
    };
    match principal {
        Some(principal) => match client.presentities(std::slice::from_ref(&principal)).await {
            Ok(batch) => match batch.found.get(&principal) {
                Some(p) => report.ok(
                    S,
                    "presence read",
                    format!(
                        "a presentity read: {} (version {})",
                        p.status.as_deref().unwrap_or("?"),
                        p.version
                    ),
                ),
                None => report.add(
                    S,
                    "presence read",
                    Outcome::Warn,
                    "the first user has no presentity",
                    None,
                ),
            },
            Err(e) => report.fail(
                S,
                "presence read",
                e.to_string(),
                "the API client needs access to the presence service",
            ),
        },
        None => report.skip(S, "presence read", "no user to read"),
    }
    clock_check(report, S, client.api().clock());
}
