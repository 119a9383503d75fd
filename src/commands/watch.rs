//! `mcteams sync --watch`: the sync as a service. Cycles on an interval, backs off while a
//! system is down, keeps its lease on a heartbeat of its own, waits as standby while another
//! run holds the lease, waits out a busy store, and stops on SIGTERM / SIGINT after the
//! cycle in progress (exit 0: stopping a service is normal).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::Context;
use super::sync::{backoff, give_back, summary, unix_now};
use crate::cli::SyncArgs;
use crate::config::Config;
use crate::engine::{
    CloudlinkPort, CycleReport, CycleSettings, MicollabPort, PbxPort, Systems, TeamsPort, run_cycle,
};
use crate::exit::ExitStatus;
use crate::metrics::SyncMetrics;
use crate::signals::StopSignals;
use crate::store::{Heartbeat, Lease, Store, StoreError};

/// What one turn of the loop came to.
enum Turn {
    /// A cycle ran; `down`: the systems it could not read.
    Cycled {
        down: std::collections::BTreeSet<&'static str>,
    },
    /// The store was busy or locked: waited out, not an exit.
    StoreBusy,
    /// The lease is gone: wait as standby.
    LeaseLost,
}

/// The lease this service holds, and its heartbeat.
struct Holding {
    lease: Lease,
    _heartbeat: Heartbeat,
}

impl Holding {
    fn start(store: &Store, lease: Lease, ttl: Duration) -> Result<Holding, StoreError> {
        let heartbeat = store.start_heartbeat(&lease, ttl)?;
        Ok(Holding {
            lease,
            _heartbeat: heartbeat,
        })
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn watch<T, M, P, C>(
    ctx: &Context,
    args: &SyncArgs,
    mut store: Store,
    systems: &Systems<T, M, P, C>,
    config: &Config,
    mut settings: CycleSettings,
    interval: Duration,
    lease: Lease,
) -> anyhow::Result<ExitStatus>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let mut signals = StopSignals::listen();
    tokio::spawn(async move {
        signals.next().await;
        let _ = stop_tx.send(true);
    });
    let metrics = Arc::new(SyncMetrics::new());
    serve_metrics(ctx, args, &metrics, &stop_rx, interval).await?;
    ctx.printer.note(format!(
        "syncing every {}; stop with Ctrl-C or SIGTERM",
        humantime::format_duration(interval)
    ));
    // Past the guard a service holds the unexpected changes and goes on with everyone else.
    settings.hold_over_guard = true;
    let mut holding = Some(Holding::start(&store, lease, config.sync().lease_duration)?);
    let mut failures_in_a_row: u32 = 0;
    let reload = reload_on_sighup();
    let mut config = config.clone();
    let mut interval = interval;
    loop {
        if reload.swap(false, std::sync::atomic::Ordering::SeqCst) {
            reconfigure(ctx, args, &store, &mut config, &mut settings, &mut interval);
        }
        let Some(held) = holding.as_ref().filter(|h| !h.lease.lost()) else {
            if holding.take().is_some() {
                // The heartbeat stops: the lease is not ours to renew.
                tracing::error!("lost the sync lease: another run took it over");
            }
            metrics.set_standby(true);
            let ttl = config.sync().lease_duration;
            match standby(&mut store, &mut stop_rx, interval, ttl).await {
                Some(lease) => {
                    holding = Some(Holding::start(&store, lease, ttl)?);
                    metrics.set_standby(false);
                    continue;
                }
                None => break,
            }
        };
        settings.lease = Some(held.lease.clone());
        // A system down does not slow the loop: the next cycle tries it again, waiting for
        // it only a little longer than for the others (engine::patience).
        let wait = match turn(&mut store, systems, &settings, &metrics).await? {
            Turn::Cycled { down } => {
                log_systems(&settings.down, &down);
                settings.down = down;
                failures_in_a_row = 0;
                interval
            }
            Turn::LeaseLost if held.lease.lost() => continue,
            // Past its renew deadline but not taken over (the store was busy): the heartbeat
            // may still renew it, so the next turn comes after a moment, not at once.
            Turn::LeaseLost => (config.sync().lease_duration / 12).max(Duration::from_millis(100)),
            Turn::StoreBusy => {
                failures_in_a_row = failures_in_a_row.saturating_add(1);
                backoff(interval, failures_in_a_row)
            }
        };
        if *stop_rx.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop_rx.wait_for(|s| *s) => break,
        }
    }
    if let Some(held) = holding {
        let Holding { lease, _heartbeat } = held;
        drop(_heartbeat);
        give_back(&mut store, lease);
    }
    ctx.printer
        .note("stopped: in-flight writes finished and recorded");
    Ok(ExitStatus::Success)
}

/// Listens for SIGHUP: the flag asks the loop to re-read the configuration before its next
/// cycle (SIGHUP no longer ends the service, leaving its lease behind).
fn reload_on_sighup() -> Arc<std::sync::atomic::AtomicBool> {
    let asked = Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::hangup()) {
            Ok(mut hangups) => {
                let asked = asked.clone();
                tokio::spawn(async move {
                    while hangups.recv().await.is_some() {
                        asked.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                });
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for SIGHUP"),
        }
    }
    asked
}

/// Re-reads the configuration (SIGHUP). A bad one is refused and the running one kept. The
/// `[sync]` settings apply from the next cycle (a command-line flag still wins); the systems'
/// connections are built once, so a change to them is named and waits for a restart.
fn reconfigure(
    ctx: &Context,
    args: &SyncArgs,
    store: &Store,
    config: &mut Config,
    settings: &mut CycleSettings,
    interval: &mut Duration,
) {
    let fresh = match ctx.config() {
        Ok(fresh) => fresh,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "SIGHUP: the configuration is refused; keeping the running one");
            return;
        }
    };
    let sync = fresh.sync();
    let mapped = store.count_mappings().unwrap_or(0).max(0) as u64;
    *interval = args.interval.unwrap_or(sync.interval);
    settings.policy.session_ttl = sync.session_ttl;
    settings.max_changes = args
        .max_changes
        .unwrap_or_else(|| sync.max_changes.limit_for(mapped));
    let sections = |c: &Config| {
        let f = &c.file;
        [
            ("graph", serde_json::to_value(&f.graph).ok()),
            ("micollab", serde_json::to_value(&f.micollab).ok()),
            ("pbx", serde_json::to_value(&f.pbx).ok()),
            ("cloudlink", serde_json::to_value(&f.cloudlink).ok()),
            ("state", serde_json::to_value(&f.state).ok()),
        ]
    };
    let changed: Vec<&str> = sections(config)
        .into_iter()
        .zip(sections(&fresh))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, _), _)| name)
        .collect();
    if !changed.is_empty() {
        tracing::warn!(
            sections = changed.join(", "),
            "SIGHUP: these sections changed; they take effect when the service restarts"
        );
    }
    if sync.lease_duration != config.sync().lease_duration {
        tracing::info!(
            lease_duration = %humantime::format_duration(sync.lease_duration),
            "SIGHUP: sync.lease_duration applies from the next grant of the lease"
        );
    }
    tracing::info!(
        interval = %humantime::format_duration(*interval),
        session_ttl = %humantime::format_duration(settings.policy.session_ttl),
        max_changes = settings.max_changes,
        "SIGHUP: configuration re-read; [sync] settings apply from the next cycle"
    );
    *config = fresh;
}

async fn serve_metrics(
    ctx: &Context,
    args: &SyncArgs,
    metrics: &Arc<SyncMetrics>,
    stop_rx: &tokio::sync::watch::Receiver<bool>,
    interval: Duration,
) -> anyhow::Result<()> {
    let Some(addr) = args.metrics_addr else {
        return Ok(());
    };
    let mut stop = stop_rx.clone();
    let bound = crate::metrics::serve(addr, metrics.clone(), unix_now(), interval, async move {
        let _ = stop.wait_for(|s| *s).await;
    })
    .await
    .with_context(|| format!("serving metrics on {addr}"))?;
    ctx.printer.note(format!(
        "metrics on http://{bound}/metrics, health on http://{bound}/healthz"
    ));
    Ok(())
}

/// Waits, calling no system, until the lease can be taken again (`None`: stopped first).
async fn standby(
    store: &mut Store,
    stop_rx: &mut tokio::sync::watch::Receiver<bool>,
    interval: Duration,
    ttl: Duration,
) -> Option<Lease> {
    tracing::error!(
        "another run holds the sync lease: standing by, writing nothing, until it is free"
    );
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop_rx.wait_for(|s| *s) => return None,
        }
        match store.acquire_lease("sync", ttl) {
            Ok(lease) => {
                tracing::info!(epoch = lease.epoch, "took the sync lease: syncing again");
                return Some(lease);
            }
            Err(StoreError::LockHeld { holder, .. }) => {
                tracing::debug!(%holder, "the sync lease is still held");
            }
            Err(e) => tracing::warn!(error = %e, "could not take the sync lease; trying again"),
        }
    }
}

/// One cycle with its run row, summary, metrics and logs. Store trouble that passes (busy,
/// locked) and a lost lease are turns of their own, not errors.
async fn turn<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    metrics: &SyncMetrics,
) -> anyhow::Result<Turn>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let lease_lost = || settings.lease.as_ref().is_some_and(|l| !l.held());
    let outcome = async {
        let run = store.begin_leased_run("sync --watch")?;
        let started = Instant::now();
        let report = run_cycle(store, systems, settings, Some(run), chrono::Utc::now()).await?;
        let took = started.elapsed();
        // A held plan is the guard at work while everyone else syncs: not a failed cycle.
        let succeeded = report.read_errors.is_empty()
            && report.failed_users == 0
            && (report.guard_tripped.is_none() || report.held_plan.is_some());
        metrics.record(&report, took, succeeded, unix_now());
        super::keep_graph_limit(store, &systems.teams)?;
        let line = summary(&report, took);
        store.finish_run(run, if succeeded { 0 } else { 3 }, &line.to_json())?;
        Ok::<_, StoreError>((report, took))
    }
    .await;
    match outcome {
        Ok((report, took)) => {
            log_cycle(&report, took);
            metrics.set_degraded(&report.degraded());
            let down = report
                .read_errors
                .iter()
                .filter(|e| e.unavailable && !e.gave_up)
                .map(|e| e.system)
                .collect();
            Ok(Turn::Cycled { down })
        }
        Err(e) if lease_lost() => {
            tracing::error!(error = %e, "lost the sync lease mid-cycle: its writes were dropped unsent");
            Ok(Turn::LeaseLost)
        }
        Err(e @ StoreError::Busy { .. }) => {
            tracing::warn!(error = %e, "the state store is busy: waiting it out");
            Ok(Turn::StoreBusy)
        }
        Err(e) => Err(anyhow::Error::new(e).context("running the sync cycle")),
    }
}

/// Says when a system goes down or comes back, and which direction it holds up.
fn log_systems(
    before: &std::collections::BTreeSet<&'static str>,
    now: &std::collections::BTreeSet<&'static str>,
) {
    for system in now.difference(before) {
        let direction = match *system {
            "pbx" => "phone -> Teams",
            "cloudlink" => "Teams -> MiCollab",
            _ => "both directions",
        };
        tracing::warn!(
            system,
            "{system} is down: {direction} degraded; tried again every cycle, holding up nothing else"
        );
    }
    for system in before.difference(now) {
        tracing::info!(system, "{system} answers again");
    }
}

fn log_cycle(report: &CycleReport, took: Duration) {
    if let (Some((planned, limit)), None) = (report.guard_tripped, report.held_plan) {
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
        throttled = report.throttled,
        duration_ms = took.as_millis() as u64,
        "sync cycle"
    );
}
