//! What MiCollab refuses, and why: the version and PBX gates of Teams presence, its typed
//! refusals (a default profile, a user or status not found, a Teams-owned field), and the one
//! error type of the MiCollab client.

use std::fmt;

use crate::http::{HttpError, Remedy};
use crate::wire::micollab::{GateData, SystemInfo};

use crate::connectors::mitel::MitelFailure;

/// The first MiCollab release with Teams presence: R9.8 SP1.
pub const MIN_TEAMS_VERSION: [u32; 3] = [9, 8, 1];
pub const MIN_TEAMS_VERSION_TEXT: &str = "9.8.1 (R9.8 SP1)";
/// The only PBX Teams presence works with.
pub const SUPPORTED_PBX: &str = "MiVoice Business";

/// Why Teams presence cannot be enabled on this MiCollab: what was found, what is needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateFailure {
    #[error(
        "MiCollab {found} does not support Microsoft Teams presence: {required} or later is required"
    )]
    Version { found: String, required: String },
    #[error("Microsoft Teams presence needs a {required} PBX; this MiCollab uses {found}")]
    Pbx { found: String, required: String },
}

impl GateFailure {
    pub fn found(&self) -> &str {
        match self {
            GateFailure::Version { found, .. } | GateFailure::Pbx { found, .. } => found,
        }
    }

    pub fn required(&self) -> &str {
        match self {
            GateFailure::Version { required, .. } | GateFailure::Pbx { required, .. } => required,
        }
    }
}

/// `major.minor.servicepack` of a version text like `9.8.1.201`; `None` when unreadable.
pub fn parse_version(text: &str) -> Option<[u32; 3]> {
    let mut parts = text.trim().trim_start_matches(['v', 'V', 'R']).split('.');
    let mut out = [0u32; 3];
    out[0] = parts.next()?.trim().parse().ok()?;
    for slot in out.iter_mut().skip(1) {
        *slot = match parts.next() {
            Some(p) => p.trim().parse().ok()?,
            None => 0,
        };
    }
    Some(out)
}

/// Checks the gates of DESIGN.md section 3: MiCollab ≥ R9.8 SP1, PBX = MiVoice Business.
/// An unreadable version fails the gate (never assume support).
pub fn teams_gates(system: &SystemInfo) -> Vec<GateFailure> {
    let mut failures = Vec::new();
    let supported = parse_version(&system.version).is_some_and(|v| v >= MIN_TEAMS_VERSION);
    if !supported {
        failures.push(GateFailure::Version {
            found: system.version.clone(),
            required: MIN_TEAMS_VERSION_TEXT.to_string(),
        });
    }
    let pbx = system.pbx_type.clone().unwrap_or_default();
    if !pbx.trim().eq_ignore_ascii_case(SUPPORTED_PBX) {
        failures.push(GateFailure::Pbx {
            found: if pbx.is_empty() {
                "an unknown PBX".to_string()
            } else {
                pbx
            },
            required: SUPPORTED_PBX.to_string(),
        });
    }
    failures
}

/// What MiCollab refused, typed, so a command can explain it (and a test can match it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MicollabRefusal {
    /// Any change to a default (migrated) profile.
    DefaultProfileNotEditable {
        profile: String,
    },
    /// Enabling Teams presence below R9.8 SP1, or on another PBX.
    Gate(GateFailure),
    StatusNameNotEditable,
    DoNotDisturbNotEditable,
    /// "Do not disturb" and "Presenting" send calls to voicemail: their routing is fixed.
    CallRoutingFixed {
        status: String,
    },
    StatusAdditionNotAllowed {
        allowed: Vec<String>,
    },
    ProfileNotFound {
        profile: String,
    },
    UserNotFound {
        login: String,
    },
    StatusNotFound {
        status: String,
    },
    /// `InvalidCallRouting`, `InvalidMessage`, `InvalidRequest`: the value sent is refused.
    InvalidValue {
        reason: String,
        message: String,
    },
}

impl fmt::Display for MicollabRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MicollabRefusal::DefaultProfileNotEditable { profile } => write!(
                f,
                "the user profile {profile:?} is a default (migrated) profile and cannot be \
                 changed: assign its users to a custom profile instead"
            ),
            MicollabRefusal::Gate(gate) => write!(f, "{gate}"),
            MicollabRefusal::StatusNameNotEditable => f.write_str(
                "the name of a Microsoft Teams status cannot be edited: it is managed by Microsoft Teams",
            ),
            MicollabRefusal::DoNotDisturbNotEditable => f.write_str(
                "the Do not disturb setting is not editable for Microsoft Teams statuses",
            ),
            MicollabRefusal::CallRoutingFixed { status } => write!(
                f,
                "the call routing of {status:?} is fixed: while Microsoft Teams manages the \
                 statuses, a user in Do not disturb or Presenting has calls sent to voicemail"
            ),
            MicollabRefusal::StatusAdditionNotAllowed { .. } => f.write_str(
                "a dynamic status cannot be added while Microsoft Teams manages the statuses",
            ),
            MicollabRefusal::ProfileNotFound { profile } => {
                write!(f, "no user profile {profile:?}")
            }
            MicollabRefusal::UserNotFound { login } => {
                write!(f, "no MiCollab user with login {login:?}")
            }
            MicollabRefusal::StatusNotFound { status } => {
                write!(f, "{status:?} is not a Microsoft Teams status")
            }
            MicollabRefusal::InvalidValue { reason, message } => write!(f, "{reason}: {message}"),
        }
    }
}

/// A MiCollab call that failed: refused for a reason the caller can explain, or failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MicollabError {
    #[error("micollab: {refusal}{}", correlation(.error))]
    Refused {
        refusal: MicollabRefusal,
        /// The answer it came with (status, reason, correlation id).
        error: HttpError,
    },
    #[error(transparent)]
    Http(#[from] HttpError),
}

fn correlation(error: &HttpError) -> String {
    error
        .request_id
        .as_ref()
        .map(|id| format!(" [correlation id {id}]"))
        .unwrap_or_default()
}

impl MicollabError {
    pub fn refusal(&self) -> Option<&MicollabRefusal> {
        match self {
            MicollabError::Refused { refusal, .. } => Some(refusal),
            MicollabError::Http(_) => None,
        }
    }

    pub fn http(&self) -> &HttpError {
        match self {
            MicollabError::Refused { error, .. } | MicollabError::Http(error) => error,
        }
    }

    /// A refusal is a failure of what was asked; transport and outages keep their own.
    pub fn remedy(&self) -> Remedy {
        match self {
            MicollabError::Refused { .. } => Remedy::Investigate,
            MicollabError::Http(e) => e.remedy(),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(
            self.refusal(),
            Some(
                MicollabRefusal::ProfileNotFound { .. }
                    | MicollabRefusal::UserNotFound { .. }
                    | MicollabRefusal::StatusNotFound { .. }
            )
        ) || self.http().is_not_found()
    }

    /// Types a Mitel failure by its `reason`; `subject` names what the call was about.
    pub(super) fn from_failure(failure: MitelFailure, subject: &str) -> MicollabError {
        let gate = |make: fn(String, String) -> GateFailure, default_required: &str| {
            let data: GateData = failure
                .data
                .clone()
                .and_then(|d| serde_json::from_value(d).ok())
                .unwrap_or_default();
            MicollabRefusal::Gate(make(
                data.found.unwrap_or_else(|| "unknown".to_string()),
                data.required
                    .unwrap_or_else(|| default_required.to_string()),
            ))
        };
        let refusal = match failure.reason() {
            Some("DefaultProfileNotEditable") => MicollabRefusal::DefaultProfileNotEditable {
                profile: failure
                    .data_text("name")
                    .unwrap_or_else(|| subject.to_string()),
            },
            Some("VersionNotSupported") => gate(
                |found, required| GateFailure::Version { found, required },
                MIN_TEAMS_VERSION_TEXT,
            ),
            Some("PbxNotSupported") => gate(
                |found, required| GateFailure::Pbx { found, required },
                SUPPORTED_PBX,
            ),
            Some("StatusNameNotEditable") => MicollabRefusal::StatusNameNotEditable,
            Some("DoNotDisturbNotEditable") => MicollabRefusal::DoNotDisturbNotEditable,
            Some("StatusAdditionNotAllowed") => MicollabRefusal::StatusAdditionNotAllowed {
                allowed: failure
                    .data
                    .as_ref()
                    .and_then(|d| d.get("allowedStatuses"))
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .unwrap_or_default(),
            },
            Some("ProfileNotFound") => MicollabRefusal::ProfileNotFound {
                profile: subject.to_string(),
            },
            Some("UserNotFound") => MicollabRefusal::UserNotFound {
                login: subject.to_string(),
            },
            Some("StatusNotFound") => MicollabRefusal::StatusNotFound {
                status: subject.to_string(),
            },
            Some(reason @ ("InvalidCallRouting" | "InvalidMessage" | "InvalidRequest")) => {
                MicollabRefusal::InvalidValue {
                    reason: reason.to_string(),
                    message: failure.error.message.clone().unwrap_or_default(),
                }
            }
            _ => return MicollabError::Http(failure.error),
        };
        MicollabError::Refused {
            refusal,
            error: failure.error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::mitel::MitelFailure;
    use crate::http::System;

    fn system(version: &str, pbx: Option<&str>) -> SystemInfo {
        SystemInfo {
            system_id: None,
            product_name: None,
            version: version.to_string(),
            pbx_type: pbx.map(str::to_string),
            teams_presence: None,
            time: None,
        }
    }

    #[test]
    fn versions_and_gates() {
        assert_eq!(parse_version("9.8.1.201"), Some([9, 8, 1]));
        assert_eq!(parse_version("10"), Some([10, 0, 0]));
        assert_eq!(parse_version("nine"), None);
        let cases = [
            ("9.8.1.201", true),
            ("9.8.0.99", false),
            ("9.9.0.1", true),
            ("10.0.0.1", true),
            ("9.7.5", false),
            ("garbage", false),
        ];
        for (version, ok) in cases {
            let gates = teams_gates(&system(version, Some("MiVoice Business")));
            assert_eq!(gates.is_empty(), ok, "{version}");
        }
        let gates = teams_gates(&system("9.8.1.1", Some("MiVoice Office 400")));
        assert_eq!(
            gates,
            [GateFailure::Pbx {
                found: "MiVoice Office 400".into(),
                required: SUPPORTED_PBX.into()
            }]
        );
        let both = teams_gates(&system("9.8.0.1", None));
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].found(), "9.8.0.1");
        assert_eq!(both[0].required(), MIN_TEAMS_VERSION_TEXT);
    }

    #[test]
    fn refusals_are_typed_with_found_and_required() {
        let body = br#"{"name":"Conflict","code":409,"reason":"VersionNotSupported","message":"m","correlationId":"c","data":{"found":"9.8.0.5","required":"9.8.1 (R9.8 SP1)"}}"#;
        let failure = MitelFailure {
            error: {
                let mut e = HttpError::new(
                    System::Micollab,
                    "PATCH",
                    "/p",
                    crate::http::HttpErrorKind::Status,
                );
                e.code = Some("VersionNotSupported".into());
                e.request_id = Some("c".into());
                e
            },
            data: serde_json::from_slice::<serde_json::Value>(body)
                .unwrap()
                .get("data")
                .cloned(),
        };
        let error = MicollabError::from_failure(failure, "Sales");
        let Some(MicollabRefusal::Gate(gate)) = error.refusal() else {
            panic!("{error:?}")
        };
        assert_eq!(gate.found(), "9.8.0.5");
        assert_eq!(gate.required(), "9.8.1 (R9.8 SP1)");
        let line = error.to_string();
        assert!(
            line.contains("9.8.0.5") && line.contains("[correlation id c]"),
            "{line}"
        );
    }
}
