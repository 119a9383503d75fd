use super::*;
use crate::presence::{CallState, DeviceType, SessionIntent};
use crate::reconcile::{Presentity, PresentityRecord, SessionRecord, TeamsPresence, WRITER};
use crate::wire::graph::Activity;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn ago(secs: i64) -> DateTime<Utc> {
    now() - chrono::Duration::seconds(secs)
}

const WINDOWS: Windows = Windows {
    settle_window: Duration::from_secs(60),
    stale_after: Duration::from_secs(300),
};

fn mapping(verified: bool) -> Mapping {
    Mapping {
        micollab_login: "alice".into(),
        teams_upn: "alice@contoso.com".into(),
        teams_id: Some("6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50".into()),
        extension: "1001".into(),
        cloudlink_user_id: Some("cl-alice".into()),
        verified,
        created_at: ago(86_400),
        updated_at: ago(86_400),
        removed_at: None,
    }
}

fn phone(call: CallState, dnd: bool) -> PhoneState {
    crate::test_support::desk_phone(call, dnd)
}

fn seen(
    availability: &str,
    activity: &str,
    phone: PhoneState,
    status: &str,
    shown_activity: &str,
    source: &str,
) -> Observed {
    Observed {
        tombstone: false,
        teams_enabled: Some(true),
        teams: Some(TeamsPresence {
            availability: Availability::parse(availability),
            activity: Activity::parse(activity),
            sequence_number: None,
        }),
        phone: Some(phone),
        presentity: Some(Presentity {
            status: Some(status.into()),
            activity: Some(shown_activity.into()),
            version: "v7".into(),
            source: Some(source.into()),
        }),
    }
}

/// A history whose last sync (2 minutes ago, successful) saw `observed` and held `session`.
fn synced(observed: &Observed, session: Option<SessionIntent>) -> SyncHistory {
    SyncHistory {
        record: Record {
            session: session.map(|intent| SessionRecord {
                intent,
                written_at: ago(120),
                expires_at: ago(120) + chrono::Duration::minutes(15),
            }),
            presentity: Some(PresentityRecord {
                status: MiCollabStatus::Available,
                activity: "Available".into(),
                version: Some("v7".into()),
                based_on: "x".into(),
                written_at: ago(600),
            }),
            session_unsettled: false,
        },
        last_success_at: Some(ago(30)),
        last_error: None,
        last_error_at: None,
        last_observed: Some(observed.clone()),
        last_observed_at: Some(ago(120)),
        unconfirmed_writes: 0,
        held_by_guard: None,
    }
}

fn codes(facts: &UserFacts<'_>) -> Vec<&'static str> {
    classify(facts, WINDOWS, now())
        .iter()
        .map(|f| f.reason.code())
        .collect()
}

fn facts<'a>(
    m: Option<&'a Mapping>,
    o: &'a Observed,
    h: &'a SyncHistory,
    e: &'a Existence,
) -> UserFacts<'a> {
    UserFacts {
        mapping: m,
        observed: o,
        history: h,
        existence: e,
        client: Some((ClientKind::Pc, true)),
        unsupported: None,
        unavailable: &[],
    }
}

#[test]
fn each_reason_from_its_scenario() {
    let m = mapping(true);
    let none = Existence::default();
    let idle = phone(CallState::Idle, false);

    // In sync: Teams Available, MiCollab Available.
    let o = seen(
        "Available",
        "Available",
        idle,
        "Available",
        "Available",
        WRITER,
    );
    assert_eq!(
        codes(&facts(Some(&m), &o, &synced(&o, None), &none)),
        vec!["in_sync"]
    );

    // The seed's conflict: DND chosen in Teams, phone DND off.
    let o = seen(
        "DoNotDisturb",
        "DoNotDisturb",
        idle,
        "Do not disturb",
        "DoNotDisturb",
        WRITER,
    );
    assert_eq!(
        codes(&facts(Some(&m), &o, &synced(&o, None), &none)),
        vec!["dnd_conflict"]
    );
    // ...but a DND that mcteams' own session explains (phone DND on) is no conflict.
    let o = seen(
        "DoNotDisturb",
        "Presenting",
        phone(CallState::Idle, true),
        "Presenting",
        "Presenting",
        WRITER,
    );
    assert_eq!(
        codes(&facts(
            Some(&m),
            &o,
            &synced(&o, Some(SessionIntent::DoNotDisturb)),
            &none
        )),
        vec!["in_sync"]
    );

    // MiCollab behind Teams for longer than the settle window.
    let o = seen("Away", "Away", idle, "Available", "Available", WRITER);
    assert_eq!(
        codes(&facts(Some(&m), &o, &synced(&o, None), &none)),
        vec!["teams_micollab_mismatch"]
    );
    // ...and newer than it: settling, not counted.
    let mut fresh = synced(&o, None);
    fresh.last_observed_at = Some(ago(10));
    assert_eq!(
        codes(&facts(Some(&m), &o, &fresh, &none)),
        vec!["settling"],
        "settling is not in sync"
    );

    // Phone in a call, no mcteams session.
    let o = seen(
        "Available",
        "Available",
        phone(CallState::Busy, false),
        "Available",
        "Available",
        WRITER,
    );
    assert_eq!(
        codes(&facts(Some(&m), &o, &synced(&o, None), &none)),
        vec!["pbx_teams_mismatch"]
    );
    // Phone idle, mcteams' session still held.
    let o = seen("Busy", "InACall", idle, "In a call", "InACall", WRITER);
    assert_eq!(
        codes(&facts(
            Some(&m),
            &o,
            &synced(&o, Some(SessionIntent::InACall)),
            &none
        )),
        vec!["pbx_teams_mismatch"]
    );
    // A status chosen by hand in Teams rightly wins over the phone: no mismatch.
    let o = seen(
        "Available",
        "Available",
        phone(CallState::Busy, false),
        "Available",
        "Available",
        WRITER,
    );
    assert_eq!(
        codes(&facts(
            Some(&m),
            &o,
            &synced(&o, Some(SessionIntent::InACall)),
            &none
        )),
        vec!["in_sync"]
    );

    // Another writer changed the presentity after mcteams.
    let o = seen(
        "Available",
        "Available",
        idle,
        "Busy",
        "Busy",
        "micollab-admin",
    );
    let mut h = synced(&o, None);
    h.record.presentity.as_mut().unwrap().version = Some("v6".into());
    assert_eq!(
        codes(&facts(Some(&m), &o, &h, &none)),
        vec!["foreign_writer"]
    );

    // The last sync failed.
    let o = seen(
        "Available",
        "Available",
        idle,
        "Available",
        "Available",
        WRITER,
    );
    let mut h = synced(&o, None);
    h.last_error = Some("graph: 503".into());
    h.last_error_at = Some(ago(5));
    let found = classify(&facts(Some(&m), &o, &h, &none), WINDOWS, now());
    assert_eq!(found[0].reason, Reason::SyncError);
    assert!(found[0].hint.contains("graph: 503"));

    // No success within stale_after.
    let mut h = synced(&o, None);
    h.last_success_at = Some(ago(301));
    assert_eq!(codes(&facts(Some(&m), &o, &h, &none)), vec!["stale"]);

    // Unverified mapping, and its targets gone or renamed.
    let unverified = mapping(false);
    let gone = Existence {
        teams_user: Some(true),
        renamed_upn: Some("alice.smith@contoso.com".into()),
        micollab_login: Some(true),
        extension: Some(false),
        cloudlink_user: Some(true),
        upn_owner: None,
    };
    let found = classify(
        &facts(Some(&unverified), &o, &synced(&o, None), &gone),
        WINDOWS,
        now(),
    );
    let reasons: Vec<_> = found.iter().map(|f| f.reason.code()).collect();
    assert_eq!(
        reasons,
        vec!["mapping_target_missing", "unverified_mapping"]
    );
    assert!(found[0].hint.contains("renamed to alice.smith@contoso.com"));
    assert!(found[0].hint.contains("extension 1001"));

    // Mapped, flag off.
    let mut off = o.clone();
    off.teams_enabled = Some(false);
    assert_eq!(
        codes(&facts(Some(&m), &off, &synced(&off, None), &none)),
        vec!["integration_disabled"]
    );

    // Flag on, no mapping.
    assert_eq!(
        codes(&facts(None, &o, &SyncHistory::default(), &none)),
        vec!["unmapped_enabled_user"]
    );

    // Unsupported system.
    let h = synced(&o, None);
    let mut f = facts(Some(&m), &o, &h, &none);
    f.unsupported = Some("MiCollab 9.8.0.33 is below R9.8 SP1");
    assert_eq!(codes(&f), vec!["unsupported_system"]);
}

#[test]
fn informational_reasons_do_not_count() {
    let m = mapping(true);
    let none = Existence::default();
    let mut soft = phone(CallState::Busy, false);
    soft.acd_hotdesk = true;
    soft.device = DeviceType::Softphone;
    let o = seen(
        "Available",
        "Available",
        soft,
        "Available",
        "Available",
        WRITER,
    );
    let h = synced(&o, None);
    let mut f = facts(Some(&m), &o, &h, &none);
    f.client = Some((ClientKind::Web, false));
    assert_eq!(
        codes(&f),
        vec!["in_sync", "acd_hotdesk_unsynced", "client_drift_risk"]
    );
    for reason in Reason::ALL {
        assert_eq!(Reason::parse(reason.code()), Some(reason));
    }
    let informational: Vec<&str> = Reason::ALL
        .iter()
        .filter(|r| !r.counted())
        .map(|r| r.code())
        .collect();
    assert_eq!(
        informational,
        [
            "integration_disabled",
            "in_sync",
            "source_unavailable",
            "teams_unknown",
            "acd_hotdesk_unsynced",
            "client_drift_risk",
            "settling"
        ]
    );
}

#[test]
fn a_mapped_user_never_observed_is_stale_unless_its_login_is_gone() {
    let m = mapping(true);
    let unknown = Observed::default();
    let never = SyncHistory::default();
    let exists = Existence::default();
    assert_eq!(
        codes(&facts(Some(&m), &unknown, &never, &exists)),
        vec!["stale"]
    );
    let gone = Existence {
        micollab_login: Some(false),
        ..Existence::default()
    };
    assert_eq!(
        codes(&facts(Some(&m), &unknown, &never, &gone)),
        vec!["mapping_target_missing"]
    );
}

/// A mapping whose UPN leads to another Entra object than its id: both values, and what
/// became of the mapping's object (renamed, gone), under `mapping_target_missing`.
#[test]
fn a_upn_and_an_id_that_name_two_people_are_told_with_both_values() {
    let m = mapping(true);
    let idle = phone(CallState::Idle, false);
    let o = seen(
        "Available",
        "Available",
        idle,
        "Available",
        "Available",
        WRITER,
    );
    let other = "0a1b2c3d-0000-4000-8000-000000000099";
    // (what became of the mapping's object, words the hint must have)
    let cases = [
        (
            Existence {
                teams_user: Some(true),
                renamed_upn: Some("alice.old@contoso.com".into()),
                upn_owner: Some(other.into()),
                ..Existence::default()
            },
            "and 6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50 is alice.old@contoso.com",
        ),
        (
            Existence {
                teams_user: Some(false),
                upn_owner: Some(other.into()),
                ..Existence::default()
            },
            "and 6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50 no longer exists",
        ),
    ];
    for (existence, says) in cases {
        let found = classify(
            &facts(Some(&m), &o, &synced(&o, None), &existence),
            WINDOWS,
            now(),
        );
        let hint = &found
            .iter()
            .find(|f| f.reason == Reason::MappingTargetMissing)
            .unwrap_or_else(|| panic!("{found:?}"))
            .hint;
        let both = format!(
            "Teams UPN alice@contoso.com and object id 6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50 \
             disagree: in Entra alice@contoso.com is object {other}"
        );
        assert!(hint.contains(&both), "{hint}");
        assert!(hint.contains(says), "{hint}");
        assert!(
            !hint.contains("Teams user alice@contoso.com"),
            "it exists: {hint}"
        );
    }
}

/// What the report cannot vouch for is never `in_sync`: writes an interrupted run left
/// unconfirmed, and a Teams presence that maps to nothing.
#[test]
fn unconfirmed_writes_and_unknown_presence_are_never_in_sync() {
    let m = mapping(true);
    let none = Existence::default();
    let busy = phone(CallState::Busy, false);
    // The record holds the call and Teams shows it: in sync...
    let o = seen("Busy", "InACall", busy, "In a call", "InACall", WRITER);
    let mut history = synced(&o, Some(SessionIntent::InACall));
    assert_eq!(
        codes(&facts(Some(&m), &o, &history, &none)),
        vec!["in_sync"]
    );
    // ...unless a write for the user is still unconfirmed in the journal.
    history.unconfirmed_writes = 1;
    let found = classify(&facts(Some(&m), &o, &history, &none), WINDOWS, now());
    assert_eq!(
        found.iter().map(|f| f.reason.code()).collect::<Vec<_>>(),
        vec!["settling"]
    );
    assert!(found[0].hint.contains("1 write(s) not yet confirmed"));

    // PresenceUnknown: informational, and not in sync.
    let idle = phone(CallState::Idle, false);
    let o = seen(
        "PresenceUnknown",
        "PresenceUnknown",
        idle,
        "Available",
        "Available",
        WRITER,
    );
    let history = synced(&o, None);
    assert_eq!(
        codes(&facts(Some(&m), &o, &history, &none)),
        vec!["teams_unknown"]
    );
    assert!(!Reason::TeamsUnknown.counted());
}

/// Just after the phone's DND went off, Teams may still show mcteams' DoNotDisturb/Presenting
/// for a moment (the record already without it): that is a session, not a DND chosen in
/// Teams, so no `dnd_conflict`.
#[test]
fn a_dnd_a_session_explains_is_no_conflict() {
    let m = mapping(true);
    let none = Existence::default();
    let idle = phone(CallState::Idle, false);
    let o = seen(
        "DoNotDisturb",
        "Presenting",
        idle,
        "Presenting",
        "Presenting",
        WRITER,
    );
    let mut history = synced(&o, None);
    history.last_observed_at = Some(ago(5));
    let found = codes(&facts(Some(&m), &o, &history, &none));
    assert!(!found.contains(&"dnd_conflict"), "{found:?}");
}

/// A system down: its users are `source_unavailable` (the system named), never `in_sync`,
/// and what could be checked still is.
#[test]
fn users_a_down_system_keeps_from_being_checked_are_source_unavailable() {
    let m = mapping(true);
    let none = Existence::default();
    let idle = phone(CallState::Idle, false);
    let mut o = seen(
        "Available",
        "Available",
        idle,
        "Available",
        "Available",
        WRITER,
    );
    o.phone = None;
    let h = synced(&o, None);
    let mut f = facts(Some(&m), &o, &h, &none);
    f.unavailable = &["pbx"];
    let found = classify(&f, WINDOWS, now());
    assert_eq!(
        found.iter().map(|f| f.reason.code()).collect::<Vec<_>>(),
        vec!["source_unavailable"]
    );
    assert!(found[0].hint.contains("pbx could not be read"));
    assert!(!Reason::SourceUnavailable.counted());
}
