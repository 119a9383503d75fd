//! `import` resolving rows against the systems, and `mappings discover`, end to end.

mod e2e;

use e2e::Estate;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_are_resolved_against_every_system() {
    let estate = Estate::start(60).await;
    let by_mail = estate
        .pick(1, |u| u["mail"].is_string() && u["mail"] != u["upn"])
        .remove(0);
    let plain = estate.pick(3, |u| u["mail"] == u["upn"]);
    // Only what an HR export has: login, UPN (or the mail), extension.
    let mut csv = String::from("micollab_login,teams_upn,extension\n");
    for u in &plain {
        csv.push_str(&format!(
            "{},{},{}\n",
            u["login"].as_str().unwrap(),
            u["upn"].as_str().unwrap(),
            u["extension"].as_str().unwrap()
        ));
    }
    csv.push_str(&format!(
        "{},{},{}\n",
        by_mail["login"].as_str().unwrap(),
        by_mail["mail"].as_str().unwrap(),
        by_mail["extension"].as_str().unwrap()
    ));
    let other = &plain[0];
    csv.push_str(&format!(
        "nobody,nobody@contoso.com,{}\n",
        estate.users[59]["extension"].as_str().unwrap()
    ));
    csv.push_str(&format!(
        "ghost,{},99999\n",
        estate.users[58]["upn"].as_str().unwrap()
    ));
    let file = estate.write("hr.csv", &csv);
    let (code, rows, stderr) = estate.run_json(&["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 3, "{stderr}");
    let codes: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error_code"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        codes,
        vec![
            "-",
            "-",
            "-",
            "-",
            "teams_user_not_found",
            "micollab_login_not_found"
        ]
    );
    // The Entra object id and the CloudLink user were filled in, and the mapping is verified.
    let (code, shown, _) = estate
        .run_json(&["mappings", "show", other["login"].as_str().unwrap()])
        .await;
    assert_eq!(code, 0);
    assert_eq!(shown["teams_id"], other["objectId"]);
    assert_eq!(shown["cloudlink_user_id"], other["cloudlinkUserId"]);
    assert_eq!(shown["verified"], true);
    let (_, found_by_mail, _) = estate
        .run_json(&["mappings", "show", by_mail["login"].as_str().unwrap()])
        .await;
    assert_eq!(found_by_mail["teams_id"], by_mail["objectId"]);
    // Re-running the good rows changes nothing.
    let good: String = csv.lines().take(5).map(|l| format!("{l}\n")).collect();
    let file = estate.write("good.csv", &good);
    let (code, rows, stderr) = estate.run_json(&["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["action"] == "unchanged")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolution_is_batched() {
    const N: usize = 600;
    let estate = Estate::start(N as u32).await;
    let mut csv = String::from("micollab_login,teams_upn,extension\n");
    for u in &estate.users {
        csv.push_str(&format!(
            "{},{},{}\n",
            u["login"].as_str().unwrap(),
            u["upn"].as_str().unwrap(),
            u["extension"].as_str().unwrap()
        ));
    }
    let file = estate.write("all.csv", &csv);
    estate.control("DELETE", "/_sim/stats", None).await;
    let out = estate.run(&["-q", "import", file.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stats = estate.control("GET", "/_sim/stats", None).await;
    let total = |system: &str| stats["systems"][system]["total"].as_u64().unwrap_or(0);
    // Graph: 600 UPNs, 15 per $filter, 20 filters per $batch => 2 batches (or the directory
    // paged at 999 a page when that is fewer), plus the token and the user count.
    assert!(total("graph") <= 6, "graph: {stats}");
    // MiCollab 1 query, the PBX 1 query, CloudLink's user list 1 page; plus a token each.
    assert!(total("micollab") <= 3, "micollab: {stats}");
    assert!(total("pbx") <= 3, "pbx: {stats}");
    assert!(total("cloudlink") <= 3, "cloudlink: {stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discover_proposes_the_unmapped_and_its_file_imports_as_is() {
    let estate = Estate::start(40).await;
    let mapped: Vec<_> = estate.users.iter().take(10).cloned().collect();
    let file = estate.write("first.csv", &estate.mapping_csv(&mapped));
    let out = estate.run(&["import", file.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let proposals = estate.dir.path().join("proposals.csv");
    let out = estate
        .run(&["mappings", "discover", "--out", proposals.to_str().unwrap()])
        .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&proposals).unwrap();
    assert!(written.starts_with(
        "micollab_login,teams_upn,teams_id,extension,cloudlink_user_id,confidence,notes\n"
    ));
    let proposed = written.lines().count() - 1;
    assert!(proposed >= 25, "{written}");
    assert!(written.contains(",high,") && !written.contains(mapped[0]["login"].as_str().unwrap()));
    let out = estate.run(&["import", proposals.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("not a mapping column"),
        "{}",
        text(&out.stderr)
    );
    let (_, again, _) = estate.run_json(&["mappings", "discover"]).await;
    assert_eq!(again.as_array().map(Vec::len), Some(0), "{again}");
}
