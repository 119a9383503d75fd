//! Staying under a service's request limit on our own, so a normal run never sees a 429.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// A service's documented limit and the share of it mcteams allows itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateBudget {
    /// Requests the service allows per `window`.
    pub limit: u32,
    pub window: Duration,
    /// The share of `limit` mcteams may use, in (0, 1].
    pub share: f64,
}

/// The largest single grant: a Graph `$batch` counts as its 20 inner requests.
pub const MIN_BURST: u32 = 20;

impl RateBudget {
    /// Graph presence: 1,500 requests per 30 s per app per tenant (DESIGN.md section 5).
    pub fn graph_presence(share: f64) -> RateBudget {
        RateBudget {
            limit: 1_500,
            window: Duration::from_secs(30),
            share,
        }
    }

    /// Requests mcteams may send per window.
    pub fn allowed(&self) -> u32 {
        ((self.limit as f64 * self.share).floor() as u32).max(1)
    }

    /// The quota for the limiter (GCRA: a steady rate plus a burst allowance).
    ///
    /// A GCRA admits at most `burst + rate × window` requests in any window, so the burst is
    /// taken from what the share leaves unused: `burst = limit − allowed`, so even a full
    /// burst followed by the steady rate stays within the service's own limit. It is capped
    /// at a fifth of the window's allowance (a cycle starts fast without hogging the
    /// service) and floored at [`MIN_BURST`] so one `$batch` always fits. Only at a share
    /// near 1 does that floor exceed what is left, by at most 20 requests per window.
    pub fn quota(&self) -> Quota {
        let allowed = self.allowed();
        let burst = self
            .limit
            .saturating_sub(allowed)
            .min(allowed / 5)
            .max(MIN_BURST);
        let period = (self.window / allowed).max(Duration::from_nanos(1));
        Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
    }
}

/// The limiter's clock: tokio's, so tests can run it on a paused clock and the waits are
/// tokio sleeps like every other wait of the HTTP layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    type Instant = std::time::Instant;

    fn now(&self) -> Self::Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// A rate limiter shared by every request to one system.
#[derive(Debug)]
pub struct RateLimit {
    limiter: RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<std::time::Instant>>,
    burst: u32,
    period: Duration,
    /// Set once what an earlier run left ([`RateLimit::carry_over`]) is paid off, before
    /// the first request of this one.
    paid: tokio::sync::OnceCell<()>,
    /// The limiter's theoretical arrival time (GCRA: each grant of n moves it to
    /// `max(it, now) + n × period`), kept beside governor's so the next run can carry it on.
    arrival: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl RateLimit {
    pub fn new(budget: RateBudget) -> RateLimit {
        let quota = budget.quota();
        RateLimit {
            burst: quota.burst_size().get(),
            period: quota.replenish_interval(),
            limiter: RateLimiter::direct_with_clock(quota, TokioClock),
            paid: tokio::sync::OnceCell::new(),
            arrival: std::sync::Mutex::new(None),
        }
    }

    /// How far ahead of now this run has taken the limit (zero: a full burst is free again).
    /// A one-shot run that stops here leaves the service's window that full: the next run
    /// carries it over, so two cron runs back to back never meet a 429 together.
    pub fn ahead(&self) -> Duration {
        let now = tokio::time::Instant::now();
        self.arrival
            .lock()
            .ok()
            .and_then(|a| *a)
            .map(|at| at.saturating_duration_since(now))
            .unwrap_or_default()
    }

    /// Starts this limiter where an earlier run left it, `ahead` of now ([`Self::ahead`]).
    /// Call before the first request.
    pub fn carry_over(&self, ahead: Duration) {
        if ahead.is_zero() {
            return;
        }
        if let Ok(mut arrival) = self.arrival.lock() {
            *arrival = Some(tokio::time::Instant::now() + ahead);
        }
    }

    /// Pays the carried-over debt once: what is within the burst's reach is taken from it
    /// now; beyond that, the first request waits until the debt is down to a burst and then
    /// takes the whole burst, which leaves the limiter exactly that far ahead.
    async fn pay_debt(&self) {
        // Before any grant the mirrored arrival time is only what was carried over.
        let ahead = self.ahead();
        if ahead.is_zero() {
            return;
        }
        let reach = self.period * self.burst;
        let take = if ahead > reach {
            tokio::time::sleep(ahead - reach).await;
            self.burst
        } else {
            let periods = ahead.as_nanos().div_ceil(self.period.as_nanos().max(1));
            u32::try_from(periods).unwrap_or(self.burst).min(self.burst)
        };
        if let Some(n) = NonZeroU32::new(take) {
            let _ = self.limiter.check_n(n);
        }
    }

    /// Moves the mirrored arrival time on by a grant of `n`.
    fn granted(&self, n: u32) {
        let now = tokio::time::Instant::now();
        if let Ok(mut arrival) = self.arrival.lock() {
            let from = arrival.map_or(now, |at| at.max(now));
            *arrival = Some(from + self.period * n);
        }
    }

    /// As [`Self::acquire`], for a request that gives way to others: it goes only while
    /// the limiter is less than half a burst ahead, so the other half stays free for the
    /// requests that do not yield (the phone's session writes come before the Teams poll).
    pub async fn acquire_yielding(&self, cost: u32) {
        let half = (self.burst / 2).max(1);
        let edge = self.period * half;
        let need = self.period * cost.clamp(1, half);
        loop {
            let ahead = self.ahead();
            if ahead + need <= edge {
                break;
            }
            tokio::time::sleep(ahead + need - edge).await;
        }
        self.acquire(cost).await;
    }

    /// Waits until `cost` requests may be sent. A cost larger than the burst is taken in
    /// burst-sized parts, so it waits longer but never fails.
    pub async fn acquire(&self, cost: u32) {
        self.paid.get_or_init(|| self.pay_debt()).await;
        let mut left = cost;
        while left > 0 {
            let part = left.min(self.burst);
            let Some(n) = NonZeroU32::new(part) else {
                return;
            };
            loop {
                match self.limiter.check_n(n) {
                    Ok(Ok(())) => {
                        self.granted(part);
                        break;
                    }
                    Ok(Err(not_until)) => {
                        let wait = not_until.wait_time_from(TokioClock.now());
                        tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                    }
                    // Cannot happen (part ≤ burst); never spin on it.
                    Err(_) => return,
                }
            }
            left -= part;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_stays_within_the_service_limit() {
        let cases = [
            // share, allowed per window, burst
            (0.8, 1_200, 240),
            (0.5, 750, 150),
            (0.1, 150, 30),
            (0.01, 15, 20),
            (1.0, 1_500, 20),
        ];
        for (share, allowed, burst) in cases {
            let budget = RateBudget::graph_presence(share);
            assert_eq!(budget.allowed(), allowed, "share {share}");
            assert_eq!(budget.quota().burst_size().get(), burst, "share {share}");
        }
    }

    /// Requests granted at once, without waiting (paused clock).
    async fn granted_at_once(limit: &RateLimit) -> u32 {
        let start = tokio::time::Instant::now();
        let mut granted = 0;
        loop {
            limit.acquire(1).await;
            if start.elapsed() > Duration::ZERO {
                return granted;
            }
            granted += 1;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_run_starts_where_the_last_one_left_the_limit() {
        let budget = RateBudget::graph_presence(0.8); // 40 per s (25 ms each), burst 240
        // ahead (ms) -> granted at once, wait (ms) before the first request
        let cases = [
            (0, 240, 0),
            (1_500, 180, 0),
            (6_000, 0, 0),
            (7_800, 0, 1_800),
        ];
        for (ahead_ms, at_once, wait_ms) in cases {
            let limit = RateLimit::new(budget);
            limit.carry_over(Duration::from_millis(ahead_ms));
            assert_eq!(limit.ahead(), Duration::from_millis(ahead_ms));
            let start = tokio::time::Instant::now();
            if wait_ms > 0 {
                limit.acquire(1).await;
                let waited = start.elapsed().as_millis() as u64;
                assert!(
                    (wait_ms..wait_ms + 60).contains(&waited),
                    "{ahead_ms} ms ahead: waited {waited} ms"
                );
            } else {
                assert_eq!(
                    granted_at_once(&limit).await,
                    at_once,
                    "{ahead_ms} ms ahead"
                );
            }
        }
        // What a run takes is what it leaves: 100 requests are 2.5 s of the limit; 300 wait
        // 1.5 s for the 60 beyond the burst and leave a whole burst's 6 s.
        for (requests, left_ms) in [(100, 2_500), (300, 6_000)] {
            let limit = RateLimit::new(budget);
            limit.acquire(requests).await;
            assert_eq!(limit.ahead(), Duration::from_millis(left_ms), "{requests}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn runs_one_after_another_stay_within_the_service_limit_together() {
        // Runs of different lengths back to back, each a new limiter started where the last
        // left off, each asking for far more than allowed: no 30 s window may hold more than
        // Graph's 1,500 requests.
        let budget = RateBudget::graph_presence(0.8);
        let origin = tokio::time::Instant::now();
        let mut grants: Vec<Duration> = Vec::new();
        let mut ahead = Duration::ZERO;
        for run_s in [3u64, 10, 1, 7, 20, 2, 2, 15] {
            let limit = RateLimit::new(budget);
            limit.carry_over(ahead);
            let start = tokio::time::Instant::now();
            while start.elapsed() < Duration::from_secs(run_s) {
                limit.acquire(20).await;
                grants.extend(std::iter::repeat_n(origin.elapsed(), 20));
            }
            ahead = limit.ahead();
            // A second between runs (a process starting).
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let window = Duration::from_secs(30);
        let busiest = grants
            .iter()
            .map(|&from| {
                grants
                    .iter()
                    .filter(|&&t| t >= from && t < from + window)
                    .count()
            })
            .max()
            .unwrap();
        assert!(busiest <= 1_500, "{busiest} requests in one 30 s window");
        assert!(busiest >= 1_200, "the budget is used: {busiest}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_window_never_exceeds_the_allowance() {
        let budget = RateBudget::graph_presence(0.8);
        let limit = RateLimit::new(budget);
        let start = tokio::time::Instant::now();
        let mut granted = 0u32;
        // Ask for far more than a window allows; count what is granted within 30 s.
        while start.elapsed() < Duration::from_secs(30) {
            limit.acquire(20).await;
            if start.elapsed() < Duration::from_secs(30) {
                granted += 20;
            }
        }
        // burst (240) + 1,200 per 30 s, and never more than Graph's 1,500.
        assert!(granted <= 1_500, "granted {granted}");
        assert!(
            granted >= 1_200,
            "granted {granted}: the limiter is too strict"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn yielding_reads_leave_half_the_burst_to_the_writes() {
        let budget = RateBudget::graph_presence(0.8); // 25 ms each, burst 240
        let limit = std::sync::Arc::new(RateLimit::new(budget));
        let start = tokio::time::Instant::now();
        // Reads alone take half the burst at once, then wait for the limiter to fall back.
        for _ in 0..120 {
            limit.acquire_yielding(1).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limit.acquire_yielding(1).await;
        assert_eq!(start.elapsed(), Duration::from_millis(25));
        // Writes still have the other half at once, reads waiting or not.
        let reader = {
            let limit = limit.clone();
            tokio::spawn(async move {
                for _ in 0..200 {
                    limit.acquire_yielding(1).await;
                }
            })
        };
        tokio::task::yield_now().await;
        let writes_start = tokio::time::Instant::now();
        for _ in 0..100 {
            limit.acquire(1).await;
        }
        assert_eq!(writes_start.elapsed(), Duration::ZERO);
        reader.abort();
        // A plain read (a one-shot run) takes the whole burst.
        let fresh = RateLimit::new(budget);
        assert_eq!(granted_at_once(&fresh).await, 240);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cost_above_the_burst_waits_instead_of_failing() {
        let limit = RateLimit::new(RateBudget {
            limit: 40,
            window: Duration::from_secs(1),
            share: 1.0,
        });
        let start = tokio::time::Instant::now();
        limit.acquire(60).await;
        assert!(start.elapsed() >= Duration::from_millis(900));
    }
}
