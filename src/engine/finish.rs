//! The end of a cycle, once its pipelines are done: their reports as one, the rollout
//! state recorded, and whether the cycle was complete.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::cycle::Cycle;
use super::decide::Rollout;
use super::pipeline::Outcome;
use super::{CloudlinkPort, CycleReport, HeldSummary, MicollabPort, PbxPort, TeamsPort};
use crate::reconcile::SyncDirection;
use crate::store::{Store, StoreError};

/// Each direction's last outcome, as far as the rollout state needs it. A one-shot cycle
/// fills it from its two pipelines at once; in `sync --watch` each direction's cycle runs on
/// its own pace and updates its own entry, and the rollout state is recorded from both.
#[derive(Debug, Default)]
pub(super) struct RolloutBoard {
    by_direction: HashMap<SyncDirection, DirectionOutcome>,
}

#[derive(Debug, Default)]
struct DirectionOutcome {
    held: Vec<String>,
    held_changes: u64,
    onboarded: HashSet<String>,
    /// When this direction last read every system (its users without an error are in sync).
    complete_at: Option<DateTime<Utc>>,
    /// The approved plan this direction applied in full.
    applied_plan: Option<i64>,
}

/// What the directions came to together.
struct Together {
    held: Vec<String>,
    held_changes: u64,
    onboarded: Vec<String>,
    complete_at: Option<DateTime<Utc>>,
    applied_plan: Option<i64>,
}

impl RolloutBoard {
    /// Takes a direction's outcome (`applied_plan`: the approved plan it applied in full),
    /// keeping the last complete time of a direction that could not read everything now.
    fn put(
        &mut self,
        direction: SyncDirection,
        outcome: &Outcome,
        applied_plan: Option<i64>,
        now: DateTime<Utc>,
    ) {
        let entry = self.by_direction.entry(direction).or_default();
        entry.held = outcome.held.clone();
        entry.held_changes = outcome.held_changes;
        entry.onboarded = outcome.onboarded.clone();
        if outcome.report.read_errors.is_empty() {
            entry.complete_at = Some(now);
        }
        entry.applied_plan = applied_plan;
    }

    /// Users whose onboarding is recorded as done: a direction's last outcome no longer
    /// counts them, or an outcome older than a later `profile enable` of theirs would.
    fn onboarding_done(&mut self, users: &[String]) {
        for outcome in self.by_direction.values_mut() {
            for user in users {
                outcome.onboarded.remove(user);
            }
        }
    }

    /// The outcomes of `directions` together: held, the users any direction holds; onboarded,
    /// the users every direction has in sync; complete, when every direction last was.
    fn together(&self, directions: &[SyncDirection]) -> Together {
        let outcomes: Vec<Option<&DirectionOutcome>> = directions
            .iter()
            .map(|d| self.by_direction.get(d))
            .collect();
        let mut held: Vec<String> = outcomes
            .iter()
            .flatten()
            .flat_map(|o| o.held.iter().cloned())
            .collect();
        held.sort();
        held.dedup();
        let mut onboarded: Option<HashSet<String>> = None;
        for outcome in &outcomes {
            let theirs = outcome.map(|o| o.onboarded.clone()).unwrap_or_default();
            onboarded = Some(match onboarded {
                None => theirs,
                Some(so_far) => so_far.intersection(&theirs).cloned().collect(),
            });
        }
        let mut onboarded: Vec<String> = onboarded.unwrap_or_default().into_iter().collect();
        onboarded.sort();
        let all = |f: &dyn Fn(&DirectionOutcome) -> bool| outcomes.iter().all(|o| o.is_some_and(f));
        let first = outcomes.first().copied().flatten();
        let applied_plan = first
            .and_then(|o| o.applied_plan)
            .filter(|id| all(&|o| o.applied_plan == Some(*id)));
        let complete_at = all(&|o| o.complete_at.is_some())
            .then(|| {
                outcomes
                    .iter()
                    .flatten()
                    .filter_map(|o| o.complete_at)
                    .min()
            })
            .flatten();
        Together {
            held,
            held_changes: outcomes.iter().flatten().map(|o| o.held_changes).sum(),
            onboarded,
            complete_at,
            applied_plan,
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
    /// Takes the pipelines' reports into the cycle's, then records the rollout state and
    /// the completion from every direction's last outcome (`board`). A pipeline its guard
    /// stopped (a one-shot run) leaves the rollout state as it was: the other direction's
    /// writes are recorded already.
    pub(super) fn finish(
        &self,
        store: &mut Store,
        outcomes: Vec<(SyncDirection, Outcome)>,
        board: &mut RolloutBoard,
        report: &mut CycleReport,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let stopped = outcomes.iter().any(|(_, o)| o.stopped);
        let plan = self.rollout.approved.as_ref().map(|p| p.id);
        // A targeted cycle saw a few users: it says nothing of the estate's rollout state.
        let targeted = self.settings.only.is_some();
        for (direction, outcome) in outcomes {
            if !targeted {
                let plan = plan.filter(|_| self.applied_in_full(&outcome.report));
                board.put(direction, &outcome, plan, now);
            }
            report.absorb(outcome.report);
        }
        report
            .plan
            .sort_by(|a, b| a.micollab_login.cmp(&b.micollab_login));
        if stopped || self.settings.dry_run || targeted {
            return Ok(());
        }
        // The rollout state is the holder's alone to record.
        if let Some(lease) = &self.settings.lease {
            store.ensure_lease(lease)?;
        }
        let together = board.together(self.directions);
        record_rollout(
            store,
            self.rollout,
            report,
            &together,
            self.settings.max_changes,
            now,
        )?;
        board.onboarding_done(&together.onboarded);
        // A user without an error counts as synchronized by the last cycle that was complete
        // in every direction (every system read), which the store records once.
        if let Some(at) = together.complete_at {
            store.finish_cycle(self.settings.lease.as_ref(), &[], &[], &[], Some(at))?;
        }
        Ok(())
    }

    /// Whether a direction applied the approved plan in full: every system read, none of the
    /// plan's users failed. Until every direction has (or the approval lapses), the next
    /// cycles go on applying it.
    fn applied_in_full(&self, report: &CycleReport) -> bool {
        let Some(plan) = &self.rollout.approved else {
            return false;
        };
        report.read_errors.is_empty()
            && !report
                .user_errors
                .iter()
                .any(|(login, _)| plan.users.contains(login))
    }
}

impl CycleReport {
    /// Takes one pipeline's report into the cycle's. A system both pipelines failed to read
    /// is one read error; a user both failed for is one failed user, with both messages.
    pub(crate) fn absorb(&mut self, other: CycleReport) {
        self.users_checked = self.users_checked.max(other.users_checked);
        self.planned.add_counts(&other.planned);
        self.applied.add_counts(&other.applied);
        self.refreshes += other.refreshes;
        let mut errors_by_system = other.errors_by_system;
        for e in other.read_errors {
            if self.read_errors.iter().any(|r| r.system == e.system) {
                if let Some(n) = errors_by_system.get_mut(e.system) {
                    *n = n.saturating_sub(1);
                }
            } else {
                self.read_errors.push(e);
            }
        }
        for (system, n) in errors_by_system.into_iter().filter(|(_, n)| *n > 0) {
            *self.errors_by_system.entry(system).or_default() += n;
        }
        for (note, n) in other.notes {
            *self.notes.entry(note).or_default() += n;
        }
        self.guard_tripped = match (self.guard_tripped, other.guard_tripped) {
            (Some((a, max)), Some((b, _))) => Some((a + b, max)),
            (mine, theirs) => mine.or(theirs),
        };
        self.unexpected_changes += other.unexpected_changes;
        self.expected_changes += other.expected_changes;
        self.clock_skew_seconds = self.clock_skew_seconds.or(other.clock_skew_seconds);
        self.plan.extend(other.plan);
        self.sessions_changed_for.extend(other.sessions_changed_for);
        for (login, message) in other.user_errors {
            match self.user_errors.iter_mut().find(|(l, _)| *l == login) {
                Some((_, mine)) => {
                    mine.push_str("; ");
                    mine.push_str(&message);
                }
                None => self.user_errors.push((login, message)),
            }
        }
        self.failed_users = self.user_errors.len();
    }
}

/// Records what came of the rollout state: the approved plan applied, the users the guard
/// holds now (or the held plan resolved), the onboarded users done.
fn record_rollout(
    store: &mut Store,
    rollout: &Rollout,
    report: &mut CycleReport,
    together: &Together,
    max_changes: u64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(plan) = &rollout.approved {
        if together.applied_plan == Some(plan.id) {
            store.finish_plan(
                plan.id,
                crate::store::PlanState::Approved,
                crate::store::PlanState::Applied,
            )?;
            report.approved_plan_applied = Some(plan.id);
        } else {
            tracing::warn!(
                plan = plan.id,
                "the approved plan is not applied in full yet: the next cycle goes on with it"
            );
        }
    }
    let held = &together.held;
    if !held.is_empty() {
        let id = store.hold_plan(held, together.held_changes, max_changes, now)?;
        let same = rollout.held.as_ref().is_some_and(|p| p.users == *held);
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
    if !together.onboarded.is_empty() {
        store.finish_onboarding(&together.onboarded, now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::ports::SourceError;
    use chrono::TimeZone;

    const PHONE: SyncDirection = SyncDirection::PbxToTeams;
    const TEAMS: SyncDirection = SyncDirection::TeamsToMicollab;

    fn at(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, second).unwrap()
    }

    fn users(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn outcome(held: &[&str], onboarded: &[&str], read_all: bool) -> Outcome {
        let mut outcome = Outcome {
            held: users(held),
            held_changes: held.len() as u64,
            onboarded: users(onboarded).into_iter().collect(),
            ..Outcome::default()
        };
        if !read_all {
            outcome
                .report
                .read_errors
                .push(SourceError::down("pbx", "down"));
        }
        outcome
    }

    #[test]
    fn a_user_is_onboarded_only_when_every_direction_has_them_in_sync() {
        let mut board = RolloutBoard::default();
        board.put(PHONE, &outcome(&[], &["ann", "bob"], true), None, at(1));
        let phone_only = board.together(&[PHONE, TEAMS]);
        assert!(
            phone_only.onboarded.is_empty(),
            "Teams -> MiCollab has not run yet"
        );
        assert_eq!(board.together(&[PHONE]).onboarded, users(&["ann", "bob"]));

        board.put(TEAMS, &outcome(&[], &["bob", "cyd"], true), None, at(2));
        assert_eq!(board.together(&[PHONE, TEAMS]).onboarded, users(&["bob"]));
    }

    #[test]
    fn onboarding_done_is_forgotten_by_every_direction() {
        let mut board = RolloutBoard::default();
        board.put(PHONE, &outcome(&[], &["ann", "bob"], true), None, at(1));
        board.put(TEAMS, &outcome(&[], &["ann", "bob"], true), None, at(2));
        board.onboarding_done(&users(&["ann"]));
        assert_eq!(board.together(&[PHONE, TEAMS]).onboarded, users(&["bob"]));
        assert_eq!(board.together(&[PHONE]).onboarded, users(&["bob"]));
        assert_eq!(board.together(&[TEAMS]).onboarded, users(&["bob"]));
    }

    #[test]
    fn held_users_are_those_any_direction_holds() {
        let mut board = RolloutBoard::default();
        board.put(PHONE, &outcome(&["bob", "ann"], &[], true), None, at(1));
        board.put(TEAMS, &outcome(&["bob", "cyd"], &[], true), None, at(2));
        let together = board.together(&[PHONE, TEAMS]);
        assert_eq!(together.held, users(&["ann", "bob", "cyd"]));
        assert_eq!(
            together.held_changes, 4,
            "changes are counted per direction"
        );
        board.put(PHONE, &outcome(&[], &[], true), None, at(3));
        assert_eq!(board.together(&[PHONE, TEAMS]).held, users(&["bob", "cyd"]));
    }

    #[test]
    fn an_approved_plan_is_applied_only_when_every_direction_applied_it() {
        let mut board = RolloutBoard::default();
        board.put(PHONE, &outcome(&[], &[], true), Some(7), at(1));
        assert_eq!(board.together(&[PHONE, TEAMS]).applied_plan, None);
        board.put(TEAMS, &outcome(&[], &[], true), Some(6), at(2));
        assert_eq!(board.together(&[PHONE, TEAMS]).applied_plan, None);
        board.put(TEAMS, &outcome(&[], &[], true), Some(7), at(3));
        assert_eq!(board.together(&[PHONE, TEAMS]).applied_plan, Some(7));
        assert_eq!(board.together(&[PHONE]).applied_plan, Some(7));
    }

    #[test]
    fn complete_is_when_every_direction_last_read_everything() {
        let mut board = RolloutBoard::default();
        board.put(PHONE, &outcome(&[], &[], true), None, at(1));
        assert_eq!(board.together(&[PHONE, TEAMS]).complete_at, None);
        board.put(TEAMS, &outcome(&[], &[], true), None, at(5));
        assert_eq!(board.together(&[PHONE, TEAMS]).complete_at, Some(at(1)));
        // A phone cycle that could not read the PBX keeps its last complete time.
        board.put(PHONE, &outcome(&[], &[], false), None, at(9));
        assert_eq!(board.together(&[PHONE, TEAMS]).complete_at, Some(at(1)));
        board.put(PHONE, &outcome(&[], &[], true), None, at(12));
        assert_eq!(board.together(&[PHONE, TEAMS]).complete_at, Some(at(5)));
        // A direction that never read everything leaves the cycle incomplete.
        let mut fresh = RolloutBoard::default();
        fresh.put(PHONE, &outcome(&[], &[], false), None, at(1));
        fresh.put(TEAMS, &outcome(&[], &[], true), None, at(2));
        assert_eq!(fresh.together(&[PHONE, TEAMS]).complete_at, None);
    }
}
