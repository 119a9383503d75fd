//! One direction's pipeline within a cycle: read the systems it needs slice by slice,
//! decide each user as its slice comes in, stop at its guard, apply its writes and record
//! its part of each user's row. The two pipelines run side by side, so a system that is
//! slow or down holds up only the direction that needs it:
//! - phone -> Teams reads the Teams flags (MiCollab) and the PBX, and writes Graph sessions;
//! - Teams -> MiCollab reads Graph presences, the flags and CloudLink, and writes presentities.

use std::cell::Cell;
use std::collections::{HashSet, VecDeque};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use super::cycle::Cycle;
use super::decide::Decided;
use super::observe::{self, GraphHeard, SharedReads, SliceReads};
use super::users::{self, Slices};
use super::{
    CloudlinkPort, CycleReport, CycleSettings, MicollabPort, PbxPort, StoreCell, TeamsPort, apply,
};
use crate::ids::IdMap;
use crate::reconcile::SyncDirection;
use crate::store::{Store, StoreError};

/// One direction of a cycle.
pub(super) struct Pipeline<'c, 'a, T, M, P, C> {
    cycle: &'c Cycle<'a, T, M, P, C>,
    /// The cycle's settings, with this pipeline's direction.
    settings: CycleSettings,
    /// This pipeline advances the "users decided" progress (one does, for both).
    counts_users: bool,
    /// Slices read from the systems at once ([`super::SLICES_IN_FLIGHT`], shared by the
    /// pipelines side by side).
    in_flight: usize,
}

/// What a pipeline came to, for the cycle to record once.
#[derive(Default)]
pub(super) struct Outcome {
    pub report: CycleReport,
    /// Users whose changes the guard holds (`--watch`), and how many changes they are.
    pub held: Vec<String>,
    pub held_changes: u64,
    /// Users being onboarded that this direction has in sync.
    pub onboarded: HashSet<String>,
    /// The guard stopped it before any write (a one-shot run).
    pub stopped: bool,
}

impl<'c, 'a, T, M, P, C> Pipeline<'c, 'a, T, M, P, C>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    pub fn new(
        cycle: &'c Cycle<'a, T, M, P, C>,
        direction: SyncDirection,
        counts_users: bool,
        in_flight: usize,
    ) -> Self {
        let mut settings = cycle.settings.clone();
        settings.policy.direction = direction;
        Pipeline {
            cycle,
            settings,
            counts_users,
            in_flight,
        }
    }

    fn direction(&self) -> SyncDirection {
        self.settings.policy.direction
    }

    /// Reads, decides, applies and records this direction; `slices`: its share of a read of
    /// the store shared with the other pipeline, else it reads the store itself.
    pub async fn run(
        &self,
        store: &StoreCell<'_>,
        shared: &SharedReads,
        slices: Option<Slices>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        let settings = &self.settings;
        let cycle = self.cycle;
        let teams_side = self.direction() == SyncDirection::TeamsToMicollab;
        let _heard = shared
            .graph_heard
            .as_ref()
            .filter(|_| teams_side)
            .map(GraphHeard);
        let mut report = CycleReport::default();
        let mut decided = Decided::new(settings, cycle.settled, cycle.rollout, now);
        let (now, resolved) = self
            .read_and_decide(store, shared, slices, &mut report, &mut decided, now)
            .await?;
        if !resolved.is_empty() && !settings.dry_run {
            store.borrow_mut().put_cloudlink_principals(&resolved)?;
        }
        let changes = report.unexpected_changes;
        let mut outcome = Outcome::default();
        if settings.guard_stops(changes) {
            report.guard_tripped = Some((changes, settings.max_changes));
            outcome.stopped = !settings.hold_over_guard;
        }
        if outcome.stopped && !settings.dry_run {
            let lease = settings.lease.as_ref();
            store
                .borrow_mut()
                .finish_cycle(lease, &decided.stored_rows, &[], &[], None)?;
        }
        if outcome.stopped || settings.dry_run {
            outcome.report = report;
            return Ok(outcome);
        }
        let Decided {
            plans,
            stored_rows,
            mut forget,
            held,
            held_changes,
            onboarded,
            onboarding_writes,
            ..
        } = decided;
        apply::apply_and_store(
            store,
            cycle.systems,
            cycle.run,
            cycle.settled,
            plans,
            &mut report,
            now,
            &mut forget,
            settings,
        )
        .await?;
        if let Some(seen) = &settings.seen {
            seen.forget(report.user_errors.iter().map(|(l, _)| l.as_str()));
        }
        outcome.onboarded = self.onboarded(&report, onboarded, onboarding_writes);
        store.borrow_mut().finish_cycle(
            settings.lease.as_ref(),
            &stored_rows,
            &[],
            &forget,
            None,
        )?;
        outcome.report = report;
        outcome.held = held;
        outcome.held_changes = held_changes;
        Ok(outcome)
    }

    /// The users being onboarded this direction has in sync: those it found in sync, and
    /// those it wrote without failing.
    fn onboarded(
        &self,
        report: &CycleReport,
        in_sync: Vec<String>,
        written: Vec<String>,
    ) -> HashSet<String> {
        let failed: HashSet<&str> = report.user_errors.iter().map(|(l, _)| l.as_str()).collect();
        let written = written.into_iter().filter(|l| !failed.contains(l.as_str()));
        in_sync.into_iter().chain(written).collect()
    }

    /// Reads and decides slice by slice, the store read on another thread meanwhile. What is
    /// kept is the users with writes to make and the rows that changed. Returns the time the
    /// pipeline judged by (Graph's clock) and the principal ids resolved.
    async fn read_and_decide(
        &self,
        store: &StoreCell<'_>,
        shared: &SharedReads,
        slices: Option<Slices>,
        report: &mut CycleReport,
        decided: &mut Decided<'_>,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, Vec<(String, String)>), StoreError> {
        let settings = &self.settings;
        let (loaded, store_rows_early) = {
            let store = store.borrow();
            let loaded = match slices {
                Some(slices) => slices,
                None => self.read_store(&store)?,
            };
            // Rows of users without writes are stored a slice's worth at a time, so a cycle
            // in which every observation changed (the one after a mass change) never holds
            // them all. They record only what was seen, so storing them early is safe; a dry
            // run stores none, and without WAL they wait for the end (the store's reader is
            // still reading).
            (loaded, !settings.dry_run && store.reads_beside_writes()?)
        };
        let source = SliceSource::new();
        let mut reads = std::pin::pin!(source.reads(self, shared, loaded));
        let mut kept = VecDeque::new();
        // Access tokens are fetched while the first slice is read from the store; that
        // slice's requests then find them ready (or wait for the same fetch).
        let (_, mut next) = tokio::join!(self.warm_up(), source.next(&mut reads, &mut kept));
        let mut fallback_flags: Option<IdMap<bool>> = None;
        let mut resolved = Vec::new();
        let mut judged_now = None;
        while let Some(slice) = next.take() {
            let mut slice = slice?;
            let now = match judged_now {
                Some(now) => now,
                None => *judged_now.insert(self.judged_now(report, shared, &slice, now).await),
            };
            // A slice read whole is remembered for the glances of `sync --watch`.
            let read_whole = slice.errors.is_empty();
            {
                let store = store.borrow();
                let fallback = FlagsFallback {
                    store: &store,
                    settings,
                    now,
                    flags: &mut fallback_flags,
                };
                note_read_errors(report, &mut slice, shared, fallback);
            }
            resolved.append(&mut slice.resolved);
            decided.now = now;
            self.decide_slice(report, decided, slice, read_whole);
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
                store
                    .borrow_mut()
                    .finish_cycle(lease, &decided.stored_rows, &[], &[], None)?;
                decided.stored_rows.clear();
            }
            next = source.next(&mut reads, &mut kept).await;
        }
        Ok((judged_now.unwrap_or(now), resolved))
    }

    /// Decides each user of a slice read from the systems; one `read_whole` is remembered
    /// for the glances of `sync --watch` ([`super::SeenPresence`]).
    fn decide_slice(
        &self,
        report: &mut CycleReport,
        decided: &mut Decided<'_>,
        mut slice: SliceReads,
        read_whole: bool,
    ) {
        let seen = self
            .settings
            .seen
            .as_deref()
            .filter(|_| read_whole && self.direction() == SyncDirection::TeamsToMicollab);
        report.users_checked += slice.users.len();
        let decided_now = slice.users.len() as u64;
        for user in std::mem::take(&mut slice.users) {
            let observed = observe::observe(&user, &mut slice);
            if let (Some(seen), Some(id)) = (seen, user.teams_id.as_deref()) {
                seen.saw(&user.login, id, observed.teams.as_ref());
            }
            decided.user(report, user, observed);
        }
        let progress = self.settings.progress.as_ref();
        if let Some(progress) = progress.filter(|_| self.counts_users) {
            progress.0.advance(decided_now);
        }
    }

    /// Fetches the access tokens of the systems this direction reads.
    async fn warm_up(&self) {
        let systems = self.cycle.systems;
        if self.direction() == SyncDirection::PbxToTeams {
            tokio::join!(
                systems.teams.warm_up(),
                systems.micollab.warm_up(),
                systems.pbx.warm_up()
            );
        } else {
            tokio::join!(
                systems.teams.warm_up(),
                systems.micollab.warm_up(),
                systems.cloudlink.warm_up()
            );
        }
    }

    /// Session expiry runs on Graph's clock: the pipeline judges it there (its `Date`
    /// header, to the second; a skew under two seconds is noise). The phone pipeline reads no
    /// presence: before Graph has answered this process once, it waits for the Teams
    /// pipeline's first read beside it, or else asks for one user's presence itself.
    async fn judged_now(
        &self,
        report: &mut CycleReport,
        shared: &SharedReads,
        slice: &SliceReads,
        now: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let teams = &self.cycle.systems.teams;
        if teams.clock_skew().is_none() {
            match &shared.graph_heard {
                Some(heard) => {
                    let _ = heard.subscribe().wait_for(|heard| *heard).await;
                }
                None => {
                    if let Some(id) = slice.users.iter().find_map(|u| u.teams_id.clone()) {
                        let _ = teams.read_presences(&[id]).await;
                    }
                }
            }
        }
        match teams.clock_skew() {
            Some(skew) if skew.num_seconds().abs() >= 2 => {
                report.clock_skew_seconds = Some(skew.num_seconds());
                now + skew
            }
            _ => now,
        }
    }

    /// This pipeline's own read of the store (no other pipeline reads beside it).
    fn read_store(&self, store: &Store) -> Result<Slices, StoreError> {
        let (per_slice, only) = (self.settings.users_per_slice, self.settings.only.clone());
        users::stream_alone(store, per_slice, self.in_flight, only)
    }

    async fn apply_mid_cycle(
        &self,
        store: &StoreCell<'_>,
        decided: &mut Decided<'_>,
        report: &mut CycleReport,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // The progress stays on the users decided: these writes are a chunk among many.
        let settings = CycleSettings {
            progress: None,
            ..self.settings.clone()
        };
        let cycle = self.cycle;
        apply::apply_and_store(
            store,
            cycle.systems,
            cycle.run,
            cycle.settled,
            std::mem::take(&mut decided.plans),
            report,
            now,
            &mut decided.forget,
            &settings,
        )
        .await
    }
}

/// The slices of one pipeline as the store's reader yields them, and the gate that holds new
/// slices back while writes go out mid-cycle.
struct SliceSource {
    /// Slices started, and received by the loop.
    started: Cell<usize>,
    received: Cell<usize>,
    gate: tokio::sync::watch::Sender<bool>,
}

impl SliceSource {
    fn new() -> SliceSource {
        SliceSource {
            started: Cell::new(0),
            received: Cell::new(0),
            gate: tokio::sync::watch::channel(true).0,
        }
    }

    /// The slices as the store's reader yields them, each read from the pipeline's
    /// systems, two in flight; none starts while the gate is closed.
    fn reads<'s, T, M, P, C>(
        &'s self,
        pipeline: &'s Pipeline<'_, '_, T, M, P, C>,
        shared: &'s SharedReads,
        loaded: Slices,
    ) -> impl futures_util::Stream<Item = Result<SliceReads, StoreError>> + 's
    where
        T: TeamsPort,
        M: MicollabPort,
        P: PbxPort,
        C: CloudlinkPort,
    {
        let open = self.gate.subscribe();
        let systems = pipeline.cycle.systems;
        let direction = pipeline.direction();
        futures_util::stream::unfold((loaded, open), |(mut loaded, mut open)| async {
            let _ = open.wait_for(|open| *open).await;
            let slice = loaded.recv().await?;
            Some((slice, (loaded, open)))
        })
        .map(move |slice| {
            let index = self.started.get();
            self.started.set(index + 1);
            async move {
                let users = slice?;
                Ok(observe::read_slice(systems, shared, direction, index, users).await)
            }
        })
        .buffered(pipeline.in_flight)
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

/// Where a pipeline gets the Teams flags while MiCollab cannot be read (once per cycle).
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
    shared: &SharedReads,
    fallback: FlagsFallback<'_>,
) {
    for mut e in reads.errors.drain(..) {
        if e.unavailable {
            shared.down.borrow_mut().insert(e.system);
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
