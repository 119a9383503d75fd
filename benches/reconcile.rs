//! The reconcile core in-process (criterion): deciding 10,000 users, on a first sync (nothing
//! recorded, every user written) and on a steady cycle (everything recorded, nothing to do).
//! `cargo bench --bench reconcile`; `cargo test --all-targets` runs each case once.

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use mcteams::presence::{CallState, DeviceType, PhoneState};
use mcteams::reconcile::{
    Observed, Policy, Presentity, Record, SyncDirection, TeamsPresence, reconcile,
};
use mcteams::wire::graph::{Activity, Availability};

const USERS: usize = 10_000;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
        .map(|t| t.to_utc())
        .unwrap_or_default()
}

/// User `i` as a cycle reads it: a spread of Teams statuses and phone states.
fn observed(i: usize) -> Observed {
    const TEAMS: [(&str, &str); 5] = [
        ("Available", "Available"),
        ("Busy", "InAMeeting"),
        ("Away", "Away"),
        ("DoNotDisturb", "Presenting"),
        ("Offline", "OffWork"),
    ];
    let (availability, activity) = TEAMS[i % TEAMS.len()];
    let call = [CallState::Idle, CallState::Idle, CallState::Busy][i % 3];
    Observed {
        tombstone: false,
        teams_enabled: Some(true),
        teams: Some(TeamsPresence {
            availability: Availability::parse(availability),
            activity: Activity::parse(activity),
            sequence_number: None,
        }),
        phone: Some(PhoneState {
            call,
            dnd: i.is_multiple_of(17),
            device: DeviceType::DeskPhone,
            acd_hotdesk: false,
        }),
        presentity: Some(Presentity {
            status: Some("Available".into()),
            activity: Some("Available".into()),
            version: "1".into(),
            source: Some("micollab".into()),
        }),
    }
}

fn decide_all(pairs: &[(Observed, Record)], policy: &Policy) -> usize {
    pairs
        .iter()
        .map(|(observed, record)| reconcile(observed, record, policy, now()).actions.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let policy = Policy {
        session_ttl: Duration::from_secs(15 * 60),
        direction: SyncDirection::Both,
    };
    let first: Vec<(Observed, Record)> = (0..USERS)
        .map(|i| (observed(i), Record::default()))
        .collect();
    // The steady state: each user's record as the first sync left it, and MiCollab showing
    // what was written.
    let steady: Vec<(Observed, Record)> = first
        .iter()
        .map(|(observed, record)| {
            let decided = reconcile(observed, record, &policy, now());
            let mut seen = observed.clone();
            if let (Some(shown), Some(written)) = (&mut seen.presentity, &decided.record.presentity)
            {
                shown.status = Some(written.status.name().to_string());
                shown.activity = Some(written.activity.clone());
                shown.source = Some(mcteams::reconcile::WRITER.to_string());
            }
            (seen, decided.record)
        })
        .collect();
    let mut group = c.benchmark_group("reconcile 10,000 users");
    group.bench_function("first sync", |b| {
        b.iter(|| decide_all(black_box(&first), &policy))
    });
    group.bench_function("steady cycle", |b| {
        b.iter(|| decide_all(black_box(&steady), &policy))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
