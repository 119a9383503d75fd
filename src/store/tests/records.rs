//! The journal, sync records, principal ids, and each pipeline's part of a row.

use super::*;

#[test]
fn journal_entries_stay_open_until_confirmed() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let run = store.begin_run("sync").unwrap();
        let ids = store
            .journal_intend_many(
                Some(run),
                &[
                    crate::store::Intent::new(
                        "alice".to_string(),
                        "graph",
                        "set_presence",
                        serde_json::json!({"availability": "Busy"}),
                    ),
                    crate::store::Intent::new(
                        "bob".to_string(),
                        "graph",
                        "clear_presence",
                        serde_json::json!({}),
                    ),
                ],
            )
            .unwrap();
        let (a, b) = (ids[0], ids[1]);
        store
            .finish_cycle(None, &[], &[(a, "applied".to_string())], &[], None)
            .unwrap();
        let open = store.journal_unconfirmed().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].id, b);
        assert_eq!(open[0].micollab_login, "bob");
        assert_eq!(open[0].superseded_by, None);
        // A later write for bob confirmed applied supersedes the open one; a failed one does not.
        let later = |store: &mut Store| {
            store
                .journal_intend_many(
                    Some(run),
                    &[crate::store::Intent::new(
                        "bob".to_string(),
                        "graph",
                        "clear_presence",
                        serde_json::json!({}),
                    )],
                )
                .unwrap()[0]
        };
        let failed = later(&mut store);
        let applied = later(&mut store);
        store
            .finish_cycle(
                None,
                &[],
                &[
                    (failed, "failed: 403".to_string()),
                    (applied, "applied".to_string()),
                ],
                &[],
                None,
            )
            .unwrap();
        let open = store.journal_unconfirmed().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].superseded_by, Some(applied));
        store
            .finish_run(run, 0, &serde_json::json!({"changes": 1}))
            .unwrap();
    });
}

#[test]
fn a_cycle_reads_each_mapping_with_its_record_in_one_pass() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let mut carol = mapping("carol", "carol@contoso.com", "1003");
        carol.cloudlink_user_id = Some("cl-carol".into());
        store
            .upsert_mappings(
                &[
                    mapping("alice", "alice@contoso.com", "1001"),
                    mapping("bob", "bob@contoso.com", "1002"),
                    carol,
                ],
                None,
            )
            .unwrap();
        store
            .put_cloudlink_principals(&[("cl-carol".into(), "p-1".into())])
            .unwrap();
        let written = chrono::DateTime::parse_from_rfc3339("2026-11-27T01:02:03.456789Z")
            .unwrap()
            .to_utc();
        let record = SyncRecord {
            micollab_login: "alice".into(),
            graph_session: Some("Busy/InACall".into()),
            graph_written_at: Some(written),
            last_observed: Some("{}".into()),
            last_observed_hash: Some("00ff".into()),
            ..Default::default()
        };
        store
            .put_sync_records(std::slice::from_ref(&record))
            .unwrap();
        store.remove_mappings(&["alice".into()], None).unwrap();
        // A time written by hand in another accepted form still reads.
        store
            .conn
            .execute(
                "UPDATE sync_records SET graph_session_expires_at = '2026-11-27T01:17:03Z'",
                &[],
            )
            .unwrap();

        // What the pass lends out, kept as owned values to look at after it.
        #[derive(Debug)]
        struct Seen {
            login: String,
            removed: bool,
            graph_session: Option<String>,
            graph_written_at: Option<chrono::DateTime<chrono::Utc>>,
            graph_session_expires_at: Option<chrono::DateTime<chrono::Utc>>,
            last_observed_hash: Option<String>,
            principal: Option<String>,
            principal_in_record: bool,
            has_record: bool,
        }
        let mut rows = Vec::new();
        store
            .visit_sync_users(None, |row| {
                rows.push(Seen {
                    login: row.micollab_login.to_owned(),
                    removed: row.removed,
                    graph_session: row.record.and_then(|r| r.graph_session.map(str::to_owned)),
                    graph_written_at: row.record.and_then(|r| r.graph_written_at),
                    graph_session_expires_at: row.record.and_then(|r| r.graph_session_expires_at),
                    last_observed_hash: row
                        .record
                        .and_then(|r| r.last_observed_hash.map(str::to_owned)),
                    principal: row.cloudlink_principal_id.map(str::to_owned),
                    principal_in_record: row.principal_in_record,
                    has_record: row.record.is_some(),
                });
                true
            })
            .unwrap();
        let logins: Vec<&str> = rows.iter().map(|r| r.login.as_str()).collect();
        assert_eq!(logins, ["alice", "bob", "carol"]);
        assert!(rows[0].removed, "tombstones are read: the sync clears them");
        let alice = &rows[0];
        assert_eq!(alice.graph_session, record.graph_session);
        assert_eq!(alice.graph_written_at, Some(written), "microseconds kept");
        assert_eq!(
            alice.graph_session_expires_at,
            Some(written + chrono::Duration::seconds(900) - chrono::Duration::microseconds(456789))
        );
        assert_eq!(alice.last_observed_hash.as_deref(), Some("00ff"));
        assert!(!rows[1].has_record);
        let principals = store.cloudlink_principals().unwrap();
        assert_eq!(principals.get("cl-carol").map(String::as_str), Some("p-1"));
        assert_eq!(principals.len(), 1);
        // Carol has no record yet: her principal id comes from the resolved ones.
        assert_eq!(rows[2].principal.as_deref(), Some("p-1"));
        assert!(!rows[2].principal_in_record);
        assert_eq!(rows[0].principal, None);
    });
}

/// (login, principal id, whether the record holds it) as a sync pass reads them.
fn principals_read(store: &Store) -> Vec<(String, Option<String>, bool)> {
    let mut seen = Vec::new();
    store
        .visit_sync_users(None, |row| {
            seen.push((
                row.micollab_login.to_owned(),
                row.cloudlink_principal_id.map(str::to_owned),
                row.principal_in_record,
            ));
            true
        })
        .unwrap();
    seen
}

fn with_cloudlink_user(login: &str, ext: &str, user: &str) -> Mapping {
    let mut m = mapping(login, &format!("{login}@contoso.com"), ext);
    m.cloudlink_user_id = Some(user.into());
    m
}

fn record_with_principal(login: &str, principal: &str) -> SyncRecord {
    SyncRecord {
        micollab_login: login.into(),
        cloudlink_principal_id: Some(principal.into()),
        ..Default::default()
    }
}

#[test]
fn a_record_keeps_its_principal_id_until_its_mapping_is_written_again() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let expect = |store: &Store, expected: &[(&str, Option<&str>, bool)]| {
            let expected: Vec<(String, Option<String>, bool)> = expected
                .iter()
                .map(|(l, p, kept)| (l.to_string(), p.map(str::to_string), *kept))
                .collect();
            assert_eq!(principals_read(store), expected);
        };
        store
            .upsert_mappings(
                &[
                    with_cloudlink_user("alice", "1001", "cl-a"),
                    with_cloudlink_user("bob", "1002", "cl-b"),
                ],
                None,
            )
            .unwrap();
        store
            .put_cloudlink_principals(&[
                ("cl-a".into(), "p-a".into()),
                ("cl-b".into(), "p-b".into()),
            ])
            .unwrap();
        expect(
            &store,
            &[("alice", Some("p-a"), false), ("bob", Some("p-b"), false)],
        );
        store
            .put_sync_records(&[
                record_with_principal("alice", "p-a"),
                record_with_principal("bob", "p-b"),
            ])
            .unwrap();
        expect(
            &store,
            &[("alice", Some("p-a"), true), ("bob", Some("p-b"), true)],
        );
        assert_eq!(
            store
                .sync_record("bob")
                .unwrap()
                .unwrap()
                .cloudlink_principal_id
                .as_deref(),
            Some("p-b"),
            "a record reads back whole"
        );
        // A new UPN for Bob, the same CloudLink user: his record's id still holds.
        let mut renamed = with_cloudlink_user("bob", "1002", "cl-b");
        renamed.teams_upn = "robert@contoso.com".into();
        store.upsert_mappings(&[renamed], None).unwrap();
        expect(
            &store,
            &[("alice", Some("p-a"), true), ("bob", Some("p-b"), true)],
        );
        // Bob's mapping moves to Alice's CloudLink user: his record's id no longer holds.
        store
            .upsert_mappings(&[with_cloudlink_user("bob", "1002", "cl-a")], None)
            .unwrap();
        expect(
            &store,
            &[("alice", Some("p-a"), true), ("bob", Some("p-a"), false)],
        );
        store
            .upsert_mappings(&[with_cloudlink_user("bob", "1002", "cl-unknown")], None)
            .unwrap();
        expect(
            &store,
            &[("alice", Some("p-a"), true), ("bob", None, false)],
        );
    });
}

#[test]
fn a_store_of_the_first_schema_gets_its_records_principal_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(crate::store::schema::MIGRATIONS[0])
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO mappings (micollab_login, teams_upn, extension, cloudlink_user_id,
                                   created_at, updated_at)
             VALUES ('alice', 'alice@contoso.com', '1001', 'cl-a', 'now', 'now'),
                    ('bob', 'bob@contoso.com', '1002', 'cl-b', 'now', 'now');
             INSERT INTO sync_records (micollab_login) VALUES ('alice'), ('bob');
             INSERT INTO cloudlink_principals VALUES ('cl-a', 'p-a', 'now');",
        )
        .unwrap();
    }
    let store = Store::open(&path, None).unwrap();
    assert_eq!(
        principals_read(&store),
        [
            ("alice".to_string(), Some("p-a".to_string()), true),
            ("bob".to_string(), None, false)
        ]
    );
}

#[test]
fn where_the_last_run_left_graphs_rate_limit_is_kept_to_the_microsecond() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        assert_eq!(store.graph_limit_until().unwrap(), None);
        let until = chrono::DateTime::parse_from_rfc3339("2026-11-27T03:00:07.123456Z")
            .unwrap()
            .to_utc();
        store.set_graph_limit_until(until).unwrap();
        store
            .set_graph_limit_until(until + chrono::Duration::seconds(2))
            .unwrap();
        assert_eq!(
            store.graph_limit_until().unwrap(),
            Some(until + chrono::Duration::seconds(2))
        );
    });
}

#[test]
fn mappings_land_in_the_file_in_login_order_whatever_the_input_order() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let batch: Vec<Mapping> = ["carol", "alice", "dave", "bob"]
            .iter()
            .enumerate()
            .map(|(i, login)| {
                mapping(
                    login,
                    &format!("{login}@contoso.com"),
                    &format!("{}", 1001 + i),
                )
            })
            .collect();
        let changes = store.upsert_mappings(&batch, None).unwrap();
        assert_eq!(changes, vec![MappingChange::Created; 4], "in input order");
        let stored: Vec<String> = store
            .conn
            .prepare_cached("SELECT micollab_login FROM mappings ORDER BY rowid")
            .unwrap()
            .query_map(&[], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, ["alice", "bob", "carol", "dave"]);
    });
}

#[test]
fn a_store_in_wal_mode_lets_its_reader_read_beside_a_writer() {
    each_backend(|| {
        let (_dir, store) = temp_store();
        assert!(store.reads_beside_writes().unwrap());
        let reader = store.reader().unwrap();
        assert_eq!(reader.count_mappings().unwrap(), 0);
    });
}

#[test]
fn each_pipeline_records_only_its_part_and_a_row_reads_back_as_one() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        store
            .upsert_mappings(&[mapping("alice", "alice@contoso.com", "1001")], None)
            .unwrap();
        let at = chrono::Utc::now();
        let teams = SyncRecord {
            micollab_login: "alice".into(),
            cloudlink_status: Some("Away".into()),
            cloudlink_written_at: Some(at),
            last_observed: Some(
                r#"{"teams_enabled":true,"teams":{"availability":"Away","activity":"Away"}}"#
                    .into(),
            ),
            last_observed_hash: Some("00000000000000aa".into()),
            last_error: Some("cloudlink: 503".into()),
            last_error_at: Some(at),
            part: RecordPart::TeamsToMicollab,
            ..Default::default()
        };
        // The phone pipeline's row carries what it knew of the presentity: nothing. Stored
        // after the Teams row, it must not clear it.
        let phone = SyncRecord {
            micollab_login: "alice".into(),
            graph_session: Some("Busy/InACall".into()),
            graph_session_expires_at: Some(at),
            last_observed: Some(r#"{"teams_enabled":true,"phone":{"call":"busy"}}"#.into()),
            last_observed_hash: Some("00000000000000bb".into()),
            last_error: Some("graph: 429".into()),
            last_error_at: Some(at),
            part: RecordPart::PhoneToTeams,
            ..Default::default()
        };
        store
            .put_sync_records(std::slice::from_ref(&teams))
            .unwrap();
        store.put_sync_records(&[phone]).unwrap();
        let read = store.sync_record("alice").unwrap().unwrap();
        assert_eq!(read.cloudlink_status.as_deref(), Some("Away"));
        assert_eq!(read.graph_session.as_deref(), Some("Busy/InACall"));
        assert_eq!(
            read.last_error.as_deref(),
            Some("cloudlink: 503; graph: 429")
        );
        let observed: serde_json::Value =
            serde_json::from_str(read.last_observed.as_deref().unwrap()).unwrap();
        assert_eq!(observed["teams"]["availability"], "Away");
        assert_eq!(observed["phone"]["call"], "busy");
        // Storing the Teams part again keeps the phone pipeline's session and observation.
        store
            .put_sync_records(&[SyncRecord {
                last_error: None,
                last_error_at: None,
                last_observed: None,
                ..teams
            }])
            .unwrap();
        let read = store.sync_record("alice").unwrap().unwrap();
        assert_eq!(read.graph_session.as_deref(), Some("Busy/InACall"));
        assert_eq!(read.last_error.as_deref(), Some("graph: 429"));
        // A record read back and stored again (settling does) keeps each part's own columns:
        // the merge is not copied into the Teams pipeline's.
        store.put_sync_records(std::slice::from_ref(&read)).unwrap();
        let again = store.sync_record("alice").unwrap().unwrap();
        assert_eq!(again.last_error.as_deref(), Some("graph: 429"));
        assert_eq!(again.last_observed, read.last_observed);
        let observed: serde_json::Value =
            serde_json::from_str(read.last_observed.as_deref().unwrap()).unwrap();
        assert_eq!(observed["teams"]["activity"], "Away", "kept: no new JSON");
        // A cycle's pass reads each pipeline's digest and error apart.
        let mut views = Vec::new();
        store
            .visit_sync_users(None, |u| {
                let r = u.record.unwrap();
                views.push((
                    r.last_observed_hash.map(str::to_owned),
                    r.phone_observed_hash.map(str::to_owned),
                    r.has_error,
                    r.has_phone_error,
                ));
                true
            })
            .unwrap();
        assert_eq!(
            views,
            [(
                Some("00000000000000aa".to_string()),
                Some("00000000000000bb".to_string()),
                false,
                true
            )]
        );
    });
}

#[test]
fn settling_one_write_stores_only_what_it_confirmed() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        store
            .upsert_mappings(&[mapping("alice", "alice@contoso.com", "1001")], None)
            .unwrap();
        let at = chrono::Utc::now();
        let before = SyncRecord {
            micollab_login: "alice".into(),
            graph_session: Some("Busy/InACall".into()),
            graph_session_expires_at: Some(at),
            cloudlink_status: Some("Away".into()),
            cloudlink_written_at: Some(at),
            ..Default::default()
        };
        store
            .put_sync_records(std::slice::from_ref(&before))
            .unwrap();
        // The Teams direction stores a new presentity beside a settle of the session that
        // read the row before it: the session settle carries the old presentity.
        store
            .put_sync_records(&[SyncRecord {
                cloudlink_status: Some("Available".into()),
                part: RecordPart::TeamsToMicollab,
                ..before.clone()
            }])
            .unwrap();
        store
            .put_sync_records(&[SyncRecord {
                graph_session: None,
                graph_session_expires_at: None,
                part: RecordPart::SessionWritten,
                ..before.clone()
            }])
            .unwrap();
        let read = store.sync_record("alice").unwrap().unwrap();
        assert_eq!(read.graph_session, None, "the settled session is stored");
        assert_eq!(read.cloudlink_status.as_deref(), Some("Available"), "kept");
        // And a presentity settle carries a session the phone direction replaced meanwhile.
        store
            .put_sync_records(&[SyncRecord {
                graph_session: Some("DoNotDisturb/Presenting".into()),
                part: RecordPart::PhoneToTeams,
                ..read.clone()
            }])
            .unwrap();
        store
            .put_sync_records(&[SyncRecord {
                cloudlink_status: Some("Busy".into()),
                part: RecordPart::PresentityWritten,
                ..read
            }])
            .unwrap();
        let read = store.sync_record("alice").unwrap().unwrap();
        assert_eq!(read.cloudlink_status.as_deref(), Some("Busy"), "settled");
        assert_eq!(
            read.graph_session.as_deref(),
            Some("DoNotDisturb/Presenting"),
            "kept"
        );
    });
}

/// Thousands of rows in one transaction go in batches (pipelined on PostgreSQL): every one
/// lands, the ids come back in the order the entries were given, and their confirmations
/// land too.
#[test]
fn a_large_batch_lands_whole_with_its_ids_in_order() {
    each_backend(|| {
        let (_dir, mut store) = temp_store();
        let entries: Vec<_> = (0..2_500)
            .map(|i| {
                crate::store::Intent::new(
                    format!("user{i:05}"),
                    "graph",
                    "setPresence",
                    serde_json::json!({"n": i}),
                )
            })
            .collect();
        let ids = store.journal_intend_many(None, &entries).unwrap();
        assert_eq!(ids.len(), 2_500);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids out of order");
        let open = store.journal_unconfirmed().unwrap();
        let logins: Vec<&str> = open.iter().map(|e| e.micollab_login.as_str()).collect();
        let wanted: Vec<String> = (0..2_500).map(|i| format!("user{i:05}")).collect();
        assert_eq!(logins, wanted);
        let outcomes: Vec<(i64, String)> =
            ids.iter().map(|id| (*id, "applied".to_string())).collect();
        store.close_journal(&outcomes).unwrap();
        assert!(store.journal_unconfirmed().unwrap().is_empty());
    });
}
