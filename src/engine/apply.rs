//! The apply and record phases: every planned write journaled before any is sent (under the
//! lease), sent a chunk at a time per system (both systems at once, each chunk only while
//! the lease is held), and what came of each recorded. A failed write puts the old record's
//! part back; a write that got no answer after it was sent stays open in the journal, for
//! the next run to settle.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::intents::{Journaled, PresentityWritten, SessionCleared, SessionSet};
use super::settle::Settled;
use super::users::row_to_store;
use super::{CycleReport, CycleSettings, StoreCell, UserPlan};
use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, PresentityWrite, SessionChange, SourceError, Systems,
    TeamsPort, WriteFailure,
};
use crate::reconcile::Action;
use crate::store::{RunId, Store, StoreError};

/// The writes of a cycle's plans, by system, each beside the index of its plan (kept apart,
/// so the writes go to the systems as they are).
#[derive(Default)]
struct Writes {
    session_plans: Vec<usize>,
    sessions: Vec<SessionChange>,
    presentity_plans: Vec<usize>,
    presentities: Vec<PresentityWrite>,
}

/// What the writes came to: the journal confirmations (an entry that may have been applied
/// without an answer has none: it stays open), each failed plan's errors, and the plans whose
/// session write was confirmed.
#[derive(Default)]
struct Applied {
    confirmations: Vec<(i64, String)>,
    user_errors: HashMap<usize, Vec<String>>,
    sessions_confirmed: Vec<usize>,
}

/// Applies the plans' writes, then stores in one transaction what came of them: each user's
/// new record and the journal's confirmations. Tombstones whose session is cleared join
/// `forget`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn apply_and_store<T, M, P, C>(
    store: &StoreCell<'_>,
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
    let writes = writes_of(&plans);
    if let Some(progress) = &settings.progress {
        let total = writes.sessions.len() + writes.presentities.len();
        // Both pipelines' writes count towards one "writing" stage.
        progress.0.add_to_stage(total as u64, "writing");
    }
    let journal_ids = journal(&mut store.borrow_mut(), run, settings, &plans, &writes)?;
    let (sessions, presentities) = send(systems, settings, &writes).await;
    let mut applied = Applied::default();
    let outcomes = record_outcomes(
        &mut plans,
        &writes,
        sessions,
        presentities,
        report,
        &mut applied,
    );
    applied.confirmations = journal_ids
        .into_iter()
        .zip(outcomes)
        .filter_map(|(id, outcome)| Some((id, outcome?)))
        .collect();
    // A confirmed session write tells what Teams holds: earlier unsettled entries are done.
    for index in &applied.sessions_confirmed {
        if let Some(open) = settled.unsettled_sessions.get(&plans[*index].user.login) {
            applied.confirmations.extend(
                open.iter()
                    .map(|id| (*id, "superseded by a later write".into())),
            );
        }
    }
    let mut rows = Vec::new();
    // Consumed as the rows are built: a mass change holds one or the other, not both.
    for (index, plan) in plans.into_iter().enumerate() {
        let user = &plan.user;
        let error = applied.user_errors.remove(&index).map(|m| m.join("; "));
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
        let (record, observation) = (&plan.decision.record, plan.observation);
        if let Some(row) = row_to_store(user, settings.part(), record, observation, error, now) {
            rows.push(row);
        }
    }
    store.borrow_mut().finish_cycle(
        settings.lease.as_ref(),
        &rows,
        &applied.confirmations,
        &[],
        None,
    )
}

/// The plans' actions as the systems' writes: sessions first, then presentities, the order
/// the journal and the outcomes keep.
fn writes_of(plans: &[UserPlan]) -> Writes {
    let mut writes = Writes::default();
    for (index, plan) in plans.iter().enumerate() {
        let user = &plan.user;
        let teams_id = || user.teams_id.clone().unwrap_or_default();
        for action in &plan.decision.actions {
            match action {
                Action::SetSession { intent, ttl, .. } => {
                    writes.session_plans.push(index);
                    writes.sessions.push(SessionChange {
                        teams_id: teams_id(),
                        set: Some((*intent, *ttl)),
                    });
                }
                Action::ClearSession => {
                    writes.session_plans.push(index);
                    writes.sessions.push(SessionChange {
                        teams_id: teams_id(),
                        set: None,
                    });
                }
                Action::WritePresentity {
                    status,
                    activity,
                    expected_version,
                } => {
                    writes.presentity_plans.push(index);
                    writes.presentities.push(PresentityWrite {
                        principal_id: user.principal.clone().unwrap_or_default(),
                        status: *status,
                        activity: activity.clone(),
                        expected_version: expected_version.clone(),
                    });
                }
            }
        }
    }
    writes
}

/// Records every write as intended, a chunk per transaction, each checking the lease (a
/// former holder's writes are refused, so never sent). Returns the entries' ids in order.
fn journal(
    store: &mut Store,
    run: Option<RunId>,
    settings: &CycleSettings,
    plans: &[UserPlan],
    writes: &Writes,
) -> Result<Vec<i64>, StoreError> {
    let login = |index: usize| plans[index].user.login.clone();
    let sessions = writes.session_plans.iter().zip(&writes.sessions);
    let session_entries = sessions.map(|(index, change)| {
        let teams_id = Some(change.teams_id.clone());
        let write = match change.set {
            Some((intent, ttl)) => Journaled::SetSession(SessionSet {
                teams_id,
                session: Some(intent.label().to_string()),
                ttl_s: Some(ttl.as_secs()),
            }),
            None => Journaled::ClearSession(SessionCleared {
                teams_id,
                reason: None,
            }),
        };
        write.intent(login(*index))
    });
    let presentities = writes.presentity_plans.iter().zip(&writes.presentities);
    let write_entries = presentities.map(|(index, write)| {
        let based_on = plans[*index]
            .decision
            .record
            .presentity
            .as_ref()
            .map(|p| p.based_on.as_str());
        Journaled::WritePresentity(PresentityWritten {
            principal_id: Some(write.principal_id.clone()),
            status: Some(write.status.name().to_string()),
            activity: Some(write.activity.clone()),
            expected_version: Some(write.expected_version.clone()),
            based_on: based_on.map(str::to_string),
        })
        .intent(login(*index))
    });
    let lease = settings.lease.as_ref();
    let mut ids = Vec::with_capacity(writes.sessions.len() + writes.presentities.len());
    let mut entries = session_entries.chain(write_entries).peekable();
    while entries.peek().is_some() {
        let chunk: Vec<_> = entries.by_ref().take(settings.writes_per_chunk).collect();
        match store.journal_intend_leased(run, lease, &chunk) {
            Ok(more) => ids.extend(more),
            Err(e) => {
                // Nothing is sent yet: the entries journaled so far are closed as unsent, so
                // no later run sends them (by then stale) again.
                let unsent: Vec<_> = ids
                    .iter()
                    .map(|id| (*id, format!("not sent: {e}")))
                    .collect();
                if let Err(close) = store.close_journal(&unsent) {
                    tracing::warn!(error = %close, "could not close the unsent journal entries; the next run settles them");
                }
                return Err(e);
            }
        }
    }
    Ok(ids)
}

type SessionResults = Vec<Result<(), SourceError>>;
type PresentityResults = Vec<Result<String, WriteFailure>>;

/// Sends the writes, a chunk at a time per system, both systems at once. The lease is
/// checked right before each chunk: a holder past its renew deadline (paused, or its store
/// too busy to renew) may have been replaced, and must not write over the run that took over.
async fn send<T, M, P, C>(
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    writes: &Writes,
) -> (SessionResults, PresentityResults)
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let per_chunk = settings.writes_per_chunk;
    let unsent = |system: &'static str| {
        SourceError::down(system, "not sent: this run no longer holds the sync lease")
    };
    let no_answer = |system: &'static str| SourceError::new(system, "no answer for this write");
    let (sessions, presentities) = (&writes.sessions, &writes.presentities);
    let advance = |n: usize| {
        if let Some(progress) = &settings.progress {
            progress.0.advance(n as u64);
        }
    };
    tokio::join!(
        async {
            let mut results = Vec::with_capacity(sessions.len());
            for chunk in sessions.chunks(per_chunk) {
                if !settings.may_send() {
                    results.extend(chunk.iter().map(|_| Err(unsent("graph"))));
                    continue;
                }
                let answers = systems.teams.apply_sessions(chunk).await;
                advance(chunk.len());
                results.extend(complete(answers, chunk.len(), || no_answer("graph")));
            }
            results
        },
        async {
            let mut results = Vec::with_capacity(presentities.len());
            for chunk in presentities.chunks(per_chunk) {
                if !settings.may_send() {
                    results.extend(
                        chunk
                            .iter()
                            .map(|_| Err(WriteFailure::Failed(unsent("cloudlink")))),
                    );
                    continue;
                }
                let answers = systems.cloudlink.write_presentities(chunk).await;
                advance(chunk.len());
                results.extend(complete(answers, chunk.len(), || {
                    WriteFailure::Failed(no_answer("cloudlink"))
                }));
            }
            results
        },
    )
}

/// What each write came to, counted and put into its plan's record. Returns each journal
/// entry's outcome, in journal order (`None`: left open).
fn record_outcomes(
    plans: &mut [UserPlan],
    writes: &Writes,
    sessions: SessionResults,
    presentities: PresentityResults,
    report: &mut CycleReport,
    applied: &mut Applied,
) -> Vec<Option<String>> {
    let mut outcomes = Vec::with_capacity(sessions.len() + presentities.len());
    let session_writes = writes.session_plans.iter().zip(&writes.sessions);
    for ((index, change), result) in session_writes.zip(sessions) {
        let plan = &mut plans[*index];
        match result {
            Ok(()) => {
                report.applied.pbx_to_teams += 1;
                applied.sessions_confirmed.push(*index);
                let refresh = plan.decision.actions.iter().any(|a| {
                    matches!(
                        a,
                        crate::reconcile::Action::SetSession { refresh: true, .. }
                    )
                });
                if !refresh {
                    report
                        .sessions_changed_for
                        .push(plan.user.extension.clone());
                }
                outcomes.push(Some("applied".to_string()));
            }
            Err(e) => {
                plan.decision.record.session = plan.old.session;
                plan.decision.record.session_unsettled = plan.old.session_unsettled;
                *report.errors_by_system.entry(e.system).or_default() += 1;
                let what = if change.set.is_some() { "set" } else { "clear" };
                applied
                    .user_errors
                    .entry(*index)
                    .or_default()
                    .push(format!("{what} Teams session: {e}"));
                outcomes.push((!e.maybe_applied).then(|| format!("failed: {e}")));
            }
        }
    }
    for (index, result) in writes.presentity_plans.iter().zip(presentities) {
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
                applied
                    .user_errors
                    .entry(*index)
                    .or_default()
                    .push(format!("write presentity: {message}"));
                outcomes.push((!maybe_applied).then(|| format!("failed: {message}")));
            }
        }
    }
    outcomes
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
