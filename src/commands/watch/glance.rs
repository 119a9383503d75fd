//! The Teams lane's glances: between its full cycles (every [`FULL_EVERY`]), the Teams lane
//! polls with one Graph read of every mapped user and decides only those whose presence
//! moved since it last decided them ([`crate::engine::SeenPresence`]), with the presence the
//! glance read (Graph is not read twice). Their Teams flags and presentities are read for
//! them alone, so the Mitel systems' `max_rps` no longer binds the poll: at 100,000 users
//! 100 flag reads and 100 presentity reads a poll became a few, and only Graph's budget
//! paces it.
//!
//! Glances also decide one page of users whatever Graph shows, in turn (a sweep), so every
//! user's flags and presentity are read again within [`SWEEP_EVERY`]: what changes on the
//! MiCollab side alone shows within a minute, without a full cycle's burst of Mitel reads
//! holding up the Teams poll (at 100,000 users, eight pages: one every 7.5 s).
//!
//! A glance never decides on less than a full cycle would: a user it skips showed Teams the
//! same presence when last decided, and neither their mapping nor the rollout state moved
//! since. Onboarding users or a plan the guard holds, a system that could not be read, a
//! guard tripped: the next poll is a full cycle.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::lane::Lane;
use super::{Holding, Service};
use crate::connectors::ports::{SourceError, TeamsPort};
use crate::engine::{CycleReport, GlancedUser, SeenPresence};
use crate::ids::IdMap;
use crate::reconcile::TeamsPresence;
use crate::store::{StoreError, UserKeys};

/// The most time between the Teams lane's full cycles while it glances (the sweep reads
/// every user's Mitel side far more often): the run history and the last complete cycle
/// are kept by full cycles.
pub(super) const FULL_EVERY: Duration = Duration::from_secs(15 * 60);

/// Every user is decided whole, whatever Graph shows, at least this often.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Users a glance reads at a time: one Graph read (20 requests of 650 ids), after which the
/// users that moved are decided while the next one is read.
const USERS_PER_GLANCE: usize = crate::engine::USERS_PER_SLICE;

/// What the Teams lane remembers for its glances.
pub(super) struct Glances {
    pub seen: Arc<SeenPresence>,
    /// When the last full cycle that read every system began: on the lane's clock, and on
    /// the store's (mappings changed since are decided whatever Graph shows).
    pub last_full: Option<(Instant, DateTime<Utc>)>,
    /// The page the sweep decides next, when the last was, and how many pages there were.
    sweep: usize,
    swept_at: Option<Instant>,
    pages: usize,
}

impl Glances {
    pub fn new() -> Glances {
        Glances {
            seen: Arc::new(SeenPresence::new()),
            last_full: None,
            sweep: 0,
            swept_at: None,
            pages: 1,
        }
    }

    /// A full cycle began: every user is decided whole, and the sweep starts over.
    pub fn full_cycle(&mut self, began: (Instant, DateTime<Utc>)) {
        self.last_full = Some(began);
        (self.sweep, self.swept_at) = (0, Some(began.0));
    }

    /// The page this glance decides whole, if one is due.
    fn sweep_due(&self) -> Option<usize> {
        let every = SWEEP_EVERY / self.pages.max(1) as u32;
        let due = self.swept_at.is_none_or(|at| at.elapsed() >= every);
        due.then_some(self.sweep)
    }

    /// A glance of `pages` pages ended, having swept `swept` (if any).
    fn glanced(&mut self, pages: usize, swept: Option<usize>) {
        self.pages = pages.max(1);
        if self.sweep >= self.pages {
            // The estate shrank: the sweep starts over.
            self.sweep = 0;
        }
        if let Some(swept) = swept {
            self.sweep = if swept + 1 >= pages { 0 } else { swept + 1 };
            self.swept_at = Some(Instant::now());
        }
    }

    /// Whether the last full cycle is recent enough for the next poll to be a glance.
    pub fn fresh(&self) -> bool {
        self.last_full
            .is_some_and(|(at, _)| at.elapsed() < FULL_EVERY)
    }

    /// A turn read a system badly or tripped the guard: the next poll is a full cycle.
    pub fn distrust(&mut self) {
        self.last_full = None;
    }
}

fn all(users: &[GlancedUser]) -> Vec<String> {
    users.iter().map(|u| u.login.clone()).collect()
}

/// Reads the presence of `users` (nothing for none).
async fn read<T: TeamsPort>(
    teams: &T,
    users: &[(i64, GlancedUser)],
) -> Result<IdMap<TeamsPresence>, SourceError> {
    if users.is_empty() {
        return Ok(IdMap::default());
    }
    let ids: Vec<String> = users.iter().map(|(_, u)| u.teams_id.clone()).collect();
    teams.read_presences(&ids).await
}

impl Lane<'_> {
    /// One glance: every mapped user's presence read from Graph a page at a time, each
    /// page's moved users decided while the next page is read. Read-backs the phone lane
    /// asked for meanwhile go between pages.
    pub(super) async fn glance(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        since: DateTime<Utc>,
    ) -> Result<(CycleReport, Duration), StoreError> {
        let started = Instant::now();
        let teams = &service.systems.teams;
        let mut report = CycleReport::default();
        let (mut glanced, mut pages) = (0, 0);
        let sweep = self.glances.as_ref().and_then(Glances::sweep_due);
        let spread = self.spread(service);
        let mut page = self.store.glance_page(0, USERS_PER_GLANCE, since)?;
        let mut answer = read(teams, &page).await;
        while !page.is_empty() {
            let read_at = Instant::now();
            let users: Vec<GlancedUser> = page.iter().map(|(_, u)| u.clone()).collect();
            let (changed, shown) = match answer {
                Ok(shown) if sweep == Some(pages) => (all(&users), shown),
                Ok(shown) => (self.changed(&users, &shown), shown),
                Err(e) => {
                    report.read_errors.push(e);
                    break;
                }
            };
            glanced += users.len();
            pages += 1;
            let after = page.last().map_or(0, |(rowid, _)| *rowid);
            let next = self.store.glance_page(after, USERS_PER_GLANCE, since)?;
            let shown = Arc::new(shown);
            let next_answer = match spread.filter(|_| !next.is_empty()) {
                // Read at once, while this page's moved users are decided.
                None => {
                    let (decided, next_answer) = tokio::join!(
                        self.decide_moved(service, holding, changed, shown, read_at),
                        read(teams, &next)
                    );
                    report.absorb(decided?);
                    next_answer
                }
                // Read at its slot; read-backs asked for meanwhile go at once.
                Some(gap) => {
                    let decided = self.decide_moved(service, holding, changed, shown, read_at);
                    report.absorb(decided.await?);
                    let slot = started + gap * pages as u32;
                    report.absorb(self.read_backs_until(service, holding, slot).await?);
                    read(teams, &next).await
                }
            };
            if report.guard_tripped.is_some() {
                break;
            }
            (page, answer) = (next, next_answer);
        }
        report.users_checked = glanced;
        if let Some(glances) = self.glances.as_mut() {
            glances.glanced(pages, sweep.filter(|&swept| swept < pages));
        }
        let took = started.elapsed();
        service.count_throttled();
        let succeeded = super::lane::succeeded(&report);
        service.metrics.record(
            &report,
            took,
            succeeded,
            self.name,
            crate::commands::sync::unix_now(),
        );
        Ok((report, took))
    }

    /// Runs the read-backs the phone lane asks for until `slot` (a full read asked for is
    /// left for after the glance).
    async fn read_backs_until(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        slot: Instant,
    ) -> Result<CycleReport, StoreError> {
        let mut report = CycleReport::default();
        let Some(wake) = self.wakes.own else {
            tokio::time::sleep_until(slot.into()).await;
            return Ok(report);
        };
        loop {
            let asked = tokio::select! {
                asked = wake.next() => asked,
                () = tokio::time::sleep_until(slot.into()) => return Ok(report),
            };
            let crate::commands::watch::feed::Next::Targeted { keys, noticed } = asked else {
                wake.read_all();
                tokio::time::sleep_until(slot.into()).await;
                return Ok(report);
            };
            let (read_back, _) = self
                .targeted_cycle(service, holding, &keys, noticed)
                .await?;
            report.absorb(read_back);
        }
    }

    /// The time between the reads of two pages of an automatic glance: its pages are read
    /// evenly over the interval, so each user is read once an interval, not in a burst
    /// followed by a wait (which left some users unread for nearly two intervals). The last
    /// page is read a page's share before the interval ends, leaving that long to decide
    /// it before the next glance. A fixed interval runs from the end of one glance: its
    /// pages are read at once.
    fn spread(&self, service: &Service<'_>) -> Option<Duration> {
        let tuning = service.tuning.borrow();
        let auto = tuning.interval == crate::config::Interval::Auto;
        let pages = tuning.mapped.div_ceil(USERS_PER_GLANCE as u64).max(1);
        drop(tuning);
        let every = service.poll_every(self.settings.policy.direction, true);
        auto.then(|| every / (pages as u32 + 1))
    }

    fn changed(&self, users: &[GlancedUser], answer: &IdMap<TeamsPresence>) -> Vec<String> {
        match &self.glances {
            Some(glances) => crate::engine::glance_changed(&glances.seen, users, answer),
            None => all(users),
        }
    }

    /// Decides the users a page of the glance found moved (or the page swept), on the
    /// presence the glance read (`answer`, read at `read_at`), after the read-backs that are
    /// due.
    async fn decide_moved(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        moved: Vec<String>,
        answer: Arc<IdMap<TeamsPresence>>,
        read_at: Instant,
    ) -> Result<CycleReport, StoreError> {
        let mut report = CycleReport::default();
        if let Some((extensions, noticed)) = self.wakes.own.and_then(|w| w.take_due()) {
            let keys = UserKeys {
                extensions,
                logins: Vec::new(),
            };
            let (read_back, _) = self
                .targeted_cycle(service, holding, &keys, noticed)
                .await?;
            report.absorb(read_back);
        }
        if moved.is_empty() {
            return Ok(report);
        }
        let keys = UserKeys {
            extensions: Vec::new(),
            logins: moved,
        };
        let decided = self.run_only(service, holding, keys, Some(answer)).await?;
        // From the glance's read to MiCollab's writes confirmed.
        service
            .metrics
            .propagated(&decided, read_at.elapsed(), true);
        report.absorb(decided);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ago(seconds: u64) -> Instant {
        Instant::now()
            .checked_sub(Duration::from_secs(seconds))
            .unwrap_or_else(Instant::now)
    }

    #[test]
    fn the_sweep_decides_every_page_in_turn_within_a_minute() {
        let mut glances = Glances::new();
        assert!(!glances.fresh(), "no full cycle yet: the first poll is one");
        glances.full_cycle((Instant::now(), Utc::now()));
        assert!(glances.fresh());
        // Right after a full cycle nothing is due; a minute later, page 0.
        assert_eq!(glances.sweep_due(), None);
        glances.swept_at = Some(ago(61));
        assert_eq!(glances.sweep_due(), Some(0));
        // Eight pages: one is due every 7.5 s, in turn, and the sweep starts over.
        glances.glanced(8, Some(0));
        assert_eq!(glances.sweep_due(), None);
        for page in 1..8 {
            glances.swept_at = Some(ago(8));
            assert_eq!(glances.sweep_due(), Some(page));
            glances.glanced(8, Some(page));
        }
        glances.swept_at = Some(ago(8));
        assert_eq!(glances.sweep_due(), Some(0));
        // A glance cut short before the page due leaves it due; an estate that shrank
        // below it starts over.
        glances.glanced(8, None);
        glances.glanced(8, Some(0));
        glances.glanced(8, Some(1));
        glances.glanced(2, None);
        glances.swept_at = Some(ago(31));
        assert_eq!(glances.sweep_due(), Some(0));
        glances.distrust();
        assert!(!glances.fresh());
    }
}
