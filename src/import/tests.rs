use super::*;

fn file(text: &str) -> CsvFile {
    csv_input::read("users.csv", text.as_bytes(), &ReadOptions::default()).unwrap()
}

fn stored(login: &str, upn: &str, ext: &str, verified: bool) -> Mapping {
    let at = Utc::now() - chrono::Duration::days(1);
    Mapping {
        verified,
        ..crate::test_support::mapping_at(login, upn, ext, at)
    }
}

fn summary(plan: &ImportPlan) -> Vec<(usize, &'static str, Option<&'static str>)> {
    plan.rows
        .iter()
        .map(|r| (r.row, r.action.as_str(), r.error.as_ref().map(|e| e.code)))
        .collect()
}

const HEADER: &str = "micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n";

#[test]
fn actions_against_the_store() {
    let existing = vec![
        stored("alice", "alice@contoso.com", "1001", false),
        stored("bob", "bob@contoso.com", "1002", false),
    ];
    let text = format!(
        "{HEADER}alice,alice@contoso.com,,1001,\nbob,bob@contoso.com,,1009,\ncarol,carol@contoso.com,,1003,\n"
    );
    let plan = plan(&file(&text), &existing, &HashMap::new(), false, false);
    assert_eq!(
        summary(&plan),
        vec![
            (1, "unchanged", None),
            (2, "update", None),
            (3, "create", None)
        ]
    );
    assert_eq!(plan.changes().len(), 2);
    assert!(plan.prune.is_empty());
}

#[test]
fn field_errors_name_the_field() {
    let text = format!(
        "{HEADER}=cmd|' /C calc'!A0,a@contoso.com,,1,\nbob,bob,,2,\ncarol,carol@contoso.com,nope,3,\ndave,dave@contoso.com,,12a,\nerin,erin@contoso.com,,5,@SUM(A1)\n,frank@contoso.com,,6,\n"
    );
    let plan = plan(&file(&text), &[], &HashMap::new(), false, false);
    let codes: Vec<_> = plan
        .rows
        .iter()
        .map(|r| r.error.as_ref().unwrap().code)
        .collect();
    assert_eq!(
        codes,
        vec![
            "invalid_login",
            "invalid_upn",
            "invalid_teams_id",
            "invalid_extension",
            "invalid_cloudlink_user_id",
            "missing_value"
        ]
    );
    let message = &plan.rows[1].error.as_ref().unwrap().message;
    assert!(message.starts_with("teams_upn \"bob\":"), "{message}");
}

#[test]
fn duplicates_fail_every_row_involved() {
    let text = format!(
        "{HEADER}alice,alice@contoso.com,,1001,\nbob,ALICE@contoso.com,,1002,\ncarol,carol@contoso.com,,1003,\ndave,dave@contoso.com,,1003,\nerin,erin@contoso.com,,1005,\nerin,erin2@contoso.com,,1006,\nfrank,frank@contoso.com,,1007,\n"
    );
    let plan = plan(&file(&text), &[], &HashMap::new(), false, false);
    assert_eq!(
        summary(&plan),
        vec![
            (1, "error", Some("duplicate_upn")),
            (2, "error", Some("duplicate_upn")),
            (3, "error", Some("duplicate_extension")),
            (4, "error", Some("duplicate_extension")),
            (5, "error", Some("duplicate_login")),
            (6, "error", Some("duplicate_login")),
            (7, "create", None),
        ]
    );
    assert!(
        plan.rows[0]
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("also on row(s) 2")
    );
}

#[test]
fn conflicts_with_stored_mappings_leave_them_alone() {
    let existing = vec![stored("alice", "alice@contoso.com", "1001", true)];
    let text = format!("{HEADER}zed,Alice@Contoso.com,,2000,\nyan,yan@contoso.com,,1001,\n");
    let plan = plan(&file(&text), &existing, &HashMap::new(), false, false);
    assert_eq!(
        summary(&plan),
        vec![
            (1, "error", Some("conflict_upn")),
            (2, "error", Some("conflict_extension"))
        ]
    );
    assert!(
        plan.rows[0]
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("login alice")
    );
    // With --prune alice goes, so her UPN and extension are free.
    let text = format!("{HEADER}zed,alice@contoso.com,,1001,\n");
    let plan = super::plan(&file(&text), &existing, &HashMap::new(), false, true);
    assert_eq!(summary(&plan), vec![(1, "create", None)]);
    assert_eq!(plan.prune, vec!["alice".to_string()]);
}

#[test]
fn an_offline_row_never_binds_a_phone_to_someone_elses_teams_object() {
    const ALICE: &str = "6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50";
    const OTHER: &str = "11111111-2222-4333-8444-555555555555";
    const THIRD: &str = "99999999-2222-4333-8444-555555555555";
    let alice = Mapping {
        teams_id: Some(ALICE.into()),
        ..stored("alice", "alice@contoso.com", "1001", true)
    };
    let existing = vec![alice];
    // Zed claims Alice's object id; alice herself, moved in the same file, frees her UPN but
    // not what it was verified to be.
    let text = format!(
        "{HEADER}zed,zed@contoso.com,{},2000,\nalice,alice2@contoso.com,{OTHER},1001,\nyan,alice@contoso.com,{THIRD},3000,\n",
        ALICE.to_uppercase()
    );
    let plan = plan(&file(&text), &existing, &HashMap::new(), false, false);
    let codes = summary(&plan);
    assert_eq!(codes[0], (1, "error", Some("conflict_teams_id")));
    assert!(
        plan.rows[0]
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("login alice")
    );
    assert_eq!(
        codes[2],
        (3, "error", Some("conflict_teams_id")),
        "{codes:?}"
    );
    let said = &plan.rows[2].error.as_ref().unwrap().message;
    assert!(
        said.contains(ALICE) && said.contains("verified for login alice"),
        "{said}"
    );
}

#[test]
fn extensions_can_be_swapped_in_one_file() {
    let existing = vec![
        stored("alice", "alice@contoso.com", "1001", false),
        stored("bob", "bob@contoso.com", "1002", false),
    ];
    let text = format!("{HEADER}alice,alice@contoso.com,,1002,\nbob,bob@contoso.com,,1001,\n");
    let plan = plan(&file(&text), &existing, &HashMap::new(), false, false);
    assert_eq!(
        summary(&plan),
        vec![(1, "update", None), (2, "update", None)]
    );
}

#[test]
fn an_offline_reimport_never_downgrades_a_verified_mapping() {
    let mut alice = stored("alice", "alice@contoso.com", "1001", true);
    alice.teams_id = Some("6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50".into());
    let text = format!("{HEADER}alice,alice@contoso.com,,1001,\n");
    let plan = plan(&file(&text), &[alice], &HashMap::new(), false, false);
    assert_eq!(summary(&plan), vec![(1, "unchanged", None)]);
    let m = plan.rows[0].mapping.as_ref().unwrap();
    assert!(m.verified);
    assert_eq!(
        m.teams_id.as_deref(),
        Some("6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50")
    );
}

#[test]
fn a_tombstone_in_the_file_is_revived() {
    let mut alice = stored("alice", "alice@contoso.com", "1001", false);
    alice.removed_at = Some(Utc::now());
    let text = format!("{HEADER}alice,alice@contoso.com,,1001,\n");
    let plan = plan(&file(&text), &[alice], &HashMap::new(), false, false);
    assert_eq!(summary(&plan), vec![(1, "update", None)]);
}
