//! The engine through the real clients: `connect(config)` against an in-process emulator,
//! `run_cycle` over a few mappings, results read back through the control API.

mod mitel_common;

use std::time::Duration;

use chrono::Utc;
use mcteams::connectors::connect;
use mcteams::connectors::micollab::{MicollabAdmin, MicollabClient};
use mcteams::connectors::pbx::PbxClient;
use mcteams::engine::{CycleSettings, Systems, run_cycle};
use mcteams::mapping::Mapping;
use mcteams::reconcile::{Policy, SyncDirection};
use mcteams::store::Store;
use mitel_common::Rig;
use reqwest::Method;
use serde_json::{Value, json};

fn mapping(user: &Value) -> Mapping {
    let text = |key: &str| user[key].as_str().expect(key).to_string();
    let now = Utc::now();
    Mapping {
        micollab_login: text("login"),
        teams_upn: text("upn"),
        teams_id: Some(text("objectId")),
        extension: text("extension"),
        cloudlink_user_id: Some(text("cloudlinkUserId")),
        verified: true,
        created_at: now,
        updated_at: now,
        removed_at: None,
    }
}

/// Teams presence on for these users (MiCollab's per-user checkbox, one bulk PATCH).
async fn teams_presence_on(micollab: &MicollabClient, mappings: &[Mapping]) {
    let changes: Vec<(String, bool)> = mappings
        .iter()
        .map(|m| (m.micollab_login.clone(), true))
        .collect();
    for change in micollab.set_users_teams(&changes).await {
        let user = change.result.expect("flag set");
        assert!(user.teams_presence.unwrap().effective);
    }
}

fn settings() -> CycleSettings {
    CycleSettings {
        policy: Policy {
            session_ttl: Duration::from_secs(15 * 60),
            direction: SyncDirection::Both,
        },
        max_changes: 1_000,
        force: false,
        dry_run: false,
        users_per_slice: mcteams::engine::USERS_PER_SLICE,
        writes_per_chunk: mcteams::engine::WRITES_PER_CHUNK,
        lease: None,
        hold_over_guard: false,
        down: Default::default(),
        flags_kept_for: None,
        progress: None,
        only: None,
        seen: None,
        presences: None,
    }
}

#[tokio::test]
async fn a_phone_call_reaches_the_presentity_through_teams_in_two_cycles() {
    let rig = Rig::new(30).await;
    let systems = connect(&rig.config).expect("clients from the written config");

    // Desk-phone users (not ACD hot-desk softphones) are synchronized.
    let users: Vec<Value> = rig
        .users(30)
        .await
        .into_iter()
        .filter(|u| u["deviceType"] == "deskPhone")
        .take(4)
        .collect();
    assert_eq!(users.len(), 4);
    let mappings: Vec<Mapping> = users.iter().map(mapping).collect();

    teams_presence_on(&systems.micollab, &mappings).await;

    let state = rig.dir.path().join("state.db");
    let mut store = Store::open(&state, rig.config.estate().as_ref()).expect("store");
    store.upsert_mappings(&mappings, None).expect("mappings");

    let caller = &mappings[0];
    rig.control(
        Method::POST,
        &format!("/pbx/{}/state", caller.extension),
        Some(json!({"state": "busy"})),
    )
    .await;

    let first = run_cycle(&mut store, &systems, &settings(), None, None, Utc::now())
        .await
        .expect("first cycle");
    assert!(first.read_errors.is_empty(), "{:?}", first.read_errors);
    assert_eq!(first.failed_users, 0, "{:?}", first.user_errors);
    assert!(first.applied.pbx_to_teams >= 1, "{first:?}");

    let second = run_cycle(&mut store, &systems, &settings(), None, None, Utc::now())
        .await
        .expect("second cycle");
    assert!(second.read_errors.is_empty(), "{:?}", second.read_errors);
    assert_eq!(second.failed_users, 0, "{:?}", second.user_errors);

    let view = rig
        .control(Method::GET, &format!("/users/{}", caller.teams_upn), None)
        .await
        .body;
    let presentity = &view["cloudlink"]["presentity"];
    assert_eq!(presentity["status"], "In a call", "{view:#}");
    assert_eq!(presentity["activity"], "InACall");
    assert_eq!(presentity["source"], "mcteams");
    assert_eq!(view["teams"]["presence"]["availability"], "Busy");

    // A third cycle has nothing left to write: no flip-flop, no redundant writes.
    let third = run_cycle(&mut store, &systems, &settings(), None, None, Utc::now())
        .await
        .expect("third cycle");
    assert_eq!(third.applied.teams_to_micollab, 0, "{:?}", third.plan);
    assert_eq!(
        third.planned.total() - third.refreshes,
        0,
        "{:?}",
        third.plan
    );
}

#[tokio::test]
async fn an_unreachable_mitel_system_is_a_read_error_that_changes_nothing() {
    let rig = Rig::new(10).await;
    let connected = connect(&rig.config).expect("clients");
    // The PBX is down for the whole cycle; a short retry budget keeps the test quick.
    let (mut pbx_settings, pbx_url) = rig.pbx_settings();
    pbx_settings.retry = mitel_common::fast_policy();
    let systems = Systems {
        teams: connected.teams,
        micollab: connected.micollab,
        pbx: PbxClient::new(pbx_settings, pbx_url).unwrap(),
        cloudlink: connected.cloudlink,
    };
    rig.outage("pbx", true).await;
    let users = rig.users(3).await;
    let mappings: Vec<Mapping> = users.iter().map(mapping).collect();
    let mut store = Store::open(
        &rig.dir.path().join("state.db"),
        rig.config.estate().as_ref(),
    )
    .unwrap();
    store.upsert_mappings(&mappings, None).unwrap();
    let report = run_cycle(&mut store, &systems, &settings(), None, None, Utc::now())
        .await
        .unwrap();
    let pbx = report
        .read_errors
        .iter()
        .find(|e| e.system == "pbx")
        .expect("pbx read error");
    assert!(pbx.unavailable, "{pbx:?}");
    assert_eq!(report.applied.pbx_to_teams, 0);
    // The secrets of the config are in no error.
    let secret = std::fs::read_to_string(rig.dir.path().join("pbx-password.txt")).unwrap();
    assert!(!format!("{report:?}").contains(secret.trim()));
}

#[tokio::test]
async fn a_forced_mass_change_written_mid_cycle_never_waits_on_a_read_in_flight() {
    // A first sync over 60 users, 10 a slice, writes sent every 5 planned: while a slice's
    // writes go out, later slices are being read. With CloudLink taking one request at a
    // time, a write waiting behind a read that nobody polls would hang the cycle.
    let rig = Rig::new(60).await;
    let connected = connect(&rig.config).expect("clients");
    let systems = Systems {
        teams: connected.teams,
        micollab: connected.micollab,
        pbx: connected.pbx,
        cloudlink: rig.cloudlink_limited_to(1),
    };
    let users = rig.users(60).await;
    let mappings: Vec<Mapping> = users.iter().map(mapping).collect();
    teams_presence_on(&systems.micollab, &mappings).await;
    let mut store = Store::open(
        &rig.dir.path().join("state.db"),
        rig.config.estate().as_ref(),
    )
    .unwrap();
    store.upsert_mappings(&mappings, None).unwrap();
    let forced = CycleSettings {
        force: true,
        users_per_slice: 10,
        writes_per_chunk: 5,
        lease: None,
        hold_over_guard: false,
        down: Default::default(),
        flags_kept_for: None,
        progress: None,
        only: None,
        seen: None,
        presences: None,
        ..settings()
    };
    let report = tokio::time::timeout(
        Duration::from_secs(30),
        run_cycle(&mut store, &systems, &forced, None, None, Utc::now()),
    )
    .await
    .expect("the cycle finishes")
    .expect("cycle");
    assert!(report.read_errors.is_empty(), "{:?}", report.read_errors);
    assert_eq!(report.failed_users, 0, "{:?}", report.user_errors);
    assert!(
        report.applied.teams_to_micollab >= 30,
        "a first sync writes most presentities: {report:?}"
    );
    assert!(store.journal_unconfirmed().unwrap().is_empty());
    assert_eq!(store.sync_records().unwrap().len(), 60);
}
