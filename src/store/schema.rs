//! Schema versions. Each migration moves the store one version up; they run in order on
//! open, each in its own transaction, so an interrupted upgrade leaves a consistent store.

use std::path::Path;

use super::db::{self, Connection};
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

/// PostgreSQL's migrations, each with the version it brings a store to. PostgreSQL stores
/// begin at version 6, SQLite's schema of that version in PostgreSQL's types (`COLLATE "C"`
/// so text, times included, sorts by byte as in SQLite; `rowid` kept as a column for the
/// glance's paging). A later migration is added to both lists.
pub(super) const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[(
    6,
    r#"
    CREATE TABLE mcteams_schema (version BIGINT NOT NULL);
    INSERT INTO mcteams_schema (version) VALUES (0);
    CREATE TABLE estate (
        id BIGINT PRIMARY KEY CHECK (id = 1), tenant_id TEXT NOT NULL, micollab TEXT NOT NULL,
        recorded_at TEXT NOT NULL);
    CREATE TABLE mappings (
        rowid BIGSERIAL UNIQUE, micollab_login TEXT PRIMARY KEY, teams_upn TEXT NOT NULL,
        teams_id TEXT, extension TEXT NOT NULL, cloudlink_user_id TEXT,
        verified BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        removed_at TEXT);
    CREATE UNIQUE INDEX mappings_live_upn ON mappings (lower(teams_upn)) WHERE removed_at IS NULL;
    CREATE UNIQUE INDEX mappings_live_extension ON mappings (extension) WHERE removed_at IS NULL;
    CREATE TABLE sync_records (
        micollab_login TEXT PRIMARY KEY, graph_session TEXT, graph_session_expires_at TEXT,
        graph_written_at TEXT, cloudlink_status TEXT, cloudlink_activity TEXT,
        cloudlink_version TEXT, cloudlink_written_at TEXT, cloudlink_based_on TEXT,
        last_observed TEXT, last_observed_hash TEXT, last_observed_at TEXT,
        last_success_at TEXT, last_error TEXT, last_error_at TEXT,
        cloudlink_principal_id TEXT, phone_observed TEXT, phone_observed_hash TEXT,
        phone_observed_at TEXT, phone_error TEXT, phone_error_at TEXT);
    CREATE TABLE journal (
        id BIGSERIAL PRIMARY KEY, run_id BIGINT, micollab_login TEXT NOT NULL,
        system TEXT NOT NULL, action TEXT NOT NULL, payload TEXT NOT NULL,
        intended_at TEXT NOT NULL, confirmed_at TEXT, outcome TEXT, epoch BIGINT);
    CREATE INDEX journal_unconfirmed ON journal (id) WHERE confirmed_at IS NULL;
    CREATE INDEX journal_applied_by_user ON journal (micollab_login, system, id)
        WHERE outcome = 'applied';
    CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY, command TEXT NOT NULL, host TEXT NOT NULL, pid BIGINT NOT NULL,
        started_at TEXT NOT NULL, finished_at TEXT, exit_code BIGINT, summary TEXT);
    CREATE TABLE audit (
        id BIGSERIAL PRIMARY KEY, run_id BIGINT, at TEXT NOT NULL, object_type TEXT NOT NULL,
        object_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT);
    CREATE INDEX audit_object ON audit (object_type, object_id);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cloudlink_principals (
        user_id TEXT PRIMARY KEY, principal_id TEXT NOT NULL, resolved_at TEXT NOT NULL);
    CREATE TABLE leases (
        name TEXT PRIMARY KEY, token TEXT NOT NULL, holder_host TEXT NOT NULL,
        holder_pid BIGINT NOT NULL, acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL,
        epoch BIGINT NOT NULL DEFAULT 0);
    CREATE TABLE onboarding (
        micollab_login TEXT PRIMARY KEY, since TEXT NOT NULL, run_id BIGINT, reason TEXT NOT NULL);
    CREATE TABLE guard_plans (
        id BIGSERIAL PRIMARY KEY, held_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        changes BIGINT NOT NULL, max_changes BIGINT NOT NULL, users TEXT NOT NULL,
        state TEXT NOT NULL, approved_at TEXT, approved_run BIGINT, finished_at TEXT);

    -- SQLite's JSON functions the store's SQL uses, so it is written once for both.
    CREATE FUNCTION json_valid(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $f$
    BEGIN
        PERFORM t::json;
        RETURN t IS NOT NULL;
    EXCEPTION WHEN others THEN
        RETURN false;
    END $f$;
    -- RFC 7396 for the flat objects the store keeps: b's keys over a's, b's nulls removed.
    CREATE FUNCTION json_patch(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
        SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)::text
        FROM jsonb_each(a::jsonb || b::jsonb)
        WHERE NOT (b::jsonb ? key AND b::jsonb -> key = 'null'::jsonb)
    $f$;
    -- A top-level member ('$.name') as text ('true', '42'); SQLite gives 1, 42.
    CREATE FUNCTION json_extract(t text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
        SELECT t::jsonb ->> substr(path, 3)
    $f$;
    CREATE FUNCTION json_each(t text) RETURNS TABLE (value text) LANGUAGE sql IMMUTABLE AS $f$
        SELECT json_array_elements_text(t::json)
    $f$;
    "#,
)];

/// PostgreSQL's DDL with every text column sorting by byte.
fn postgres_ddl(sql: &str) -> String {
    sql.replace(" TEXT", " TEXT COLLATE \"C\"")
}

/// The schema version of the store on `conn` (0: nothing of mcteams' there yet).
pub(super) fn version(conn: &Connection) -> db::Result<i64> {
    if conn.is_postgres() {
        let has_table: i64 = conn.query_row(
            "SELECT count(*) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'mcteams_schema'",
            &[],
            |r| r.get(0),
        )?;
        if has_table == 0 {
            return Ok(0);
        }
        return conn.query_row("SELECT version FROM mcteams_schema", &[], |r| r.get(0));
    }
    conn.query_row("PRAGMA user_version", &[], |r| r.get(0))
}

fn set_version(conn: &Connection, to: i64) -> db::Result<()> {
    match conn.sqlite() {
        Some(sqlite) => sqlite.pragma_update(None, "user_version", to),
        None => conn
            .execute("UPDATE mcteams_schema SET version = ?1", db::params![to])
            .map(drop),
    }
}

/// Refuses a store of a newer build, and a database of another program (a fresh store is an
/// empty file, or a PostgreSQL schema without tables; anything else without our version is
/// not ours).
pub(super) fn check_version(conn: &Connection, path: &Path, found: i64) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found == 0 {
        let (sql, detail) = match conn.is_postgres() {
            true => (
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                "a PostgreSQL schema with tables of another program",
            ),
            false => (
                "SELECT count(*) FROM sqlite_master",
                "a SQLite database of another program",
            ),
        };
        let tables: i64 = conn
            .query_row(sql, &[], |r| r.get(0))
            .map_err(|e| map_sqlite_error(path, e))?;
        if tables > 0 {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                detail: detail.into(),
            });
        }
    }
    Ok(())
}

/// The migrations of this store's backend, each with the version it brings the store to.
fn migrations(conn: &Connection) -> Vec<(i64, String)> {
    match conn.is_postgres() {
        true => POSTGRES_MIGRATIONS
            .iter()
            .map(|(to, sql)| (*to, postgres_ddl(sql)))
            .collect(),
        false => (1..)
            .zip(MIGRATIONS.iter().map(|sql| sql.to_string()))
            .collect(),
    }
}

pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let err = |e| map_sqlite_error(path, e);
    let found = version(conn).map_err(err)?;
    check_version(conn, path, found)?;
    for (to, sql) in migrations(conn).into_iter().filter(|(to, _)| *to > found) {
        // The write lock first (SQLite's IMMEDIATE, PostgreSQL's writer lock).
        let tx = conn.transaction().map_err(err)?;
        // Another process may have migrated while we waited for the lock.
        if version(&tx).map_err(err)? >= to {
            continue;
        }
        tx.execute_batch(&sql).map_err(err)?;
        set_version(&tx, to).map_err(err)?;
        tx.commit().map_err(err)?;
        tracing::debug!(path = %path.display(), to, "migrated state store");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_stores_reach_the_version_this_build_writes() {
        assert_eq!(
            POSTGRES_MIGRATIONS.last().map(|m| m.0),
            Some(SCHEMA_VERSION)
        );
    }
}
