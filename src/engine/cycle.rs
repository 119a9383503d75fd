//! One cycle's phases in order: settle the journal, read the store and the systems slice by
//! slice and decide each user as its slice comes in, stop at the guard, then finish
//! (`finish.rs`): apply, record the rollout, store the rows.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use super::decide::{Decided, Rollout};
use super::observe::{self, SliceReads};
use super::settle::{self, Settled};
use super::users::{self, Slices};
use super::{
    CloudlinkPort, CycleReport, CycleSettings, MicollabPort, PbxPort, SLICES_IN_FLIGHT,
    SourceError, Systems, TeamsPort, apply,
};
use crate::ids::IdMap;
use crate::store::{RunId, Store, StoreError};

/// What every phase of one cycle reads: the systems, the settings, and what settling and
/// the rollout state said before the reads began.
pub(super) struct Cycle<'a, T, M, P, C> {
    pub systems: &'a Systems<T, M, P, C>,
    pub settings: &'a CycleSettings,
    pub run: Option<RunId>,
    pub settled: &'a Settled,
    pub rollout: &'a Rollout,
}

pub(super) async fn cycle<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    run: Option<RunId>,
    now: DateTime<Utc>,
) -> Result<CycleReport, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let mut report = CycleReport {
        dry_run: settings.dry_run,
        ..Default::default()
    };
    let settled = if settings.dry_run {
        Settled::default()
    } else {
        let settled = settle::settle_journal(store, systems, settings.lease.as_ref(), now).await?;
        report.settled_journal_entries = settled.closed;
        settled
    };
    let stage = StageTimer::start();
    // Before the store's reader starts: lapsing an approval writes, and without WAL a write
    // waits for every reader.
    let rollout = Rollout::load(store, now, settings.dry_run)?;
    let cycle = Cycle {
        systems,
        settings,
        run,
        settled: &settled,
        rollout: &rollout,
    };
    let mut decided = Decided::new(settings, &settled, &rollout, now);
    let (now, resolved) = cycle
        .read_and_decide(store, &mut report, &mut decided, now)
        .await?;
    stage.lap("read store and systems, reconcile");
    if !resolved.is_empty() && !settings.dry_run {
        store.put_cloudlink_principals(&resolved)?;
    }
    let changes = report.unexpected_changes;
    if settings.guard_stops(changes) {
        report.guard_tripped = Some((changes, settings.max_changes));
        if !settings.hold_over_guard {
            return Ok(report);
        }
    }
    if settings.dry_run {
        return Ok(report);
    }
    cycle
        .finish(store, decided, &mut report, now, &stage)
        .await?;
    Ok(report)
}

/// What the slices' reads share across a cycle: CloudLink's directory (read once, when a
/// slice has many principals to resolve), the systems found down so far, and the gate that
/// holds new slices back while writes go out mid-cycle.
struct SliceSource {
    directory: tokio::sync::OnceCell<Result<IdMap<String>, SourceError>>,
    down: RefCell<BTreeSet<&'static str>>,
    /// Slices started, and received by the loop.
    started: Cell<usize>,
    received: Cell<usize>,
    gate: tokio::sync::watch::Sender<bool>,
}

impl SliceSource {
    fn new(settings: &CycleSettings) -> SliceSource {
        SliceSource {
            directory: tokio::sync::OnceCell::new(),
            down: RefCell::new(settings.down.clone()),
            started: Cell::new(0),
            received: Cell::new(0),
            gate: tokio::sync::watch::channel(true).0,
        }
    }

    /// The slices as the store's reader yields them, each read from the systems, two in
    /// flight; none starts while the gate is closed.
    fn reads<'a, T, M, P, C>(
        &'a self,
        systems: &'a Systems<T, M, P, C>,
        loaded: Slices,
    ) -> impl futures_util::Stream<Item = Result<SliceReads, StoreError>> + 'a
    where
        T: TeamsPort,
        M: MicollabPort,
        P: PbxPort,
        C: CloudlinkPort,
    {
        let open = self.gate.subscribe();
        futures_util::stream::unfold((loaded, open), |(mut loaded, mut open)| async {
            let _ = open.wait_for(|open| *open).await;
            let slice = loaded.recv().await?;
            Some((slice, (loaded, open)))
        })
        .map(move |slice| {
            self.started.set(self.started.get() + 1);
            // Systems down at the last cycle, or in an earlier slice of this one.
            let down = self.down.borrow().clone();
            async move {
                let users = slice?;
                Ok(observe::read_slice(systems, &self.directory, &down, users).await)
            }
        })
        .buffered(SLICES_IN_FLIGHT)
    }

    /// The next slice: one kept back, else the next from the stream (the gate opened).
    async fn next<S>(&self, reads: &mut S, kept: &mut VecDeque<S::Item>) -> Option<S::Item>
    where
        S: futures_util::Stream + Unpin,
    {
        if let Some(kept) = kept.pop_front() {
            return Some(kept);
        }
        self.gate.send_replace(true);
        let next = reads.next().await;
        self.received
            .set(self.received.get() + usize::from(next.is_some()));
        next
    }

    /// Closes the gate and reads the slices in flight to the end, keeping them: writes sent
    /// now must not wait on a read nobody polls (a slice in flight holds connections).
    async fn drain<S>(&self, reads: &mut S, kept: &mut VecDeque<S::Item>)
    where
        S: futures_util::Stream + Unpin,
    {
        self.gate.send_replace(false);
        while self.started.get() > self.received.get() {
            let Some(slice) = reads.next().await else {
                break;
            };
            self.received.set(self.received.get() + 1);
            kept.push_back(slice);
        }
    }
}

impl<T, M, P, C> Cycle<'_, T, M, P, C>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    /// Reads and decides slice by slice, the store read on another thread meanwhile. What is
    /// kept is the users with writes to make and the rows that changed. Returns the time the
    /// cycle judged by (Graph's clock) and the principal ids resolved.
    async fn read_and_decide(
        &self,
        store: &mut Store,
        report: &mut CycleReport,
        decided: &mut Decided<'_>,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, Vec<(String, String)>), StoreError> {
        let settings = self.settings;
        let loaded = users::stream(store, settings.users_per_slice, SLICES_IN_FLIGHT)?;
        // Rows of users without writes are stored a slice's worth at a time, so a cycle in
        // which every observation changed (the one after a mass change) never holds them
        // all. They record only what was seen, so storing them early is safe; a dry run
        // stores none, and without WAL they wait for the end (the store's reader is still
        // reading).
        let store_rows_early = !settings.dry_run && store.reads_beside_writes()?;
        let source = SliceSource::new(settings);
        let mut reads = std::pin::pin!(source.reads(self.systems, loaded));
        let mut kept = VecDeque::new();
        // Access tokens are fetched while the first slice is read from the store; that
        // slice's requests then find them ready (or wait for the same fetch).
        let systems = self.systems;
        let warm_up = futures_util::future::join4(
            systems.teams.warm_up(),
            systems.micollab.warm_up(),
            systems.pbx.warm_up(),
            systems.cloudlink.warm_up(),
        );
        let (_, mut next) = tokio::join!(warm_up, source.next(&mut reads, &mut kept));
        let mut fallback_flags: Option<IdMap<bool>> = None;
        let mut resolved = Vec::new();
        let mut judged_now = None;
        while let Some(slice) = next.take() {
            let mut slice = slice?;
            let now = *judged_now.get_or_insert_with(|| self.judged_now(report, now));
            let fallback = FlagsFallback {
                store,
                settings,
                now,
                flags: &mut fallback_flags,
            };
            note_read_errors(report, &mut slice, &source.down, fallback);
            resolved.append(&mut slice.resolved);
            report.users_checked += slice.users.len();
            let decided_now = slice.users.len() as u64;
            decided.now = now;
            for user in std::mem::take(&mut slice.users) {
                let observed = observe::observe(&user, &mut slice);
                decided.user(report, user, observed);
            }
            if let Some(progress) = &settings.progress {
                progress.0.advance(decided_now);
            }
            // Forced past the guard, a mass change (a first sync) is applied as it is
            // decided, a chunk at a time: the cycle never holds every planned write.
            if settings.force
                && store_rows_early
                && decided.plans.len() >= settings.writes_per_chunk
            {
                source.drain(&mut reads, &mut kept).await;
                self.apply_mid_cycle(store, decided, report, now).await?;
            }
            if store_rows_early && decided.stored_rows.len() >= settings.users_per_slice {
                // Under the lease, as at the end: a holder that lost it stores nothing.
                let lease = settings.lease.as_ref();
                store.finish_cycle(lease, &decided.stored_rows, &[], &[], None)?;
                decided.stored_rows.clear();
            }
            next = source.next(&mut reads, &mut kept).await;
        }
        Ok((judged_now.unwrap_or(now), resolved))
    }

    /// Session expiry runs on Graph's clock: the cycle judges it there (its `Date` header,
    /// to the second; a skew under two seconds is noise).
    fn judged_now(&self, report: &mut CycleReport, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.systems.teams.clock_skew() {
            Some(skew) if skew.num_seconds().abs() >= 2 => {
                report.clock_skew_seconds = Some(skew.num_seconds());
                now + skew
            }
            _ => now,
        }
    }

    async fn apply_mid_cycle(
        &self,
        store: &mut Store,
        decided: &mut Decided<'_>,
        report: &mut CycleReport,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // The progress stays on the users decided: these writes are a chunk among many.
        let settings = CycleSettings {
            progress: None,
            ..self.settings.clone()
        };
        apply::apply_and_store(
            store,
            self.systems,
            self.run,
            self.settled,
            std::mem::take(&mut decided.plans),
            report,
            now,
            &mut decided.forget,
            &settings,
        )
        .await
    }
}

/// Where a cycle gets the Teams flags while MiCollab cannot be read (once per cycle).
struct FlagsFallback<'a> {
    store: &'a Store,
    settings: &'a CycleSettings,
    now: DateTime<Utc>,
    flags: &'a mut Option<IdMap<bool>>,
}

/// Takes a slice's read errors into the report (a system failing for several slices is one
/// error of the cycle) and marks the systems that were down for the slices still to come.
/// MiCollab down: the slice goes on with the flags the last syncs read, if recent enough.
fn note_read_errors(
    report: &mut CycleReport,
    reads: &mut SliceReads,
    down: &RefCell<BTreeSet<&'static str>>,
    fallback: FlagsFallback<'_>,
) {
    for mut e in reads.errors.drain(..) {
        if e.unavailable {
            down.borrow_mut().insert(e.system);
        }
        if e.system == "micollab" && e.unavailable && reads.flags.is_none() {
            let flags = fallback.flags.get_or_insert_with(|| {
                fallback
                    .settings
                    .flags_kept_for
                    .and_then(|age| fallback.store.recent_flags(fallback.now, age).ok())
                    .unwrap_or_default()
            });
            if !flags.is_empty() {
                reads.flags = Some(flags.clone());
                e.message.push_str(
                    " (going on with the Teams flags the last syncs read, younger than sync.stale_after)",
                );
            }
        }
        if !report.read_errors.iter().any(|r| r.system == e.system) {
            *report.errors_by_system.entry(e.system).or_default() += 1;
            report.read_errors.push(e);
        }
    }
}

/// Debug-level timings of a cycle's stages (`-vv`), to see where a cycle's time goes.
pub(super) struct StageTimer(std::cell::Cell<std::time::Instant>);

impl StageTimer {
    pub(super) fn start() -> StageTimer {
        StageTimer(std::cell::Cell::new(std::time::Instant::now()))
    }

    pub(super) fn lap(&self, stage: &str) {
        let now = std::time::Instant::now();
        tracing::debug!(
            stage,
            ms = (now - self.0.get()).as_millis() as u64,
            rss_kib = resident_kib(),
            "cycle stage"
        );
        self.0.set(now);
    }
}

/// The process's resident memory in KiB (Linux; 0 elsewhere), for the stage timings.
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
