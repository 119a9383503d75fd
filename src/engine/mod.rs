//! One sync cycle: settle the journal, read every system in bulk, reconcile each user,
//! guard against mass changes, journal the writes, apply them, and record the outcome.
//!
//! The engine knows the systems only through [`ports`]; the store is its memory. One user's
//! failure never fails the others.

pub mod adapters;
pub mod ports;
mod records;
pub mod release;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::mapping::Mapping;
use crate::reconcile::{Action, Note, Observed, Policy, Record, SyncDirection, reconcile};
use crate::store::{RunId, Store, StoreError, SyncRecord};
pub use ports::{
    CloudlinkPort, MicollabPort, PbxPort, PresentityWrite, SessionChange, SourceError, Systems,
    TeamsPort, WriteFailure,
};
pub use records::{record_from_store, record_to_store};

/// How a cycle runs, decided before it starts.
#[derive(Debug, Clone)]
pub struct CycleSettings {
    pub policy: Policy,
    /// More changes than this stop the cycle (refreshes do not count).
    pub max_changes: u64,
    pub force: bool,
    pub dry_run: bool,
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
    /// Set when the mass-change guard stopped the cycle: (planned changes, limit).
    pub guard_tripped: Option<(u64, u64)>,
    pub settled_journal_entries: usize,
    /// Requests sent to each system by this cycle (every attempt, retries included).
    pub requests_by_system: BTreeMap<&'static str, u64>,
    /// Graph's clock minus ours, when it differs by two seconds or more.
    pub clock_skew_seconds: Option<i64>,
    pub dry_run: bool,
    pub plan: Vec<PlannedAction>,
    pub user_errors: Vec<(String, String)>,
}

impl CycleReport {
    /// The read error that makes the run "temporarily unavailable", if any.
    pub fn unavailable(&self) -> Option<&SourceError> {
        self.read_errors.iter().find(|e| e.unavailable)
    }
}

/// Settles writes a crash left unconfirmed: a session that may have been set is recorded as
/// held (the next reconcile refreshes or clears it; clearing one that is not there is
/// harmless); the other writes need nothing, because the record was not updated and the next
/// reconcile sees the systems as they are. Returns how many entries were settled.
pub fn settle_journal(store: &mut Store, policy: &Policy) -> Result<usize, StoreError> {
    let open = store.journal_unconfirmed()?;
    if open.is_empty() {
        return Ok(0);
    }
    let mut records: HashMap<String, SyncRecord> = HashMap::new();
    for entry in open.iter().filter(|e| e.action == "set_session") {
        let intent = serde_json::from_str::<serde_json::Value>(&entry.payload)
            .ok()
            .and_then(|p| {
                p.get("session")
                    .and_then(|s| s.as_str())
                    .map(str::to_string)
            })
            .and_then(|label| crate::presence::SessionIntent::from_label(&label));
        let Some(intent) = intent else { continue };
        let mut record = match records.remove(&entry.micollab_login) {
            Some(r) => r,
            None => store
                .sync_record(&entry.micollab_login)?
                .unwrap_or_else(|| SyncRecord {
                    micollab_login: entry.micollab_login.clone(),
                    ..Default::default()
                }),
        };
        let ttl = chrono::Duration::from_std(policy.session_ttl).unwrap_or_default();
        record.graph_session = Some(intent.label().to_string());
        record.graph_written_at = Some(entry.intended_at);
        record.graph_session_expires_at = Some(entry.intended_at + ttl);
        records.insert(entry.micollab_login.clone(), record);
    }
    let confirmations: Vec<(i64, String)> = open
        .iter()
        .map(|e| (e.id, "settled after an interrupted run".to_string()))
        .collect();
    let records: Vec<SyncRecord> = records.into_values().collect();
    store.finish_cycle(&records, &confirmations, &[], None)?;
    tracing::warn!(
        entries = open.len(),
        "settled writes left unconfirmed by an interrupted run"
    );
    Ok(open.len())
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
            ("graph", s.teams.requests_sent()),
            ("micollab", s.micollab.requests_sent()),
            ("pbx", s.pbx.requests_sent()),
            ("cloudlink", s.cloudlink.requests_sent()),
        ]
    };
    let before = sent(systems);
    let mut report = cycle(store, systems, settings, run, now).await?;
    for ((system, after), (_, before)) in sent(systems).into_iter().zip(before) {
        report
            .requests_by_system
            .insert(system, after.saturating_sub(before));
    }
    Ok(report)
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
    if !settings.dry_run {
        report.settled_journal_entries = settle_journal(store, &settings.policy)?;
    }
    let stage = StageTimer::start();
    let mappings = store.list_mappings(true)?;
    stage.lap("load mappings");
    // Both come ordered by login: pair them in one pass, no map keyed by copied logins.
    let stored: Vec<Option<SyncRecord>> = {
        let mut records = store.sync_records_brief()?.into_iter().peekable();
        mappings
            .iter()
            .map(|m| {
                while records
                    .peek()
                    .is_some_and(|r| r.micollab_login < m.micollab_login)
                {
                    records.next();
                }
                records.next_if(|r| r.micollab_login == m.micollab_login)
            })
            .collect()
    };
    report.users_checked = mappings.len();

    // CloudLink principal ids: resolved once per user, then kept in the store.
    let Principals {
        by_user: principals,
        resolved,
        error,
    } = principals(store, &systems.cloudlink, &mappings).await?;
    if !resolved.is_empty() && !settings.dry_run {
        store.put_cloudlink_principals(&resolved)?;
    }
    if let Some(e) = error {
        *report.errors_by_system.entry(e.system).or_default() += 1;
        report.read_errors.push(e);
    }
    let principal_of = |m: &Mapping| -> Option<&str> {
        m.cloudlink_user_id
            .as_ref()
            .and_then(|id| principals.get(id))
            .map(String::as_str)
    };

    // Read everything in bulk, all systems at once.
    let teams_ids: Vec<String> = mappings.iter().filter_map(|m| m.teams_id.clone()).collect();
    let extensions: Vec<String> = mappings.iter().map(|m| m.extension.clone()).collect();
    let cloudlink_ids: Vec<String> = mappings
        .iter()
        .filter_map(principal_of)
        .map(str::to_string)
        .collect();
    let logins: Vec<String> = mappings.iter().map(|m| m.micollab_login.clone()).collect();
    stage.lap("load store");
    let (teams, flags, phones, presentities) = tokio::join!(
        timed("graph", systems.teams.read_presences(&teams_ids)),
        timed("micollab", systems.micollab.teams_flags(&logins)),
        timed("pbx", systems.pbx.phone_states(&extensions)),
        timed("cloudlink", systems.cloudlink.presentities(&cloudlink_ids)),
    );
    // Session expiry runs on Graph's clock: judge it there (its `Date` header, to the second;
    // a skew under two seconds is noise).
    let now = match systems.teams.clock_skew() {
        Some(skew) if skew.num_seconds().abs() >= 2 => {
            report.clock_skew_seconds = Some(skew.num_seconds());
            now + skew
        }
        _ => now,
    };
    let mut teams = read(teams, &mut report);
    let flags = read(flags, &mut report);
    let phones = read(phones, &mut report);
    let mut presentities = read(presentities, &mut report);
    // The id lists were only for the reads.
    drop((teams_ids, extensions, cloudlink_ids, logins));

    // Decide every user.
    struct UserPlan<'a> {
        mapping: &'a Mapping,
        /// The observation's digest, and its JSON when it differs from the stored one (the
        /// observation itself is dropped once decided: 100,000 of them add up).
        observed_hash: String,
        observed_json: Option<String>,
        old: Record,
        decision: crate::reconcile::Decision,
    }
    let mut plans = Vec::with_capacity(mappings.len());
    for (index, mapping) in mappings.iter().enumerate() {
        let observed = Observed {
            tombstone: mapping.removed_at.is_some(),
            teams_enabled: flags
                .as_ref()
                .and_then(|f| f.get(&mapping.micollab_login).copied()),
            // Moved out of the answers, not copied: 100,000 users are held once.
            teams: mapping
                .teams_id
                .as_ref()
                .and_then(|id| teams.as_mut()?.remove(id)),
            // Without an Entra object id nothing can be written to Teams for this user.
            phone: mapping
                .teams_id
                .as_ref()
                .and_then(|_| phones.as_ref()?.get(&mapping.extension).copied()),
            presentity: principal_of(mapping).and_then(|id| presentities.as_mut()?.remove(id)),
        };
        let previous = stored[index].as_ref();
        let old = previous.map(record_from_store).unwrap_or_default();
        let decision = reconcile(&observed, &old, &settings.policy, now);
        let observed_hash = observation_hash(&observed);
        let observed_json = if previous
            .is_some_and(|p| p.last_observed_hash.as_deref() == Some(observed_hash.as_str()))
        {
            None
        } else {
            serde_json::to_string(&observed).ok()
        };
        for note in &decision.notes {
            let key = match note {
                Note::AcdHotdeskUnsynced => "acd_hotdesk_unsynced",
                Note::TeamsUnknown { .. } => "teams_unknown",
                Note::ForeignWriter { .. } => "foreign_writer",
            };
            *report.notes.entry(key).or_default() += 1;
        }
        for action in &decision.actions {
            report.planned.add(action);
            if matches!(action, Action::SetSession { refresh: true, .. }) {
                report.refreshes += 1;
            }
            report.plan.push(PlannedAction {
                micollab_login: mapping.micollab_login.clone(),
                action: action.clone(),
            });
        }
        plans.push(UserPlan {
            mapping,
            observed_hash,
            observed_json,
            old,
            decision,
        });
    }

    drop((teams, flags, phones, presentities));
    stage.lap("read systems and reconcile");
    let changes = report.planned.total() - report.refreshes;
    if changes > settings.max_changes && !settings.force {
        report.guard_tripped = Some((changes, settings.max_changes));
        return Ok(report);
    }
    if settings.dry_run {
        return Ok(report);
    }

    // Journal every write before sending any: sessions first, then presentity writes, so
    // the outcomes line up with the journal ids.
    let mut sessions: Vec<(usize, SessionChange)> = Vec::new();
    let mut writes: Vec<(usize, PresentityWrite)> = Vec::new();
    for (index, plan) in plans.iter().enumerate() {
        for action in &plan.decision.actions {
            match action {
                Action::SetSession { intent, ttl, .. } => sessions.push((
                    index,
                    SessionChange {
                        teams_id: plan.mapping.teams_id.clone().unwrap_or_default(),
                        set: Some((*intent, *ttl)),
                    },
                )),
                Action::ClearSession => sessions.push((
                    index,
                    SessionChange {
                        teams_id: plan.mapping.teams_id.clone().unwrap_or_default(),
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
                        principal_id: principal_of(plan.mapping).unwrap_or_default().to_string(),
                        status: *status,
                        activity: activity.clone(),
                        expected_version: expected_version.clone(),
                    },
                )),
            }
        }
    }
    let login = |index: usize| plans[index].mapping.micollab_login.clone();
    let mut entries = Vec::with_capacity(sessions.len() + writes.len());
    for (index, change) in &sessions {
        entries.push(match change.set {
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
    }
    for (index, write) in &writes {
        entries.push((
            login(*index),
            "cloudlink",
            "write_presentity",
            serde_json::json!({
                "principal_id": write.principal_id,
                "status": write.status.name(),
                "activity": write.activity,
                "expected_version": write.expected_version,
            }),
        ));
    }
    let journal_ids = if entries.is_empty() {
        Vec::new()
    } else {
        store.journal_intend_many(run, &entries)?
    };

    let session_changes: Vec<SessionChange> = sessions.iter().map(|(_, c)| c.clone()).collect();
    let presentity_writes: Vec<PresentityWrite> = writes.iter().map(|(_, w)| w.clone()).collect();
    let (session_results, write_results) = tokio::join!(
        async {
            if session_changes.is_empty() {
                Vec::new()
            } else {
                systems.teams.apply_sessions(&session_changes).await
            }
        },
        async {
            if presentity_writes.is_empty() {
                Vec::new()
            } else {
                systems
                    .cloudlink
                    .write_presentities(&presentity_writes)
                    .await
            }
        },
    );
    let session_results = complete(session_results, sessions.len(), || SourceError {
        system: "graph",
        unavailable: false,
        message: "no answer for this write".into(),
    });
    let write_results = complete(write_results, writes.len(), || {
        WriteFailure::Failed(SourceError {
            system: "cloudlink",
            unavailable: false,
            message: "no answer for this write".into(),
        })
    });

    // Outcomes per user: a failed write keeps the old record's part for it.
    let mut records: Vec<Record> = plans
        .iter_mut()
        .map(|p| std::mem::take(&mut p.decision.record))
        .collect();
    let mut user_errors: HashMap<usize, Vec<String>> = HashMap::new();
    let mut outcomes = Vec::with_capacity(journal_ids.len());
    for ((index, change), result) in sessions.iter().zip(session_results) {
        match result {
            Ok(()) => {
                report.applied.pbx_to_teams += 1;
                outcomes.push("applied".to_string());
            }
            Err(e) => {
                records[*index].session = plans[*index].old.session;
                *report.errors_by_system.entry(e.system).or_default() += 1;
                let what = if change.set.is_some() { "set" } else { "clear" };
                user_errors
                    .entry(*index)
                    .or_default()
                    .push(format!("{what} Teams session: {e}"));
                outcomes.push(format!("failed: {e}"));
            }
        }
    }
    for ((index, _), result) in writes.iter().zip(write_results) {
        match result {
            Ok(version) => {
                report.applied.teams_to_micollab += 1;
                if let Some(p) = &mut records[*index].presentity {
                    p.version = Some(version);
                }
                outcomes.push("applied".to_string());
            }
            Err(failure) => {
                records[*index].presentity = plans[*index].old.presentity.clone();
                let message = match &failure {
                    WriteFailure::Conflict => "cloudlink: presentity changed by another writer \
                                               since it was read; retried next cycle"
                        .to_string(),
                    WriteFailure::Failed(e) => e.to_string(),
                };
                *report.errors_by_system.entry("cloudlink").or_default() += 1;
                user_errors
                    .entry(*index)
                    .or_default()
                    .push(format!("write presentity: {message}"));
                outcomes.push(format!("failed: {message}"));
            }
        }
    }
    stage.lap("journal and apply writes");
    let confirmations: Vec<(i64, String)> = journal_ids.into_iter().zip(outcomes).collect();

    // Only what changed is written back: a quiet cycle over 100,000 users writes a handful
    // of rows. A user without an error counts as synchronized by this cycle when it was
    // complete (every system read), which the store records once.
    let complete_cycle_at = report.read_errors.is_empty().then_some(now);
    let mut stored_records = Vec::new();
    let mut forget = Vec::new();
    for (index, plan) in plans.iter().enumerate() {
        let login = &plan.mapping.micollab_login;
        let errors = user_errors.get(&index);
        if plan.decision.forget && errors.is_none() {
            forget.push(login.clone());
            continue;
        }
        let previous = stored[index].as_ref();
        let mut record = record_to_store(login, &records[index]);
        match (&plan.observed_json, previous) {
            (None, Some(p)) => record.last_observed_at = p.last_observed_at,
            _ => {
                record.last_observed = plan.observed_json.clone();
                record.last_observed_at = Some(now);
            }
        }
        record.last_observed_hash = Some(plan.observed_hash.clone());
        match errors {
            Some(messages) => {
                report.failed_users += 1;
                record.last_error = Some(messages.join("; "));
                record.last_error_at = Some(now);
                record.last_success_at = previous.and_then(|p| p.last_success_at);
                report
                    .user_errors
                    .push((login.clone(), messages.join("; ")));
            }
            None => {
                record.last_error = None;
                record.last_error_at = None;
                record.last_success_at = previous.and_then(|p| p.last_success_at);
            }
        }
        // An unchanged observation is written as NULL: the store keeps the JSON it has.
        let unchanged =
            previous.is_some_and(|p| record.last_observed.is_none() && same_record(p, &record));
        if !unchanged {
            stored_records.push(record);
        }
    }
    stage.lap("build records");
    store.finish_cycle(&stored_records, &confirmations, &forget, complete_cycle_at)?;
    stage.lap("store records");
    Ok(report)
}

/// A digest of an observation (stable within a build; a new build rewrites each row once).
fn observation_hash(observed: &Observed) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    observed.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Whether a new record says nothing the stored one does not (observation aside).
fn same_record(stored: &SyncRecord, new: &SyncRecord) -> bool {
    stored.graph_session == new.graph_session
        && stored.graph_session_expires_at == new.graph_session_expires_at
        && stored.graph_written_at == new.graph_written_at
        && stored.cloudlink_status == new.cloudlink_status
        && stored.cloudlink_activity == new.cloudlink_activity
        && stored.cloudlink_version == new.cloudlink_version
        && stored.cloudlink_written_at == new.cloudlink_written_at
        && stored.cloudlink_based_on == new.cloudlink_based_on
        && stored.last_observed_hash == new.last_observed_hash
        && stored.last_observed_at == new.last_observed_at
        && stored.last_error == new.last_error
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
    /// By CloudLink user id: those the store knew and those resolved now.
    pub by_user: HashMap<String, String>,
    /// Resolved now, for the caller to keep in the store (the sync does; `report` does not).
    pub resolved: Vec<(String, String)>,
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
    let (mut resolved, mut error) = (Vec::new(), None);
    if !unresolved.is_empty() {
        match cloudlink.principal_ids(&unresolved).await {
            Ok(found) => resolved = found.into_iter().collect(),
            Err(e) => error = Some(e),
        }
    }
    by_user.extend(resolved.iter().cloned());
    Ok(Principals {
        by_user,
        resolved,
        error,
    })
}

/// A read that failed is counted and reported; what depends on it is left alone.
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

fn read<T>(result: Result<T, SourceError>, report: &mut CycleReport) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            *report.errors_by_system.entry(e.system).or_default() += 1;
            report.read_errors.push(e);
            None
        }
    }
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
