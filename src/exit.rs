//! Exit codes: one table, one precedence, one place that maps an error to a code.

use std::fmt;

/// What a run ended with. The numeric values are a contract with scripts (DESIGN.md section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitStatus {
    Success,
    /// `report --detailed-exitcode` found users out of sync.
    OutOfSync,
    /// Some users or rows failed; the rest was applied.
    Partial,
    /// A safety guard (`--max-changes`, `--max-deletes`) stopped the run; nothing applied.
    Guard,
    /// Another run holds the lock, or a system is down or throttled beyond the retry budget.
    Unavailable,
    /// Could not do its job; internal error.
    Failure,
    /// Bad flags, or a confirmation was needed but there is no terminal.
    Usage,
    /// Configuration error: config file, secret or state file.
    Config,
    /// Stopped by SIGINT after finishing and recording the writes in flight.
    Interrupted,
    /// Stopped by SIGTERM after finishing and recording the writes in flight.
    Terminated,
}

impl ExitStatus {
    /// Every status, the one that wins first (the order of the table in the README).
    pub const PRECEDENCE: [ExitStatus; 10] = [
        ExitStatus::Config,
        ExitStatus::Usage,
        ExitStatus::Interrupted,
        ExitStatus::Terminated,
        ExitStatus::Failure,
        ExitStatus::Unavailable,
        ExitStatus::Guard,
        ExitStatus::Partial,
        ExitStatus::OutOfSync,
        ExitStatus::Success,
    ];

    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Partial => 3,
            ExitStatus::OutOfSync => 4,
            ExitStatus::Guard => 5,
            ExitStatus::Unavailable => 75,
            ExitStatus::Config => 78,
            ExitStatus::Interrupted => 130,
            ExitStatus::Terminated => 143,
        }
    }

    fn rank(self) -> usize {
        Self::PRECEDENCE
            .iter()
            .position(|s| *s == self)
            .expect("every status is in the precedence table")
    }

    /// The status that wins when both apply.
    pub fn combine(self, other: ExitStatus) -> ExitStatus {
        if other.rank() < self.rank() {
            other
        } else {
            self
        }
    }
}

impl fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// An error that knows which exit status it stands for.
///
/// Typed errors of the layers below convert into this at the edge, so `main` only maps.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub status: ExitStatus,
    pub message: String,
}

impl CliError {
    pub fn new(status: ExitStatus, message: impl Into<String>) -> Self {
        CliError {
            status,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Usage, message)
    }
}

/// The exit status an error stands for: the first typed error in its chain decides.
pub fn status_of(error: &anyhow::Error) -> ExitStatus {
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return e.status;
        }
        if cause.downcast_ref::<crate::config::ConfigError>().is_some() {
            return ExitStatus::Config;
        }
        if let Some(e) = cause.downcast_ref::<crate::store::StoreError>() {
            return e.exit_status();
        }
        if let Some(e) = cause.downcast_ref::<crate::http::HttpError>() {
            return e.exit_status();
        }
    }
    ExitStatus::Failure
}

#[cfg(test)]
mod tests {
    use super::ExitStatus::*;
    use super::*;

    #[test]
    fn codes_are_the_documented_ones() {
        let table = [
            (Config, 78),
            (Usage, 2),
            (Failure, 1),
            (Unavailable, 75),
            (Guard, 5),
            (Partial, 3),
            (OutOfSync, 4),
            (Success, 0),
            (Interrupted, 130),
            (Terminated, 143),
        ];
        for (status, code) in table {
            assert_eq!(status.code(), code, "{status:?}");
        }
    }

    #[test]
    fn the_first_listed_wins() {
        let cases = [
            (Success, Partial, Partial),
            (Partial, Guard, Guard),
            (OutOfSync, Partial, Partial),
            (Unavailable, Failure, Failure),
            (Guard, Unavailable, Unavailable),
            (Usage, Config, Config),
            (Config, Failure, Config),
            (Terminated, Failure, Terminated),
            (Interrupted, Unavailable, Interrupted),
            (Usage, Terminated, Usage),
            (Success, Success, Success),
        ];
        for (a, b, winner) in cases {
            assert_eq!(a.combine(b), winner, "{a:?} + {b:?}");
            assert_eq!(b.combine(a), winner, "{b:?} + {a:?}");
        }
    }

    #[test]
    fn errors_map_through_their_chain() {
        let err = anyhow::Error::new(CliError::new(Unavailable, "lock held"))
            .context("could not start the sync");
        assert_eq!(status_of(&err), Unavailable);
        assert_eq!(status_of(&anyhow::anyhow!("boom")), Failure);
    }
}
