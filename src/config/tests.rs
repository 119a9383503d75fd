use super::*;
use std::time::Duration;

fn no_env(_: &str) -> Option<String> {
    None
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_parts(Some(Path::new("/etc/mcteams/config.toml")), text, no_env)
}

#[test]
fn empty_config_has_the_documented_defaults() {
    let c = parse("").unwrap();
    let s = c.sync();
    assert_eq!(s.interval, Interval::Auto);
    assert_eq!(s.min_interval.as_secs(), 2);
    for system in ["micollab", "pbx", "cloudlink"] {
        assert_eq!(c.max_rps(system), 10.0, "{system}");
    }
    assert_eq!(s.session_ttl.as_secs(), 900);
    assert_eq!(s.settle_window.as_secs(), 60);
    assert_eq!(s.stale_after.as_secs(), 300);
    assert_eq!(s.max_changes, ChangeLimit::Share(0.05));
    assert_eq!(c.budget_share(), 0.8);
    assert_eq!(
        c.graph_base_url().as_str(),
        "https://graph.microsoft.com/v1.0"
    );
    assert_eq!(
        c.graph_authority_url().as_str(),
        "https://login.microsoftonline.com/"
    );
    assert_eq!(c.origin("sync.interval"), Origin::Default);
}

#[test]
fn errors_name_file_line_and_key() {
    // (config text, every fragment the message must contain)
    let cases: &[(&str, &[&str])] = &[
        (
            "[graph]\ntenant_id = \"t\"\ncolour = \"blue\"\n",
            &[
                "config.toml line 3",
                "graph.colour",
                "unknown field `colour`",
            ],
        ),
        (
            "[sync]\n\ninterval = \"soon\"\n",
            &["line 3", "sync.interval", "invalid interval \"soon\""],
        ),
        (
            "[sync]\ninterval = \"5s\"\n\n[sycn]\nmax_changes = 5\n",
            &["line 4", "unknown section [sycn]", "did you mean [sync]?"],
        ),
        (
            "[sync]\nmin_interval = \"0s\"\n",
            &["line 2", "sync.min_interval", "zero"],
        ),
        (
            "[pbx]\nmax_rps = 0\n",
            &["line 2", "pbx.max_rps", "out of range"],
        ),
        (
            "[cloudlink]\nmax_rps = \"fast\"\n",
            &["line 2", "cloudlink.max_rps", "not a number"],
        ),
        (
            "[micollab]\nbase_url = \"htp:/nope\"\n",
            &["line 2", "micollab.base_url", "unsupported URL scheme"],
        ),
        (
            "[pbx]\nbase_url = \"not a url\"\n",
            &["line 2", "pbx.base_url", "invalid URL"],
        ),
        (
            "[micollab]\nbase_url = \"http://micollab.example.com\"\n",
            &[
                "line 2",
                "micollab.base_url",
                "only allowed to a loopback host",
            ],
        ),
        (
            "[graph]\nbudget_share = 1.5\n",
            &["line 2", "graph.budget_share", "out of range"],
        ),
        (
            "[sync]\nmax_changes = \"lots\"\n",
            &["sync.max_changes", "neither a number nor a percentage"],
        ),
        (
            "[graph]\nclient_secret = \"hunter2\"\n",
            &["graph.client_secret", "never written in the config"],
        ),
        (
            "[nonsense]\nx = 1\n",
            &[
                "line 1",
                "unknown section [nonsense] (the sections are [graph]",
            ],
        ),
        (
            "[graph]\nclient_secret_env = \"A\"\nclient_secret_file = \"b\"\n",
            &["client_secret_env and client_secret_file", "only one"],
        ),
        (
            "[sync]\nsession_ttl = \"5h\"\n",
            &["sync.session_ttl", "5m to 4h"],
        ),
        (
            "[sync]\nlease_duration = \"1s\"\n",
            &["sync.lease_duration", "3s to 1h"],
        ),
        ("[graph\n", &["config.toml line 1"]),
    ];
    for (text, fragments) in cases {
        let err = parse(text).expect_err(text).message;
        for fragment in *fragments {
            assert!(
                err.contains(fragment),
                "{text:?}: {err:?} lacks {fragment:?}"
            );
        }
        assert!(!err.contains("hunter2"), "secret value echoed: {err}");
    }
}

#[test]
fn loopback_http_is_accepted() {
    let c = parse("[micollab]\nbase_url = \"http://127.0.0.1:8080/micollab\"\n").unwrap();
    assert_eq!(
        c.file.micollab.base_url.unwrap().0.as_str(),
        "http://127.0.0.1:8080/micollab"
    );
}

#[test]
fn environment_overrides_win_and_are_named() {
    let env = |name: &str| match name {
        "MCTEAMS_SYNC_INTERVAL" => Some("30s".to_string()),
        "MCTEAMS_GRAPH_BUDGET_SHARE" => Some("0.5".to_string()),
        _ => None,
    };
    let c = Config::from_parts(
        None,
        "[sync]\ninterval = \"10s\"\nstale_after = \"9m\"\n",
        env,
    )
    .unwrap();
    assert_eq!(c.sync().interval, Interval::Every(Duration::from_secs(30)));
    assert_eq!(c.budget_share(), 0.5);
    assert_eq!(
        c.origin("sync.interval"),
        Origin::Env("MCTEAMS_SYNC_INTERVAL".into())
    );
    assert_eq!(c.origin("sync.stale_after"), Origin::File);

    let bad = |name: &str| (name == "MCTEAMS_PBX_BASE_URL").then(|| "http://pbx.corp".to_string());
    let err = Config::from_parts(None, "", bad).unwrap_err().message;
    assert!(err.contains("MCTEAMS_PBX_BASE_URL"), "{err}");
    assert!(err.contains("loopback"), "{err}");
}

#[test]
fn relative_paths_are_relative_to_the_file() {
    let c =
        parse("[state]\npath = \"state.db\"\n[graph]\nclient_secret_file = \"s.txt\"\n").unwrap();
    assert_eq!(
        c.file.state.path.clone().unwrap(),
        PathBuf::from("/etc/mcteams/state.db")
    );
    assert_eq!(
        c.graph_credential().unwrap().1,
        SecretSource::File(PathBuf::from("/etc/mcteams/s.txt"))
    );
}

#[test]
fn template_lists_every_key_and_parses_uncommented() {
    assert!(parse(TEMPLATE).is_ok());
    // Uncomment every `# key = value` line, keeping one credential per section.
    let skip = [
        "client_secret_file",
        "client_certificate_file",
        "password_file",
        "url",
    ];
    let mut text = String::new();
    for line in TEMPLATE.lines() {
        let uncommented = line
            .strip_prefix("# ")
            .filter(|l| l.contains(" = ") && !skip.iter().any(|k| l.starts_with(k)));
        text.push_str(uncommented.unwrap_or(line));
        text.push('\n');
    }
    let c = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    for (section, keys) in KEYS {
        for key in *keys {
            assert!(
                TEMPLATE.contains(&format!("# {key} = "))
                    || TEMPLATE.contains(&format!("\n{key} = ")),
                "template lacks {section}.{key}"
            );
        }
    }
    // CloudLink's public URLs are fixed: written in, not left for the admin to find.
    let as_is = parse(TEMPLATE).unwrap();
    let missing = as_is.missing_for_sync();
    assert!(
        !missing
            .iter()
            .any(|k| k.contains("cloudlink.") && k.ends_with("_url")),
        "{missing:?}"
    );
    assert!(
        c.missing_for_sync().is_empty(),
        "{:?}",
        c.missing_for_sync()
    );
    assert!(c.estate().is_some());
}

#[test]
fn secret_files_must_be_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    std::fs::write(&path, "s3cr3t-value\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = SecretSource::File(path.clone())
        .read("graph.client_secret_file")
        .unwrap_err()
        .message;
    assert!(
        err.contains("readable by group or others (mode 0644)"),
        "{err}"
    );
    assert!(err.contains("chmod 600"), "{err}");
    assert!(!err.contains("s3cr3t"), "{err}");

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let secret = SecretSource::File(path).read("k").unwrap();
    assert_eq!(secret.expose(), "s3cr3t-value");
    assert_eq!(format!("{secret:?} {secret}"), "Secret(***) ***");
}

#[test]
fn missing_env_secret_is_named() {
    let err = SecretSource::Env("MCTEAMS_TEST_SURELY_UNSET_VAR".into())
        .read("micollab.password_env")
        .unwrap_err()
        .message;
    assert_eq!(
        err,
        "micollab.password_env: environment variable MCTEAMS_TEST_SURELY_UNSET_VAR is not set"
    );
}

#[test]
fn an_override_of_no_key_is_refused_naming_the_nearest_one() {
    let refuse = |names: &[&str], secrets: &[&str]| {
        errors::refuse_unknown_overrides(
            names.iter().map(|n| n.to_string()),
            &secrets.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .map_err(|e| e.to_string())
    };
    // Known keys, other programs' variables, mcteams' own flags' variables: fine.
    let fine = [
        "MCTEAMS_SYNC_INTERVAL",
        "MCTEAMS_GRAPH_BUDGET_SHARE",
        "MCTEAMS_STATE",
        "MCTEAMS_CONFIG",
        "MCTEAMS_BENCH_USERS",
        "PATH",
    ];
    assert_eq!(refuse(&fine, &[]), Ok(()));
    // A secret a *_env key names is no override.
    assert_eq!(
        refuse(&["MCTEAMS_PBX_PASSWORD"], &["MCTEAMS_PBX_PASSWORD"]),
        Ok(())
    );
    let err = refuse(&["MCTEAMS_SYNC_INTERVALL"], &[]).unwrap_err();
    assert!(
        err.contains("[sync] has no key \"intervall\"") && err.contains("MCTEAMS_SYNC_INTERVAL?"),
        "{err}"
    );
    let err = refuse(&["MCTEAMS_PBX_PASSWORD"], &[]).unwrap_err();
    assert!(
        err.contains("did you mean MCTEAMS_PBX_PASSWORD_ENV?"),
        "{err}"
    );
}
