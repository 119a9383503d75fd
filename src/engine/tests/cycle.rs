//! A cycle's work: writes, the dry run, the guard, slicing, failures of one system or one user.

use super::*;

#[test]
fn a_phone_call_reaches_micollab_through_teams_then_all_is_quiet() {
    let mut rig = Rig::new(3);
    rig.fake.user(1, |u| u.phone.call = CallState::Busy);
    let first = rig.cycle();
    assert_eq!(first.planned.pbx_to_teams, 1);
    assert_eq!(first.applied.pbx_to_teams, 1);
    // The Teams pipeline sees mcteams' session in the same cycle if it reads the presence
    // after the phone pipeline wrote it, else in the next.
    let second = rig.cycle();
    let echoed = first.applied.teams_to_micollab + second.applied.teams_to_micollab;
    assert_eq!(echoed, 1);
    assert_eq!(rig.shown(1), "In a call");
    let writes = rig.fake.writes();
    for _ in 0..5 {
        let idle = rig.cycle();
        assert_eq!(idle.planned.total(), 0, "{:?}", idle.plan);
    }
    assert_eq!(
        rig.fake.writes(),
        writes,
        "five idle cycles make zero writes"
    );
    // Hung up: the session goes, MiCollab follows.
    rig.fake.user(1, |u| u.phone.call = CallState::Idle);
    rig.cycle();
    rig.cycle();
    assert_eq!(rig.shown(1), "Available");
    assert!(rig.fake.user(1, |u| u.ours.is_none()));
}

#[test]
fn dry_run_plans_and_writes_nothing() {
    // Seven users, three per slice: the five without writes would be stored slice by slice
    // in a real run.
    let mut rig = Rig::new(7);
    rig.fake.user(0, |u| u.phone.dnd = true);
    rig.fake.user(1, |u| {
        u.preferred = Some((Availability::DoNotDisturb, Activity::DoNotDisturb))
    });
    let report = rig.cycle_with(&CycleSettings {
        dry_run: true,
        ..settings()
    });
    assert_eq!(report.plan.len(), 2);
    assert_eq!(rig.fake.writes(), (0, 0));
    assert!(rig.store.sync_records().unwrap().is_empty());
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

#[test]
fn the_mass_change_guard_applies_nothing_unless_forced() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let guarded = CycleSettings {
        max_changes: 3,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, Some((4, 3)));
    assert_eq!(rig.fake.writes(), (0, 0));
    let report = rig.cycle_with(&CycleSettings {
        force: true,
        ..guarded
    });
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.applied.pbx_to_teams, 4);
}

#[test]
fn an_unreadable_system_changes_nothing_that_depends_on_it() {
    let mut rig = Rig::new(2);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.fake
        .user(1, |u| u.client = Some((Availability::Away, Activity::Away)));
    rig.fake.world(|w| {
        w.failing_reads.insert("pbx");
    });
    let report = rig.cycle();
    assert_eq!(report.unavailable().unwrap().system, "pbx");
    assert_eq!(report.applied.pbx_to_teams, 0);
    assert_eq!(
        report.applied.teams_to_micollab, 1,
        "Teams -> MiCollab goes on"
    );
    assert_eq!(rig.shown(1), "Away");
    // MiCollab unreadable: the flags are unknown, so nobody is touched at all.
    rig.fake.world(|w| {
        w.failing_reads.clear();
        w.failing_reads.insert("micollab");
    });
    let report = rig.cycle();
    assert_eq!(report.planned.total(), 0);
    // Back: converges.
    rig.fake.world(|w| w.failing_reads.clear());
    rig.cycle();
    rig.cycle();
    assert_eq!(rig.shown(0), "In a call");
}

#[test]
fn slicing_changes_nothing_but_how_much_is_held_at_once() {
    // The same changes, decided a slice at a time of every size: the same plan, the same
    // systems and the same records.
    let outcome = |users_per_slice: usize| {
        let mut rig = Rig::new(7);
        rig.fake.user(0, |u| u.phone.call = CallState::Busy);
        rig.fake.user(3, |u| u.phone.dnd = true);
        rig.fake
            .user(4, |u| u.client = Some((Availability::Away, Activity::Away)));
        rig.fake.user(6, |u| u.enabled = false);
        let settings = CycleSettings {
            users_per_slice,
            ..settings()
        };
        let dry_run = CycleSettings {
            dry_run: true,
            ..settings.clone()
        };
        // The first plan as a dry run shows it, then three cycles; the last has nothing
        // left to do. (What the cycles between plan depends on whether the Teams pipeline
        // read a presence before or after the phone pipeline wrote its session.)
        let first_plan = format!("{:?}", rig.cycle_with(&dry_run).plan);
        for _ in 0..3 {
            rig.cycle_with(&settings);
        }
        let plans = vec![first_plan, format!("{:?}", rig.cycle_with(&dry_run).plan)];
        let shown: Vec<String> = (0..7).map(|i| rig.shown(i)).collect();
        let sessions: Vec<_> = (0..7).map(|i| rig.fake.user(i, |u| u.ours)).collect();
        let records: Vec<_> = rig
            .store
            .sync_records()
            .unwrap()
            .into_iter()
            .map(|r| (r.micollab_login, r.graph_session, r.cloudlink_status))
            .collect();
        (plans, shown, sessions, records)
    };
    let whole = outcome(100);
    assert!(whole.0[0].contains("SetSession"), "{:?}", whole.0);
    for users_per_slice in [1, 2, 3, 7] {
        assert_eq!(
            outcome(users_per_slice),
            whole,
            "{users_per_slice} per slice"
        );
    }
}

#[test]
fn many_principal_ids_to_resolve_take_one_pass_over_cloudlinks_directory_per_cycle() {
    // A first sync: 80 users without principal ids, 40 per slice, so each slice has more
    // to resolve than are worth looking up one at a time.
    let mut rig = Rig::new(80);
    rig.fake.user(5, |u| u.phone.dnd = true);
    let by_forty = CycleSettings {
        users_per_slice: 40,
        ..settings()
    };
    let first = rig.cycle_with(&by_forty);
    assert!(first.read_errors.is_empty(), "{:?}", first.read_errors);
    assert_eq!(
        rig.fake.world(|w| w.directory_reads),
        1,
        "one pass, not one a slice"
    );
    assert_eq!(rig.store.cloudlink_principals().unwrap().len(), 80);
    assert_eq!(first.applied.pbx_to_teams, 1);
    // Resolved ids are kept: the next cycles resolve nothing, and the DND reaches MiCollab.
    rig.cycle_with(&by_forty);
    rig.cycle_with(&by_forty);
    assert_eq!(rig.fake.world(|w| w.directory_reads), 1);
    assert_eq!(rig.shown(5), "Presenting");
    // Each record carries its user's principal id, which the next cycles read with it.
    let records = rig.store.sync_records().unwrap();
    let principals = rig.store.cloudlink_principals().unwrap();
    assert_eq!(records.len(), 80);
    for record in &records {
        let principal = record.cloudlink_principal_id.as_deref();
        assert!(principal.is_some(), "{}", record.micollab_login);
        assert!(principals.values().any(|p| Some(p.as_str()) == principal));
    }

    // A few to resolve are looked up one at a time.
    let mut rig = Rig::new(7);
    rig.cycle_with(&CycleSettings {
        users_per_slice: 3,
        ..settings()
    });
    assert_eq!(rig.fake.world(|w| w.directory_reads), 0);
    assert_eq!(rig.store.cloudlink_principals().unwrap().len(), 7);
}

#[test]
fn a_cloudlink_directory_that_cannot_be_read_is_one_error_and_the_other_sides_still_sync() {
    let mut rig = Rig::new(80);
    rig.fake.user(5, |u| u.phone.dnd = true);
    rig.fake.world(|w| {
        w.failing_reads.insert("cloudlink");
    });
    let report = rig.cycle_with(&CycleSettings {
        users_per_slice: 40,
        ..settings()
    });
    assert_eq!(report.errors_by_system.get("cloudlink"), Some(&1));
    assert_eq!(
        report.applied.pbx_to_teams, 1,
        "the phone still reaches Teams"
    );
    assert!(rig.store.cloudlink_principals().unwrap().is_empty());
}

#[test]
fn a_forced_mass_change_is_applied_as_it_is_decided_with_the_same_outcome() {
    // Every phone on DND: 21 session writes, far past the guard. Forced, the writes go out
    // four at a time while later slices are still being read; the outcome is the same as
    // holding them all to the end.
    let outcome = |writes_per_chunk: usize| {
        let mut rig = Rig::new(21);
        for i in 0..21 {
            rig.fake.user(i, |u| u.phone.dnd = true);
        }
        let forced = CycleSettings {
            force: true,
            writes_per_chunk,
            ..settings()
        };
        let report = rig.cycle_with(&forced);
        assert_eq!(report.guard_tripped, None);
        assert_eq!(report.applied.pbx_to_teams, 21);
        assert_eq!(report.failed_users, 0);
        assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
        let records: Vec<_> = rig
            .store
            .sync_records()
            .unwrap()
            .into_iter()
            .map(|r| (r.micollab_login, r.graph_session))
            .collect();
        let first_write = rig.fake.world(|w| w.pbx_reads_at_first_write);
        (records, first_write)
    };
    let (held, first_write) = outcome(1_000);
    assert_eq!(held.len(), 21);
    assert_eq!(
        first_write,
        Some(7),
        "held: written after all 7 slices were read"
    );
    let (streamed, first_write) = outcome(4);
    assert_eq!(streamed, held);
    assert!(
        first_write < Some(7),
        "streamed: written after {first_write:?} reads"
    );
}

#[test]
fn a_cycle_its_guard_stops_still_counts_every_change_and_writes_nothing() {
    let mut rig = Rig::new(21);
    for i in 0..21 {
        rig.fake.user(i, |u| u.phone.dnd = true);
    }
    let report = rig.cycle_with(&CycleSettings {
        max_changes: 5,
        ..settings()
    });
    assert_eq!(report.guard_tripped, Some((21, 5)));
    assert_eq!(rig.fake.writes(), (0, 0));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

#[test]
fn a_read_failing_for_one_slice_leaves_only_that_slices_users_alone() {
    let mut rig = Rig::new(6);
    for i in [0, 4] {
        rig.fake
            .user(i, |u| u.client = Some((Availability::Away, Activity::Away)));
    }
    let failing = rig.fake.user(4, |u| u.teams_id.clone());
    rig.fake.world(|w| w.failing_graph_id = Some(failing));
    let report = rig.cycle(); // three per slice: users 3..6 are one slice
    assert_eq!(report.unavailable().unwrap().system, "graph");
    assert_eq!(report.errors_by_system.get("graph"), Some(&1));
    assert_eq!(rig.shown(0), "Away", "the other slices go on");
    assert_eq!(rig.shown(4), "Available", "unknown is left alone");
    rig.fake.world(|w| w.failing_graph_id = None);
    rig.cycle();
    assert_eq!(rig.shown(4), "Away");
}

#[test]
fn a_system_down_for_every_slice_is_one_error_of_the_cycle() {
    let mut rig = Rig::new(7);
    rig.fake.world(|w| {
        w.failing_reads.insert("pbx");
    });
    let report = rig.cycle(); // three slices
    assert_eq!(report.errors_by_system.get("pbx"), Some(&1));
    assert_eq!(report.read_errors.len(), 1);
}

#[test]
fn one_users_failure_never_fails_the_others() {
    let mut rig = Rig::new(3);
    for i in 0..3 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.fake.world(|w| {
        w.failing_session_writes.insert("user1".into());
    });
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 2);
    assert_eq!(report.failed_users, 1);
    assert_eq!(report.user_errors[0].0, "user1");
    let record = rig.store.sync_record("user1").unwrap().unwrap();
    assert!(
        record.graph_session.is_none(),
        "a failed write is not recorded as done"
    );
    assert!(record.last_error.unwrap().contains("503"));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
    // The next cycle retries it.
    rig.fake.world(|w| w.failing_session_writes.clear());
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(report.failed_users, 0);
}

/// `report`'s read: every live user observed as a cycle observes them, slice by slice,
/// nothing written (not even resolved principal ids); a system down is one error.
#[test]
fn the_estate_read_observes_as_a_cycle_does_and_writes_nothing() {
    let rig = Rig::new(7);
    rig.fake.user(2, |u| u.phone.call = CallState::Busy);
    let systems = Systems {
        teams: &rig.fake,
        micollab: &rig.fake,
        pbx: &rig.fake,
        cloudlink: &rig.fake,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let read = |systems| {
        runtime
            .block_on(super::super::estate::observe_estate(&rig.store, systems, 3))
            .unwrap()
    };
    let seen = read(&systems);
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
    assert_eq!(seen.users.len(), 7);
    for (i, user) in seen.users.iter().enumerate() {
        assert_eq!(user.login, format!("user{i}"));
        assert_eq!(user.observed.teams_enabled, Some(true));
        assert!(user.observed.teams.is_some() && user.observed.presentity.is_some());
        let call = user.observed.phone.map(|p| p.call);
        let expected = if i == 2 {
            CallState::Busy
        } else {
            CallState::Idle
        };
        assert_eq!(call, Some(expected), "user{i}");
        assert_eq!(user.extension_answered, Some(true));
        assert_eq!(user.presentity_answered, Some(true));
    }
    assert_eq!(rig.fake.writes(), (0, 0));
    assert!(rig.store.cloudlink_principals().unwrap().is_empty());
    assert!(rig.store.sync_records().unwrap().is_empty());

    rig.fake.world(|w| w.failing_reads.insert("pbx"));
    let seen = read(&systems);
    assert_eq!(seen.errors.len(), 1, "{:?}", seen.errors);
    assert_eq!(seen.errors[0].system, "pbx");
    assert!(seen.users.iter().all(|u| u.observed.phone.is_none()));
    assert!(seen.users.iter().all(|u| u.extension_answered.is_none()));
    assert!(seen.users.iter().all(|u| u.observed.teams.is_some()));
}

#[test]
fn a_targeted_cycle_decides_only_its_users_and_records_nothing_of_the_estate() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let extension = rig.fake.user(2, |u| u.extension.clone());
    let login = rig.fake.user(3, |u| u.login.clone());
    let phone_only = CycleSettings {
        only: Some(std::sync::Arc::new(crate::store::UserKeys {
            extensions: vec![extension, "99999".into()],
            logins: vec![],
        })),
        ..settings()
    };
    let report = rig.cycle_with(&CycleSettings {
        policy: crate::reconcile::Policy {
            direction: SyncDirection::PbxToTeams,
            ..phone_only.policy
        },
        ..phone_only
    });
    assert_eq!(report.users_checked, 1);
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert!(rig.fake.user(2, |u| u.ours.is_some()));
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    // By login, the same; a targeted cycle never counts as the last complete one.
    let by_login = CycleSettings {
        only: Some(std::sync::Arc::new(crate::store::UserKeys {
            extensions: vec![],
            logins: vec![login],
        })),
        ..settings()
    };
    assert_eq!(rig.cycle_with(&by_login).users_checked, 1);
    assert!(rig.fake.user(3, |u| u.ours.is_some()));
    assert!(rig.fake.user(1, |u| u.ours.is_none()));
    let records = rig.store.sync_records().unwrap();
    assert_eq!(records.len(), 2);
    assert!(
        records.iter().all(|r| r.last_success_at.is_none()),
        "{records:?}"
    );
    // The full cycle reaches everyone and is complete.
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_some()));
    let records = rig.store.sync_records().unwrap();
    assert!(
        records.iter().all(|r| r.last_success_at.is_some()),
        "{records:?}"
    );
}

#[test]
fn a_teams_cycle_decides_on_what_a_glance_read_and_remembers_it() {
    let mut rig = Rig::new(3);
    rig.cycle();
    let logins: Vec<String> = (0..3)
        .map(|i| rig.fake.user(i, |u| u.login.clone()))
        .collect();
    let ids: Vec<String> = (0..3)
        .map(|i| rig.fake.user(i, |u| u.teams_id.clone()))
        .collect();
    // A glance read user 0 in Do not disturb a moment ago (Graph shows Available now).
    let mut glanced = crate::ids::IdMap::default();
    glanced.insert(
        ids[0].clone(),
        crate::reconcile::TeamsPresence {
            availability: Availability::DoNotDisturb,
            activity: Activity::DoNotDisturb,
            sequence_number: None,
        },
    );
    let seen = std::sync::Arc::new(crate::engine::SeenPresence::new());
    let teams_side = CycleSettings {
        policy: crate::reconcile::Policy {
            direction: SyncDirection::TeamsToMicollab,
            ..settings().policy
        },
        only: Some(std::sync::Arc::new(crate::store::UserKeys {
            extensions: vec![],
            logins: logins[..2].to_vec(),
        })),
        seen: Some(seen.clone()),
        presences: Some(std::sync::Arc::new(glanced.clone())),
        ..settings()
    };
    rig.fake.world(|w| w.graph_ids_read.clear());
    let report = rig.cycle_with(&teams_side);
    assert_eq!(report.users_checked, 2);
    // User 1 was not in the glance's read: read from Graph; user 0 was not read again.
    let asked = rig.fake.world(|w| std::mem::take(&mut w.graph_ids_read));
    assert!(
        asked.contains(&ids[1]) && !asked.contains(&ids[0]),
        "{asked:?}"
    );
    assert_eq!(rig.shown(0), "Do not disturb");
    assert_eq!(rig.shown(1), "Available");
    // What was decided is remembered: the same presence is no change for the next glance,
    // and user 2 (not in this cycle) was never decided.
    let users: Vec<crate::engine::GlancedUser> = (0..3)
        .map(|i| crate::engine::GlancedUser {
            login: logins[i].clone(),
            teams_id: ids[i].clone(),
            touched: false,
        })
        .collect();
    let mut now_shown = glanced;
    now_shown.insert(
        ids[1].clone(),
        crate::reconcile::TeamsPresence {
            availability: Availability::Available,
            activity: Activity::Available,
            sequence_number: None,
        },
    );
    assert_eq!(
        crate::engine::glance_changed(&seen, &users, &now_shown),
        [logins[2].clone()]
    );
}
