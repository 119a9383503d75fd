//! One lane of `sync --watch`: cycles of one direction (or of both together), each with its
//! run row, summary, metrics and logs, on the lane's own pace: its interval, its backoff
//! while the store is busy, and the systems it found down. Where the store lets one write
//! while the other reads (WAL), each direction has a lane of its own, so a PBX that is slow
//! or down holds up phone -> Teams only.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::{Holding, Service};
use crate::commands::sync::{backoff, summary, unix_now};
use crate::engine::{CycleReport, CycleSettings, run_cycle};
use crate::reconcile::SyncDirection;
use crate::store::{RunId, Store, StoreError};

/// How a lane ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LaneEnd {
    /// SIGTERM / SIGINT, after the cycle in progress.
    Stopped,
    /// The lease is gone: the service waits as standby.
    LeaseLost,
}

/// What one turn of a lane came to.
enum Turn {
    /// A cycle ran; `down`: the systems it could not read.
    Cycled { down: BTreeSet<&'static str> },
    /// The store was busy or locked: waited out, not an exit.
    StoreBusy,
    /// The cycle failed on the lease.
    LeaseLost,
}

pub(super) struct Lane<'s> {
    store: &'s mut Store,
    settings: CycleSettings,
    /// The metrics' name of the lane, and the run history's command.
    name: &'static str,
    command: &'static str,
    failures_in_a_row: u32,
}

impl<'s> Lane<'s> {
    /// The lane of `direction` (`Both`: one lane for the two together).
    pub fn new(store: &'s mut Store, settings: &CycleSettings, direction: SyncDirection) -> Self {
        let (name, command) = match direction {
            SyncDirection::Both => ("both", "sync --watch"),
            SyncDirection::PbxToTeams => ("pbx_to_teams", "sync --watch --direction pbx-to-teams"),
            SyncDirection::TeamsToMicollab => (
                "teams_to_micollab",
                "sync --watch --direction teams-to-micollab",
            ),
        };
        let mut settings = settings.clone();
        settings.policy.direction = direction;
        Lane {
            store,
            settings,
            name,
            command,
            failures_in_a_row: 0,
        }
    }

    /// Cycles until the service stops or the lease is lost; the other lanes of the holding
    /// are told when this one ends, and end after their cycle in progress.
    pub async fn run(
        mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
    ) -> anyhow::Result<LaneEnd> {
        let end = self.cycles(service, holding).await;
        holding.over.send_replace(true);
        end
    }

    async fn cycles(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
    ) -> anyhow::Result<LaneEnd> {
        let mut stop = service.stop.clone();
        let mut over = holding.over.subscribe();
        self.settings.lease = Some(holding.lease.clone());
        loop {
            service.retune(self.store, &mut self.settings);
            if holding.lease.lost() {
                return Ok(LaneEnd::LeaseLost);
            }
            let interval = service.tuning.borrow().interval;
            // A system down does not slow the lane: the next cycle tries it again, waiting
            // for it only a little longer than for the others (engine::patience).
            let wait = match self.turn(service, holding).await? {
                Turn::Cycled { down } => {
                    log_systems(&self.settings.down, &down);
                    self.settings.down = down;
                    self.failures_in_a_row = 0;
                    interval
                }
                Turn::LeaseLost if holding.lease.lost() => return Ok(LaneEnd::LeaseLost),
                // Past its renew deadline but not taken over (the store was busy): the
                // heartbeat may still renew it, so the next turn comes after a moment.
                Turn::LeaseLost => {
                    let ttl = service.tuning.borrow().config.sync().lease_duration;
                    (ttl / 12).max(Duration::from_millis(100))
                }
                Turn::StoreBusy => {
                    self.failures_in_a_row = self.failures_in_a_row.saturating_add(1);
                    backoff(interval, self.failures_in_a_row)
                }
            };
            if *stop.borrow() {
                return Ok(LaneEnd::Stopped);
            }
            if !*over.borrow() {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => continue,
                    _ = stop.wait_for(|s| *s) => return Ok(LaneEnd::Stopped),
                    _ = over.wait_for(|o| *o) => {}
                }
            }
            // Another lane ended: stopped, failed, or its lease is gone.
            return Ok(if holding.lease.lost() {
                LaneEnd::LeaseLost
            } else {
                LaneEnd::Stopped
            });
        }
    }

    /// One cycle. Store trouble that passes (busy, locked) and a lost lease are turns of
    /// their own, not errors.
    async fn turn(&mut self, service: &Service<'_>, holding: &Holding<'_>) -> anyhow::Result<Turn> {
        let outcome = match self.store.begin_run(self.command) {
            Ok(run) => {
                let outcome = self.cycle(service, holding, run).await;
                if outcome.is_err() {
                    // Best effort: the next grant of the lease closes what stays open.
                    let _ = self.store.close_interrupted_run(run);
                }
                outcome
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok((report, took)) => {
                log_cycle(self.name, &report, took);
                service.tell_unread(self.name, &report);
                let down = report
                    .read_errors
                    .iter()
                    .filter(|e| e.unavailable && !e.gave_up)
                    .map(|e| e.system)
                    .collect();
                Ok(Turn::Cycled { down })
            }
            Err(e) if !holding.lease.held() => {
                tracing::error!(error = %e, "lost the sync lease mid-cycle: its writes were dropped unsent");
                Ok(Turn::LeaseLost)
            }
            Err(e @ StoreError::Busy { .. }) => {
                tracing::warn!(error = %e, "the state store is busy: waiting it out");
                Ok(Turn::StoreBusy)
            }
            Err(e) => Err(anyhow::Error::new(e).context("running the sync cycle")),
        }
    }

    async fn cycle(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        run: RunId,
    ) -> Result<(CycleReport, Duration), StoreError> {
        let (store, systems, settings) = (&mut *self.store, service.systems, &self.settings);
        let started = Instant::now();
        let now = chrono::Utc::now();
        let report = run_cycle(store, systems, settings, Some(run), holding.alongside, now).await?;
        let took = started.elapsed();
        // A held plan is the guard at work while everyone else syncs: not a failed cycle.
        let succeeded = report.read_errors.is_empty()
            && report.failed_users == 0
            && (report.guard_tripped.is_none() || report.held_plan.is_some());
        service.count_throttled();
        service
            .metrics
            .record(&report, took, succeeded, self.name, unix_now());
        crate::commands::keep_graph_limit(store, &systems.teams)?;
        let line = summary(&report, took);
        store.finish_run(run, if succeeded { 0 } else { 3 }, &line.to_json())?;
        Ok((report, took))
    }
}

/// Says when a system goes down or comes back, and which direction it holds up.
fn log_systems(before: &BTreeSet<&'static str>, now: &BTreeSet<&'static str>) {
    for system in now.difference(before) {
        let direction = match *system {
            "pbx" => "phone -> Teams",
            "cloudlink" => "Teams -> MiCollab",
            _ => "both directions",
        };
        tracing::warn!(
            system,
            "{system} is down: {direction} degraded; tried again every cycle, holding up nothing else"
        );
    }
    for system in before.difference(now) {
        tracing::info!(system, "{system} answers again");
    }
}

fn log_cycle(lane: &'static str, report: &CycleReport, took: Duration) {
    if let (Some((planned, limit)), None) = (report.guard_tripped, report.held_plan) {
        tracing::error!(
            planned,
            limit,
            "mass-change guard: this cycle would make {planned} changes, more than max_changes ({limit}); nothing applied"
        );
    }
    for e in &report.read_errors {
        tracing::warn!(system = e.system, error = %e.message, "could not read a system; what depends on it is left alone");
    }
    for (login, error) in &report.user_errors {
        tracing::warn!(user = %login, error = %error, "user not synchronized");
    }
    tracing::info!(
        lane,
        users = report.users_checked,
        pbx_to_teams = report.applied.pbx_to_teams,
        teams_to_micollab = report.applied.teams_to_micollab,
        refreshes = report.refreshes,
        failed_users = report.failed_users,
        throttled = report.throttled,
        duration_ms = took.as_millis() as u64,
        "sync cycle"
    );
}
