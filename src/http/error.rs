//! The one error type of every HTTP call mcteams makes.
//!
//! It names what an admin or a support engineer needs to find the failed call in their own
//! logs (system, method, path, status, service code, request/correlation id) and nothing that
//! could be secret: no query string, no header, no request body, no token.

use std::fmt;
use std::time::Duration;

/// The systems mcteams talks to, as they are named in errors and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum System {
    /// Microsoft Graph (presence, users).
    Graph,
    /// The Microsoft identity platform's token endpoint (Entra ID).
    EntraId,
    Micollab,
    Pbx,
    Cloudlink,
}

impl System {
    /// The configuration keys of the credential this system signs in with.
    pub fn credential_keys(self) -> &'static str {
        match self {
            System::Graph | System::EntraId => {
                "graph.tenant_id, graph.client_id, and the secret (graph.client_secret_env or \
                 client_secret_file) or certificate (graph.client_certificate_file) of the Entra \
                 app registration"
            }
            System::Micollab => {
                "micollab.username and its password (micollab.password_env or password_file)"
            }
            System::Pbx => "pbx.username and its password (pbx.password_env or password_file)",
            System::Cloudlink => {
                "cloudlink.account_id, cloudlink.client_id and its secret \
                 (cloudlink.client_secret_env or client_secret_file)"
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            System::Graph => "graph",
            System::EntraId => "entra-id",
            System::Micollab => "micollab",
            System::Pbx => "pbx",
            System::Cloudlink => "cloudlink",
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What fixes a failed call, as a run that ends on it reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// A credential, certificate or URL the system refused: the configuration must change.
    FixConfiguration,
    /// Down, unreachable or throttled beyond the retry budget: try again later.
    TryLater,
    /// The system answered an error that neither waiting nor the configuration fixes.
    Investigate,
}

/// What went wrong, without the where (that is in [`HttpError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpErrorKind {
    /// The service answered with an error status that is not worth retrying.
    Status,
    /// The credential was refused by the token endpoint (wrong secret, unknown client,
    /// expired certificate): retrying cannot help, the configuration must change.
    CredentialRejected,
    /// The service kept answering 429/503/504, or could not be reached, until the retry
    /// budget ran out.
    GaveUp {
        attempts: u32,
        waited: Duration,
        last: Box<HttpErrorKind>,
    },
    /// A 429/503/504 answer (the last one when retries are exhausted).
    Throttled { retry_after: Option<Duration> },
    /// No answer: connection refused, reset, DNS, TLS. `sent` tells whether the request
    /// may have reached the server.
    Transport { message: String, sent: bool },
    /// The server's certificate is not trusted (unknown CA, wrong name, expired): retrying
    /// cannot help; trust its CA with the system's `ca_file`, or fix the server.
    Tls(String),
    /// No answer within the request timeout.
    Timeout,
    /// The answer arrived but is not what the API documents (malformed JSON, missing field).
    Decode(String),
    /// A URL mcteams refuses to call: plain http to a non-loopback host, or a link that
    /// leaves the configured service.
    InsecureUrl(String),
    /// A local problem preparing the request (a credential that cannot be used).
    Local(String),
    /// Not sent: the run is stopping (SIGTERM / SIGINT) and starts no new request.
    Stopped,
}

/// An HTTP call that failed. `Display` is one line fit for an admin's terminal.
///
/// Boxed so that `Result<_, HttpError>` stays one pointer wide on the happy path; the
/// fields are read (and filled) through `Deref` to [`HttpErrorInfo`].
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct HttpError(Box<HttpErrorInfo>);

/// What an [`HttpError`] carries.
#[derive(Debug, Clone, thiserror::Error)]
pub struct HttpErrorInfo {
    pub system: System,
    pub method: String,
    /// The URL path only: a query string may carry a filter with personal data.
    pub path: String,
    pub status: Option<u16>,
    /// The service's error code (`TooManyRequests`, `invalid_client`, …).
    pub code: Option<String>,
    /// The service's error message, shortened.
    pub message: Option<String>,
    /// `request-id` (Graph), `correlation_id` (Entra ID) or `x-mitel-correlation-id`.
    pub request_id: Option<String>,
    pub kind: HttpErrorKind,
    /// An earlier attempt of this call was sent and got no usable answer (a timeout, a
    /// gateway's 502/504): whatever the last attempt met, the service may have applied it.
    pub sent_before: bool,
    /// This attempt never left: what failed came before it (its access token could not be
    /// had), so it applied nothing whatever the failure's kind says (an earlier attempt
    /// still may have: [`Self::sent_before`]).
    pub not_sent: bool,
}

impl HttpError {
    pub fn new(system: System, method: &str, path: &str, kind: HttpErrorKind) -> Self {
        HttpError(Box::new(HttpErrorInfo {
            system,
            method: method.to_string(),
            path: path.to_string(),
            status: None,
            code: None,
            message: None,
            request_id: None,
            kind,
            sent_before: false,
            not_sent: false,
        }))
    }
}

impl std::ops::Deref for HttpError {
    type Target = HttpErrorInfo;

    fn deref(&self) -> &HttpErrorInfo {
        &self.0
    }
}

impl std::ops::DerefMut for HttpError {
    fn deref_mut(&mut self) -> &mut HttpErrorInfo {
        &mut self.0
    }
}

impl HttpErrorKind {
    /// Whether the service may have applied the request although it failed: no answer
    /// after it was sent, an answer mcteams cannot read, or a gateway's 502/504 (which can
    /// come after the service acted). A refusal (429, 503, another status) or a request
    /// never sent was not applied.
    pub fn maybe_applied(&self, status: Option<u16>) -> bool {
        match self {
            HttpErrorKind::Transport { sent, .. } => *sent,
            HttpErrorKind::Timeout | HttpErrorKind::Decode(_) => true,
            HttpErrorKind::Throttled { .. } => matches!(status, Some(502 | 504)),
            HttpErrorKind::GaveUp { last, .. } => last.maybe_applied(status),
            _ => false,
        }
    }
}

impl HttpErrorInfo {
    /// Whether the service may have applied the failed request: this attempt
    /// ([`HttpErrorKind::maybe_applied`]) or an earlier one.
    pub fn maybe_applied(&self) -> bool {
        self.sent_before || (!self.not_sent && self.kind.maybe_applied(self.status))
    }

    /// What fixes it: the edge (`src/exit.rs`) maps this to the run's exit code.
    pub fn remedy(&self) -> Remedy {
        match &self.kind {
            // Fixed by changing the configuration (credential, URL, ca_file), not by waiting.
            HttpErrorKind::CredentialRejected
            | HttpErrorKind::InsecureUrl(_)
            | HttpErrorKind::Tls(_)
            | HttpErrorKind::Local(_) => Remedy::FixConfiguration,
            HttpErrorKind::GaveUp { .. }
            | HttpErrorKind::Throttled { .. }
            | HttpErrorKind::Transport { .. }
            | HttpErrorKind::Timeout
            | HttpErrorKind::Stopped => Remedy::TryLater,
            // A gateway that cannot reach the service is an outage too: cron should retry.
            HttpErrorKind::Status if matches!(self.status, Some(502..=504)) => Remedy::TryLater,
            HttpErrorKind::Status | HttpErrorKind::Decode(_) => Remedy::Investigate,
        }
    }

    /// True when the service answered that the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }
}

impl fmt::Display for HttpErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpErrorKind::Status => f.write_str("error answer"),
            HttpErrorKind::CredentialRejected => f.write_str("credential rejected"),
            HttpErrorKind::GaveUp {
                attempts,
                waited,
                last,
            } => write!(
                f,
                "{last}; gave up after {attempts} attempts and {:.1}s of waiting",
                waited.as_secs_f64()
            ),
            HttpErrorKind::Throttled { retry_after: None } => {
                f.write_str("throttled or temporarily unavailable")
            }
            HttpErrorKind::Throttled {
                retry_after: Some(d),
            } => write!(
                f,
                "throttled or temporarily unavailable (Retry-After {:.1}s)",
                d.as_secs_f64()
            ),
            HttpErrorKind::Transport { message, .. } => write!(f, "no answer: {message}"),
            HttpErrorKind::Tls(message) => write!(
                f,
                "TLS verification failed: {message} (if the server uses a private CA, name its \
                 certificate in the section's ca_file)"
            ),
            HttpErrorKind::Timeout => f.write_str("no answer within the request timeout"),
            HttpErrorKind::Decode(detail) => write!(f, "unexpected answer: {detail}"),
            HttpErrorKind::InsecureUrl(detail) => write!(f, "refused URL: {detail}"),
            HttpErrorKind::Local(detail) => f.write_str(detail),
            HttpErrorKind::Stopped => f.write_str("not sent: mcteams is stopping"),
        }
    }
}

impl fmt::Display for HttpErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}: ", self.system, self.method, self.path)?;
        if let Some(status) = self.status {
            write!(f, "HTTP {status} ")?;
        }
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        write!(f, "{}", self.kind)?;
        if self.kind == HttpErrorKind::CredentialRejected {
            write!(f, " (check {})", self.system.credential_keys())?;
        }
        if let Some(message) = &self.message {
            write!(f, " ({message})")?;
        }
        if self
            .message
            .as_deref()
            .is_some_and(|m| m.contains("AADSTS700024"))
        {
            // The signed client assertion is outside its valid time: the clock, not the key.
            f.write_str(
                "; this host's clock is off: the signed client assertion is not yet, or no \
                 longer, valid for Entra ID: set the clock right (NTP)",
            )?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// The code, message and request id an error answer carries, whatever the system's shape.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ServiceErrorDetails {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

/// Longest service message kept in an error: enough to explain, short enough for one line.
const MAX_MESSAGE_CHARS: usize = 200;

impl ServiceErrorDetails {
    /// Reads Graph's `{"error":{"code","message","innerError":{"request-id"}}}`, the identity
    /// platform's `{"error":"…","error_description":"…","correlation_id":"…"}` and the
    /// common `{"code","message"}`; anything else gives no details (never an error).
    pub fn from_body(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return Self::default();
        };
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
        let mut details = Self::default();
        match value.get("error") {
            Some(serde_json::Value::Object(error)) => {
                details.code = text(error.get("code"));
                details.message = text(error.get("message"));
                details.request_id = error
                    .get("innerError")
                    .or_else(|| error.get("innererror"))
                    .and_then(|inner| text(inner.get("request-id")));
            }
            Some(serde_json::Value::String(code)) => {
                details.code = Some(code.clone());
                details.message = text(value.get("error_description"))
                    // The identity platform's descriptions run over several lines
                    // (trace and correlation ids, timestamp): the first says it all.
                    .map(|d| d.lines().next().unwrap_or_default().to_string());
                details.request_id =
                    text(value.get("correlation_id")).or_else(|| text(value.get("trace_id")));
            }
            _ => {
                details.code = text(value.get("code"));
                details.message = text(value.get("message"));
            }
        }
        details.message = details.message.map(|m| shorten(&m, MAX_MESSAGE_CHARS));
        details
    }
}

/// Cuts `text` to `max` characters on a character boundary, marking the cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_from_every_known_shape() {
        let graph = br#"{"error":{"code":"TooManyRequests","message":"slow down","innerError":{"request-id":"r-1"}}}"#;
        let d = ServiceErrorDetails::from_body(graph);
        assert_eq!(d.code.as_deref(), Some("TooManyRequests"));
        assert_eq!(d.request_id.as_deref(), Some("r-1"));

        let entra = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret.\r\nTrace ID: x","correlation_id":"c-9"}"#;
        let d = ServiceErrorDetails::from_body(entra);
        assert_eq!(d.code.as_deref(), Some("invalid_client"));
        assert_eq!(
            d.message.as_deref(),
            Some("AADSTS7000215: Invalid client secret.")
        );
        assert_eq!(d.request_id.as_deref(), Some("c-9"));

        let plain = br#"{"code":"NotFound","message":"no such user"}"#;
        assert_eq!(
            ServiceErrorDetails::from_body(plain).code.as_deref(),
            Some("NotFound")
        );
        assert_eq!(
            ServiceErrorDetails::from_body(b"<html>oops"),
            ServiceErrorDetails::default()
        );
    }

    #[test]
    fn display_is_one_line_with_every_clue() {
        let mut e = HttpError::new(
            System::Graph,
            "POST",
            "/v1.0/communications/getPresencesByUserId",
            HttpErrorKind::GaveUp {
                attempts: 6,
                waited: Duration::from_secs(61),
                last: Box::new(HttpErrorKind::Throttled {
                    retry_after: Some(Duration::from_secs(30)),
                }),
            },
        );
        e.status = Some(429);
        e.code = Some("TooManyRequests".into());
        e.request_id = Some("r-1".into());
        let line = e.to_string();
        assert!(!line.contains('\n'));
        assert_eq!(
            line,
            "graph POST /v1.0/communications/getPresencesByUserId: HTTP 429 TooManyRequests: \
             throttled or temporarily unavailable (Retry-After 30.0s); gave up after 6 attempts \
             and 61.0s of waiting [request id r-1]"
        );
        assert_eq!(e.remedy(), Remedy::TryLater);
    }

    #[test]
    fn a_client_assertion_out_of_time_is_explained_as_the_clock() {
        let mut e = HttpError::new(
            System::EntraId,
            "POST",
            "/token",
            HttpErrorKind::CredentialRejected,
        );
        e.status = Some(400);
        e.message =
            Some("AADSTS700024: Client assertion is not within its valid time range.".into());
        assert!(e.to_string().contains("this host's clock is off"), "{e}");
    }

    #[test]
    fn a_rejected_credential_names_the_keys_of_its_own_system() {
        let cases = [
            (System::EntraId, "graph.client_id", "password"),
            (System::Micollab, "micollab.password_env", "tenant"),
            (System::Pbx, "pbx.username", "Entra"),
            (System::Cloudlink, "cloudlink.client_secret_env", "tenant"),
        ];
        for (system, named, foreign) in cases {
            let mut e = HttpError::new(system, "POST", "/token", HttpErrorKind::CredentialRejected);
            e.status = Some(401);
            let line = e.to_string();
            assert!(line.contains(named) && !line.contains(foreign), "{line}");
        }
    }

    #[test]
    fn remedies() {
        let cases = [
            (
                HttpErrorKind::CredentialRejected,
                Some(401),
                Remedy::FixConfiguration,
            ),
            (
                HttpErrorKind::Tls("x".into()),
                None,
                Remedy::FixConfiguration,
            ),
            (HttpErrorKind::Timeout, None, Remedy::TryLater),
            (HttpErrorKind::Stopped, None, Remedy::TryLater),
            (HttpErrorKind::Status, Some(502), Remedy::TryLater),
            (HttpErrorKind::Status, Some(403), Remedy::Investigate),
            (
                HttpErrorKind::Decode("x".into()),
                Some(200),
                Remedy::Investigate,
            ),
        ];
        for (kind, status, remedy) in cases {
            let mut e = HttpError::new(System::Graph, "GET", "/x", kind.clone());
            e.status = status;
            assert_eq!(e.remedy(), remedy, "{kind:?} {status:?}");
        }
    }

    #[test]
    fn shorten_respects_characters() {
        assert_eq!(shorten("ééé", 2), "éé…");
        assert_eq!(shorten(" ok ", 5), "ok");
    }
}
