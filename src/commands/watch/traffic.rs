//! What `sync --watch` sent to each system over the last 30 s, and its polls' own share of
//! it: what `sync.interval = "auto"` paces the polls by ([`crate::pacing`]). Everything else
//! (the phone's session writes, the read-backs of what they made Teams show, targeted
//! cycles' reads, full reads of the phone lane) is measured, not assumed.

use std::time::Instant;

use crate::pacing::{self, PerSystem, Tally};
use crate::reconcile::SyncDirection;

#[derive(Debug, Default)]
pub(super) struct Traffic {
    /// The clients' request counters at the last note.
    last: Option<[u64; 4]>,
    all: Tally,
    teams_polls: Tally,
    phone_polls: Tally,
}

impl Traffic {
    /// Takes the clients' request counters now (`sent`, in [`pacing::SYSTEMS`] order).
    pub fn note(&mut self, sent: [u64; 4], now: Instant) {
        if let Some(last) = self.last {
            let mut delta = [0; 4];
            for (i, d) in delta.iter_mut().enumerate() {
                *d = sent[i].saturating_sub(last[i]);
            }
            self.all.add(now, delta);
        }
        self.last = Some(sent);
    }

    /// Counts a full cycle of `direction` over `users` as a poll (`glance`: a glance of the
    /// Teams lane).
    pub fn polled(&mut self, direction: SyncDirection, users: u64, now: Instant, glance: bool) {
        if glance {
            self.teams_polls.add(now, pacing::glance_reads(users));
            return;
        }
        if direction != SyncDirection::PbxToTeams {
            self.teams_polls.add(now, pacing::teams_poll_reads(users));
        }
        if direction != SyncDirection::TeamsToMicollab {
            self.phone_polls.add(now, pacing::phone_poll_reads(users));
        }
    }

    /// Requests per second to each system besides the polls of `direction`.
    pub fn beside(&mut self, direction: SyncDirection, now: Instant) -> PerSystem {
        let all = self.all.per_second(now);
        let teams = self.teams_polls.per_second(now);
        let phone = self.phone_polls.per_second(now);
        let mut beside = all;
        for i in 0..4 {
            let own = match direction {
                SyncDirection::TeamsToMicollab => teams[i],
                SyncDirection::PbxToTeams => phone[i],
                SyncDirection::Both => teams[i] + phone[i],
            };
            beside[i] = (all[i] - own).max(0.0);
        }
        beside
    }

    /// Graph requests in the last 30 s.
    pub fn graph_in_window(&mut self, now: Instant) -> u64 {
        self.all.sum(now)[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_polls_own_reads_are_not_counted_against_them() {
        let t0 = Instant::now();
        let mut traffic = Traffic::default();
        traffic.note([100, 10, 10, 10], t0);
        // A Teams poll of 10,000 users (16 Graph, 10 MiCollab, 10 CloudLink reads) and 30
        // session writes, 60 PBX and 15 MiCollab reads of targeted cycles.
        traffic.polled(SyncDirection::TeamsToMicollab, 10_000, t0, false);
        traffic.note([146, 35, 70, 20], t0 + Duration::from_secs(1));
        let at = t0 + Duration::from_secs(2);
        assert_eq!(
            traffic.beside(SyncDirection::TeamsToMicollab, at),
            [1.0, 0.5, 2.0, 0.0]
        );
        assert_eq!(traffic.graph_in_window(at), 46);
        let later = t0 + Duration::from_secs(40);
        assert_eq!(traffic.beside(SyncDirection::Both, later), [0.0; 4]);
    }
}
