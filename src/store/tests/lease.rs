//! The lease: held, stale, taken over, renewed, epochs.

use super::*;

#[test]
fn a_held_lease_names_its_holder_and_a_released_one_is_free() {
    each_backend(|| {
        let (dir, mut store) = temp_store();
        let lease = store
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap();
        let mut other = dir.reopen();
        let err = other
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap_err();
        assert_eq!(err.exit_status(), ExitStatus::Unavailable);
        let text = err.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        store.renew_lease(&lease, Duration::from_secs(60)).unwrap();
        store.release_lease(lease).unwrap();
        other
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap();
    });
}

#[test]
fn a_stale_lease_is_taken_over() {
    let (_dir, mut store) = temp_store();
    // A holder on this host whose process is gone.
    let stale = params_for_stale();
    store
        .conn
        .execute(
            "INSERT INTO leases (name, token, holder_host, holder_pid, acquired_at, expires_at)
             VALUES ('sync', 't', ?1, 4000000000, ?2, ?3)",
            super::db::params![stale.0, stale.1, stale.2],
        )
        .unwrap();
    store
        .acquire_lease("sync", Duration::from_secs(60))
        .unwrap();
}

/// Another run takes the sync lease over, on a connection of its own.
fn taken_over(store: &TempStore) {
    store
        .reopen()
        .conn
        .execute(
            "UPDATE leases SET token = 'theirs' WHERE name = 'sync'",
            &[],
        )
        .unwrap();
}

/// Puts a holder into the lease row as another run would have.
fn hold_lease(store: &Store, host: &str, pid: u32, expires_in: chrono::Duration) {
    let now = chrono::Utc::now();
    store
        .conn
        .execute(
            "INSERT INTO leases (name, token, holder_host, holder_pid, acquired_at, expires_at, epoch)
             VALUES ('sync', 'theirs', ?1, ?2, ?3, ?4, 7)
             ON CONFLICT (name) DO UPDATE SET token = excluded.token,
                 holder_host = excluded.holder_host, holder_pid = excluded.holder_pid,
                 acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,
                 epoch = excluded.epoch",
            super::db::params![host, pid, now, now + expires_in],
        )
        .unwrap();
}

#[test]
fn a_live_holder_on_this_host_is_never_stale_whatever_the_clock() {
    let (_dir, mut store) = temp_store();
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    // Expired an hour ago by the clock, but its holder (init, pid 1, always running) runs.
    hold_lease(&store, &host, 1, chrono::Duration::hours(-1));
    let err = store
        .acquire_lease("sync", Duration::from_secs(60))
        .unwrap_err();
    assert_eq!(err.exit_status(), ExitStatus::Unavailable, "{err}");
    // A row naming this very process with a token it was never granted: a predecessor with
    // the same pid (a container restarted as pid 1) whose lease would otherwise never lapse.
    hold_lease(
        &store,
        &host,
        std::process::id(),
        chrono::Duration::hours(1),
    );
    store
        .acquire_lease("sync", Duration::from_secs(60))
        .unwrap();
    // A holder elsewhere is judged by the expiry: lapsed, so taken over, one epoch up.
    hold_lease(&store, "elsewhere", 1, chrono::Duration::seconds(-1));
    let lease = store
        .acquire_lease("sync", Duration::from_secs(60))
        .unwrap();
    assert_eq!(lease.epoch, 8);
    // ...and not before it lapsed.
    hold_lease(&store, "elsewhere", 1, chrono::Duration::seconds(30));
    assert!(
        store
            .acquire_lease("sync", Duration::from_secs(60))
            .is_err()
    );
}

#[test]
fn each_grant_is_one_epoch_up_and_a_former_holder_cannot_journal() {
    each_backend(|| {
        let (dir, mut store) = temp_store();
        let first = store
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap();
        let entry = || {
            vec![crate::store::Intent::new(
                "alice".to_string(),
                "graph",
                "set_session",
                serde_json::json!({"session": "Busy/InACall"}),
            )]
        };
        store
            .journal_intend_leased(None, Some(&first), &entry())
            .unwrap();
        store.release_lease(first.clone()).unwrap();
        let mut other = dir.reopen();
        let second = other
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap();
        assert_eq!((first.epoch, second.epoch), (1, 2));
        // The first holder lost it: its journal transaction is refused, so nothing is sent.
        let refused = store.journal_intend_leased(None, Some(&first), &entry());
        assert!(refused.is_err());
        assert!(first.lost() && !first.held());
        other
            .journal_intend_leased(None, Some(&second), &entry())
            .unwrap();
        let epochs: Vec<Option<i64>> = store
            .conn
            .prepare_cached("SELECT epoch FROM journal ORDER BY id")
            .unwrap()
            .query_map(&[], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(epochs, vec![Some(1), Some(2)]);
    });
}

/// What the heartbeat does at each beat: a renewal moves the expiry; one that finds the
/// lease taken over marks it lost, and the holder stops acting.
#[test]
fn a_renewal_extends_the_lease_and_finds_it_taken_over() {
    each_backend(|| {
        let (dir, mut store) = temp_store();
        let lease = store
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap();
        let expires = |store: &Store| -> chrono::DateTime<chrono::Utc> {
            store
                .conn
                .query_row(
                    "SELECT expires_at FROM leases WHERE name = 'sync'",
                    &[],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let first = expires(&store);
        store.renew_lease(&lease, Duration::from_secs(600)).unwrap();
        assert!(expires(&store) > first);
        assert!(lease.held());
        taken_over(&dir);
        assert!(store.renew_lease(&lease, Duration::from_secs(60)).is_err());
        assert!(lease.lost() && !lease.held());
        // The heartbeat itself starts and stops cleanly.
        drop(
            store
                .start_heartbeat(&lease, Duration::from_secs(60))
                .unwrap(),
        );
    });
}

/// A run that lost its lease mid-cycle keeps what its writes came to (the journal says what
/// it sent) but leaves the records to the run that took over.
#[test]
fn a_cycle_finished_under_a_lease_taken_over_records_only_its_outcomes() {
    each_backend(|| {
        let (dir, mut store) = temp_store();
        let lease = store
            .acquire_lease("sync", Duration::from_secs(60))
            .unwrap();
        let entry = crate::store::Intent::new(
            "alice".to_string(),
            "graph",
            "set_session",
            serde_json::json!({}),
        );
        let ids = store
            .journal_intend_leased(None, Some(&lease), std::slice::from_ref(&entry))
            .unwrap();
        taken_over(&dir);
        let record = SyncRecord {
            micollab_login: "alice".into(),
            graph_session: Some("Busy/InACall".into()),
            ..SyncRecord::default()
        };
        let outcome = (ids[0], "applied".to_string());
        let err = store
            .finish_cycle(Some(&lease), &[record], &[outcome], &[], None)
            .unwrap_err();
        assert!(err.to_string().contains("taken over"), "{err}");
        assert!(lease.lost());
        assert!(store.journal_unconfirmed().unwrap().is_empty());
        assert_eq!(store.sync_record("alice").unwrap(), None);
        // Nor may it journal anything more.
        assert!(
            store
                .journal_intend_leased(None, Some(&lease), &[entry])
                .is_err()
        );
    });
}

fn params_for_stale() -> (
    String,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
) {
    let now = chrono::Utc::now();
    (
        gethostname::gethostname().to_string_lossy().into_owned(),
        now,
        now + chrono::Duration::hours(1),
    )
}
