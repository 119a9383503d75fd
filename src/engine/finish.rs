//! The end of a cycle, once its pipelines are done: their reports as one, the rollout
//! state recorded, and whether the cycle was complete.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::cycle::Cycle;
use super::decide::Rollout;
use super::pipeline::Outcome;
use super::{CloudlinkPort, CycleReport, HeldSummary, MicollabPort, PbxPort, TeamsPort};
use crate::store::{Store, StoreError};

impl<T, M, P, C> Cycle<'_, T, M, P, C>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    /// Takes the pipelines' reports into the cycle's, then records the rollout state and
    /// the completion of a cycle that wrote. A pipeline its guard stopped (a one-shot run)
    /// leaves the rollout state as it was: the other direction's writes are recorded already.
    pub(super) fn finish(
        &self,
        store: &mut Store,
        outcomes: Vec<Outcome>,
        report: &mut CycleReport,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut held = Vec::new();
        let mut held_changes = 0;
        let mut onboarded: Option<HashSet<String>> = None;
        let mut stopped = false;
        for outcome in outcomes {
            report.absorb(outcome.report);
            held.extend(outcome.held);
            held_changes += outcome.held_changes;
            stopped |= outcome.stopped;
            // Onboarded once every direction has the user in sync.
            onboarded = Some(match onboarded {
                None => outcome.onboarded,
                Some(so_far) => so_far.intersection(&outcome.onboarded).cloned().collect(),
            });
        }
        report
            .plan
            .sort_by(|a, b| a.micollab_login.cmp(&b.micollab_login));
        if stopped || self.settings.dry_run {
            return Ok(());
        }
        held.sort();
        held.dedup();
        let mut onboarded: Vec<String> = onboarded.unwrap_or_default().into_iter().collect();
        onboarded.sort();
        // The rollout state is the holder's alone to record.
        if let Some(lease) = &self.settings.lease {
            store.ensure_lease(lease)?;
        }
        let held = (held, held_changes, self.settings.max_changes);
        record_rollout(store, self.rollout, report, held, &onboarded, now)?;
        // A user without an error counts as synchronized by this cycle when it was complete
        // (every system read), which the store records once.
        if report.read_errors.is_empty() {
            store.finish_cycle(self.settings.lease.as_ref(), &[], &[], &[], Some(now))?;
        }
        Ok(())
    }
}

impl CycleReport {
    /// Takes one pipeline's report into the cycle's. A system both pipelines failed to read
    /// is one read error; a user both failed for is one failed user, with both messages.
    fn absorb(&mut self, other: CycleReport) {
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
    (held, held_changes, max_changes): (Vec<String>, u64, u64),
    onboarded: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(plan) = &rollout.approved {
        // Applied only once every system was read and none of its users' writes failed;
        // until then (or until it lapses) the next cycle goes on applying it.
        let failed: HashSet<&str> = report.user_errors.iter().map(|(l, _)| l.as_str()).collect();
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
