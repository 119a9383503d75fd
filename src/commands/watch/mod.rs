//! `mcteams sync --watch`: the sync as a service. Cycles on an interval in lanes of their
//! own pace ([`lane`]: one per direction where the store allows, else one for both), backs
//! off while the store is busy, keeps its lease on a heartbeat of its own, waits as standby
//! while another run holds the lease, and stops on SIGTERM / SIGINT after the cycles in
//! progress (exit 0: stopping a service is normal).

mod feed;
mod glance;
mod lane;
mod plan;
mod traffic;

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use super::Context;
use super::sync::{give_back, unix_now};
use crate::cli::SyncArgs;
use crate::config::{Config, Interval};
use crate::connectors::ConnectedSystems;
use crate::engine::{Alongside, CycleSettings};
use crate::exit::ExitStatus;
use crate::metrics::SyncMetrics;
use crate::pacing::{self, Limits};
use crate::reconcile::SyncDirection;
use crate::signals::StopSignals;
use crate::store::{Lease, Store, StoreError};
use feed::Wake;
use lane::{Lane, LaneEnd, Wakes};
use traffic::Traffic;

pub use plan::plan_only;

/// The least time between two read-backs of what the phone lane's sessions made Teams show.
const READ_BACK_GAP: Duration = Duration::from_secs(1);

/// What the lanes share for the service's whole life.
struct Service<'a> {
    ctx: &'a Context,
    args: &'a SyncArgs,
    systems: &'a ConnectedSystems,
    metrics: &'a SyncMetrics,
    tuning: RefCell<Tuning>,
    stop: tokio::sync::watch::Receiver<bool>,
    /// The clients' throttling answers counted into the metrics so far.
    throttled_counted: Cell<u64>,
    /// The systems each lane's last cycle could not read: Graph or MiCollab down degrades
    /// both directions, though only one lane may read it.
    unread_by_lane: RefCell<std::collections::BTreeMap<&'static str, Vec<&'static str>>>,
    /// What was sent to each system over the last 30 s, and the polls' share of it.
    traffic: RefCell<Traffic>,
}

/// What the lanes share while the service holds one grant of the lease.
struct Holding<'a> {
    lease: Lease,
    /// Set when a lane ends: the others end after their cycle in progress.
    over: tokio::sync::watch::Sender<bool>,
    /// Where each direction has a lane: what their cycles share.
    alongside: Option<&'a Alongside>,
}

/// The settings SIGHUP may change, re-read by whichever lane starts a cycle first.
struct Tuning {
    config: Config,
    interval: Interval,
    /// What `interval = "auto"` paces to, and for how many mapped users.
    limits: Limits,
    mapped: u64,
    session_ttl: Duration,
    max_changes: u64,
    reload: Arc<std::sync::atomic::AtomicBool>,
}

impl Service<'_> {
    /// Re-reads the configuration if SIGHUP asked, and puts the `[sync]` settings into a
    /// lane's.
    fn retune(&self, store: &Store, settings: &mut CycleSettings) {
        let mut tuning = self.tuning.borrow_mut();
        if tuning
            .reload
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            reconfigure(self.ctx, self.args, store, &mut tuning);
        }
        settings.policy.session_ttl = tuning.session_ttl;
        settings.max_changes = tuning.max_changes;
    }

    /// The time between the polls of `direction`'s lane (`glance`: glances of the Teams
    /// lane): the fixed interval, or the shortest that keeps each system within what it
    /// allows (`auto`, [`crate::pacing`]).
    fn poll_every(&self, direction: SyncDirection, glance: bool) -> Duration {
        let tuning = self.tuning.borrow();
        let Interval::Every(every) = tuning.interval else {
            let (users, limits) = (tuning.mapped, &tuning.limits);
            let beside = self
                .traffic
                .borrow_mut()
                .beside(direction, std::time::Instant::now());
            let phone = pacing::phone_poll(users, beside, limits);
            let teams = match glance {
                true => pacing::glance_poll(users, beside, limits),
                false => pacing::teams_poll(users, beside, limits),
            };
            return match direction {
                SyncDirection::PbxToTeams => phone,
                SyncDirection::TeamsToMicollab => teams,
                SyncDirection::Both => phone.max(teams),
            };
        };
        every
    }

    /// Takes what the clients sent since the last turn, and shows Graph's share of its
    /// budget in the metrics.
    fn note_traffic(&self) {
        let now = std::time::Instant::now();
        let sent = crate::engine::traffic(self.systems).map(|(_, sent, _)| sent);
        let mut traffic = self.traffic.borrow_mut();
        traffic.note(sent, now);
        let allowed = self.tuning.borrow().limits.graph_per_s * pacing::WINDOW.as_secs_f64();
        self.metrics
            .set_graph_use(traffic.graph_in_window(now), allowed);
    }

    /// Counts a full cycle of `direction` (or a glance) as a poll.
    fn polled(&self, direction: SyncDirection, glance: bool) {
        let users = self.tuning.borrow().mapped;
        let now = std::time::Instant::now();
        self.traffic
            .borrow_mut()
            .polled(direction, users, now, glance);
    }

    /// Counts the mapped users again (for `auto`), before a full cycle.
    fn recount(&self, store: &Store) {
        if let Ok(mapped) = store.count_mappings() {
            self.tuning.borrow_mut().mapped = mapped.max(0) as u64;
        }
    }

    /// Takes the systems a lane's cycle could not read, and tells which directions are
    /// degraded now.
    fn tell_unread(&self, lane: &'static str, report: &crate::engine::CycleReport) {
        let mut unread = self.unread_by_lane.borrow_mut();
        unread.insert(lane, report.read_errors.iter().map(|e| e.system).collect());
        let degraded = crate::engine::degraded_by(unread.values().flatten().copied());
        self.metrics.set_degraded(&degraded);
    }

    /// Counts the throttling answers the clients met since the last count (two lanes'
    /// cycles overlap: counted here once, not from each one's report).
    fn count_throttled(&self) {
        let seen = throttled_seen(self.systems);
        let before = self.throttled_counted.replace(seen);
        self.metrics.add_throttled(seen.saturating_sub(before));
    }
}

fn throttled_seen(systems: &ConnectedSystems) -> u64 {
    crate::engine::traffic(systems)
        .iter()
        .map(|(_, _, throttled)| throttled)
        .sum()
}

#[allow(clippy::too_many_arguments)]
pub async fn watch(
    ctx: &Context,
    args: &SyncArgs,
    mut store: Store,
    systems: &ConnectedSystems,
    config: &Config,
    mut settings: CycleSettings,
    interval: Interval,
    lease: Option<Lease>,
) -> anyhow::Result<ExitStatus> {
    let stop_rx = stop_on_signal();
    let metrics = Arc::new(SyncMetrics::new());
    let min_interval = config.sync().min_interval;
    let health_interval = match interval {
        Interval::Every(every) => every,
        Interval::Auto => min_interval,
    };
    serve_metrics(ctx, args, &metrics, &stop_rx, health_interval).await?;
    ctx.printer.note(match interval {
        Interval::Every(every) => format!(
            "syncing every {}; stop with Ctrl-C or SIGTERM",
            humantime::format_duration(every)
        ),
        Interval::Auto => format!(
            "syncing as often as the systems allow (interval auto, at least {}); stop with Ctrl-C or SIGTERM",
            humantime::format_duration(min_interval)
        ),
    });
    // Past the guard a service holds the unexpected changes and goes on with everyone else.
    settings.hold_over_guard = true;
    let mut second = second_writer(&store, &settings, &metrics)?;
    let service = Service {
        ctx,
        args,
        systems,
        metrics: &metrics,
        tuning: RefCell::new(Tuning {
            config: config.clone(),
            interval,
            limits: Limits::from_config(config),
            mapped: store.count_mappings()?.max(0) as u64,
            session_ttl: settings.policy.session_ttl,
            max_changes: settings.max_changes,
            reload: reload_on_sighup(),
        }),
        stop: stop_rx,
        // What the clients met before the service began is not the service's.
        throttled_counted: Cell::new(throttled_seen(systems)),
        unread_by_lane: RefCell::default(),
        traffic: RefCell::default(),
    };
    serve(&service, &mut store, second.as_mut(), &settings, lease).await?;
    ctx.printer
        .note("stopped: in-flight writes finished and recorded");
    Ok(ExitStatus::Success)
}

/// Holds the lease and syncs until stopped; a lease lost is waited for again as a standby.
async fn serve(
    service: &Service<'_>,
    store: &mut Store,
    mut second: Option<&mut Store>,
    settings: &CycleSettings,
    lease: Option<Lease>,
) -> anyhow::Result<()> {
    let mut granted = lease;
    loop {
        let lease = match granted.take() {
            Some(lease) => lease,
            None => match wait_as_standby(service, store).await {
                Some(lease) => lease,
                None => return Ok(()),
            },
        };
        let ttl = service.tuning.borrow().config.sync().lease_duration;
        let heartbeat = store.start_heartbeat(&lease, ttl)?;
        let end = hold(service, store, second.as_deref_mut(), settings, &lease).await;
        // The heartbeat stops: a lease lost is not ours to renew, one stopped is given back.
        drop(heartbeat);
        match end? {
            LaneEnd::Stopped => {
                give_back(store, lease);
                return Ok(());
            }
            LaneEnd::LeaseLost => {
                tracing::error!("lost the sync lease: another run took it over");
            }
        }
    }
}

/// Each direction on its own pace needs a second writer beside the first one's readers
/// (WAL): `None` runs one lane for both directions. The metrics expect the lanes it means.
fn second_writer(
    store: &Store,
    settings: &CycleSettings,
    metrics: &SyncMetrics,
) -> Result<Option<Store>, StoreError> {
    let both = settings.policy.direction == SyncDirection::Both;
    let second = (both && store.reads_beside_writes()?)
        .then(|| store.another_writer())
        .transpose()?;
    metrics.expect_lanes(match (&second, settings.policy.direction) {
        (Some(_), _) => &["pbx_to_teams", "teams_to_micollab"],
        (None, SyncDirection::Both) => &["both"],
        (None, SyncDirection::PbxToTeams) => &["pbx_to_teams"],
        (None, SyncDirection::TeamsToMicollab) => &["teams_to_micollab"],
    });
    Ok(second)
}

/// A flag set by the first SIGTERM / SIGINT: the lanes stop after their cycles in progress.
fn stop_on_signal() -> tokio::sync::watch::Receiver<bool> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut signals = StopSignals::listen();
    tokio::spawn(async move {
        signals.next().await;
        let _ = stop_tx.send(true);
    });
    stop_rx
}

/// Waits as standby (shown by `/healthz` and the metrics) until the lease can be taken;
/// `None` once the service is stopped meanwhile.
async fn wait_as_standby(service: &Service<'_>, store: &mut Store) -> Option<Lease> {
    service.metrics.set_standby(true);
    let (interval, ttl) = {
        let tuning = service.tuning.borrow();
        let ttl = tuning.config.sync().lease_duration;
        // A standby tries for the lease four times a lease period (or at its interval, if
        // shorter): a holder gone is taken over within a lease period and a quarter, well
        // inside the fifth of the session's lifetime its sessions are refreshed ahead by.
        let every = match tuning.interval {
            Interval::Every(every) => every.min(ttl / 4),
            Interval::Auto => ttl / 4,
        };
        (every, ttl)
    };
    let mut stop = service.stop.clone();
    let lease = standby(store, &mut stop, interval, ttl).await?;
    service.metrics.set_standby(false);
    Some(lease)
}

/// Runs the lanes for one grant of the lease, until the service stops or the lease is
/// lost: one for both directions, or (with `second`, a second writer) one per direction,
/// sharing the rollout state and the Teams flags.
async fn hold(
    service: &Service<'_>,
    store: &mut Store,
    second: Option<&mut Store>,
    settings: &CycleSettings,
    lease: &Lease,
) -> anyhow::Result<LaneEnd> {
    // Holding the lease, no other sync runs: the runs left open were interrupted.
    if let Err(e) = store.close_interrupted_runs(None) {
        tracing::warn!(error = %e, "could not close the runs an earlier holder left open");
    }
    let alongside = Alongside::new();
    let holding = Holding {
        lease: lease.clone(),
        over: tokio::sync::watch::channel(false).0,
        alongside: second.is_some().then_some(&alongside),
    };
    // Phone state as events: the feed wakes the phone lane, whose targeted cycles wake
    // the Teams lane (or, with one lane for both, that lane).
    // Targeted turns and long polls are paced to a share of each Mitel system's max_rps.
    let rps = |system: &str| service.tuning.borrow().config.max_rps(system);
    let phone_gap = feed::min_gap(rps("pbx").min(rps("micollab")));
    // Read-backs cost Graph reads the Teams poll needs: at most one a second.
    let teams_gap = feed::min_gap(rps("micollab").min(rps("cloudlink"))).max(READ_BACK_GAP);
    let (phone_wake, teams_wake) = (Wake::paced(phone_gap), Wake::paced(teams_gap));
    let pbx = &service.systems.pbx;
    let follows = settings.policy.direction != SyncDirection::TeamsToMicollab;
    let start = match follows {
        true => feed::starting_cursor(pbx).await,
        false => None,
    };
    let follow = feed::follow(pbx, &phone_wake, start, feed::min_gap(rps("pbx")));
    let Some(second) = second else {
        // One lane: both directions (the store cannot write beside a reader), or the one
        // `--direction` names.
        let direction = settings.policy.direction;
        // Both directions in one lane: its cycles that set sessions wake it again for those
        // users, whose Teams presence it then reads after the write.
        let wakes = Wakes {
            own: Some(&phone_wake),
            hands_to: (direction == SyncDirection::Both).then_some(&phone_wake),
            follows_feed: direction == SyncDirection::PbxToTeams,
            rechecks: direction == SyncDirection::Both,
            glances: direction == SyncDirection::TeamsToMicollab,
        };
        let lane = Lane::new(store, settings, direction, wakes).run(service, &holding);
        if direction == SyncDirection::TeamsToMicollab {
            return lane.await;
        }
        return run_beside(lane, follow).await;
    };
    let phone = Wakes {
        own: Some(&phone_wake),
        hands_to: Some(&teams_wake),
        follows_feed: true,
        rechecks: false,
        glances: false,
    };
    let teams = Wakes {
        own: Some(&teams_wake),
        hands_to: None,
        follows_feed: false,
        rechecks: true,
        glances: true,
    };
    let lanes = async {
        tokio::join!(
            Lane::new(store, settings, SyncDirection::PbxToTeams, phone).run(service, &holding),
            Lane::new(second, settings, SyncDirection::TeamsToMicollab, teams)
                .run(service, &holding),
        )
    };
    let (phone, teams) = run_beside(lanes, follow).await;
    // A failure wins, then a lost lease.
    match (phone?, teams?) {
        (LaneEnd::Stopped, LaneEnd::Stopped) => Ok(LaneEnd::Stopped),
        _ => Ok(LaneEnd::LeaseLost),
    }
}

/// Runs `lanes` with `beside` going on meanwhile (the feed's follower, which never ends of
/// itself).
async fn run_beside<T>(lanes: impl Future<Output = T>, beside: impl Future<Output = ()>) -> T {
    tokio::pin!(lanes);
    tokio::select! {
        ended = &mut lanes => ended,
        () = beside => lanes.await,
    }
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
fn reconfigure(ctx: &Context, args: &SyncArgs, store: &Store, tuning: &mut Tuning) {
    let fresh = match ctx.config() {
        Ok(fresh) => fresh,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "SIGHUP: the configuration is refused; keeping the running one");
            return;
        }
    };
    let sync = fresh.sync();
    let mapped = store.count_mappings().unwrap_or(0).max(0) as u64;
    tuning.interval = args.interval.unwrap_or(sync.interval);
    tuning.limits = Limits::from_config(&fresh);
    tuning.session_ttl = sync.session_ttl;
    tuning.max_changes = args
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
    let changed: Vec<&str> = sections(&tuning.config)
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
    if sync.lease_duration != tuning.config.sync().lease_duration {
        tracing::info!(
            lease_duration = %humantime::format_duration(sync.lease_duration),
            "SIGHUP: sync.lease_duration applies from the next grant of the lease"
        );
    }
    tracing::info!(
        interval = %tuning.interval,
        session_ttl = %humantime::format_duration(tuning.session_ttl),
        max_changes = tuning.max_changes,
        "SIGHUP: configuration re-read; [sync] settings apply from the next cycle"
    );
    tuning.config = fresh;
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
