//! One sync cycle: settle the journal, read every system in bulk, reconcile each user,
//! guard against mass changes, journal the writes, apply them, and record the outcome.
//!
//! The engine knows the systems only through [`ports`]; the store is its memory. One user's
//! failure never fails the others.

pub mod adapters;
mod decide;
mod patience;
pub mod ports;
mod records;
pub mod release;
pub mod settle;
mod users;

use std::collections::{BTreeMap, HashMap};

use decide::{Decided, Rollout};
use settle::Settled;

use crate::connectors::cloudlink::PER_USER_LOOKUP_MAX;
use crate::ids::IdMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::mapping::Mapping;
use crate::reconcile::{Action, Observed, Policy, Record, SyncDirection};
use crate::store::{RunId, Store, StoreError};
use futures_util::StreamExt;
pub use ports::{
    CloudlinkPort, MicollabPort, PbxPort, PresentityWrite, SessionChange, SourceError, Systems,
    TeamsPort, WriteFailure,
};
pub use records::{record_from_store, record_to_store};

use users::{Observation, User, row_to_store};

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

/// One slice of users and what the four systems answered for it.
struct SliceReads {
    users: Vec<User>,
    teams: Option<IdMap<crate::reconcile::TeamsPresence>>,
    flags: Option<IdMap<bool>>,
    phones: Option<IdMap<crate::presence::PhoneState>>,
    presentities: Option<IdMap<crate::reconcile::Presentity>>,
    /// Principal ids resolved for this slice, for the store to keep.
    resolved: Vec<(String, String)>,
    errors: Vec<SourceError>,
}

/// Resolves the slice's missing CloudLink principal ids (once per user: the store keeps
/// them), then reads the slice from every system at once. A slice with more to resolve than
/// are worth looking up one at a time uses the cycle's one pass over CloudLink's directory
/// (`directory`): the first sync of a large estate would otherwise page through the whole
/// directory once per slice.
async fn read_slice<T, M, P, C>(
    systems: &Systems<T, M, P, C>,
    directory: &tokio::sync::OnceCell<Result<IdMap<String>, SourceError>>,
    down: &std::collections::BTreeSet<&'static str>,
    mut users: Vec<User>,
) -> SliceReads
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let teams_ids: Vec<String> = users.iter().filter_map(|u| u.teams_id.clone()).collect();
    let logins: Vec<String> = users.iter().map(|u| u.login.clone()).collect();
    let extensions: Vec<String> = users.iter().map(|u| u.extension.clone()).collect();
    let patience = patience::Patience::new(down, &["graph", "micollab", "pbx", "cloudlink"]);
    // CloudLink's side waits for principal ids still to be resolved; the others need not.
    let cloudlink = async {
        let (found, error) = resolve_slice_principals(&systems.cloudlink, directory, &users).await;
        for user in users.iter_mut().filter(|u| u.principal.is_none()) {
            user.principal = user
                .cloudlink_user_id
                .as_ref()
                .and_then(|id| found.get(id))
                .cloned();
        }
        let principals: Vec<String> = users.iter().filter_map(|u| u.principal.clone()).collect();
        let presentities = timed("cloudlink", systems.cloudlink.presentities(&principals)).await;
        (found, error, presentities)
    };
    let (teams, flags, phones, (found, error, presentities)) = tokio::join!(
        patience.read(
            "graph",
            timed("graph", systems.teams.read_presences(&teams_ids)),
            Err
        ),
        patience.read(
            "micollab",
            timed("micollab", systems.micollab.teams_flags(&logins)),
            Err
        ),
        patience.read(
            "pbx",
            timed("pbx", systems.pbx.phone_states(&extensions)),
            Err
        ),
        patience.read("cloudlink", cloudlink, |e| (IdMap::default(), None, Err(e))),
    );
    let mut errors: Vec<SourceError> = error.into_iter().collect();
    let mut keep = |e: SourceError| errors.push(e);
    SliceReads {
        teams: teams.map_err(&mut keep).ok(),
        flags: flags.map_err(&mut keep).ok(),
        phones: phones.map_err(&mut keep).ok(),
        presentities: presentities.map_err(&mut keep).ok(),
        resolved: found.into_iter().collect(),
        users,
        errors,
    }
}

/// Principal ids for the slice's users that have none yet: looked up one at a time when
/// there are few, else taken from the cycle's one pass over CloudLink's directory.
async fn resolve_slice_principals<C: CloudlinkPort>(
    cloudlink: &C,
    directory: &tokio::sync::OnceCell<Result<IdMap<String>, SourceError>>,
    users: &[User],
) -> (IdMap<String>, Option<SourceError>) {
    let unresolved: Vec<String> = users
        .iter()
        .filter(|u| u.principal.is_none())
        .filter_map(|u| u.cloudlink_user_id.clone())
        .collect();
    if unresolved.len() <= PER_USER_LOOKUP_MAX {
        return resolve_principals(cloudlink, unresolved).await;
    }
    let all = directory
        .get_or_init(|| cloudlink.principal_directory())
        .await;
    match all {
        Ok(all) => {
            let found = unresolved
                .into_iter()
                .filter_map(|id| {
                    let principal = all.get(&id)?.clone();
                    Some((id, principal))
                })
                .collect();
            (found, None)
        }
        Err(e) => (IdMap::default(), Some(e.clone())),
    }
}

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
        settled = settle::settle_journal(store, &systems.teams, &systems.cloudlink, now).await?;
        report.settled_journal_entries = settled.closed;
    }
    let stage = StageTimer::start();

    // Read and decide slice by slice, the store read on another thread meanwhile. What is
    // kept is the users with writes to make and the rows that changed.
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
                Ok(users) => Ok(read_slice(systems, directory, &down, users).await),
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
    let rollout = Rollout::load(store, now)?;
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
        for mut e in reads.errors.drain(..) {
            if e.unavailable {
                down.borrow_mut().insert(e.system);
            }
            if e.system == "micollab" && e.unavailable && reads.flags.is_none() {
                let flags = fallback_flags.get_or_insert_with(|| {
                    settings
                        .flags_kept_for
                        .and_then(|age| store.recent_flags(now, age).ok())
                        .unwrap_or_default()
                });
                if !flags.is_empty() {
                    reads.flags = Some(flags.clone());
                    e.message.push_str(
                        " (going on with the Teams flags the last syncs read, younger than sync.stale_after)",
                    );
                }
            }
            // A system that fails for several slices is one error of the cycle.
            if !report.read_errors.iter().any(|r| r.system == e.system) {
                *report.errors_by_system.entry(e.system).or_default() += 1;
                report.read_errors.push(e);
            }
        }
        resolved.append(&mut reads.resolved);
        report.users_checked += reads.users.len();
        for user in std::mem::take(&mut reads.users) {
            let observed = observe(&user, &mut reads);
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
            apply_and_store(
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
        if !settings.hold_over_guard || settings.dry_run {
            return Ok(report);
        }
    }
    if settings.dry_run {
        return Ok(report);
    }
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
    apply_and_store(
        store,
        systems,
        run,
        &settled,
        plans,
        &mut report,
        now,
        &mut forget,
        settings,
    )
    .await?;
    let failed: std::collections::HashSet<&str> =
        report.user_errors.iter().map(|(l, _)| l.as_str()).collect();
    onboarded.extend(
        onboarding_writes
            .into_iter()
            .filter(|l| !failed.contains(l.as_str())),
    );
    let held = (held, held_changes, settings.max_changes);
    record_rollout(store, &rollout, &mut report, held, &onboarded, now)?;
    stage.lap("journal, apply and store writes");

    // A user without an error counts as synchronized by this cycle when it was complete
    // (every system read), which the store records once.
    let complete_cycle_at = report.read_errors.is_empty().then_some(now);
    store.finish_cycle(&stored_rows, &[], &forget, complete_cycle_at)?;
    stage.lap("store records");
    Ok(report)
}

/// One user's observation from the slice's reads. Answers are moved out, not copied.
fn observe(user: &User, reads: &mut SliceReads) -> Observed {
    Observed {
        tombstone: user.tombstone,
        teams_enabled: reads
            .flags
            .as_ref()
            .and_then(|f| f.get(&user.login).copied()),
        teams: user
            .teams_id
            .as_ref()
            .and_then(|id| reads.teams.as_mut()?.remove(id)),
        // Without an Entra object id nothing can be written to Teams for this user.
        phone: user
            .teams_id
            .as_ref()
            .and_then(|_| reads.phones.as_ref()?.get(&user.extension).copied()),
        presentity: user
            .principal
            .as_ref()
            .and_then(|id| reads.presentities.as_mut()?.remove(id)),
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
        store.finish_plan(plan.id, crate::store::PlanState::Applied)?;
        report.approved_plan_applied = Some(plan.id);
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
        store.finish_plan(plan.id, crate::store::PlanState::Resolved)?;
    }
    if !onboarded.is_empty() {
        store.finish_onboarding(onboarded, now)?;
    }
    Ok(())
}

/// Applies the plans' writes (see [`apply`]), then stores in one transaction what came of
/// them: each user's new record and the journal's confirmations. Tombstones whose session
/// is cleared join `forget`.
#[allow(clippy::too_many_arguments)]
async fn apply_and_store<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    run: Option<RunId>,
    settled: &Settled,
    mut plans: Vec<UserPlan>,
    report: &mut CycleReport,
    now: DateTime<Utc>,
    forget: &mut Vec<String>,
    settings: &CycleSettings,
) -> Result<(), StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    if plans.is_empty() {
        return Ok(());
    }
    let Applied {
        mut confirmations,
        mut user_errors,
        sessions_confirmed,
    } = apply(store, systems, run, &mut plans, report, settings).await?;
    // A confirmed session write tells what Teams holds: earlier unsettled entries are done.
    for index in sessions_confirmed {
        if let Some(open) = settled.unsettled_sessions.get(&plans[index].user.login) {
            confirmations.extend(
                open.iter()
                    .map(|id| (*id, "superseded by a later write".into())),
            );
        }
    }
    let mut rows = Vec::new();
    // Consumed as the rows are built: a mass change holds one or the other, not both.
    for (index, plan) in plans.into_iter().enumerate() {
        let user = &plan.user;
        let error = user_errors.remove(&index).map(|m| m.join("; "));
        if plan.decision.forget && error.is_none() {
            forget.push(user.login.clone());
            continue;
        }
        if let Some(message) = &error {
            report.failed_users += 1;
            report
                .user_errors
                .push((user.login.clone(), message.clone()));
        }
        if let Some(row) = row_to_store(user, &plan.decision.record, plan.observation, error, now) {
            rows.push(row);
        }
    }
    store.finish_cycle(&rows, &confirmations, &[], None)
}

/// What [`apply`] sent: the journal confirmations (a write that may have been applied
/// without an answer stays open, for the next run to settle), each failed user's errors by
/// plan, and the plans whose session write was confirmed.
struct Applied {
    confirmations: Vec<(i64, String)>,
    user_errors: HashMap<usize, Vec<String>>,
    sessions_confirmed: Vec<usize>,
}

/// Journals every planned write before sending any (sessions first, then presentity
/// writes, so the outcomes line up with the journal ids), then sends them, a chunk at a
/// time per system, both systems at once. A failed write puts the old record's part back
/// into the plan's record. Returns the journal confirmations and each failed user's errors.
async fn apply<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    run: Option<RunId>,
    plans: &mut [UserPlan],
    report: &mut CycleReport,
    settings: &CycleSettings,
) -> Result<Applied, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let mut sessions: Vec<(usize, SessionChange)> = Vec::new();
    let mut writes: Vec<(usize, PresentityWrite)> = Vec::new();
    for (index, plan) in plans.iter().enumerate() {
        let user = &plan.user;
        for action in &plan.decision.actions {
            let teams_id = || user.teams_id.clone().unwrap_or_default();
            match action {
                Action::SetSession { intent, ttl, .. } => sessions.push((
                    index,
                    SessionChange {
                        teams_id: teams_id(),
                        set: Some((*intent, *ttl)),
                    },
                )),
                Action::ClearSession => sessions.push((
                    index,
                    SessionChange {
                        teams_id: teams_id(),
                        set: None,
                    },
                )),
                Action::WritePresentity {
                    status,
                    activity,
                    expected_version,
                } => writes.push((
                    index,
                    PresentityWrite {
                        principal_id: user.principal.clone().unwrap_or_default(),
                        status: *status,
                        activity: activity.clone(),
                        expected_version: expected_version.clone(),
                    },
                )),
            }
        }
    }
    if sessions.is_empty() && writes.is_empty() {
        return Ok(Applied {
            confirmations: Vec::new(),
            user_errors: HashMap::new(),
            sessions_confirmed: Vec::new(),
        });
    }

    let login = |index: usize| plans[index].user.login.clone();
    let session_entries = sessions.iter().map(|(index, change)| match change.set {
        Some((intent, ttl)) => (
            login(*index),
            "graph",
            "set_session",
            serde_json::json!({"teams_id": change.teams_id, "session": intent.label(), "ttl_s": ttl.as_secs()}),
        ),
        None => (
            login(*index),
            "graph",
            "clear_session",
            serde_json::json!({"teams_id": change.teams_id}),
        ),
    });
    let write_entries = writes.iter().map(|(index, write)| {
        (
            login(*index),
            "cloudlink",
            "write_presentity",
            serde_json::json!({
                "principal_id": write.principal_id,
                "status": write.status.name(),
                "activity": write.activity,
                "expected_version": write.expected_version,
                "based_on": plans[*index].decision.record.presentity.as_ref().map(|p| p.based_on.as_str()),
            }),
        )
    });
    let per_chunk = settings.writes_per_chunk;
    let lease = settings.lease.as_ref();
    let mut journal_ids = Vec::with_capacity(sessions.len() + writes.len());
    let mut entries = session_entries.chain(write_entries).peekable();
    while entries.peek().is_some() {
        let chunk: Vec<_> = entries.by_ref().take(per_chunk).collect();
        journal_ids.extend(store.journal_intend_leased(run, lease, &chunk)?);
    }
    // Checked right before each chunk is sent: a holder past its renew deadline (paused, or
    // its store too busy to renew) may have been replaced, and must not write over the run
    // that took over.
    let unsent = |system: &'static str| SourceError {
        system,
        unavailable: true,
        maybe_applied: false,
        message: "not sent: this run no longer holds the sync lease".into(),
    };

    let (session_plans, session_changes): (Vec<usize>, Vec<SessionChange>) =
        sessions.into_iter().unzip();
    let (write_plans, presentity_writes): (Vec<usize>, Vec<PresentityWrite>) =
        writes.into_iter().unzip();
    let (session_results, write_results) = tokio::join!(
        async {
            let mut results = Vec::with_capacity(session_changes.len());
            for chunk in session_changes.chunks(per_chunk) {
                if !settings.may_send() {
                    results.extend(chunk.iter().map(|_| Err(unsent("graph"))));
                    continue;
                }
                let answers = systems.teams.apply_sessions(chunk).await;
                results.extend(complete(answers, chunk.len(), || SourceError {
                    system: "graph",
                    unavailable: false,
                    maybe_applied: false,
                    message: "no answer for this write".into(),
                }));
            }
            results
        },
        async {
            let mut results = Vec::with_capacity(presentity_writes.len());
            for chunk in presentity_writes.chunks(per_chunk) {
                if !settings.may_send() {
                    results.extend(
                        chunk
                            .iter()
                            .map(|_| Err(WriteFailure::Failed(unsent("cloudlink")))),
                    );
                    continue;
                }
                let answers = systems.cloudlink.write_presentities(chunk).await;
                results.extend(complete(answers, chunk.len(), || {
                    WriteFailure::Failed(SourceError {
                        system: "cloudlink",
                        unavailable: false,
                        maybe_applied: false,
                        message: "no answer for this write".into(),
                    })
                }));
            }
            results
        },
    );

    let mut user_errors: HashMap<usize, Vec<String>> = HashMap::new();
    let mut sessions_confirmed = Vec::new();
    // `None`: the write may have been applied without an answer; its entry stays open.
    let mut outcomes: Vec<Option<String>> = Vec::with_capacity(journal_ids.len());
    for ((index, change), result) in session_plans
        .iter()
        .zip(&session_changes)
        .zip(session_results)
    {
        let plan = &mut plans[*index];
        match result {
            Ok(()) => {
                report.applied.pbx_to_teams += 1;
                sessions_confirmed.push(*index);
                outcomes.push(Some("applied".to_string()));
            }
            Err(e) => {
                plan.decision.record.session = plan.old.session;
                plan.decision.record.session_unsettled = plan.old.session_unsettled;
                *report.errors_by_system.entry(e.system).or_default() += 1;
                let what = if change.set.is_some() { "set" } else { "clear" };
                user_errors
                    .entry(*index)
                    .or_default()
                    .push(format!("{what} Teams session: {e}"));
                outcomes.push((!e.maybe_applied).then(|| format!("failed: {e}")));
            }
        }
    }
    for (index, result) in write_plans.iter().zip(write_results) {
        let plan = &mut plans[*index];
        match result {
            Ok(version) => {
                report.applied.teams_to_micollab += 1;
                if let Some(p) = &mut plan.decision.record.presentity {
                    p.version = Some(version);
                }
                outcomes.push(Some("applied".to_string()));
            }
            Err(failure) => {
                plan.decision.record.presentity = plan.old.presentity.clone();
                let (message, maybe_applied) = match &failure {
                    WriteFailure::Conflict => (
                        "cloudlink: presentity changed by another writer since it was read; \
                         retried next cycle"
                            .to_string(),
                        false,
                    ),
                    WriteFailure::Failed(e) => (e.to_string(), e.maybe_applied),
                };
                *report.errors_by_system.entry("cloudlink").or_default() += 1;
                user_errors
                    .entry(*index)
                    .or_default()
                    .push(format!("write presentity: {message}"));
                outcomes.push((!maybe_applied).then(|| format!("failed: {message}")));
            }
        }
    }
    let confirmations = journal_ids
        .into_iter()
        .zip(outcomes)
        .filter_map(|(id, outcome)| Some((id, outcome?)))
        .collect();
    Ok(Applied {
        confirmations,
        user_errors,
        sessions_confirmed,
    })
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

/// CloudLink principal ids (what presentities are keyed by) of the mappings' users.
pub struct Principals {
    /// By CloudLink user id: those the store knew and those resolved now (not kept: the
    /// sync resolves and keeps them a slice at a time).
    pub by_user: IdMap<String>,
    /// CloudLink could not be asked; the users it concerns stay unknown.
    pub error: Option<SourceError>,
}

/// The principal ids the store knows, and the others asked of CloudLink in one go.
pub async fn principals<C: CloudlinkPort>(
    store: &Store,
    cloudlink: &C,
    mappings: &[Mapping],
) -> Result<Principals, StoreError> {
    let mut by_user = store.cloudlink_principals()?;
    let unresolved: Vec<String> = mappings
        .iter()
        .filter_map(|m| m.cloudlink_user_id.clone())
        .filter(|id| !by_user.contains_key(id))
        .collect();
    let (found, error) = resolve_principals(cloudlink, unresolved).await;
    by_user.extend(found);
    Ok(Principals { by_user, error })
}

/// Asks CloudLink for the principal ids of these users (nothing when there are none).
async fn resolve_principals<C: CloudlinkPort>(
    cloudlink: &C,
    user_ids: Vec<String>,
) -> (IdMap<String>, Option<SourceError>) {
    if user_ids.is_empty() {
        return (IdMap::default(), None);
    }
    match cloudlink.principal_ids(&user_ids).await {
        Ok(found) => (found, None),
        Err(e) => (IdMap::default(), Some(e)),
    }
}

/// Awaits one system's bulk read, logging how long it took (`-vv`, beside the stage timings).
async fn timed<F: std::future::Future>(system: &'static str, read: F) -> F::Output {
    let started = std::time::Instant::now();
    let result = read.await;
    tracing::debug!(
        system,
        ms = started.elapsed().as_millis() as u64,
        "system read"
    );
    result
}

/// A port that answers fewer results than it was asked for failed the rest.
fn complete<T, E>(
    results: Vec<Result<T, E>>,
    len: usize,
    missing: impl Fn() -> E,
) -> Vec<Result<T, E>> {
    let mut results = results;
    results.truncate(len);
    while results.len() < len {
        results.push(Err(missing()));
    }
    results
}

#[cfg(test)]
mod tests;
