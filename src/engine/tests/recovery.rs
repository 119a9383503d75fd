//! After a crash or a change of mind: the journal settled, sessions cleared, released.

use super::*;

#[test]
fn a_crash_between_write_and_record_is_settled_on_the_next_run() {
    let mut rig = Rig::new(1);
    // A run sent a session write and died before recording it: Teams holds the session,
    // the record does not know it.
    rig.journal_unsent(Some(SessionIntent::InACall));
    let now = rig.fake.world(|w| w.now.unwrap());
    rig.fake.user(0, |u| {
        u.ours = Some((SessionIntent::InACall, now + chrono::Duration::seconds(900)))
    });
    // The phone is idle by now: the entry is sent again (so the record knows the session),
    // and the cycle clears it.
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 1);
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(rig.fake.world(|w| w.session_writes), 2);
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

/// The case the old settle got wrong: a run killed after journaling a session write that
/// never reached Graph. Recording it as held would leave Teams without the call for a whole
/// session lifetime, with `report` saying in_sync.
#[test]
fn a_journaled_session_that_never_reached_graph_is_sent_not_assumed() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.journal_unsent(Some(SessionIntent::InACall));
    assert!(
        rig.fake.user(0, |u| u.ours.is_none()),
        "it never reached Graph"
    );
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 1);
    assert!(
        rig.fake.user(0, |u| u.ours.map(|(i, _)| i)) == Some(SessionIntent::InACall),
        "the call shows in Teams"
    );
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
    // And nothing more to do: the record now holds what Graph holds.
    let report = rig.cycle();
    assert_eq!(report.planned.total(), 0);
}

/// Graph does not answer the re-send: the entry stays open, and the user's session counts
/// as unknown, so the next cycle writes what the phone needs whatever the record says.
#[test]
fn an_entry_graph_does_not_answer_stays_open_and_the_session_counts_as_unknown() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_some()));
    // A run journaled a clear and died; Teams lost the session some other way meanwhile.
    rig.journal_unsent(None);
    rig.fake.user(0, |u| u.ours = None);
    rig.fake.world(|w| {
        w.failing_session_writes.insert("user0".to_string());
        w.failing_writes_maybe_applied = true;
    });
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 0);
    assert_eq!(
        rig.store.journal_unconfirmed().unwrap().len(),
        2,
        "both open"
    );
    // Graph answers again: the phone's call is written although the record held it.
    rig.fake.world(|w| w.failing_session_writes.clear());
    let report = rig.cycle();
    assert!(report.settled_journal_entries >= 1);
    assert!(rig.fake.user(0, |u| u.ours.map(|(i, _)| i)) == Some(SessionIntent::InACall));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

#[test]
fn a_removed_mapping_clears_its_session_then_goes() {
    let mut rig = Rig::new(2);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_some()));
    let outcome = rig.store.remove_mappings(&["user0".into()], None).unwrap();
    assert_eq!(outcome, vec![crate::store::RemoveOutcome::Tombstoned]);
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.store.find_mapping("user0").unwrap().is_none());
    assert!(rig.store.sync_record("user0").unwrap().is_none());
}

#[test]
fn flag_off_clears_the_session_and_stops_writing() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.cycle();
    rig.cycle();
    assert_eq!(rig.shown(0), "In a call");
    rig.fake.user(0, |u| {
        u.enabled = false;
        u.client = Some((Availability::Away, Activity::Away));
    });
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    rig.cycle();
    assert_eq!(
        rig.shown(0),
        "In a call",
        "no presentity writes while the flag is off"
    );
}

#[test]
fn a_long_call_outlives_many_session_lifetimes() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    // 15 s per cycle for two hours: eight session lifetimes.
    let mut refreshes = 0;
    for _ in 0..480 {
        refreshes += rig.cycle().refreshes;
        let now = rig.fake.world(|w| w.now.unwrap());
        let held = rig.fake.user(0, |u| u.ours.is_some_and(|(_, e)| e > now));
        assert!(held, "the session lapsed during the call");
    }
    assert_eq!(rig.shown(0), "In a call");
    // Refreshed at the first cycle with less than a fifth (3 min) left: 12 min 15 s after
    // the write (49 cycles of 15 s), so 9 times in 480 cycles.
    assert_eq!(refreshes, 480 / 49);
}

#[test]
fn acd_hotdesk_softphone_calls_are_not_pushed() {
    let mut rig = Rig::new(2);
    rig.fake.user(0, |u| {
        u.phone.call = CallState::Busy;
        u.phone.acd_hotdesk = true;
        u.phone.device = DeviceType::Softphone;
    });
    rig.fake.user(1, |u| {
        u.phone.call = CallState::Busy;
        u.phone.acd_hotdesk = true;
    });
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(report.notes.get("acd_hotdesk_unsynced"), Some(&1));
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.fake.user(1, |u| u.ours.is_some()));
    let _ = MiCollabStatus::Available;
}

#[test]
fn release_clears_every_session_mcteams_holds() {
    let mut rig = Rig::new(3);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.fake.user(2, |u| u.phone.dnd = true);
    rig.cycle();
    let held = release::held_sessions(&rig.store).unwrap();
    let logins: Vec<_> = held.iter().map(|h| h.micollab_login.as_str()).collect();
    assert_eq!(logins, vec!["user0", "user2"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let outcomes = runtime
        .block_on(release::release_sessions(
            &mut rig.store,
            &&rig.fake,
            &held,
            None,
        ))
        .unwrap();
    assert!(outcomes.iter().all(Result::is_ok));
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.fake.user(2, |u| u.ours.is_none()));
    assert!(release::held_sessions(&rig.store).unwrap().is_empty());
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}
