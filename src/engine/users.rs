//! The mapped users as a cycle holds them: only what reconcile and the write-back need, in
//! a compact form, because a cycle over a large estate holds 100,000 of them at once.

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::records::{record_from_view, record_to_store};
use crate::reconcile::Record;
use crate::store::{RecordPart, Store, StoreError, SyncRecord, SyncUserView};

/// One mapped user (a tombstone included) and what the store remembers of it.
#[derive(Debug, Clone)]
pub struct User {
    pub login: String,
    pub teams_id: Option<String>,
    pub extension: String,
    pub cloudlink_user_id: Option<String>,
    /// The CloudLink principal id (what presentities are keyed by), once resolved.
    pub principal: Option<String>,
    /// The stored record holds `principal` (else the next row stored for the user does).
    pub principal_in_record: bool,
    pub tombstone: bool,
    pub stored: Option<Stored>,
}

/// A user's stored sync record, reduced to what a cycle compares and carries over.
#[derive(Debug, Clone)]
pub struct Stored {
    pub record: Record,
    pub success_at: Option<DateTime<Utc>>,
    /// What each pipeline last saw and whether it failed.
    pub teams_side: Seen,
    pub phone_side: Seen,
}

/// What one pipeline last recorded of a user.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    /// The digest of its last observation ([`super::digest`]).
    pub observed_hash: Option<u64>,
    pub observed_at: Option<DateTime<Utc>>,
    pub has_error: bool,
}

impl Stored {
    pub fn seen(&self, part: RecordPart) -> Seen {
        match part {
            RecordPart::PhoneToTeams => self.phone_side,
            _ => self.teams_side,
        }
    }
}

fn digest(hex: Option<&str>) -> Option<u64> {
    hex.and_then(|h| u64::from_str_radix(h, 16).ok())
}

impl User {
    fn from_view(row: SyncUserView<'_>) -> User {
        User {
            stored: row.record.map(|r| Stored {
                record: record_from_view(&r),
                success_at: r.last_success_at,
                teams_side: Seen {
                    observed_hash: digest(r.last_observed_hash),
                    observed_at: r.last_observed_at,
                    has_error: r.has_error,
                },
                phone_side: Seen {
                    observed_hash: digest(r.phone_observed_hash),
                    observed_at: r.phone_observed_at,
                    has_error: r.has_phone_error,
                },
            }),
            login: row.micollab_login.to_owned(),
            teams_id: row.teams_id.map(str::to_owned),
            extension: row.extension.to_owned(),
            cloudlink_user_id: row.cloudlink_user_id.map(str::to_owned),
            principal: row.cloudlink_principal_id.map(str::to_owned),
            principal_in_record: row.principal_in_record,
            tombstone: row.removed,
        }
    }
}

/// The mapped users, a slice at a time, as the store is read.
pub type Slices = mpsc::Receiver<Result<Vec<User>, StoreError>>;

/// Every mapped user, by login, with its CloudLink principal id when resolved, in slices of
/// `per_slice`, read on a blocking thread through a second connection: the cycle reads the
/// systems for the first slices while the store is still being read. At most `ahead` slices
/// wait unread. A store error ends the stream.
pub fn stream(store: &Store, per_slice: usize, ahead: usize) -> Result<Slices, StoreError> {
    let reader = store.reader()?;
    let (slices, receiver) = mpsc::channel(ahead.max(1));
    let per_slice = per_slice.max(1);
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let mut slice = Vec::with_capacity(per_slice);
        let mut open = true;
        let read = reader.visit_sync_users(|row| {
            slice.push(User::from_view(row));
            if slice.len() == per_slice {
                let full = std::mem::replace(&mut slice, Vec::with_capacity(per_slice));
                // The cycle stopped listening (it failed or was dropped): stop reading.
                open = slices.blocking_send(Ok(full)).is_ok();
            }
            open
        });
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "store read");
        let last = match read {
            Ok(()) if slice.is_empty() => return,
            Ok(()) => Ok(slice),
            Err(e) => Err(e),
        };
        if open {
            let _ = slices.blocking_send(last);
        }
    });
    Ok(receiver)
}

/// What one cycle saw of a user: the digest of the observation, and its JSON when it differs
/// from the stored one (the store keeps the JSON it has otherwise).
#[derive(Debug, Clone)]
pub struct Observation {
    pub hash: u64,
    pub json: Option<String>,
}

/// The row to store for a user after one pipeline's cycle (its part of the row), or `None`
/// when it would say nothing the stored one does not: a quiet cycle over 100,000 users
/// writes a handful of rows.
pub fn row_to_store(
    user: &User,
    part: RecordPart,
    record: &Record,
    observation: Observation,
    error: Option<String>,
    now: DateTime<Utc>,
) -> Option<SyncRecord> {
    let stored = user.stored.as_ref();
    let seen = stored.map(|s| s.seen(part));
    let principal_kept =
        part == RecordPart::PhoneToTeams || user.principal_in_record || user.principal.is_none();
    let unchanged = stored.is_some_and(|s| {
        observation.json.is_none()
            && error.is_none()
            && !s.seen(part).has_error
            && s.record == *record
            && principal_kept
    });
    if unchanged {
        return None;
    }
    let mut row = record_to_store(&user.login, record);
    row.part = part;
    row.cloudlink_principal_id = user.principal.clone();
    match (observation.json, seen) {
        (None, Some(seen)) => row.last_observed_at = seen.observed_at,
        (json, _) => {
            row.last_observed = json;
            row.last_observed_at = Some(now);
        }
    }
    row.last_observed_hash = Some(format!("{:016x}", observation.hash));
    row.last_success_at = stored.and_then(|s| s.success_at);
    if error.is_some() {
        row.last_error_at = Some(now);
    }
    row.last_error = error;
    Some(row)
}
