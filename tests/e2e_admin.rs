//! The admin commands end to end (issue 5): the real binary against the in-process emulator,
//! results read back only through MiCollab's real API (via the control API's user view) and
//! the store mcteams itself writes.

mod e2e;

use e2e::Estate;
use serde_json::{Value, json};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Logins of the emulator's users in a profile, in directory order.
fn members(estate: &Estate, profile: &str) -> Vec<String> {
    estate
        .users
        .iter()
        .filter(|u| u["profile"] == profile)
        .map(|u| u["login"].as_str().unwrap().to_string())
        .collect()
}

/// What MiCollab holds for each user (user, visible and own statuses, notifications).
async fn micollab_state(estate: &Estate, logins: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for login in logins {
        out.push(estate.user(login).await["micollab"].clone());
    }
    out
}

async fn set_system(estate: &Estate, version: &str, pbx: &str) {
    estate
        .control(
            "POST",
            "/_sim/micollab/system",
            Some(json!({"version": version, "pbx_type": pbx})),
        )
        .await;
}

async fn import_mappings(estate: &Estate, logins: &[String]) {
    let users: Vec<Value> = estate
        .users
        .iter()
        .filter(|u| logins.iter().any(|l| u["login"] == l.as_str()))
        .cloned()
        .collect();
    let file = estate.write("mappings.csv", &estate.mapping_csv(&users));
    let out = estate
        .run(&["import", file.to_str().unwrap(), "--yes"])
        .await;
    assert!(out.status.success(), "import: {}", text(&out.stderr));
}

/// (object type, object id, field, old value, new value), oldest first.
type AuditLine = (String, String, String, Option<String>, Option<String>);

fn audit(estate: &Estate) -> Vec<AuditLine> {
    let store = mcteams::store::Store::open(&estate.dir.path().join("state.db"), None)
        .expect("the store mcteams wrote");
    let mut entries: Vec<_> = store
        .audit_history(1000)
        .expect("audit")
        .into_iter()
        .map(|e| {
            (
                e.object_type,
                e.object_id,
                e.field,
                e.old_value,
                e.new_value,
            )
        })
        .collect();
    entries.reverse();
    entries
}

fn kinds(notifications: &Value) -> Vec<String> {
    notifications
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_version_and_pbx_gates_refuse_with_found_and_needed() {
    let estate = Estate::start(20).await;
    let sales = members(&estate, "Sales");
    let before = micollab_state(&estate, &sales).await;

    set_system(&estate, "9.8.0.120", "MiVoice Business").await;
    for args in [
        vec!["profile", "enable", "Sales", "--yes"],
        vec!["user", "enable", sales[0].as_str(), "--yes"],
    ] {
        let out = estate.run(&args).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("9.8.0.120") && err.contains("9.8.1 (R9.8 SP1)"),
            "{args:?}: {err}"
        );
    }
    set_system(&estate, "9.8.1.5", "MiVoice Office 400").await;
    let out = estate.run(&["profile", "enable", "Sales", "--yes"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("MiVoice Office 400") && err.contains("MiVoice Business"),
        "{err}"
    );
    assert_eq!(
        micollab_state(&estate, &sales).await,
        before,
        "refusals change nothing"
    );

    // R9.8 SP1 on MiVoice Business: accepted.
    set_system(&estate, "9.8.1.5", "MiVoice Business").await;
    let out = estate.run(&["profile", "enable", "Sales", "--yes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let user = estate.user(&sales[0]).await;
    assert_eq!(user["micollab"]["user"]["teamsPresence"]["profile"], true);

    // Their profile has Teams on: checking the box changes only the box, and the preview
    // says only that.
    let out = estate
        .run(&["user", "enable", sales[0].as_str(), "--dry-run"])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let preview = text(&out.stderr);
    assert!(
        preview.contains("1 user(s) are already managed by Teams through their profile"),
        "{preview}"
    );
    assert!(!preview.contains("Teams takes over"), "{preview}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_profiles_are_refused_and_list_says_which() {
    let estate = Estate::start(20).await;
    let (code, list, _) = estate.run_json(&["profile", "list"]).await;
    assert_eq!(code, 0);
    let default = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Default (migrated)")
        .unwrap();
    assert_eq!(default["kind"], "default");
    assert_eq!(default["teams_presence"], false);
    let sales = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Sales")
        .unwrap();
    assert_eq!(
        sales["user_count"].as_u64().unwrap() as usize,
        members(&estate, "Sales").len()
    );

    for args in [
        vec!["profile", "enable", "Default (migrated)", "--yes"],
        vec!["profile", "disable", "Default", "--yes"],
        vec![
            "status",
            "set",
            "Default",
            "Away",
            "--message",
            "x",
            "--yes",
        ],
    ] {
        let out = estate.run(&args).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains("default (migrated) profile and cannot be changed"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_counts_right_and_dry_run_or_no_terminal_change_nothing() {
    let estate = Estate::start(40).await;
    let sales = members(&estate, "Sales");
    import_mappings(&estate, &sales[..3]).await;
    let before = micollab_state(&estate, &sales).await;

    let (code, preview, stderr) = estate
        .run_json(&["profile", "enable", "Sales", "--dry-run"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(preview["result"], "planned");
    assert_eq!(preview["users"]["count"], sales.len());
    assert_eq!(preview["users_switching"]["count"], sales.len());
    assert_eq!(preview["users_without_mapping"]["count"], sales.len() - 3);
    let drift = before
        .iter()
        .filter(|m| {
            let u = &m["user"];
            u["clientType"] != "PC" || u["telephonyOnly"] == false
        })
        .count();
    assert_eq!(preview["users_drift_risk"]["count"], drift);
    // JSON carries every login (a script acts on them all); the table shows a few.
    let listed = |field: &str| preview[field]["logins"].as_array().map_or(0, Vec::len);
    assert_eq!(listed("users"), sales.len(), "{preview}");
    assert_eq!(listed("users_without_mapping"), sales.len() - 3);
    let effects = preview["effects"].to_string();
    for words in [
        "replace their dynamic statuses",
        "hidden, not deleted",
        "restart message",
        "Calendar Integration and Schedules controls become read-only",
    ] {
        assert!(effects.contains(words), "{words}: {effects}");
    }

    let table = estate
        .run(&["profile", "enable", "Sales", "--dry-run"])
        .await;
    assert_eq!(table.status.code(), Some(0));
    insta::assert_snapshot!("profile_enable_preview", text(&table.stdout));

    // No terminal and no --yes: a usage error, and nothing is sent.
    let out = estate.run(&["profile", "enable", "Sales"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--yes"), "{}", text(&out.stderr));
    let out = estate.run(&["user", "enable", &sales[0]]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = estate
        .run(&["status", "set", "Sales", "Away", "--message", "x"])
        .await;
    assert_eq!(out.status.code(), Some(2));
    // Teams off: adding a status is MiCollab's own business, not refused by Teams.
    let out = estate.run(&["status", "add", "Sales", "Lunch"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("Teams presence is off for profile \"Sales\"")
            && !err.contains("while Microsoft Teams manages"),
        "{err}"
    );

    assert_eq!(
        micollab_state(&estate, &sales).await,
        before,
        "dry run and refused runs leave MiCollab as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enable_notifies_once_is_idempotent_and_disable_restores_own_statuses() {
    let estate = Estate::start(40).await;
    let sales = members(&estate, "Sales");
    let before = micollab_state(&estate, &sales).await;
    // The directory gives some of them their own dynamic statuses: the point of the test.
    assert!(
        before
            .iter()
            .any(|m| m["ownStatuses"].as_array().is_some_and(|a| !a.is_empty())),
        "the estate has users with own statuses"
    );

    let out = estate.run(&["profile", "enable", "Sales", "--yes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!("profile_enable_result", text(&out.stdout));
    for m in micollab_state(&estate, &sales).await {
        let login = &m["user"]["login"];
        assert_eq!(kinds(&m["notifications"]), ["restartRequired"], "{login}");
        assert_eq!(m["user"]["teamsPresence"]["effective"], true);
        assert_eq!(m["user"]["calendarIntegrationEditable"], false);
        assert_eq!(m["user"]["schedulesEditable"], false);
        assert!(
            m["ownStatuses"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["hidden"] == true),
            "own statuses hidden, not deleted: {login}"
        );
    }

    // Again: nothing changes, nobody is notified twice.
    let (code, again, _) = estate
        .run_json(&["profile", "enable", "Sales", "--yes"])
        .await;
    assert_eq!(code, 0);
    assert_eq!(again["result"], "unchanged");
    assert_eq!(again["users_notified"], 0);
    for m in micollab_state(&estate, &sales).await {
        assert_eq!(kinds(&m["notifications"]).len(), 1);
    }

    let out = estate.run(&["profile", "disable", "Sales", "--yes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = micollab_state(&estate, &sales).await;
    for (was, now) in before.iter().zip(&after) {
        let login = &was["user"]["login"];
        assert_eq!(
            now["visibleStatuses"], was["visibleStatuses"],
            "{login}: statuses back exactly"
        );
        assert_eq!(now["ownStatuses"], was["ownStatuses"], "{login}");
        assert_eq!(
            now["user"]["dynamicStatus"]["name"], was["user"]["dynamicStatus"]["name"],
            "{login}: the status they had before Teams"
        );
        assert_eq!(
            kinds(&now["notifications"]),
            ["restartRequired", "restartRequired"]
        );
    }

    let history = audit(&estate);
    let profile_changes: Vec<_> = history.iter().filter(|e| e.0 == "profile").collect();
    assert_eq!(
        profile_changes
            .iter()
            .map(|e| (e.1.as_str(), e.2.as_str(), e.3.as_deref(), e.4.as_deref()))
            .collect::<Vec<_>>(),
        [
            ("Sales", "teamsPresence", Some("false"), Some("true")),
            ("Sales", "teamsPresence", Some("true"), Some("false")),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_get_a_result_each_partial_is_exit_3_and_the_guard_is_exit_5() {
    let estate = Estate::start(40).await;
    let sales = members(&estate, "Sales");
    let (a, b, c) = (&sales[0], &sales[1], &sales[2]);

    let preview = estate
        .run(&["user", "enable", a, "nobody.here", b, "--dry-run"])
        .await;
    assert_eq!(
        preview.status.code(),
        Some(3),
        "a login not found is reported"
    );
    insta::assert_snapshot!("user_enable_preview", text(&preview.stdout));
    assert!(text(&preview.stderr).contains("no Teams mapping"));

    // A login MiCollab does not know: the others are still applied, exit 3.
    let out = estate
        .run(&["user", "enable", a, "nobody.here", b, "--yes"])
        .await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    insta::assert_snapshot!("user_enable_result", text(&out.stdout));
    for login in [a, b] {
        let m = &estate.user(login).await["micollab"];
        assert_eq!(m["user"]["teamsPresence"]["user"], true);
        assert_eq!(kinds(&m["notifications"]), ["teamsStatusControl"]);
    }

    // From a mapping CSV, as is: a and b already set, c changes.
    let users: Vec<Value> = estate
        .users
        .iter()
        .filter(|u| [a, b, c].iter().any(|l| u["login"] == l.as_str()))
        .cloned()
        .collect();
    let csv = estate.write("users.csv", &estate.mapping_csv(&users));
    let (code, rows, stderr) = estate
        .run_json(&[
            "user",
            "enable",
            "--from-csv",
            csv.to_str().unwrap(),
            "--yes",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    let results: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["login"].as_str().unwrap(), r["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        results,
        [
            (a.as_str(), "already_set"),
            (b.as_str(), "already_set"),
            (c.as_str(), "changed")
        ]
    );
    // A list of logins alone works too; a file with neither a login nor a UPN column says so.
    let list = estate.write("logins.csv", &format!("micollab_login\n{c}\n"));
    let (code, rows, stderr) = estate
        .run_json(&[
            "user",
            "enable",
            "--from-csv",
            list.to_str().unwrap(),
            "--dry-run",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows[0]["login"], c.as_str(), "{rows}");
    let names = estate.write("names.csv", "name\nAda\n");
    let out = estate
        .run(&[
            "user",
            "enable",
            "--from-csv",
            names.to_str().unwrap(),
            "--dry-run",
        ])
        .await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("needs a micollab_login or teams_upn column") && !err.contains("--columns"),
        "{err}"
    );

    // Nobody notified twice.
    assert_eq!(
        kinds(&estate.user(a).await["micollab"]["notifications"]).len(),
        1
    );

    // The guard: more users than max_changes stops before anything is sent.
    let mut config = std::fs::read_to_string(&estate.config).unwrap();
    config.push_str("\n[sync]\nmax_changes = 2\n");
    std::fs::write(&estate.config, config).unwrap();
    let before = micollab_state(&estate, &sales[..3]).await;
    let out = estate.run(&["user", "disable", a, b, c, "--yes"]).await;
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(micollab_state(&estate, &sales[..3]).await, before);
    let out = estate
        .run(&["user", "disable", a, b, c, "--yes", "--force"])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for login in [a, b, c] {
        let m = &estate.user(login).await["micollab"];
        assert_eq!(m["user"]["teamsPresence"]["user"], false);
    }
    let user_changes = audit(&estate).into_iter().filter(|e| e.0 == "user").count();
    assert_eq!(user_changes, 6, "3 on, 3 off, each recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_settings_keep_users_own_unless_overridden_and_teams_owned_edits_are_refused() {
    let estate = Estate::start(40).await;
    // Users at index 4, 15, 26, 37 set "Away" for themselves (the directory's rule).
    let owner = estate.users[15]["login"].as_str().unwrap().to_string();
    let profile = estate.users[15]["profile"].as_str().unwrap().to_string();
    let out = estate.run(&["profile", "enable", &profile, "--yes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let away = |m: &Value| {
        m["visibleStatuses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "Away")
            .cloned()
            .unwrap()
    };
    let own_before = away(&estate.user(&owner).await["micollab"]);
    assert_eq!(own_before["ownSetting"], true);

    let (code, preview, stderr) = estate
        .run_json(&[
            "status",
            "set",
            &profile,
            "away",
            "--call-routing",
            "voicemail",
            "--dry-run",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        preview["users_with_own_setting"]["logins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == owner.as_str()),
        "{preview}"
    );
    let keeping = preview["users_with_own_setting"]["count"].as_u64().unwrap();
    let table = estate
        .run(&[
            "status",
            "set",
            &profile,
            "Away",
            "--call-routing",
            "voicemail",
            "--dry-run",
        ])
        .await;
    insta::assert_snapshot!("status_set_preview", text(&table.stdout));

    let (code, done, stderr) = estate
        .run_json(&[
            "status",
            "set",
            &profile,
            "Away",
            "--call-routing",
            "voicemail",
            "--yes",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(done["result"], "changed");
    assert_eq!(done["users_keeping_own_setting"].as_u64(), Some(keeping));
    assert_eq!(
        away(&estate.user(&owner).await["micollab"]),
        own_before,
        "the user's own setting is kept"
    );
    let (code, statuses, _) = estate.run_json(&["status", "list", &profile]).await;
    assert_eq!(code, 0);
    let profile_away = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Away")
        .unwrap();
    assert_eq!(profile_away["call_routing"], "voicemail");

    // Idempotent: the same value again changes nothing.
    let (code, again, _) = estate
        .run_json(&[
            "status",
            "set",
            &profile,
            "Away",
            "--call-routing",
            "voicemail",
            "--yes",
        ])
        .await;
    assert_eq!(code, 0);
    assert_eq!(again["result"], "unchanged");

    // Teams owns the names, DND and the set: refused, nothing sent.
    estate.control("DELETE", "/_sim/stats", None).await;
    for (args, reason) in [
        (
            vec![
                "status",
                "set",
                &profile,
                "Away",
                "--name",
                "Out to lunch",
                "--yes",
            ],
            "name of a Microsoft Teams status cannot be edited",
        ),
        (
            vec![
                "status",
                "set",
                &profile,
                "Do not disturb",
                "--dnd",
                "false",
                "--yes",
            ],
            "Do not disturb setting is not editable",
        ),
        (
            vec!["status", "add", &profile, "Lunch"],
            "cannot be added while Microsoft Teams manages the statuses",
        ),
        (
            vec![
                "status",
                "set",
                &profile,
                "presenting",
                "--call-routing",
                "desk",
                "--yes",
            ],
            "call routing of \"Presenting\" is fixed",
        ),
    ] {
        let out = estate.run(&args).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains(reason), "{}", text(&out.stderr));
    }
    assert_eq!(estate.write_requests().await, 0, "refusals send no change");
    let (_, unchanged, _) = estate.run_json(&["status", "list", &profile]).await;
    assert_eq!(unchanged, statuses);

    // Asked for: the users' own settings are overridden too.
    let (code, done, stderr) = estate
        .run_json(&[
            "status",
            "set",
            &profile,
            "Away",
            "--call-routing",
            "voicemail",
            "--override-users",
            "--yes",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(done["users_overridden"].as_u64(), Some(keeping));
    assert_eq!(
        away(&estate.user(&owner).await["micollab"])["callRouting"],
        "voicemail"
    );
    let status_changes = audit(&estate)
        .into_iter()
        .filter(|e| e.0 == "profile_status")
        .count();
    assert!(status_changes >= 2, "each change recorded");
}
