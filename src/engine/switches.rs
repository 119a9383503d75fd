//! An admin's switch of MiCollab's Teams flag (`profile enable|disable`, `user
//! enable|disable`) is journaled before it is sent, as the sync's writes are. Should the run
//! die after MiCollab applied it, the next run (a sync, or the admin's re-run) reads the
//! users' flags back and records what happened: the audit row, and for a switch on the
//! onboarding that keeps the mass-change guard from holding those users. Never assumed:
//! a switch whose users do not show it was not applied.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::connectors::ports::MicollabPort;
use crate::store::{AuditChange, Intent, JournalEntry, RunId, Store, StoreError};

/// The journal's name for a switch (system `micollab`).
const ACTION: &str = "switch_teams";
const SYSTEM: &str = "micollab";

/// One switch as journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switch {
    /// `profile` or `user`, and its name or login.
    pub object_type: String,
    pub object_id: String,
    pub before: Option<bool>,
    pub after: bool,
    /// The users whose Teams flag the switch turns: what a read-back checks.
    pub users: Vec<String>,
    /// Why they are onboarded, for a switch on (`profile enable Sales`).
    pub reason: String,
}

impl Switch {
    /// The journal entry's key: the user for a user's switch, the profile otherwise.
    fn key(&self) -> String {
        match self.object_type.as_str() {
            "user" => self.object_id.clone(),
            other => format!("{other}:{}", self.object_id),
        }
    }

    /// Records it as done: its audit row, and the users it turned on onboarded.
    fn finish(
        &self,
        store: &mut Store,
        run: Option<RunId>,
        entry: i64,
        outcome: &str,
        turned: &[String],
    ) -> Result<(), StoreError> {
        let flag = |b: bool| b.to_string();
        let (before, after) = (self.before.map(flag), flag(self.after));
        let onboard = if self.after { turned } else { &[] };
        let change = AuditChange {
            object_type: &self.object_type,
            object_id: &self.object_id,
            field: "teamsPresence",
            old: before.as_deref(),
            new: Some(&after),
        };
        store.finish_admin_change(entry, outcome, run, &[change], (onboard, &self.reason))
    }
}

/// Journals `switches` before they are sent; returns their entries, in order.
pub fn intend(store: &mut Store, run: RunId, switches: &[Switch]) -> Result<Vec<i64>, StoreError> {
    let entries: Vec<_> = switches
        .iter()
        .map(|s| {
            let payload = serde_json::to_value(s).unwrap_or_default();
            Intent::new(s.key(), SYSTEM, ACTION, payload)
        })
        .collect();
    store.journal_intend_many(Some(run), &entries)
}

/// MiCollab applied the switch (it answered so): recorded with `turned`, the users it
/// turned.
pub fn applied(
    store: &mut Store,
    run: RunId,
    entry: i64,
    switch: &Switch,
    turned: &[String],
) -> Result<(), StoreError> {
    switch.finish(store, Some(run), entry, "applied", turned)
}

/// MiCollab refused an admin change (a switch, a status edit): nothing to record but the
/// outcome.
pub fn refused(store: &mut Store, entry: i64, why: &str) -> Result<(), StoreError> {
    store.close_journal(&[(entry, format!("failed: {why}"))])
}

/// Settles the switches runs that are over left open, from the users' flags as MiCollab
/// shows them now. Returns how many were closed; none while MiCollab cannot be read.
pub async fn settle<M: MicollabPort>(store: &mut Store, micollab: &M) -> Result<usize, StoreError> {
    let open = store.journal_unconfirmed()?;
    settle_entries(store, micollab, open).await
}

/// Whether a journal entry is a switch (settled here, not by the sync's settle).
pub fn is_switch(entry: &JournalEntry) -> bool {
    entry.system == SYSTEM && entry.action == ACTION
}

/// The open entries of one kind of admin change (`kind`) among `entries` whose run is over
/// (one still on its way is its run's to record), each with its payload read. An unreadable
/// one is closed; returns how many were, beside the others.
pub(super) fn of_finished_runs<T: DeserializeOwned>(
    store: &mut Store,
    entries: Vec<JournalEntry>,
    kind: fn(&JournalEntry) -> bool,
) -> Result<(Vec<(JournalEntry, T)>, usize), StoreError> {
    let (mut open, mut unreadable) = (Vec::new(), 0);
    for entry in entries.into_iter().filter(kind) {
        if let Some(run) = entry.run_id.map(RunId)
            && !store.run_is_over(run)?
        {
            continue;
        }
        match serde_json::from_str::<T>(&entry.payload) {
            Ok(payload) => open.push((entry, payload)),
            Err(_) => {
                store.close_journal(&[(entry.id, "settled: cannot be read".into())])?;
                unreadable += 1;
            }
        }
    }
    Ok((open, unreadable))
}

/// [`settle`] of the switches among `entries` (open journal entries already read).
pub async fn settle_entries<M: MicollabPort>(
    store: &mut Store,
    micollab: &M,
    entries: Vec<JournalEntry>,
) -> Result<usize, StoreError> {
    let (open, _unreadable) = of_finished_runs::<Switch>(store, entries, is_switch)?;
    if open.is_empty() {
        return Ok(0);
    }
    let users: Vec<String> = open
        .iter()
        .flat_map(|(_, s)| s.users.iter().cloned())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let Ok(flags) = micollab.teams_flags(&users).await else {
        return Ok(0); // Settled by a later run.
    };
    for (entry, switch) in &open {
        let turned: Vec<String> = switch
            .users
            .iter()
            .filter(|u| flags.get(u.as_str()) == Some(&switch.after))
            .cloned()
            .collect();
        let run = entry.run_id.map(RunId);
        if turned.is_empty() {
            let why = if switch.users.is_empty() {
                "settled: cannot be checked (no users)"
            } else {
                "settled: not applied (read back)"
            };
            store.close_journal(&[(entry.id, why.into())])?;
        } else {
            let outcome = "settled: applied (read back)";
            switch.finish(store, run, entry.id, outcome, &turned)?;
        }
        if let Some(run) = run {
            store.close_interrupted_run(run)?;
        }
    }
    tracing::warn!(
        switches = open.len(),
        "settled Teams switches an interrupted run left unrecorded"
    );
    Ok(open.len())
}
