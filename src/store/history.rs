//! Run history, the audit trail of every change, and the write journal.

use super::db::{Batch, OptionalExtension, Transaction, params};
use chrono::{DateTime, Utc};

const GRAPH_LIMIT_UNTIL: &str = "graph_rate_limit_until";
/// The Entra tenant's id as its tokens name it (`tid`), whatever name the config gives it.
const TENANT_ID: &str = "tenant_tid";

pub(super) fn recorded_tenant_tid(
    conn: &super::db::Connection,
) -> super::db::Result<Option<String>> {
    conn.query_row(
        "SELECT value FROM meta WHERE key = ?1",
        params![TENANT_ID],
        |r| r.get::<_, String>(0),
    )
    .optional()
}
use serde::Serialize;

use super::{Store, StoreError};

/// The id of a run in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RunId(pub i64);

/// One change mcteams made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub run_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub object_type: String,
    pub object_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// One change to record in the audit trail: `field` of `object_type` `object_id`,
/// `old` -> `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditChange<'a> {
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

/// A write about to be sent, as the journal records it before sending: for `login` (or an
/// admin change's object), to `system`, `action` with its `payload`.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    pub login: String,
    pub system: &'static str,
    pub action: &'static str,
    pub payload: serde_json::Value,
}

impl Intent {
    pub fn new(
        login: impl Into<String>,
        system: &'static str,
        action: &'static str,
        payload: serde_json::Value,
    ) -> Intent {
        Intent {
            login: login.into(),
            system,
            action,
            payload,
        }
    }
}

/// A write recorded before it was sent; `confirmed_at` is set once its outcome is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    pub id: i64,
    pub run_id: Option<i64>,
    pub micollab_login: String,
    pub system: String,
    pub action: String,
    pub payload: String,
    pub intended_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    /// A later write for the same user and system that was confirmed applied: what the
    /// system shows is that one's, so this entry has nothing left to settle.
    pub superseded_by: Option<i64>,
}

pub(super) fn audit(
    tx: &Transaction<'_>,
    run: Option<RunId>,
    at: DateTime<Utc>,
    change: &AuditChange<'_>,
) -> super::db::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (run_id, at, object_type, object_id, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        run.map(|r| r.0),
        at,
        change.object_type,
        change.object_id,
        change.field,
        change.old,
        change.new
    ])?;
    Ok(())
}

impl Store {
    /// Starts a run in the history (who, where, what command).
    pub fn begin_run(&mut self, command: &str) -> Result<RunId, StoreError> {
        let host = gethostname::gethostname().to_string_lossy().into_owned();
        let pid = std::process::id();
        self.write(|tx| {
            let id = tx.query_row(
                "INSERT INTO runs (command, host, pid, started_at) VALUES (?1, ?2, ?3, ?4)
                 RETURNING id",
                params![command, host, pid, Utc::now()],
                |r| r.get(0),
            )?;
            Ok(RunId(id))
        })
    }

    /// Until when the last run took Graph's rate limit (see [`Store::set_graph_limit_until`]).
    /// The tenant id (`tid`) a run of this estate recorded, if any has.
    pub fn tenant_tid(&self) -> Result<Option<String>, StoreError> {
        recorded_tenant_tid(&self.conn).map_err(|e| self.err(e))
    }

    /// Records the tenant id Entra's token gave (once; nothing is written when it is known).
    pub fn record_tenant_tid(&mut self, tid: &str) -> Result<(), StoreError> {
        if self.tenant_tid()?.as_deref() == Some(tid) {
            return Ok(());
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![TENANT_ID, tid],
            )?;
            Ok(())
        })
    }

    pub fn graph_limit_until(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                params![GRAPH_LIMIT_UNTIL],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map(|value| {
                value.and_then(|v| DateTime::parse_from_rfc3339(&v).ok().map(|t| t.to_utc()))
            })
            .map_err(|e| self.err(e))
    }

    /// Records until when this run has taken Graph's rate limit, so the next run (another
    /// process) starts there: Graph counts its limit per app over a sliding window.
    pub fn set_graph_limit_until(&mut self, until: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![GRAPH_LIMIT_UNTIL, until.to_rfc3339()],
            )?;
            Ok(())
        })
    }

    /// Starts a sync run holding the sync lease, and closes out the sync runs an earlier
    /// holder left open ([`Store::close_interrupted_runs`]).
    pub fn begin_leased_run(&mut self, command: &str) -> Result<RunId, StoreError> {
        let run = self.begin_run(command)?;
        self.close_interrupted_runs(Some(run))?;
        Ok(run)
    }

    /// Whether `run` is over: finished, or its process is gone (on this host), or it began
    /// over an hour ago (on another host, where its process cannot be seen).
    pub fn run_is_over(&self, run: RunId) -> Result<bool, StoreError> {
        /// Finished at, host, pid, started at.
        type RunRow = (Option<DateTime<Utc>>, String, u32, DateTime<Utc>);
        let row: Option<RunRow> = self
            .conn
            .query_row(
                "SELECT finished_at, host, pid, started_at FROM runs WHERE id = ?1",
                params![run.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((finished, host, pid, started)) = row else {
            return Ok(true);
        };
        Ok(finished.is_some()
            || if host == super::lease::this_host() {
                pid != std::process::id()
                    && super::lease::process_state(pid) == super::lease::Process::Gone
            } else {
                started < Utc::now() - chrono::Duration::hours(1)
            })
    }

    /// Closes a run that was interrupted (killed), so none stays open for good.
    pub fn close_interrupted_run(&mut self, run: RunId) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE runs SET finished_at = ?2, summary = '{\"outcome\":\"interrupted\"}'
                 WHERE id = ?1 AND finished_at IS NULL",
                params![run.0, Utc::now()],
            )?;
            Ok(())
        })
    }

    /// Closes out the sync runs before `current` that never finished (killed, or the host
    /// went down): they are recorded as interrupted, so no run stays open for good. Call it
    /// holding the sync lease: no other sync can be running.
    /// `None`: every open one, before this holder begins its own.
    pub fn close_interrupted_runs(&mut self, current: Option<RunId>) -> Result<usize, StoreError> {
        let before = current.map_or(i64::MAX, |run| run.0);
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE runs SET finished_at = ?2, summary = '{\"outcome\":\"interrupted\"}'
                 WHERE finished_at IS NULL AND id < ?1 AND command LIKE 'sync%'",
                params![before, Utc::now()],
            )?)
        })
    }

    pub fn finish_run(
        &mut self,
        run: RunId,
        exit_code: u8,
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE runs SET finished_at = ?2, exit_code = ?3, summary = ?4 WHERE id = ?1",
                params![run.0, Utc::now(), exit_code, summary.to_string()],
            )?;
            Ok(())
        })
    }

    /// Records a change made in another system (a profile flag, a status setting).
    pub fn record_change(
        &mut self,
        run: Option<RunId>,
        change: &AuditChange<'_>,
    ) -> Result<(), StoreError> {
        self.write(|tx| Ok(audit(tx, run, Utc::now(), change)?))
    }

    /// The newest changes first.
    pub fn audit_history(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT run_id, at, object_type, object_id, field, old_value, new_value
                 FROM audit ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![limit], |r| {
                Ok(AuditEntry {
                    run_id: r.get(0)?,
                    at: r.get(1)?,
                    object_type: r.get(2)?,
                    object_id: r.get(3)?,
                    field: r.get(4)?,
                    old_value: r.get(5)?,
                    new_value: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Records a batch of writes as intended, in one transaction, before any is sent;
    /// returns their ids in order.
    pub fn journal_intend_many(
        &mut self,
        run: Option<RunId>,
        entries: &[Intent],
    ) -> Result<Vec<i64>, StoreError> {
        self.journal_intend_leased(run, None, entries)
    }

    /// [`Store::journal_intend_many`] under `lease`: in the same transaction the lease is
    /// checked (a former holder's writes are refused, so never sent) and its epoch recorded
    /// with each entry.
    pub fn journal_intend_leased(
        &mut self,
        run: Option<RunId>,
        lease: Option<&super::Lease>,
        entries: &[Intent],
    ) -> Result<Vec<i64>, StoreError> {
        let now = super::time::SqlTime(Utc::now()).text();
        self.write(|tx| {
            if let Some(lease) = lease {
                Store::check_lease(tx, lease)?;
            }
            let epoch = lease.map(|l| l.epoch);
            let mut batch = Batch::new(
                tx,
                "INSERT INTO journal (run_id, micollab_login, system, action, payload, intended_at, epoch)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                true,
            )?;
            for e in entries {
                batch.push(params![
                    run.map(|r| r.0),
                    e.login,
                    e.system,
                    e.action,
                    e.payload.to_string(),
                    now,
                    epoch
                ])?;
            }
            Ok(batch.finish()?)
        })
    }

    /// This run's writes as the journal has them: (journaled before sending, of those not
    /// recorded as answered). Read only: it answers on a full disk too.
    pub fn run_writes(&self, run: RunId) -> Result<(u64, u64), StoreError> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(sum(confirmed_at IS NULL), 0) FROM journal
                 WHERE run_id = ?1",
                params![run.0],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.err(e))
    }

    /// How many writes are unconfirmed for each user that has any (for `report`).
    pub fn journal_open_by_login(
        &self,
    ) -> Result<std::collections::HashMap<String, usize>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT micollab_login, count(*) FROM journal WHERE confirmed_at IS NULL
                 GROUP BY micollab_login",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(&[], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Writes left unconfirmed (a crash between sending and recording), oldest first.
    pub fn journal_unconfirmed(&self) -> Result<Vec<JournalEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, run_id, micollab_login, system, action, payload, intended_at,
                        confirmed_at, outcome,
                        (SELECT max(later.id) FROM journal later
                          WHERE later.id > journal.id AND later.outcome = 'applied'
                            AND later.micollab_login = journal.micollab_login
                            AND later.system = journal.system)
                 FROM journal WHERE confirmed_at IS NULL ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(&[], |r| {
                Ok(JournalEntry {
                    id: r.get(0)?,
                    run_id: r.get(1)?,
                    micollab_login: r.get(2)?,
                    system: r.get(3)?,
                    action: r.get(4)?,
                    payload: r.get(5)?,
                    intended_at: r.get(6)?,
                    confirmed_at: r.get(7)?,
                    outcome: r.get(8)?,
                    superseded_by: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}
