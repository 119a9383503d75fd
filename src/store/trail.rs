//! The audit trail as `mcteams history` reads it: the admin changes the `audit` table holds
//! (mappings, profiles, users' checkboxes, statuses, approved plans: old -> new) and the
//! writes the journal holds (every presence write a sync sent, with its outcome), newest
//! first, in one list.

use super::db::params;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::time::sql_time;
use super::{Store, StoreError};

/// One line of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailEntry {
    pub at: DateTime<Utc>,
    pub run_id: Option<i64>,
    /// `change` (an admin change, from the audit table) or `write` (a sync's write).
    pub kind: String,
    /// What changed: `mapping alice`, `profile Sales`, `user alice`.
    pub object: String,
    /// The field changed, or the system and action written (`graph set_session`).
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// A write's outcome (`applied`, `failed: …`, `unconfirmed`); `None` for a change.
    pub outcome: Option<String>,
}

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct TrailFilter {
    pub since: Option<DateTime<Utc>>,
    pub run: Option<i64>,
    /// Only this object (a MiCollab login, a profile name, a plan id).
    pub object_id: Option<String>,
    pub limit: u32,
}

impl Store {
    /// The trail's entries that `filter` selects, newest first.
    pub fn trail(&self, filter: &TrailFilter) -> Result<Vec<TrailEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT at, run_id, 'change', object_type || ' ' || object_id, field,
                        old_value, new_value, NULL, id
                   FROM audit
                  WHERE (CAST(?1 AS TEXT) IS NULL OR at >= ?1)
                    AND (CAST(?2 AS BIGINT) IS NULL OR run_id = ?2)
                    AND (CAST(?3 AS TEXT) IS NULL OR object_id = ?3)
                 UNION ALL
                 SELECT intended_at, run_id, 'write', 'user ' || micollab_login,
                        system || ' ' || action, NULL, payload,
                        coalesce(outcome, 'unconfirmed'), id
                   FROM journal
                  WHERE (CAST(?1 AS TEXT) IS NULL OR intended_at >= ?1)
                    AND (CAST(?2 AS BIGINT) IS NULL OR run_id = ?2)
                    AND (CAST(?3 AS TEXT) IS NULL OR micollab_login = ?3)
                 ORDER BY 1 DESC, 9 DESC LIMIT ?4",
            )
            .map_err(|e| self.err(e))?;
        let since = sql_time(filter.since);
        let rows = stmt
            .query_map(
                params![since, filter.run, filter.object_id, filter.limit],
                |r| {
                    Ok(TrailEntry {
                        at: r.get(0)?,
                        run_id: r.get(1)?,
                        kind: r.get(2)?,
                        object: r.get(3)?,
                        what: r.get(4)?,
                        old: r.get(5)?,
                        new: r.get(6)?,
                        outcome: r.get(7)?,
                    })
                },
            )
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}
