//! Mappings in the store, with an audit row for every change.

use super::db::{OptionalExtension, Row, Transaction, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::history::{AuditChange, RunId, audit};
use super::{Store, StoreError};
use crate::mapping::Mapping;

const COLUMNS: &str = "micollab_login, teams_upn, teams_id, extension, cloudlink_user_id, \
                       verified, created_at, updated_at, removed_at";

fn from_row(r: &Row<'_>) -> super::db::Result<Mapping> {
    Ok(Mapping {
        micollab_login: r.get(0)?,
        teams_upn: r.get(1)?,
        teams_id: r.get(2)?,
        extension: r.get(3)?,
        cloudlink_user_id: r.get(4)?,
        verified: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        removed_at: r.get(8)?,
    })
}

/// What storing one mapping did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingChange {
    Created,
    Updated,
    Unchanged,
}

/// What removing one mapping did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoveOutcome {
    /// Gone, with its sync record: mcteams had nothing set for this user.
    Removed,
    /// Kept as a tombstone until the sync has cleared mcteams' app session.
    Tombstoned,
    NotFound,
}

impl Store {
    /// Live mappings ordered by login; with `include_removed`, tombstones too.
    pub fn list_mappings(&self, include_removed: bool) -> Result<Vec<Mapping>, StoreError> {
        let sql = if include_removed {
            format!("SELECT {COLUMNS} FROM mappings ORDER BY micollab_login")
        } else {
            format!(
                "SELECT {COLUMNS} FROM mappings WHERE removed_at IS NULL ORDER BY micollab_login"
            )
        };
        self.all_rows(&sql, from_row)
    }

    pub fn count_mappings(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM mappings WHERE removed_at IS NULL",
                &[],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Up to `limit` live mappings with an Entra object id after the mapping at `after` (a
    /// rowid; 0 for the first page), in rowid order, for a glance of `sync --watch`
    /// ([`crate::engine::glance_changed`]): each with its rowid, and whether it changed
    /// since `touched_since`.
    pub fn glance_page(
        &self,
        after: i64,
        limit: usize,
        touched_since: DateTime<Utc>,
    ) -> Result<Vec<(i64, crate::engine::GlancedUser)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid, micollab_login, teams_id, updated_at >= ?3 FROM mappings
                 WHERE rowid > ?1 AND removed_at IS NULL AND teams_id IS NOT NULL
                 ORDER BY rowid LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let since = super::time::SqlTime(touched_since);
        let rows = stmt
            .query_map(params![after, limit as i64, since], |r| {
                let user = crate::engine::GlancedUser {
                    login: r.get(1)?,
                    teams_id: r.get(2)?,
                    touched: r.get(3)?,
                };
                Ok((r.get(0)?, user))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// A mapping by MiCollab login, Teams UPN (any case), Entra object id or extension.
    pub fn find_mapping(&self, key: &str) -> Result<Option<Mapping>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM mappings
             WHERE micollab_login = ?1 OR lower(teams_upn) = lower(?1)
                OR lower(teams_id) = lower(?1) OR extension = ?1
             ORDER BY removed_at IS NOT NULL, micollab_login = ?1 DESC LIMIT 1"
        );
        self.conn
            .query_row(&sql, params![key], from_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Stores mappings in one transaction: all land or none. A mapping that only
    /// differs in bookkeeping is left as it is. A tombstone with the same login is revived.
    pub fn upsert_mappings(
        &mut self,
        mappings: &[Mapping],
        run: Option<RunId>,
    ) -> Result<Vec<MappingChange>, StoreError> {
        self.write(|tx| upsert_in(tx, mappings, run, Utc::now()))
    }

    /// Removes mappings in one transaction. A user for whom mcteams still holds an app
    /// session in Teams keeps a tombstone, so the sync can clear it.
    pub fn remove_mappings(
        &mut self,
        logins: &[String],
        run: Option<RunId>,
    ) -> Result<Vec<RemoveOutcome>, StoreError> {
        self.write(|tx| remove_in(tx, logins, run, Utc::now()))
    }

    /// An import: stores `mappings` and removes `prune` in one transaction.
    pub fn apply_import(
        &mut self,
        mappings: &[Mapping],
        prune: &[String],
        run: Option<RunId>,
    ) -> Result<(Vec<MappingChange>, Vec<RemoveOutcome>), StoreError> {
        let now = Utc::now();
        self.write(|tx| {
            let removed = remove_in(tx, prune, run, now)?;
            let changes = upsert_in(tx, mappings, run, now)?;
            Ok((changes, removed))
        })
    }
}

fn upsert_in(
    tx: &Transaction<'_>,
    mappings: &[Mapping],
    run: Option<RunId>,
    now: DateTime<Utc>,
) -> Result<Vec<MappingChange>, StoreError> {
    let select = format!("SELECT {COLUMNS} FROM mappings WHERE micollab_login = ?1");
    let mut changes = Vec::with_capacity(mappings.len());
    let mut olds = Vec::with_capacity(mappings.len());
    for m in mappings {
        let old = tx
            .prepare_cached(&select)?
            .query_row(params![m.micollab_login], from_row)
            .optional()?;
        let change = match &old {
            Some(old)
                if old.same_target(m) && old.removed_at.is_none() && old.verified == m.verified =>
            {
                MappingChange::Unchanged
            }
            Some(_) => MappingChange::Updated,
            None => MappingChange::Created,
        };
        changes.push(change);
        olds.push(old);
    }
    // Two passes: every changed row goes first, so mappings may swap a UPN or an extension
    // within one batch without tripping the unique indexes halfway.
    for ((m, change), old) in mappings.iter().zip(&changes).zip(&olds) {
        if *change == MappingChange::Updated {
            tx.prepare_cached("DELETE FROM mappings WHERE micollab_login = ?1")?
                .execute(params![m.micollab_login])?;
            // Moved to another CloudLink user: the principal id its record holds no longer
            // does. (A new mapping has no record: records go with their mapping.)
            if old.as_ref().map(|o| &o.cloudlink_user_id) != Some(&m.cloudlink_user_id) {
                tx.prepare_cached(
                    "UPDATE sync_records SET cloudlink_principal_id = NULL
                     WHERE micollab_login = ?1",
                )?
                .execute(params![m.micollab_login])?;
            }
        }
    }
    // Inserted by login: rows then lie in the file in the order a sync reads them (by login),
    // so a 100,000-user pass reads pages in sequence instead of at random.
    let mut by_login: Vec<usize> = (0..mappings.len()).collect();
    by_login.sort_by(|&a, &b| mappings[a].micollab_login.cmp(&mappings[b].micollab_login));
    for index in by_login {
        let (m, change, old) = (&mappings[index], &changes[index], &olds[index]);
        if *change == MappingChange::Unchanged {
            continue;
        }
        insert_audited(tx, m, old.as_ref(), run, now)?;
    }
    Ok(changes)
}

/// Writes one mapping (created, or replacing `old`) and its audit row.
fn insert_audited(
    tx: &Transaction<'_>,
    m: &Mapping,
    old: Option<&Mapping>,
    run: Option<RunId>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let created: DateTime<Utc> = old.map_or(now, |o| o.created_at);
    tx.prepare_cached(
        "INSERT INTO mappings (micollab_login, teams_upn, teams_id, extension,
             cloudlink_user_id, verified, created_at, updated_at, removed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)",
    )?
    .execute(params![
        m.micollab_login,
        m.teams_upn,
        m.teams_id,
        m.extension,
        m.cloudlink_user_id,
        m.verified,
        created,
        now
    ])
    .map_err(|e| conflict_or(e, m))?;
    let old_text = old.map(|o| o.csv_fields().join(","));
    let new_text = m.csv_fields().join(",");
    audit(
        tx,
        run,
        now,
        &AuditChange {
            object_type: "mapping",
            object_id: &m.micollab_login,
            field: "mapping",
            old: old_text.as_deref(),
            new: Some(&new_text),
        },
    )?;
    Ok(())
}

fn remove_in(
    tx: &Transaction<'_>,
    logins: &[String],
    run: Option<RunId>,
    now: DateTime<Utc>,
) -> Result<Vec<RemoveOutcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(logins.len());
    for login in logins {
        let live: Option<String> = tx
            .query_row(
                "SELECT teams_upn FROM mappings WHERE micollab_login = ?1 AND removed_at IS NULL",
                params![login],
                |r| r.get(0),
            )
            .optional()?;
        if live.is_none() {
            outcomes.push(RemoveOutcome::NotFound);
            continue;
        }
        let holds_session: bool = tx
            .query_row(
                "SELECT graph_session IS NOT NULL FROM sync_records WHERE micollab_login = ?1",
                params![login],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false);
        let outcome = if holds_session {
            tx.execute(
                "UPDATE mappings SET removed_at = ?2, updated_at = ?2 WHERE micollab_login = ?1",
                params![login, now],
            )?;
            RemoveOutcome::Tombstoned
        } else {
            tx.execute(
                "DELETE FROM mappings WHERE micollab_login = ?1",
                params![login],
            )?;
            tx.execute(
                "DELETE FROM sync_records WHERE micollab_login = ?1",
                params![login],
            )?;
            RemoveOutcome::Removed
        };
        let old = live.map(|upn| format!("{login} -> {upn}"));
        let change = AuditChange {
            object_type: "mapping",
            object_id: login,
            field: "mapping",
            old: old.as_deref(),
            new: None,
        };
        audit(tx, run, now, &change)?;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// A unique-index violation means another mapping already uses this UPN or extension.
fn conflict_or(e: rusqlite::Error, m: &Mapping) -> StoreError {
    if super::db::is_constraint_violation(&e) {
        StoreError::Conflict(format!(
            "mapping {}: Teams user {} or extension {} is already mapped to another login",
            m.micollab_login, m.teams_upn, m.extension
        ))
    } else {
        e.into()
    }
}
