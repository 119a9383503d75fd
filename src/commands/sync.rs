//! `mcteams sync`: one cycle (cron), or `--watch` (a service).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::{Direction, SyncArgs};
use crate::config::{Config, ConfigError};
use crate::connectors::ConnectedSystems;
use crate::engine::{CycleReport, CycleSettings, run_cycle};
use crate::exit::{CliError, ExitCode, ExitStatus};
use crate::output::{Column, Detail, Records};
use crate::reconcile::{Action, Policy, SyncDirection};
use crate::signals::{StopSignal, StopSignals};
use crate::store::{Lease, RunId, Store};

use super::Context;

// The sync lease's lifetime is `sync.lease_duration` (60 s by default). A heartbeat renews
// it every third of that, on its own connection, during cycles and backoff alike; its holder
// stops acting at two thirds ([`crate::store::lease::renew_deadline`]). The default is
// longer than the longest write transaction (a first sync of 100,000 users stores its
// records in a few seconds), so a renewal that waits for one never lets the lease lapse. A
// crashed holder's lease goes stale at once on the same host (its process is gone),
// elsewhere when it expires.
/// The longest wait between cycles while a system is down.
pub(super) const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// How long a stopped one-shot run waits for the writes in flight to be answered.
const STOP_GRACE: Duration = Duration::from_secs(10);

pub fn run(ctx: &Context, args: SyncArgs) -> anyhow::Result<ExitStatus> {
    if let Some(crate::cli::SyncCommand::Approve(approve)) = &args.command {
        return super::approve::run(ctx, approve);
    }
    let config = ctx.config()?;
    require_systems(&config)?;
    let systems = crate::connectors::connect(&config)?;
    if args.watch {
        // A service fails fast and tries each system again next cycle (see `watch`).
        crate::connectors::set_retry_policy(&systems, crate::http::RetryPolicy::service());
        // The phone's session writes come first in Graph's budget: the Teams poll slows.
        systems.teams.http().set_reads_yield(true);
    }
    super::runtime()?.block_on(execute(ctx, &args, &config, &systems))
}

/// Refuses a config that cannot reach all four systems, naming what is missing.
pub fn require_systems(config: &Config) -> Result<(), ConfigError> {
    let missing = config.missing_for_sync();
    if missing.is_empty() {
        return Ok(());
    }
    let missing = missing.join(", ");
    Err(ConfigError::new(match &config.path {
        Some(file) => format!("{}: not set: {missing}", file.display()),
        None => format!("not set: {missing}"),
    }))
}

fn direction(d: Direction) -> SyncDirection {
    match d {
        Direction::Both => SyncDirection::Both,
        Direction::TeamsToMicollab => SyncDirection::TeamsToMicollab,
        Direction::PbxToTeams => SyncDirection::PbxToTeams,
    }
}

/// Runs `sync` against any systems (the real ones through `connect`, or fakes).
pub async fn execute(
    ctx: &Context,
    args: &SyncArgs,
    config: &Config,
    systems: &ConnectedSystems,
) -> anyhow::Result<ExitStatus> {
    let mut store = ctx.open_store(config)?;
    super::resume_graph_limit(&store, &systems.teams)?;
    let interval = args.interval.unwrap_or(config.sync().interval);
    let mapped = store.count_mappings()?.max(0) as u64;
    if mapped == 0 {
        // A store lost or emptied would otherwise sync nobody on every cron run, silently.
        ctx.printer.alert(format!(
            "the state store {} has no mappings: this sync checks nobody (import them with \
             `mcteams import`, or restore the store from a backup if it was lost)",
            store.path().display()
        ));
    }
    if args.watch && ctx.printer.out_path().is_some() {
        return Err(CliError::usage(
            "--out does not go with --watch: a watch never ends, so its file would never be \
             written; follow it with --log-format json and --metrics-addr",
        )
        .into());
    }
    let settings = cycle_settings(ctx, args, config, mapped);
    if args.dry_run && args.watch {
        return super::watch::plan_only(ctx, &mut store, systems, config, &settings, interval)
            .await;
    }
    if args.dry_run {
        return dry_run(ctx, &mut store, systems, &settings).await;
    }
    let stop = (!args.watch).then(arm_graceful_stop);
    let lease_ttl = config.sync().lease_duration;
    if args.watch {
        // A service started while another holds the lease stands by for it (any number of
        // instances may share a PostgreSQL store; one syncs).
        let lease = match store.acquire_lease("sync", lease_ttl) {
            Ok(lease) => Some(lease),
            Err(crate::store::StoreError::LockHeld { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        return super::watch::watch(ctx, args, store, systems, config, settings, interval, lease)
            .await;
    }
    let lease = store.acquire_lease("sync", lease_ttl)?;
    let heartbeat = store.start_heartbeat(&lease, lease_ttl)?;
    let settings = CycleSettings {
        lease: Some(lease.clone()),
        ..settings
    };
    let stop = stop.unwrap_or_default();
    let outcome = one_cycle(ctx, &mut store, systems, &settings, &stop).await;
    drop(heartbeat);
    give_back(&mut store, lease);
    outcome
}

/// The settings of this run's cycles, from the flags and the configuration.
fn cycle_settings(ctx: &Context, args: &SyncArgs, config: &Config, mapped: u64) -> CycleSettings {
    let sync = config.sync();
    CycleSettings {
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
        lease: None,
        hold_over_guard: false,
        down: Default::default(),
        flags_kept_for: Some(sync.stale_after),
        // A bar on a terminal for a one-shot run: users decided, then writes answered.
        progress: (!args.watch).then(|| {
            let bar = ctx.printer.progress(mapped, "reading");
            crate::progress::Shared(std::sync::Arc::from(bar))
        }),
        only: None,
        seen: None,
        presences: None,
    }
}

/// `sync --dry-run`: one cycle that sends nothing, its plan printed. No lease: it writes
/// nothing.
async fn dry_run(
    ctx: &Context,
    store: &mut Store,
    systems: &ConnectedSystems,
    settings: &CycleSettings,
) -> anyhow::Result<ExitStatus> {
    let report = run_cycle(store, systems, settings, None, None, chrono::Utc::now()).await;
    if let Some(progress) = &settings.progress {
        progress.0.finish();
    }
    let report = report.context("running the sync cycle")?;
    // The plan is the result; scripts (-o json|jsonl|csv) get it alone, people a summary too.
    print_plan(ctx, &report)?;
    if ctx.printer.format() == crate::output::Format::Table {
        print_summary(ctx, &report, Duration::ZERO)?;
    }
    finish_status(&report)
}

/// Gives the lease back; a failure to do so (a full disk) only delays the next run: on this
/// host it takes over the lease of a process that has ended, elsewhere it waits for it to
/// expire.
pub(super) fn give_back(store: &mut Store, lease: Lease) {
    if let Err(e) = store.release_lease(lease) {
        tracing::warn!(error = %e, "could not release the sync lease: the next run on this host takes it over, another host waits for it to expire");
    }
}

/// The signal that stopped a one-shot run, once one came.
type StopReceived = Arc<std::sync::OnceLock<StopSignal>>;

/// Arms the graceful stop of a one-shot run: the first SIGINT / SIGTERM starts no new
/// request and no new retry (those on the wire finish) and is kept for the exit code; a
/// second ends the process at once, which the journal makes safe (the next run settles what
/// was in flight).
fn arm_graceful_stop() -> StopReceived {
    let received = StopReceived::default();
    let mut signals = StopSignals::listen();
    let first = received.clone();
    tokio::spawn(async move {
        let signal = signals.next().await;
        let _ = first.set(signal);
        crate::http::stop::stop_sending();
        tracing::warn!(
            signal = signal.name(),
            "stopping: no new request; finishing and recording the writes in flight \
             (send the signal again to stop at once)"
        );
        let again = signals.next().await;
        tracing::warn!(
            signal = again.name(),
            "stopping at once: the next run settles the writes in flight"
        );
        std::process::exit(i32::from(signal.exit_status().code()));
    });
    received
}

/// A cycle that failed (a system, or the store itself: a full disk) after it may have sent
/// writes: says how many of this run's writes the journal holds and how many are not
/// recorded as answered, and closes the run row where the store still takes a write (else
/// the next run closes it as interrupted).
fn cycle_failed(store: &mut Store, run: RunId, error: anyhow::Error) -> anyhow::Error {
    let code = crate::exit::status_of(&error).code();
    let written = store.run_writes(run);
    let outcome = serde_json::json!({"outcome": "failed", "error": format!("{error:#}")});
    if let Err(e) = store.finish_run(run, code, &outcome) {
        tracing::warn!(error = %e, "could not close the run: the next run closes it as interrupted");
    }
    let said = match written {
        Ok((0, _)) => "no write of this run was sent".to_string(),
        Ok((sent, 0)) => {
            format!("{sent} write(s) of this run were sent, each answered and recorded")
        }
        Ok((sent, open)) => format!(
            "{sent} write(s) of this run were journaled and sent, {open} of them not recorded as \
             answered: they may have been applied, and the next run settles them from what the \
             systems show"
        ),
        Err(_) => {
            "the writes this run sent are in the journal, settled by the next run".to_string()
        }
    };
    error.context(format!("running the sync cycle ({said})"))
}

/// Completes [`STOP_GRACE`] after a stop was asked for.
async fn grace_over() {
    crate::http::stop::stopped().await;
    tokio::time::sleep(STOP_GRACE).await;
}

async fn one_cycle(
    ctx: &Context,
    store: &mut Store,
    systems: &ConnectedSystems,
    settings: &CycleSettings,
    stop: &StopReceived,
) -> anyhow::Result<ExitStatus> {
    let run = store.begin_leased_run("sync")?;
    let started = Instant::now();
    let finish_bar = || {
        if let Some(progress) = &settings.progress {
            progress.0.finish();
        }
    };
    let report = tokio::select! {
        report = run_cycle(store, systems, settings, Some(run), None, chrono::Utc::now()) => {
            finish_bar();
            match report {
                Err(e) if settings.lease.as_ref().is_some_and(|l| !l.held()) => {
                    return Err(CliError::new(
                        ExitStatus::Unavailable,
                        format!("{e}; try again when the other run has finished"),
                    )
                    .into());
                }
                Err(e) => return Err(cycle_failed(store, run, e.into())),
                Ok(report) => report,
            }
        }
        _ = grace_over() => {
            finish_bar();
            // Dropped between two awaits, never inside a store transaction: what was on the
            // wire stays open in the journal.
            let signal = stop.get().copied().unwrap_or(StopSignal::Terminate);
            let outcome = serde_json::json!({"outcome": "stopped", "signal": signal.name()});
            store.finish_run(run, signal.exit_status().code(), &outcome)?;
            ctx.printer.alert(format!(
                "stopped by {}: writes still unanswered after {}s are left for the next run to settle",
                signal.name(),
                STOP_GRACE.as_secs()
            ));
            return Ok(signal.exit_status());
        }
    };
    super::tenant::record_tenant_id(store, &systems.teams).await;
    record_and_print(ctx, store, systems, run, &report, started.elapsed(), stop)
}

/// Records a finished cycle's run (its exit code and summary) and the Graph rate limit it
/// leaves, then prints its summary; a signal received meanwhile decides the exit code.
fn record_and_print(
    ctx: &Context,
    store: &mut Store,
    systems: &ConnectedSystems,
    run: RunId,
    report: &CycleReport,
    took: Duration,
    stop: &StopReceived,
) -> anyhow::Result<ExitStatus> {
    let stopped_by = stop.get().copied();
    let status = match stopped_by {
        Some(signal) => Ok(signal.exit_status()),
        None => finish_status(report),
    };
    let code = match &status {
        Ok(s) => s.code(),
        Err(e) => crate::exit::status_of(e).code(),
    };
    super::keep_graph_limit(store, &systems.teams)?;
    store.finish_run(run, code, &summary(report, took).to_json())?;
    // A user not synchronized is an error for that user (`-q` shows it), not for the run.
    for (login, error) in &report.user_errors {
        ctx.printer.error(format!("{login}: {error}"));
    }
    print_summary(ctx, report, took)?;
    if let Some(signal) = stopped_by {
        ctx.printer.alert(format!(
            "stopped by {}: the writes in flight were finished and recorded; the run did not finish",
            signal.name()
        ));
    }
    status
}

/// The wait before the next cycle: the interval, doubled for each cycle in a row that found
/// a system unavailable, at most [`MAX_BACKOFF`] (never below the interval).
pub fn backoff(interval: Duration, failures_in_a_row: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures_in_a_row.min(16));
    interval
        .saturating_mul(factor)
        .min(MAX_BACKOFF.max(interval))
}

pub(super) fn unix_now() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
}

/// The exit status of a one-shot cycle (DESIGN.md section 4).
pub fn finish_status(report: &CycleReport) -> anyhow::Result<ExitStatus> {
    // In the order of the exit-code table: configuration, failure, unavailable, guard,
    // partial.
    if let Some(e) = report.read_errors.iter().find(|e| e.configuration) {
        let message = format!("{e}: {}", e.configuration_hint());
        return Err(CliError::new(ExitStatus::Config, message).into());
    }
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
pub(super) struct Summary<'a> {
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
    /// Changes of users being onboarded or of an approved plan: not counted by the guard.
    expected_changes: u64,
    /// The plan the guard holds after this cycle (`--watch`): its id and users.
    held_plan: Option<crate::engine::HeldSummary>,
    throttled: u64,
    settled_journal_entries: usize,
    requests_by_system: &'a std::collections::BTreeMap<&'static str, u64>,
    /// Directions a system that could not be read held up (`pbx_to_teams`, `teams_to_micollab`).
    degraded: std::collections::BTreeSet<&'static str>,
    /// How far Graph's clock is ahead of this host's (behind: negative), when it is by two
    /// seconds or more: sessions are judged on Graph's clock, and a host clock that far off
    /// is worth fixing (certificate sign-in fails past five minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    clock_skew_seconds: Option<i64>,
    duration_ms: u64,
}

impl Summary<'_> {
    pub(super) fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

pub(super) fn summary(report: &CycleReport, took: Duration) -> Summary<'_> {
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
        expected_changes: report.expected_changes,
        held_plan: report.held_plan,
        throttled: report.throttled,
        settled_journal_entries: report.settled_journal_entries,
        requests_by_system: &report.requests_by_system,
        degraded: report.degraded(),
        clock_skew_seconds: report.clock_skew_seconds,
        duration_ms: took.as_millis() as u64,
    }
}

fn print_summary(ctx: &Context, report: &CycleReport, took: Duration) -> anyhow::Result<()> {
    ctx.printer.detail(&Detail::new(&summary(report, took)))?;
    Ok(())
}

#[derive(Serialize)]
struct PlanRow<'a> {
    micollab_login: &'a str,
    direction: &'static str,
    action: String,
}

pub(super) fn print_plan(ctx: &Context, report: &CycleReport) -> anyhow::Result<()> {
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
        report
            .read_errors
            .push(crate::engine::SourceError::down("pbx", "down"));
        assert_eq!(status(&report), ExitStatus::Unavailable);
        report.guard_tripped = Some((600, 500));
        assert_eq!(status(&report), ExitStatus::Unavailable, "75 wins over 5");
        report.read_errors.clear();
        assert_eq!(status(&report), ExitStatus::Guard);
    }
}
