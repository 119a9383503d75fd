//! One sync cycle: settle the journal, read every system in bulk, reconcile each user,
//! guard against mass changes, journal the writes, apply them, and record the outcome.
//!
//! The engine knows the systems only through [`ports`]; the store is its memory. One user's
//! failure never fails the others.

mod apply;
mod decide;
mod observe;
mod patience;
mod records;
pub mod release;
pub mod settle;
mod users;

use std::collections::BTreeMap;

use decide::{Decided, Rollout};
use settle::Settled;

use crate::ids::IdMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, PresentityWrite, SessionChange, SourceError, Systems,
    TeamsPort, WriteFailure,
};
use crate::reconcile::{Action, Observed, Policy, Record, SyncDirection};
use crate::store::{RunId, Store, StoreError};
use futures_util::StreamExt;
pub use observe::{Principals, principals};
pub use records::{record_from_store, record_to_store};

use users::{Observation, User};

/// How a cycle runs, decided before it starts.
#[derive(Debug, Clone)]
pub struct CycleSettings {
    pub policy: Policy,
    /// More changes than this stop the cycle (refreshes do not count).
    pub max_changes: u64,
    pub force: bool,
    pub dry_run: bool,
    /// Users read and reconciled at a time ([`USERS_PER_SLICE`]; tests use fewer).
    pub users_per_slice: usize,
    /// Writes sent to a system at once, and planned writes a forced cycle holds before it
    /// applies them ([`WRITES_PER_CHUNK`]; tests use fewer).
    pub writes_per_chunk: usize,
    /// The sync lease the cycle writes under: checked in the transaction that journals its
    /// writes, and before each chunk is sent. A cycle that lost it sends nothing more.
    pub lease: Option<crate::store::Lease>,
    /// Past the guard, hold the unexpected users' changes as a plan and go on with the rest
    /// (`--watch`), instead of applying nothing (a one-shot run: exit 5).
    pub hold_over_guard: bool,
    /// Systems down at the last cycle: waited for only a little longer than the others
    /// (`--watch`; see [`patience`]).
    pub down: std::collections::BTreeSet<&'static str>,
    /// While MiCollab cannot be read, go on with the Teams flags the last syncs read if the
    /// last complete cycle is younger than this (`sync.stale_after`).
    pub flags_kept_for: Option<std::time::Duration>,
}

impl CycleSettings {
    /// Whether this cycle may still send (it holds its lease, or runs without one).
    fn may_send(&self) -> bool {
        self.lease.as_ref().is_none_or(crate::store::Lease::held)
    }
}

impl CycleSettings {
    /// Whether `changes` planned changes stop the cycle before any write.
    fn guard_stops(&self, changes: u64) -> bool {
        changes > self.max_changes && !self.force
    }
}

/// A plan the guard holds, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeldSummary {
    pub id: i64,
    pub users: usize,
}

/// One planned write, for the plan and the summary.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedAction {
    pub micollab_login: String,
    #[serde(flatten)]
    pub action: Action,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DirectionCounts {
    pub pbx_to_teams: u64,
    pub teams_to_micollab: u64,
}

impl DirectionCounts {
    fn add(&mut self, action: &Action) {
        match action.direction() {
            SyncDirection::PbxToTeams => self.pbx_to_teams += 1,
            _ => self.teams_to_micollab += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.pbx_to_teams + self.teams_to_micollab
    }
}

/// What a cycle did, for the summary (`-o json` prints it as is).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CycleReport {
    pub users_checked: usize,
    pub planned: DirectionCounts,
    pub applied: DirectionCounts,
    /// Session refreshes among the planned writes.
    pub refreshes: u64,
    pub failed_users: usize,
    /// Failed writes and reads, by system.
    pub errors_by_system: BTreeMap<&'static str, u64>,
    pub read_errors: Vec<SourceError>,
    pub notes: BTreeMap<&'static str, u64>,
    /// Set when the mass-change guard tripped: (unexpected changes, limit). A one-shot
    /// cycle then applied nothing; a watch held those users' changes ([`Self::held_plan`]).
    pub guard_tripped: Option<(u64, u64)>,
    /// Changes the guard counts, and those it does not (users being onboarded, or of an
    /// approved plan).
    pub unexpected_changes: u64,
    pub expected_changes: u64,
    /// The plan the guard holds after this cycle (`--watch`).
    pub held_plan: Option<HeldSummary>,
    /// The approved plan this cycle applied.
    pub approved_plan_applied: Option<i64>,
    pub settled_journal_entries: usize,
    /// Requests sent to each system by this cycle (every attempt, retries included).
    pub requests_by_system: BTreeMap<&'static str, u64>,
    /// Throttling answers this cycle met (429s, 503s with `Retry-After`, `$batch` inner
    /// answers included), all systems together.
    pub throttled: u64,
    /// Graph's clock minus ours, when it differs by two seconds or more.
    pub clock_skew_seconds: Option<i64>,
    pub dry_run: bool,
    /// Every planned write, in a dry run (the plan is its result); empty otherwise.
    pub plan: Vec<PlannedAction>,
    pub user_errors: Vec<(String, String)>,
}

impl CycleReport {
    /// The directions a system that could not be read degraded this cycle: the PBX holds up
    /// phone -> Teams, CloudLink Teams -> MiCollab, Graph and MiCollab (the Teams flags) both.
    pub fn degraded(&self) -> std::collections::BTreeSet<&'static str> {
        let mut degraded = std::collections::BTreeSet::new();
        for e in &self.read_errors {
            match e.system {
                "pbx" => {
                    degraded.insert("pbx_to_teams");
                }
                "cloudlink" => {
                    degraded.insert("teams_to_micollab");
                }
                _ => {
                    degraded.insert("pbx_to_teams");
                    degraded.insert("teams_to_micollab");
                }
            }
        }
        degraded
    }

    /// The read error that makes the run "temporarily unavailable", if any.
    pub fn unavailable(&self) -> Option<&SourceError> {
        self.read_errors.iter().find(|e| e.unavailable)
    }
}

/// Runs one cycle at `now`; the report counts the requests it sent to each system.
pub async fn run_cycle<T, M, P, C>(
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
    let sent = |s: &Systems<T, M, P, C>| {
        [
            ("graph", s.teams.requests_sent(), s.teams.throttled_seen()),
            (
                "micollab",
                s.micollab.requests_sent(),
                s.micollab.throttled_seen(),
            ),
            ("pbx", s.pbx.requests_sent(), s.pbx.throttled_seen()),
            (
                "cloudlink",
                s.cloudlink.requests_sent(),
                s.cloudlink.throttled_seen(),
            ),
        ]
    };
    let before = sent(systems);
    let mut report = cycle(store, systems, settings, run, now).await?;
    for ((system, sent_after, throttled_after), (_, sent_before, throttled_before)) in
        sent(systems).into_iter().zip(before)
    {
        report
            .requests_by_system
            .insert(system, sent_after.saturating_sub(sent_before));
        report.throttled += throttled_after.saturating_sub(throttled_before);
    }
    Ok(report)
}

/// Users are read and reconciled this many at a time, so a cycle holds one slice's answers
/// rather than every user's. A multiple of Graph's 650 ids per presence read and of the Mitel
/// systems' 1,000 per batch, so slicing adds no request.
pub const USERS_PER_SLICE: usize = 13_000;

/// Slices read at once: while one is reconciled the next is in flight, so each system's
/// concurrency limit stays busy across slice boundaries (a slice is 13 requests per Mitel
/// system, 20 for Graph). A third in flight only held more: at 100,000 users the same wall
/// time in alternating runs, and 9-11 MB more at peak.
const SLICES_IN_FLIGHT: usize = 2;

/// Writes sent to a system at once by the engine (the HTTP layer's own concurrency limit
/// still applies): bounds the memory of a mass change such as a first sync.
pub const WRITES_PER_CHUNK: usize = 2_000;

/// A user with writes to make, held until they are confirmed.
struct UserPlan {
    user: User,
    observation: Observation,
    old: Record,
    decision: crate::reconcile::Decision,
}

async fn cycle<T, M, P, C>(
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
    let mut settled = Settled::default();
    if !settings.dry_run {
        settled = settle::settle_journal(store, systems, settings.lease.as_ref(), now).await?;
        report.settled_journal_entries = settled.closed;
    }
    let stage = StageTimer::start();

    // Read and decide slice by slice, the store read on another thread meanwhile. What is
    // kept is the users with writes to make and the rows that changed.
    // Before the store's reader starts: lapsing an approval writes, and without WAL a write
    // waits for every reader.
    let rollout = Rollout::load(store, now, settings.dry_run)?;
    let loaded = users::stream(store, settings.users_per_slice, SLICES_IN_FLIGHT)?;
    // Rows of users without writes are stored a slice's worth at a time, so a cycle in which
    // every observation changed (the one after a mass change) never holds them all. They
    // record only what was seen, so storing them early is safe; a dry run stores none, and
    // without WAL they wait for the end (the store's reader is still reading).
    let store_rows_early = !settings.dry_run && store.reads_beside_writes()?;
    let directory = tokio::sync::OnceCell::new();
    // Writes sent mid-cycle (a forced mass change) must not wait on a read nobody polls: a
    // slice in flight holds connections and permits. So before them the gate closes, the
    // slices in flight are read to the end and kept, and no new one starts.
    let (gate, open) = tokio::sync::watch::channel(true);
    let started = std::cell::Cell::new(0usize);
    let down = std::cell::RefCell::new(settings.down.clone());
    let slices = futures_util::stream::unfold((loaded, open), |(mut loaded, mut open)| async {
        let _ = open.wait_for(|open| *open).await;
        let slice = loaded.recv().await?;
        Some((slice, (loaded, open)))
    })
    .map(|slice| {
        started.set(started.get() + 1);
        let directory = &directory;
        // Systems down at the last cycle, or in an earlier slice of this one.
        let down = down.borrow().clone();
        async move {
            match slice {
                Ok(users) => Ok(observe::read_slice(systems, directory, &down, users).await),
                Err(e) => Err(e),
            }
        }
    })
    .buffered(SLICES_IN_FLIGHT);
    let mut slices = std::pin::pin!(slices);
    let mut received = 0usize;
    let mut kept = std::collections::VecDeque::new();
    // Access tokens are fetched while the first slice is read from the store; that slice's
    // requests then find them ready (or wait for the same fetch).
    let warm_up = futures_util::future::join4(
        systems.teams.warm_up(),
        systems.micollab.warm_up(),
        systems.pbx.warm_up(),
        systems.cloudlink.warm_up(),
    );
    let (_, first) = tokio::join!(warm_up, slices.next());
    received += usize::from(first.is_some());
    let mut next = first;
    let mut fallback_flags: Option<IdMap<bool>> = None;
    let mut decided = Decided::new(settings, &settled, &rollout, now);
    let mut resolved = Vec::new();
    let mut judged_now = None;
    while let Some(reads) = next.take() {
        let mut reads = reads?;
        // Session expiry runs on Graph's clock: judge it there (its `Date` header, to the
        // second; a skew under two seconds is noise).
        let now = *judged_now.get_or_insert_with(|| match systems.teams.clock_skew() {
            Some(skew) if skew.num_seconds().abs() >= 2 => {
                report.clock_skew_seconds = Some(skew.num_seconds());
                now + skew
            }
            _ => now,
        });
        let fallback = FlagsFallback {
            store,
            settings,
            now,
            flags: &mut fallback_flags,
        };
        note_read_errors(&mut report, &mut reads, &down, fallback);
        resolved.append(&mut reads.resolved);
        report.users_checked += reads.users.len();
        for user in std::mem::take(&mut reads.users) {
            let observed = observe::observe(&user, &mut reads);
            decided.now = now;
            decided.user(&mut report, user, observed);
        }
        // Forced past the guard, a mass change (a first sync) is applied as it is decided, a
        // chunk at a time: the cycle never holds every planned write.
        if settings.force && store_rows_early && decided.plans.len() >= settings.writes_per_chunk {
            gate.send_replace(false);
            while started.get() > received {
                let Some(reads) = slices.next().await else {
                    break;
                };
                received += 1;
                kept.push_back(reads);
            }
            apply::apply_and_store(
                store,
                systems,
                run,
                &settled,
                std::mem::take(&mut decided.plans),
                &mut report,
                now,
                &mut decided.forget,
                settings,
            )
            .await?;
        }
        if store_rows_early && decided.stored_rows.len() >= settings.users_per_slice {
            store.put_sync_records(&decided.stored_rows)?;
            decided.stored_rows.clear();
        }
        next = match kept.pop_front() {
            Some(reads) => Some(reads),
            None => {
                gate.send_replace(true);
                let reads = slices.next().await;
                received += usize::from(reads.is_some());
                reads
            }
        };
    }
    let now = judged_now.unwrap_or(now);
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
    let cycle = Finishing {
        systems,
        run,
        settled: &settled,
        rollout: &rollout,
        settings,
        now,
    };
    cycle.finish(store, decided, &mut report, &stage).await?;
    Ok(report)
}

/// What the end of a cycle needs: the writes still to make, the rows to store, the rollout
/// state to record.
struct Finishing<'a, T, M, P, C> {
    systems: &'a Systems<T, M, P, C>,
    run: Option<RunId>,
    settled: &'a Settled,
    rollout: &'a Rollout,
    settings: &'a CycleSettings,
    now: DateTime<Utc>,
}

impl<T, M, P, C> Finishing<'_, T, M, P, C>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    /// Applies the plans, records the rollout state and stores the rows of a cycle.
    async fn finish(
        &self,
        store: &mut Store,
        decided: Decided<'_>,
        report: &mut CycleReport,
        stage: &StageTimer,
    ) -> Result<(), StoreError> {
        let Decided {
            plans,
            stored_rows,
            mut forget,
            held,
            held_changes,
            mut onboarded,
            onboarding_writes,
            ..
        } = decided;
        apply::apply_and_store(
            store,
            self.systems,
            self.run,
            self.settled,
            plans,
            report,
            self.now,
            &mut forget,
            self.settings,
        )
        .await?;
        let failed: std::collections::HashSet<&str> =
            report.user_errors.iter().map(|(l, _)| l.as_str()).collect();
        onboarded.extend(
            onboarding_writes
                .into_iter()
                .filter(|l| !failed.contains(l.as_str())),
        );
        let held = (held, held_changes, self.settings.max_changes);
        record_rollout(store, self.rollout, report, held, &onboarded, self.now)?;
        stage.lap("journal, apply and store writes");
        // A user without an error counts as synchronized by this cycle when it was complete
        // (every system read), which the store records once.
        let complete_cycle_at = report.read_errors.is_empty().then_some(self.now);
        store.finish_cycle(
            self.settings.lease.as_ref(),
            &stored_rows,
            &[],
            &forget,
            complete_cycle_at,
        )?;
        stage.lap("store records");
        Ok(())
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
    reads: &mut observe::SliceReads,
    down: &std::cell::RefCell<std::collections::BTreeSet<&'static str>>,
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

/// Records what came of the rollout state: the approved plan applied, the users the guard
/// holds now (or the held plan resolved), the onboarded users done.
fn record_rollout(
    store: &mut Store,
    rollout: &Rollout,
    report: &mut CycleReport,
    (held, held_changes, max_changes): (Vec<String>, u64, u64),
    onboarded: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(plan) = &rollout.approved {
        // Applied only once every system was read and none of its users' writes failed;
        // until then (or until it lapses) the next cycle goes on applying it.
        let failed: std::collections::HashSet<&str> =
            report.user_errors.iter().map(|(l, _)| l.as_str()).collect();
        let incomplete = !report.read_errors.is_empty()
            || plan.users.iter().any(|u| failed.contains(u.as_str()));
        if incomplete {
            tracing::warn!(
                plan = plan.id,
                "the approved plan is not applied in full yet: the next cycle goes on with it"
            );
        } else {
            store.finish_plan(
                plan.id,
                crate::store::PlanState::Approved,
                crate::store::PlanState::Applied,
            )?;
            report.approved_plan_applied = Some(plan.id);
        }
    }
    if !held.is_empty() {
        let id = store.hold_plan(&held, held_changes, max_changes, now)?;
        let same = rollout.held.as_ref().is_some_and(|p| p.users == held);
        if same {
            tracing::debug!(
                plan = id,
                users = held.len(),
                "the mass-change guard still holds the plan"
            );
        } else {
            tracing::error!(
                plan = id,
                users = held.len(),
                "mass-change guard: {} users' changes are held (see `mcteams report --reason held_by_guard`; \
             approve with `mcteams sync approve {id}`); everyone else goes on syncing",
                held.len()
            );
        }
        report.held_plan = Some(HeldSummary {
            id,
            users: held.len(),
        });
    } else if let Some(plan) = &rollout.held {
        store.finish_plan(
            plan.id,
            crate::store::PlanState::Held,
            crate::store::PlanState::Resolved,
        )?;
    }
    if !onboarded.is_empty() {
        store.finish_onboarding(onboarded, now)?;
    }
    Ok(())
}

/// A digest of an observation (stable within a build; a new build rewrites each row once).
fn observation_hash(observed: &Observed) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    observed.hash(&mut hasher);
    hasher.finish()
}

/// Debug-level timings of a cycle's stages (`-vv`), to see where a cycle's time goes.
struct StageTimer(std::cell::Cell<std::time::Instant>);

impl StageTimer {
    fn start() -> StageTimer {
        StageTimer(std::cell::Cell::new(std::time::Instant::now()))
    }

    fn lap(&self, stage: &str) {
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

#[cfg(test)]
mod tests;
