//! `sync.interval = "auto"`: the shortest interval between `sync --watch` polls that keeps
//! every system within what it allows (README, "How fast"):
//!
//! - Graph: 1,500 presence requests per 30 s per app per tenant; mcteams uses
//!   `graph.budget_share` of it (80 %: 40/s). A Teams -> MiCollab poll reads ⌈N/650⌉ presence
//!   batches; the phone's session writes (and their refreshes) come first, so the poll gets
//!   what they leave: interval ≥ ⌈N/650⌉ ÷ (40/s − writes/s).
//! - Each Mitel system: `max_rps` (default 10/s). A Teams -> MiCollab poll reads ⌈N/1000⌉
//!   batches of Teams flags (MiCollab) and of presentities (CloudLink); a phone poll (while
//!   the PBX's change feed is unavailable) ⌈N/1000⌉ of extensions and of flags.
//! - Never below `sync.min_interval` (2 s), never above five minutes.

use std::time::Duration;

use crate::config::Config;

/// Graph's presence limit: requests per window, per app per tenant.
const GRAPH_LIMIT: f64 = 1_500.0;
const GRAPH_WINDOW_S: f64 = 30.0;
/// Ids per Graph presence read, and per Mitel batch read.
const GRAPH_BATCH: u64 = 650;
const MITEL_BATCH: u64 = 1_000;
/// The most an automatic interval grows to (a budget the writes use up still polls).
pub const MAX_AUTO_INTERVAL: Duration = Duration::from_secs(300);
/// The share of Graph's budget a poll keeps however many writes there are.
const READS_FLOOR: f64 = 0.02;

/// What each system allows `sync --watch`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Graph requests per second mcteams allows itself (its share of the limit).
    pub graph_per_s: f64,
    pub micollab_rps: f64,
    pub pbx_rps: f64,
    pub cloudlink_rps: f64,
    pub min_interval: Duration,
}

impl Limits {
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            graph_per_s: GRAPH_LIMIT / GRAPH_WINDOW_S * config.budget_share(),
            micollab_rps: config.max_rps("micollab"),
            pbx_rps: config.max_rps("pbx"),
            cloudlink_rps: config.max_rps("cloudlink"),
            min_interval: config.sync().min_interval,
        }
    }

    fn bounded(&self, seconds: f64) -> Duration {
        let wanted = Duration::try_from_secs_f64(seconds).unwrap_or(MAX_AUTO_INTERVAL);
        wanted
            .max(self.min_interval)
            .min(MAX_AUTO_INTERVAL.max(self.min_interval))
    }
}

fn batches(users: u64, per: u64) -> f64 {
    users.div_ceil(per) as f64
}

/// The Teams -> MiCollab poll's interval for `users` mapped users while Graph takes
/// `writes_per_s` session writes a second.
pub fn teams_poll(users: u64, writes_per_s: f64, limits: &Limits) -> Duration {
    let room = (limits.graph_per_s - writes_per_s.max(0.0)).max(limits.graph_per_s * READS_FLOOR);
    let graph = batches(users, GRAPH_BATCH) / room;
    let micollab = batches(users, MITEL_BATCH) / limits.micollab_rps;
    let cloudlink = batches(users, MITEL_BATCH) / limits.cloudlink_rps;
    limits.bounded(graph.max(micollab).max(cloudlink))
}

/// The phone poll's interval (the PBX's change feed unavailable) for `users` mapped users.
pub fn phone_poll(users: u64, limits: &Limits) -> Duration {
    let pbx = batches(users, MITEL_BATCH) / limits.pbx_rps;
    let micollab = batches(users, MITEL_BATCH) / limits.micollab_rps;
    limits.bounded(pbx.max(micollab))
}

/// Session writes per second over the last [`WINDOW`], from the counts the phone lane adds.
#[derive(Debug, Default)]
pub struct WriteRate {
    recent: std::collections::VecDeque<(std::time::Instant, u64)>,
}

/// The window the write rate is measured over: Graph's own.
pub const WINDOW: Duration = Duration::from_secs(30);

impl WriteRate {
    pub fn add(&mut self, at: std::time::Instant, writes: u64) {
        if writes > 0 {
            self.recent.push_back((at, writes));
        }
        self.forget_before(at);
    }

    pub fn per_second(&mut self, now: std::time::Instant) -> f64 {
        self.forget_before(now);
        self.recent.iter().map(|(_, n)| *n).sum::<u64>() as f64 / WINDOW.as_secs_f64()
    }

    fn forget_before(&mut self, now: std::time::Instant) {
        while self
            .recent
            .front()
            .is_some_and(|(at, _)| now.saturating_duration_since(*at) > WINDOW)
        {
            self.recent.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            graph_per_s: 40.0,
            micollab_rps: 10.0,
            pbx_rps: 10.0,
            cloudlink_rps: 10.0,
            min_interval: Duration::from_secs(2),
        }
    }

    #[test]
    fn the_teams_poll_takes_what_graph_and_the_mitel_systems_leave() {
        // (users, session writes per second, interval in ms)
        let cases = [
            (1_000, 0.0, 2_000),
            // 10,000 users, 1 % changing per 15 s: 16 reads a poll, room to spare.
            (10_000, 3.3, 2_000),
            // 100,000 users, the same load: 154 reads ÷ (40 − 33)/s = 22 s (Graph binds).
            (100_000, 33.0, 22_000),
            // No writes: 154 ÷ 40 = 3.85 s, but 100 flag reads at 10/s = 10 s (MiCollab binds).
            (100_000, 0.0, 10_000),
            // Writes take the whole budget: the poll keeps 2 % of it, within five minutes.
            (100_000, 45.0, 192_500),
            (1_000_000, 45.0, 300_000),
        ];
        for (users, writes, ms) in cases {
            assert_eq!(
                teams_poll(users, writes, &limits()),
                Duration::from_millis(ms),
                "{users} users, {writes} writes/s"
            );
        }
        let mut slower = limits();
        slower.min_interval = Duration::from_secs(30);
        assert_eq!(teams_poll(1_000, 0.0, &slower), Duration::from_secs(30));
        slower.min_interval = Duration::from_secs(600);
        assert_eq!(teams_poll(1_000, 0.0, &slower), Duration::from_secs(600));
    }

    #[test]
    fn the_phone_poll_takes_what_the_pbx_allows() {
        assert_eq!(phone_poll(1_000, &limits()), Duration::from_secs(2));
        assert_eq!(phone_poll(100_000, &limits()), Duration::from_secs(10));
        let mut pbx = limits();
        pbx.pbx_rps = 2.0;
        assert_eq!(phone_poll(100_000, &pbx), Duration::from_secs(50));
    }

    #[test]
    fn the_write_rate_is_measured_over_thirty_seconds() {
        let t0 = std::time::Instant::now();
        let mut rate = WriteRate::default();
        rate.add(t0, 30);
        rate.add(t0 + Duration::from_secs(10), 60);
        assert_eq!(rate.per_second(t0 + Duration::from_secs(20)), 3.0);
        // The first count is out of the window.
        assert_eq!(rate.per_second(t0 + Duration::from_secs(31)), 2.0);
        assert_eq!(rate.per_second(t0 + Duration::from_secs(60)), 0.0);
    }
}
