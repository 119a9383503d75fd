//! The run lease: only one `sync` (or other exclusive run) at a time per store.
//!
//! A lease names its holder (host, pid, since), carries the epoch of its grant (one above
//! the last) and expires; a heartbeat of its own renews it, on its own connection, while the
//! holder runs — during backoff and long cycles too ([`Store::start_heartbeat`]). The holder
//! stops acting once its renew deadline passes on the monotonic clock (it may have been
//! paused, and others judge the lease by expiry), and at once when the heartbeat finds the
//! lease taken over.
//!
//! A lease is stale, and may be taken over, when its holder on this host is gone, or when its
//! holder elsewhere (or paused on this host) let it expire. A holder alive and running on
//! this host is never stale, whatever the clocks say.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaseHolder {
    pub host: String,
    pub pid: u32,
    pub since: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl fmt::Display for LeaseHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pid {} on {} since {}",
            self.pid,
            self.host,
            self.since.format("%Y-%m-%d %H:%M:%S UTC")
        )
    }
}

/// What the holder and its heartbeat share: whether the lease is still ours.
#[derive(Debug)]
struct Holding {
    lost: AtomicBool,
    /// Past this instant (monotonic) the holder no longer acts, until a renewal moves it.
    deadline: Mutex<Instant>,
}

/// A held lease. Release it when done; a crashed holder's lease goes stale by itself.
#[derive(Debug, Clone)]
pub struct Lease {
    pub name: String,
    token: String,
    /// This grant's epoch: one above the grant before it.
    pub epoch: i64,
    holding: Arc<Holding>,
}

impl Lease {
    /// Whether the holder may still act: the lease was not taken over, and its renew deadline
    /// has not passed. Checked right before sending.
    pub fn held(&self) -> bool {
        !self.holding.lost.load(Ordering::SeqCst)
            && Instant::now()
                < *self
                    .holding
                    .deadline
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the lease was found taken over by another run.
    pub fn lost(&self) -> bool {
        self.holding.lost.load(Ordering::SeqCst)
    }

    fn renewed(&self, deadline: Instant) {
        *self
            .holding
            .deadline
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = deadline;
    }

    fn mark_lost(&self) {
        self.holding.lost.store(true, Ordering::SeqCst);
    }

    /// The error of a run that may not act under this lease now (past its renew deadline,
    /// or taken over).
    pub fn not_held(&self) -> StoreError {
        StoreError::Conflict(format!(
            "this run no longer holds the {} lease (taken over, or not renewed in time): it sends nothing",
            self.name
        ))
    }

    /// Marks the lease lost, and says so with what it means for this run (`consequence`).
    pub(super) fn taken_over(&self, consequence: &str) -> StoreError {
        self.mark_lost();
        StoreError::Conflict(format!(
            "the {} lease was taken over by another run: {consequence}",
            self.name
        ))
    }
}

/// How soon a heartbeat tries again after a renewal failed (the store busy or locked): a
/// quarter beat, so a store locked for most of a beat still leaves tries before the deadline.
fn retry_after_failure(beat: Duration) -> Duration {
    (beat / 4).max(Duration::from_millis(50))
}

/// The renew deadline of a lease granted or renewed for `ttl`: two thirds of it, so a holder
/// stops acting well before others may take the lease over (as client-go's leader election
/// keeps its renew deadline inside the lease duration).
pub fn renew_deadline(ttl: Duration) -> Duration {
    ttl * 2 / 3
}

pub(super) fn this_host() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// What the process table says of a lease holder on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Process {
    Gone,
    /// Stopped (SIGSTOP, a debugger): alive, but not acting, so judged by its expiry.
    Paused,
    Running,
}

pub(super) fn process_state(pid: u32) -> Process {
    if !cfg!(target_os = "linux") {
        return Process::Paused; // Without a cheap check, rely on the expiry.
    }
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Process::Gone;
    };
    // The state follows the command name, which is in parentheses and may hold spaces.
    match stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next())
    {
        Some("Z" | "X") => Process::Gone,
        Some("T" | "t") => Process::Paused,
        _ => Process::Running,
    }
}

/// The lease tokens this process was granted and still holds. A row naming this process's
/// pid with a token not among them was written by a predecessor that had the same pid (a
/// container restarted as pid 1): its holder is gone, though the pid looks alive.
static HELD_HERE: std::sync::LazyLock<Mutex<std::collections::HashSet<String>>> =
    std::sync::LazyLock::new(Default::default);

fn held_here(token: &str) -> bool {
    HELD_HERE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .contains(token)
}

fn mark_held_here(token: &str, held: bool) {
    let mut tokens = HELD_HERE.lock().unwrap_or_else(|p| p.into_inner());
    if held {
        tokens.insert(token.to_string());
    } else {
        tokens.remove(token);
    }
}

impl LeaseHolder {
    /// Whether the lease may be taken over. On a shared (PostgreSQL) store, by its expiry
    /// alone, on the server's clock: the process table of this host says nothing of others.
    fn is_stale(&self, now: DateTime<Utc>, host: &str, token: &str, shared: bool) -> bool {
        let expired = self.expires_at <= now;
        if shared || self.host != host {
            return expired;
        }
        if self.pid == std::process::id() && !held_here(token) {
            return true;
        }
        // On this host the process table is the truth, not a clock that may have moved.
        match process_state(self.pid) {
            Process::Gone => true,
            Process::Paused => expired,
            Process::Running => false,
        }
    }
}

fn expiry(now: DateTime<Utc>, ttl: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX)
}

impl Store {
    /// The time leases are judged by: this host's clock for a file, the server's for a
    /// PostgreSQL store (hosts' clocks differ; the server's is the one all of them read).
    pub fn clock(&self) -> Result<DateTime<Utc>, StoreError> {
        if !self.is_shared() {
            return Ok(Utc::now());
        }
        let micros: i64 = self
            .conn
            .query_row(
                "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000000) AS BIGINT)",
                &[],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| StoreError::Conflict(format!("the store's clock reads {micros} µs")))
    }

    /// Takes the lease `name` for `ttl`, or says who holds it.
    pub fn acquire_lease(&mut self, name: &str, ttl: Duration) -> Result<Lease, StoreError> {
        let host = this_host();
        let pid = std::process::id();
        let token = uuid::Uuid::new_v4().to_string();
        let started = Instant::now();
        let now = self.clock()?;
        let expires = expiry(now, ttl);
        let shared = self.is_shared();
        let epoch = self.write(|tx| {
            let current = tx
                .query_row(
                    "SELECT holder_host, holder_pid, acquired_at, expires_at, token, epoch
                     FROM leases WHERE name = ?1",
                    params![name],
                    |r| {
                        let holder = LeaseHolder {
                            host: r.get(0)?,
                            pid: r.get(1)?,
                            since: r.get(2)?,
                            expires_at: r.get(3)?,
                        };
                        Ok((holder, r.get::<_, String>(4)?, r.get::<_, i64>(5)?))
                    },
                )
                .optional()?;
            let mut epoch = 1;
            if let Some((holder, held_token, last_epoch)) = current {
                epoch = last_epoch + 1;
                let free = held_token.is_empty();
                if !free && !holder.is_stale(now, &host, &held_token, shared) {
                    return Err(StoreError::LockHeld {
                        name: name.to_string(),
                        holder,
                    });
                }
                if !free {
                    tracing::warn!(lease = name, holder = %holder, "taking over a stale lease");
                }
            }
            tx.execute(
                "INSERT INTO leases (name, token, holder_host, holder_pid, acquired_at, expires_at, epoch)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (name) DO UPDATE SET token = excluded.token,
                     holder_host = excluded.holder_host, holder_pid = excluded.holder_pid,
                     acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,
                     epoch = excluded.epoch",
                params![name, token, host, pid, now, expires, epoch],
            )?;
            Ok(epoch)
        })?;
        mark_held_here(&token, true);
        Ok(Lease {
            name: name.to_string(),
            token,
            epoch,
            holding: Arc::new(Holding {
                lost: AtomicBool::new(false),
                deadline: Mutex::new(started + renew_deadline(ttl)),
            }),
        })
    }

    /// Extends a held lease. Fails when it was taken over meanwhile (and marks it lost).
    pub fn renew_lease(&mut self, lease: &Lease, ttl: Duration) -> Result<(), StoreError> {
        let started = Instant::now();
        let expires = expiry(self.clock()?, ttl);
        let updated = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE leases SET expires_at = ?3 WHERE name = ?1 AND token = ?2",
                params![lease.name, lease.token, expires],
            )?)
        })?;
        if updated == 0 {
            lease.mark_lost();
            return Err(StoreError::Conflict(format!(
                "the {} lease was taken over by another run",
                lease.name
            )));
        }
        lease.renewed(started + renew_deadline(ttl));
        Ok(())
    }

    /// Fails unless `lease` is still the one granted (for a transaction that must not be
    /// written by a former holder: the journal of a cycle's writes).
    pub(super) fn check_lease(
        tx: &super::db::Transaction<'_>,
        lease: &Lease,
    ) -> Result<(), StoreError> {
        if !Store::still_granted(tx, lease)? {
            return Err(lease.taken_over("this run's writes are dropped unsent"));
        }
        Ok(())
    }

    /// Fails unless the store still grants `lease`, before writes that must not come from a
    /// former holder but have no transaction of their own to check it in.
    pub fn ensure_lease(&mut self, lease: &Lease) -> Result<(), StoreError> {
        if !lease.held() {
            return Err(lease.not_held());
        }
        let granted = self.write(|tx| Store::still_granted(tx, lease))?;
        if !granted {
            return Err(lease.taken_over("this run's records are left to it"));
        }
        Ok(())
    }

    /// Whether the store still grants `lease` (read in the caller's transaction).
    pub(super) fn still_granted(
        tx: &super::db::Transaction<'_>,
        lease: &Lease,
    ) -> Result<bool, StoreError> {
        let token: Option<String> = tx
            .query_row(
                "SELECT token FROM leases WHERE name = ?1",
                params![&lease.name],
                |r| r.get(0),
            )
            .optional()?;
        Ok(token.as_deref() == Some(lease.token.as_str()))
    }

    /// Gives the lease back (only if still ours); its row keeps the epoch count.
    pub fn release_lease(&mut self, lease: Lease) -> Result<(), StoreError> {
        mark_held_here(&lease.token, false);
        self.write(|tx| {
            tx.execute(
                "UPDATE leases SET token = '', expires_at = ?3 WHERE name = ?1 AND token = ?2",
                params![lease.name, lease.token, Utc::now()],
            )?;
            Ok(())
        })
    }

    /// Renews `lease` for `ttl` every third of it, on a connection and a thread of its own,
    /// until the returned heartbeat is dropped (or the lease is found taken over). A store
    /// too busy to renew is waited for a quarter beat at most, then tried again a quarter
    /// beat later; the holder stops acting once its renew deadline passes meanwhile.
    pub fn start_heartbeat(&self, lease: &Lease, ttl: Duration) -> Result<Heartbeat, StoreError> {
        let beat = (ttl / 3).max(Duration::from_millis(100));
        let mut store = self.second_connection(retry_after_failure(beat))?;
        let lease = lease.clone();
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("mcteams-lease".into())
            .spawn(move || {
                let (flag, wake) = &*stopped;
                let mut done = flag.lock().unwrap_or_else(|p| p.into_inner());
                let mut wait = beat;
                loop {
                    let (guard, _) = wake
                        .wait_timeout_while(done, wait, |stop| !*stop)
                        .unwrap_or_else(|p| p.into_inner());
                    done = guard;
                    if *done {
                        return;
                    }
                    wait = match store.renew_lease(&lease, ttl) {
                        Ok(()) => beat,
                        Err(StoreError::Conflict(why)) => {
                            tracing::error!("{why}: this run stops acting");
                            return;
                        }
                        // Sooner than a beat: two missed beats would pass the renew deadline.
                        Err(e) => {
                            tracing::warn!(error = %e, "could not renew the sync lease; trying again");
                            retry_after_failure(beat)
                        }
                    };
                }
            })
            .map_err(|cause| StoreError::Io {
                path: self.path().to_path_buf(),
                cause,
            })?;
        Ok(Heartbeat {
            stop,
            thread: Some(thread),
        })
    }
}

/// A lease's heartbeat; dropping it stops the renewals (the lease is then released or
/// left to expire).
pub struct Heartbeat {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        let (flag, wake) = &*self.stop;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A renewal that fails once (the store busy: waited for a quarter beat at most) leaves
    /// the heartbeat more tries before the holder must stop acting; a full beat's wait, or
    /// the store's usual 10 s busy timeout, would leave one or none.
    #[test]
    fn a_failed_renewal_is_tried_again_well_before_the_renew_deadline() {
        for ttl_s in [3, 60, 600] {
            let ttl = Duration::from_secs(ttl_s);
            let beat = ttl / 3;
            let left_after_a_failed_beat = renew_deadline(ttl) - beat;
            // Each try: the busy wait, then the pause before the next.
            let one_try = 2 * retry_after_failure(beat).as_millis();
            let tries = left_after_a_failed_beat.as_millis() / one_try;
            assert!(tries >= 2, "ttl {ttl_s}s: {tries} tries");
        }
    }
}
