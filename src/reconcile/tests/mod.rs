use super::*;
use crate::presence::{CallState, DeviceType};

const TTL: Duration = Duration::from_secs(15 * 60);

fn policy() -> Policy {
    Policy {
        session_ttl: TTL,
        direction: SyncDirection::Both,
    }
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn phone(call: CallState, dnd: bool) -> PhoneState {
    crate::test_support::desk_phone(call, dnd)
}

fn teams(availability: &str, activity: &str) -> TeamsPresence {
    TeamsPresence {
        availability: Availability::parse(availability),
        activity: Activity::parse(activity),
        sequence_number: None,
    }
}

fn presentity(status: &str, activity: &str, version: &str, source: &str) -> Presentity {
    Presentity {
        status: Some(status.into()),
        activity: Some(activity.into()),
        version: version.into(),
        source: Some(source.into()),
    }
}

fn observed(t: TeamsPresence, p: PhoneState, shown: Presentity) -> Observed {
    Observed {
        tombstone: false,
        teams_enabled: Some(true),
        teams: Some(t),
        phone: Some(p),
        presentity: Some(shown),
    }
}

fn write(status: MiCollabStatus, activity: &str, version: &str) -> Action {
    Action::WritePresentity {
        status,
        activity: activity.into(),
        expected_version: version.into(),
    }
}

fn set(intent: SessionIntent) -> Action {
    Action::SetSession {
        intent,
        ttl: TTL,
        refresh: false,
    }
}

fn holding(intent: SessionIntent, expires_in: i64) -> Record {
    Record {
        session: Some(SessionRecord {
            intent,
            written_at: t0() - chrono::Duration::seconds(60),
            expires_at: t0() + chrono::Duration::seconds(expires_in),
        }),
        presentity: None,
        session_unsettled: false,
    }
}

#[test]
fn the_seeds_scenarios() {
    use CallState::*;
    use MiCollabStatus as S;
    use SessionIntent::*;
    let available = presentity("Available", "Available", "v1", WRITER);
    // (name, observed, record, expected actions)
    let cases: Vec<(&str, Observed, Record, Vec<Action>)> = vec![
        (
            "DND chosen in Teams -> MiCollab Do not disturb, phone untouched",
            observed(
                teams("DoNotDisturb", "DoNotDisturb"),
                phone(Idle, false),
                available.clone(),
            ),
            Record::default(),
            vec![write(S::DoNotDisturb, "DoNotDisturb", "v1")],
        ),
        (
            "DND cleared in Teams -> back to Available",
            observed(
                teams("Available", "Available"),
                phone(Idle, false),
                presentity("Do not disturb", "DoNotDisturb", "v2", WRITER),
            ),
            Record::default(),
            vec![write(S::Available, "Available", "v2")],
        ),
        (
            "phone call -> Teams In a call (app session)",
            observed(
                teams("Available", "Available"),
                phone(Busy, false),
                available.clone(),
            ),
            Record::default(),
            vec![set(InACall)],
        ),
        (
            "own session comes back from Graph -> MiCollab In a call, no new session",
            observed(
                teams("Busy", "InACall"),
                phone(Busy, false),
                available.clone(),
            ),
            holding(InACall, 600),
            vec![write(S::InACall, "InACall", "v1")],
        ),
        (
            "hung up -> session cleared",
            observed(
                teams("Busy", "InACall"),
                phone(Idle, false),
                presentity("In a call", "InACall", "v3", WRITER),
            ),
            holding(InACall, 600),
            vec![Action::ClearSession],
        ),
        (
            "phone DND -> Teams DoNotDisturb/Presenting",
            observed(
                teams("Available", "Available"),
                phone(Idle, true),
                available.clone(),
            ),
            Record::default(),
            vec![set(DoNotDisturb)],
        ),
        (
            "phone DND and a call at once -> DND wins",
            observed(
                teams("Available", "Available"),
                phone(Busy, true),
                available.clone(),
            ),
            Record::default(),
            vec![set(DoNotDisturb)],
        ),
        (
            "phone DND session back from Graph -> MiCollab Presenting",
            observed(
                teams("DoNotDisturb", "Presenting"),
                phone(Idle, true),
                available.clone(),
            ),
            holding(DoNotDisturb, 600),
            vec![write(S::Presenting, "Presenting", "v1")],
        ),
        (
            "the seed's conflict: phone DND off, DND chosen in Teams -> left alone, MiCollab DND",
            observed(
                teams("DoNotDisturb", "DoNotDisturb"),
                phone(Idle, false),
                presentity("Do not disturb", "DoNotDisturb", "v4", WRITER),
            ),
            Record::default(),
            vec![],
        ),
        (
            "a status chosen by hand in Teams beats the phone: no fight, MiCollab follows Teams",
            observed(
                teams("Available", "Available"),
                phone(Busy, false),
                available.clone(),
            ),
            holding(InACall, 600),
            vec![],
        ),
        (
            "PresenceUnknown -> MiCollab left as it is",
            observed(
                teams("PresenceUnknown", "PresenceUnknown"),
                phone(Idle, false),
                available.clone(),
            ),
            Record::default(),
            vec![],
        ),
    ];
    for (name, obs, record, want) in cases {
        let decision = reconcile(&obs, &record, &policy(), t0());
        assert_eq!(decision.actions, want, "{name}");
    }
}

#[test]
fn acd_hotdesk_softphone_is_skipped_but_desk_phone_agents_are_synchronized() {
    let mut soft = phone(CallState::Busy, false);
    soft.acd_hotdesk = true;
    soft.device = DeviceType::Softphone;
    let shown = presentity("Available", "Available", "v1", WRITER);
    let d = reconcile(
        &observed(teams("Available", "Available"), soft, shown.clone()),
        &Record::default(),
        &policy(),
        t0(),
    );
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(d.notes, vec![Note::AcdHotdeskUnsynced]);

    let mut desk = soft;
    desk.device = DeviceType::DeskPhone;
    let d = reconcile(
        &observed(teams("Available", "Available"), desk, shown),
        &Record::default(),
        &policy(),
        t0(),
    );
    assert_eq!(d.actions, vec![set(SessionIntent::InACall)]);
}

#[test]
fn sessions_are_refreshed_only_when_a_fifth_is_left() {
    let obs = observed(
        teams("Busy", "InACall"),
        phone(CallState::Busy, false),
        presentity("In a call", "InACall", "v1", WRITER),
    );
    // (seconds left on the session, refresh expected)
    let cases = [
        (600, false),
        (181, false),
        (179, true),
        (1, true),
        (0, true),
        (-30, true),
    ];
    for (left, refresh_due) in cases {
        let d = reconcile(
            &obs,
            &holding(SessionIntent::InACall, left),
            &policy(),
            t0(),
        );
        let refreshed = d.actions.iter().any(|a| {
            matches!(a, Action::SetSession { intent: SessionIntent::InACall, ttl, .. } if *ttl == TTL)
        });
        assert_eq!(refreshed, refresh_due, "{left}s left: {:?}", d.actions);
        if refresh_due {
            let s = d.record.session.unwrap();
            assert_eq!(
                s.expires_at,
                t0() + chrono::Duration::from_std(TTL).unwrap()
            );
        }
    }
}

#[test]
fn flag_off_or_tombstone_clears_the_session_and_stops_writing() {
    let base = observed(
        teams("DoNotDisturb", "DoNotDisturb"),
        phone(CallState::Busy, false),
        presentity("Available", "Available", "v1", WRITER),
    );
    let record = holding(SessionIntent::InACall, 600);

    let mut off = base.clone();
    off.teams_enabled = Some(false);
    let d = reconcile(&off, &record, &policy(), t0());
    assert_eq!(d.actions, vec![Action::ClearSession]);
    assert!(!d.forget);

    let mut gone = base.clone();
    gone.tombstone = true;
    let d = reconcile(&gone, &record, &policy(), t0());
    assert_eq!(d.actions, vec![Action::ClearSession]);
    assert!(d.forget, "record can go once the session is cleared");
    // A tombstone with nothing held is forgotten at once.
    let d = reconcile(&gone, &Record::default(), &policy(), t0());
    assert!(d.actions.is_empty() && d.forget);

    // Flag unknown (MiCollab not read): nothing changes; the session runs out by itself.
    let mut unknown = base;
    unknown.teams_enabled = None;
    assert!(
        reconcile(&unknown, &record, &policy(), t0())
            .actions
            .is_empty()
    );
}

#[test]
fn unread_sides_cause_no_change() {
    let record = holding(SessionIntent::InACall, 600);
    let mut obs = observed(
        teams("Away", "Away"),
        phone(CallState::Idle, false),
        presentity("Available", "Available", "v1", WRITER),
    );
    obs.phone = None;
    obs.presentity = None;
    let d = reconcile(&obs, &record, &policy(), t0());
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(d.record, record);
}

/// The record after mcteams wrote "Away" (version v5) from Teams' Away/Away.
fn wrote_away() -> Record {
    Record {
        session: None,
        presentity: Some(PresentityRecord {
            status: MiCollabStatus::Away,
            activity: "Away".into(),
            version: Some("v5".into()),
            based_on: teams("Away", "Away").key(),
            written_at: t0(),
        }),
        session_unsettled: false,
    }
}

#[test]
fn another_writer_is_reported_not_fought() {
    let record = wrote_away();
    let changed = presentity("Busy", "Busy", "v6", "micollab-admin");
    let d = reconcile(
        &observed(
            teams("Away", "Away"),
            phone(CallState::Idle, false),
            changed.clone(),
        ),
        &record,
        &policy(),
        t0(),
    );
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(
        d.notes,
        vec![Note::ForeignWriter {
            source: "micollab-admin".into(),
            version: "v6".into()
        }]
    );
    // Teams changes: a new intent, written over the foreign value at its current version.
    let d = reconcile(
        &observed(
            teams("Available", "Available"),
            phone(CallState::Idle, false),
            changed,
        ),
        &record,
        &policy(),
        t0(),
    );
    assert_eq!(
        d.actions,
        vec![write(MiCollabStatus::Available, "Available", "v6")]
    );
}

#[test]
fn directions_can_be_synchronized_alone() {
    let obs = observed(
        teams("DoNotDisturb", "DoNotDisturb"),
        phone(CallState::Busy, false),
        presentity("Available", "Available", "v1", WRITER),
    );
    let only = |direction| {
        let p = Policy {
            direction,
            ..policy()
        };
        reconcile(&obs, &Record::default(), &p, t0()).actions
    };
    assert_eq!(
        only(SyncDirection::PbxToTeams),
        vec![set(SessionIntent::InACall)]
    );
    assert_eq!(
        only(SyncDirection::TeamsToMicollab),
        vec![write(MiCollabStatus::DoNotDisturb, "DoNotDisturb", "v1")]
    );
    assert_eq!(only(SyncDirection::Both).len(), 2);
}

/// A rollout that switches Teams off and on again: while the flag is seen off, MiCollab shows
/// the user's own status, and mcteams forgets its write; on again, it takes the presentity back.
#[test]
fn a_disable_and_enable_is_taken_back_not_reported_as_another_writer() {
    let record = wrote_away();
    let restored = presentity("Available", "Available", "v6", "micollab");
    // The flag off, observed: mcteams forgets its write and writes nothing.
    let mut off = observed(
        teams("Away", "Away"),
        phone(CallState::Idle, false),
        restored.clone(),
    );
    off.teams_enabled = Some(false);
    let d = reconcile(&off, &record, &policy(), t0());
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(d.record.presentity, None);
    // On again: Teams' status is written back.
    let on = observed(
        teams("Away", "Away"),
        phone(CallState::Idle, false),
        restored,
    );
    let back = reconcile(&on, &d.record, &policy(), t0());
    assert_eq!(
        back.actions,
        vec![write(MiCollabStatus::Away, "Away", "v6")]
    );
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    // Without a cycle that saw the flag off, MiCollab's write looks like any other writer's.
    let unseen = reconcile(&on, &record, &policy(), t0());
    assert!(unseen.actions.is_empty());
    assert!(matches!(
        unseen.notes.as_slice(),
        [Note::ForeignWriter { .. }]
    ));
}

#[test]
fn the_guard_holds_changes_and_lets_refreshes_go() {
    let held_call = holding(SessionIntent::InACall, 100);
    // A refresh of a held call, and a presentity change: the refresh goes, the write waits.
    let refresh_and_write = reconcile(
        &observed(
            teams("Busy", "InACall"),
            phone(CallState::Busy, false),
            presentity("Available", "Available", "v1", WRITER),
        ),
        &held_call,
        &policy(),
        t0(),
    );
    assert_eq!(changes_in(&refresh_and_write.actions), 1);
    assert_eq!(refresh_and_write.actions.len(), 2);
    let held = hold_changes(refresh_and_write.clone(), &held_call);
    assert!(matches!(
        held.actions.as_slice(),
        [Action::SetSession { refresh: true, .. }]
    ));
    assert_eq!(held.record.session, refresh_and_write.record.session);
    assert_eq!(
        held.record.presentity, None,
        "the write waits: the old part stays"
    );
    // A new call: a change, held whole; the record still holds no session.
    let none = Record::default();
    let new_call = reconcile(
        &observed(
            teams("Available", "Available"),
            phone(CallState::Busy, false),
            presentity("Available", "Available", "v1", WRITER),
        ),
        &none,
        &policy(),
        t0(),
    );
    let held = hold_changes(new_call, &none);
    assert!(held.actions.is_empty());
    assert_eq!(held.record, none);
}

mod properties;
