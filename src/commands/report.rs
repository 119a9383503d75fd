//! `mcteams report`: who is out of sync, why, and what to do about it.
//!
//! Gathers (from the systems, or `--from-state` from the store), classifies every user with
//! [`crate::report::classify`], filters, prints a summary and the detail. The row shape is
//! documented in `docs/report.md`; it is a contract with scripts.

use std::collections::BTreeMap;

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::ReportArgs;
use crate::exit::{CliError, ExitCode, ExitStatus};
use crate::output::{Column, Format, Records};
use crate::presence::{CallState, DeviceType};
use crate::report::gather::{self, Gathering, Origin, Subject};
use crate::report::{ClientKind, Finding, Reason, Windows, classify};

use super::Context;

pub fn run(ctx: &Context, args: ReportArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let wanted = parse_reasons(&args.reason)?;
    let sync = config.sync();
    let windows = Windows {
        settle_window: sync.settle_window,
        stale_after: sync.stale_after,
    };
    let gathering = gathered(ctx, &config, args.from_state)?;
    let report = build(&gathering, windows, &args.user, &wanted, args.all);
    print(ctx, &report, &gathering)?;
    // A system down: its users are `source_unavailable`, and the run is "try again later"
    // (75 ranks above 4 in the exit-code table).
    if !gathering.read_errors.is_empty() {
        let all = gathering
            .read_errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        return Err(CliError::new(
            ExitStatus::Unavailable,
            format!(
                "could not read every system: {all}; its users are source_unavailable \
                 (try again later, or use --from-state for the last observations)"
            ),
        )
        .into());
    }
    if args.detailed_exitcode && report.out_of_sync > 0 {
        return Ok(ExitStatus::OutOfSync);
    }
    Ok(ExitStatus::Success)
}

/// What the report reads: the systems (read only: Graph's rate limit resumed where the last
/// sync left it, nothing recorded), or the store's last observations (`from_state`).
pub(super) fn gathered(
    ctx: &Context,
    config: &crate::config::Config,
    from_state: bool,
) -> anyhow::Result<Gathering> {
    let gathering = if from_state {
        let store = ctx.open_store(config)?;
        gather::from_state(&store, chrono::Utc::now()).context("reading the store")?
    } else {
        super::sync::require_systems(config)?;
        let systems = crate::connectors::connect(config)?;
        let store = ctx.open_store(config)?;
        super::resume_graph_limit(&store, &systems.teams)?;
        super::runtime()?
            .block_on(gather::from_systems(&store, &systems, chrono::Utc::now()))
            .context("reading the store")?
    };
    refuse_failed_reads(&gathering)?;
    Ok(gathering)
}

/// Every user the report knows (mapped, or with Teams presence on), classified: `user show`
/// and `user list` read them as `report --all` does.
pub(super) fn rows_of(
    gathering: &Gathering,
    config: &crate::config::Config,
    users: &[String],
) -> Vec<ReportRow> {
    let sync = config.sync();
    let windows = Windows {
        settle_window: sync.settle_window,
        stale_after: sync.stale_after,
    };
    build(gathering, windows, users, &[], true).rows
}

/// `--reason` codes, checked: an unknown one is a usage error naming the valid ones.
pub(super) fn parse_reasons(codes: &[String]) -> anyhow::Result<Vec<Reason>> {
    let mut reasons = Vec::new();
    for code in codes.iter().flat_map(|c| c.split(',')) {
        if code.trim().is_empty() {
            continue;
        }
        match Reason::parse(code) {
            Some(r) => reasons.push(r),
            None => {
                let valid: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
                return Err(CliError::usage(format!(
                    "--reason {code:?} is not a reason code; valid codes: {}",
                    valid.join(", ")
                ))
                .into());
            }
        }
    }
    Ok(reasons)
}

/// A system that answered wrongly (not just down) makes the report unreliable: refuse it
/// rather than show users on half the facts (exit 1; 78 when it refused mcteams'
/// configuration, a credential say). A system that is down is reported per user
/// (`source_unavailable`) and ends the run with 75.
fn refuse_failed_reads(gathering: &Gathering) -> anyhow::Result<()> {
    let failed: Vec<&crate::engine::SourceError> = gathering
        .read_errors
        .iter()
        .filter(|e| !e.unavailable)
        .collect();
    let Some(first) = failed.iter().min_by_key(|e| !e.configuration) else {
        return Ok(());
    };
    let all: Vec<String> = failed.iter().map(ToString::to_string).collect();
    let mut message = format!("could not read every system: {}", all.join("; "));
    if first.configuration {
        message = format!("{message}: {}", first.configuration_hint());
    }
    Err(CliError::new(first.exit_status(), message).into())
}

/// One user's line: the values seen on every side, the reasons and a hint per reason.
/// The field names are a contract (docs/report.md).
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub micollab_login: String,
    pub teams_upn: Option<String>,
    pub extension: Option<String>,
    /// Reason codes, in [`Reason`] order.
    pub reasons: Vec<&'static str>,
    /// One hint per reason, in the same order.
    pub hints: Vec<String>,
    /// Whether any reason counts for `--detailed-exitcode`.
    pub out_of_sync: bool,
    pub teams_availability: Option<String>,
    pub teams_activity: Option<String>,
    pub micollab_status: Option<String>,
    pub micollab_activity: Option<String>,
    pub micollab_source: Option<String>,
    pub phone_call: Option<&'static str>,
    pub phone_dnd: Option<bool>,
    pub phone_device: Option<&'static str>,
    pub phone_acd_hotdesk: Option<bool>,
    /// Teams presence on in MiCollab (profile or user checkbox).
    pub teams_flag: Option<bool>,
    /// mcteams' app session in Teams, as last written and not yet expired.
    pub mcteams_session: Option<&'static str>,
    pub client: Option<&'static str>,
    pub telephony_only: Option<bool>,
    pub last_sync_at: Option<String>,
    pub last_observed_at: Option<String>,
    pub last_error: Option<String>,
    /// `systems` (read now) or `state` (`--from-state`).
    pub observed_from: &'static str,
    /// The user's MiCollab profile (`None`: not read, as with `--from-state`).
    pub profile: Option<String>,
}

#[derive(Debug, Clone)]
struct Built {
    rows: Vec<ReportRow>,
    /// Users per reason among the users considered (after `--user`).
    summary: BTreeMap<Reason, usize>,
    considered: usize,
    /// Shown users with a counted reason (among `--reason`, when given).
    out_of_sync: usize,
}

fn build(
    gathering: &Gathering,
    windows: Windows,
    users: &[String],
    wanted: &[Reason],
    all: bool,
) -> Built {
    let mut subjects: Vec<&Subject> = gathering
        .subjects
        .iter()
        .filter(|s| users.is_empty() || users.iter().any(|u| names(s, u)))
        .collect();
    subjects.sort_by(|a, b| a.micollab_login.cmp(&b.micollab_login));
    let down: Vec<&'static str> = gathering.read_errors.iter().map(|e| e.system).collect();
    let mut built = Built {
        rows: Vec::new(),
        summary: BTreeMap::new(),
        considered: subjects.len(),
        out_of_sync: 0,
    };
    for subject in subjects {
        let findings = classify(
            &subject.facts(gathering.unsupported.as_deref(), &down),
            windows,
            gathering.now,
        );
        for f in &findings {
            *built.summary.entry(f.reason).or_default() += 1;
        }
        let has = |r: Reason| findings.iter().any(|f| f.reason == r);
        // A user the admin left off (a staged rollout) is listed on request only.
        let left_off =
            has(Reason::IntegrationDisabled) && !findings.iter().any(|f| f.reason.counted());
        let shown = if !wanted.is_empty() {
            wanted.iter().any(|r| has(*r))
        } else {
            all || !(has(Reason::InSync) || left_off)
        };
        if !shown {
            continue;
        }
        let counts = findings
            .iter()
            .any(|f| f.reason.counted() && (wanted.is_empty() || wanted.contains(&f.reason)));
        if counts {
            built.out_of_sync += 1;
        }
        built.rows.push(row(subject, &findings, gathering));
    }
    built
}

/// Whether `--user NAME` names this user: MiCollab login, Teams UPN (either spelling after a
/// rename), case-insensitive.
fn names(subject: &Subject, name: &str) -> bool {
    let name = name.trim();
    subject.micollab_login.eq_ignore_ascii_case(name)
        || subject
            .mapping
            .as_ref()
            .is_some_and(|m| m.teams_upn.eq_ignore_ascii_case(name))
        || subject
            .existence
            .renamed_upn
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(name))
}

fn row(subject: &Subject, findings: &[Finding], gathering: &Gathering) -> ReportRow {
    let observed = &subject.observed;
    let history = &subject.history;
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    let mapping = subject.mapping.as_ref();
    ReportRow {
        micollab_login: subject.micollab_login.clone(),
        teams_upn: mapping.map(|m| m.teams_upn.clone()),
        extension: mapping.map(|m| m.extension.clone()),
        reasons: findings.iter().map(|f| f.reason.code()).collect(),
        // In CSV the hints are joined with ';': keep that separator out of each hint.
        hints: findings.iter().map(|f| f.hint.replace(';', ",")).collect(),
        out_of_sync: findings.iter().any(|f| f.reason.counted()),
        teams_availability: observed.teams.as_ref().map(|t| t.availability.to_string()),
        teams_activity: observed.teams.as_ref().map(|t| t.activity.to_string()),
        micollab_status: observed.presentity.as_ref().and_then(|p| p.status.clone()),
        micollab_activity: observed
            .presentity
            .as_ref()
            .and_then(|p| p.activity.clone()),
        micollab_source: observed.presentity.as_ref().and_then(|p| p.source.clone()),
        phone_call: observed.phone.map(|p| match p.call {
            CallState::Idle => "idle",
            CallState::Busy => "busy",
            CallState::Ringing => "ringing",
        }),
        phone_dnd: observed.phone.map(|p| p.dnd),
        phone_device: observed.phone.map(|p| match p.device {
            DeviceType::DeskPhone => "desk_phone",
            DeviceType::Softphone => "softphone",
        }),
        phone_acd_hotdesk: observed.phone.map(|p| p.acd_hotdesk),
        teams_flag: observed.teams_enabled,
        mcteams_session: history
            .record
            .session
            .filter(|s| s.expires_at > gathering.now)
            .map(|s| s.intent.label()),
        client: subject.client.map(|(kind, _)| match kind {
            ClientKind::Pc => "pc",
            ClientKind::Web => "web",
            ClientKind::Mac => "mac",
        }),
        telephony_only: subject.client.map(|(_, t)| t),
        last_sync_at: time(history.last_success_at),
        last_observed_at: time(history.last_observed_at),
        last_error: history.last_error.clone(),
        observed_from: match gathering.origin {
            Origin::Systems => "systems",
            Origin::State => "state",
        },
        profile: subject.profile.clone(),
    }
}

/// The machine formats' columns (CSV header order); JSON carries every field of the row.
fn columns() -> Vec<Column> {
    vec![
        Column::exact("micollab_login", "micollab_login"),
        Column::exact("teams_upn", "teams_upn"),
        Column::exact("extension", "extension"),
        Column::exact("reasons", "reasons"),
        Column::text("hints", "hints"),
        Column::exact("out_of_sync", "out_of_sync"),
        Column::text("teams_availability", "teams_availability"),
        Column::text("teams_activity", "teams_activity"),
        Column::text("micollab_status", "micollab_status"),
        Column::text("micollab_activity", "micollab_activity"),
        Column::text("micollab_source", "micollab_source"),
        Column::exact("phone_call", "phone_call"),
        Column::exact("phone_dnd", "phone_dnd"),
        Column::exact("phone_device", "phone_device"),
        Column::exact("phone_acd_hotdesk", "phone_acd_hotdesk"),
        Column::exact("teams_flag", "teams_flag"),
        Column::exact("mcteams_session", "mcteams_session"),
        Column::exact("client", "client"),
        Column::exact("telephony_only", "telephony_only"),
        Column::exact("last_sync_at", "last_sync_at"),
        Column::exact("last_observed_at", "last_observed_at"),
        Column::text("last_error", "last_error"),
        Column::exact("observed_from", "observed_from"),
        Column::text("profile", "profile"),
    ]
}

/// What a person reads: one line per user, every side in a few cells.
#[derive(Serialize)]
struct TableRow {
    user: String,
    reasons: String,
    teams: String,
    micollab: String,
    phone: String,
    flag: String,
    last_sync: String,
    hint: String,
    client: String,
    observed: String,
    last_error: Option<String>,
}

fn table_row(r: &ReportRow, wide: bool) -> TableRow {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let teams = match (&r.teams_availability, &r.teams_activity) {
        (None, None) => "-".to_string(),
        (a, b) => format!("{}/{}", or_dash(a), or_dash(b)),
    };
    let micollab = match &r.micollab_status {
        None => "-".to_string(),
        Some(status) => {
            let mut text = status.clone();
            if let Some(activity) = &r.micollab_activity {
                text.push_str(&format!(" ({activity})"));
            }
            if let Some(source) = &r.micollab_source {
                text.push_str(&format!("\nby {source}"));
            }
            text
        }
    };
    let phone = match r.phone_call {
        None => "-".to_string(),
        Some(call) => {
            let mut parts = vec![call.to_string()];
            if r.phone_dnd == Some(true) {
                parts.push("DND".into());
            }
            parts.push(r.phone_device.unwrap_or("-").replace('_', " "));
            if r.phone_acd_hotdesk == Some(true) {
                parts.push("ACD hot-desk".into());
            }
            if let Some(session) = r.mcteams_session {
                parts.push(format!("session {session}"));
            }
            parts.join("\n")
        }
    };
    let user = match &r.teams_upn {
        Some(upn) => format!("{}\n{upn}", r.micollab_login),
        None => r.micollab_login.clone(),
    };
    TableRow {
        user,
        reasons: r.reasons.join("\n"),
        teams,
        micollab,
        phone,
        flag: match r.teams_flag {
            Some(true) => "on".into(),
            Some(false) => "off".into(),
            None => "-".into(),
        },
        last_sync: r.last_sync_at.clone().unwrap_or_else(|| "never".into()),
        hint: match wide {
            true => r.hints.join("\n"),
            false => table_hints(r),
        },
        client: match (&r.client, r.telephony_only) {
            (None, _) => "-".into(),
            (Some(client), Some(true)) => format!("{client}\ntelephony-only"),
            (Some(client), _) => client.to_string(),
        },
        observed: format!(
            "{}\n{}",
            r.last_observed_at.clone().unwrap_or_else(|| "-".into()),
            r.observed_from
        ),
        last_error: r.last_error.clone(),
    }
}

/// The hints a person reads first: those of the counted reasons (the informational ones are
/// in `-o json|csv`), else the first one.
fn table_hints(r: &ReportRow) -> String {
    let counted: Vec<&str> = r
        .reasons
        .iter()
        .zip(&r.hints)
        .filter(|(code, _)| crate::report::Reason::parse(code).is_some_and(|x| x.counted()))
        .map(|(_, hint)| hint.as_str())
        .collect();
    if counted.is_empty() {
        r.hints.first().cloned().unwrap_or_default()
    } else {
        counted.join("\n")
    }
}

fn print(ctx: &Context, report: &Built, gathering: &Gathering) -> anyhow::Result<()> {
    let source = match gathering.origin {
        Origin::Systems => "read from the systems",
        Origin::State => "from the store's last observations (--from-state)",
    };
    let headline = format!(
        "{} user(s) checked, {source}; {} shown, {} out of sync",
        report.considered,
        report.rows.len(),
        report.out_of_sync
    );
    // Scripts, and a query in any format, get the documented rows.
    if ctx.printer.format() != Format::Table || ctx.printer.has_query() {
        let mut records = Records::new(columns());
        for r in &report.rows {
            records.push(r);
        }
        ctx.printer.results(&records)?;
        let counts: Vec<String> = report
            .summary
            .iter()
            .map(|(reason, n)| format!("{} {n}", reason.code()))
            .collect();
        let by_reason = if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        };
        ctx.printer
            .note(format!("{headline}; by reason: {by_reason}"));
        return Ok(());
    }
    ctx.printer.results(&summary_table(report))?;
    // Who, why and what to do always; the sides as the width allows (-o wide: all, and
    // what a narrow table never has room for).
    let mut detail = Records::new(vec![
        Column::exact("user", "User"),
        Column::exact("reasons", "Reasons"),
        Column::text("teams", "Teams").unless_narrow(1),
        Column::text("micollab", "MiCollab").unless_narrow(2),
        Column::text("phone", "Phone").unless_narrow(3),
        Column::exact("flag", "Flag").unless_narrow(4),
        Column::exact("last_sync", "Last sync").unless_narrow(5),
        Column::text("hint", "Hint"),
        Column::exact("client", "Client").wide_only(),
        Column::exact("observed", "Observed").wide_only(),
        Column::text("last_error", "Last error").wide_only(),
    ]);
    for r in &report.rows {
        detail.push(&table_row(r, ctx.printer.is_wide()));
    }
    ctx.printer.results(&detail)?;
    ctx.printer.note(headline);
    if report.rows.is_empty() {
        ctx.printer
            .note("nobody to show (use --all to list users in sync)");
    }
    Ok(())
}

/// Users per reason, and whether the reason counts as out of sync.
fn summary_table(report: &Built) -> Records {
    #[derive(Serialize)]
    struct SummaryRow {
        reason: &'static str,
        users: usize,
        counted: bool,
    }
    let mut summary = Records::new(vec![
        Column::exact("reason", "Reason"),
        Column::exact("users", "Users"),
        Column::exact("counted", "Counted"),
    ]);
    for (reason, n) in &report.summary {
        summary.push(&SummaryRow {
            reason: reason.code(),
            users: *n,
            counted: reason.counted(),
        });
    }
    summary
}
