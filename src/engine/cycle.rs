//! One cycle's phases in order: settle the journal, read the rollout state, run the two
//! direction pipelines (`pipeline.rs`: each reads, decides, applies and records its part),
//! then record once what they came to (`finish.rs`): the rollout state and whether the
//! cycle was complete.

use std::cell::RefCell;

use chrono::{DateTime, Utc};

use super::decide::Rollout;
use super::observe::SharedReads;
use super::pipeline::Pipeline;
use super::settle::{self, Settled};
use super::{CloudlinkPort, CycleReport, CycleSettings, MicollabPort, PbxPort, Systems, TeamsPort};
use crate::reconcile::SyncDirection;
use crate::store::{RunId, Store, StoreError};

/// What every phase of one cycle reads: the systems, the settings, and what settling and
/// the rollout state said before the reads began.
pub(super) struct Cycle<'a, T, M, P, C> {
    pub systems: &'a Systems<T, M, P, C>,
    pub settings: &'a CycleSettings,
    pub run: Option<RunId>,
    pub settled: &'a Settled,
    pub rollout: &'a Rollout,
}

/// The pipelines `--direction` selects, phone -> Teams first (a call missing from Teams is
/// the worse wait, where they run one after the other).
fn pipelines(direction: SyncDirection) -> &'static [SyncDirection] {
    match direction {
        SyncDirection::Both => &[SyncDirection::PbxToTeams, SyncDirection::TeamsToMicollab],
        SyncDirection::PbxToTeams => &[SyncDirection::PbxToTeams],
        SyncDirection::TeamsToMicollab => &[SyncDirection::TeamsToMicollab],
    }
}

pub(super) async fn cycle<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    run: Option<RunId>,
    now: DateTime<Utc>,
) -> Result<CycleReport, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let mut report = CycleReport {
        dry_run: settings.dry_run,
        ..Default::default()
    };
    let settled = if settings.dry_run {
        Settled::default()
    } else {
        let settled = settle::settle_journal(store, systems, settings.lease.as_ref(), now).await?;
        report.settled_journal_entries = settled.closed;
        settled
    };
    let stage = StageTimer::start();
    // Before the store's readers start: lapsing an approval writes, and without WAL a write
    // waits for every reader.
    let rollout = Rollout::load(store, now, settings.dry_run)?;
    let cycle = Cycle {
        systems,
        settings,
        run,
        settled: &settled,
        rollout: &rollout,
    };
    let directions = pipelines(settings.policy.direction);
    // Without WAL one pipeline's writes would wait for the other's store reader.
    let side_by_side = settings.dry_run || store.reads_beside_writes()?;
    let shared = SharedReads::new(settings.down.clone(), directions.len(), side_by_side);
    let pipelines: Vec<_> = directions
        .iter()
        .enumerate()
        .map(|(i, direction)| Pipeline::new(&cycle, *direction, i == 0))
        .collect();
    let store = RefCell::new(store);
    let outcomes = if side_by_side {
        let runs = pipelines.iter().map(|p| p.run(&store, &shared, now));
        futures_util::future::join_all(runs).await
    } else {
        let mut outcomes = Vec::with_capacity(pipelines.len());
        for pipeline in &pipelines {
            outcomes.push(pipeline.run(&store, &shared, now).await);
        }
        outcomes
    };
    stage.lap("pipelines: read, reconcile, journal, apply, store");
    let outcomes = outcomes.into_iter().collect::<Result<Vec<_>, _>>()?;
    cycle.finish(store.into_inner(), outcomes, &mut report, now)?;
    stage.lap("rollout state");
    Ok(report)
}

/// Debug-level timings of a cycle's stages (`-vv`), to see where a cycle's time goes.
pub(super) struct StageTimer(std::cell::Cell<std::time::Instant>);

impl StageTimer {
    pub(super) fn start() -> StageTimer {
        StageTimer(std::cell::Cell::new(std::time::Instant::now()))
    }

    pub(super) fn lap(&self, stage: &str) {
        let now = std::time::Instant::now();
        tracing::debug!(
            stage,
            ms = (now - self.0.get()).as_millis() as u64,
            rss_kib = resident_kib(),
            "cycle stage"
        );
        self.0.set(now);
    }
}

/// The process's resident memory in KiB (Linux; 0 elsewhere), for the stage timings.
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
