//! The Mitel error shape (`docs/contracts/conventions.md`): an HTTP error carrying the
//! answer's `reason`, message, correlation id and structured `data`.

use serde_json::Value;

use super::CORRELATION_HEADER;
use crate::http::{HttpError, HttpErrorKind, Response, System};
use crate::wire::cloudlink::ErrorBody;

/// Longest service message kept in an error.
const MAX_MESSAGE_CHARS: usize = 200;

/// A Mitel call that failed: the HTTP error (`code` = the answer's `reason`, `request_id` =
/// its correlation id) and the answer's structured `data` (e.g. `found`/`required`).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{error}")]
pub struct MitelFailure {
    pub error: HttpError,
    pub data: Option<Value>,
}

impl MitelFailure {
    /// The machine-readable cause (`VersionNotSupported`, `UserNotFound`, …).
    pub fn reason(&self) -> Option<&str> {
        self.error.code.as_deref()
    }

    pub fn status(&self) -> Option<u16> {
        self.error.status
    }

    /// `data.<field>` as text.
    pub fn data_text(&self, field: &str) -> Option<String> {
        self.data
            .as_ref()
            .and_then(|d| d.get(field))
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
    }
}

impl From<HttpError> for MitelFailure {
    fn from(error: HttpError) -> Self {
        MitelFailure { error, data: None }
    }
}

/// Cuts `text` to `max` characters on a character boundary, marking the cut.
pub(super) fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Builds the error of a Mitel error answer, whatever part of it is there.
pub(super) fn failure_from(
    system: System,
    method: &str,
    path: &str,
    status: u16,
    body: &[u8],
    correlation: Option<String>,
) -> MitelFailure {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let mut error = HttpError::new(system, method, path, HttpErrorKind::Status);
    error.status = Some(status);
    error.code = parsed.reason.or(parsed.name);
    error.message = parsed.message.map(|m| shorten(&m, MAX_MESSAGE_CHARS));
    error.request_id = correlation.or(parsed.correlation_id);
    MitelFailure {
        error,
        data: parsed.data,
    }
}

pub(super) fn correlation_of(response: &Response) -> Option<String> {
    response
        .headers
        .get(CORRELATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| response.request_id.clone())
}
