//! The HTTP layer every connector uses: one client per system, with its TLS trust, timeouts,
//! token cache, retries, rate limit and concurrency limit.
//!
//! A connector describes a request as a [`Call`] and gets back a [`Response`] or an
//! [`HttpError`]; retrying, waiting for `Retry-After`, refreshing a rejected token and staying
//! under the service's limits all happen here, the same way for every system.

mod call;
mod error;
mod limit;
mod retry;
mod send;
use send::error_chain;
pub use send::is_throttling;
pub mod stop;
mod token;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::config::{ConfigError, is_loopback};

pub use call::{Call, Replay};
pub use error::{HttpError, HttpErrorInfo, HttpErrorKind, Remedy, ServiceErrorDetails, System};
pub use limit::{MIN_BURST, RateBudget, RateLimit, TokioClock};
pub use retry::{Retries, RetryPolicy, parse_retry_after};
pub use token::{AccessToken, Lease, TokenCache, TokenSource, refresh_margin};

/// The product part of every request's `User-Agent`.
pub const USER_AGENT: &str = concat!("mcteams/", env!("CARGO_PKG_VERSION"));

/// `User-Agent` of every request: the product, and which instance sent it
/// (`MCTEAMS_INSTANCE_ID`, else host and pid), so a service's logs (and the emulator's
/// request log) tell the writes of several `sync --watch` instances apart.
pub fn user_agent() -> &'static str {
    static AGENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let instance = std::env::var("MCTEAMS_INSTANCE_ID")
            .ok()
            .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_graphic()))
            .unwrap_or_else(|| {
                let host = gethostname::gethostname().to_string_lossy().into_owned();
                format!("{host}:{}", std::process::id())
            });
        format!("{USER_AGENT} (instance {instance})")
    });
    &AGENT
}

/// Headers that carry a request or correlation id, in the order they are preferred.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "request-id",
    "x-ms-request-id",
    "x-mitel-correlation-id",
    "client-request-id",
];

/// How to reach one system.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub system: System,
    pub connect_timeout: Duration,
    /// The whole exchange of one attempt, answer body included.
    pub request_timeout: Duration,
    /// PEM bundle of extra trusted CAs (private CAs of on-premises servers), added to the
    /// OS trust store. There is deliberately no way to turn verification off.
    pub ca_file: Option<PathBuf>,
    /// Requests in flight at once.
    pub max_concurrency: usize,
    /// The service's request limit, when it has one mcteams must stay under.
    pub rate: Option<RateBudget>,
    pub retry: RetryPolicy,
}

impl HttpSettings {
    pub fn new(system: System) -> HttpSettings {
        HttpSettings {
            system,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            ca_file: None,
            max_concurrency: 8,
            rate: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// A successful (or accepted) answer, body read in full.
#[derive(Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub request_id: Option<String>,
    /// An earlier attempt of the call got no usable answer after it was sent: what it
    /// asked may have been done before this answer (a `$batch`'s writes, say).
    pub sent_before: bool,
}

// Bodies stay out of `Debug`: a token request's body holds the client secret, a token
// answer's body the access token.

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body_bytes", &self.body.len())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// A server's clock as its `Date` header told it, and ours at that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReading {
    pub server: std::time::SystemTime,
    pub local: std::time::SystemTime,
}

impl ClockReading {
    /// Server minus local, in seconds (positive: the server is ahead).
    pub fn skew_seconds(&self) -> f64 {
        match self.server.duration_since(self.local) {
            Ok(ahead) => ahead.as_secs_f64(),
            Err(behind) => -behind.duration().as_secs_f64(),
        }
    }

    pub fn from_response(response: &Response) -> Option<ClockReading> {
        Self::from_headers(&response.headers)
    }

    pub fn from_headers(headers: &HeaderMap) -> Option<ClockReading> {
        let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
        let server = httpdate::parse_http_date(text).ok()?;
        Some(ClockReading {
            server,
            local: std::time::SystemTime::now(),
        })
    }
}

/// Counters of one client, for tests, metrics and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HttpStats {
    /// Attempts sent (every retry included).
    pub attempts: u64,
    /// Requests as the service's limit counts them: attempts, with a batch counted as the
    /// requests inside it (its rate-limit cost).
    pub counted: u64,
    pub retries: u64,
    /// Throttling answers received ([`is_throttling`]), `$batch` inner ones included.
    pub throttled: u64,
    /// Time spent waiting between attempts, summed over all requests.
    pub waited: Duration,
}

#[derive(Debug, Default)]
struct Counters {
    attempts: AtomicU64,
    counted: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
    waited_ms: AtomicU64,
}

#[derive(Debug)]
struct Inner {
    system: System,
    client: reqwest::Client,
    // A lock, not a plain value: a service changes its patience once it knows it is one.
    retry: std::sync::Mutex<RetryPolicy>,
    /// Reads marked [`Call::yielding`] give way to writes (a service; a one-shot run reads
    /// with the whole budget).
    reads_yield: std::sync::atomic::AtomicBool,
    permits: Semaphore,
    limiter: Option<RateLimit>,
    tokens: Option<Arc<TokenCache>>,
    // After a 429 with Retry-After every request to the system waits, not only the one
    // that got it: the limit is per app, so the others would be throttled too.
    paused_until: std::sync::Mutex<Option<Instant>>,
    counters: Counters,
    /// The server's clock at its latest answer (its `Date` header).
    clock: std::sync::Mutex<Option<ClockReading>>,
}

/// One system's HTTP client; cheap to clone, one per system per run.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

/// What one attempt ended with, when it did not end the request.
struct Failed {
    error: HttpError,
    retry_after: Option<Duration>,
    /// The service may have applied the request (so only a [`Replay::Safe`] one is retried).
    maybe_applied: bool,
    /// Worth another attempt at all.
    retryable: bool,
}

/// Runs `work` as a task of its own on the runtime and waits for it; `None` when the
/// runtime cancelled it (it is shutting down). Dropping the wait aborts the task.
pub async fn on_worker<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> Option<T> {
    struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);
    impl<T> Drop for AbortOnDrop<T> {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let mut task = AbortOnDrop(tokio::spawn(work));
    match (&mut task.0).await {
        Ok(value) => Some(value),
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => None,
        },
    }
}

/// What a request cancelled by the runtime's shutdown ends with.
pub fn cancelled() -> HttpErrorKind {
    HttpErrorKind::Transport {
        message: "cancelled: the program is shutting down".to_string(),
        sent: true,
    }
}

/// The operating system's trusted CAs, read once per process: a run builds a client and a
/// token client per system, and reading the OS store (hundreds of files under
/// `/etc/ssl/certs`) for each of them was a fifth of a sync's start-up. A certificate that
/// does not parse is left out, as reqwest's own loading does.
fn os_trust_store() -> &'static [reqwest::Certificate] {
    static STORE: std::sync::OnceLock<Vec<reqwest::Certificate>> = std::sync::OnceLock::new();
    STORE.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            tracing::debug!(%error, "an OS trust store entry could not be read");
        }
        loaded
            .certs
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok())
            .collect()
    })
}

impl HttpClient {
    /// Builds the client. Every failure here is a configuration problem (an unreadable or
    /// invalid `ca_file`).
    pub fn new(settings: HttpSettings) -> Result<HttpClient, ConfigError> {
        Self::build(settings, None)
    }

    /// A client whose authorized calls carry a bearer token from `tokens`.
    pub fn with_tokens(
        settings: HttpSettings,
        tokens: Arc<TokenCache>,
    ) -> Result<HttpClient, ConfigError> {
        Self::build(settings, Some(tokens))
    }

    fn build(
        settings: HttpSettings,
        tokens: Option<Arc<TokenCache>>,
    ) -> Result<HttpClient, ConfigError> {
        let mut builder = reqwest::Client::builder()
            .tls_built_in_root_certs(false)
            .user_agent(user_agent())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                if attempt.previous().len() >= 5 {
                    attempt.error("too many redirects")
                } else if let Err(why) = check_url(attempt.url()) {
                    attempt.error(why)
                } else {
                    attempt.follow()
                }
            }));
        for certificate in os_trust_store() {
            builder = builder.add_root_certificate(certificate.clone());
        }
        if let Some(path) = &settings.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                ConfigError::new(format!(
                    "{}.ca_file: cannot read {}: {e}",
                    settings.system,
                    path.display()
                ))
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                ConfigError::new(format!(
                    "{}.ca_file: {} is not a PEM certificate bundle: {e}",
                    settings.system,
                    path.display()
                ))
            })?;
            if certificates.is_empty() {
                return Err(ConfigError::new(format!(
                    "{}.ca_file: {} holds no certificate",
                    settings.system,
                    path.display()
                )));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder.build().map_err(|e| {
            ConfigError::new(format!(
                "{}: cannot set up the HTTP client: {}",
                settings.system,
                error_chain(&e)
            ))
        })?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                system: settings.system,
                client,
                retry: std::sync::Mutex::new(settings.retry),
                reads_yield: std::sync::atomic::AtomicBool::new(false),
                permits: Semaphore::new(settings.max_concurrency.max(1)),
                limiter: settings.rate.map(RateLimit::new),
                tokens,
                paused_until: std::sync::Mutex::new(None),
                counters: Counters::default(),
                clock: std::sync::Mutex::new(None),
            }),
        })
    }

    pub fn system(&self) -> System {
        self.inner.system
    }

    /// Changes how patient this client is from the next request on (`sync --watch` fails
    /// fast and retries each system on its own schedule).
    pub fn set_retry_policy(&self, policy: RetryPolicy) {
        *self.inner.retry.lock().unwrap_or_else(|p| p.into_inner()) = policy;
    }

    /// Makes the reads marked [`Call::yielding`] give way to the other requests in the rate
    /// budget from now on (`sync --watch`: the phone's writes come first).
    pub fn set_reads_yield(&self, yields: bool) {
        self.inner
            .reads_yield
            .store(yields, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn reads_yield(&self) -> bool {
        self.inner
            .reads_yield
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        *self.inner.retry.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Gets an access token now, if this client uses them, so the first requests need not
    /// wait for one. A failure is left for those requests to meet and report.
    pub async fn warm_up(&self) {
        if let Some(tokens) = &self.inner.tokens {
            let _ = tokens.get().await;
        }
    }

    pub fn tokens(&self) -> Option<&Arc<TokenCache>> {
        self.inner.tokens.as_ref()
    }

    /// The server's clock at its latest answer, if it sent a `Date` header.
    pub fn clock(&self) -> Option<ClockReading> {
        *self.inner.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How far ahead of now this client has taken its rate limit ([`RateLimit::ahead`]).
    pub fn rate_limit_ahead(&self) -> Duration {
        self.inner
            .limiter
            .as_ref()
            .map(RateLimit::ahead)
            .unwrap_or_default()
    }

    /// Starts the rate limit where an earlier run left it ([`RateLimit::carry_over`]).
    pub fn carry_over_rate_limit(&self, ahead: Duration) {
        if let Some(limiter) = &self.inner.limiter {
            limiter.carry_over(ahead);
        }
    }

    /// Counts one throttling answer that did not come through [`HttpClient::send`]'s own
    /// status check: an inner answer of a `$batch`, throttled on its own.
    pub fn count_throttled(&self) {
        self.inner
            .counters
            .throttled
            .fetch_add(1, Ordering::Relaxed);
    }

    pub fn stats(&self) -> HttpStats {
        let c = &self.inner.counters;
        HttpStats {
            attempts: c.attempts.load(Ordering::Relaxed),
            counted: c.counted.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            waited: Duration::from_millis(c.waited_ms.load(Ordering::Relaxed)),
        }
    }

    /// An error about `call`, for callers that find a problem in an answer.
    pub fn error(&self, call: &Call, kind: HttpErrorKind) -> HttpError {
        HttpError::new(
            self.inner.system,
            call.method.as_str(),
            call.url.path(),
            kind,
        )
    }

    /// Sends `call` and decodes the JSON answer.
    pub async fn send_json<T: DeserializeOwned>(&self, call: &Call) -> Result<T, HttpError> {
        let response = self.send(call).await?;
        self.decode(call, &response)
    }

    /// [`send_json`](Self::send_json) as a task of its own, for bulk reads: the answer is
    /// decoded on whichever worker thread received it, not on the task that asked (a sync
    /// cycle, busy reconciling the slice before).
    pub async fn send_json_on_worker<T: DeserializeOwned + Send + 'static>(
        &self,
        call: Call,
    ) -> Result<T, HttpError> {
        let cancelled = self.error(&call, cancelled());
        let client = self.clone();
        on_worker(async move { client.send_json(&call).await })
            .await
            .unwrap_or(Err(cancelled))
    }

    /// Decodes a JSON answer; a malformed one is an error naming the URL path.
    pub fn decode<T: DeserializeOwned>(
        &self,
        call: &Call,
        response: &Response,
    ) -> Result<T, HttpError> {
        let malformed = |detail: String| {
            let mut error = self.error(call, HttpErrorKind::Decode(detail));
            error.status = Some(response.status);
            error.request_id = response.request_id.clone();
            error
        };
        // The body is checked as UTF-8 once, so the parser need not check every string.
        let text = std::str::from_utf8(&response.body).map_err(|e| {
            malformed(format!(
                "malformed JSON: not UTF-8 at byte {}",
                e.valid_up_to()
            ))
        })?;
        serde_json::from_str(text).map_err(|e| {
            malformed(if call.secret_answer {
                // serde quotes offending values, and this answer holds a token.
                format!("malformed JSON at line {} column {}", e.line(), e.column())
            } else {
                format!("malformed JSON: {}", error::shorten(&e.to_string(), 160))
            })
        })
    }
}

/// Refuses what the design forbids: plain http to anything but loopback, other schemes,
/// credentials in the URL.
pub fn check_url(url: &url::Url) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials in a URL".to_string());
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "plain http:// to {} (only loopback may be plain http)",
            url.host_str().unwrap_or("?")
        )),
        other => Err(format!("unsupported scheme {other}://")),
    }
}

/// True when `link` points at the same scheme, host and port as `base`: a paging link that
/// leads elsewhere would receive the bearer token, so it is never followed.
pub fn same_origin(base: &url::Url, link: &url::Url) -> bool {
    base.scheme() == link.scheme()
        && base.host_str() == link.host_str()
        && base.port_or_known_default() == link.port_or_known_default()
}

#[cfg(test)]
mod tests;
