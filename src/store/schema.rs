//! Schema versions. Each migration moves the store one version up; they run in order on
//! open, each in its own transaction, so an interrupted upgrade leaves a consistent store.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{StoreError, map_sqlite_error};

/// Migration `i` brings the store from version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE estate (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        tenant_id    TEXT NOT NULL,
        micollab     TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
    );

    -- MiCollab login <-> Teams user (UPN + Entra object id) <-> PBX extension <-> CloudLink user.
    -- removed_at marks a tombstone: kept until the sync has cleared what mcteams set.
    CREATE TABLE mappings (
        micollab_login     TEXT PRIMARY KEY,
        teams_upn          TEXT NOT NULL,
        teams_id           TEXT,
        extension          TEXT NOT NULL,
        cloudlink_user_id  TEXT,
        verified           INTEGER NOT NULL DEFAULT 0,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        removed_at         TEXT
    );
    CREATE UNIQUE INDEX mappings_live_upn ON mappings (lower(teams_upn)) WHERE removed_at IS NULL;
    CREATE UNIQUE INDEX mappings_live_extension ON mappings (extension) WHERE removed_at IS NULL;

    -- What mcteams last wrote for a user, and what it last saw.
    CREATE TABLE sync_records (
        micollab_login            TEXT PRIMARY KEY,
        graph_session             TEXT,
        graph_session_expires_at  TEXT,
        graph_written_at          TEXT,
        cloudlink_status          TEXT,
        cloudlink_activity        TEXT,
        cloudlink_version         TEXT,
        cloudlink_written_at      TEXT,
        cloudlink_based_on        TEXT,
        last_observed             TEXT,
        last_observed_hash        TEXT,
        last_observed_at          TEXT,
        last_success_at           TEXT,
        last_error                TEXT,
        last_error_at             TEXT
    );

    -- Every write is recorded as intended before it is sent, and confirmed after.
    CREATE TABLE journal (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id          INTEGER,
        micollab_login  TEXT NOT NULL,
        system          TEXT NOT NULL,
        action          TEXT NOT NULL,
        payload         TEXT NOT NULL,
        intended_at     TEXT NOT NULL,
        confirmed_at    TEXT,
        outcome         TEXT
    );
    CREATE INDEX journal_unconfirmed ON journal (id) WHERE confirmed_at IS NULL;

    CREATE TABLE runs (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        command      TEXT NOT NULL,
        host         TEXT NOT NULL,
        pid          INTEGER NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        exit_code    INTEGER,
        summary      TEXT
    );

    -- Every change mcteams made: when, what, old -> new.
    CREATE TABLE audit (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id       INTEGER,
        at           TEXT NOT NULL,
        object_type  TEXT NOT NULL,
        object_id    TEXT NOT NULL,
        field        TEXT NOT NULL,
        old_value    TEXT,
        new_value    TEXT
    );
    CREATE INDEX audit_object ON audit (object_type, object_id);

    -- Small facts of the whole store, e.g. when the last complete sync cycle ran.
    CREATE TABLE meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );

    -- CloudLink keys presentities by principal id; mappings hold the user id. Resolved once.
    CREATE TABLE cloudlink_principals (
        user_id       TEXT PRIMARY KEY,
        principal_id  TEXT NOT NULL,
        resolved_at   TEXT NOT NULL
    );

    CREATE TABLE leases (
        name         TEXT PRIMARY KEY,
        token        TEXT NOT NULL,
        holder_host  TEXT NOT NULL,
        holder_pid   INTEGER NOT NULL,
        acquired_at  TEXT NOT NULL,
        expires_at   TEXT NOT NULL
    );
    "#,
    // 2: a sync record carries the CloudLink principal id its user's presentity is read and
    // written by, so a sync reads it with the record instead of loading every resolved id
    // into a map first. It is written with the record (which a first sync writes anyway);
    // a user without it (new, or whose mapping moved to another CloudLink user: the import
    // clears it) is looked up in cloudlink_principals by the sync's read.
    r#"
    ALTER TABLE sync_records ADD COLUMN cloudlink_principal_id TEXT;
    UPDATE sync_records SET cloudlink_principal_id =
        (SELECT p.principal_id FROM mappings m
         JOIN cloudlink_principals p ON p.user_id = m.cloudlink_user_id
         WHERE m.micollab_login = sync_records.micollab_login);
    "#,
    // 3: every grant of a lease has an epoch, one above the last (a released lease keeps its
    // row, without a holder token, so the count goes on), and every journal entry records the
    // epoch of the grant it was written under.
    r#"
    ALTER TABLE leases ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE journal ADD COLUMN epoch INTEGER;
    "#,
    // 4: rollouts. Users an admin turned on through mcteams are an expected change, onboarded
    // without counting against the mass-change guard; the changes the guard holds in --watch
    // are a plan, approved with `sync approve`.
    r#"
    CREATE TABLE onboarding (
        micollab_login  TEXT PRIMARY KEY,
        since           TEXT NOT NULL,
        run_id          INTEGER,
        reason          TEXT NOT NULL
    );
    CREATE TABLE guard_plans (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        held_at       TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        changes       INTEGER NOT NULL,
        max_changes   INTEGER NOT NULL,
        users         TEXT NOT NULL,
        state         TEXT NOT NULL,
        approved_at   TEXT,
        approved_run  INTEGER,
        finished_at   TEXT
    );
    "#,
    // 5: settling asks, for each open journal entry, whether a later write for the same user
    // and system was applied: answered from this index, not by scanning the journal after it.
    r#"
    CREATE INDEX journal_applied_by_user ON journal (micollab_login, system, id)
        WHERE outcome = 'applied';
    "#,
    // 6: the two directions are two pipelines, each recording its own part of a user's row:
    // phone -> Teams keeps its observation and its error beside the Teams -> MiCollab ones
    // (last_observed*, last_error*), so neither pipeline's upsert overwrites the other's.
    r#"
    ALTER TABLE sync_records ADD COLUMN phone_observed TEXT;
    ALTER TABLE sync_records ADD COLUMN phone_observed_hash TEXT;
    ALTER TABLE sync_records ADD COLUMN phone_observed_at TEXT;
    ALTER TABLE sync_records ADD COLUMN phone_error TEXT;
    ALTER TABLE sync_records ADD COLUMN phone_error_at TEXT;
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses a store of a newer build, and a SQLite database of another program (a fresh store
/// is an empty file; anything else without our version is not ours).
pub(super) fn check_version(conn: &Connection, path: &Path, found: i64) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found == 0 {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| map_sqlite_error(path, e))?;
        if tables > 0 {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                detail: "a SQLite database of another program".into(),
            });
        }
    }
    Ok(())
}

pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let err = |e| map_sqlite_error(path, e);
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    check_version(conn, path, found)?;
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = from as i64 + 1;
        // Unchecked: the connection is shared, and a migration must hold the write lock.
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(err)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if now >= to {
            continue;
        }
        tx.execute_batch(sql).map_err(err)?;
        tx.pragma_update(None, "user_version", to).map_err(err)?;
        tx.commit().map_err(err)?;
        tracing::debug!(path = %path.display(), from, to, "migrated state store");
    }
    Ok(())
}
