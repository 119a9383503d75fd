//! `mcteams report` end to end: each reason code produced by a scenario on the emulator
//! (through the real APIs and the control API only), through the real binary.

mod e2e;

use e2e::{Estate, desk_phone};
use serde_json::{Value, json};

fn login(u: &Value) -> &str {
    u["login"].as_str().unwrap()
}

fn ext(u: &Value) -> &str {
    u["extension"].as_str().unwrap()
}

/// Imports the users' mappings and ticks their Teams checkbox in MiCollab.
async fn map_and_enable(estate: &Estate, users: &[Value]) {
    let file = estate.write("users.csv", &estate.mapping_csv(users));
    let out = estate
        .run(&["import", file.to_str().unwrap(), "--yes"])
        .await;
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    for u in users {
        estate.micollab_set_flag(login(u), true).await;
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `report -o json` with extra flags: (exit code, rows by login, stderr).
async fn report(
    estate: &Estate,
    env: &[(&str, &str)],
    flags: &[&str],
) -> (i32, serde_json::Map<String, Value>, String) {
    let mut args = vec!["-o", "json", "report"];
    args.extend_from_slice(flags);
    let out = estate.run_env(env, &args).await;
    let stdout = text(&out.stdout);
    let rows: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("report JSON: {e}: {stdout} {}", text(&out.stderr)));
    let by_login = rows
        .as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| (r["micollab_login"].as_str().unwrap().to_string(), r.clone()))
        .collect();
    (out.status.code().unwrap_or(-1), by_login, text(&out.stderr))
}

fn reasons(row: &Value) -> Vec<&str> {
    row["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

/// The hint given for `reason` in this row.
fn hint<'a>(row: &'a Value, reason: &str) -> &'a str {
    let at = reasons(row)
        .iter()
        .position(|r| *r == reason)
        .unwrap_or_else(|| panic!("{reason} not in {row}"));
    row["hints"][at].as_str().unwrap()
}

async fn sync(estate: &Estate, args: &[&str]) {
    sync_exits(estate, args, 0).await;
}

async fn sync_exits(estate: &Estate, args: &[&str], code: i32) {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    let out = estate.run(&all).await;
    assert_eq!(out.status.code(), Some(code), "sync: {}", text(&out.stderr));
}

async fn phone(estate: &Estate, u: &Value, state: &str) {
    estate
        .control(
            "POST",
            &format!("/_sim/pbx/{}/state", ext(u)),
            Some(json!({ "state": state })),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reason_of_the_directory_with_its_hint() {
    let estate = Estate::start(60).await;
    let desks = estate.pick(8, desk_phone);
    let hotdesk = estate
        .pick(1, |u| u["acdHotDeskSoftphone"] == true)
        .remove(0);
    let [
        dnd,
        foreign,
        gone,
        renamed,
        disabled,
        unmapped,
        offline,
        broken,
    ] = <[Value; 8]>::try_from(desks).unwrap();
    let mapped = vec![
        dnd.clone(),
        foreign.clone(),
        gone.clone(),
        renamed.clone(),
        disabled.clone(),
        hotdesk.clone(),
        broken.clone(),
    ];
    map_and_enable(&estate, &mapped).await;
    estate.micollab_set_flag(login(&disabled), false).await;
    estate.micollab_set_flag(login(&unmapped), true).await;
    let file = estate.write(
        "offline.csv",
        &estate.mapping_csv(std::slice::from_ref(&offline)),
    );
    let out = estate
        .run(&["import", file.to_str().unwrap(), "--offline", "--yes"])
        .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    estate.micollab_set_flag(login(&offline), true).await;

    // The seed's case: DND chosen in Teams, phone DND off.
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/preferred", Estate::upn(&dnd)),
            Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await;
    // Signed in and Away, so mcteams writes this presentity once.
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/client", Estate::upn(&foreign)),
            Some(json!({"availability": "Away", "activity": "Away"})),
        )
        .await;
    phone(&estate, &hotdesk, "busy").await;
    sync(&estate, &[]).await;
    sync(&estate, &[]).await;

    // Then: another writer, a deleted user, a renamed UPN, and a failed write.
    estate
        .control(
            "POST",
            &format!("/_sim/cloudlink/{}/presentity", Estate::upn(&foreign)),
            Some(json!({"status": "Busy", "source": "micollab"})),
        )
        .await;
    estate
        .control(
            "DELETE",
            &format!("/_sim/users/{}", Estate::upn(&gone)),
            None,
        )
        .await;
    let new_upn = "renamed.person@contoso.com";
    estate
        .control(
            "POST",
            &format!("/_sim/users/{}/rename", Estate::upn(&renamed)),
            Some(json!({ "upn": new_upn })),
        )
        .await;
    estate
        .control(
            "POST",
            "/_sim/graph/roles",
            Some(json!({"roles": ["Presence.Read.All", "User.Read.All"]})),
        )
        .await;
    phone(&estate, &broken, "busy").await;
    let out = estate.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    estate
        .control(
            "POST",
            "/_sim/graph/roles",
            Some(json!({"roles": ["Presence.ReadWrite.All", "User.Read.All"]})),
        )
        .await;

    let (code, rows, stderr) = report(&estate, &[], &["--all"]).await;
    assert_eq!(code, 0, "{stderr}");
    let row = |u: &Value| {
        rows.get(login(u))
            .unwrap_or_else(|| panic!("{} missing", login(u)))
    };

    let r = row(&dnd);
    assert!(reasons(r).contains(&"dnd_conflict"), "{r}");
    assert!(hint(r, "dnd_conflict").contains("Clear Do not disturb in Teams"));
    assert_eq!(r["teams_availability"], "DoNotDisturb");
    assert_eq!(r["micollab_status"], "Do not disturb");
    assert_eq!(r["phone_dnd"], false);
    assert_eq!(r["phone_call"], "idle");
    assert_eq!(r["teams_flag"], true);
    assert_eq!(r["out_of_sync"], true);

    let r = row(&foreign);
    assert!(reasons(r).contains(&"foreign_writer"), "{r}");
    assert!(hint(r, "foreign_writer").contains("last changed by micollab"));
    assert_eq!(r["micollab_source"], "micollab");

    let r = row(&gone);
    assert!(reasons(r).contains(&"mapping_target_missing"), "{r}");
    let h = hint(r, "mapping_target_missing");
    for part in [
        format!("Teams user {}", Estate::upn(&gone)),
        format!("MiCollab login {}", login(&gone)),
        format!("extension {}", ext(&gone)),
        "CloudLink user".to_string(),
    ] {
        assert!(h.contains(&part), "{part} in {h}");
    }

    let r = row(&renamed);
    assert_eq!(reasons(r)[0], "mapping_target_missing", "{r}");
    assert!(
        hint(r, "mapping_target_missing").contains(&format!("renamed to {new_upn}")),
        "{r}"
    );
    // --user finds the user by the new UPN too.
    let (_, one, _) = report(&estate, &[], &["--user", new_upn]).await;
    assert_eq!(one.len(), 1);

    let r = row(&disabled);
    assert!(reasons(r).contains(&"integration_disabled"), "{r}");
    assert!(hint(r, "integration_disabled").contains("mcteams user enable"));
    assert_eq!(r["teams_flag"], false);

    let r = row(&unmapped);
    assert_eq!(reasons(r)[0], "unmapped_enabled_user", "{r}");
    assert!(hint(r, "unmapped_enabled_user").contains("mcteams import"));
    assert_eq!(r["teams_upn"], Value::Null);

    let r = row(&offline);
    assert!(reasons(r).contains(&"unverified_mapping"), "{r}");
    assert!(hint(r, "unverified_mapping").contains("without --offline"));

    let r = row(&hotdesk);
    assert!(reasons(r).contains(&"acd_hotdesk_unsynced"), "{r}");
    assert!(reasons(r).contains(&"in_sync"), "informational only: {r}");
    assert!(hint(r, "acd_hotdesk_unsynced").contains("ACD hot-desk softphone"));
    assert_eq!(r["phone_call"], "busy");
    assert_eq!(r["phone_acd_hotdesk"], true);
    assert_eq!(r["mcteams_session"], Value::Null);

    let r = row(&broken);
    assert!(reasons(r).contains(&"sync_error"), "{r}");
    assert!(
        hint(r, "sync_error").contains("the last sync of this user failed: set Teams session"),
        "{r}"
    );
    assert!(r["last_error"].as_str().unwrap().contains("403"), "{r}");

    // Informational reasons never count; the in-sync users are listed with --all only.
    let drifting = rows
        .values()
        .find(|r| reasons(r).contains(&"client_drift_risk"))
        .expect("the directory has Web/Mac clients and PCs not in telephony-only mode");
    assert!(hint(drifting, "client_drift_risk").contains("telephony-only mode"));
    assert!(
        rows.values().any(|r| reasons(r) == ["in_sync"]
            || (reasons(r)[0] == "in_sync" && r["out_of_sync"] == false))
    );
    let (_, default_rows, stderr) = report(&estate, &[], &[]).await;
    assert!(
        default_rows.values().all(|r| r["out_of_sync"] == true),
        "by default only users out of sync"
    );
    assert!(!default_rows.contains_key(login(&hotdesk)));
    assert!(
        stderr.contains("dnd_conflict 1"),
        "summary on stderr: {stderr}"
    );

    // --reason filters; an informational reason alone never makes exit 4.
    let (code, only, _) = report(
        &estate,
        &[],
        &["--reason", "acd_hotdesk_unsynced", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(only.keys().collect::<Vec<_>>(), vec![login(&hotdesk)]);
    // A staged rollout: users mapped before their profile is turned on are where the admin
    // put them, not drift.
    let (code, only, _) = report(
        &estate,
        &[],
        &["--reason", "integration_disabled", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(only.keys().collect::<Vec<_>>(), vec![login(&disabled)]);
    let r = &only[login(&disabled)];
    assert_eq!(
        reasons(r)[0],
        "integration_disabled",
        "not in sync either: {r}"
    );
    assert_eq!(r["out_of_sync"], false, "{r}");
    let (code, only, _) = report(
        &estate,
        &[],
        &["--reason", "dnd_conflict", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(code, 4);
    assert_eq!(only.keys().collect::<Vec<_>>(), vec![login(&dnd)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mismatches_count_once_they_outlast_the_settle_window() {
    let estate = Estate::start(30).await;
    let [teams_side, phone_side] = <[Value; 2]>::try_from(estate.pick(2, desk_phone)).unwrap();
    map_and_enable(&estate, &[teams_side.clone(), phone_side.clone()]).await;
    sync(&estate, &[]).await;
    let (code, rows, stderr) = report(&estate, &[], &["--detailed-exitcode"]).await;
    assert_eq!(code, 0, "all in sync after a sync: {rows:?} {stderr}");

    // Teams changes and the other phone goes busy; a sync whose guard stops both directions
    // (exit 5) sees both changes and writes nothing.
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/preferred", Estate::upn(&teams_side)),
            Some(json!({"availability": "BeRightBack", "activity": "BeRightBack"})),
        )
        .await;
    phone(&estate, &phone_side, "busy").await;
    sync_exits(&estate, &["--max-changes", "0"], 5).await;
    // Within the settle window: settling, informational.
    let (code, rows, _) = report(&estate, &[], &["--all", "--detailed-exitcode"]).await;
    assert_eq!(code, 0, "{rows:?}");
    assert!(reasons(&rows[login(&teams_side)]).contains(&"settling"));
    assert!(reasons(&rows[login(&phone_side)]).contains(&"settling"));

    // Past it, both count: the last sync saw them and left them.
    let settle = [("MCTEAMS_SYNC_SETTLE_WINDOW", "1s")];
    // Past the 1 s window on the systems' clock (the report judges by Graph's), not by waiting.
    advance_clock(&estate, 5).await;
    let (code, rows, _) = report(&estate, &settle, &["--detailed-exitcode"]).await;
    assert_eq!(code, 4);
    let r = &rows[login(&teams_side)];
    assert!(reasons(r).contains(&"teams_micollab_mismatch"), "{r}");
    assert!(
        hint(r, "teams_micollab_mismatch").contains(
            "Teams shows BeRightBack/BeRightBack, so MiCollab should show \"Be right back\""
        ),
        "{r}"
    );
    let r = &rows[login(&phone_side)];
    assert!(reasons(r).contains(&"pbx_teams_mismatch"), "{r}");
    assert!(
        hint(r, "pbx_teams_mismatch").contains("mcteams holds no matching Teams session"),
        "{r}"
    );

    // A full sync puts both right; then the phone hangs up and the guard stops the session
    // from being cleared.
    sync(&estate, &[]).await;
    phone(&estate, &phone_side, "idle").await;
    sync_exits(&estate, &["--max-changes", "0"], 5).await;
    // Past the 1 s window on the systems' clock (the report judges by Graph's), not by waiting.
    advance_clock(&estate, 5).await;
    let (code, rows, _) = report(&estate, &settle, &["--detailed-exitcode"]).await;
    assert_eq!(code, 4);
    let r = &rows[login(&phone_side)];
    assert!(reasons(r).contains(&"pbx_teams_mismatch"), "{r}");
    assert!(
        hint(r, "pbx_teams_mismatch")
            .contains("the phone is idle but Teams still shows mcteams' Busy/InACall"),
        "{r}"
    );
    assert_eq!(r["mcteams_session"], "Busy/InACall");
    assert_eq!(r["phone_call"], "idle");
    assert!(
        !rows.contains_key(login(&teams_side)),
        "the Teams side was synced: {rows:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_unsupported_and_unavailable() {
    let estate = Estate::start(30).await;
    let users = estate.pick(2, desk_phone);
    map_and_enable(&estate, &users).await;
    // Never synced: stale, "never".
    let (_, rows, _) = report(&estate, &[], &[]).await;
    assert!(hint(&rows[login(&users[0])], "stale").contains("never"));
    sync(&estate, &[]).await;
    // Past the 1 s window on the systems' clock (the report judges by Graph's), not by waiting.
    advance_clock(&estate, 5).await;
    let stale = [("MCTEAMS_SYNC_STALE_AFTER", "1s")];
    let (code, rows, _) = report(&estate, &stale, &["--detailed-exitcode"]).await;
    assert_eq!(code, 4);
    let h = hint(&rows[login(&users[1])], "stale");
    assert!(
        h.contains("no successful sync within stale_after (last at "),
        "{h}"
    );

    estate
        .control(
            "POST",
            "/_sim/micollab/system",
            Some(json!({"version": "9.7.0.12"})),
        )
        .await;
    let (_, rows, _) = report(&estate, &[], &[]).await;
    for u in &users {
        let h = hint(&rows[login(u)], "unsupported_system");
        assert!(h.contains("9.7.0.12"), "{h}");
    }
    estate
        .control(
            "POST",
            "/_sim/micollab/system",
            Some(json!({"version": "9.8.1.201", "pbx_type": "MiVoice MX-ONE"})),
        )
        .await;
    let (_, rows, _) = report(&estate, &[], &[]).await;
    assert!(hint(&rows[login(&users[0])], "unsupported_system").contains("MiVoice MX-ONE"));

    // A system down: 75, and --from-state still answers without calling anyone.
    estate
        .control(
            "POST",
            "/_sim/faults",
            Some(json!({"system": "pbx", "outage": true})),
        )
        .await;
    let out = estate.run(&["report"]).await;
    assert_eq!(out.status.code(), Some(75), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("pbx"), "{}", text(&out.stderr));
    estate.control("DELETE", "/_sim/stats", None).await;
    let (code, rows, stderr) = report(&estate, &[], &["--from-state", "--all"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows.len(), 2);
    assert!(rows.values().all(|r| r["observed_from"] == "state"));
    let stats = estate.control("GET", "/_sim/stats", None).await;
    assert_eq!(stats["total"], 0, "--from-state called a system: {stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_state_sees_what_the_last_sync_wrote() {
    let estate = Estate::start(30).await;
    let [caller, chooser] = <[Value; 2]>::try_from(estate.pick(2, desk_phone)).unwrap();
    map_and_enable(&estate, &[caller.clone(), chooser.clone()]).await;
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/preferred", Estate::upn(&chooser)),
            Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await;
    phone(&estate, &caller, "busy").await;
    sync(&estate, &[]).await;
    // The sync observed MiCollab before writing it; the store's observation is patched with
    // what it wrote, so the written users are in sync, and the seed's conflict still shows.
    let (code, rows, stderr) = report(
        &estate,
        &[],
        &["--from-state", "--all", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(code, 4, "{stderr}");
    let r = &rows[login(&chooser)];
    assert_eq!(reasons(r), ["dnd_conflict"], "{r}");
    assert_eq!(r["micollab_status"], "Do not disturb");
    assert_eq!(r["micollab_source"], "mcteams");
    let r = &rows[login(&caller)];
    assert_eq!(reasons(r), ["in_sync"], "{r}");
    assert_eq!(r["mcteams_session"], "Busy/InACall");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_name_the_valid_codes() {
    let estate = Estate::start(5).await;
    let out = estate.run(&["report", "--reason", "out_of_whack"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for code in [
        "teams_micollab_mismatch",
        "dnd_conflict",
        "client_drift_risk",
    ] {
        assert!(stderr.contains(code), "{stderr}");
    }
}

/// Timestamps vary from run to run: replaced by a placeholder.
fn redact_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.len() >= 20 && looks_like_time(&rest[..20]) {
            out.push_str("[time]");
            i += 20;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn looks_like_time(s: &str) -> bool {
    s.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        10 => b == b'T',
        13 | 16 => b == b':',
        19 => b == b'Z',
        _ => b.is_ascii_digit(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_and_csv_shapes() {
    let estate = Estate::start(30).await;
    let users = estate.pick(3, desk_phone);
    map_and_enable(&estate, &users).await;
    estate
        .control(
            "POST",
            &format!("/_sim/teams/{}/preferred", Estate::upn(&users[0])),
            Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await;
    phone(&estate, &users[1], "busy").await;
    sync(&estate, &[]).await;
    sync(&estate, &[]).await;
    let json = estate.run(&["-o", "json", "report", "--all"]).await;
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    insta::assert_snapshot!("report_json", redact_times(&text(&json.stdout)));
    let csv = estate.run(&["-o", "csv", "report", "--all"]).await;
    insta::assert_snapshot!("report_csv", redact_times(&text(&csv.stdout)));
    let jsonl = estate.run(&["-o", "jsonl", "report"]).await;
    let lines: Vec<Value> = text(&jsonl.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "only the DND conflict is out of sync");
    let table = estate.run(&["report"]).await;
    let shown = text(&table.stdout);
    assert!(
        shown.contains("dnd_conflict") && shown.contains("Hint"),
        "{shown}"
    );

    // At 100 columns (a terminal's width, or COLUMNS), the table fits: the sides are left
    // out, who, why and what to do are kept, and stderr names what was left out.
    let fitted = estate
        .run_env(&[("COLUMNS", "100")], &["report", "--all"])
        .await;
    let shown = text(&fitted.stdout);
    let widest = shown.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 100, "{widest} columns:\n{shown}");
    for kept in [
        "User",
        "Reasons",
        "Hint",
        "dnd_conflict",
        "Clear Do not disturb",
    ] {
        assert!(shown.contains(kept), "{kept}:\n{shown}");
    }
    assert!(
        text(&fitted.stderr).contains("left out to fit 100 columns: ")
            && text(&fitted.stderr).contains("(-o wide shows every column)"),
        "{}",
        text(&fitted.stderr)
    );
    // Wide: every column, each row's first line whole, whatever COLUMNS says.
    let wide = estate
        .run_env(&[("COLUMNS", "100")], &["-o", "wide", "report", "--all"])
        .await;
    let shown = text(&wide.stdout);
    let header = shown.lines().find(|l| l.contains("Hint")).unwrap();
    for column in [
        "User",
        "Reasons",
        "Teams",
        "MiCollab",
        "Phone",
        "Flag",
        "Last sync",
        "Hint",
        "Client",
        "Observed",
        "Last error",
    ] {
        assert!(header.contains(column), "{column}: {header}");
    }
    assert!(shown.contains("DoNotDisturb/DoNotDisturb"), "{shown}");
    assert!(
        !text(&wide.stderr).contains("left out"),
        "{}",
        text(&wide.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_over_many_users_stays_within_one_cycles_reads() {
    const N: usize = 2000;
    let estate = Estate::start(N as u32).await;
    let users = estate.pick(N, |_| true);
    let file = estate.write("users.csv", &estate.mapping_csv(&users));
    let out = estate
        .run(&["import", file.to_str().unwrap(), "--yes"])
        .await;
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    sync(&estate, &[]).await;
    estate.control("DELETE", "/_sim/stats", None).await;
    sync(&estate, &[]).await;
    let cycle = estate.control("GET", "/_sim/stats", None).await;
    estate.control("DELETE", "/_sim/stats", None).await;
    let out = estate.run(&["-q", "-o", "json", "report"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stats = estate.control("GET", "/_sim/stats", None).await;
    let count = |s: &Value, system: &str, endpoint: &str| -> u64 {
        s["systems"][system]["endpoints"][endpoint]
            .as_object()
            .map(|codes| codes.values().filter_map(Value::as_u64).sum())
            .unwrap_or(0)
    };
    // The sync cycle's reads, the same number of times.
    let presence_reads = N.div_ceil(650) as u64;
    let reads = [
        ("graph", "POST /communications/getPresencesByUserId"),
        ("pbx", "POST /2017-09-01/extensions/query"),
        ("cloudlink", "POST /presence/2017-09-01/presentities/query"),
    ];
    for (system, endpoint) in reads {
        assert_eq!(
            count(&stats, system, endpoint),
            count(&cycle, system, endpoint),
            "{system} {endpoint}: {stats}"
        );
    }
    // MiCollab: the sync asks for its mapped users by login (1000 a call); the report pages
    // every user instead (1000 a page), to find Teams-enabled users without a mapping too.
    assert_eq!(
        count(&stats, "micollab", "GET /2017-09-01/users"),
        count(&cycle, "micollab", "POST /2017-09-01/users/query"),
        "{stats}"
    );
    assert_eq!(
        count(&stats, "graph", "POST /communications/getPresencesByUserId"),
        presence_reads
    );
    // Plus the existence checks: the version, and the Entra directory in bulk.
    assert_eq!(count(&stats, "micollab", "GET /2017-09-01/system"), 1);
    // Entra users looked up in bulk: 15 names per `$filter`, 20 filters per `$batch` (the
    // client pages the whole directory instead when Graph tells it the directory is small).
    let batches = count(&stats, "graph", "POST /$batch");
    assert!(
        batches <= (N as u64).div_ceil(15 * 20),
        "{batches} batches: {stats}"
    );
    assert!(count(&stats, "graph", "GET /users") <= (N as u64).div_ceil(15));
    // No per-user calls anywhere; the one `GET /users/{id}` is the user count probe
    // (`/users/$count`, which the emulator routes as an id and does not know).
    assert!(count(&stats, "graph", "GET /users/{id}") <= 1, "{stats}");
    for system in ["micollab", "pbx", "cloudlink"] {
        let endpoints = stats["systems"][system]["endpoints"].as_object().unwrap();
        for endpoint in endpoints.keys() {
            assert!(
                !endpoint.contains('{'),
                "per-user call {system} {endpoint}: {stats}"
            );
        }
    }
    eprintln!("report over {N} users: {stats}");
    eprintln!("one sync cycle: {cycle}");
}

/// Moves the emulator's clock (Graph's, by which sync and report judge time) forward.
async fn advance_clock(estate: &Estate, seconds: u64) {
    estate
        .control("POST", "/_sim/clock", Some(json!({"advance_s": seconds})))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mappings_upn_now_naming_another_person_is_told_with_both_values() {
    let estate = Estate::start(30).await;
    let users = estate.pick(2, desk_phone);
    map_and_enable(&estate, &users).await;
    sync(&estate, &[]).await;
    // P leaves their UPN behind (renamed), and Q is given it: P's mapping now names Q by
    // UPN and P by id.
    let (p, q) = (
        Estate::upn(&users[0]).to_string(),
        Estate::upn(&users[1]).to_string(),
    );
    for (who, to) in [(&p, "p.old@contoso.com"), (&q, p.as_str())] {
        estate
            .control(
                "POST",
                &format!("/_sim/users/{who}/rename"),
                Some(json!({ "upn": to })),
            )
            .await;
    }
    let (_, rows, stderr) = report(&estate, &[], &["--reason", "mapping_target_missing"]).await;
    let said = hint(&rows[login(&users[0])], "mapping_target_missing").to_string();
    assert!(
        said.contains(&format!("Teams UPN {p} and object id "))
            && said.contains(&format!("disagree: in Entra {p} is object "))
            && said.contains("is p.old@contoso.com"),
        "{said}\n{stderr}"
    );
    // Q's mapping: its UPN is gone, its id is the person now called P's old UPN.
    let said = hint(&rows[login(&users[1])], "mapping_target_missing");
    assert!(said.contains(&format!("renamed to {p}")), "{said}");
}
