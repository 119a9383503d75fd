//! The MiCollab, MiVoice Business and CloudLink clients against the in-process emulator over
//! real HTTP: paging to the end, batch chunking, token expiry and refresh, outages, typed
//! refusals, bulk results per operation, optimistic concurrency, no secret in any error.

mod mitel_common;

use mcteams::connectors::MatchedOn;
use mcteams::connectors::cloudlink::{
    CloudlinkDirectory, EmailMatch, PresentityUpdate, PresentityWriteError,
};
use mcteams::connectors::micollab::{
    GateFailure, MicollabAdmin, MicollabClient, MicollabRefusal, StatusEdit,
};
use mcteams::connectors::pbx::{PbxClient, PbxDirectory};
use mcteams::exit::{ExitCode, ExitStatus};
use mcteams::http::HttpErrorKind;
use mitel_common::{Rig, fast_policy};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn micollab_users_are_paged_to_the_end_and_flags_read_for_all() {
    let rig = Rig::new(2_345).await;
    let micollab = rig.micollab();
    rig.reset_stats().await;
    let users = micollab.users(None).await.unwrap();
    assert_eq!(users.len(), 2_345);
    // 1000 per page: 3 pages.
    assert_eq!(rig.calls("micollab", "GET /2017-09-01/users").await, 3);
    let logins: Vec<String> = users.iter().map(|u| u.login.clone()).collect();
    rig.reset_stats().await;
    let flags = micollab.teams_flags(&logins).await.unwrap();
    assert_eq!(flags.len(), 2_345);
    // Batched by login, concurrently: no paging chain.
    // 1000 logins per POST users/query, concurrently: no paging chain.
    assert_eq!(
        rig.calls("micollab", "POST /2017-09-01/users/query").await,
        3
    );
    let sales = micollab.users(Some("Sales")).await.unwrap();
    assert!(
        !sales.is_empty()
            && sales
                .iter()
                .all(|u| u.profile_name.as_deref() == Some("Sales"))
    );
    let page = micollab.first_users(Some("Sales"), 2).await.unwrap();
    assert_eq!(page.users.len(), 2);
    assert!(page.more);
}

#[tokio::test]
async fn batch_reads_are_chunked_and_keep_what_was_not_found() {
    let rig = Rig::new(100).await;
    let pbx = rig.pbx();
    let wanted: Vec<String> = (0..2_500).map(|i| (20_000 + i).to_string()).collect();
    rig.reset_stats().await;
    let batch = pbx.extensions(&wanted).await.unwrap();
    assert_eq!(
        rig.calls("pbx", "POST /2017-09-01/extensions/query").await,
        3,
        "2,500 extensions in batches of 1,000"
    );
    assert_eq!(batch.found.len(), 100);
    assert_eq!(batch.not_found.len(), 2_400);
    assert!(batch.not_found.contains(&"22499".to_string()));
    assert!(pbx.extension("29999").await.unwrap().is_none());
    assert_eq!(pbx.all_extensions().await.unwrap().len(), 100);

    let micollab = rig.micollab();
    let mut logins: Vec<String> = rig
        .users(100)
        .await
        .iter()
        .map(|u| u["login"].as_str().unwrap().to_string())
        .collect();
    logins.push("nobody-here".into());
    let found = micollab.users_by_login(&logins).await.unwrap();
    assert_eq!(found.len(), 100);
    assert!(!found.contains_key("nobody-here"));

    let cloudlink = rig.cloudlink();
    let principals: Vec<String> = rig
        .users(100)
        .await
        .iter()
        .map(|u| u["principalId"].as_str().unwrap().to_string())
        .chain((0..1_500).map(|i| format!("p-missing-{i}")))
        .collect();
    rig.reset_stats().await;
    let batch = cloudlink.presentities(&principals).await.unwrap();
    assert_eq!(batch.found.len(), 100);
    assert_eq!(batch.not_found.len(), 1_500);
    assert_eq!(
        rig.calls("cloudlink", "POST /presence/2017-09-01/presentities/query")
            .await,
        2
    );
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_with_the_refresh_token() {
    let rig = Rig::new(10).await;
    let pbx = rig.pbx();
    pbx.system().await.unwrap();
    assert_eq!(pbx.api().token_fetches(), 1);
    // An hour of emulated time: the server now refuses the token the client still holds.
    rig.sim.advance(3_700.0).await;
    rig.reset_stats().await;
    pbx.system().await.unwrap();
    assert_eq!(pbx.api().token_fetches(), 2, "exactly one refresh");
    let stats = rig.stats().await;
    let system = &stats["systems"]["pbx"]["endpoints"]["GET /2017-09-01/system"];
    assert_eq!(system["401"], 1);
    assert_eq!(system["200"], 1);
    assert_eq!(rig.calls("pbx", "POST /2017-09-01/token").await, 1);
    // Further calls reuse the new token.
    pbx.system().await.unwrap();
    assert_eq!(pbx.api().token_fetches(), 2);
}

#[tokio::test]
async fn an_outage_is_reported_as_unavailable_and_survived_when_short() {
    let rig = Rig::new(10).await;
    let (mut settings, base) = rig.pbx_settings();
    settings.retry = fast_policy();
    let pbx = PbxClient::new(settings, base).unwrap();
    pbx.system().await.unwrap();
    rig.outage("pbx", true).await;
    let error = pbx.system().await.unwrap_err();
    assert_eq!(error.exit_status(), ExitStatus::Unavailable, "{error}");
    assert!(
        matches!(error.kind, HttpErrorKind::GaveUp { .. }),
        "{error:?}"
    );
    assert!(error.request_id.is_some(), "correlation id kept: {error}");
    rig.outage("pbx", false).await;
    pbx.system().await.unwrap();

    // Three 503s in a row, then service again: the default budget rides it out.
    let micollab = rig.micollab();
    micollab.system().await.unwrap();
    rig.control(
        Method::POST,
        "/faults",
        Some(json!({"system": "micollab", "throttle_for_s": 1})),
    )
    .await;
    micollab
        .profiles()
        .await
        .expect("survives a one-second 429 storm");
}

#[tokio::test]
async fn gates_and_default_profiles_are_typed_refusals_with_found_and_required() {
    let rig = Rig::new(10).await;
    let micollab = rig.micollab();
    let default = micollab
        .set_profile_teams("Default (migrated)", true)
        .await
        .unwrap_err();
    assert!(
        matches!(
            default.refusal(),
            Some(MicollabRefusal::DefaultProfileNotEditable { profile }) if profile == "Default (migrated)"
        ),
        "{default:?}"
    );
    assert!(default.http().request_id.is_some());
    assert_eq!(
        default.http().code.as_deref(),
        Some("DefaultProfileNotEditable")
    );

    rig.control(
        Method::POST,
        "/micollab/system",
        Some(json!({"version": "9.8.0.40"})),
    )
    .await;
    let error = micollab.set_profile_teams("Sales", true).await.unwrap_err();
    let Some(MicollabRefusal::Gate(GateFailure::Version { found, required })) = error.refusal()
    else {
        panic!("{error:?}")
    };
    assert_eq!(found, "9.8.0.40");
    assert!(required.contains("9.8.1"));
    assert!(error.to_string().contains("9.8.0.40"), "{error}");
    // The per-user checkbox is gated the same way.
    let login = rig.users(1).await[0]["login"].as_str().unwrap().to_string();
    let error = micollab.set_user_teams(&login, true).await.unwrap_err();
    assert!(matches!(error.refusal(), Some(MicollabRefusal::Gate(_))));

    rig.control(
        Method::POST,
        "/micollab/system",
        Some(json!({"version": "9.8.1.201", "pbx_type": "MiVoice Office 400"})),
    )
    .await;
    let error = micollab.set_profile_teams("Sales", true).await.unwrap_err();
    let Some(MicollabRefusal::Gate(GateFailure::Pbx { found, required })) = error.refusal() else {
        panic!("{error:?}")
    };
    assert_eq!(found, "MiVoice Office 400");
    assert_eq!(required, "MiVoice Business");
    let missing = micollab.profile("No Such Profile").await.unwrap_err();
    assert!(missing.is_not_found());
}

#[tokio::test]
async fn status_edits_keep_user_settings_and_refuse_what_teams_owns() {
    let rig = Rig::new(200).await;
    let micollab = rig.micollab();
    let profile = micollab.set_profile_teams("Sales", true).await.unwrap();
    assert!(profile.teams_presence);
    let statuses = micollab.profile_statuses("Sales").await.unwrap();
    assert!(statuses.teams_managed);
    assert_eq!(statuses.statuses.len(), 11);
    let answer = micollab
        .edit_profile_status(
            "Sales",
            "Busy",
            &StatusEdit {
                message: Some("In the zone".into()),
                ..StatusEdit::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(answer.status.message.as_deref(), Some("In the zone"));
    assert_eq!(answer.users_overridden, 0);

    let rename = micollab
        .edit_profile_status_raw("Sales", "Busy", &json!({"name": "Swamped"}))
        .await
        .unwrap_err();
    assert_eq!(
        rename.refusal(),
        Some(&MicollabRefusal::StatusNameNotEditable)
    );
    let dnd = micollab
        .edit_profile_status_raw("Do not disturb", "Do not disturb", &json!({}))
        .await;
    assert!(dnd.is_err(), "no profile of that name");
    let dnd = micollab
        .edit_profile_status_raw("Sales", "Do not disturb", &json!({"doNotDisturb": false}))
        .await
        .unwrap_err();
    assert_eq!(
        dnd.refusal(),
        Some(&MicollabRefusal::DoNotDisturbNotEditable)
    );
    let add = micollab
        .add_profile_status("Sales", "Lunch")
        .await
        .unwrap_err();
    assert!(
        matches!(add.refusal(), Some(MicollabRefusal::StatusAdditionNotAllowed { allowed }) if allowed.len() == 11),
        "{add:?}"
    );

    // Notifications: every Sales user got a restart message.
    let sales = micollab.users(Some("Sales")).await.unwrap();
    let notifications = micollab.notifications().await.unwrap();
    assert!(notifications.len() >= sales.len());
    let first = &sales[0].login;
    let own = micollab.user_notifications(first).await.unwrap();
    assert!(own.iter().any(|n| n.kind == "restartRequired"));
    let seen = micollab.user_statuses(first).await.unwrap();
    assert!(seen.teams_managed);
}

#[tokio::test]
async fn bulk_user_changes_answer_per_user() {
    let rig = Rig::new(20).await;
    let micollab = rig.micollab();
    let logins: Vec<String> = rig
        .users(3)
        .await
        .iter()
        .map(|u| u["login"].as_str().unwrap().to_string())
        .collect();
    let mut changes: Vec<(String, bool)> = logins.iter().map(|l| (l.clone(), true)).collect();
    changes.insert(1, ("ghost-user".into(), true));
    let results = micollab.set_users_teams(&changes).await;
    assert_eq!(results.len(), 4);
    assert_eq!(results[1].login, "ghost-user");
    let ghost = results[1].result.as_ref().unwrap_err();
    assert!(
        matches!(ghost.refusal(), Some(MicollabRefusal::UserNotFound { login }) if login == "ghost-user"),
        "{ghost:?}"
    );
    for result in [&results[0], &results[2], &results[3]] {
        let user = result.result.as_ref().unwrap();
        assert!(user.teams_presence.unwrap().user);
    }
    // MiCollab told each changed user, once.
    for login in &logins {
        let notes = micollab.user_notifications(login).await.unwrap();
        let control = notes
            .iter()
            .filter(|n| n.kind == "teamsStatusControl")
            .count();
        assert!(control <= 1, "{login}: {notes:?}");
    }
}

#[tokio::test]
async fn another_writer_is_a_conflict_and_is_not_overwritten() {
    let rig = Rig::new(10).await;
    let cloudlink = rig.cloudlink();
    let user = rig.users(1).await.remove(0);
    let upn = user["upn"].as_str().unwrap();
    let principal = user["principalId"].as_str().unwrap().to_string();
    let before = cloudlink.presentity(&principal).await.unwrap().unwrap();

    // MiCollab itself writes the presentity after we read it.
    rig.control(
        Method::POST,
        &format!("/cloudlink/{upn}/presentity"),
        Some(json!({"status": "Away", "source": "micollab"})),
    )
    .await;
    let results = cloudlink
        .write_presentities(&[PresentityUpdate {
            principal_id: principal.clone(),
            status: "In a meeting".into(),
            activity: Some("InAMeeting".into()),
            expected_version: before.version,
        }])
        .await;
    match &results[0] {
        Err(PresentityWriteError::Conflict {
            current_version,
            source_name,
            error,
        }) => {
            assert_eq!(*current_version, Some(before.version + 1));
            assert_eq!(source_name.as_deref(), Some("micollab"));
            assert_eq!(error.status, Some(412));
        }
        other => panic!("{other:?}"),
    }
    let after = cloudlink.presentity(&principal).await.unwrap().unwrap();
    assert_eq!(after.status.as_deref(), Some("Away"), "not overwritten");

    // Against the current version the write goes through, as mcteams.
    let results = cloudlink
        .write_presentities(&[
            PresentityUpdate {
                principal_id: principal.clone(),
                status: "Available".into(),
                activity: Some("Available".into()),
                expected_version: after.version,
            },
            PresentityUpdate {
                principal_id: "p-nobody".into(),
                status: "Available".into(),
                activity: None,
                expected_version: 1,
            },
        ])
        .await;
    let written = results[0].as_ref().unwrap();
    assert_eq!(written.version, after.version + 1);
    assert_eq!(written.source.as_deref(), Some("mcteams"));
    let PresentityWriteError::Failed(missing) = results[1].as_ref().unwrap_err() else {
        panic!("{:?}", results[1])
    };
    assert_eq!(missing.status, Some(404));
    assert_eq!(missing.code.as_deref(), Some("PresentityNotFound"));
}

#[tokio::test]
async fn cloudlink_users_resolve_by_email_and_principal_ids_either_way() {
    let rig = Rig::new(120).await;
    let cloudlink = rig.cloudlink();
    let users = rig.users(120).await;
    let index = cloudlink.user_index().await.unwrap();
    assert_eq!(index.len(), 120);
    // Every 25th user's mail is not the UPN: found by mail.
    let odd = users
        .iter()
        .find(|u| u["mail"].as_str().unwrap() != u["upn"].as_str().unwrap())
        .expect("a user whose mail differs");
    match index.find(odd["upn"].as_str().unwrap(), odd["mail"].as_str()) {
        EmailMatch::Found(user, MatchedOn::Mail) => {
            assert_eq!(user.user_id, odd["cloudlinkUserId"].as_str().unwrap())
        }
        other => panic!("{other:?}"),
    }

    let ids = |n: usize| -> Vec<String> {
        users
            .iter()
            .take(n)
            .map(|u| u["cloudlinkUserId"].as_str().unwrap().to_string())
            .collect()
    };
    // A few: one GET each.
    rig.reset_stats().await;
    let few = cloudlink.principal_ids(&ids(5)).await.unwrap();
    assert_eq!(few.len(), 5);
    assert_eq!(
        rig.calls(
            "cloudlink",
            "GET /admin/2017-09-01/accounts/{account}/users/{user}"
        )
        .await,
        5
    );
    // Many: the account paged once (one page of 1000 holds all 120).
    rig.reset_stats().await;
    let many = cloudlink.principal_ids(&ids(100)).await.unwrap();
    assert_eq!(many.len(), 100);
    assert_eq!(
        rig.calls(
            "cloudlink",
            "GET /admin/2017-09-01/accounts/{account}/users"
        )
        .await,
        1
    );
    assert_eq!(many[&ids(1)[0]], users[0]["principalId"].as_str().unwrap());
    // The whole directory, for a sync with many to resolve: the same one page.
    rig.reset_stats().await;
    let all = cloudlink.principal_directory().await.unwrap();
    assert_eq!(all.len(), 120);
    assert_eq!(
        all[&ids(120)[119]],
        users[119]["principalId"].as_str().unwrap()
    );
    assert_eq!(
        rig.calls(
            "cloudlink",
            "GET /admin/2017-09-01/accounts/{account}/users"
        )
        .await,
        1
    );
    assert!(
        cloudlink
            .user("00000000-0000-0000-0000-000000000000")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_wrong_password_is_a_config_error_that_never_shows_it() {
    let rig = Rig::new(5).await;
    let wrong = "wrong-but-secret-value";
    let (settings, base) = rig.micollab_settings(wrong);
    let micollab = MicollabClient::new(settings, base).unwrap();
    let error = micollab.system().await.unwrap_err();
    let http = error.http();
    assert_eq!(http.exit_status(), ExitStatus::Config);
    assert_eq!(http.code.as_deref(), Some("InvalidCredentials"));
    assert!(http.request_id.is_some());
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{micollab:?}"),
    ] {
        assert!(!shown.contains(wrong), "{shown}");
        assert!(!shown.contains(&rig.sim.handle.credentials.micollab_password));
    }
}

#[tokio::test]
async fn the_pbx_change_feed_answers_changes_holds_a_long_poll_and_forgets_cursors_on_restart() {
    use mcteams::connectors::pbx::FeedError;
    use std::time::Duration;
    let rig = Rig::new(20).await;
    let pbx = rig.pbx();
    let state = |ext: &str, state: &str| {
        let (path, body) = (format!("/pbx/{ext}/state"), json!({ "state": state }));
        let rig = &rig;
        async move { rig.control(Method::POST, &path, Some(body)).await }
    };
    let start = pbx.feed_cursor().await.unwrap();
    // Nothing changed: no wait, no items.
    let quiet = pbx.changes(&start, Duration::ZERO).await.unwrap();
    assert!(quiet.extensions.is_empty());
    assert_eq!(quiet.cursor, start);
    // Coalesced: one entry per extension, in the order of their latest change.
    state("20003", "busy").await;
    state("20001", "busy").await;
    state("20003", "idle").await;
    let changed = pbx.changes(&start, Duration::ZERO).await.unwrap();
    assert_eq!(changed.extensions, ["20001", "20003"]);
    // Held: a change while the poll waits answers it at once (the wait is 25 s).
    let next = changed.cursor;
    let poll = pbx.changes(&next, Duration::from_secs(25));
    let change = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        state("20007", "ringing").await;
    };
    let started = std::time::Instant::now();
    let (answer, _) = tokio::join!(poll, change);
    assert_eq!(answer.unwrap().extensions, ["20007"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // A restarted facade knows no earlier cursor.
    rig.control(Method::POST, "/pbx/restart", None).await;
    assert!(matches!(
        pbx.changes(&next, Duration::ZERO).await,
        Err(FeedError::Gone)
    ));
    assert!(matches!(
        pbx.changes("not-a-cursor", Duration::ZERO).await,
        Err(FeedError::Gone)
    ));
    let fresh = pbx.feed_cursor().await.unwrap();
    state("20002", "busy").await;
    assert_eq!(
        pbx.changes(&fresh, Duration::ZERO)
            .await
            .unwrap()
            .extensions,
        ["20002"]
    );
    // An outage is a failure, not Gone: the follower polls meanwhile.
    rig.outage("pbx", true).await;
    assert!(matches!(pbx.feed_cursor().await, Err(FeedError::Failed(_))));
    rig.outage("pbx", false).await;
}
