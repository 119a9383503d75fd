use super::*;
use crate::wire::micollab::TeamsFlags;

fn user(login: &str, client: &str, telephony_only: bool, own_checkbox: bool) -> User {
    serde_json::from_value(serde_json::json!({
        "login": login,
        "name": login.to_uppercase(),
        "profileName": "Sales",
        "clientType": client,
        "telephonyOnly": telephony_only,
        "teamsPresence": {"user": own_checkbox, "profile": false, "effective": own_checkbox},
    }))
    .unwrap()
}

fn profile(on: bool, default: bool) -> Profile {
    Profile {
        profile_id: "P-3".into(),
        name: "Sales".into(),
        is_default: default,
        editable: Some(!default),
        teams_presence: on,
        user_count: None,
        admin_statuses: vec![],
    }
}

#[test]
fn drift_risk_follows_the_seed() {
    let cases = [
        ("PC", true, None),
        ("PC", false, Some("PC client not in telephony-only mode")),
        ("Web", true, Some("Web client")),
        ("mac", true, Some("Mac client")),
        ("Phone", false, None),
    ];
    for (client, telephony_only, want) in cases {
        assert_eq!(
            drift_risk(&user("a", client, telephony_only, false)),
            want,
            "{client} {telephony_only}"
        );
    }
    let unknown: User = serde_json::from_str(r#"{"login":"x"}"#).unwrap();
    assert_eq!(drift_risk(&unknown), None, "unknown facts are not guessed");
}

#[test]
fn a_profile_preview_counts_who_switches_and_who_needs_attention() {
    let members = vec![
        user("alice", "PC", true, false),
        user("bob", "Web", true, false),
        user("carol", "PC", false, true),
        user("dave", "PC", true, false),
    ];
    let mapped = mapped_set(["ALICE", "carol"]);
    let p = plan_profile(&profile(false, false), &members, &mapped, Switch::Enable);
    assert!(!p.already_set);
    assert_eq!(p.users.count, 4);
    assert_eq!(p.users_switching.logins, ["alice", "bob", "dave"]);
    assert_eq!(p.users_by_own_checkbox.logins, ["carol"]);
    // carol is already managed by Teams: neither warning is about her.
    assert_eq!(p.users_without_mapping.logins, ["bob", "dave"]);
    assert_eq!(p.users_drift_risk.logins, ["bob"]);
    assert!(p.effects.iter().any(|e| e.contains("hidden, not deleted")));
    assert!(p.effects.iter().any(|e| e.contains("restart message")));
    assert!(p.effects.iter().any(|e| e.contains("Calendar Integration")));

    let off = plan_profile(&profile(true, false), &members, &mapped, Switch::Disable);
    assert!(off.users_without_mapping.is_empty() && off.users_drift_risk.is_empty());
    assert!(
        off.effects
            .iter()
            .any(|e| e.contains("come back unchanged"))
    );
    assert!(plan_profile(&profile(true, false), &members, &mapped, Switch::Enable).already_set);
}

#[test]
fn samples_say_how_many_more() {
    let logins = ["a", "b", "c", "d", "e", "f", "g"];
    let s = Sample::of(logins);
    assert_eq!(s.count, 7);
    assert_eq!(s.shown(), "a, b, c, d, e and 2 more");
    assert_eq!(s.logins.len(), 7, "every login is kept for JSON");
    assert_eq!(Sample::of(["a"]).shown(), "a");
}

#[test]
fn users_are_planned_one_by_one() {
    let mut found = HashMap::new();
    for u in [
        user("alice", "PC", true, false),
        user("bob", "PC", true, true),
    ] {
        found.insert(u.login.clone(), u);
    }
    let mut carol = user("carol", "PC", true, false);
    carol.teams_presence = Some(TeamsFlags {
        user: false,
        profile: true,
        effective: true,
    });
    found.insert("carol".into(), carol);
    let asked = unique_logins(["Alice", "bob", " ", "ghost", "alice", "carol"]);
    assert_eq!(asked, ["Alice", "bob", "ghost", "carol"]);
    let rows = plan_users(&asked, &found, &mapped_set(["alice"]), Switch::Enable);
    let results: Vec<(&str, UserResult)> =
        rows.iter().map(|r| (r.login.as_str(), r.result)).collect();
    assert_eq!(
        results,
        [
            ("alice", UserResult::Planned),
            ("bob", UserResult::AlreadySet),
            ("ghost", UserResult::NotFound),
            ("carol", UserResult::Planned),
        ]
    );
    assert!(rows[0].mapped && !rows[1].mapped);
    assert!(
        rows[3]
            .message
            .as_deref()
            .unwrap()
            .contains("through their profile")
    );
    let off = plan_users(&asked, &found, &HashSet::new(), Switch::Disable);
    assert_eq!(off[1].result, UserResult::Planned);
    assert_eq!(off[3].result, UserResult::AlreadySet);
    assert_eq!(
        off[3].teams_managed_after,
        Some(true),
        "the profile keeps Teams on"
    );
}

#[test]
fn teams_owns_names_and_dnd() {
    let cases = [
        (None, None, Ok(())),
        (Some("Away"), None, Ok(())),
        (
            Some("Gone"),
            None,
            Err(MicollabRefusal::StatusNameNotEditable),
        ),
        (
            None,
            Some(false),
            Err(MicollabRefusal::DoNotDisturbNotEditable),
        ),
        (
            Some("Away"),
            Some(true),
            Err(MicollabRefusal::DoNotDisturbNotEditable),
        ),
    ];
    for (name, dnd, want) in cases {
        assert_eq!(
            check_status_edit("Away", name, dnd),
            want,
            "{name:?} {dnd:?}"
        );
    }
    // Do not disturb and Presenting send calls to voicemail: their routing is fixed.
    let routing = [
        ("Away", Some("mobile"), true),
        ("Do not disturb", Some("desk"), false),
        ("presenting", Some("voicemail"), false),
        ("Presenting", None, true),
    ];
    for (status, route, ok) in routing {
        assert_eq!(
            check_call_routing(status, route).is_ok(),
            ok,
            "{status} {route:?}"
        );
    }
    assert!(check_status_values(Some("voicemail"), Some("Back soon")).is_ok());
    assert!(check_status_values(Some("  "), None).is_err());
    assert!(check_status_values(Some(&"9".repeat(65)), None).is_err());
    assert!(check_status_values(None, Some(&"x".repeat(257))).is_err());
}

#[test]
fn only_real_changes_are_changes() {
    let away: Status = serde_json::from_value(serde_json::json!({
        "name": "Away", "callRouting": "desk", "message": "Away"
    }))
    .unwrap();
    assert!(status_changes(&away, Some("desk"), Some("Away")).is_empty());
    let changes = status_changes(&away, Some("voicemail"), Some("Away"));
    assert_eq!(
        changes,
        [FieldChange {
            field: "callRouting".into(),
            old: Some("desk".into()),
            new: "voicemail".into()
        }]
    );
    let statuses = vec![away];
    assert_eq!(find_status(&statuses, " away ").unwrap().name, "Away");
    assert!(find_status(&statuses, "Lunch").is_none());
}

#[test]
fn gate_messages_say_found_and_needed() {
    let message = gate_message(&[GateFailure::Version {
        found: "9.8.0.12".into(),
        required: "9.8.1 (R9.8 SP1)".into(),
    }]);
    assert!(
        message.contains("9.8.0.12") && message.contains("R9.8 SP1"),
        "{message}"
    );
}

#[test]
fn an_already_set_profile_switches_nobody() {
    let members = vec![user("alice", "Web", true, false)];
    let p = plan_profile(
        &profile(true, false),
        &members,
        &HashSet::new(),
        Switch::Enable,
    );
    assert!(p.already_set);
    assert_eq!(p.users.count, 1);
    assert!(p.users_switching.is_empty() && p.users_without_mapping.is_empty());
    assert!(p.users_drift_risk.is_empty() && p.effects.is_empty());
}

#[test]
fn outcomes_land_on_their_row() {
    use crate::http::{HttpError, HttpErrorKind, System};
    let found: HashMap<String, User> = [
        user("alice", "PC", true, false),
        user("bob", "PC", true, false),
    ]
    .into_iter()
    .map(|u| (u.login.clone(), u))
    .collect();
    let asked = unique_logins(["alice", "bob"]);
    let mut rows = plan_users(&asked, &found, &HashSet::new(), Switch::Enable);
    let mut answered = user("alice", "PC", true, true);
    answered.teams_presence = Some(TeamsFlags {
        user: true,
        profile: false,
        effective: true,
    });
    record_outcome(&mut rows[0], Ok(&answered));
    let mut refused = HttpError::new(System::Micollab, "PATCH", "/users", HttpErrorKind::Status);
    refused.status = Some(500);
    refused.code = Some("InternalError".into());
    record_outcome(&mut rows[1], Err(&MicollabError::Http(refused.clone())));
    assert_eq!(rows[0].result, UserResult::Changed);
    assert_eq!(rows[0].teams_managed_after, Some(true));
    assert_eq!(rows[1].result, UserResult::Failed);
    assert_eq!(rows[1].error_code.as_deref(), Some("InternalError"));
    // A user gone since the plan is not found, not failed.
    refused.status = Some(404);
    record_outcome(&mut rows[1], Err(&MicollabError::Http(refused)));
    assert_eq!(rows[1].result, UserResult::NotFound);
}
