//! `sync.interval = "auto"`: the shortest interval between `sync --watch` polls that keeps
//! every system within what it allows (README, "How fast"):
//!
//! - Graph: 1,500 presence requests per 30 s per app per tenant; mcteams uses
//!   `graph.budget_share` of it (80 %: 40/s). A Teams -> MiCollab poll reads ⌈N/650⌉ presence
//!   batches; the phone's session writes (and their refreshes, and the read-backs of what
//!   they made Teams show) come first, so the poll gets what they leave: interval ≥
//!   ⌈N/650⌉ ÷ (40/s − the rest of the traffic/s).
//! - Each Mitel system: `max_rps` (default 10/s), the same way. A Teams -> MiCollab poll reads
//!   ⌈N/1000⌉ batches of Teams flags (MiCollab) and of presentities (CloudLink); a phone poll
//!   (while the PBX's change feed is unavailable) ⌈N/1000⌉ of extensions and of flags.
//!
//! - Between its full cycles (every few minutes), `sync --watch` polls Teams with a glance:
//!   ⌈N/650⌉ Graph reads and nothing else; the users whose presence moved are then read from
//!   the Mitel systems alone. Only Graph's budget binds a glance.
//!
//! The rest of the traffic is measured over the last 30 s: every request sent, less the
//! poll's own reads.
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

/// Requests per second to each system (Graph, MiCollab, PBX, CloudLink, in [`SYSTEMS`]
/// order).
pub type PerSystem = [f64; 4];

/// The systems in the order [`PerSystem`] and [`Tally`] count them.
pub const SYSTEMS: [&str; 4] = ["graph", "micollab", "pbx", "cloudlink"];

/// The reads one Teams -> MiCollab poll of `users` makes of each system.
pub fn teams_poll_reads(users: u64) -> [u64; 4] {
    let mitel = users.div_ceil(MITEL_BATCH);
    [users.div_ceil(GRAPH_BATCH), mitel, 0, mitel]
}

/// The reads one glance of `users` makes (`sync --watch`'s Teams poll between its full
/// cycles): Graph's presence alone; the users whose presence moved are then read from the
/// Mitel systems in a targeted cycle, measured as traffic beside it.
pub fn glance_reads(users: u64) -> [u64; 4] {
    [users.div_ceil(GRAPH_BATCH), 0, 0, 0]
}

/// The reads one phone poll of `users` makes of each system.
pub fn phone_poll_reads(users: u64) -> [u64; 4] {
    let mitel = users.div_ceil(MITEL_BATCH);
    [0, mitel, mitel, 0]
}

/// The shortest interval at which `reads` a poll leave each system within what it allows
/// beside the rest of the traffic (`beside`: requests per second the poll does not send).
fn interval_for(reads: [u64; 4], beside: PerSystem, limits: &Limits) -> Duration {
    let allowed = [
        limits.graph_per_s,
        limits.micollab_rps,
        limits.pbx_rps,
        limits.cloudlink_rps,
    ];
    let seconds = (0..4)
        .filter(|&i| reads[i] > 0)
        .map(|i| {
            let room = (allowed[i] - beside[i].max(0.0)).max(allowed[i] * READS_FLOOR);
            reads[i] as f64 / room
        })
        .fold(0.0, f64::max);
    limits.bounded(seconds)
}

/// The Teams -> MiCollab poll's interval for `users` mapped users, beside the rest of the
/// traffic (the phone's session writes, their read-backs, targeted cycles' reads).
pub fn teams_poll(users: u64, beside: PerSystem, limits: &Limits) -> Duration {
    interval_for(teams_poll_reads(users), beside, limits)
}

/// The interval between glances of `users` mapped users: only Graph's budget binds.
pub fn glance_poll(users: u64, beside: PerSystem, limits: &Limits) -> Duration {
    interval_for(glance_reads(users), beside, limits)
}

/// The phone poll's interval (the PBX's change feed unavailable) for `users` mapped users.
pub fn phone_poll(users: u64, beside: PerSystem, limits: &Limits) -> Duration {
    interval_for(phone_poll_reads(users), beside, limits)
}

/// Requests to each system over the last [`WINDOW`], from the counts added as they go.
#[derive(Debug, Default)]
pub struct Tally {
    recent: std::collections::VecDeque<(std::time::Instant, [u64; 4])>,
}

/// The window traffic is measured over: Graph's own.
pub const WINDOW: Duration = Duration::from_secs(30);

impl Tally {
    pub fn add(&mut self, at: std::time::Instant, counts: [u64; 4]) {
        if counts.iter().any(|&n| n > 0) {
            self.recent.push_back((at, counts));
        }
        self.forget_before(at);
    }

    /// The requests of the window, per system.
    pub fn sum(&mut self, now: std::time::Instant) -> [u64; 4] {
        self.forget_before(now);
        let mut sum = [0; 4];
        for (_, counts) in &self.recent {
            for (total, n) in sum.iter_mut().zip(counts) {
                *total += n;
            }
        }
        sum
    }

    pub fn per_second(&mut self, now: std::time::Instant) -> PerSystem {
        self.sum(now).map(|n| n as f64 / WINDOW.as_secs_f64())
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
        let graph = |writes: f64| [writes, 0.0, 0.0, 0.0];
        // (users, requests per second beside the poll, interval in ms)
        let cases = [
            (1_000, graph(0.0), 2_000),
            // 10,000 users, 1 % changing per 15 s: 16 reads a poll, room to spare.
            (10_000, graph(3.3), 2_000),
            // 100,000 users, the same load: 154 reads ÷ (40 − 33)/s = 22 s (Graph binds).
            (100_000, graph(33.0), 22_000),
            // No writes: 154 ÷ 40 = 3.85 s, but 100 flag reads at 10/s = 10 s (MiCollab binds).
            (100_000, graph(0.0), 10_000),
            // Targeted cycles read MiCollab 5 times a second: the poll gets the other 5.
            (100_000, [0.0, 5.0, 0.0, 0.0], 20_000),
            // The PBX's traffic is not the Teams poll's concern.
            (10_000, [0.0, 0.0, 50.0, 0.0], 2_000),
            // Writes take the whole budget: the poll keeps 2 % of it, within five minutes.
            (100_000, graph(45.0), 192_500),
            (1_000_000, graph(45.0), 300_000),
        ];
        for (users, beside, ms) in cases {
            assert_eq!(
                teams_poll(users, beside, &limits()),
                Duration::from_millis(ms),
                "{users} users, {beside:?} beside"
            );
        }
        let mut slower = limits();
        slower.min_interval = Duration::from_secs(30);
        assert_eq!(
            teams_poll(1_000, graph(0.0), &slower),
            Duration::from_secs(30)
        );
        slower.min_interval = Duration::from_secs(600);
        assert_eq!(
            teams_poll(1_000, graph(0.0), &slower),
            Duration::from_secs(600)
        );
    }

    #[test]
    fn a_glance_takes_what_graph_leaves() {
        // (users, requests per second beside the glance, interval in ms)
        let cases = [
            (1_000, [0.0; 4], 2_000),
            // 100,000 users, 20 session writes a second, the Mitel systems busy with
            // targeted cycles: 154 reads ÷ (40 − 20)/s, the Mitel systems do not bind.
            (100_000, [20.0, 9.0, 5.0, 9.0], 7_700),
            (100_000, [33.0, 0.0, 0.0, 0.0], 22_000),
        ];
        for (users, beside, ms) in cases {
            assert_eq!(
                glance_poll(users, beside, &limits()),
                Duration::from_millis(ms),
                "{users} users, {beside:?} beside"
            );
        }
        assert_eq!(glance_reads(100_000), [154, 0, 0, 0]);
    }

    #[test]
    fn the_phone_poll_takes_what_the_pbx_allows() {
        let none = [0.0; 4];
        assert_eq!(phone_poll(1_000, none, &limits()), Duration::from_secs(2));
        assert_eq!(
            phone_poll(100_000, none, &limits()),
            Duration::from_secs(10)
        );
        let mut pbx = limits();
        pbx.pbx_rps = 2.0;
        assert_eq!(phone_poll(100_000, none, &pbx), Duration::from_secs(50));
        assert_eq!(
            phone_poll(100_000, [0.0, 8.0, 0.0, 0.0], &limits()),
            Duration::from_secs(50),
            "MiCollab's flags: 100 reads in the 2/s left"
        );
    }

    #[test]
    fn traffic_is_tallied_over_thirty_seconds() {
        let t0 = std::time::Instant::now();
        let mut tally = Tally::default();
        tally.add(t0, [30, 3, 0, 0]);
        tally.add(t0 + Duration::from_secs(10), [60, 0, 6, 0]);
        assert_eq!(tally.sum(t0 + Duration::from_secs(20)), [90, 3, 6, 0]);
        assert_eq!(tally.per_second(t0 + Duration::from_secs(20))[0], 3.0);
        // The first count is out of the window.
        assert_eq!(tally.sum(t0 + Duration::from_secs(31)), [60, 0, 6, 0]);
        assert_eq!(tally.sum(t0 + Duration::from_secs(60)), [0; 4]);
        assert_eq!(teams_poll_reads(100_000), [154, 100, 0, 100]);
        assert_eq!(phone_poll_reads(1), [0, 1, 1, 0]);
    }
}
