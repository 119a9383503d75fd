//! The state store: mappings, sync records, the write journal, run history with its audit
//! trail, and the run lease. One SQLite file (WAL) by default; a PostgreSQL database when
//! several `sync --watch` instances share it ([`db`]).
//!
//! The schema is versioned (SQLite's `PRAGMA user_version`, a table on PostgreSQL);
//! migrations run on open. A store written by a newer mcteams, a file or database that is not
//! a store, or a store of another estate is refused before anything is written to it.

pub mod db;
mod history;
mod inspect;
mod lease;
mod maintenance;
mod mappings;
mod migrate;
mod records;
pub mod rollout;
mod schema;
mod time;
mod trail;
mod upsert;

use std::path::{Path, PathBuf};
use std::time::Duration;

use db::{Connection, OptionalExtension, PgTarget};

use crate::config::Estate;

pub use history::{AuditChange, AuditEntry, Intent, JournalEntry, RunId};
pub use inspect::{Inspection, in_the_way};
pub use lease::{Heartbeat, Lease, LeaseHolder};
pub use mappings::{MappingChange, RemoveOutcome};
pub use migrate::TableCount;
pub use records::{RecordPart, SyncRecord, SyncRecordView, SyncUserView, UserKeys};
pub use rollout::{HeldPlan, PlanState};
pub use schema::SCHEMA_VERSION;
pub use trail::{TrailEntry, TrailFilter};

/// How long a writer waits for another one before the store reports it busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "state file {path} is not an mcteams store ({detail}); point --state elsewhere or move the file away"
    )]
    NotAStore { path: PathBuf, detail: String },

    #[error(
        "state file {path} is damaged ({detail}); nothing was written to it. Restore it from a backup (`mcteams --state COPY state check` checks a copy first), or move it aside and import the mappings again"
    )]
    Damaged { path: PathBuf, detail: String },

    #[error(
        "state file {path} was written by a newer mcteams (schema {found}, this one knows up to {known}); upgrade mcteams"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "state file {path} belongs to another estate (tenant {stored_tenant}, MiCollab {stored_micollab}); \
         this config points at tenant {tenant}, MiCollab {micollab}. Use a separate --state for each estate"
    )]
    ForeignEstate {
        path: PathBuf,
        stored_tenant: String,
        stored_micollab: String,
        tenant: String,
        micollab: String,
    },

    #[error("another run holds the {name} lock: {holder}; try again when it has finished")]
    LockHeld { name: String, holder: LeaseHolder },

    #[error("state file {path} is busy (another process is writing to it); try again")]
    Busy { path: PathBuf },

    #[error(
        "{path} cannot be written ({detail}): give mcteams' user write access to the state file, its -wal and -shm files and its directory, on a filesystem mounted read-write"
    )]
    Unwritable { path: PathBuf, detail: String },

    #[error(
        "state file {path} could not be written: no space left on its device, or a failing disk ({detail}); free some space and run again (writes already sent are in the journal, settled by the next run)"
    )]
    NoSpace { path: PathBuf, detail: String },

    /// (`cause`, not `source`: the message already says it, and a chain would say it twice.)
    #[error("cannot use state file {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("state file {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("{0}")]
    Conflict(String),

    #[error(
        "state store {path} cannot be reached ({detail}); is PostgreSQL up and reachable from this host?"
    )]
    Unreachable { path: PathBuf, detail: String },

    #[error("state store {path}: {detail}")]
    Database { path: PathBuf, detail: String },
}

impl StoreError {
    /// The same error for a second reader of it (SQLite's and I/O's errors cannot be
    /// cloned): what it says and what kind of error it is are kept.
    pub fn duplicate(&self) -> StoreError {
        match self {
            StoreError::NotAStore { path, detail } => StoreError::NotAStore {
                path: path.clone(),
                detail: detail.clone(),
            },
            StoreError::Damaged { path, detail } => StoreError::Damaged {
                path: path.clone(),
                detail: detail.clone(),
            },
            StoreError::NewerSchema { path, found, known } => StoreError::NewerSchema {
                path: path.clone(),
                found: *found,
                known: *known,
            },
            StoreError::ForeignEstate {
                path,
                stored_tenant,
                stored_micollab,
                tenant,
                micollab,
            } => StoreError::ForeignEstate {
                path: path.clone(),
                stored_tenant: stored_tenant.clone(),
                stored_micollab: stored_micollab.clone(),
                tenant: tenant.clone(),
                micollab: micollab.clone(),
            },
            StoreError::Sqlite { .. } => StoreError::Conflict(self.to_string()),
            StoreError::LockHeld { name, holder } => StoreError::LockHeld {
                name: name.clone(),
                holder: holder.clone(),
            },
            StoreError::Busy { path } => StoreError::Busy { path: path.clone() },
            StoreError::Unwritable { path, detail } => StoreError::Unwritable {
                path: path.clone(),
                detail: detail.clone(),
            },
            StoreError::NoSpace { path, detail } => StoreError::NoSpace {
                path: path.clone(),
                detail: detail.clone(),
            },
            StoreError::Io { path, cause } => StoreError::Io {
                path: path.clone(),
                cause: std::io::Error::new(cause.kind(), cause.to_string()),
            },
            StoreError::Conflict(message) => StoreError::Conflict(message.clone()),
            StoreError::Unreachable { path, detail } => StoreError::Unreachable {
                path: path.clone(),
                detail: detail.clone(),
            },
            StoreError::Database { path, detail } => StoreError::Database {
                path: path.clone(),
                detail: detail.clone(),
            },
        }
    }
}

/// Where the store is: a SQLite file, or a PostgreSQL database.
#[derive(Debug, Clone)]
pub enum Location {
    File(PathBuf),
    Postgres(Box<PgTarget>),
}

/// An open store. Cheap to keep for a whole run; not shared between threads.
pub struct Store {
    conn: Connection,
    /// The file, or the PostgreSQL URL as shown: what messages name.
    path: PathBuf,
    /// Set for a PostgreSQL store: how to open more connections to it.
    postgres: Option<PgTarget>,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, migrating it to the current schema.
    /// With an `estate`, the store is bound to it on first use and refused for any other.
    pub fn open(path: &Path, estate: Option<&Estate>) -> Result<Store, StoreError> {
        let existed = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0);
        inspect::create_private(path)?;
        inspect::heal_companions(path);
        let conn = rusqlite::Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Store {
            conn: Connection::Sqlite(conn),
            path: path.to_path_buf(),
            postgres: None,
        };
        store.configure()?;
        if existed {
            inspect::check_undamaged(store.sqlite(), &store.path)?;
        }
        store.ready(estate)
    }

    /// Opens the store at `location`, as [`Store::open`] does a file.
    pub fn open_at(location: &Location, estate: Option<&Estate>) -> Result<Store, StoreError> {
        match location {
            Location::File(path) => Store::open(path, estate),
            Location::Postgres(target) => {
                Store::connect(target, BUSY_TIMEOUT, false)?.ready(estate)
            }
        }
    }

    /// A connection to the PostgreSQL store at `target`, waiting `busy_timeout` at most for
    /// another writer (SQLite's busy timeout: PostgreSQL's lock timeout), read-only when
    /// `read_only`.
    pub(super) fn connect(
        target: &PgTarget,
        busy_timeout: Duration,
        read_only: bool,
    ) -> Result<Store, StoreError> {
        let path = PathBuf::from(target.shown());
        let lock_timeout = busy_timeout.as_millis().max(1).to_string();
        let mut settings = vec![("lock_timeout", lock_timeout.as_str())];
        if read_only {
            settings.push(("default_transaction_read_only", "on"));
        }
        let conn = db::postgres::PgConnection::connect(target, &settings)
            .map_err(|e| map_sqlite_error(&path, e))?;
        Ok(Store {
            conn: Connection::Postgres(conn),
            path,
            postgres: Some(target.clone()),
        })
    }

    /// Migrates the open store and binds it to `estate`.
    fn ready(self, estate: Option<&Estate>) -> Result<Store, StoreError> {
        schema::migrate(&self.conn, &self.path)?;
        if let Some(estate) = estate {
            self.bind_estate(estate)?;
        }
        Ok(self)
    }

    /// Whether this store is a PostgreSQL database (shared by hosts) rather than a file.
    pub fn is_shared(&self) -> bool {
        self.postgres.is_some()
    }

    /// The SQLite connection of a file store (its file checks, pragmas and backups).
    fn sqlite(&self) -> &rusqlite::Connection {
        self.conn
            .sqlite()
            .expect("only a file store's SQLite is asked for")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second, read-only connection to this store, for reading on another thread while
    /// this one goes on (WAL lets it read beside a writer).
    pub fn reader(&self) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        if let Some(target) = &self.postgres {
            return Store::connect(target, BUSY_TIMEOUT, true);
        }
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| self.err(e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        Ok(Store {
            conn: Connection::Sqlite(conn),
            path: self.path.clone(),
            postgres: None,
        })
    }

    /// A second connection to this store that can write, for a thread of its own (the
    /// lease's heartbeat): the store is already open and migrated.
    pub(super) fn second_connection(&self, busy_timeout: Duration) -> Result<Store, StoreError> {
        if let Some(target) = &self.postgres {
            return Store::connect(target, busy_timeout.min(BUSY_TIMEOUT), false);
        }
        let conn = rusqlite::Connection::open(&self.path).map_err(|e| self.err(e))?;
        conn.busy_timeout(busy_timeout.min(BUSY_TIMEOUT))
            .map_err(|e| self.err(e))?;
        Ok(Store {
            conn: Connection::Sqlite(conn),
            path: self.path.clone(),
            postgres: None,
        })
    }

    /// Another connection that writes, for a second writer in this thread (each direction
    /// of `sync --watch` on its own pace): the writes of the two wait for each other only
    /// as long as one transaction.
    pub fn another_writer(&self) -> Result<Store, StoreError> {
        self.second_connection(BUSY_TIMEOUT)
    }

    /// Whether a [`Store::reader`] can go on reading while this connection writes (WAL).
    /// Without WAL a writer waits for every reader to finish, so writing while one's pass is
    /// still open would wait on it.
    pub fn reads_beside_writes(&self) -> Result<bool, StoreError> {
        if self.is_shared() {
            return Ok(true); // PostgreSQL's readers never wait for its writers.
        }
        let mode: String = self
            .sqlite()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(mode.eq_ignore_ascii_case("wal"))
    }

    fn configure(&self) -> Result<(), StoreError> {
        let conn = self.sqlite();
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        // The first real read tells whether this is a SQLite file at all.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::debug!(path = %self.path.display(), mode, "WAL not available for state file");
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        map_sqlite_error(&self.path, e)
    }

    /// Every row `sql` (no parameters) selects, each read by `from_row`.
    fn all_rows<T>(
        &self,
        sql: &str,
        from_row: impl FnMut(&db::Row<'_>) -> db::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(&[], from_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The estate recorded in the store, if any.
    pub fn estate(&self) -> Result<Option<Estate>, StoreError> {
        stored_estate(&self.conn).map_err(|e| self.err(e))
    }

    fn bind_estate(&self, estate: &Estate) -> Result<(), StoreError> {
        match self.estate()? {
            Some(stored) => match foreign_estate(&self.path, &stored, estate) {
                Some(foreign) => Err(foreign),
                None => Ok(()),
            },
            None => {
                self.conn
                    .execute(
                        "INSERT INTO estate (id, tenant_id, micollab, recorded_at) VALUES (1, ?1, ?2, ?3)",
                        db::params![estate.tenant_id, estate.micollab, chrono::Utc::now()],
                    )
                    .map_err(|e| self.err(e))?;
                Ok(())
            }
        }
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it lands or none.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&db::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let with_path = |e: StoreError| match e {
            StoreError::Sqlite { path: p, source } if p.as_os_str().is_empty() => {
                map_sqlite_error(&path, source)
            }
            other => other,
        };
        let tx = self
            .conn
            .transaction()
            .map_err(|e| map_sqlite_error(&path, e))?;
        let value = f(&tx).map_err(with_path)?;
        tx.commit().map_err(|e| map_sqlite_error(&path, e))?;
        Ok(value)
    }
}

/// The refusal of a store bound to `stored` for a config pointing at `estate`, if they
/// are not the same estate.
pub fn foreign_estate(path: &Path, stored: &Estate, estate: &Estate) -> Option<StoreError> {
    (!stored.same_as(estate)).then(|| StoreError::ForeignEstate {
        path: path.to_path_buf(),
        stored_tenant: stored.tenant_id.clone(),
        stored_micollab: stored.micollab.clone(),
        tenant: estate.tenant_id.clone(),
        micollab: estate.micollab.clone(),
    })
}

fn stored_estate(conn: &Connection) -> rusqlite::Result<Option<Estate>> {
    conn.query_row(
        "SELECT tenant_id, micollab FROM estate WHERE id = 1",
        &[],
        |r| {
            Ok(Estate {
                tenant_id: r.get(0)?,
                micollab: r.get(1)?,
            })
        },
    )
    .optional()
}

/// Inside a transaction the path is not at hand: `Store::write` fills it in.
impl From<rusqlite::Error> for StoreError {
    fn from(source: rusqlite::Error) -> Self {
        StoreError::Sqlite {
            path: PathBuf::new(),
            source,
        }
    }
}

/// Maps a SQLite error to the store error that explains it.
fn map_sqlite_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let path = path.to_path_buf();
    if let Some(failure) = db::failure(&e) {
        let detail = failure.detail.clone();
        return match failure.unreachable {
            true => StoreError::Unreachable { path, detail },
            false => StoreError::Database { path, detail },
        };
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore {
            path,
            detail: "not a SQLite database".into(),
        },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path,
            detail: e.to_string(),
        },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            StoreError::Busy { path }
        }
        // SQLite's own words name no file and no cause an admin can act on.
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => match inspect::in_the_way(&path) {
            Some((blocking, detail)) => StoreError::Unwritable {
                path: blocking,
                detail,
            },
            None => {
                let detail = match e.sqlite_error_code() {
                    Some(ErrorCode::CannotOpen) => {
                        "it cannot be opened or created: is its directory writable?"
                    }
                    _ => "read-only",
                };
                StoreError::Unwritable {
                    path,
                    detail: detail.to_string(),
                }
            }
        },
        Some(ErrorCode::DiskFull) | Some(ErrorCode::SystemIoFailure) => StoreError::NoSpace {
            path,
            detail: e.to_string(),
        },
        _ => StoreError::Sqlite { path, source: e },
    }
}

#[cfg(test)]
mod tests;
