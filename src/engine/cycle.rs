//! One cycle's phases in order: settle the journal, read the rollout state, run the two
//! direction pipelines (`pipeline.rs`: each reads, decides, applies and records its part),
//! then record once what they came to (`finish.rs`): the rollout state and whether the
//! cycle was complete.

use std::cell::RefCell;

use chrono::{DateTime, Utc};

use super::decide::Rollout;
use super::finish::RolloutBoard;
use super::observe::{FlagsShare, SharedReads};
use super::pipeline::Pipeline;
use super::settle::{self, Settled};
use super::users;
use super::{
    CloudlinkPort, CycleReport, CycleSettings, MicollabPort, PbxPort, SLICES_IN_FLIGHT, Systems,
    TeamsPort,
};
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
    /// The directions whose outcomes the rollout state is recorded from: this cycle's, or
    /// both where each runs its own cycles ([`Alongside`]).
    pub directions: &'static [SyncDirection],
}

/// What the two directions' cycles of `sync --watch` share, each running on its own pace
/// so a slow system holds up only the direction that reads it: every direction's last
/// outcome, from which the rollout state is recorded, and the Teams flags, read once for
/// both where their cycles overlap. A new lease starts a new one.
pub struct Alongside {
    board: RefCell<RolloutBoard>,
    flags: std::rc::Rc<FlagsShare>,
}

impl Default for Alongside {
    fn default() -> Self {
        Self::new()
    }
}

impl Alongside {
    pub fn new() -> Alongside {
        Alongside {
            board: RefCell::default(),
            flags: std::rc::Rc::new(FlagsShare::across_cycles()),
        }
    }
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

/// One cycle of the direction `settings` select; `alongside`: of one direction, beside the
/// other's cycles (then it settles only its own system's journal entries).
pub(super) async fn cycle<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    settings: &CycleSettings,
    run: Option<RunId>,
    alongside: Option<&Alongside>,
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
        let scope = match alongside {
            Some(_) => settings.policy.direction,
            None => SyncDirection::Both,
        };
        let lease = settings.lease.as_ref();
        let settled = settle::settle_journal(store, systems, lease, scope, now).await?;
        report.settled_journal_entries = settled.closed;
        settled
    };
    let stage = StageTimer::start();
    // Before the store's readers start: lapsing an approval writes, and without WAL a write
    // waits for every reader.
    let rollout = Rollout::load(store, now, settings.dry_run)?;
    let directions = pipelines(settings.policy.direction);
    let cycle = Cycle {
        systems,
        settings,
        run,
        settled: &settled,
        rollout: &rollout,
        directions: match alongside {
            Some(_) => pipelines(SyncDirection::Both),
            None => directions,
        },
    };
    // Without WAL one pipeline's writes would wait for the other's store reader.
    let side_by_side = settings.dry_run || store.reads_beside_writes()?;
    let flags = match alongside {
        Some(alongside) => alongside.flags.clone(),
        None => std::rc::Rc::new(FlagsShare::within_cycle(directions.len())),
    };
    let mut shared = SharedReads::new(settings.down.clone(), flags, directions.len(), side_by_side);
    shared.presences = settings.presences.clone();
    let outcomes = run_pipelines(store, &cycle, directions, &shared, side_by_side, now).await?;
    stage.lap("pipelines: read, reconcile, journal, apply, store");
    let outcomes = directions.iter().copied().zip(outcomes).collect();
    let mut own_board = RolloutBoard::default();
    let mut shared_board = alongside.map(|a| a.board.borrow_mut());
    let board = shared_board.as_deref_mut().unwrap_or(&mut own_board);
    cycle.finish(store, outcomes, board, &mut report, now)?;
    stage.lap("rollout state");
    log_decisions(&report, directions);
    Ok(report)
}

/// `-v`: one line per direction with what the cycle decided and did.
fn log_decisions(report: &CycleReport, directions: &[SyncDirection]) {
    for direction in directions {
        let (name, planned, applied) = match direction {
            SyncDirection::PbxToTeams => (
                "pbx-to-teams",
                report.planned.pbx_to_teams,
                report.applied.pbx_to_teams,
            ),
            _ => (
                "teams-to-micollab",
                report.planned.teams_to_micollab,
                report.applied.teams_to_micollab,
            ),
        };
        tracing::info!(
            direction = name,
            users = report.users_checked,
            planned,
            applied,
            failed_users = report.failed_users,
            dry_run = report.dry_run,
            "decided"
        );
    }
}

/// Runs the pipelines of `directions`: side by side on one read of the store, else one after
/// the other, each reading it when its turn comes (without WAL a write waits for every
/// reader).
async fn run_pipelines<T, M, P, C>(
    store: &mut Store,
    cycle: &Cycle<'_, T, M, P, C>,
    directions: &[SyncDirection],
    shared: &SharedReads,
    side_by_side: bool,
    now: DateTime<Utc>,
) -> Result<Vec<super::pipeline::Outcome>, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    // Side by side, the pipelines share the slices in flight a pipeline alone has.
    let beside = if side_by_side { directions.len() } else { 1 };
    let in_flight = (SLICES_IN_FLIGHT / beside).max(1);
    let pipelines: Vec<_> = directions
        .iter()
        .enumerate()
        .map(|(i, direction)| Pipeline::new(cycle, *direction, i == 0, in_flight))
        .collect();
    if !side_by_side {
        let store = RefCell::new(store);
        let mut outcomes = Vec::with_capacity(pipelines.len());
        for pipeline in &pipelines {
            outcomes.push(pipeline.run(&store, shared, None, now).await);
        }
        return outcomes.into_iter().collect();
    }
    let per_slice = cycle.settings.users_per_slice;
    let only = cycle.settings.only.clone();
    let slices = users::stream(store, per_slice, in_flight, pipelines.len(), only)?;
    let store = RefCell::new(store);
    let runs = pipelines
        .iter()
        .zip(slices)
        .map(|(p, slices)| p.run(&store, shared, Some(slices), now));
    futures_util::future::join_all(runs)
        .await
        .into_iter()
        .collect()
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
