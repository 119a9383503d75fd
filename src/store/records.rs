//! Per-user sync records: what mcteams last wrote to Graph and CloudLink, and what it saw.

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncRecord {
    pub micollab_login: String,
    /// "availability/activity" of mcteams' app session in Teams; `None` when it holds none.
    pub graph_session: Option<String>,
    pub graph_session_expires_at: Option<DateTime<Utc>>,
    pub graph_written_at: Option<DateTime<Utc>>,
    pub cloudlink_status: Option<String>,
    pub cloudlink_activity: Option<String>,
    pub cloudlink_version: Option<String>,
    pub cloudlink_written_at: Option<DateTime<Utc>>,
    /// The Teams observation the last presentity write was made from.
    pub cloudlink_based_on: Option<String>,
    /// The last observation of every side, as JSON (for `report --from-state`); left out
    /// (`None`) by [`Store::visit_sync_users`].
    pub last_observed: Option<String>,
    /// A digest of `last_observed`, so a cycle can tell a change without the JSON.
    pub last_observed_hash: Option<String>,
    /// Since when the observation has been as it is (it is stored only when it changes).
    pub last_observed_at: Option<DateTime<Utc>>,
    /// The last cycle that synchronized the user without error. Read back as the last
    /// complete cycle while the user has no error (so a cycle need not rewrite every user).
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// The CloudLink principal id the user's presentity is read and written by, as the
    /// cycle that wrote the record knew it.
    pub cloudlink_principal_id: Option<String>,
    /// Which columns storing this row writes ([`RecordPart`]).
    #[serde(skip)]
    pub part: RecordPart,
}

/// The columns of a user's row one writer owns. The two sync pipelines record a user at
/// once, each only its own direction, so neither writes over what the other just stored.
/// Read back, a row is one record: the phone pipeline's observation merged into the Teams
/// one, and the two errors joined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecordPart {
    /// Every column but the phone pipeline's own (a record built whole, as in tests).
    #[default]
    Whole,
    /// What mcteams wrote (session and presentity), not what a cycle saw: a record read
    /// back (merged) and stored again, by settling or a release.
    Written,
    /// The session alone, as settling a session write confirms it: the other direction's
    /// cycle may be storing the presentity meanwhile (`sync --watch`).
    SessionWritten,
    /// The presentity alone, as settling a presentity write confirms it.
    PresentityWritten,
    /// Teams -> MiCollab: the presentity written, its observation and error.
    TeamsToMicollab,
    /// Phone -> Teams: the session written, its observation (`phone_observed*`) and error
    /// (`phone_error*`), taken from the row's `last_observed*` and `last_error*` fields.
    PhoneToTeams,
}

impl SyncRecord {
    /// The record as a sync pass reads it (see [`Store::visit_sync_users`]).
    pub fn view(&self) -> SyncRecordView<'_> {
        SyncRecordView {
            graph_session: self.graph_session.as_deref(),
            graph_session_expires_at: self.graph_session_expires_at,
            graph_written_at: self.graph_written_at,
            cloudlink_status: self.cloudlink_status.as_deref(),
            cloudlink_activity: self.cloudlink_activity.as_deref(),
            cloudlink_version: self.cloudlink_version.as_deref(),
            cloudlink_written_at: self.cloudlink_written_at,
            cloudlink_based_on: self.cloudlink_based_on.as_deref(),
            last_observed_hash: self.last_observed_hash.as_deref(),
            last_observed_at: self.last_observed_at,
            last_success_at: self.last_success_at,
            has_error: self.last_error.is_some(),
            ..SyncRecordView::default()
        }
    }
}

pub(super) const COLUMNS: &str = "micollab_login, graph_session, graph_session_expires_at, graph_written_at, \
    cloudlink_status, cloudlink_activity, cloudlink_version, cloudlink_written_at, \
    cloudlink_based_on, last_observed, last_observed_hash, last_observed_at, last_success_at, \
    last_error, last_error_at, cloudlink_principal_id";

/// The columns as read: a user without an error was synchronized by the last complete cycle.
/// The phone pipeline's observation and error are merged into the Teams pipeline's, so a row
/// reads back as one record (observed as it is since the later of the two times).
fn select() -> String {
    format!(
        "SELECT micollab_login, graph_session, graph_session_expires_at, graph_written_at, \
         cloudlink_status, cloudlink_activity, cloudlink_version, cloudlink_written_at, \
         cloudlink_based_on, {MERGED_OBSERVATION}, last_observed_hash, \
         CASE WHEN phone_observed_at IS NULL THEN last_observed_at \
              WHEN last_observed_at IS NULL OR phone_observed_at > last_observed_at THEN phone_observed_at \
              ELSE last_observed_at END, \
         CASE WHEN last_error IS NULL AND phone_error IS NULL \
              THEN coalesce((SELECT value FROM meta WHERE key = '{LAST_COMPLETE_CYCLE}'), last_success_at) \
              ELSE last_success_at END, \
         CASE WHEN phone_error IS NULL THEN last_error \
              WHEN last_error IS NULL THEN phone_error \
              ELSE last_error || '; ' || phone_error END, \
         CASE WHEN phone_error_at IS NULL THEN last_error_at \
              WHEN last_error_at IS NULL OR phone_error_at > last_error_at THEN phone_error_at \
              ELSE last_error_at END, \
         cloudlink_principal_id FROM sync_records"
    )
}

/// Both pipelines' observations as one JSON object (the phone pipeline's keys win; each
/// pipeline stores only the keys it saw). Unreadable JSON is left as it is, for the reader
/// to report.
pub(super) const MERGED_OBSERVATION: &str = "CASE \
    WHEN phone_observed IS NULL OR NOT json_valid(phone_observed) THEN last_observed \
    WHEN last_observed IS NULL OR NOT json_valid(last_observed) THEN phone_observed \
    ELSE json_patch(last_observed, phone_observed) END";

pub(super) const LAST_COMPLETE_CYCLE: &str = "last_complete_cycle_at";

fn from_row(r: &Row<'_>) -> super::db::Result<SyncRecord> {
    record_at(r, 0)
}

/// A record from the row's columns `first..first + 16`, in [`COLUMNS`] order.
fn record_at(r: &Row<'_>, first: usize) -> super::db::Result<SyncRecord> {
    Ok(SyncRecord {
        micollab_login: r.get(first)?,
        graph_session: r.get(first + 1)?,
        graph_session_expires_at: time_at(r, first + 2)?,
        graph_written_at: time_at(r, first + 3)?,
        cloudlink_status: r.get(first + 4)?,
        cloudlink_activity: r.get(first + 5)?,
        cloudlink_version: r.get(first + 6)?,
        cloudlink_written_at: time_at(r, first + 7)?,
        cloudlink_based_on: r.get(first + 8)?,
        last_observed: r.get(first + 9)?,
        last_observed_hash: r.get(first + 10)?,
        last_observed_at: time_at(r, first + 11)?,
        last_success_at: time_at(r, first + 12)?,
        last_error: r.get(first + 13)?,
        last_error_at: time_at(r, first + 14)?,
        cloudlink_principal_id: r.get(first + 15)?,
        // Read back merged: stored again (settling, a release), it writes what mcteams
        // wrote, never the merge into the Teams pipeline's columns.
        part: RecordPart::Written,
    })
}

/// A stored time. rusqlite writes `2026-11-27 01:51:02.291321+00:00`: read by position
/// ([`stored_utc`]); any other form by RFC 3339 parsing, then rusqlite's own. A cycle reads
/// five per user.
fn time_at(r: &Row<'_>, index: usize) -> super::db::Result<Option<DateTime<Utc>>> {
    if let rusqlite::types::ValueRef::Text(text) = r.get_ref(index)? {
        if let Some(at) = stored_utc(text) {
            return Ok(Some(at));
        }
        if let Ok(at) = std::str::from_utf8(text)
            .map_err(|_| ())
            .and_then(|t| DateTime::parse_from_rfc3339(t).map_err(|_| ()))
        {
            return Ok(Some(at.with_timezone(&Utc)));
        }
    }
    r.get(index)
}

/// `YYYY-MM-DD HH:MM:SS[.fraction]+00:00` exactly (a fraction of 1 to 9 digits), the form
/// rusqlite writes a UTC time in; `None` for anything else, valid or not.
fn stored_utc(text: &[u8]) -> Option<DateTime<Utc>> {
    let (main, zone) = text.split_at_checked(text.len().checked_sub(6)?)?;
    let (clock, fraction) = main.split_at_checked(19)?;
    let shape_ok = zone == b"+00:00"
        && clock.iter().enumerate().all(|(i, &b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        number(&clock[0..4])? as i32,
        number(&clock[5..7])?,
        number(&clock[8..10])?,
    )?;
    let time = chrono::NaiveTime::from_hms_nano_opt(
        number(&clock[11..13])?,
        number(&clock[14..16])?,
        number(&clock[17..19])?,
        nanos,
    )?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn stored_times_read_by_position_or_left_to_the_general_parsers() {
        let utc = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let cases: &[(&str, Option<DateTime<Utc>>)] = &[
            (
                "2026-11-27 01:51:02.291321+00:00",
                Some(utc("2026-11-27T01:51:02.291321Z")),
            ),
            (
                "2026-11-27 01:51:02+00:00",
                Some(utc("2026-11-27T01:51:02Z")),
            ),
            (
                "2026-11-27 01:51:02.5+00:00",
                Some(utc("2026-11-27T01:51:02.5Z")),
            ),
            (
                "2026-11-27 01:51:02.123456789+00:00",
                Some(utc("2026-11-27T01:51:02.123456789Z")),
            ),
            (
                "2024-02-29 23:59:59.999+00:00",
                Some(utc("2024-02-29T23:59:59.999Z")),
            ),
            // Other forms are for the general parsers.
            ("2026-11-27T01:51:02Z", None),
            ("2026-11-27 01:51:02+01:00", None),
            ("2026-11-27 01:51:02.1234567891+00:00", None),
            ("2026-11-27 01:51:02.+00:00", None),
            ("2026-11-27 01:51:02,5+00:00", None),
            ("2026-11-27 1:51:02+00:00", None),
            ("2026-11-27 01:51:0x+00:00", None),
            ("2026-02-30 01:51:02+00:00", None),
            ("2026-11-27 24:00:00+00:00", None),
            ("+00:00", None),
            ("", None),
            ("2026-11-27 01:51:02.29\u{e9}+00:00", None),
        ];
        for (text, expected) in cases {
            assert_eq!(stored_utc(text.as_bytes()), *expected, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_time_rusqlite_writes_reads_back(seconds in 0i64..8_000_000_000, nanos in 0u32..1_000_000_000) {
            use rusqlite::ToSql;
            use rusqlite::types::{ToSqlOutput, Value, ValueRef};
            let at = DateTime::from_timestamp(seconds, nanos).unwrap();
            let written = match at.to_sql().unwrap() {
                ToSqlOutput::Owned(Value::Text(text)) => text,
                ToSqlOutput::Borrowed(ValueRef::Text(text)) => String::from_utf8(text.to_vec()).unwrap(),
                other => panic!("not text: {other:?}"),
            };
            proptest::prop_assert_eq!(stored_utc(written.as_bytes()), Some(at), "{}", written);
        }
    }
}

/// Which mapped users a targeted pass visits: those of these extensions (live mappings) or
/// of these logins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserKeys {
    pub extensions: Vec<String>,
    pub logins: Vec<String>,
}

impl UserKeys {
    /// The mappings of the keys: live ones by extension (through its index), any by login.
    const FILTER: &str =
        "WHERE (m.removed_at IS NULL AND m.extension IN (SELECT value FROM json_each(?1)))
        OR m.micollab_login IN (SELECT value FROM json_each(?2))";

    /// The rows of `stmt` (filtered by [`Self::FILTER`] with `only`).
    fn query<'s>(
        stmt: &'s mut super::db::Statement<'_>,
        only: Option<&UserKeys>,
    ) -> super::db::Result<super::db::Rows<'s>> {
        match only {
            None => stmt.query(&[]),
            Some(keys) => {
                let [extensions, logins] = keys.parameters();
                stmt.query(params![extensions, logins])
            }
        }
    }

    /// [`Self::FILTER`]'s parameters: the keys as JSON arrays.
    fn parameters(&self) -> [String; 2] {
        let json = |keys: &[String]| serde_json::to_string(keys).unwrap_or_default();
        [json(&self.extensions), json(&self.logins)]
    }
}

/// A JSON boolean as `json_extract` gives it: SQLite's 1 or 0, PostgreSQL's `true`.
fn json_true(value: rusqlite::types::ValueRef<'_>) -> bool {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Integer(i) => i != 0,
        ValueRef::Text(t) => t == b"true",
        _ => false,
    }
}

/// A mapped user as a sync pass reads it from the store: the mapping's targets and its sync
/// record if it has one. Borrowed from the row being read, so the visitor copies only what
/// it keeps (a cycle over 100,000 users would otherwise copy every field twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncUserView<'a> {
    pub micollab_login: &'a str,
    pub teams_id: Option<&'a str>,
    pub extension: &'a str,
    pub cloudlink_user_id: Option<&'a str>,
    /// What CloudLink keys the user's presentity by, once resolved: from the record, else
    /// from the resolved ids.
    pub cloudlink_principal_id: Option<&'a str>,
    /// The record holds that principal id (else it is stored with the record next time).
    pub principal_in_record: bool,
    /// A tombstone: removed, waiting for the sync to clear what mcteams set.
    pub removed: bool,
    pub record: Option<SyncRecordView<'a>>,
}

/// What a sync pass reads of a [`SyncRecord`]: all but the observation JSON and the error's
/// text and time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncRecordView<'a> {
    pub graph_session: Option<&'a str>,
    pub graph_session_expires_at: Option<DateTime<Utc>>,
    pub graph_written_at: Option<DateTime<Utc>>,
    pub cloudlink_status: Option<&'a str>,
    pub cloudlink_activity: Option<&'a str>,
    pub cloudlink_version: Option<&'a str>,
    pub cloudlink_written_at: Option<DateTime<Utc>>,
    pub cloudlink_based_on: Option<&'a str>,
    pub last_observed_hash: Option<&'a str>,
    pub last_observed_at: Option<DateTime<Utc>>,
    /// As [`SyncRecord::last_success_at`] reads back.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The Teams -> MiCollab pipeline's error.
    pub has_error: bool,
    /// The phone -> Teams pipeline's observation digest, since when, and whether it failed.
    pub phone_observed_hash: Option<&'a str>,
    pub phone_observed_at: Option<DateTime<Utc>>,
    pub has_phone_error: bool,
}

/// A text column as `&str` (NULL: `None`), borrowed from the row.
fn text_at<'r>(r: &'r Row<'_>, index: usize) -> super::db::Result<Option<&'r str>> {
    Ok(r.get_ref(index)?.as_str_or_null()?)
}

impl Store {
    pub fn sync_record(&self, login: &str) -> Result<Option<SyncRecord>, StoreError> {
        self.conn
            .query_row(
                &format!("{} WHERE micollab_login = ?1", select()),
                params![login],
                from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn sync_records(&self) -> Result<Vec<SyncRecord>, StoreError> {
        self.all_rows(&format!("{} ORDER BY micollab_login", select()), from_row)
    }

    /// Every mapping (tombstones included) with its record, by login, in one
    /// pass: `visit` sees each row as it is read, so the caller keeps only what it needs, and
    /// stops the pass by returning `false`.
    ///
    /// `only`: just the users of these extensions or logins (a targeted cycle), through the
    /// indexes rather than a pass over every mapping.
    pub fn visit_sync_users(
        &self,
        only: Option<&UserKeys>,
        mut visit: impl FnMut(SyncUserView<'_>) -> bool,
    ) -> Result<(), StoreError> {
        let filter = only.map_or("", |_| UserKeys::FILTER);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT m.micollab_login, m.teams_id, m.extension, m.cloudlink_user_id,
                        m.removed_at IS NOT NULL, r.micollab_login IS NOT NULL,
                        r.graph_session, r.graph_session_expires_at, r.graph_written_at,
                        r.cloudlink_status, r.cloudlink_activity, r.cloudlink_version,
                        r.cloudlink_written_at, r.cloudlink_based_on,
                        r.last_observed_hash, r.last_observed_at,
                        r.last_success_at, r.last_error IS NOT NULL,
                        coalesce(r.cloudlink_principal_id,
                                 (SELECT principal_id FROM cloudlink_principals
                                  WHERE user_id = m.cloudlink_user_id)),
                        r.cloudlink_principal_id IS NOT NULL,
                        r.phone_observed_hash, r.phone_observed_at, r.phone_error IS NOT NULL
                 FROM mappings m
                 LEFT JOIN sync_records r ON r.micollab_login = m.micollab_login
                 {filter}
                 ORDER BY m.micollab_login"
            ))
            .map_err(|e| self.err(e))?;
        // A user without an error was synchronized by the last complete cycle: one time for
        // all of them, parsed once.
        let last_complete_cycle = self.last_complete_cycle()?;
        let mut rows = UserKeys::query(&mut stmt, only).map_err(|e| self.err(e))?;
        let read = |r: &Row<'_>, visit: &mut dyn FnMut(SyncUserView<'_>) -> bool| {
            let record = if r.get(5)? {
                let has_error: bool = r.get(17)?;
                let has_phone_error: bool = r.get(22)?;
                Some(SyncRecordView {
                    graph_session: text_at(r, 6)?,
                    graph_session_expires_at: time_at(r, 7)?,
                    graph_written_at: time_at(r, 8)?,
                    cloudlink_status: text_at(r, 9)?,
                    cloudlink_activity: text_at(r, 10)?,
                    cloudlink_version: text_at(r, 11)?,
                    cloudlink_written_at: time_at(r, 12)?,
                    cloudlink_based_on: text_at(r, 13)?,
                    last_observed_hash: text_at(r, 14)?,
                    last_observed_at: time_at(r, 15)?,
                    last_success_at: match last_complete_cycle {
                        Some(at) if !has_error && !has_phone_error => Some(at),
                        _ => time_at(r, 16)?,
                    },
                    has_error,
                    phone_observed_hash: text_at(r, 20)?,
                    phone_observed_at: time_at(r, 21)?,
                    has_phone_error,
                })
            } else {
                None
            };
            Ok::<_, super::db::Error>(visit(SyncUserView {
                micollab_login: r.get_ref(0)?.as_str()?,
                teams_id: text_at(r, 1)?,
                extension: r.get_ref(2)?.as_str()?,
                cloudlink_user_id: text_at(r, 3)?,
                cloudlink_principal_id: text_at(r, 18)?,
                principal_in_record: r.get(19)?,
                removed: r.get(4)?,
                record,
            }))
        };
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            if !read(&row, &mut visit).map_err(|e| self.err(e))? {
                break;
            }
        }
        Ok(())
    }

    fn last_complete_cycle(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                params![LAST_COMPLETE_CYCLE],
                |r| time_at(r, 0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// The Teams flags as the syncs last observed them, while the last complete cycle is
    /// younger than `max_age` (else none): what a cycle goes on with while MiCollab cannot be
    /// read.
    pub fn recent_flags(
        &self,
        now: DateTime<Utc>,
        max_age: std::time::Duration,
    ) -> Result<crate::ids::IdMap<bool>, StoreError> {
        let fresh = self
            .last_complete_cycle()?
            .is_some_and(|at| (now - at).to_std().unwrap_or_default() <= max_age);
        if !fresh {
            return Ok(crate::ids::IdMap::default());
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT micollab_login, json_extract(observed, '$.teams_enabled')
                     FROM (SELECT micollab_login, {MERGED_OBSERVATION} AS observed
                           FROM sync_records
                           WHERE last_error IS NULL AND phone_error IS NULL)
                     WHERE json_valid(observed)
                       AND json_extract(observed, '$.teams_enabled') IS NOT NULL"
            ))
            .map_err(|e| self.err(e))?;
        let flags = stmt
            .query_map(&[], |r| {
                Ok((r.get::<_, String>(0)?, json_true(r.get_ref(1)?)))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(flags)
    }

    /// CloudLink principal ids by user id, as resolved so far.
    pub fn cloudlink_principals(&self) -> Result<crate::ids::IdMap<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT user_id, principal_id FROM cloudlink_principals")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(&[], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    pub fn put_cloudlink_principals(
        &mut self,
        pairs: &[(String, String)],
    ) -> Result<(), StoreError> {
        let now = super::time::SqlTime(chrono::Utc::now()).text();
        self.write(|tx| {
            let mut batch = super::db::Batch::new(
                tx,
                "INSERT INTO cloudlink_principals (user_id, principal_id, resolved_at)
                 VALUES (?1, ?2, ?3) ON CONFLICT (user_id) DO UPDATE SET
                     principal_id = excluded.principal_id, resolved_at = excluded.resolved_at",
                false,
            )?;
            for (user, principal) in pairs {
                batch.push(params![user, principal, now])?;
            }
            batch.finish()?;
            Ok(())
        })
    }
}
