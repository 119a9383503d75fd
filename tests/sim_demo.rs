//! `mcteams demo`: runs end to end against its in-process emulator and exits 0.

#[test]
fn demo_walks_through_and_exits_0() {
    let output = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("mcteams"))
        .arg("demo")
        .env_remove("MCTEAMS_CONFIG")
        .env_remove("MCTEAMS_STATE")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("DoNotDisturb/DoNotDisturb"), "{text}");
    assert!(text.contains("busy, DND off"), "{text}");
    assert!(text.contains("idle, DND on"), "{text}");
    assert!(text.contains("comes with issue 7"), "{text}");
}
