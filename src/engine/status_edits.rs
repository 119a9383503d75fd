//! An admin's edit of a Teams-managed status (`status set`) is journaled before it is sent,
//! as the sync's writes and the Teams switches are. Should the run die after MiCollab
//! applied it, the next `status set` reads the profile's statuses back and records what
//! happened (the audit rows, the run closed as interrupted). Never assumed: an edit whose
//! values MiCollab does not show was not applied. The sync leaves these entries to
//! `status set`: it reads no status settings.

use std::future::Future;

use serde::{Deserialize, Serialize};

use super::switches::of_finished_runs;
use crate::admin::FieldChange;
use crate::store::{AuditChange, Intent, JournalEntry, RunId, Store, StoreError};
use crate::wire::micollab::Status;

/// The journal's name for a status edit (system `micollab`).
const ACTION: &str = "edit_status";
const SYSTEM: &str = "micollab";

/// One status edit as journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEdit {
    pub profile_id: String,
    pub profile: String,
    pub status: String,
    pub changes: Vec<FieldChange>,
}

impl StatusEdit {
    fn object(&self) -> String {
        format!("{}/{}", self.profile, self.status)
    }

    /// Whether `shown` (the status as MiCollab shows it now) carries every new value.
    fn shows_in(&self, shown: &Status) -> bool {
        self.changes.iter().all(|c| {
            let now = match c.field.as_str() {
                "callRouting" => shown.call_routing.as_deref(),
                "message" => shown.message.as_deref(),
                _ => None,
            };
            now == Some(c.new.as_str())
        })
    }

    /// Records it as done: its audit rows (and how many users' own settings it replaced).
    fn finish(
        &self,
        store: &mut Store,
        run: Option<RunId>,
        entry: i64,
        outcome: &str,
        overridden: Option<u64>,
    ) -> Result<(), StoreError> {
        let object = self.object();
        let overridden = overridden.filter(|n| *n > 0).map(|n| n.to_string());
        let mut rows: Vec<AuditChange> = self
            .changes
            .iter()
            .map(|c| AuditChange {
                object_type: "profile_status",
                object_id: &object,
                field: &c.field,
                old: c.old.as_deref(),
                new: Some(&c.new),
            })
            .collect();
        if let Some(n) = &overridden {
            rows.push(AuditChange {
                object_type: "profile_status",
                object_id: &object,
                field: "usersOverridden",
                old: None,
                new: Some(n),
            });
        }
        store.finish_admin_change(entry, outcome, run, &rows, (&[], ""))
    }
}

/// Journals `edit` before it is sent; returns its entry.
pub fn intend(store: &mut Store, run: RunId, edit: &StatusEdit) -> Result<i64, StoreError> {
    let payload = serde_json::to_value(edit).unwrap_or_default();
    let entry = Intent::new(format!("status:{}", edit.object()), SYSTEM, ACTION, payload);
    Ok(store.journal_intend_many(Some(run), &[entry])?[0])
}

/// MiCollab applied it (it answered so), replacing `overridden` users' own settings.
pub fn applied(
    store: &mut Store,
    run: RunId,
    entry: i64,
    edit: &StatusEdit,
    overridden: u64,
) -> Result<(), StoreError> {
    edit.finish(store, Some(run), entry, "applied", Some(overridden))
}

/// Whether a journal entry is a status edit (settled here, not by the sync).
pub fn is_status_edit(entry: &JournalEntry) -> bool {
    entry.system == SYSTEM && entry.action == ACTION
}

/// Settles the status edits of runs that are over, from the statuses MiCollab shows now:
/// `statuses` reads a profile's (by id), `None` when it cannot be read (settled by a later
/// run). Returns how many were closed.
pub async fn settle<F, R>(store: &mut Store, statuses: F) -> Result<usize, StoreError>
where
    F: Fn(String) -> R,
    R: Future<Output = Option<Vec<Status>>>,
{
    let entries = store.journal_unconfirmed()?;
    let (open, mut closed) = of_finished_runs::<StatusEdit>(store, entries, is_status_edit)?;
    for (entry, edit) in open {
        let run = entry.run_id.map(RunId);
        let Some(shown) = statuses(edit.profile_id.clone()).await else {
            continue;
        };
        match shown.iter().find(|s| s.name == edit.status) {
            Some(status) if edit.shows_in(status) => {
                edit.finish(store, run, entry.id, "settled: applied (read back)", None)?
            }
            _ => store.close_journal(&[(entry.id, "settled: not applied (read back)".into())])?,
        }
        if let Some(run) = run {
            store.close_interrupted_run(run)?;
        }
        closed += 1;
    }
    Ok(closed)
}
