//! The mapped users as a cycle holds them: only what reconcile and the write-back need, in
//! a compact form, because a cycle over a large estate holds 100,000 of them at once.

use std::sync::{Arc, Condvar, Mutex};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::records::{record_from_view, record_to_store};
use crate::reconcile::Record;
use crate::store::{RecordPart, Store, StoreError, SyncRecord, SyncUserView, UserKeys};

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

/// The mapped users, a slice at a time, as the store is read: one pipeline's share of one
/// read of the store (pipelines side by side share one read instead of each reading it).
pub struct Slices {
    receiver: mpsc::UnboundedReceiver<Result<Arc<Vec<User>>, Arc<StoreError>>>,
    pace: Arc<Pace>,
    /// This reader's place in `pace`, and how many slices it has taken.
    index: usize,
    taken: usize,
}

impl Slices {
    /// The next slice; `None` once the store has been read to the end. The last pipeline to
    /// take a slice gets it without a copy.
    pub async fn recv(&mut self) -> Option<Result<Vec<User>, StoreError>> {
        let slice = self.receiver.recv().await?;
        self.taken += 1;
        self.pace.took(self.index, Some(self.taken));
        Some(match slice {
            Ok(users) => Ok(Arc::unwrap_or_clone(users)),
            Err(e) => Err(Arc::try_unwrap(e).unwrap_or_else(|e| e.duplicate())),
        })
    }
}

impl Drop for Slices {
    fn drop(&mut self) {
        // A pipeline that ended early no longer paces the read.
        self.pace.took(self.index, None);
    }
}

/// How far each pipeline has taken the read: the store's reader stays at most `ahead` slices
/// ahead of the pipeline furthest along, so a pipeline held up by a slow system does not
/// hold up the other (its slices wait for it, shared), and at most twice that ahead of the
/// one furthest behind, so a first sync (one pipeline writing every user, the other done
/// quickly) never queues the whole estate.
struct Pace {
    /// Slices taken per pipeline; `None`: it stopped listening.
    taken: Mutex<Vec<Option<usize>>>,
    moved: Condvar,
}

impl Pace {
    fn took(&self, index: usize, taken: Option<usize>) {
        let mut all = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        all[index] = taken;
        self.moved.notify_all();
    }

    /// Waits until slice `slice` may be sent; `false` once no pipeline listens.
    fn wait_for_room(&self, slice: usize, ahead: usize) -> bool {
        let mut all = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match room(&all, slice, ahead) {
                Some(room) if room => return true,
                Some(_) => all = self.moved.wait(all).unwrap_or_else(|e| e.into_inner()),
                None => return false,
            }
        }
    }
}

/// Whether slice `slice` may be sent, given the slices each pipeline took (`None`: nobody
/// listens any more).
fn room(taken: &[Option<usize>], slice: usize, ahead: usize) -> Option<bool> {
    let live = taken.iter().flatten();
    let furthest = *live.clone().max()?;
    let behind = *live.min()?;
    Some(slice < furthest + ahead && slice < behind + 2 * ahead)
}

/// Every mapped user, by login, with its CloudLink principal id when resolved, in slices of
/// `per_slice`, read once on a blocking thread through a second connection and handed to
/// each of `readers` pipelines: the cycle reads the systems for the first slices while the
/// store is still being read. At most `ahead` slices wait unread by the pipeline furthest
/// along. A store error ends the stream.
pub fn stream(
    store: &Store,
    per_slice: usize,
    ahead: usize,
    readers: usize,
    only: Option<Arc<UserKeys>>,
) -> Result<Vec<Slices>, StoreError> {
    let reader = store.reader()?;
    let pace = Arc::new(Pace {
        taken: Mutex::new(vec![Some(0); readers]),
        moved: Condvar::new(),
    });
    let (senders, slices): (Vec<_>, Vec<_>) = (0..readers)
        .map(|index| {
            let (sender, receiver) = mpsc::unbounded_channel();
            let slices = Slices {
                receiver,
                pace: pace.clone(),
                index,
                taken: 0,
            };
            (sender, slices)
        })
        .unzip();
    let (per_slice, ahead) = (per_slice.max(1), ahead.max(1));
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let mut slice = Vec::with_capacity(per_slice);
        let mut sent = 0;
        let mut send = |read: Result<Vec<User>, StoreError>| {
            // The cycle stopped listening (it failed or was dropped): stop reading.
            if !pace.wait_for_room(sent, ahead) {
                return false;
            }
            sent += 1;
            let read = read.map(Arc::new).map_err(Arc::new);
            let mut listening = false;
            for sender in &senders {
                listening |= sender.send(read.clone()).is_ok();
            }
            listening
        };
        let mut open = true;
        let read = reader.visit_sync_users(only.as_deref(), |row| {
            slice.push(User::from_view(row));
            if slice.len() == per_slice {
                open = send(Ok(std::mem::replace(
                    &mut slice,
                    Vec::with_capacity(per_slice),
                )));
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
            send(last);
        }
    });
    Ok(slices)
}

/// [`stream`] for one pipeline.
pub fn stream_alone(
    store: &Store,
    per_slice: usize,
    ahead: usize,
    only: Option<Arc<UserKeys>>,
) -> Result<Slices, StoreError> {
    let mut slices = stream(store, per_slice, ahead, 1, only)?;
    Ok(slices.swap_remove(0))
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

#[cfg(test)]
mod tests {
    use super::room;

    #[test]
    fn the_read_keeps_pace_with_the_pipeline_furthest_along_within_a_bound() {
        // (slices taken per pipeline, slice to send, may it go); two in flight.
        type Case = (&'static [Option<usize>], usize, Option<bool>);
        let cases: [Case; 9] = [
            (&[Some(0)], 0, Some(true)),
            (&[Some(0)], 1, Some(true)),
            (&[Some(0)], 2, Some(false)),
            (&[Some(3), Some(3)], 4, Some(true)),
            (&[Some(3), Some(3)], 5, Some(false)),
            // One held up: the other goes on, up to four slices past the one behind.
            (&[Some(3), Some(0)], 3, Some(true)),
            (&[Some(3), Some(0)], 4, Some(false)),
            // One stopped listening: it no longer paces the read.
            (&[None, Some(5)], 6, Some(true)),
            (&[None, None], 0, None),
        ];
        for (taken, slice, expected) in cases {
            assert_eq!(room(taken, slice, 2), expected, "{taken:?} slice {slice}");
        }
    }
}
