//! The store's file as `doctor` looks at it (without creating, migrating or writing it), and
//! as a new one is created: readable by its owner only, since it holds who is who (UPNs,
//! extensions, the audit trail).

use std::path::{Path, PathBuf};

use rusqlite::OpenFlags;

use super::db::Connection;
use super::{StoreError, map_sqlite_error};
use crate::config::Estate;

/// What `doctor` found of an existing store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub schema: i64,
    pub mappings: i64,
    /// The file's permission bits (Unix).
    pub mode: Option<u32>,
    /// The estate it is bound to (`None`: not bound yet).
    pub estate: Option<Estate>,
    /// The tenant's id a run recorded (`tid`), if any has.
    pub tenant_tid: Option<String>,
}

impl Inspection {
    /// Others than its owner can read it (or write it).
    pub fn open_to_others(&self) -> bool {
        self.mode.is_some_and(|m| m & 0o077 != 0)
    }
}

impl super::Store {
    /// Looks at the store at `path` read-only: a store of this build or an older one
    /// (migrated on its next use), undamaged; its mapping count and permissions.
    pub fn inspect(path: &Path) -> Result<Inspection, StoreError> {
        if path.is_dir() {
            return Err(not_a_file(path));
        }
        let sqlite = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| map_sqlite_error(path, e))?;
        let err = |e| map_sqlite_error(path, e);
        let schema: i64 = sqlite
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let conn = Connection::Sqlite(sqlite);
        super::schema::check_version(&conn, path, schema)?;
        if let Some(sqlite) = conn.sqlite() {
            check_undamaged(sqlite, path)?;
        }
        let (mappings, estate, tenant_tid) = match schema {
            0 => (0, None, None),
            _ => (
                conn.query_row(
                    "SELECT count(*) FROM mappings WHERE removed_at IS NULL",
                    &[],
                    |r| r.get(0),
                )
                .map_err(err)?,
                super::stored_estate(&conn).map_err(err)?,
                super::history::recorded_tenant_tid(&conn).map_err(err)?,
            ),
        };
        Ok(Inspection {
            schema,
            mappings,
            mode: mode_of(path),
            estate,
            tenant_tid,
        })
    }
}

impl super::Store {
    /// Looks at the PostgreSQL store at `target` without creating or migrating it.
    pub fn inspect_shared(target: &super::PgTarget) -> Result<Inspection, StoreError> {
        let store = super::Store::connect(target, super::BUSY_TIMEOUT, true)?;
        let err = |e| store.err(e);
        let schema = super::schema::version(&store.conn).map_err(err)?;
        super::schema::check_version(&store.conn, &store.path, schema)?;
        if schema == 0 {
            return Ok(Inspection {
                schema,
                mappings: 0,
                mode: None,
                estate: None,
                tenant_tid: None,
            });
        }
        Ok(Inspection {
            schema,
            mappings: store.count_mappings()?,
            mode: None,
            estate: store.estate()?,
            tenant_tid: store.tenant_tid()?,
        })
    }
}

/// SQLite's quick check of every page: a store damaged by a bad disk or a copy taken
/// mid-write is refused before anything reads it as truth or writes beside the damage.
pub(super) fn check_undamaged(conn: &rusqlite::Connection, path: &Path) -> Result<(), StoreError> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| map_sqlite_error(path, e))?;
    if check != "ok" {
        return Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: format!("SQLite's check: {check}"),
        });
    }
    Ok(())
}

fn not_a_file(path: &Path) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        cause: std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory: the state path names the store's file (state.db), not its directory",
        ),
    }
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(_: &Path) -> Option<u32> {
    None
}

/// Creates the store's directory (its owner's only) and an empty store file readable by
/// its owner alone, if they are not there: SQLite gives the WAL and shared-memory files
/// the database file's permissions.
pub(super) fn create_private(path: &Path) -> Result<(), StoreError> {
    let io = |cause| StoreError::Io {
        path: path.to_path_buf(),
        cause,
    };
    if path.is_dir() {
        return Err(not_a_file(path));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(e)),
    }
}

/// The store's companion files (SQLite's WAL and shared memory).
fn companions(path: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// A WAL or shared-memory file left read-only beside a store that can be written again (the
/// store was made read-only, used, then made writable: SQLite created them with its mode then)
/// is given the store's mode, which SQLite would have given it: else every run fails on it.
pub(super) fn heal_companions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        if file_writable(path).is_err() {
            return;
        }
        for companion in companions(path) {
            if companion.exists() && file_writable(&companion).is_err() {
                let mode = std::fs::Permissions::from_mode(meta.permissions().mode() & 0o777);
                match std::fs::set_permissions(&companion, mode) {
                    Ok(()) => {
                        tracing::info!(file = %companion.display(), "gave the store's mode back to a file left read-only")
                    }
                    Err(e) => {
                        tracing::debug!(file = %companion.display(), error = %e, "cannot change its mode")
                    }
                }
            }
        }
    }
}

/// Which file stops the store from being written, and why: the store's file, its WAL or
/// shared memory, or its directory (where those are created). `None`: none that a probe finds.
pub fn in_the_way(path: &Path) -> Option<(PathBuf, String)> {
    let why = |e: std::io::Error, of: &Path| match e.raw_os_error() {
        Some(30) => "on a read-only filesystem".to_string(),
        _ if e.kind() == std::io::ErrorKind::PermissionDenied => match mode_of(of) {
            Some(mode) => format!("read-only for mcteams' user (mode {mode:04o})"),
            None => "read-only for mcteams' user".to_string(),
        },
        _ => e.to_string(),
    };
    match file_writable(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some((path.to_path_buf(), why(e, path))),
        Ok(()) => {}
    }
    for companion in companions(path) {
        if companion.exists()
            && let Err(e) = file_writable(&companion)
        {
            let reason = why(e, &companion);
            return Some((companion, reason));
        }
    }
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    if let Err(e) = directory_writable(path) {
        let reason = format!("the state file's directory: {}", why(e, &dir));
        return Some((dir, reason));
    }
    None
}

/// Whether a file can be created beside the store (its WAL and shared memory live there).
pub(super) fn directory_writable(path: &Path) -> Result<(), std::io::Error> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    let probe = dir.join(format!(".mcteams-doctor-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)?;
    std::fs::remove_file(&probe)
}

/// Whether the store's file can be opened for writing (nothing is written).
pub(super) fn file_writable(path: &Path) -> Result<(), std::io::Error> {
    std::fs::OpenOptions::new().write(true).open(path).map(drop)
}

#[cfg(all(test, unix))]
mod tests {
    use super::super::SCHEMA_VERSION;
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_store_is_its_owners_alone_and_an_old_one_open_to_others_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/state.db");
        let store = super::super::Store::open(&path, None).unwrap();
        drop(store);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let found = super::super::Store::inspect(&path).unwrap();
        assert_eq!((found.schema, found.mappings), (SCHEMA_VERSION, 0));
        assert!(!found.open_to_others());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            super::super::Store::inspect(&path)
                .unwrap()
                .open_to_others()
        );
        assert!(file_writable(&path).is_ok() && directory_writable(&path).is_ok());
    }

    #[test]
    fn a_damaged_store_is_called_damaged_with_the_way_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let mut store = super::super::Store::open(&path, None).unwrap();
        let mappings: Vec<_> = (0..2_000)
            .map(|i| {
                crate::test_support::mapping_at(
                    &format!("user{i}"),
                    &format!("user{i}@example.com"),
                    &format!("{}", 10_000 + i),
                    chrono::Utc::now(),
                )
            })
            .collect();
        store.upsert_mappings(&mappings, None).unwrap();
        drop(store);
        // Pages of the mappings' table and index overwritten, as a bad disk would.
        let mut bytes = std::fs::read(&path).unwrap();
        let len = bytes.len();
        for b in &mut bytes[len / 3..len / 3 + 16_384] {
            *b = 0x5a;
        }
        std::fs::write(&path, bytes).unwrap();
        let damaged = super::super::Store::inspect(&path).unwrap_err();
        assert!(matches!(damaged, StoreError::Damaged { .. }), "{damaged}");
        assert!(
            damaged.to_string().contains("Restore it from a backup"),
            "{damaged}"
        );
    }

    #[test]
    fn a_directory_a_foreign_file_or_a_newer_store_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let as_dir = super::super::Store::inspect(dir.path()).unwrap_err();
        assert!(as_dir.to_string().contains("it is a directory"), "{as_dir}");
        let text = dir.path().join("notes.db");
        std::fs::write(&text, "not a database at all, just some text to read").unwrap();
        let foreign = super::super::Store::inspect(&text).unwrap_err();
        assert!(matches!(foreign, StoreError::NotAStore { .. }), "{foreign}");
        let newer = dir.path().join("newer.db");
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let newer = super::super::Store::inspect(&newer).unwrap_err();
        assert!(matches!(newer, StoreError::NewerSchema { .. }), "{newer}");
    }
}
