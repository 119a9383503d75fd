//! `mcteams import` through the real binary: every kind of bad input fails clearly and
//! leaves the store as it was; good input lands atomically and re-runs change nothing.

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use predicates::prelude::*;

const HEADER: &str = "micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n";
const GOOD: &str = "micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n\
alice,alice@contoso.com,6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50,1001,cl-alice\n\
bob,bob@contoso.com,,1002,\n\
carol,carol.smith@contoso.com,,2001,cl-carol\n";

struct Estate {
    sandbox: Sandbox,
    state: std::path::PathBuf,
}

impl Estate {
    fn new() -> Estate {
        let sandbox = Sandbox::new();
        let state = sandbox.path("state.db");
        Estate { sandbox, state }
    }

    fn mcteams(&self) -> assert_cmd::Command {
        let mut cmd = self.sandbox.cmd();
        cmd.env("MCTEAMS_STATE", &self.state);
        cmd
    }

    fn import(&self, name: &str, bytes: &[u8], extra: &[&str]) -> assert_cmd::assert::Assert {
        let path = self.sandbox.path(name);
        std::fs::write(&path, bytes).unwrap();
        self.mcteams()
            .args(["import", "--offline"])
            .arg(&path)
            .args(extra)
            .assert()
    }

    fn export(&self) -> String {
        stdout_of(
            self.mcteams()
                .args(["mappings", "export"])
                .assert()
                .success()
                .get_output(),
        )
    }
}

#[test]
fn a_good_file_lands_and_a_rerun_changes_nothing() {
    let estate = Estate::new();
    estate
        .import("users.csv", GOOD.as_bytes(), &[])
        .success()
        .stderr(predicate::str::contains(
            "3 create, 0 update, 0 unchanged, 0 error",
        ));
    let exported = estate.export();
    assert_eq!(exported, GOOD);
    estate
        .import("users.csv", GOOD.as_bytes(), &[])
        .success()
        .stderr(predicate::str::contains(
            "0 create, 0 update, 3 unchanged, 0 error",
        ));
    // Export -> import is a no-op round trip.
    estate
        .import("export.csv", exported.as_bytes(), &["-o", "json"])
        .success()
        .stdout(predicate::str::contains("\"action\": \"unchanged\""));
    assert_eq!(estate.export(), GOOD);
}

#[test]
fn excel_style_files_are_read() {
    let estate = Estate::new();
    let excel = "\u{feff}EXTENSION;Teams_UPN;MiCollab_Login;Department\r\n1001;alice@contoso.com;alice;Sales\r\n\r\n\"1002\";\" bob@contoso.com \";bob;\"Support; 2nd line\"\r\n";
    estate
        .import("excel.csv", excel.as_bytes(), &[])
        .success()
        .stderr(predicate::str::contains(
            "column 4 (\"Department\") is not a mapping column",
        ));
    assert_eq!(
        estate.export(),
        format!("{HEADER}alice,alice@contoso.com,,1001,\nbob,bob@contoso.com,,1002,\n")
    );
    // Other header names, mapped with --columns; stdin as the file.
    estate
        .mcteams()
        .args([
            "import",
            "--offline",
            "--columns",
            "User=micollab_login,Mail=teams_upn,DN=extension",
            "-",
        ])
        .write_stdin("User,Mail,DN\ncarol,carol@contoso.com,2001\n")
        .assert()
        .success();
    assert!(estate.export().contains("carol,carol@contoso.com,,2001,"));
}

#[test]
fn bad_files_fail_clearly_and_leave_the_store_as_it_was() {
    let estate = Estate::new();
    estate.import("seed.csv", GOOD.as_bytes(), &[]).success();
    let before = estate.export();
    let mut garbage = vec![0u8, 159, 146, 150];
    garbage.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("empty.csv", vec![], 1, "empty.csv: the file is empty"),
        (
            "missing.csv",
            b"micollab_login,teams_id\nalice,x\n".to_vec(),
            1,
            "required column(s) teams_upn, extension missing",
        ),
        (
            "latin1.csv",
            b"micollab_login,teams_upn,extension\nren\xe9,rene@contoso.com,1009\n".to_vec(),
            1,
            "latin1.csv: not valid UTF-8 at byte 38 (line 2)",
        ),
        ("garbage.bin", garbage, 1, "garbage.bin: "),
        // A header and nothing else is not an error, and changes nothing.
        (
            "header-only.csv",
            HEADER.as_bytes().to_vec(),
            0,
            "header-only.csv: 0 row(s): 0 create, 0 update, 0 unchanged, 0 error",
        ),
    ];
    for (name, bytes, code, message) in cases {
        let out = estate.import(name, &bytes, &[]).code(code);
        let err = stderr_of(out.get_output());
        assert!(err.contains(message), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(estate.export(), before, "{name} changed the store");
    }
}

#[test]
fn bad_rows_fail_alone_with_their_reason() {
    let estate = Estate::new();
    let huge = "x".repeat(1_000_000);
    let text = format!(
        "{HEADER}alice,alice@contoso.com,,1001,\n\
         =cmd|' /C calc'!A0,mallory@contoso.com,,1666,\n\
         bob,{huge}@contoso.com,,1002,\n\
         carol,carol@contoso.com,,1003,,surplus\n\
         dave,dave@contoso.com,,10x4,\n\
         erin,erin@contoso.com,,1005,\n\
         frank,ERIN@contoso.com,,1006,\n"
    );
    let results = estate.sandbox.path("results.csv");
    let out = estate
        .import(
            "rows.csv",
            text.as_bytes(),
            &["-o", "json", "--results", results.to_str().unwrap()],
        )
        .code(3);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout_of(out.get_output())).unwrap();
    let codes: Vec<&str> = rows
        .iter()
        .map(|r| r["error_code"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        codes,
        vec![
            "-",
            "invalid_login",
            "field_too_long",
            "ragged_row",
            "invalid_extension",
            "duplicate_upn",
            "duplicate_upn"
        ]
    );
    // The valid row landed; the rest did not.
    assert_eq!(
        estate.export(),
        format!("{HEADER}alice,alice@contoso.com,,1001,\n")
    );
    let written = std::fs::read_to_string(&results).unwrap();
    insta::assert_snapshot!("import_results", written.replace(&huge, "<1,000,000 x>"));
}

#[test]
fn failed_rows_can_be_fixed_and_reimported_as_they_are() {
    let estate = Estate::new();
    let text = format!("{HEADER}alice,alice@contoso.com,,1001,\nbob,bob,,1002,\n");
    let failed = estate.sandbox.path("failed.csv");
    estate
        .import(
            "first.csv",
            text.as_bytes(),
            &["--results", failed.to_str().unwrap(), "--only-failed"],
        )
        .code(3);
    let fixed = std::fs::read_to_string(&failed)
        .unwrap()
        .replace("bob,bob,", "bob,bob@contoso.com,");
    assert_eq!(fixed.lines().count(), 2, "{fixed}");
    estate
        .import("fixed.csv", fixed.as_bytes(), &[])
        .success()
        .stderr(
            predicate::str::contains("1 create")
                .and(predicate::str::contains("not a mapping column").not()),
        );
    assert!(estate.export().contains("bob,bob@contoso.com,,1002,"));
}

#[test]
fn strict_applies_nothing_when_a_row_fails() {
    let estate = Estate::new();
    let text = format!("{HEADER}alice,alice@contoso.com,,1001,\nbob,bob,,1002,\n");
    estate
        .import("strict.csv", text.as_bytes(), &["--strict"])
        .code(3)
        .stderr(predicate::str::contains("--strict is set: nothing applied"));
    assert_eq!(estate.export(), HEADER);
}

#[test]
fn dry_run_changes_nothing() {
    let estate = Estate::new();
    estate
        .import("users.csv", GOOD.as_bytes(), &["--dry-run", "-o", "csv"])
        .success()
        .stdout(predicate::str::contains(
            "1,2,alice,alice@contoso.com,1001,create,planned,,",
        ));
    assert_eq!(estate.export(), HEADER);
}

#[test]
fn prune_is_guarded() {
    let estate = Estate::new();
    let many: String = (0..30)
        .map(|i| format!("user{i},user{i}@contoso.com,,{},\n", 3000 + i))
        .collect();
    estate
        .import("many.csv", format!("{HEADER}{many}").as_bytes(), &[])
        .success();
    let one = format!("{HEADER}user0,user0@contoso.com,,3000,\n");
    // 29 of 30 would go: above 10 % (3), so it stops with nothing applied.
    estate
        .import("one.csv", one.as_bytes(), &["--prune", "--yes"])
        .code(5)
        .stderr(predicate::str::contains(
            "would remove 29 mapping(s), more than the limit of 3",
        ));
    assert_eq!(estate.export().lines().count(), 31);
    // A header-only file never prunes, whatever the limit.
    estate
        .import(
            "empty.csv",
            HEADER.as_bytes(),
            &["--prune", "--force", "--yes"],
        )
        .code(5)
        .stderr(predicate::str::contains("no data rows"));
    assert_eq!(estate.export().lines().count(), 31);
    // Without a terminal, a prune needs --yes.
    estate
        .import(
            "one.csv",
            one.as_bytes(),
            &["--prune", "--max-deletes", "29"],
        )
        .code(2);
    estate
        .import(
            "one.csv",
            one.as_bytes(),
            &["--prune", "--max-deletes", "29", "--yes"],
        )
        .success();
    assert_eq!(estate.export(), one);
}
