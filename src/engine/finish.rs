//! The end of a cycle: the writes applied, the rollout state recorded, the rows stored.

use chrono::{DateTime, Utc};

use super::cycle::{Cycle, StageTimer};
use super::decide::{Decided, Rollout};
use super::{CloudlinkPort, CycleReport, HeldSummary, MicollabPort, PbxPort, TeamsPort, apply};
use crate::store::{Store, StoreError};

impl<T, M, P, C> Cycle<'_, T, M, P, C>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    /// Applies the plans, records the rollout state and stores the rows of a cycle.
    pub(super) async fn finish(
        &self,
        store: &mut Store,
        decided: Decided<'_>,
        report: &mut CycleReport,
        now: DateTime<Utc>,
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
            now,
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
        // The rollout state is the holder's alone to record.
        if let Some(lease) = &self.settings.lease {
            store.ensure_lease(lease)?;
        }
        record_rollout(store, self.rollout, report, held, &onboarded, now)?;
        stage.lap("journal, apply and store writes");
        // A user without an error counts as synchronized by this cycle when it was complete
        // (every system read), which the store records once.
        let complete_cycle_at = report.read_errors.is_empty().then_some(now);
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
