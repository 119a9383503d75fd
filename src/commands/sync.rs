//! `mcteams sync`: one cycle (cron), or `--watch` (a service).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::{Direction, SyncArgs};
use crate::config::{Config, ConfigError};
use crate::engine::{
    CloudlinkPort, CycleReport, CycleSettings, MicollabPort, PbxPort, Systems, TeamsPort, run_cycle,
};
use crate::exit::{CliError, ExitStatus};
use crate::metrics::SyncMetrics;
use crate::output::{Column, Detail, Records};
use crate::reconcile::{Action, Policy, SyncDirection};
use crate::store::{Lease, Store};

use super::Context;

/// The lease outlives a one-shot cycle by far; a crashed holder's lease goes stale sooner on
/// the same host (its process is gone).
const ONE_SHOT_LEASE: Duration = Duration::from_secs(10 * 60);
/// The longest wait between cycles while a system is down.
const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);

pub fn run(ctx: &Context, args: SyncArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    require_systems(&config)?;
    let systems = crate::engine::adapters::connect(&config)?;
    super::runtime()?.block_on(execute(ctx, &args, &config, &systems))
}

/// Refuses a config that cannot reach all four systems, naming what is missing.
pub fn require_systems(config: &Config) -> Result<(), ConfigError> {
    let missing = config.missing_for_sync();
    if missing.is_empty() {
        return Ok(());
    }
    let file = config
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "no config file".into());
    Err(ConfigError::new(format!(
        "{file}: not set: {} (see `mcteams config init`)",
        missing.join(", ")
    )))
}

fn direction(d: Direction) -> SyncDirection {
    match d {
        Direction::Both => SyncDirection::Both,
        Direction::TeamsToMicollab => SyncDirection::TeamsToMicollab,
        Direction::PbxToTeams => SyncDirection::PbxToTeams,
    }
}

/// Runs `sync` against any systems (the real ones through `connect`, or fakes).
pub async fn execute<T, M, P, C>(
    ctx: &Context,
    args: &SyncArgs,
    config: &Config,
    systems: &Systems<T, M, P, C>,
) -> anyhow::Result<ExitStatus>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let mut store = ctx.open_store(config)?;
    super::resume_graph_limit(&store, &systems.teams)?;
    let sync = config.sync();
    let interval = args.interval.unwrap_or(sync.interval);
    let mapped = store.count_mappings()?.max(0) as u64;
    let settings = CycleSettings {
        policy: Policy {
            session_ttl: sync.session_ttl,
            direction: direction(args.direction),
        },
        max_changes: args
            .max_changes
            .unwrap_or_else(|| sync.max_changes.limit_for(mapped)),
        force: args.force,
        dry_run: args.dry_run,
        users_per_slice: crate::engine::USERS_PER_SLICE,
        writes_per_chunk: crate::engine::WRITES_PER_CHUNK,
    };
    if args.dry_run {
        let report = run_cycle(&mut store, systems, &settings, None, chrono::Utc::now())
            .await
            .context("running the sync cycle")?;
        // The plan is the result; scripts (-o json|jsonl|csv) get it alone, people a summary too.
        print_plan(ctx, &report)?;
        if ctx.printer.format() == crate::output::Format::Table {
            print_summary(ctx, &report, Duration::ZERO)?;
        }
        return finish_status(&report);
    }
    let lease_ttl = if args.watch {
        interval * 3 + Duration::from_secs(60)
    } else {
        ONE_SHOT_LEASE
    };
    let lease = store.acquire_lease("sync", lease_ttl)?;
    let outcome = if args.watch {
        watch(
            ctx, args, &mut store, systems, &settings, interval, &lease, lease_ttl,
        )
        .await
    } else {
        one_cycle(ctx, &mut store, systems, &settings).await
    };
    // Give the lease back whatever happened; a failure to do so only delays the next run.
    if let Err(e) = store.release_lease(lease) {
        tracing::warn!(error = %e, "could not release the sync lease");
    }
    outcome
}

async fn one_cycle<T, M, P, C>(
    ctx: &Context,
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
) -> anyhow::Result<ExitStatus>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let run = store.begin_run("sync")?;
    let started = Instant::now();
    let report = run_cycle(store, systems, settings, Some(run), chrono::Utc::now())
        .await
        .context("running the sync cycle")?;
    let took = started.elapsed();
    let status = finish_status(&report);
    let code = match &status {
        Ok(s) => s.code(),
        Err(e) => crate::exit::status_of(e).code(),
    };
    super::keep_graph_limit(store, &systems.teams)?;
    store.finish_run(run, code, &summary(&report, took).to_json())?;
    for (login, error) in &report.user_errors {
        ctx.printer.warn(format!("{login}: {error}"));
    }
    print_summary(ctx, &report, took)?;
    status
}

#[allow(clippy::too_many_arguments)]
async fn watch<T, M, P, C>(
    ctx: &Context,
    args: &SyncArgs,
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    interval: Duration,
    lease: &Lease,
    lease_ttl: Duration,
) -> anyhow::Result<ExitStatus>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        wait_for_signal().await;
        let _ = stop_tx.send(true);
    });
    let metrics = Arc::new(SyncMetrics::new());
    let started_unix = unix_now();
    if let Some(addr) = args.metrics_addr {
        let mut stop = stop_rx.clone();
        let bound =
            crate::metrics::serve(addr, metrics.clone(), started_unix, interval, async move {
                let _ = stop.wait_for(|s| *s).await;
            })
            .await
            .with_context(|| format!("serving metrics on {addr}"))?;
        ctx.printer.note(format!(
            "metrics on http://{bound}/metrics, health on http://{bound}/healthz"
        ));
    }
    ctx.printer.note(format!(
        "syncing every {}; stop with Ctrl-C or SIGTERM",
        humantime::format_duration(interval)
    ));
    let mut failures_in_a_row: u32 = 0;
    loop {
        store
            .renew_lease(lease, lease_ttl)
            .context("keeping the sync lease")?;
        let run = store.begin_run("sync --watch")?;
        let started = Instant::now();
        let report = run_cycle(store, systems, settings, Some(run), chrono::Utc::now())
            .await
            .context("running the sync cycle")?;
        let took = started.elapsed();
        let succeeded = report.read_errors.is_empty()
            && report.failed_users == 0
            && report.guard_tripped.is_none();
        metrics.record(&report, took, succeeded, unix_now(), 0);
        let line = summary(&report, took);
        super::keep_graph_limit(store, &systems.teams)?;
        store.finish_run(run, if succeeded { 0 } else { 3 }, &line.to_json())?;
        if let Some((planned, limit)) = report.guard_tripped {
            tracing::error!(
                planned,
                limit,
                "mass-change guard: this cycle would make {planned} changes, more than max_changes ({limit}); nothing applied"
            );
        }
        for e in &report.read_errors {
            tracing::warn!(system = e.system, error = %e.message, "could not read a system; what depends on it is left alone");
        }
        for (login, error) in &report.user_errors {
            tracing::warn!(user = %login, error = %error, "user not synchronized");
        }
        tracing::info!(
            users = report.users_checked,
            pbx_to_teams = report.applied.pbx_to_teams,
            teams_to_micollab = report.applied.teams_to_micollab,
            refreshes = report.refreshes,
            failed_users = report.failed_users,
            duration_ms = took.as_millis() as u64,
            "sync cycle"
        );
        // A system down: back off (doubling, capped) and keep going; recover by itself.
        failures_in_a_row = if report.unavailable().is_some() {
            failures_in_a_row.saturating_add(1)
        } else {
            0
        };
        let wait = backoff(interval, failures_in_a_row);
        if *stop_rx.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop_rx.wait_for(|s| *s) => break,
        }
    }
    ctx.printer
        .note("stopped: in-flight writes finished and recorded");
    Ok(ExitStatus::Success)
}

/// The wait before the next cycle: the interval, doubled for each cycle in a row that found
/// a system unavailable, at most [`MAX_BACKOFF`] (never below the interval).
pub fn backoff(interval: Duration, failures_in_a_row: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures_in_a_row.min(16));
    interval
        .saturating_mul(factor)
        .min(MAX_BACKOFF.max(interval))
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn unix_now() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
}

/// The exit status of a one-shot cycle (DESIGN.md section 4).
pub fn finish_status(report: &CycleReport) -> anyhow::Result<ExitStatus> {
    // In the order of the exit-code table: failure, unavailable, guard, partial.
    if let Some(e) = report.read_errors.iter().find(|e| !e.unavailable) {
        return Err(CliError::new(ExitStatus::Failure, e.to_string()).into());
    }
    if let Some(e) = report.unavailable() {
        return Err(CliError::new(
            ExitStatus::Unavailable,
            format!("{e} (what depends on it was left alone; try again later)"),
        )
        .into());
    }
    if let Some((planned, limit)) = report.guard_tripped {
        return Err(CliError::new(
            ExitStatus::Guard,
            format!(
                "this cycle would make {planned} changes, more than max_changes ({limit}): nothing applied. \
                 Check the systems (a mass change often means a wrong answer somewhere), then rerun \
                 with --force or a higher --max-changes"
            ),
        )
        .into());
    }
    if report.failed_users > 0 {
        return Ok(ExitStatus::Partial);
    }
    Ok(ExitStatus::Success)
}

/// The summary of a cycle, as printed and as kept in the run history.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    users_checked: usize,
    dry_run: bool,
    planned_pbx_to_teams: u64,
    planned_teams_to_micollab: u64,
    applied_pbx_to_teams: u64,
    applied_teams_to_micollab: u64,
    refreshes: u64,
    failed_users: usize,
    errors_by_system: &'a std::collections::BTreeMap<&'static str, u64>,
    notes: &'a std::collections::BTreeMap<&'static str, u64>,
    guard_tripped: bool,
    settled_journal_entries: usize,
    requests_by_system: &'a std::collections::BTreeMap<&'static str, u64>,
    duration_ms: u64,
}

impl Summary<'_> {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

fn summary(report: &CycleReport, took: Duration) -> Summary<'_> {
    Summary {
        users_checked: report.users_checked,
        dry_run: report.dry_run,
        planned_pbx_to_teams: report.planned.pbx_to_teams,
        planned_teams_to_micollab: report.planned.teams_to_micollab,
        applied_pbx_to_teams: report.applied.pbx_to_teams,
        applied_teams_to_micollab: report.applied.teams_to_micollab,
        refreshes: report.refreshes,
        failed_users: report.failed_users,
        errors_by_system: &report.errors_by_system,
        notes: &report.notes,
        guard_tripped: report.guard_tripped.is_some(),
        settled_journal_entries: report.settled_journal_entries,
        requests_by_system: &report.requests_by_system,
        duration_ms: took.as_millis() as u64,
    }
}

fn print_summary(ctx: &Context, report: &CycleReport, took: Duration) -> anyhow::Result<()> {
    if ctx.printer.is_quiet() {
        return Ok(());
    }
    ctx.printer.detail(&Detail::new(&summary(report, took)))?;
    Ok(())
}

#[derive(Serialize)]
struct PlanRow<'a> {
    micollab_login: &'a str,
    direction: &'static str,
    action: String,
}

fn print_plan(ctx: &Context, report: &CycleReport) -> anyhow::Result<()> {
    let mut records = Records::new(vec![
        Column::exact("micollab_login", "MiCollab login"),
        Column::exact("direction", "Direction"),
        Column::text("action", "Action"),
    ]);
    for planned in &report.plan {
        let (direction, action) = match &planned.action {
            Action::SetSession {
                intent,
                ttl,
                refresh,
            } => (
                "pbx_to_teams",
                format!(
                    "{} Teams session {} for {}",
                    if *refresh { "refresh" } else { "set" },
                    intent.label(),
                    humantime::format_duration(*ttl)
                ),
            ),
            Action::ClearSession => ("pbx_to_teams", "clear Teams session".to_string()),
            Action::WritePresentity {
                status, activity, ..
            } => (
                "teams_to_micollab",
                format!("MiCollab status \"{status}\" (activity {activity})"),
            ),
        };
        records.push(&PlanRow {
            micollab_login: &planned.micollab_login,
            direction,
            action,
        });
    }
    ctx.printer.results(&records)?;
    ctx.printer.note(format!(
        "dry run: {} write(s) planned; nothing changed",
        report.plan.len()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let i = Duration::from_secs(15);
        let cases = [
            (0, 15),
            (1, 30),
            (2, 60),
            (3, 120),
            (4, 240),
            (5, 300),
            (40, 300),
        ];
        for (failures, secs) in cases {
            assert_eq!(backoff(i, failures).as_secs(), secs, "{failures}");
        }
        // An interval longer than the cap is kept.
        assert_eq!(backoff(Duration::from_secs(600), 3).as_secs(), 600);
    }

    #[test]
    fn exit_status_of_a_cycle() {
        let status = |report: &CycleReport| match finish_status(report) {
            Ok(s) => s,
            Err(e) => crate::exit::status_of(&e),
        };
        let mut report = CycleReport::default();
        assert_eq!(status(&report), ExitStatus::Success);
        report.failed_users = 2;
        assert_eq!(status(&report), ExitStatus::Partial);
        report.read_errors.push(crate::engine::SourceError {
            system: "pbx",
            unavailable: true,
            message: "down".into(),
        });
        assert_eq!(status(&report), ExitStatus::Unavailable);
        report.guard_tripped = Some((600, 500));
        assert_eq!(status(&report), ExitStatus::Unavailable, "75 wins over 5");
        report.read_errors.clear();
        assert_eq!(status(&report), ExitStatus::Guard);
    }
}
