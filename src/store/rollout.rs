//! Rollouts: who an admin just turned on through mcteams (an expected change, onboarded
//! without counting against the mass-change guard), and the plans the guard holds in
//! `--watch` until `sync approve`.

use std::collections::HashSet;
use std::time::Duration;

use super::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AuditChange, RunId, Store, StoreError};

/// How long a user stays an expected change when no sync gets to it: a day, so a rollout
/// made late in the evening is still onboarded by the first sync of the morning.
pub const ONBOARDING_FOR: Duration = Duration::from_secs(24 * 3600);

/// How long an approval waits for the watch to use it.
pub const APPROVAL_LAPSES_AFTER: Duration = Duration::from_secs(10 * 60);

/// Where a held plan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// The guard holds these users' changes.
    Held,
    /// An admin approved it: the next cycle applies those users' current changes.
    Approved,
    Applied,
    /// Approved, but no cycle used it within [`APPROVAL_LAPSES_AFTER`].
    Lapsed,
    /// The guard no longer holds anything: the changes went away by themselves.
    Resolved,
}

impl PlanState {
    fn name(self) -> &'static str {
        match self {
            PlanState::Held => "held",
            PlanState::Approved => "approved",
            PlanState::Applied => "applied",
            PlanState::Lapsed => "lapsed",
            PlanState::Resolved => "resolved",
        }
    }

    fn parse(name: &str) -> PlanState {
        match name {
            "approved" => PlanState::Approved,
            "applied" => PlanState::Applied,
            "lapsed" => PlanState::Lapsed,
            "resolved" => PlanState::Resolved,
            _ => PlanState::Held,
        }
    }
}

/// The changes the mass-change guard holds: which users, how many changes, since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldPlan {
    pub id: i64,
    pub held_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Unexpected changes the cycle that held it counted, and the limit.
    pub changes: u64,
    pub max_changes: u64,
    pub users: Vec<String>,
    pub state: PlanState,
    pub approved_at: Option<DateTime<Utc>>,
}

fn since(now: DateTime<Utc>, age: Duration) -> DateTime<Utc> {
    now - chrono::Duration::from_std(age).unwrap_or_default()
}

impl Store {
    /// Records users an admin turned on through mcteams (`reason`: the command), so the
    /// sync onboards them as an expected change.
    /// Closes the journal entry of an admin change, in one transaction with its audit rows
    /// and the onboarding of the users it turned on (`reason`: the command), so a run
    /// killed in between leaves all or nothing.
    pub fn finish_admin_change(
        &mut self,
        entry: i64,
        outcome: &str,
        run: Option<RunId>,
        changes: &[AuditChange<'_>],
        (onboard, reason): (&[String], &str),
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        self.write(|tx| {
            tx.execute(
                "UPDATE journal SET confirmed_at = ?2, outcome = ?3 WHERE id = ?1",
                params![entry, now, outcome],
            )?;
            for change in changes {
                super::history::audit(tx, run, now, change)?;
            }
            onboard_in(tx, onboard, now, run, reason)?;
            Ok(())
        })
    }

    pub fn mark_onboarding(
        &mut self,
        run: Option<RunId>,
        logins: &[String],
        reason: &str,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        self.write(|tx| Ok(onboard_in(tx, logins, now, run, reason)?))
    }

    /// Nobody is being onboarded and the guard holds no plan, approved or not: every user
    /// is decided only on what the systems show (`sync --watch` may glance).
    pub fn rollout_quiet(&self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM onboarding WHERE since > ?1)
                    AND NOT EXISTS (SELECT 1 FROM guard_plans WHERE state IN ('held', 'approved'))",
                params![since(now, ONBOARDING_FOR)],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// The users being onboarded as of `now` (marked within [`ONBOARDING_FOR`]).
    pub fn onboarding(&self, now: DateTime<Utc>) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT micollab_login FROM onboarding WHERE since > ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![since(now, ONBOARDING_FOR)], |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// These users are onboarded (in sync): no longer an expected change. Entries past
    /// [`ONBOARDING_FOR`] go too.
    pub fn finish_onboarding(
        &mut self,
        logins: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // One statement for them all: a first sync onboards every imported user at once.
        let logins = serde_json::to_string(logins).unwrap_or_default();
        self.write(|tx| {
            tx.execute(
                "DELETE FROM onboarding WHERE micollab_login IN (SELECT value FROM json_each(?1))",
                params![&logins],
            )?;
            tx.execute(
                "DELETE FROM onboarding WHERE since <= ?1",
                params![since(now, ONBOARDING_FOR)],
            )?;
            Ok(())
        })
    }

    /// Holds these users' changes: the plan held now is updated (its users are the latest
    /// cycle's), or a new one starts. Returns its id.
    pub fn hold_plan(
        &mut self,
        users: &[String],
        changes: u64,
        max_changes: u64,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let users_json = serde_json::to_string(users).unwrap_or_else(|_| "[]".into());
        self.write(|tx| {
            let held: Option<i64> = tx
                .query_row(
                    "SELECT id FROM guard_plans WHERE state = 'held' ORDER BY id DESC LIMIT 1",
                    &[],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = held {
                tx.execute(
                    "UPDATE guard_plans SET updated_at = ?2, changes = ?3, max_changes = ?4,
                         users = ?5 WHERE id = ?1",
                    params![id, now, changes as i64, max_changes as i64, users_json],
                )?;
                return Ok(id);
            }
            Ok(tx.query_row(
                "INSERT INTO guard_plans (held_at, updated_at, changes, max_changes, users, state)
                 VALUES (?1, ?1, ?2, ?3, ?4, 'held') RETURNING id",
                params![now, changes as i64, max_changes as i64, users_json],
                |r| r.get(0),
            )?)
        })
    }

    /// The plan held or approved now, if any (the newest).
    pub fn current_plan(&self) -> Result<Option<HeldPlan>, StoreError> {
        self.plan_where("state IN ('held', 'approved')", None)
    }

    /// A plan by id.
    pub fn plan(&self, id: i64) -> Result<Option<HeldPlan>, StoreError> {
        self.plan_where("id = ?1", Some(id))
    }

    fn plan_where(&self, filter: &str, id: Option<i64>) -> Result<Option<HeldPlan>, StoreError> {
        let sql = format!(
            "SELECT id, held_at, updated_at, changes, max_changes, users, state, approved_at
             FROM guard_plans WHERE {filter} ORDER BY id DESC LIMIT 1"
        );
        let read = |r: &super::db::Row<'_>| {
            Ok(HeldPlan {
                id: r.get(0)?,
                held_at: r.get(1)?,
                updated_at: r.get(2)?,
                changes: r.get::<_, i64>(3)?.max(0) as u64,
                max_changes: r.get::<_, i64>(4)?.max(0) as u64,
                users: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                state: PlanState::parse(&r.get::<_, String>(6)?),
                approved_at: r.get(7)?,
            })
        };
        let found = match id {
            Some(id) => self.conn.query_row(&sql, params![id], read),
            None => self.conn.query_row(&sql, &[], read),
        };
        found.optional().map_err(|e| self.err(e))
    }

    /// Records an admin's approval of a held plan.
    pub fn approve_plan(&mut self, id: i64, run: Option<RunId>) -> Result<(), StoreError> {
        let now = Utc::now();
        let updated = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE guard_plans SET state = 'approved', approved_at = ?2, approved_run = ?3
                 WHERE id = ?1 AND state = 'held'",
                params![id, now, run.map(|r| r.0)],
            )?)
        })?;
        if updated == 0 {
            return Err(StoreError::Conflict(format!(
                "plan {id} is not held (approved, applied or lapsed meanwhile)"
            )));
        }
        Ok(())
    }

    /// The approved plan the next cycle applies, if one is waiting; approvals older than
    /// [`APPROVAL_LAPSES_AFTER`] lapse first.
    pub fn approved_plan(&mut self, now: DateTime<Utc>) -> Result<Option<HeldPlan>, StoreError> {
        let cutoff = since(now, APPROVAL_LAPSES_AFTER);
        let lapsed = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE guard_plans SET state = 'lapsed', finished_at = ?2
                 WHERE state = 'approved' AND approved_at <= ?1",
                params![cutoff, now],
            )?)
        })?;
        if lapsed > 0 {
            tracing::warn!(
                plans = lapsed,
                "an approval of a held plan lapsed (10 minutes) before its users' writes all landed: \
                 check `mcteams report --reason held_by_guard`, and approve it again if it is still held"
            );
        }
        self.plan_where("state = 'approved'", None)
    }

    /// The approved plan a cycle would apply, read only (a dry run lapses nothing).
    pub fn approved_plan_unlapsed(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<HeldPlan>, StoreError> {
        let cutoff = since(now, APPROVAL_LAPSES_AFTER);
        Ok(self
            .plan_where("state = 'approved'", None)?
            .filter(|p| p.approved_at.is_some_and(|at| at > cutoff)))
    }

    /// Ends a plan that is still `from` (an approved plan is applied, a held one resolved):
    /// a plan approved meanwhile is never flipped to resolved.
    pub fn finish_plan(
        &mut self,
        id: i64,
        from: PlanState,
        state: PlanState,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        self.write(|tx| {
            tx.execute(
                "UPDATE guard_plans SET state = ?2, finished_at = ?3 WHERE id = ?1 AND state = ?4",
                params![id, state.name(), now, from.name()],
            )?;
            Ok(())
        })
    }
}

/// Marks `logins` as being onboarded since `now`, in the caller's transaction.
fn onboard_in(
    tx: &super::db::Transaction<'_>,
    logins: &[String],
    now: DateTime<Utc>,
    run: Option<RunId>,
    reason: &str,
) -> super::db::Result<()> {
    let mut batch = super::db::Batch::new(
        tx,
        "INSERT INTO onboarding (micollab_login, since, run_id, reason)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (micollab_login) DO UPDATE SET
             since = excluded.since, run_id = excluded.run_id, reason = excluded.reason",
        false,
    )?;
    let since = super::time::SqlTime(now).text();
    for login in logins {
        batch.push(params![login, since, run.map(|r| r.0), reason])?;
    }
    batch.finish().map(drop)
}
