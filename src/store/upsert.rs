//! Storing what a cycle came to: records (each writing only its part of the row), journal
//! outcomes, forgotten tombstones and the completion marker, in one transaction.

use super::db::{Batch, Transaction, params};
use chrono::{DateTime, Utc};

use super::records::{COLUMNS, LAST_COMPLETE_CYCLE, RecordPart, SyncRecord};
use super::time::sql_time;
use super::{Store, StoreError};

/// The columns each part updates in a row that exists; a new row is inserted whole (the
/// other part's columns are empty until its pipeline stores them). An observation without
/// its JSON keeps the stored one: a cycle serialises an observation only when it changed.
fn updated_columns(part: RecordPart) -> Vec<&'static str> {
    const SESSION: &[&str] = &[
        "graph_session",
        "graph_session_expires_at",
        "graph_written_at",
    ];
    const PRESENTITY: &[&str] = &[
        "cloudlink_status",
        "cloudlink_activity",
        "cloudlink_version",
        "cloudlink_written_at",
        "cloudlink_based_on",
        "cloudlink_principal_id",
    ];
    const TEAMS_SEEN: &[&str] = &[
        "last_observed",
        "last_observed_hash",
        "last_observed_at",
        "last_success_at",
        "last_error",
        "last_error_at",
    ];
    const PHONE_SEEN: &[&str] = &[
        "phone_observed",
        "phone_observed_hash",
        "phone_observed_at",
        "last_success_at",
        "phone_error",
        "phone_error_at",
    ];
    match part {
        RecordPart::Whole => [SESSION, PRESENTITY, TEAMS_SEEN].concat(),
        RecordPart::Written => [SESSION, PRESENTITY].concat(),
        RecordPart::SessionWritten => SESSION.to_vec(),
        RecordPart::PresentityWritten => PRESENTITY.to_vec(),
        RecordPart::TeamsToMicollab => [PRESENTITY, TEAMS_SEEN].concat(),
        RecordPart::PhoneToTeams => [SESSION, PHONE_SEEN].concat(),
    }
}

fn upsert_sql(part: RecordPart) -> String {
    let set: Vec<String> = updated_columns(part)
        .iter()
        .map(|c| match *c {
            "last_observed" | "phone_observed" => {
                format!("{c} = coalesce(excluded.{c}, sync_records.{c})")
            }
            c => format!("{c} = excluded.{c}"),
        })
        .collect();
    format!(
        "INSERT INTO sync_records ({COLUMNS}, phone_observed, phone_observed_hash, \
         phone_observed_at, phone_error, phone_error_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?18, ?19, ?20, ?21)
         ON CONFLICT (micollab_login) DO UPDATE SET {}",
        set.join(", ")
    )
}

/// Each part's statement, built once (a first sync stores every user's row), in the order
/// [`RecordPart`] declares its parts.
static UPSERTS: std::sync::LazyLock<[String; 6]> = std::sync::LazyLock::new(|| {
    [
        RecordPart::Whole,
        RecordPart::Written,
        RecordPart::SessionWritten,
        RecordPart::PresentityWritten,
        RecordPart::TeamsToMicollab,
        RecordPart::PhoneToTeams,
    ]
    .map(upsert_sql)
});

/// Stores one row: the phone pipeline's observation and error go to its own columns.
fn upsert(batch: &mut Batch<'_>, r: &SyncRecord) -> super::db::Result<()> {
    let phone = r.part == RecordPart::PhoneToTeams;
    let (teams_seen, phone_seen) = if phone {
        (None, Some(r))
    } else {
        (Some(r), None)
    };
    batch.push(params![
        r.micollab_login,
        r.graph_session,
        sql_time(r.graph_session_expires_at),
        sql_time(r.graph_written_at),
        r.cloudlink_status,
        r.cloudlink_activity,
        r.cloudlink_version,
        sql_time(r.cloudlink_written_at),
        r.cloudlink_based_on,
        teams_seen.and_then(|r| r.last_observed.as_ref()),
        teams_seen.and_then(|r| r.last_observed_hash.as_ref()),
        sql_time(teams_seen.and_then(|r| r.last_observed_at)),
        sql_time(r.last_success_at),
        teams_seen.and_then(|r| r.last_error.as_ref()),
        sql_time(teams_seen.and_then(|r| r.last_error_at)),
        r.cloudlink_principal_id,
        phone_seen.and_then(|r| r.last_observed.as_ref()),
        phone_seen.and_then(|r| r.last_observed_hash.as_ref()),
        sql_time(phone_seen.and_then(|r| r.last_observed_at)),
        phone_seen.and_then(|r| r.last_error.as_ref()),
        sql_time(phone_seen.and_then(|r| r.last_error_at)),
    ])?;
    Ok(())
}

/// Stores `records`, each part's rows in a batch of their own.
fn store_records(tx: &Transaction<'_>, records: &[SyncRecord]) -> super::db::Result<()> {
    let mut batches: Vec<Option<Batch<'_>>> = UPSERTS.iter().map(|_| None).collect();
    for r in records {
        let part = r.part as usize;
        let batch = match &mut batches[part] {
            Some(batch) => batch,
            slot => slot.insert(Batch::new(tx, &UPSERTS[part], false)?),
        };
        upsert(batch, r)?;
    }
    for batch in batches.into_iter().flatten() {
        batch.finish()?;
    }
    Ok(())
}

impl Store {
    /// Records what journal entries came to, nothing else (writes never sent, refused, or
    /// settled without a record to change).
    pub fn close_journal(&mut self, outcomes: &[(i64, String)]) -> Result<(), StoreError> {
        self.finish_cycle(None, &[], outcomes, &[], None)
    }

    /// Stores records in one transaction.
    pub fn put_sync_records(&mut self, records: &[SyncRecord]) -> Result<(), StoreError> {
        self.finish_cycle(None, records, &[], &[], None)
    }

    /// The end of a sync cycle (or of one of its pipelines), in one transaction: the new
    /// records, the outcome of every journaled write, and the tombstones that have nothing
    /// left to clear. A crash before this leaves the journal entries open, to be settled on
    /// the next start.
    ///
    /// Under a `lease` another run took over, only the outcomes are kept (they say what this
    /// run sent); the records are the new holder's to write, and the call fails.
    pub fn finish_cycle(
        &mut self,
        lease: Option<&super::Lease>,
        records: &[SyncRecord],
        confirmations: &[(i64, String)],
        forget: &[String],
        complete_cycle_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let now = super::time::SqlTime(chrono::Utc::now()).text();
        let granted = self.write(|tx| {
            {
                let mut confirm = Batch::new(
                    tx,
                    "UPDATE journal SET confirmed_at = ?2, outcome = ?3 WHERE id = ?1",
                    false,
                )?;
                for (id, outcome) in confirmations {
                    confirm.push(params![id, now, outcome])?;
                }
                confirm.finish()?;
            }
            if let Some(lease) = lease
                && !Store::still_granted(tx, lease)?
            {
                return Ok(false);
            }
            store_records(tx, records)?;
            if let Some(at) = complete_cycle_at {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![LAST_COMPLETE_CYCLE, at],
                )?;
            }
            // Last, so a forgotten tombstone's record never comes back.
            for login in forget {
                tx.execute(
                    "DELETE FROM mappings WHERE micollab_login = ?1 AND removed_at IS NOT NULL",
                    params![login],
                )?;
                tx.execute(
                    "DELETE FROM sync_records WHERE micollab_login = ?1",
                    params![login],
                )?;
            }
            Ok(true)
        })?;
        match lease {
            Some(lease) if !granted => {
                Err(lease.taken_over("its records are left to the run that holds it"))
            }
            _ => Ok(()),
        }
    }
}
