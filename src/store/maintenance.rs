//! The store looked after by its admin (`mcteams state`): SQLite's full integrity check, a
//! consistent copy taken while syncs run, and a new MiCollab address for a server that moved.

use std::path::Path;

use super::db::params;

use super::history::{AuditChange, RunId, audit};
use super::{Store, StoreError, map_sqlite_error};

impl Store {
    /// SQLite's full integrity check (every page, every index against its table): slower
    /// than the quick check each command runs on open, for `state check` and a backup.
    pub fn integrity(path: &Path) -> Result<(), StoreError> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| map_sqlite_error(path, e))?;
        let found: Vec<String> = conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| map_sqlite_error(path, e))?;
        match found.as_slice() {
            [ok] if ok == "ok" => Ok(()),
            problems => Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: format!("SQLite's integrity check: {}", problems.join("; ")),
            }),
        }
    }

    /// Copies the store to `dest`, a new file readable by its owner alone, as one consistent
    /// snapshot while other runs go on writing (SQLite's `VACUUM INTO`). Returns its size.
    pub fn backup_to(&self, dest: &Path) -> Result<u64, StoreError> {
        let io = |cause| StoreError::Io {
            path: dest.to_path_buf(),
            cause,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(dest).map_err(io)?;
        // An absolute path: SQLite would read a name starting `file:` as a URI.
        let absolute = std::path::absolute(dest).map_err(io)?;
        let copied = self
            .conn
            .execute("VACUUM INTO ?1", params![absolute.to_string_lossy()])
            .map_err(|e| map_sqlite_error(dest, e));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(dest);
            return Err(e);
        }
        std::fs::metadata(dest).map(|m| m.len()).map_err(io)
    }

    /// Binds the store to the MiCollab server at `micollab` (the same estate, moved), with
    /// its audit row, in one transaction.
    pub fn rebind_micollab(
        &mut self,
        micollab: &str,
        run: Option<RunId>,
    ) -> Result<(), StoreError> {
        let old = self.estate()?.map(|e| e.micollab);
        self.write(|tx| {
            tx.execute(
                "UPDATE estate SET micollab = ?1 WHERE id = 1",
                params![micollab],
            )?;
            let change = AuditChange {
                object_type: "estate",
                object_id: "micollab",
                field: "base_url",
                old: old.as_deref(),
                new: Some(micollab),
            };
            audit(tx, run, chrono::Utc::now(), &change)?;
            Ok(())
        })
    }
}
