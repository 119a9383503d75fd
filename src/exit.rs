//! Exit codes: one table, one precedence, one place that maps an error to a code.

use std::fmt;

use crate::config::ConfigError;
use crate::connectors::micollab::MicollabError;
use crate::connectors::ports::SourceError;
use crate::http::{HttpError, Remedy};
use crate::signals::StopSignal;
use crate::store::StoreError;

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

/// The exit status what a layer below reports stands for: the one mapping from the layers'
/// own error kinds to the README's codes. The layers know nothing of exit codes.
pub trait ExitCode {
    fn exit_status(&self) -> ExitStatus;
}

impl ExitCode for Remedy {
    fn exit_status(&self) -> ExitStatus {
        match self {
            Remedy::FixConfiguration => ExitStatus::Config,
            Remedy::TryLater => ExitStatus::Unavailable,
            Remedy::Investigate => ExitStatus::Failure,
        }
    }
}

impl ExitCode for HttpError {
    fn exit_status(&self) -> ExitStatus {
        self.remedy().exit_status()
    }
}

impl ExitCode for MicollabError {
    fn exit_status(&self) -> ExitStatus {
        self.remedy().exit_status()
    }
}

impl ExitCode for SourceError {
    fn exit_status(&self) -> ExitStatus {
        self.remedy().exit_status()
    }
}

impl ExitCode for StoreError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            // The state file is not this estate's, or cannot be used: fixed by configuration.
            StoreError::NotAStore { .. }
            | StoreError::Damaged { .. }
            | StoreError::NewerSchema { .. }
            | StoreError::ForeignEstate { .. }
            | StoreError::Unwritable { .. }
            | StoreError::Io { .. } => ExitStatus::Config,
            StoreError::LockHeld { .. }
            | StoreError::Busy { .. }
            | StoreError::NoSpace { .. }
            | StoreError::Unreachable { .. } => ExitStatus::Unavailable,
            StoreError::Sqlite { .. } | StoreError::Conflict(_) | StoreError::Database { .. } => {
                ExitStatus::Failure
            }
        }
    }
}

/// A one-shot run a signal stopped, after recording the writes in flight (130 / 143).
impl ExitCode for StopSignal {
    fn exit_status(&self) -> ExitStatus {
        match self {
            StopSignal::Interrupt => ExitStatus::Interrupted,
            StopSignal::Terminate => ExitStatus::Terminated,
        }
    }
}

/// The status of `cause` when it is one of the layers' typed errors.
fn typed_status(cause: &(dyn std::error::Error + 'static)) -> Option<ExitStatus> {
    fn of<E: ExitCode + std::error::Error + 'static>(
        cause: &(dyn std::error::Error + 'static),
    ) -> Option<ExitStatus> {
        cause.downcast_ref::<E>().map(ExitCode::exit_status)
    }
    of::<StoreError>(cause)
        .or_else(|| of::<HttpError>(cause))
        .or_else(|| of::<MicollabError>(cause))
        .or_else(|| of::<SourceError>(cause))
}

/// The exit status an error stands for: the first typed error in its chain decides.
pub fn status_of(error: &anyhow::Error) -> ExitStatus {
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return e.status;
        }
        if cause.downcast_ref::<ConfigError>().is_some() {
            return ExitStatus::Config;
        }
        if let Some(status) = typed_status(cause) {
            return status;
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

    /// Every kind of error a layer reports, and the documented code it ends a run with:
    /// rejected credentials are a configuration error for every system.
    #[test]
    fn every_error_kind_maps_to_its_documented_code() {
        use crate::http::{HttpErrorKind, System};
        use std::path::PathBuf;
        let http = |system, kind, status| {
            let mut e = HttpError::new(system, "POST", "/token", kind);
            e.status = status;
            anyhow::Error::new(e)
        };
        let source = |configuration, unavailable| SourceError {
            system: "pbx",
            unavailable,
            maybe_applied: false,
            gave_up: false,
            configuration,
            message: "x".into(),
        };
        let path = || PathBuf::from("state.db");
        let cases: Vec<(anyhow::Error, u8)> = vec![
            (anyhow::Error::new(ConfigError::new("x")), 78),
            (CliError::usage("bad flag").into(), 2),
            (CliError::new(Guard, "max-changes").into(), 5),
            (CliError::new(Partial, "some rows").into(), 3),
            (CliError::new(OutOfSync, "drift").into(), 4),
            (
                http(
                    System::EntraId,
                    HttpErrorKind::CredentialRejected,
                    Some(401),
                ),
                78,
            ),
            (
                http(
                    System::Micollab,
                    HttpErrorKind::CredentialRejected,
                    Some(401),
                ),
                78,
            ),
            (
                http(System::Pbx, HttpErrorKind::CredentialRejected, Some(401)),
                78,
            ),
            (
                http(
                    System::Cloudlink,
                    HttpErrorKind::CredentialRejected,
                    Some(400),
                ),
                78,
            ),
            (http(System::Graph, HttpErrorKind::Timeout, None), 75),
            (http(System::Graph, HttpErrorKind::Status, Some(503)), 75),
            (http(System::Graph, HttpErrorKind::Status, Some(403)), 1),
            (anyhow::Error::new(source(true, false)), 78),
            (anyhow::Error::new(source(false, true)), 75),
            (anyhow::Error::new(source(false, false)), 1),
            (anyhow::Error::new(StoreError::Busy { path: path() }), 75),
            (
                anyhow::Error::new(StoreError::NotAStore {
                    path: path(),
                    detail: "x".into(),
                }),
                78,
            ),
            (anyhow::Error::new(StoreError::Conflict("x".into())), 1),
            (anyhow::anyhow!("an internal error"), 1),
        ];
        for (error, code) in cases {
            assert_eq!(status_of(&error).code(), code, "{error:#}");
        }
        assert_eq!(StopSignal::Interrupt.exit_status().code(), 130);
        assert_eq!(StopSignal::Terminate.exit_status().code(), 143);
    }

    #[test]
    fn errors_map_through_their_chain() {
        let err = anyhow::Error::new(CliError::new(Unavailable, "lock held"))
            .context("could not start the sync");
        assert_eq!(status_of(&err), Unavailable);
        assert_eq!(status_of(&anyhow::anyhow!("boom")), Failure);
    }
}
