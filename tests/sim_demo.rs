//! `mcteams demo`: runs end to end against its in-process emulator and exits 0, and every
//! step is the real command (doctor, import, profile enable, sync, report), spawned as this
//! binary against the demo's config.

/// The demo's output, with the caller's own mcteams settings out of the way.
fn demo(args: &[&str]) -> String {
    let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("mcteams"))
        .arg("demo")
        .args(args)
        .env_remove("MCTEAMS_CONFIG")
        .env_remove("MCTEAMS_STATE")
        // Children must not see these: the demo strips the caller's MCTEAMS_* settings.
        .env("MCTEAMS_GRAPH_TENANT_ID", "not-the-demo-tenant")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The line of the read-back table (after `heading`) that names `who`.
fn state_of<'a>(text: &'a str, heading: &str, who: &str) -> &'a str {
    let after = &text[text
        .find(heading)
        .unwrap_or_else(|| panic!("{heading}:\n{text}"))..];
    after
        .lines()
        .find(|l| l.contains(who))
        .unwrap_or_else(|| panic!("{who} after {heading}:\n{text}"))
}

#[test]
fn demo_runs_the_real_commands_and_exits_0() {
    let text = demo(&[]);
    // No placeholder is left.
    assert!(!text.contains("comes with issue"), "{text}");
    assert!(!text.contains('\x1b'), "no colors with NO_COLOR:\n{text}");

    // 1. doctor, against the emulator.
    assert!(text.contains("$ mcteams doctor"), "{text}");
    assert!(text.contains("doctor: every check passed"), "{text}");
    // 3. import: its summary line.
    assert!(text.contains("$ mcteams import users.csv"), "{text}");
    assert!(
        text.contains("users.csv: 20 row(s): 20 create, 0 update, 0 unchanged, 0 error (applied)"),
        "{text}"
    );
    // 4. profile enable: the preview, then the result.
    assert!(
        text.contains("$ mcteams profile enable Sales --yes"),
        "{text}"
    );
    assert!(
        text.contains("Turn ON Microsoft Teams presence for profile \"Sales\""),
        "{text}"
    );
    assert!(
        text.contains("Teams presence is now on for profile \"Sales\""),
        "{text}"
    );
    // 6. two sync cycles: phones to Teams first, then that Teams presence into MiCollab
    // (and 8. a third, once the conflict is resolved).
    assert_eq!(text.matches("$ mcteams sync").count(), 3, "{text}");
    assert!(text.contains("applied_pbx_to_teams:       2"), "{text}");
    assert!(text.contains("applied_teams_to_micollab:  2"), "{text}");
    assert!(text.contains("failed_users:               0"), "{text}");

    // The state read back before and after: consistent across the systems.
    let before = "Before any sync:";
    let after = "After both cycles:";
    let dnd = state_of(&text, before, "chloe.rossi1@contoso.com");
    assert!(
        dnd.contains("DoNotDisturb/DoNotDisturb") && dnd.contains("Available (micollab)"),
        "{dnd}"
    );
    let call = state_of(&text, before, "kavya.kowalski6@contoso.com");
    assert!(call.contains("busy, DND off"), "{call}");
    let phone = state_of(&text, before, "grace.costa11@contoso.com");
    assert!(phone.contains("idle, DND on"), "{phone}");

    let dnd = state_of(&text, after, "chloe.rossi1@contoso.com");
    assert!(
        dnd.contains("DoNotDisturb/DoNotDisturb  -")
            && dnd.contains("Do not disturb (mcteams)")
            && dnd.contains("idle, DND off"),
        "the DND chosen in Teams reached MiCollab, no app session: {dnd}"
    );
    let call = state_of(&text, after, "kavya.kowalski6@contoso.com");
    assert!(
        call.matches("Busy/InACall").count() == 2 && call.contains("In a call (mcteams)"),
        "the call shows in Teams (app session) and MiCollab: {call}"
    );
    let phone = state_of(&text, after, "grace.costa11@contoso.com");
    assert!(
        phone.matches("DoNotDisturb/Presenting").count() == 2
            && phone.contains("Presenting (mcteams)"),
        "phone DND shows in Teams (app session) and MiCollab: {phone}"
    );

    // 7. report: the dnd_conflict of the person who chose DND in Teams, with its hint.
    assert!(text.contains("$ mcteams report\n"), "{text}");
    assert!(text.contains("│ dnd_conflict         ┆ 1 "), "{text}");
    assert!(
        text.contains("crossi1 (chloe.rossi1@contoso.com):"),
        "{text}"
    );
    assert!(
        text.contains(
            "dnd_conflict: Do not disturb was chosen in Teams while the phone's DND is off"
        ),
        "{text}"
    );
    // 8. settled: the person clears DND in Teams, a sync brings it over, and the report's
    // exit code says nobody is out of sync.
    let settled = &text[text.find("Settled").expect("the settle step")..];
    assert!(
        settled.contains("$ mcteams report --detailed-exitcode")
            && settled
                .contains("20 user(s) checked, read from the systems; 0 shown, 0 out of sync"),
        "{settled}"
    );
    // 9. where to go next.
    assert!(
        text.contains("mcteams sim serve --users 1000 --write-config"),
        "{text}"
    );
    assert!(text.contains("docs/emulator.md"), "{text}");
}

#[test]
fn a_tiny_directory_tops_the_cast_up_with_user_enable() {
    let text = demo(&["--users", "5"]);
    assert!(
        text.contains("$ mcteams user enable nmoreau0 qnakamura2 --yes"),
        "{text}"
    );
    assert!(text.contains("2 changed"), "{text}");
    assert!(text.contains("dnd_conflict: "), "{text}");
}

#[test]
fn with_o_json_the_demo_lists_the_commands_it_ran_and_how_each_ended() {
    let text = demo(&["-o", "json"]);
    let runs: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let commands: Vec<&str> = runs
        .iter()
        .map(|r| r["command"].as_str().unwrap())
        .collect();
    assert_eq!(commands.first(), Some(&"mcteams doctor"), "{text}");
    assert_eq!(
        commands.last(),
        Some(&"mcteams report --detailed-exitcode"),
        "{text}"
    );
    assert!(runs.iter().all(|r| r["exit_code"] == 0), "{text}");
    let keys: Vec<&String> = runs[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["step", "title", "command", "exit_code"]);
    assert!(!text.contains("Your turn"), "no narration in JSON: {text}");
}
