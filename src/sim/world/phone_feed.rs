//! The PBX facade's change feed (`docs/contracts/pbx.md`, "Changes"): every change of an
//! extension's phone state gets the next sequence number; a cursor names a point in that
//! sequence within one run of the facade. A cursor of another run (the facade restarted) or
//! older than the changes kept is unknown: the client reads everything again.

use std::collections::VecDeque;
use std::sync::Arc;

/// Changes kept for cursors to catch up from: a client further behind reads everything again.
pub const CHANGES_KEPT: usize = 10_000;

pub struct PhoneFeed {
    /// This run of the facade: cursors of another run are unknown.
    run: u32,
    /// The sequence number of the latest change (0: none yet).
    last: u64,
    /// (sequence, user) of the changes kept, oldest first.
    log: VecDeque<(u64, u32)>,
    keep: usize,
    /// Moves with every change, so a long poll wakes when there is something to answer.
    moved: Arc<tokio::sync::watch::Sender<u64>>,
}

/// A cursor this run of the facade cannot answer from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// Not one of this run's (another run's, or not a cursor at all).
    OtherRun,
    /// Older than the changes kept.
    TooOld,
}

impl PhoneFeed {
    pub fn new(run: u32, keep: usize) -> PhoneFeed {
        PhoneFeed {
            run,
            last: 0,
            log: VecDeque::new(),
            keep: keep.max(1),
            moved: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// The cursor of now: a client watching from it gets every later change.
    pub fn cursor(&self) -> String {
        format!("{:x}.{}", self.run, self.last)
    }

    /// Records a change of user `i`'s phone.
    pub fn record(&mut self, i: u32) {
        self.last += 1;
        self.log.push_back((self.last, i));
        while self.log.len() > self.keep {
            self.log.pop_front();
        }
        self.moved.send_replace(self.last);
    }

    /// The users whose phone changed after `cursor`, each once, in the order of their latest
    /// change.
    pub fn since(&self, cursor: &str) -> Result<Vec<u32>, Unknown> {
        let (run, seq) = cursor
            .split_once('.')
            .and_then(|(run, seq)| {
                Some((u32::from_str_radix(run, 16).ok()?, seq.parse::<u64>().ok()?))
            })
            .ok_or(Unknown::OtherRun)?;
        if run != self.run || seq > self.last {
            return Err(Unknown::OtherRun);
        }
        let oldest_kept = self.log.front().map_or(self.last + 1, |(s, _)| *s);
        if seq + 1 < oldest_kept {
            return Err(Unknown::TooOld);
        }
        let mut latest: Vec<u32> = Vec::new();
        for &(_, i) in self.log.iter().rev().take_while(|(s, _)| *s > seq) {
            if !latest.contains(&i) {
                latest.push(i);
            }
        }
        latest.reverse();
        Ok(latest)
    }

    /// Forgets every cursor, as a restarted facade does.
    pub fn restart(&mut self) {
        self.run = self.run.wrapping_add(1);
        self.log.clear();
        self.moved.send_replace(self.last);
    }

    /// What moves with every change (and with a restart).
    pub fn moved(&self) -> tokio::sync::watch::Receiver<u64> {
        self.moved.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_answers_the_changes_after_it_coalesced_until_it_is_unknown() {
        let mut feed = PhoneFeed::new(7, 4);
        let start = feed.cursor();
        assert_eq!(feed.since(&start), Ok(vec![]));
        for i in [3, 5, 3] {
            feed.record(i);
        }
        let middle = feed.cursor();
        // Coalesced: 3 once, at its latest change.
        assert_eq!(feed.since(&start), Ok(vec![5, 3]));
        feed.record(9);
        assert_eq!(feed.since(&middle), Ok(vec![9]));
        assert_eq!(feed.since(&feed.cursor()), Ok(vec![]));
        // Past the changes kept (4), the start is too old; the middle is still known.
        feed.record(1);
        assert_eq!(feed.since(&start), Err(Unknown::TooOld));
        assert_eq!(feed.since(&middle), Ok(vec![9, 1]));
        // Not a cursor, a cursor from the future, another run's.
        for bad in ["", "x", "7", "7.x", "7.99", "8.1"] {
            assert_eq!(feed.since(bad), Err(Unknown::OtherRun), "{bad:?}");
        }
        // A restart forgets every cursor; the new run's work.
        feed.restart();
        assert_eq!(feed.since(&middle), Err(Unknown::OtherRun));
        let fresh = feed.cursor();
        feed.record(2);
        assert_eq!(feed.since(&fresh), Ok(vec![2]));
    }

    #[test]
    fn a_change_moves_the_watch() {
        let mut feed = PhoneFeed::new(1, 10);
        let mut moved = feed.moved();
        assert!(!moved.has_changed().unwrap());
        feed.record(0);
        assert!(moved.has_changed().unwrap());
        let _ = moved.borrow_and_update();
        feed.restart();
        assert!(moved.has_changed().unwrap());
    }
}
