//! `mcteams user show` and `mcteams user list` through the binary against the emulator.

mod e2e;

use e2e::{Estate, desk_phone};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_user_in_full_and_the_users_a_line_each() {
    let estate = Estate::start(20).await;
    let users = estate.pick(3, desk_phone);
    estate.map_and_enable(&users).await;
    let alice = &users[0];
    estate
        .phone_state(alice["extension"].as_str().unwrap(), "busy")
        .await;
    for _ in 0..2 {
        let (code, _, stderr) = estate.run_json(&["sync"]).await;
        assert_eq!(code, 0, "{stderr}");
    }

    // By UPN: every side, the profile, and the last writes with their outcome.
    let (code, shown, stderr) = estate.run_json(&["user", "show", Estate::upn(alice)]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(shown["micollab_login"], alice["login"]);
    assert_eq!(shown["phone_call"], "busy", "{shown:#}");
    assert_eq!(shown["mcteams_session"], "Busy/InACall", "{shown:#}");
    assert_eq!(shown["micollab_status"], "In a call", "{shown:#}");
    assert_eq!(shown["teams_flag"], true);
    assert!(shown["profile"].is_string(), "{shown:#}");
    // The rest of the mapping: the ids the import resolved.
    assert!(
        shown["teams_id"].as_str().is_some_and(|id| id.len() == 36),
        "{shown:#}"
    );
    assert!(shown["cloudlink_user_id"].is_string(), "{shown:#}");
    assert_eq!(shown["mapping_verified"], true);
    let writes = shown["last_writes"].as_array().unwrap();
    assert!(
        writes
            .iter()
            .any(|w| w.as_str().unwrap().ends_with(": applied")),
        "{shown:#}"
    );
    // From the store alone, without reading a system.
    estate.control("DELETE", "/_sim/stats", None).await;
    let (code, stored, _) = estate
        .run_json(&[
            "user",
            "show",
            alice["login"].as_str().unwrap(),
            "--from-state",
        ])
        .await;
    assert_eq!(code, 0);
    assert_eq!(stored["observed_from"], "state");
    let stats = estate.control("GET", "/_sim/stats", None).await;
    assert_eq!(stats["total"], 0, "{stats}");
    // Nobody by that name: a clear failure.
    let (code, _, stderr) = estate.run_json(&["user", "show", "nobody-here"]).await;
    assert_eq!(code, 1);
    assert!(
        stderr.contains("nobody-here: not a mapped user"),
        "{stderr}"
    );

    // A line each, by profile and by reason.
    let profile = shown["profile"].as_str().unwrap();
    let (code, listed, _) = estate
        .run_json(&["user", "list", "--profile", profile])
        .await;
    assert_eq!(code, 0);
    let listed = listed.as_array().unwrap();
    assert!(listed.iter().any(|r| r["micollab_login"] == alice["login"]));
    assert!(listed.iter().all(|r| r["profile"] == profile), "{listed:?}");
    let (_, in_sync, _) = estate
        .run_json(&["user", "list", "--reason", "in_sync"])
        .await;
    let in_sync = in_sync.as_array().unwrap();
    assert!(!in_sync.is_empty());
    assert!(
        in_sync
            .iter()
            .all(|r| r["reasons"].to_string().contains("in_sync"))
    );
    let out = estate
        .run(&["user", "list", "--reason", "no_such_reason"])
        .await;
    assert_eq!(out.status.code(), Some(2));
}
