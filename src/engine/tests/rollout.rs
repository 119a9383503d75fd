//! A rollout: onboarding, a slow system, the guard per direction, held plans, progress.

use super::*;

fn logins(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("user{i}")).collect()
}

#[test]
fn users_an_admin_turned_on_are_onboarded_without_counting_against_the_guard() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.store
        .mark_onboarding(None, &logins(0..4), "profile enable Sales")
        .unwrap();
    let guarded = CycleSettings {
        max_changes: 1,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.unexpected_changes, 0);
    assert!(report.expected_changes >= 4, "{report:?}");
    assert_eq!(report.applied.pbx_to_teams, 4);
    let now = rig.fake.world(|w| w.now.unwrap());
    assert!(rig.store.onboarding(now).unwrap().is_empty(), "onboarded");
    // The calls reach MiCollab through Teams (with the first cycle, or this one).
    rig.cycle();
    assert_eq!(
        (0..4).map(|i| rig.shown(i)).collect::<Vec<_>>(),
        ["In a call"; 4]
    );
    // Onboarded: the next mass change is unexpected again, and stops that direction.
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Idle);
    }
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, Some((4, 1)), "four sessions to clear");
    assert_eq!(report.applied.pbx_to_teams, 0);
}

/// A slow system holds up only the direction that reads it: each direction's write goes out
/// before the other direction's slow read has answered, in the same cycle.
#[test]
fn a_slow_system_holds_up_only_the_direction_that_needs_it() {
    for (slow, written, other) in [
        ("pbx", "cloudlink", "graph"),
        ("cloudlink", "graph", "cloudlink"),
    ] {
        let mut rig = Rig::new(3);
        rig.cycle();
        rig.fake.user(0, |u| u.phone.call = CallState::Busy);
        rig.fake
            .user(1, |u| u.client = Some((Availability::Away, Activity::Away)));
        rig.fake.world(|w| {
            w.slow.insert(slow, Duration::from_secs(60));
            w.written_at.clear();
        });
        let report = rig.cycle();
        assert_eq!(report.applied.pbx_to_teams, 1, "slow {slow}");
        // Two when the Teams pipeline saw the new call's session already.
        assert!(report.applied.teams_to_micollab >= 1, "slow {slow}");
        assert_eq!(rig.shown(1), "Away", "slow {slow}");
        let (written_at, answered_at) = rig.fake.world(|w| {
            (
                w.written_at.get(written).copied(),
                w.answered_at.get(slow).copied(),
            )
        });
        assert!(
            written_at.unwrap() < answered_at.unwrap(),
            "slow {slow}: {written} written before {slow} answered"
        );
        // And the slow direction wrote too, once its system answered.
        let wrote_after = rig.fake.world(|w| w.written_at.get(other).copied());
        assert!(wrote_after.is_some(), "slow {slow}");
    }
}

#[test]
fn the_guard_stops_only_the_direction_past_it() {
    // Three calls (three sessions to set) past a guard of two, and one Teams change below it.
    let mut rig = Rig::new(5);
    rig.cycle();
    for i in 0..3 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.fake
        .user(4, |u| u.client = Some((Availability::Away, Activity::Away)));
    let guarded = CycleSettings {
        max_changes: 2,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, Some((3, 2)));
    assert_eq!(
        report.applied.pbx_to_teams, 0,
        "the phone direction stopped"
    );
    assert_eq!(
        report.applied.teams_to_micollab, 1,
        "Teams -> MiCollab went on"
    );
    assert_eq!(rig.shown(4), "Away");
    assert_eq!(rig.fake.user(0, |u| u.ours), None);
    // Forced, the held-back direction goes out too.
    let forced = CycleSettings {
        force: true,
        ..guarded
    };
    let report = rig.cycle_with(&forced);
    assert_eq!(report.applied.pbx_to_teams, 3);
}

#[test]
fn past_the_guard_a_watch_holds_the_unexpected_changes_until_approved() {
    let mut rig = Rig::new(6);
    rig.cycle();
    for i in 0..6 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.store
        .mark_onboarding(None, &logins(5..6), "user enable")
        .unwrap();
    let watch = CycleSettings {
        max_changes: 2,
        hold_over_guard: true,
        ..settings()
    };
    let report = rig.cycle_with(&watch);
    assert_eq!(report.guard_tripped, Some((5, 2)));
    let held = report.held_plan.expect("a held plan");
    assert_eq!(held.users, 5);
    assert_eq!(report.applied.pbx_to_teams, 1, "the onboarded user goes on");
    assert!(rig.fake.user(5, |u| u.ours.is_some()));
    assert!(rig.fake.user(0, |u| u.ours.is_none()), "held");
    let plan = rig.store.current_plan().unwrap().unwrap();
    assert_eq!(plan.users, logins(0..5));
    // The next cycle holds the same plan (updated), still without writing.
    let report = rig.cycle_with(&watch);
    assert_eq!(report.held_plan.map(|p| p.id), Some(held.id));
    assert_eq!(report.applied.pbx_to_teams, 0);
    // Approved: the next cycle applies those users' current changes.
    rig.store.approve_plan(held.id, None).unwrap();
    let report = rig.cycle_with(&watch);
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.approved_plan_applied, Some(held.id));
    assert_eq!(report.applied.pbx_to_teams, 5);
    assert_eq!(
        rig.store.plan(held.id).unwrap().unwrap().state,
        crate::store::PlanState::Applied
    );
    assert!(rig.store.current_plan().unwrap().is_none());
}

/// An entry whose session has expired by now is closed, not sent again: re-sending it would
/// show a call that ended long ago for a whole new lifetime.
#[test]
fn an_entry_whose_session_has_expired_is_closed_not_sent_again() {
    let mut rig = Rig::new(1);
    rig.journal_unsent(Some(SessionIntent::InACall));
    rig.fake
        .world(|w| w.now = Some(chrono::Utc::now() + chrono::Duration::hours(1)));
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 1);
    assert_eq!(rig.fake.world(|w| w.session_writes), 0);
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

/// A kill can leave many users' sessions unknown; rewriting them is mcteams repairing its
/// own writes, which the mass-change guard neither counts nor holds.
#[test]
fn rewrites_of_sessions_a_kill_left_unknown_pass_the_guard() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    // The calls reach Teams, then MiCollab follows Teams: all in sync.
    rig.cycle();
    rig.cycle();
    // A run journaled four clears and was killed; settle's re-send gets no answer.
    for i in 0..4 {
        rig.journal_unsent_for(i, None);
    }
    rig.fake.world(|w| w.unanswered_session_calls = 1);
    // One of them also picks a status in Teams: that change is counted as usual.
    rig.fake.user(0, |u| {
        u.preferred = Some((Availability::Away, Activity::Away))
    });
    let guarded = CycleSettings {
        max_changes: 1,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, None, "{report:?}");
    assert_eq!(report.unexpected_changes, 1, "{report:?}");
    assert_eq!(report.applied.pbx_to_teams, 4);
    assert_eq!(report.applied.teams_to_micollab, 1);
    for i in 0..4 {
        assert_eq!(
            rig.fake.user(i, |u| u.ours.map(|(intent, _)| intent)),
            Some(SessionIntent::InACall)
        );
    }
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

/// An approved plan is applied once its users' writes landed: one that failed keeps the
/// plan approved, and the next cycle goes on with it.
#[test]
fn an_approved_plan_stays_approved_until_its_writes_land() {
    let mut rig = Rig::new(3);
    rig.cycle();
    for i in 0..3 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let watch = CycleSettings {
        max_changes: 1,
        hold_over_guard: true,
        ..settings()
    };
    let held = rig.cycle_with(&watch).held_plan.expect("held");
    rig.store.approve_plan(held.id, None).unwrap();
    rig.fake
        .world(|w| w.failing_session_writes.insert("user1".into()));
    let report = rig.cycle_with(&watch);
    assert_eq!(report.approved_plan_applied, None);
    assert_eq!(report.applied.pbx_to_teams, 2);
    let state = |rig: &Rig| rig.store.plan(held.id).unwrap().unwrap().state;
    assert_eq!(state(&rig), crate::store::PlanState::Approved);
    rig.fake.world(|w| w.failing_session_writes.clear());
    let report = rig.cycle_with(&watch);
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.approved_plan_applied, Some(held.id));
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(state(&rig), crate::store::PlanState::Applied);
}

/// An entry of a forgotten user is settled, but brings no record back for it.
#[test]
fn settling_brings_no_record_back_for_a_forgotten_user() {
    let mut rig = Rig::new(2);
    // The write landed (read back as mcteams' own), for user0 and for a login since forgotten.
    rig.fake.user(0, |u| {
        u.presentity = Presentity {
            status: Some("Busy".into()),
            activity: Some(String::new()),
            version: "v9".into(),
            source: Some(WRITER.into()),
        }
    });
    let write = |login: &str| {
        crate::store::Intent::new(
            login.to_string(),
            "cloudlink",
            "write_presentity",
            serde_json::json!({"principal_id": "p-cl-0", "status": "Busy", "activity": ""}),
        )
    };
    let ids = rig
        .store
        .journal_intend_many(None, &[write("user0"), write("user0"), write("gone")])
        .unwrap();
    rig.store
        .finish_cycle(None, &[], &[(ids[1], "applied".to_string())], &[], None)
        .unwrap();
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 2, "{report:?}");
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
    assert_eq!(rig.store.sync_record("gone").unwrap(), None);
    assert!(rig.store.sync_record("user0").unwrap().is_some());
}

/// Counts what a cycle reports as it goes.
#[derive(Default)]
struct Counted {
    steps: std::sync::atomic::AtomicU64,
    stages: Mutex<Vec<(u64, String)>>,
}

impl crate::progress::Progress for Counted {
    fn advance(&self, n: u64) {
        self.steps.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
    }
    fn set_stage(&self, _stage: &str) {}
    fn restart(&self, total: u64, stage: &str) {
        self.steps.store(0, std::sync::atomic::Ordering::SeqCst);
        self.stages.lock().unwrap().push((total, stage.to_string()));
    }
    fn add_to_stage(&self, more: u64, stage: &str) {
        let mut stages = self.stages.lock().unwrap();
        match stages.last_mut() {
            Some((total, last)) if last == stage => *total += more,
            _ => {
                self.steps.store(0, std::sync::atomic::Ordering::SeqCst);
                stages.push((more, stage.to_string()));
            }
        }
    }
    fn finish(&self) {}
}

/// The progress moves while the work happens: slice by slice as users are decided, then
/// chunk by chunk as the writes are answered.
#[test]
fn a_cycle_advances_its_progress_as_users_are_decided_then_writes_are_answered() {
    let mut rig = Rig::new(7);
    for i in 0..5 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let counted = std::sync::Arc::new(Counted::default());
    let with_progress = CycleSettings {
        progress: Some(crate::progress::Shared(counted.clone())),
        ..settings()
    };
    let report = rig.cycle_with(&with_progress);
    let writes = report.applied.pbx_to_teams + report.applied.teams_to_micollab;
    assert!(writes >= 5, "{report:?}");
    assert_eq!(
        *counted.stages.lock().unwrap(),
        vec![(writes, "writing".to_string())]
    );
    assert_eq!(
        counted.steps.load(std::sync::atomic::Ordering::SeqCst),
        writes,
        "every write answered"
    );
    // Once in sync (MiCollab follows the calls), the users decided are the whole of it.
    rig.cycle();
    let counted = std::sync::Arc::new(Counted::default());
    let with_progress = CycleSettings {
        progress: Some(crate::progress::Shared(counted.clone())),
        ..settings()
    };
    let report = rig.cycle_with(&with_progress);
    assert_eq!(report.planned.total(), 0, "{report:?}");
    assert_eq!(counted.steps.load(std::sync::atomic::Ordering::SeqCst), 7);
    assert!(counted.stages.lock().unwrap().is_empty());
}
