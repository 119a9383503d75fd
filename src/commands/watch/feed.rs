//! Phone state as events in `sync --watch`: a follower long-polls the PBX's change feed and
//! wakes the phone lane with the extensions that changed; the phone lane's targeted cycles
//! wake the Teams lane to show in MiCollab what Teams now shows for them.
//!
//! As Kubernetes' informers list, then watch from the list's version: a fresh cursor (at the
//! start, after `410 Gone`, after the feed was unavailable) asks the lane for a full read, so
//! nothing that changed before the cursor is missed. While the feed is unavailable the lane
//! polls on its interval; while it answers, a full read every few minutes catches anything a
//! feed could miss and refreshes the sessions.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::time::Duration;

use crate::connectors::pbx::{FeedError, LONG_POLL_WAIT, PbxClient};
use crate::store::UserKeys;

/// A lane's next turn, as its wake says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Next {
    /// Every user.
    Full,
    /// Only the users of these extensions; `noticed`: when mcteams learned of the first
    /// change among them (the propagation metrics count from there).
    Targeted {
        keys: UserKeys,
        noticed: std::time::Instant,
    },
}

/// What wakes a lane before its interval is up: extensions to look at again, or a full read.
#[derive(Default)]
pub(super) struct Wake {
    extensions: RefCell<BTreeSet<String>>,
    /// When the first of `extensions` was asked for.
    noticed: Cell<Option<std::time::Instant>>,
    read_all: Cell<bool>,
    /// The feed answers: the lane need not poll for what it would tell.
    following: Cell<bool>,
    /// Extensions to look at again at a given moment (and when their change was noticed).
    later: RefCell<Vec<(std::time::Instant, String, std::time::Instant)>>,
    notify: tokio::sync::Notify,
    /// The least time between two targeted turns: under a storm of changes, the asks that
    /// come meanwhile go in one cycle (one batch read for many users); a lone change goes
    /// at once.
    min_gap: Duration,
    /// When the last targeted turn was taken.
    last_taken: Cell<Option<tokio::time::Instant>>,
}

/// The share of a Mitel system's `max_rps` one lane's targeted cycles (or the feed's long
/// polls) may use: a quarter, so the two lanes' cycles and the feed leave the polls half.
const TARGETED_SHARE: f64 = 0.25;

/// The least time between targeted turns (or long polls) that keeps them within
/// [`TARGETED_SHARE`] of `max_rps` requests per second of the systems they read.
pub(super) fn min_gap(max_rps: f64) -> Duration {
    Duration::try_from_secs_f64(1.0 / (max_rps * TARGETED_SHARE).max(0.01))
        .unwrap_or(Duration::from_secs(1))
}

/// How long after a change mcteams looks again at a user whose MiCollab status did not
/// follow the session it wrote (Graph's aggregate may take a moment to move), and until when.
pub(super) const RECHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(1);
pub(super) const RECHECK_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

impl Wake {
    /// A wake whose targeted turns come at most once per `min_gap`.
    pub fn paced(min_gap: Duration) -> Wake {
        Wake {
            min_gap,
            ..Wake::default()
        }
    }

    fn pending(&self) -> bool {
        self.read_all.get() || !self.extensions.borrow().is_empty()
    }

    pub fn changed(&self, extensions: impl IntoIterator<Item = String>) {
        self.changed_since(extensions, std::time::Instant::now());
    }

    /// As [`Self::changed`], for changes mcteams learned of at `noticed`.
    pub fn changed_since(
        &self,
        extensions: impl IntoIterator<Item = String>,
        noticed: std::time::Instant,
    ) {
        let mut pending = self.extensions.borrow_mut();
        let before = pending.len();
        pending.extend(extensions);
        if pending.len() > before {
            let first = self.noticed.get().map_or(noticed, |n| n.min(noticed));
            self.noticed.set(Some(first));
            self.notify.notify_one();
        }
    }

    pub fn read_all(&self) {
        self.read_all.set(true);
        self.notify.notify_one();
    }

    pub fn following(&self) -> bool {
        self.following.get()
    }

    fn set_following(&self, following: bool) {
        self.following.set(following);
    }

    /// Asks for these extensions again at `at`.
    pub fn recheck_at(
        &self,
        extensions: impl IntoIterator<Item = String>,
        noticed: std::time::Instant,
        at: std::time::Instant,
    ) {
        let mut later = self.later.borrow_mut();
        later.extend(extensions.into_iter().map(|e| (at, e, noticed)));
    }

    /// Moves the rechecks that are due into what is asked.
    fn ripen(&self, now: std::time::Instant) {
        let due: Vec<_> = {
            let mut later = self.later.borrow_mut();
            let (due, waiting) = std::mem::take(&mut *later)
                .into_iter()
                .partition(|(at, _, _)| *at <= now);
            *later = waiting;
            due
        };
        for (_, extension, noticed) in due {
            self.changed_since([extension], noticed);
        }
    }

    /// What was asked since the last turn, once there is something.
    pub async fn next(&self) -> Next {
        loop {
            self.ripen(std::time::Instant::now());
            if self.pending()
                && let Some(last) = self.last_taken.get()
            {
                tokio::time::sleep_until(last + self.min_gap).await;
                self.ripen(std::time::Instant::now());
            }
            if let Some(next) = self.take() {
                if matches!(next, Next::Targeted { .. }) {
                    self.last_taken.set(Some(tokio::time::Instant::now()));
                }
                return next;
            }
            let due = self.later.borrow().iter().map(|(at, _, _)| *at).min();
            match due {
                Some(at) => {
                    tokio::select! {
                        _ = self.notify.notified() => {}
                        _ = tokio::time::sleep_until(at.into()) => {}
                    }
                }
                None => self.notify.notified().await,
            }
        }
    }

    /// The extensions asked for (rechecks that are due included) and when the first was
    /// noticed, if their turn may come now (its pace allows): for a lane busy with a long
    /// turn to take along. A full read asked for stays asked.
    pub fn take_due(&self) -> Option<(Vec<String>, std::time::Instant)> {
        self.ripen(std::time::Instant::now());
        let now = tokio::time::Instant::now();
        if self
            .last_taken
            .get()
            .is_some_and(|last| now < last + self.min_gap)
        {
            return None;
        }
        let extensions = std::mem::take(&mut *self.extensions.borrow_mut());
        let noticed = self.noticed.take()?;
        self.last_taken.set(Some(now));
        Some((extensions.into_iter().collect(), noticed))
    }

    /// What was asked so far, if anything; a full read takes the extensions with it.
    pub fn take(&self) -> Option<Next> {
        let extensions = std::mem::take(&mut *self.extensions.borrow_mut());
        let extensions_empty = extensions.is_empty();
        let noticed = self.noticed.take();
        if self.read_all.replace(false) {
            return Some(Next::Full);
        }
        Some(Next::Targeted {
            keys: UserKeys {
                extensions: extensions.into_iter().collect(),
                logins: Vec::new(),
            },
            noticed: noticed.filter(|_| !extensions_empty)?,
        })
    }
}

/// How long a lane that follows the feed goes without a full read: a few minutes, and
/// within the time a session may go unrefreshed (the refresh margin, a fifth of its life).
pub(super) fn full_read_every(session_ttl: Duration) -> Duration {
    (session_ttl / 5 * 2 / 3).clamp(Duration::from_secs(30), Duration::from_secs(300))
}

/// A cursor taken before the lanes' first full cycles, so following it needs no full read
/// of its own; `None` when the feed does not answer at once (the follower then gets one).
pub(super) async fn starting_cursor(pbx: &PbxClient) -> Option<String> {
    let asked = tokio::time::timeout(Duration::from_secs(2), pbx.feed_cursor()).await;
    asked.ok()?.ok()
}

/// Follows the PBX's change feed until dropped, telling `wake` what changed, from `start`
/// (a cursor taken before the full cycle that started the lane) or a fresh cursor. After an
/// answer with changes it asks again no sooner than `gap`: under a storm of changes each
/// long poll brings many (the feed coalesces them), within the PBX's `max_rps`.
pub(super) async fn follow(pbx: &PbxClient, wake: &Wake, start: Option<String>, gap: Duration) {
    if start.is_some() {
        wake.set_following(true);
        tracing::info!("pbx: following the change feed: phone changes sync as they happen");
    }
    let mut cursor = start;
    let mut failures = 0u32;
    loop {
        let asked = match &cursor {
            None => pbx.feed_cursor().await.map(|c| (Vec::new(), c)),
            Some(since) => pbx
                .changes(since, LONG_POLL_WAIT)
                .await
                .map(|answer| (answer.extensions, answer.cursor)),
        };
        match asked {
            Ok((extensions, next)) => {
                if cursor.is_none() {
                    // Watching from here: what changed before is the full read's to see.
                    wake.read_all();
                    if failures > 0 || !wake.following() {
                        tracing::info!(
                            "pbx: following the change feed: phone changes sync as they happen"
                        );
                    }
                }
                failures = 0;
                wake.set_following(true);
                let changed = !extensions.is_empty();
                wake.changed(extensions);
                cursor = Some(next);
                if changed {
                    tokio::time::sleep(gap).await;
                }
            }
            Err(FeedError::Gone) => {
                tracing::warn!(
                    "pbx: the change feed no longer knows our cursor (410 Gone): reading every extension again"
                );
                cursor = None;
            }
            Err(FeedError::Failed(e)) => {
                if failures == 0 {
                    tracing::warn!(error = %e, "pbx: the change feed is unavailable: polling the phones on the interval until it answers");
                }
                // Polling from now: the first poll at once, not when the lane's wait
                // for the feed (minutes) is up.
                if wake.following() {
                    wake.read_all();
                }
                wake.set_following(false);
                cursor = None;
                failures = failures.saturating_add(1);
                tokio::time::sleep(feed_backoff(failures)).await;
            }
        }
    }
}

/// The wait before asking an unavailable feed again: 1 s, doubling, at most 30 s.
fn feed_backoff(failures: u32) -> Duration {
    Duration::from_secs(1)
        .saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(8)))
        .min(Duration::from_secs(30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wake_hands_over_what_was_asked_once() {
        let wake = Wake::default();
        assert_eq!(wake.take(), None);
        wake.changed(["20002".to_string(), "20001".to_string()]);
        wake.changed(["20002".to_string()]);
        let keys = |e: &[&str]| UserKeys {
            extensions: e.iter().map(|s| s.to_string()).collect(),
            logins: vec![],
        };
        match wake.take() {
            Some(Next::Targeted { keys: asked, .. }) => {
                assert_eq!(asked, keys(&["20001", "20002"]))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(wake.take(), None);
        // A full read covers the extensions asked meanwhile.
        wake.changed(["20003".to_string()]);
        wake.read_all();
        assert_eq!(wake.take(), Some(Next::Full));
        assert_eq!(wake.take(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_recheck_comes_when_it_is_due() {
        let wake = Wake::default();
        let noticed = std::time::Instant::now();
        wake.recheck_at(["20001".to_string()], noticed, noticed + RECHECK_AFTER);
        assert_eq!(wake.take(), None, "not yet");
        let started = tokio::time::Instant::now();
        match wake.next().await {
            Next::Targeted {
                keys,
                noticed: when,
            } => {
                assert_eq!(keys.extensions, ["20001"]);
                assert_eq!(when, noticed, "counted from the change");
            }
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() >= RECHECK_AFTER);
    }

    #[tokio::test(start_paused = true)]
    async fn a_paced_wake_takes_a_lone_change_at_once_and_a_storm_in_few_turns() {
        let gap = min_gap(10.0);
        assert_eq!(gap, Duration::from_millis(400));
        let wake = Wake::paced(gap);
        let started = tokio::time::Instant::now();
        wake.changed(["20001".to_string()]);
        assert!(matches!(wake.next().await, Next::Targeted { .. }));
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "a lone change goes at once"
        );
        // Two more asked right after: they wait for the gap, and go together.
        wake.changed(["20002".to_string()]);
        let (next, _) = tokio::join!(wake.next(), async {
            tokio::time::sleep(gap / 2).await;
            wake.changed(["20003".to_string()]);
        });
        match next {
            Next::Targeted { keys, .. } => assert_eq!(keys.extensions, ["20002", "20003"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(started.elapsed(), gap);
    }

    #[test]
    fn full_reads_come_before_a_session_needs_its_refresh() {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        // (session_ttl, full read every): within a fifth of the ttl, a few minutes at most.
        let cases = [(15, 120), (5, 40), (60, 300), (240, 300)];
        for (ttl, every) in cases {
            assert_eq!(
                full_read_every(minutes(ttl)),
                Duration::from_secs(every),
                "{ttl} min"
            );
            assert!(full_read_every(minutes(ttl)) < minutes(ttl) / 5);
        }
        assert_eq!(feed_backoff(1), Duration::from_secs(1));
        assert_eq!(feed_backoff(3), Duration::from_secs(4));
        assert_eq!(feed_backoff(40), Duration::from_secs(30));
    }
}
