//! One lane of `sync --watch`: cycles of one direction (or of both together), each with its
//! run row, summary, metrics and logs, on the lane's own pace: its interval, its backoff
//! while the store is busy, and the systems it found down. Where the store lets one write
//! while the other reads (WAL), each direction has a lane of its own, so a PBX that is slow
//! or down holds up phone -> Teams only.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::feed::{self, Next, Wake};
use super::glance::Glances;
use super::{Holding, Service};
use crate::commands::sync::{backoff, summary, unix_now};
use crate::engine::{CycleReport, CycleSettings, run_cycle};
use crate::reconcile::SyncDirection;
use crate::store::{RunId, Store, StoreError, UserKeys};

/// How a lane ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LaneEnd {
    /// SIGTERM / SIGINT, after the cycle in progress.
    Stopped,
    /// The lease is gone: the service waits as standby.
    LeaseLost,
}

/// When a lane's next full cycle is due, and when the turn just done began.
struct Due<'a> {
    began: Instant,
    full: &'a mut Instant,
}

/// What one turn of a lane came to.
enum Turn {
    /// A cycle ran; `down`: the systems it could not read; `clean`: nothing failed.
    Cycled {
        down: BTreeSet<&'static str>,
        clean: bool,
    },
    /// The store was busy or locked: waited out, not an exit.
    StoreBusy,
    /// The cycle failed on the lease.
    LeaseLost,
}

pub(super) struct Lane<'s> {
    pub(super) store: &'s mut Store,
    pub(super) settings: CycleSettings,
    /// The metrics' name of the lane, and the run history's command.
    pub(super) name: &'static str,
    command: &'static str,
    failures_in_a_row: u32,
    /// What wakes the lane before its interval is up, and whom its targeted cycles wake.
    pub(super) wakes: Wakes<'s>,
    /// The Teams lane polls with glances between its full cycles ([`super::glance`]).
    pub(super) glances: Option<Glances>,
    /// The last cycle left something undone (a system down, a user failed): the next full
    /// cycle comes after the interval, even while the feed tells of every change.
    behind: bool,
}

/// A lane's part in phone state as events ([`super::feed`]).
#[derive(Clone, Copy, Default)]
pub(super) struct Wakes<'s> {
    /// Asks this lane for a targeted cycle (the extensions the PBX's feed or the phone
    /// lane named) or a full read.
    pub own: Option<&'s Wake>,
    /// Told the extensions of this lane's targeted cycles that wrote (phone -> Teams wakes
    /// Teams -> MiCollab: the phone's state shows in MiCollab in one step).
    pub hands_to: Option<&'s Wake>,
    /// The PBX's feed is this lane's to follow: while it answers, a full read only every
    /// so often.
    pub follows_feed: bool,
    /// This lane shows in MiCollab what the phone lane's sessions made Teams show: users
    /// whose status did not follow are looked at again for a few seconds.
    pub rechecks: bool,
    /// This lane polls Teams with glances between its full cycles.
    pub glances: bool,
}

impl<'s> Lane<'s> {
    /// The lane of `direction` (`Both`: one lane for the two together).
    pub fn new(
        store: &'s mut Store,
        settings: &CycleSettings,
        direction: SyncDirection,
        wakes: Wakes<'s>,
    ) -> Self {
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
        let glances = (wakes.glances && !settings.dry_run).then(Glances::new);
        settings.seen = glances.as_ref().map(|g| g.seen.clone());
        Lane {
            store,
            settings,
            name,
            command,
            failures_in_a_row: 0,
            wakes,
            glances,
            behind: false,
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
        let mut next = Next::Full;
        // When the next full cycle is due: targeted cycles in between do not put it off.
        let mut full_due = Instant::now();
        loop {
            service.retune(self.store, &mut self.settings);
            if holding.lease.lost() {
                return Ok(LaneEnd::LeaseLost);
            }
            if !holding.lease.held() {
                // Past the renew deadline (the process was paused, or the store slow to
                // renew): no system is called until the heartbeat renews the lease or
                // finds it taken over. Others may hold it by now.
                let ttl = service.tuning.borrow().config.sync().lease_duration;
                tokio::select! {
                    _ = tokio::time::sleep((ttl / 12).max(Duration::from_millis(100))) => continue,
                    _ = stop.wait_for(|s| *s) => return Ok(LaneEnd::Stopped),
                }
            }
            let began = Instant::now();
            let turn = self.turn(service, holding, &next).await?;
            let due = Due {
                began,
                full: &mut full_due,
            };
            let Some(wait) = self.wait_after(service, holding, &next, turn, due) else {
                return Ok(LaneEnd::LeaseLost);
            };
            if *stop.borrow() {
                return Ok(LaneEnd::Stopped);
            }
            if !*over.borrow() {
                tokio::select! {
                    asked = self.woken_or_due(wait) => {
                        next = asked;
                        continue;
                    }
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

    /// How long to wait after `turn` before the next full cycle (`None`: the lease is
    /// gone). A system down does not slow the lane: the next cycle tries it again, waiting
    /// for it only a little longer than for the others (engine::patience). A targeted cycle
    /// keeps the full cycle's time (`due.full`), or brings it forward when it left
    /// something undone. An automatic interval runs from the start of one full cycle to the
    /// next (the cycle's reads are paced already); a fixed one from the end of one.
    fn wait_after(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        next: &Next,
        turn: Turn,
        due: Due<'_>,
    ) -> Option<Duration> {
        let full_due = due.full;
        if let Turn::Cycled { clean, .. } = &turn {
            self.behind = !clean;
        }
        let interval = self.period(service);
        let targeted = matches!(next, Next::Targeted { .. }) && matches!(turn, Turn::Cycled { .. });
        let clean = matches!(turn, Turn::Cycled { clean: true, .. });
        // Users that failed do not slow the pace; a system that could not be read does.
        let read_all = matches!(&turn, Turn::Cycled { down, .. } if down.is_empty());
        let wait = match turn {
            Turn::Cycled { down, .. } if *next == Next::Full => {
                log_systems(&self.settings.down, &down);
                self.settings.down = down;
                self.failures_in_a_row = 0;
                interval
            }
            Turn::Cycled { .. } => interval,
            Turn::LeaseLost if holding.lease.lost() => return None,
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
        let now = Instant::now();
        let auto = service.tuning.borrow().interval == crate::config::Interval::Auto;
        if !targeted {
            let from = if auto && read_all { due.began } else { now };
            *full_due = from + wait;
        } else if !clean {
            *full_due = (*full_due).min(now + wait);
        }
        Some(full_due.saturating_duration_since(now))
    }

    /// The next turn: what the lane's wake asks for, or a full cycle once `wait` is up
    /// (taking what was asked with it).
    async fn woken_or_due(&self, wait: Duration) -> Next {
        let Some(wake) = self.wakes.own else {
            tokio::time::sleep(wait).await;
            return Next::Full;
        };
        tokio::select! {
            asked = wake.next() => asked,
            _ = tokio::time::sleep(wait) => {
                wake.take();
                Next::Full
            }
        }
    }

    /// The time to the lane's next full cycle: the interval, or, while the PBX's feed tells
    /// the phone lane of every change, the few minutes between its full reads.
    fn period(&self, service: &Service<'_>) -> Duration {
        let following =
            self.wakes.follows_feed && !self.behind && self.wakes.own.is_some_and(Wake::following);
        let glancing = self.glances.as_ref().is_some_and(Glances::fresh);
        let period = match following {
            true => feed::full_read_every(self.settings.policy.session_ttl),
            false => service.poll_every(self.settings.policy.direction, glancing),
        };
        service.metrics.set_lane_period(self.name, period);
        period
    }

    /// One cycle, of every user or of those `next` names. Store trouble that passes (busy,
    /// locked) and a lost lease are turns of their own, not errors.
    async fn turn(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        next: &Next,
    ) -> anyhow::Result<Turn> {
        let glance_since = self.glance_since(*next == Next::Full);
        let outcome = match (next, glance_since) {
            (Next::Full, Some(since)) => {
                service.recount(self.store);
                service.polled(self.settings.policy.direction, true);
                self.glance(service, holding, since).await
            }
            (Next::Full, None) => {
                service.recount(self.store);
                service.polled(self.settings.policy.direction, false);
                self.full_cycle(service, holding).await
            }
            (Next::Targeted { keys, noticed }, _) => {
                self.targeted_cycle(service, holding, keys, *noticed).await
            }
        };
        match outcome {
            Ok((report, took)) => {
                service.note_traffic();
                if let Some(glances) = self.glances.as_mut()
                    && (!report.read_errors.is_empty() || report.guard_tripped.is_some())
                {
                    glances.distrust();
                }
                match (next, glance_since) {
                    (Next::Full, None) => log_cycle(self.name, &report, took),
                    (Next::Full, Some(_)) => log_glance(self.name, &report, took),
                    _ => log_targeted(self.name, &report, took),
                }
                if *next == Next::Full {
                    service.tell_unread(self.name, &report);
                }
                let down = report
                    .read_errors
                    .iter()
                    .filter(|e| e.unavailable && !e.gave_up)
                    .map(|e| e.system)
                    .collect();
                let clean = succeeded(&report);
                Ok(Turn::Cycled { down, clean })
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

    /// When the last full cycle began (the store's clock), if this poll may be a glance:
    /// the lane glances, its last full cycle read every system and is recent, and the rollout
    /// is quiet (nobody onboarding, no plan held or approved).
    fn glance_since(&self, poll: bool) -> Option<chrono::DateTime<chrono::Utc>> {
        let glances = self.glances.as_ref().filter(|g| poll && g.fresh())?;
        let quiet = self.store.rollout_quiet(chrono::Utc::now());
        let (_, since) = glances.last_full.filter(|_| matches!(quiet, Ok(true)))?;
        Some(since)
    }

    /// A cycle of every user, with its run row.
    async fn full_cycle(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
    ) -> Result<(CycleReport, Duration), StoreError> {
        let run = self.store.begin_run(self.command)?;
        let outcome = self.cycle(service, holding, run).await;
        if outcome.is_err() {
            // Best effort: the next grant of the lease closes what stays open.
            let _ = self.store.close_interrupted_run(run);
        }
        outcome
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
        if let Some(glances) = self.glances.as_mut()
            && report.read_errors.is_empty()
        {
            glances.full_cycle((started, now));
        }
        let succeeded = succeeded(&report);
        service.count_throttled();
        service
            .metrics
            .record(&report, took, succeeded, self.name, unix_now());
        crate::commands::keep_graph_limit(store, &systems.teams)?;
        crate::commands::tenant::record_tenant_id(store, &systems.teams).await;
        let line = summary(&report, took);
        store.finish_run(run, if succeeded { 0 } else { 3 }, &line.to_json())?;
        service.metrics.propagated(&report, took, true);
        self.hand_over(&report, started);
        Ok((report, took))
    }

    /// Graph's aggregate may not have moved yet when the session was just written: users of
    /// a targeted cycle that wrote fewer MiCollab statuses than it had users are looked at
    /// again, for a few seconds after the change (never a status Graph does not show).
    fn recheck(&self, report: &CycleReport, keys: &UserKeys, noticed: std::time::Instant) {
        let Some(wake) = self.wakes.own.filter(|_| self.wakes.rechecks) else {
            return;
        };
        let all_followed = report.applied.teams_to_micollab as usize >= keys.extensions.len();
        if all_followed || noticed.elapsed() >= feed::RECHECK_WITHIN {
            return;
        }
        let at = std::time::Instant::now() + feed::RECHECK_AFTER;
        wake.recheck_at(keys.extensions.iter().cloned(), noticed, at);
    }

    /// Phone -> MiCollab in one step: the Teams lane shows in MiCollab what Teams shows now
    /// of the users whose session this lane set or cleared.
    fn hand_over(&self, report: &CycleReport, noticed: std::time::Instant) {
        if let Some(teams) = self.wakes.hands_to {
            teams.changed_since(report.sessions_changed_for.iter().cloned(), noticed);
        }
    }

    /// A cycle of only the users of `keys` (a phone changed, or Teams shows what the phone
    /// lane wrote). It has no run row of its own (they come several a second): its writes
    /// are journaled as every write is, and counted in the metrics. The mass-change guard
    /// stops it whole, and a full cycle follows, where a watch holds what the guard holds.
    /// A cycle of only the users of `keys`, decided on `presences` where they hold them
    /// (a glance's read). The guard stops it whole: a full cycle follows.
    pub(super) async fn run_only(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        keys: UserKeys,
        presences: Option<std::sync::Arc<crate::ids::IdMap<crate::reconcile::TeamsPresence>>>,
    ) -> Result<CycleReport, StoreError> {
        let settings = CycleSettings {
            only: Some(std::sync::Arc::new(keys)),
            hold_over_guard: false,
            presences,
            ..self.settings.clone()
        };
        let (store, systems) = (&mut *self.store, service.systems);
        let now = chrono::Utc::now();
        run_cycle(store, systems, &settings, None, holding.alongside, now).await
    }

    pub(super) async fn targeted_cycle(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        keys: &UserKeys,
        noticed: std::time::Instant,
    ) -> Result<(CycleReport, Duration), StoreError> {
        let started = Instant::now();
        let report = self.run_only(service, holding, keys.clone(), None).await?;
        let took = started.elapsed();
        service.count_throttled();
        service
            .metrics
            .record(&report, took, succeeded(&report), self.name, unix_now());
        if report.guard_tripped.is_some()
            && let Some(wake) = self.wakes.own
        {
            wake.read_all();
        }
        // From when mcteams learned of the change (the feed's answer, or the phone lane's
        // write) to the writes confirmed.
        let propagated = noticed.elapsed();
        service
            .metrics
            .propagated(&report, propagated, !self.wakes.rechecks);
        self.recheck(&report, keys, noticed);
        self.hand_over(&report, noticed);
        Ok((report, took))
    }
}

/// A held plan is the guard at work while everyone else syncs: not a failed cycle.
pub(super) fn succeeded(report: &CycleReport) -> bool {
    report.read_errors.is_empty()
        && report.failed_users == 0
        && (report.guard_tripped.is_none() || report.held_plan.is_some())
}

/// A glance is logged as a cycle when it wrote or failed, else as a targeted cycle is.
fn log_glance(lane: &'static str, report: &CycleReport, took: Duration) {
    let quiet = report.applied.teams_to_micollab == 0
        && report.applied.pbx_to_teams == 0
        && report.read_errors.is_empty()
        && report.user_errors.is_empty();
    match quiet {
        true => log_targeted(lane, report, took),
        false => log_cycle(lane, report, took),
    }
}

fn log_targeted(lane: &'static str, report: &CycleReport, took: Duration) {
    for e in &report.read_errors {
        tracing::warn!(system = e.system, error = %e.message, "could not read a system; what depends on it is left alone");
    }
    for (login, error) in &report.user_errors {
        tracing::warn!(user = %login, error = %error, "user not synchronized");
    }
    tracing::debug!(
        lane,
        users = report.users_checked,
        pbx_to_teams = report.applied.pbx_to_teams,
        teams_to_micollab = report.applied.teams_to_micollab,
        duration_ms = took.as_millis() as u64,
        "targeted cycle"
    );
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
    if let Some(skew) = report.clock_skew_seconds {
        tracing::warn!(
            skew_seconds = skew,
            "Graph's clock is {skew} s off this host's: sessions are judged on Graph's clock; set this host's clock right (NTP)"
        );
    }
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
