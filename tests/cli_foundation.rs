//! The foundation through the real binary: config errors, exit codes, state file refusals,
//! the mappings round trip, and the committed completions and man pages.

mod common;

use common::{Sandbox, chmod, stderr_of, stdout_of};
use mcteams::mapping::Mapping;
use mcteams::store::Store;
use predicates::prelude::*;

fn mapping(login: &str, upn: &str, id: Option<&str>, ext: &str, cl: Option<&str>) -> Mapping {
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z")
        .unwrap()
        .to_utc();
    Mapping {
        micollab_login: login.into(),
        teams_upn: upn.into(),
        teams_id: id.map(Into::into),
        extension: ext.into(),
        cloudlink_user_id: cl.map(Into::into),
        verified: id.is_some(),
        created_at: at,
        updated_at: at,
        removed_at: None,
    }
}

fn seeded_store(sandbox: &Sandbox) -> std::path::PathBuf {
    let path = sandbox.path("state.db");
    let mut store = Store::open(&path, None).unwrap();
    store
        .upsert_mappings(
            &[
                mapping(
                    "alice",
                    "alice@contoso.com",
                    Some("6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50"),
                    "1001",
                    Some("cl-alice"),
                ),
                mapping("bob", "bob@contoso.com", None, "1002", None),
                mapping(
                    "carol",
                    "carol.smith@contoso.com",
                    Some("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
                    "2001",
                    None,
                ),
            ],
            None,
        )
        .unwrap();
    path
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let sandbox = Sandbox::new();
    let out = sandbox.cmd().arg("--help").assert().success();
    let text = stdout_of(out.get_output());
    for command in [
        "profile", "user", "status", "import", "mappings", "sync", "release", "report", "doctor",
        "config", "sim", "demo",
    ] {
        assert!(
            text.contains(&format!("\n  {command} ")),
            "{command} missing"
        );
    }
    assert!(text.contains("Examples:"));
    assert!(text.contains("78  configuration error"));
}

#[test]
fn bad_flags_are_usage_errors() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .args(["mappings", "list", "--frobnicate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--frobnicate"));
    sandbox
        .cmd()
        .args(["-o", "xml", "mappings", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("xml"));
    sandbox
        .cmd()
        .args(["sync", "--interval", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--interval"));
}

#[test]
fn config_errors_exit_78_and_name_the_problem() {
    let sandbox = Sandbox::new();
    let cases = [
        (
            "[graph]\ntenant_id = \"contoso\"\ncolour = \"blue\"\n",
            vec!["line 3", "graph.colour", "unknown field"],
        ),
        (
            "[micollab]\nbase_url = \"http://micollab.corp.example\"\n",
            vec!["line 2", "micollab.base_url", "loopback"],
        ),
        (
            "[pbx]\nbase_url = \"::nonsense\"\n",
            vec!["line 2", "pbx.base_url", "invalid URL"],
        ),
        (
            "[sync]\ninterval = \"often\"\n",
            vec!["sync.interval", "invalid interval"],
        ),
    ];
    for (text, fragments) in cases {
        let path = sandbox.write("bad.toml", text);
        let out = sandbox
            .cmd()
            .arg("--config")
            .arg(&path)
            .args(["mappings", "list"])
            .assert()
            .code(78);
        let err = stderr_of(out.get_output());
        assert!(err.contains("bad.toml"), "{err}");
        for f in fragments {
            assert!(err.contains(f), "{text:?}: {err:?} lacks {f:?}");
        }
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    // A named config that does not exist.
    sandbox
        .cmd()
        .args(["--config", "nowhere.toml", "mappings", "list"])
        .assert()
        .code(78)
        .stderr(predicate::str::contains("nowhere.toml does not exist"));
    // Through the environment too.
    sandbox
        .cmd()
        .env("MCTEAMS_SYNC_MAX_CHANGES", "lots")
        .args(["config", "show"])
        .assert()
        .code(78)
        .stderr(predicate::str::contains("MCTEAMS_SYNC_MAX_CHANGES"));
}

fn full_config(sandbox: &Sandbox) -> std::path::PathBuf {
    sandbox.write("secrets/graph.txt", "graph-s3cret-value\n");
    chmod(&sandbox.path("secrets/graph.txt"), 0o600);
    // Only the default state directory is created: a configured one must be there.
    std::fs::create_dir_all(sandbox.path("state")).unwrap();
    sandbox.write(
        "config.toml",
        r#"
[graph]
tenant_id = "contoso.onmicrosoft.com"
client_id = "11111111-2222-3333-4444-555555555555"
client_secret_file = "secrets/graph.txt"
[micollab]
base_url = "https://micollab.contoso.com"
username = "mcteams"
password_env = "TEST_MICOLLAB_PASSWORD"
[pbx]
base_url = "https://mivb.contoso.com"
username = "mcteams"
password_env = "TEST_PBX_PASSWORD"
[cloudlink]
auth_url = "https://authentication.api.mitel.io/2017-09-01"
admin_url = "https://admin.api.mitel.io/2017-09-01"
presence_url = "https://presence.api.mitel.io/2017-09-01"
account_id = "acct-1"
client_id = "cl-client"
client_secret_env = "TEST_CLOUDLINK_SECRET"
[state]
path = "state/state.db"
"#,
    )
}

#[test]
fn config_check_reads_every_secret_and_refuses_open_secret_files() {
    let sandbox = Sandbox::new();
    let config = full_config(&sandbox);
    let with_env = |cmd: &mut assert_cmd::Command| {
        cmd.env("TEST_MICOLLAB_PASSWORD", "mc-s3cret")
            .env("TEST_PBX_PASSWORD", "pbx-s3cret")
            .env("TEST_CLOUDLINK_SECRET", "cl-s3cret");
    };
    let mut cmd = sandbox.cmd();
    with_env(&mut cmd);
    cmd.arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .assert()
        .success()
        .stderr(predicate::str::contains("configuration is valid"));

    chmod(&sandbox.path("secrets/graph.txt"), 0o644);
    let mut cmd = sandbox.cmd();
    with_env(&mut cmd);
    let out = cmd
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .assert()
        .code(78);
    let err = stderr_of(out.get_output());
    assert!(err.contains("graph.client_secret_file"), "{err}");
    assert!(err.contains("readable by group or others"), "{err}");
    assert!(err.contains("chmod 600"), "{err}");

    // A missing variable is named; no secret value ever appears.
    chmod(&sandbox.path("secrets/graph.txt"), 0o600);
    let out = sandbox
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .assert()
        .code(78);
    let err = stderr_of(out.get_output());
    assert!(err.contains("TEST_PBX_PASSWORD is not set"), "{err}");
    for secret in ["graph-s3cret-value", "mc-s3cret", "pbx-s3cret", "cl-s3cret"] {
        assert!(!err.contains(secret));
    }
}

#[test]
fn config_show_redacts_and_names_sources() {
    let sandbox = Sandbox::new();
    let config = full_config(&sandbox);
    let out = sandbox
        .cmd()
        .env("TEST_MICOLLAB_PASSWORD", "mc-s3cret")
        .env("MCTEAMS_SYNC_INTERVAL", "30s")
        .arg("--config")
        .arg(&config)
        .args(["-o", "json", "config", "show"])
        .assert()
        .success();
    let text = stdout_of(out.get_output());
    assert!(!text.contains("s3cret"), "{text}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let row = |key: &str| {
        rows.iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("{key}"))
            .clone()
    };
    assert_eq!(row("sync.interval")["value"], "30s");
    assert_eq!(row("sync.interval")["source"], "env MCTEAMS_SYNC_INTERVAL");
    assert_eq!(row("sync.session_ttl")["value"], "15m");
    assert_eq!(row("sync.session_ttl")["source"], "default");
    assert_eq!(row("graph.tenant_id")["source"], "file");
    assert_eq!(
        row("micollab.password_env")["value"],
        "TEST_MICOLLAB_PASSWORD"
    );
    assert_eq!(row("micollab.password_env")["secret"], "readable");
    assert_eq!(row("pbx.password_env")["secret"], "unreadable");
    assert_eq!(row("graph.client_secret_file")["secret"], "readable");
}

#[test]
fn a_first_run_without_a_config_names_the_file_looked_for_and_config_init() {
    let sandbox = Sandbox::new();
    let looked_for = sandbox.path("xdg-config/mcteams/config.toml");
    for args in [&["sync"][..], &["profile", "list"], &["report"]] {
        sandbox
            .cmd()
            .args(args)
            .assert()
            .code(78)
            .stderr(predicate::str::contains(format!(
                "no config file at {}",
                looked_for.display()
            )))
            .stderr(predicate::str::contains("mcteams config init"));
    }
}

#[test]
fn a_watch_interval_of_zero_is_a_usage_error() {
    let sandbox = Sandbox::new();
    for interval in ["0s", "0ms"] {
        sandbox
            .cmd()
            .args(["sync", "--watch", "--interval", interval])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "an interval of zero is not allowed",
            ));
    }
}

#[test]
fn config_init_writes_a_template_and_refuses_to_overwrite() {
    let sandbox = Sandbox::new();
    sandbox.cmd().args(["config", "init"]).assert().success();
    let path = sandbox.path("xdg-config/mcteams/config.toml");
    let template = std::fs::read_to_string(&path).unwrap();
    assert!(template.contains("[graph]"));
    sandbox.cmd().args(["config", "init"]).assert().code(2);
    // The template is valid, but not complete: check lists what is missing.
    sandbox
        .cmd()
        .args(["config", "check"])
        .assert()
        .code(78)
        .stderr(predicate::str::contains("graph.tenant_id is not set"));
    sandbox
        .cmd()
        .args(["config", "init", "--force"])
        .assert()
        .success();
}

#[test]
fn mappings_round_trip_through_the_binary() {
    let sandbox = Sandbox::new();
    let state = seeded_store(&sandbox);

    let out = sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["mappings", "export"])
        .assert()
        .success();
    let csv = stdout_of(out.get_output());
    insta::assert_snapshot!("mappings_export", csv);

    // --out writes the same bytes.
    let file = sandbox.path("export.csv");
    sandbox
        .cmd()
        .env("MCTEAMS_STATE", &state)
        .args(["mappings", "export", "--out"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);

    let out = sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["-o", "csv", "mappings", "list"])
        .assert()
        .success();
    let listed = stdout_of(out.get_output());
    assert!(listed.starts_with(
        "micollab_login,teams_upn,teams_id,extension,cloudlink_user_id,verified,updated_at\n"
    ));
    assert_eq!(listed.lines().count(), 4);

    let out = sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["-o", "json", "mappings", "show", "CAROL.SMITH@contoso.com"])
        .assert()
        .success();
    let shown: serde_json::Value = serde_json::from_str(&stdout_of(out.get_output())).unwrap();
    assert_eq!(shown["micollab_login"], "carol");
    assert_eq!(shown["extension"], "2001");
    assert!(shown["sync"].is_null());

    sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["mappings", "show", "nobody"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no mapping for \"nobody\""));
}

#[test]
fn mappings_remove_previews_confirms_and_reports_each_login() {
    let sandbox = Sandbox::new();
    let state = seeded_store(&sandbox);
    let before = std::fs::read(&state).unwrap();
    let export = |sandbox: &Sandbox| {
        stdout_of(
            sandbox
                .cmd()
                .arg("--state")
                .arg(&state)
                .args(["mappings", "export"])
                .assert()
                .success()
                .get_output(),
        )
    };
    let original = export(&sandbox);

    // Dry run: a preview, nothing changed.
    sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["mappings", "remove", "bob", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("would_remove"));
    assert_eq!(export(&sandbox), original);

    // No terminal, no --yes: refused with a usage error, nothing changed.
    sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["mappings", "remove", "bob"])
        .write_stdin("y\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(export(&sandbox), original);
    let _ = before;

    // --yes: bob goes, the unknown login is reported and makes it partial (exit 3).
    let out = sandbox
        .cmd()
        .arg("--state")
        .arg(&state)
        .args(["-o", "json", "mappings", "remove", "bob", "zed", "--yes"])
        .assert()
        .code(3);
    let rows: serde_json::Value = serde_json::from_str(&stdout_of(out.get_output())).unwrap();
    assert_eq!(rows[0]["result"], "removed");
    assert_eq!(rows[1]["micollab_login"], "zed");
    assert_eq!(rows[1]["result"], "not_found");
    assert!(!export(&sandbox).contains("bob"));

    // The change is in the audit history.
    let store = Store::open(&state, None).unwrap();
    let audit = store.audit_history(10).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.object_id == "bob" && a.new_value.is_none())
    );
}

#[test]
fn state_files_that_cannot_be_used_exit_78_and_stay_untouched() {
    let sandbox = Sandbox::new();
    // Not a database at all.
    let garbage = sandbox.write("garbage.db", &"not sqlite ".repeat(1000));
    let before = std::fs::read(&garbage).unwrap();
    sandbox
        .cmd()
        .arg("--state")
        .arg(&garbage)
        .args(["mappings", "list"])
        .assert()
        .code(78)
        .stderr(predicate::str::contains(
            "garbage.db is not an mcteams store",
        ));
    assert_eq!(std::fs::read(&garbage).unwrap(), before);

    // Written by a newer mcteams.
    let newer = seeded_store(&sandbox);
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    sandbox
        .cmd()
        .arg("--state")
        .arg(&newer)
        .args(["mappings", "list"])
        .assert()
        .code(78)
        .stderr(predicate::str::contains("newer mcteams (schema 999"));
}

#[test]
fn a_store_refuses_another_estate() {
    let sandbox = Sandbox::new();
    let config = |tenant: &str| {
        sandbox.write(
            &format!("{tenant}.toml"),
            &format!(
                "[graph]\ntenant_id = \"{tenant}\"\n[micollab]\nbase_url = \"https://micollab.example.com\"\n[state]\npath = \"shared.db\"\n"
            ),
        )
    };
    let production = config("contoso");
    let rehearsal = config("fabrikam");
    sandbox
        .cmd()
        .arg("--config")
        .arg(&production)
        .args(["mappings", "list"])
        .assert()
        .success();
    sandbox
        .cmd()
        .arg("--config")
        .arg(&rehearsal)
        .args(["mappings", "list"])
        .assert()
        .code(78)
        .stderr(predicate::str::contains("belongs to another estate"));
}

#[test]
fn commands_that_reach_the_systems_need_a_complete_config() {
    let sandbox = Sandbox::new();
    for args in [
        vec!["sync"],
        vec!["release", "--yes"],
        vec!["report"],
        vec!["mappings", "discover"],
    ] {
        sandbox
            .cmd()
            .args(&args)
            .assert()
            .code(78)
            .stderr(predicate::str::contains("not set: graph.tenant_id"));
    }
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let sandbox = Sandbox::new();
    let out = sandbox.path("generated");
    sandbox
        .cmd()
        .args(["generate", "--out"])
        .arg(&out)
        .assert()
        .success();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["completions", "man"] {
        let list = |root: &std::path::Path| {
            let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let generated = list(&out);
        assert_eq!(
            list(repo),
            generated,
            "{dir}/ is stale: run `cargo run -- generate --out .`"
        );
        for name in generated {
            let want = std::fs::read(out.join(dir).join(&name)).unwrap();
            let have = std::fs::read(repo.join(dir).join(&name)).unwrap();
            assert!(
                want == have,
                "{dir}/{name} is stale: run `cargo run -- generate --out .`"
            );
        }
    }
}

#[test]
fn completion_prints_the_committed_scripts_with_the_fixed_values() {
    let sandbox = Sandbox::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (shell, file) in [
        ("bash", "mcteams.bash"),
        ("zsh", "_mcteams"),
        ("fish", "mcteams.fish"),
        ("powershell", "_mcteams.ps1"),
        ("elvish", "mcteams.elv"),
    ] {
        let out = sandbox.cmd().args(["completion", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let committed = std::fs::read(repo.join("completions").join(file)).unwrap();
        assert!(
            out.stdout == committed,
            "{shell}: differs from completions/{file}"
        );
    }
    // Fixed values complete from the definition: reason codes, output formats, shells.
    let bash = sandbox.cmd().args(["completion", "bash"]).output().unwrap();
    let bash = String::from_utf8(bash.stdout).unwrap();
    for value in [
        "dnd_conflict",
        "integration_disabled",
        "wide",
        "jsonl",
        "powershell",
    ] {
        assert!(bash.contains(value), "{value} is not offered");
    }
    sandbox
        .cmd()
        .args(["completion", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values: bash"));
}

#[test]
fn man_pages_say_the_environment_the_files_and_where_to_read_next() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = |name: &str| std::fs::read_to_string(repo.join("man").join(name)).unwrap();
    let root = page("mcteams.1");
    let environment = &root[root.find(".SH ENVIRONMENT").expect("ENVIRONMENT")..];
    for (section, keys) in mcteams::config::KEYS {
        for key in *keys {
            let var = mcteams::config::env_var_name(section, key).replace('-', "\\-");
            assert!(
                environment.contains(&format!("\\fB{var}\\fR")),
                "{var} missing"
            );
        }
    }
    for var in [
        "MCTEAMS_CONFIG",
        "MCTEAMS_STATE",
        "MCTEAMS_LOG",
        "MCTEAMS_GRAPH_SECRET",
        "MCTEAMS_MICOLLAB_PASSWORD",
        "MCTEAMS_PBX_PASSWORD",
        "MCTEAMS_CLOUDLINK_SECRET",
        "NO_COLOR",
        "COLUMNS",
    ] {
        assert!(environment.contains(var), "{var} missing");
    }
    assert!(root.contains(".SH FILES") && root.contains("mcteams/state.db"));
    assert!(root.contains(".SH \"SEE ALSO\"") && root.contains("\\fBmcteams\\-report\\fR(1)"));
    for entry in std::fs::read_dir(repo.join("man")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let text = page(&name);
        assert!(
            !text.contains("mcteams\\-help"),
            "{name} names a help page that does not exist"
        );
        assert!(text.contains(".SH \"SEE ALSO\""), "{name} has no SEE ALSO");
    }
    let enable = page("mcteams-profile-enable.1");
    assert!(
        enable.contains("\\fBmcteams\\-profile\\fR(1), \\fBmcteams\\fR(1)"),
        "{enable}"
    );
}

/// Colour follows the conventions: `CLICOLOR_FORCE` colours even without a terminal,
/// `NO_COLOR` and `--no-color` turn it off, and without a terminal there is none.
#[test]
fn colour_follows_no_color_clicolor_and_the_flag() {
    let sandbox = Sandbox::new();
    let path = sandbox.write("bad.toml", "[sync]\ninterval = \"often\"\n");
    let run = |env: &[(&str, &str)], flag: bool| {
        let mut cmd = sandbox.cmd();
        cmd.env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        if flag {
            cmd.arg("--no-color");
        }
        let out = cmd
            .arg("--config")
            .arg(&path)
            .args(["mappings", "list"])
            .assert()
            .code(78);
        stderr_of(out.get_output()).contains('\x1b')
    };
    assert!(run(&[("CLICOLOR_FORCE", "1")], false), "forced");
    assert!(!run(&[("CLICOLOR_FORCE", "1")], true), "--no-color wins");
    assert!(!run(&[], false), "not a terminal");
    assert!(!run(&[("NO_COLOR", "1")], false), "NO_COLOR");
}
