//! The Teams lane's glances: between its full cycles (every [`FULL_EVERY`]), the Teams lane
//! polls with one Graph read of every mapped user and decides only those whose presence
//! moved since it last decided them ([`crate::engine::SeenPresence`]). Their Teams flags
//! and presentities are read for them alone, so the Mitel systems' `max_rps` no longer
//! binds the poll: at 100,000 users 100 flag reads and 100 presentity reads a poll became a
//! few, and only Graph's budget paces it.
//!
//! A glance never decides on less than a full cycle would: a user it skips showed Teams the
//! same presence when last decided, and neither their mapping nor the rollout state moved
//! since. Onboarding users or a plan the guard holds, a system that could not be read, a
//! guard tripped: the next poll is a full cycle. What changes on the MiCollab side alone (a
//! flag switched in MiCollab's own console, a presentity another writer set) waits for the
//! next full cycle.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::lane::Lane;
use super::{Holding, Service};
use crate::connectors::ports::{SourceError, TeamsPort};
use crate::engine::{CycleReport, CycleSettings, GlancedUser, SeenPresence, run_cycle};
use crate::ids::IdMap;
use crate::reconcile::TeamsPresence;
use crate::store::{StoreError, UserKeys};

/// The most time between the Teams lane's full cycles while it glances: what changes on
/// the MiCollab side alone shows within it.
pub(super) const FULL_EVERY: Duration = Duration::from_secs(300);

/// Users a glance reads at a time: one Graph read (20 requests of 650 ids), after which the
/// users that moved are decided while the next one is read.
const USERS_PER_GLANCE: usize = crate::engine::USERS_PER_SLICE;

/// What the Teams lane remembers for its glances.
pub(super) struct Glances {
    pub seen: Arc<SeenPresence>,
    /// When the last full cycle that read every system began: on the lane's clock, and on
    /// the store's (mappings changed since are decided whatever Graph shows).
    pub last_full: Option<(Instant, DateTime<Utc>)>,
}

impl Glances {
    pub fn new() -> Glances {
        Glances {
            seen: Arc::new(SeenPresence::new()),
            last_full: None,
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
        let mut glanced = 0;
        let mut page = self.store.glance_page(0, USERS_PER_GLANCE, since)?;
        let mut answer = read(teams, &page).await;
        while !page.is_empty() {
            let read_at = Instant::now();
            let users: Vec<GlancedUser> = page.iter().map(|(_, u)| u.clone()).collect();
            let changed = match answer {
                Ok(answer) => self.changed(&users, &answer),
                Err(e) => {
                    report.read_errors.push(e);
                    break;
                }
            };
            glanced += users.len();
            let after = page.last().map_or(0, |(rowid, _)| *rowid);
            let next = self.store.glance_page(after, USERS_PER_GLANCE, since)?;
            let (decided, next_answer) = tokio::join!(
                self.decide_moved(service, holding, changed, read_at),
                read(teams, &next)
            );
            report.absorb(decided?);
            if report.guard_tripped.is_some() {
                break;
            }
            (page, answer) = (next, next_answer);
        }
        report.users_checked = glanced;
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

    fn changed(&self, users: &[GlancedUser], answer: &IdMap<TeamsPresence>) -> Vec<String> {
        match &self.glances {
            Some(glances) => crate::engine::glance_changed(&glances.seen, users, answer),
            None => users.iter().map(|u| u.login.clone()).collect(),
        }
    }

    /// Decides the users a page of the glance found moved (read at `read_at`), after the
    /// read-backs that are due.
    async fn decide_moved(
        &mut self,
        service: &Service<'_>,
        holding: &Holding<'_>,
        moved: Vec<String>,
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
        let settings = CycleSettings {
            only: Some(Arc::new(UserKeys {
                extensions: Vec::new(),
                logins: moved,
            })),
            hold_over_guard: false,
            ..self.settings.clone()
        };
        let (store, systems) = (&mut *self.store, service.systems);
        let now = Utc::now();
        let decided = run_cycle(store, systems, &settings, None, holding.alongside, now).await?;
        // From the glance's read to MiCollab's writes confirmed.
        service
            .metrics
            .propagated(&decided, read_at.elapsed(), true);
        report.absorb(decided);
        Ok(report)
    }
}
