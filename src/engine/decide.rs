//! The decide phase: each user's observation and record through the pure reconcile core,
//! counted for the summary and the mass-change guard, and sorted into what the cycle keeps:
//! writes to make, rows to store, tombstones to forget, users the guard holds.
//!
//! The guard counts only unexpected changes: users an admin just turned on through mcteams
//! (onboarding) and the users of an approved plan are expected, and the rewrite of a
//! session an interrupted run left unknown is mcteams repairing its own write. Past the guard a one-shot
//! run keeps nothing (it stops, exit 5); a watch holds the unexpected users' changes as a
//! plan and goes on with everyone else, session refreshes included.

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::settle::Settled;
use super::users::{Observation, User, row_to_store};
use super::{CycleReport, CycleSettings, PlannedAction, UserPlan, digest};
use crate::reconcile::{
    Action, Decision, Note, Observed, Record, changes_in, hold_changes, is_change, reconcile,
};
use crate::store::{HeldPlan, RecordPart, Store, StoreError, SyncRecord};

/// What the rollout state says about this cycle's users.
#[derive(Debug, Default)]
pub struct Rollout {
    /// Users an admin turned on through mcteams, not yet in sync.
    pub onboarding: HashSet<String>,
    /// The plan an admin approved, which this cycle applies.
    pub approved: Option<HeldPlan>,
    /// The plan held now, if any (it is updated, or resolved when nothing is held any more).
    pub held: Option<HeldPlan>,
    /// The two plans' users, looked up for every user of the cycle.
    approved_users: HashSet<String>,
    held_users: HashSet<String>,
}

impl Rollout {
    /// Reads the rollout state; only a real cycle lapses old approvals (a dry run writes
    /// nothing).
    pub fn load(
        store: &mut Store,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Rollout, StoreError> {
        let approved = if dry_run {
            store.approved_plan_unlapsed(now)?
        } else {
            store.approved_plan(now)?
        };
        let held = store
            .current_plan()?
            .filter(|p| p.state == crate::store::PlanState::Held);
        let users = |plan: &Option<HeldPlan>| -> HashSet<String> {
            plan.iter().flat_map(|p| p.users.iter().cloned()).collect()
        };
        Ok(Rollout {
            onboarding: store.onboarding(now)?,
            approved_users: users(&approved),
            held_users: users(&held),
            approved,
            held,
        })
    }

    /// Whether the plan the guard holds now names this user (its changes stay held).
    fn holds(&self, login: &str) -> bool {
        self.held_users.contains(login)
    }

    fn expects(&self, login: &str) -> bool {
        self.onboarding.contains(login) || self.approved_users.contains(login)
    }
}

/// What the decide phase keeps, user by user.
pub struct Decided<'a> {
    settings: &'a CycleSettings,
    settled: &'a Settled,
    rollout: &'a Rollout,
    pub now: DateTime<Utc>,
    pub plans: Vec<UserPlan>,
    pub stored_rows: Vec<SyncRecord>,
    pub forget: Vec<String>,
    /// Users whose changes the guard holds (`--watch`), and how many changes they are.
    pub held: Vec<String>,
    pub held_changes: u64,
    /// Users being onboarded that are now in sync, and those with writes to make (onboarded
    /// once they are applied).
    pub onboarded: Vec<String>,
    pub onboarding_writes: Vec<String>,
    holding: bool,
}

impl<'a> Decided<'a> {
    pub fn new(
        settings: &'a CycleSettings,
        settled: &'a Settled,
        rollout: &'a Rollout,
        now: DateTime<Utc>,
    ) -> Decided<'a> {
        Decided {
            settings,
            settled,
            rollout,
            now,
            plans: Vec::new(),
            stored_rows: Vec::new(),
            forget: Vec::new(),
            held: Vec::new(),
            held_changes: 0,
            onboarded: Vec::new(),
            onboarding_writes: Vec::new(),
            holding: false,
        }
    }

    /// Decides one user.
    pub fn user(&mut self, report: &mut CycleReport, user: User, observed: Observed) {
        let part = self.settings.part();
        let old = self.record_of(&user, part);
        let mut decision = reconcile(&observed, &old, &self.settings.policy, self.now);
        keep_other_part(&mut decision, &old, part);
        let observation = observation_of(&user, &observed, part);
        count_notes(report, &decision.notes);
        let expected = self.rollout.expects(&user.login);
        if decision.actions.is_empty() {
            // In sync with its flag read (on: onboarded; off: nothing to onboard), so a later
            // change made elsewhere is unexpected again.
            if expected && observed.teams_enabled.is_some() {
                self.onboarded.push(user.login.clone());
            }
            self.keep_row(user, &decision.record, observation, decision.forget);
            return;
        }
        let changes = changes_in(&decision.actions);
        // A user of the plan held now stays held (until approved): the mass change it is
        // part of is not counted again, and ordinary changes of others go on beside it.
        let still_held = !expected
            && changes > 0
            && self.settings.hold_over_guard
            && self.rollout.holds(&user.login);
        let unexpected = if expected || still_held {
            0
        } else {
            changes - self.repairs(&user.login, &decision.actions)
        };
        self.count(report, &user.login, &decision.actions, unexpected, changes);
        if expected && !self.settings.dry_run {
            self.onboarding_writes.push(user.login.clone());
        }
        if self.settings.dry_run {
            return;
        }
        let mut hold = still_held;
        if self.settings.guard_stops(report.unexpected_changes) {
            if !self.settings.hold_over_guard {
                // The direction stops: it keeps no plan, but records what it saw with the
                // records as they were, so `report` counts a lasting mismatch the guard
                // keeps from being fixed.
                for plan in std::mem::take(&mut self.plans) {
                    self.keep_row(plan.user, &plan.old, plan.observation, false);
                }
                let old = old.into_owned();
                self.keep_row(user, &old, observation, false);
                return;
            }
            self.start_holding();
            hold |= unexpected > 0;
        }
        if hold {
            self.held.push(user.login.clone());
            self.held_changes += changes;
            decision = hold_changes(decision, &old);
            if decision.actions.is_empty() {
                self.keep_row(user, &decision.record, observation, false);
                return;
            }
        }
        let old = old.into_owned();
        self.plans.push(UserPlan {
            user,
            observation,
            old,
            decision,
        });
    }

    /// The record reconcile starts from: the stored one, its session marked unsettled when
    /// an earlier run left it unknown (the phone pipeline's to repair).
    fn record_of<'u>(&self, user: &'u User, part: RecordPart) -> Cow<'u, Record> {
        let stored = user.stored.as_ref().map(|s| &s.record);
        let unsettled = part != RecordPart::TeamsToMicollab
            && self.settled.unsettled_sessions.contains_key(&user.login);
        match stored {
            Some(record) if !unsettled => Cow::Borrowed(record),
            _ => Cow::Owned(Record {
                session_unsettled: unsettled,
                ..stored.cloned().unwrap_or_default()
            }),
        }
    }

    /// Of these changes, the rewrite of a session an interrupted run left unknown: mcteams
    /// repairing its own write (however many users a kill left that way), which the guard
    /// neither counts nor holds. The user's other changes count as usual.
    fn repairs(&self, login: &str, actions: &[Action]) -> u64 {
        if !self.settled.unsettled_sessions.contains_key(login) {
            return 0;
        }
        let session = |a: &&Action| a.direction() == crate::reconcile::SyncDirection::PbxToTeams;
        actions
            .iter()
            .filter(session)
            .filter(|a| is_change(a))
            .count() as u64
    }

    fn count(
        &self,
        report: &mut CycleReport,
        login: &str,
        actions: &[Action],
        unexpected: u64,
        changes: u64,
    ) {
        for action in actions {
            report.planned.add(action);
            if matches!(action, Action::SetSession { refresh: true, .. }) {
                report.refreshes += 1;
            }
            if self.settings.dry_run {
                report.plan.push(PlannedAction {
                    micollab_login: login.to_string(),
                    action: action.clone(),
                });
            }
        }
        report.unexpected_changes += unexpected;
        report.expected_changes += changes - unexpected;
    }

    /// The first time the guard trips in a watch: the plans kept so far of unexpected users
    /// are held too.
    fn start_holding(&mut self) {
        if self.holding {
            return;
        }
        self.holding = true;
        for plan in std::mem::take(&mut self.plans) {
            let UserPlan {
                user,
                observation,
                old,
                decision,
            } = plan;
            let changes = changes_in(&decision.actions);
            let repairs = self.repairs(&user.login, &decision.actions);
            if self.rollout.expects(&user.login) || changes == repairs {
                self.plans.push(UserPlan {
                    user,
                    observation,
                    old,
                    decision,
                });
                continue;
            }
            self.held.push(user.login.clone());
            self.held_changes += changes;
            let decision = hold_changes(decision, &old);
            if decision.actions.is_empty() {
                self.keep_row(user, &decision.record, observation, false);
            } else {
                self.plans.push(UserPlan {
                    user,
                    observation,
                    old,
                    decision,
                });
            }
        }
    }

    fn keep_row(&mut self, user: User, record: &Record, observation: Observation, forget: bool) {
        if forget {
            self.forget.push(user.login);
        } else if let Some(row) = row_to_store(
            &user,
            self.settings.part(),
            record,
            observation,
            None,
            self.now,
        ) {
            self.stored_rows.push(row);
        }
    }
}

/// A pipeline decides its own direction only: its record keeps the other direction's part
/// as stored (the other pipeline records that part), and only the phone pipeline, which
/// clears what mcteams set in Teams, forgets a tombstone.
fn keep_other_part(decision: &mut Decision, old: &Record, part: RecordPart) {
    match part {
        RecordPart::TeamsToMicollab => {
            decision.record.session = old.session;
            decision.record.session_unsettled = old.session_unsettled;
            decision.forget = false;
        }
        RecordPart::PhoneToTeams => decision.record.presentity = old.presentity.clone(),
        RecordPart::Whole
        | RecordPart::Written
        | RecordPart::SessionWritten
        | RecordPart::PresentityWritten => {}
    }
}

/// The observation as the store keeps it: its digest, and its JSON only when it changed.
fn observation_of(user: &User, observed: &Observed, part: RecordPart) -> Observation {
    let hash = digest(observed);
    let stored = user.stored.as_ref().map(|s| s.seen(part));
    let unchanged = stored.and_then(|s| s.observed_hash) == Some(hash);
    Observation {
        hash,
        json: if unchanged {
            None
        } else {
            observation_json(observed, part)
        },
    }
}

/// The JSON of what a pipeline saw: only the keys it reads, and only those it could read,
/// so the store can merge the two pipelines' observations into one (the phone pipeline's
/// keys win; a key left out keeps the other pipeline's).
fn observation_json(observed: &Observed, part: RecordPart) -> Option<String> {
    let serde_json::Value::Object(mut keys) = serde_json::to_value(observed).ok()? else {
        return None;
    };
    let read_by_pipeline = |key: &str| match part {
        RecordPart::TeamsToMicollab => key != "phone",
        RecordPart::PhoneToTeams => !matches!(key, "teams" | "presentity"),
        RecordPart::Whole
        | RecordPart::Written
        | RecordPart::SessionWritten
        | RecordPart::PresentityWritten => true,
    };
    keys.retain(|key, value| read_by_pipeline(key) && !value.is_null());
    serde_json::to_string(&keys).ok()
}

fn count_notes(report: &mut CycleReport, notes: &[Note]) {
    for note in notes {
        let key = match note {
            Note::AcdHotdeskUnsynced => "acd_hotdesk_unsynced",
            Note::TeamsUnknown { .. } => "teams_unknown",
            Note::ForeignWriter { .. } => "foreign_writer",
        };
        *report.notes.entry(key).or_default() += 1;
    }
}
