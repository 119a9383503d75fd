//! The run lease: only one `sync` (or other exclusive run) at a time per store.
//!
//! A lease names its holder (host, pid, since) and expires; the holder renews it while it
//! runs. A lease whose holder is dead (same host, no such process) or that is past its
//! expiry is stale and may be taken over.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
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

/// A held lease. Release it when done; a crashed holder's lease goes stale by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub name: String,
    token: String,
}

fn this_host() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// Whether a process with this pid exists on this machine.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true // Without a cheap check, rely on the expiry.
    }
}

impl LeaseHolder {
    fn is_stale(&self, now: DateTime<Utc>, host: &str) -> bool {
        self.expires_at <= now || (self.host == host && !process_alive(self.pid))
    }
}

impl Store {
    /// Takes the lease `name` for `ttl`, or says who holds it.
    pub fn acquire_lease(&mut self, name: &str, ttl: Duration) -> Result<Lease, StoreError> {
        let host = this_host();
        let pid = std::process::id();
        let token = uuid::Uuid::new_v4().to_string();
        let now = Utc::now();
        let expires = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
        self.write(|tx| {
            let current = tx
                .query_row(
                    "SELECT holder_host, holder_pid, acquired_at, expires_at FROM leases WHERE name = ?1",
                    [name],
                    |r| {
                        Ok(LeaseHolder {
                            host: r.get(0)?,
                            pid: r.get(1)?,
                            since: r.get(2)?,
                            expires_at: r.get(3)?,
                        })
                    },
                )
                .optional()?;
            if let Some(holder) = current {
                if !holder.is_stale(now, &host) {
                    return Err(StoreError::LockHeld {
                        name: name.to_string(),
                        holder,
                    });
                }
                tracing::warn!(lease = name, holder = %holder, "taking over a stale lease");
            }
            tx.execute(
                "INSERT INTO leases (name, token, holder_host, holder_pid, acquired_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (name) DO UPDATE SET token = excluded.token,
                     holder_host = excluded.holder_host, holder_pid = excluded.holder_pid,
                     acquired_at = excluded.acquired_at, expires_at = excluded.expires_at",
                params![name, token, host, pid, now, expires],
            )?;
            Ok(Lease {
                name: name.to_string(),
                token: token.clone(),
            })
        })
    }

    /// Extends a held lease. Fails when it was taken over meanwhile.
    pub fn renew_lease(&mut self, lease: &Lease, ttl: Duration) -> Result<(), StoreError> {
        let expires = Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
        let updated = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE leases SET expires_at = ?3 WHERE name = ?1 AND token = ?2",
                params![lease.name, lease.token, expires],
            )?)
        })?;
        if updated == 0 {
            return Err(StoreError::Conflict(format!(
                "the {} lease was taken over by another run",
                lease.name
            )));
        }
        Ok(())
    }

    /// Gives the lease back (only if still ours).
    pub fn release_lease(&mut self, lease: Lease) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM leases WHERE name = ?1 AND token = ?2",
                params![lease.name, lease.token],
            )?;
            Ok(())
        })
    }
}
