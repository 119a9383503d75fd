//! When to try a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

use backon::BackoffBuilder;

/// Bounds on retrying one logical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// The most time spent waiting between attempts, summed. A `Retry-After` that would
    /// exceed it ends the request at once: sleeping past the budget only delays the error.
    pub budget: Duration,
    /// The first backoff delay when the service gives no `Retry-After`.
    pub base_delay: Duration,
    /// The longest single backoff delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Sized for a cron run every minute: about a minute of patience, then exit 75 and let
    /// the next run try again.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            budget: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// For `sync --watch`: a few seconds at most, then the cycle goes on without the system
    /// and the next cycle tries it again, so a system that is down holds up neither the other
    /// direction nor the loop.
    pub fn service() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            budget: std::time::Duration::from_secs(4),
            base_delay: std::time::Duration::from_millis(250),
            max_delay: std::time::Duration::from_secs(2),
        }
    }

    /// Capped exponential delays with jitter (from `backon`), one per retry.
    pub fn backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        backon::ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .build()
    }
}

/// One logical request's retries against a [`RetryPolicy`]: it counts the attempts and the
/// time waited, and says how long to wait before the next attempt (the service's
/// `Retry-After`, else the backoff) or that it is time to give up. The HTTP layer's loop and
/// Graph's `$batch` rounds both run on it.
pub struct Retries {
    policy: RetryPolicy,
    delays: Box<dyn Iterator<Item = Duration> + Send>,
    attempts: u32,
    waited: Duration,
}

impl Retries {
    pub fn new(policy: RetryPolicy) -> Retries {
        Retries {
            policy,
            delays: Box::new(policy.backoff()),
            attempts: 0,
            waited: Duration::ZERO,
        }
    }

    /// Starts an attempt.
    pub fn attempt(&mut self) {
        self.attempts += 1;
    }

    /// The attempt just made does not count (a token refreshed after a 401).
    pub fn uncount(&mut self) {
        self.attempts = self.attempts.saturating_sub(1);
    }

    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// The wait before another attempt, or `None` to give up: the attempts are used up, or
    /// the wait would pass the budget (sleeping past it would only delay the error).
    pub fn next_delay(&mut self, retry_after: Option<Duration>) -> Option<Duration> {
        if self.attempts >= self.policy.max_attempts {
            return None;
        }
        let delay =
            retry_after.unwrap_or_else(|| self.delays.next().unwrap_or(self.policy.max_delay));
        (self.waited + delay <= self.policy.budget).then_some(delay)
    }

    /// Waits `delay`, unless the run is stopping (then `false`, at once).
    pub async fn wait(&mut self, delay: Duration) -> bool {
        let slept = super::stop::unless_stopped(tokio::time::sleep(delay)).await;
        self.waited += delay;
        slept.is_some()
    }
}

/// The longest `Retry-After` honoured as such; a longer hint is treated as this long (the
/// retry budget then ends the request), so a broken header cannot overflow a timer.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Parses a `Retry-After` value: whole seconds (`"30"`), decimal seconds (`"1.5"`, which
/// Graph sends) or an HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`, counted from `now`).
/// A date in the past means "now". Anything else is ignored (`None`).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        return Some(Duration::from_secs_f64(
            seconds.min(MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        // 2026-10-21T07:28:00Z
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_792_567_680);
        let cases: [(&str, Option<Duration>); 11] = [
            ("30", Some(Duration::from_secs(30))),
            (" 2 ", Some(Duration::from_secs(2))),
            ("0", Some(Duration::ZERO)),
            ("1.5", Some(Duration::from_millis(1_500))),
            ("0.25", Some(Duration::from_millis(250))),
            (
                "Wed, 21 Oct 2026 07:28:10 GMT",
                Some(Duration::from_secs(10)),
            ),
            ("Wed, 21 Oct 2026 07:27:00 GMT", Some(Duration::ZERO)),
            ("-1", None),
            ("NaN", None),
            ("soon", None),
            ("99999999999", Some(MAX_RETRY_AFTER)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_retry_after(text, now), want, "{text:?}");
        }
    }

    #[test]
    fn backoff_is_bounded_capped_and_growing() {
        let policy = RetryPolicy {
            max_attempts: 8,
            budget: Duration::from_secs(60),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        };
        let delays: Vec<Duration> = policy.backoff().collect();
        assert_eq!(delays.len(), 7, "one delay per retry");
        for d in &delays {
            // Jitter adds at most the delay itself on top of the cap.
            assert!(*d >= Duration::from_millis(100) && *d <= Duration::from_secs(4));
        }
        assert!(delays[6] >= Duration::from_secs(2), "reaches the cap");
    }

    /// The give-up rule both retry loops share: attempts used up, or a wait past the budget;
    /// a `Retry-After` is the wait, else the backoff.
    #[test]
    fn retries_wait_as_told_within_the_attempts_and_the_budget() {
        let policy = RetryPolicy {
            max_attempts: 3,
            budget: Duration::from_secs(10),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        let secs = Duration::from_secs;
        // (Retry-After of each failed attempt, the waits it gets; None: given up)
        type Case<'a> = (&'a [Option<u64>], &'a [Option<Duration>]);
        let cases: &[Case] = &[
            (&[Some(2), Some(3)], &[Some(secs(2)), Some(secs(3))]),
            (
                &[Some(2), Some(3), Some(1)],
                &[Some(secs(2)), Some(secs(3)), None],
            ),
            (&[Some(11)], &[None]),
            (&[Some(6), Some(5)], &[Some(secs(6)), None]),
        ];
        for (hints, want) in cases {
            let mut retries = Retries::new(policy);
            let mut got = Vec::new();
            for hint in *hints {
                retries.attempt();
                let delay = retries.next_delay(hint.map(secs));
                if let Some(d) = delay {
                    retries.waited += d;
                }
                got.push(delay);
            }
            assert_eq!(&got, want, "{hints:?}");
        }
        // No hint: the backoff, within its bounds.
        let mut retries = Retries::new(policy);
        retries.attempt();
        let delay = retries.next_delay(None).unwrap();
        assert!(
            delay >= Duration::from_millis(100) && delay <= secs(2),
            "{delay:?}"
        );
        retries.uncount();
        assert_eq!(retries.attempts(), 0);
    }
}
