use super::*;
use clap::CommandFactory;

#[test]
fn command_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn every_command_has_help_and_an_example() {
    fn walk(cmd: &clap::Command, path: &str) {
        if cmd.is_hide_set() {
            return;
        }
        let name = format!("{path} {}", cmd.get_name());
        assert!(cmd.get_about().is_some(), "{name}: no one-line help");
        for arg in cmd.get_arguments() {
            if arg.get_id() == "help" || arg.get_id() == "version" {
                continue;
            }
            assert!(
                arg.get_help().is_some(),
                "{name} --{}: no help",
                arg.get_id()
            );
        }
        let has_sub = cmd.get_subcommands().any(|s| !s.is_hide_set());
        if !has_sub || path.is_empty() {
            let after = cmd
                .get_after_help()
                .map(|s| s.to_string())
                .unwrap_or_default();
            assert!(after.contains("Examples:"), "{name}: no example in --help");
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &name);
        }
    }
    walk(&Cli::command(), "");
}

#[test]
fn durations_parse_like_the_config() {
    assert_eq!(parse_duration("15s").unwrap().as_secs(), 15);
    assert_eq!(parse_duration("2m").unwrap().as_secs(), 120);
    assert!(parse_duration("fast").is_err());
}
