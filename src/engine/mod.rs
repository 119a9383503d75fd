//! One sync cycle: settle the journal, read every system in bulk, reconcile each user,
//! guard against mass changes, journal the writes, apply them, and record the outcome.
//!
//! The engine knows the systems only through their ports ([`crate::connectors::ports`]);
//! the store is its memory. One user's failure never fails the others. A cycle settles the
//! journal ([`settle`]), then runs one `pipeline` per direction side by side, each through
//! `observe` (reads, slice by slice), `decide` (reconcile and its guard) and `apply`
//! (journal, send, outcomes, its part of the rows); `finish` records the rollout state once.
//! `cycle` runs them.

mod apply;
mod cycle;
mod decide;
pub mod estate;
mod finish;
mod intents;
mod observe;
mod patience;
mod pipeline;
mod records;
pub mod release;
mod seen;
pub mod settle;
pub mod status_edits;
pub mod switches;
mod users;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, PresentityWrite, SessionChange, SourceError, Systems,
    TeamsPort, WriteFailure,
};
use crate::reconcile::{Action, Policy, Record, SyncDirection};
use crate::store::{RunId, Store, StoreError};
pub use cycle::Alongside;
pub use records::{record_from_store, record_to_store};
pub use seen::{GlancedUser, SeenPresence, glance_changed};

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
    /// Advanced as the cycle goes: users decided, then writes answered (a terminal's bar).
    pub progress: Option<crate::progress::Shared>,
    /// A targeted cycle (`sync --watch` following the PBX's change feed, or re-reading what
    /// Teams shows after phone writes): only these users. It leaves the estate-wide
    /// records alone: the rollout state, the plan the guard holds, the last complete cycle.
    pub only: Option<std::sync::Arc<crate::store::UserKeys>>,
    /// `sync --watch`'s memory of what Teams showed of each user its Teams -> MiCollab
    /// cycles decided: kept up to date here, read by its glances ([`SeenPresence`]).
    pub seen: Option<std::sync::Arc<SeenPresence>>,
    /// What Graph showed a moment ago (a glance's read): the Teams pipeline takes the
    /// presence of the users it holds from here instead of reading it again.
    pub presences: Option<std::sync::Arc<crate::ids::IdMap<crate::reconcile::TeamsPresence>>>,
}

impl CycleSettings {
    /// Whether this cycle may still send (it holds its lease, or runs without one).
    fn may_send(&self) -> bool {
        self.lease.as_ref().is_none_or(crate::store::Lease::held)
    }
}

impl CycleSettings {
    /// The part of a user's row this cycle's pipeline records.
    fn part(&self) -> crate::store::RecordPart {
        use crate::store::RecordPart;
        match self.policy.direction {
            SyncDirection::TeamsToMicollab => RecordPart::TeamsToMicollab,
            SyncDirection::PbxToTeams => RecordPart::PhoneToTeams,
            SyncDirection::Both => RecordPart::Whole,
        }
    }

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

    fn add_counts(&mut self, other: &DirectionCounts) {
        self.pbx_to_teams += other.pbx_to_teams;
        self.teams_to_micollab += other.teams_to_micollab;
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
    /// The extensions of the users whose Teams session this cycle set or cleared (not
    /// refreshed): what Teams shows of them has moved, so `--watch` shows it in MiCollab.
    #[serde(skip)]
    pub sessions_changed_for: Vec<String>,
}

impl CycleReport {
    /// The directions a system that could not be read degraded this cycle: the PBX holds up
    /// phone -> Teams, CloudLink Teams -> MiCollab, Graph and MiCollab (the Teams flags) both.
    pub fn degraded(&self) -> std::collections::BTreeSet<&'static str> {
        degraded_by(self.read_errors.iter().map(|e| e.system))
    }

    /// The read error that makes the run "temporarily unavailable", if any.
    pub fn unavailable(&self) -> Option<&SourceError> {
        self.read_errors.iter().find(|e| e.unavailable)
    }
}

/// The directions held up by `systems` that could not be read: the PBX holds up phone ->
/// Teams, CloudLink Teams -> MiCollab, Graph and MiCollab (the Teams flags) both.
pub fn degraded_by<'a>(
    systems: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<&'static str> {
    let mut degraded = std::collections::BTreeSet::new();
    for system in systems {
        match system {
            "pbx" => degraded.insert("pbx_to_teams"),
            "cloudlink" => degraded.insert("teams_to_micollab"),
            _ => degraded.insert("pbx_to_teams") | degraded.insert("teams_to_micollab"),
        };
    }
    degraded
}

/// Runs one cycle at `now`; the report counts the requests it sent to each system. With
/// `alongside`, the cycle of the direction `settings` select runs beside the other
/// direction's cycles (`sync --watch`, each on its own pace): the two share the rollout state
/// and the Teams flags, and the requests counted include the other direction's sent meanwhile.
pub async fn run_cycle<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    run: Option<RunId>,
    alongside: Option<&Alongside>,
    now: DateTime<Utc>,
) -> Result<CycleReport, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let cycle = cycle::cycle(store, systems, settings, run, alongside, now);
    counted(systems, cycle).await
}

/// A cycle's report with the requests sent and the throttling met while it ran.
async fn counted<T, M, P, C>(
    systems: &Systems<T, M, P, C>,
    cycle: impl std::future::Future<Output = Result<CycleReport, StoreError>>,
) -> Result<CycleReport, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let before = traffic(systems);
    let mut report = cycle.await?;
    for ((system, sent_after, throttled_after), (_, sent_before, throttled_before)) in
        traffic(systems).into_iter().zip(before)
    {
        report
            .requests_by_system
            .insert(system, sent_after.saturating_sub(sent_before));
        report.throttled += throttled_after.saturating_sub(throttled_before);
    }
    Ok(report)
}

/// Each system's requests sent and throttling answers met so far, by its client.
pub fn traffic<T, M, P, C>(s: &Systems<T, M, P, C>) -> [(&'static str, u64, u64); 4]
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
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
}

/// The store as the two pipelines of a cycle share it: each borrows it only between awaits.
type StoreCell<'s> = std::cell::RefCell<&'s mut Store>;

/// Users are read and reconciled this many at a time, so a cycle holds one slice's answers
/// rather than every user's. A multiple of Graph's 650 ids per presence read and of the Mitel
/// systems' 1,000 per batch, so slicing adds no request.
pub const USERS_PER_SLICE: usize = 13_000;

/// Slices read at once: while one is reconciled the next is in flight, so each system's
/// concurrency limit stays busy across slice boundaries (a slice is 13 requests per Mitel
/// system, 20 for Graph). A third in flight only held more: at 100,000 users the same wall
/// time in alternating runs, and 9-11 MB more at peak. Two pipelines side by side (a
/// one-shot sync) share them, one each: a cycle then holds the memory of one pipeline alone
/// (a first sync of 100,000 users 138-144 MB instead of 155-157; a cycle without writes
/// 99-103 MB instead of 115-124, for 0.69-0.72 s instead of 0.52-0.57 s).
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

/// A digest stable within a build (the store keeps observations' digests; a new build
/// rewrites each row once).
fn digest<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests;
