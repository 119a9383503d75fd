//! Opening a store: migrations, refusals, mappings written and audited.

use super::*;

#[test]
fn migrates_an_empty_file_to_the_current_schema() {
    let (_dir, store) = temp_store();
    let version: i64 = store
        .sqlite()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = store
        .sqlite()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Opening again is a no-op.
    let path = store.path().to_path_buf();
    drop(store);
    Store::open(&path, None).unwrap();
}

#[test]
fn refuses_a_store_from_a_newer_version() {
    let (_dir, store) = temp_store();
    store
        .sqlite()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let path = store.path().to_path_buf();
    drop(store);
    let err = Store::open(&path, None).err().unwrap();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("newer mcteams"), "{text}");
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert_eq!(err.exit_status(), ExitStatus::Config);
}

#[test]
fn refuses_another_estate_and_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    Store::open(&path, Some(&estate("contoso"))).unwrap();
    Store::open(&path, Some(&estate("contoso"))).unwrap();
    // Commands without a config (no estate) may still read it.
    Store::open(&path, None).unwrap();
    let err = Store::open(&path, Some(&estate("fabrikam"))).err().unwrap();
    let text = err.to_string();
    assert!(text.contains("another estate"), "{text}");
    assert!(
        text.contains("contoso") && text.contains("fabrikam"),
        "{text}"
    );
    let store = Store::open(&path, None).unwrap();
    assert_eq!(store.estate().unwrap(), Some(estate("contoso")));
}

#[test]
fn refuses_files_that_are_not_stores() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x42u8; 8192]).unwrap();
    let err = Store::open(&garbage, None).err().unwrap();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");

    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(conn);
    let err = Store::open(&other, None).err().unwrap();
    assert!(err.to_string().contains("another program"), "{err}");
}

#[test]
fn upserts_are_idempotent_and_audited() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let batch = vec![
            mapping("alice", "alice@contoso.com", "1001"),
            mapping("bob", "bob@contoso.com", "1002"),
        ];
        let changes = store.upsert_mappings(&batch, None).unwrap();
        assert_eq!(
            changes,
            vec![MappingChange::Created, MappingChange::Created]
        );
        let changes = store.upsert_mappings(&batch, None).unwrap();
        assert_eq!(
            changes,
            vec![MappingChange::Unchanged, MappingChange::Unchanged]
        );
        let mut moved = batch[0].clone();
        moved.extension = "1009".into();
        assert_eq!(
            store.upsert_mappings(&[moved], None).unwrap(),
            vec![MappingChange::Updated]
        );
        assert_eq!(store.audit_history(10).unwrap().len(), 3);
        assert_eq!(
            store
                .find_mapping("ALICE@contoso.com")
                .unwrap()
                .unwrap()
                .extension,
            "1009"
        );
        assert_eq!(
            store.find_mapping("1002").unwrap().unwrap().micollab_login,
            "bob"
        );
    });
}

#[test]
fn a_conflicting_batch_lands_nothing() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        store
            .upsert_mappings(&[mapping("alice", "alice@contoso.com", "1001")], None)
            .unwrap();
        let batch = vec![
            mapping("carol", "carol@contoso.com", "1003"),
            mapping("dave", "ALICE@contoso.com", "1004"),
        ];
        let err = store.upsert_mappings(&batch, None).unwrap_err();
        assert!(err.to_string().contains("already mapped"), "{err}");
        assert_eq!(store.count_mappings().unwrap(), 1);
        assert!(store.find_mapping("carol").unwrap().is_none());
    });
}

#[test]
fn removal_keeps_a_tombstone_while_a_session_is_held() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        store
            .upsert_mappings(
                &[
                    mapping("alice", "alice@contoso.com", "1001"),
                    mapping("bob", "bob@contoso.com", "1002"),
                ],
                None,
            )
            .unwrap();
        store
            .put_sync_records(&[SyncRecord {
                micollab_login: "alice".into(),
                graph_session: Some("Busy/InACall".into()),
                ..Default::default()
            }])
            .unwrap();
        let outcomes = store
            .remove_mappings(&["alice".into(), "bob".into(), "nobody".into()], None)
            .unwrap();
        assert_eq!(
            outcomes,
            vec![
                RemoveOutcome::Tombstoned,
                RemoveOutcome::Removed,
                RemoveOutcome::NotFound
            ]
        );
        assert!(store.list_mappings(false).unwrap().is_empty());
        let all = store.list_mappings(true).unwrap();
        assert_eq!(all.len(), 1);
        assert!(all[0].removed_at.is_some());
        // A removed extension can be mapped again right away.
        store
            .upsert_mappings(&[mapping("erin", "erin@contoso.com", "1001")], None)
            .unwrap();
    });
}

#[test]
fn sqlites_failures_name_the_file_and_a_cause_an_admin_can_act_on() {
    use rusqlite::ffi;
    let path = std::path::Path::new("/var/lib/mcteams/state.db");
    let failure = |code: i32| {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some("sqlite's text".into()))
    };
    // (SQLite's extended code, the exit code, words the message must have)
    let cases = [
        (ffi::SQLITE_READONLY, 78, "cannot be written (read-only)"),
        (ffi::SQLITE_CANTOPEN, 78, "is its directory writable?"),
        (ffi::SQLITE_FULL, 75, "no space left"),
        (4874, 75, "no space left"), // SQLITE_IOERR_SHMSIZE: what a full disk gave
        (ffi::SQLITE_CORRUPT, 78, "is damaged"),
        (ffi::SQLITE_BUSY, 75, "is busy"),
    ];
    for (code, exit, words) in cases {
        let e = super::super::map_sqlite_error(path, failure(code));
        let said = e.to_string();
        assert!(
            said.contains("/var/lib/mcteams/state.db") && said.contains(words),
            "{code}: {said}"
        );
        let status = crate::exit::status_of(&anyhow::Error::new(e));
        assert_eq!(status.code(), exit, "{code}: {said}");
    }
}
