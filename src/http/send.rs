//! Sending a call: the retry loop (attempts, `Retry-After`, the budget, a token refreshed
//! once after a 401, the stop switch), one attempt on the wire, and what a failed attempt
//! means (retryable, maybe applied).

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use tokio::time::Instant;

use super::{
    Call, ClockReading, Failed, HttpClient, HttpError, HttpErrorKind, Lease, REQUEST_ID_HEADERS,
    Replay, Response, Retries, ServiceErrorDetails, System, check_url, parse_retry_after, stop,
};

impl HttpClient {
    /// Sends `call`, retrying as its [`Replay`] and the system's [`RetryPolicy`] allow. A
    /// failure says whether any attempt may have been applied, not only the last.
    pub async fn send(&self, call: &Call) -> Result<Response, HttpError> {
        let mut sent_before = false;
        let started = Instant::now();
        let outcome = match self.send_attempts(call, &mut sent_before).await {
            Ok(mut response) => {
                response.sent_before = sent_before;
                Ok(response)
            }
            Err(mut error) => {
                error.sent_before |= sent_before;
                Err(error)
            }
        };
        self.log_call(call, &outcome, started.elapsed());
        outcome
    }

    /// `-v`: one line per call (a batch of reads or writes is one call), with its outcome.
    fn log_call(&self, call: &Call, outcome: &Result<Response, HttpError>, took: Duration) {
        let system = &self.inner.system;
        let ms = took.as_millis() as u64;
        let (method, path) = (&call.method, call.url.path());
        match outcome {
            Ok(r) => tracing::info!(%system, %method, path, status = r.status, ms, "call"),
            Err(e) => {
                tracing::info!(%system, %method, path, status = e.status, ms, error = %e.kind, "call failed")
            }
        }
    }

    async fn send_attempts(
        &self,
        call: &Call,
        sent_before: &mut bool,
    ) -> Result<Response, HttpError> {
        let inner = &*self.inner;
        if let Err(why) = check_url(&call.url) {
            return Err(self.error(call, HttpErrorKind::InsecureUrl(why)));
        }
        if let Some(why) = &call.encode_error {
            return Err(self.error(call, HttpErrorKind::Local(why.clone())));
        }
        let mut retries = Retries::new(self.retry_policy());
        let mut refreshed_after_401 = false;
        loop {
            retries.attempt();
            let lease = self.ready_to_send(call).await?;
            let failed = match self.one_attempt(call, lease.as_ref()).await? {
                Ok(response)
                    if (200..300).contains(&response.status)
                        || call.accept.contains(&response.status) =>
                {
                    return Ok(response);
                }
                Ok(response) if response.status == 401 && !refreshed_after_401 => {
                    if let (Some(tokens), Some(lease)) = (&inner.tokens, &lease) {
                        // The token expired early or was revoked: one fresh token, one retry.
                        refreshed_after_401 = true;
                        tokens.invalidate(lease.generation).await;
                        tracing::info!(system = %inner.system, path = call.url.path(), "token rejected (401): refreshing it once");
                        retries.uncount();
                        continue;
                    }
                    self.status_failure(call, response)
                }
                Ok(response) => self.status_failure(call, response),
                Err(failed) => failed,
            };
            let safe = call.replay == Replay::Safe || !failed.maybe_applied;
            if !failed.retryable || !safe {
                return Err(failed.error);
            }
            *sent_before |= failed.maybe_applied;
            let Some(delay) = retries.next_delay(failed.retry_after) else {
                return Err(gave_up(failed.error, &retries));
            };
            if !self.back_off(call, &failed, delay, &mut retries).await {
                return Err(self.error(call, HttpErrorKind::Stopped));
            }
        }
    }

    /// Waits for the attempt's turn (a pause after `Retry-After`, the rate limit) and takes
    /// a token; a stop while waiting means it is not sent.
    async fn ready_to_send(&self, call: &Call) -> Result<Option<Lease>, HttpError> {
        let inner = &*self.inner;
        let ready = stop::unless_stopped(async {
            self.wait_while_paused().await;
            if call.cost > 0
                && let Some(limiter) = &inner.limiter
            {
                if call.yields && self.reads_yield() {
                    limiter.acquire_yielding(call.cost).await;
                } else {
                    limiter.acquire(call.cost).await;
                }
            }
        })
        .await;
        if ready.is_none() {
            return Err(self.error(call, HttpErrorKind::Stopped));
        }
        match (&inner.tokens, call.authorized) {
            (Some(tokens), true) => tokens.get().await.map(Some).map_err(|mut e| {
                e.not_sent = true;
                e
            }),
            _ => Ok(None),
        }
    }

    /// One attempt on the wire, within the system's concurrency, counted.
    async fn one_attempt(
        &self,
        call: &Call,
        lease: Option<&Lease>,
    ) -> Result<Result<Response, Failed>, HttpError> {
        let inner = &*self.inner;
        // Held for the attempt only, never across a backoff sleep.
        let _permit = inner.permits.acquire().await;
        // A stop that came while this request waited for its turn: it is not sent.
        if stop::stopping() {
            return Err(self.error(call, HttpErrorKind::Stopped));
        }
        inner.counters.attempts.fetch_add(1, Ordering::Relaxed);
        inner
            .counters
            .counted
            .fetch_add(u64::from(call.cost.max(1)), Ordering::Relaxed);
        Ok(self.attempt(call, lease).await)
    }

    /// Before the next attempt: every request of the system pauses on a `Retry-After`, the
    /// retry is logged and counted, then waited for; `false` when a stop came meanwhile.
    async fn back_off(
        &self,
        call: &Call,
        failed: &Failed,
        delay: Duration,
        retries: &mut Retries,
    ) -> bool {
        let inner = &*self.inner;
        if failed.retry_after.is_some() {
            self.pause_all(delay);
        }
        tracing::warn!(
            system = %inner.system,
            method = %call.method,
            path = call.url.path(),
            status = failed.error.status,
            request_id = failed.error.request_id.as_deref(),
            attempt = retries.attempts(),
            delay_ms = delay.as_millis() as u64,
            "retrying: {}",
            failed.error.kind
        );
        inner.counters.retries.fetch_add(1, Ordering::Relaxed);
        inner
            .counters
            .waited_ms
            .fetch_add(delay.as_millis() as u64, Ordering::Relaxed);
        retries.wait(delay).await
    }

    async fn wait_while_paused(&self) {
        let until = *self
            .inner
            .paused_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(until) = until
            && until > Instant::now()
        {
            tokio::time::sleep_until(until).await;
        }
    }

    fn pause_all(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut slot = self
            .inner
            .paused_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if slot.is_none_or(|current| current < until) {
            *slot = Some(until);
        }
    }

    async fn attempt(&self, call: &Call, lease: Option<&Lease>) -> Result<Response, Failed> {
        let mut request = self
            .inner
            .client
            .request(call.method.clone(), call.url.clone());
        for (name, value) in &call.headers {
            request = request.header(*name, value);
        }
        if let Some(lease) = lease {
            request = request.bearer_auth(lease.token.expose());
        }
        if let Some(body) = &call.body {
            request = request.body(body.clone());
        }
        if let Some(content_type) = call.content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_failure(call, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(reading) = ClockReading::from_headers(&headers) {
            *self.inner.clock.lock().unwrap_or_else(|p| p.into_inner()) = Some(reading);
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_failure(call, e))?;
        Ok(Response {
            status,
            request_id: request_id(&headers),
            headers,
            body,
            sent_before: false,
        })
    }

    fn transport_failure(&self, call: &Call, e: reqwest::Error) -> Failed {
        let (kind, maybe_applied, retryable) = if e.is_redirect() {
            (HttpErrorKind::InsecureUrl(error_chain(&e)), false, false)
        } else if e.is_connect() {
            // No connection, so nothing was sent: safe to retry any request, unless the
            // server's certificate was refused, which no retry changes.
            let message = error_chain(&e);
            if message.contains("certificate") {
                return Failed {
                    error: self.error(call, HttpErrorKind::Tls(message)),
                    retry_after: None,
                    maybe_applied: false,
                    retryable: false,
                };
            }
            (
                HttpErrorKind::Transport {
                    message,
                    sent: false,
                },
                false,
                true,
            )
        } else if e.is_timeout() {
            (HttpErrorKind::Timeout, true, true)
        } else {
            (
                HttpErrorKind::Transport {
                    message: error_chain(&e),
                    sent: true,
                },
                true,
                true,
            )
        };
        Failed {
            error: self.error(call, kind),
            retry_after: None,
            maybe_applied,
            retryable,
        }
    }

    fn status_failure(&self, call: &Call, response: Response) -> Failed {
        let status = response.status;
        let details = ServiceErrorDetails::from_body(&response.body);
        let retry_after = response
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let throttled = matches!(status, 429 | 502 | 503 | 504);
        if is_throttling(status, retry_after.is_some()) {
            self.count_throttled();
        }
        let kind = if throttled {
            HttpErrorKind::Throttled { retry_after }
        } else if self.inner.system == System::EntraId
            && matches!(status, 400 | 401)
            && details.code.as_deref().is_some_and(is_credential_rejection)
        {
            HttpErrorKind::CredentialRejected
        } else {
            HttpErrorKind::Status
        };
        let mut error = self.error(call, kind);
        error.status = Some(status);
        error.code = details.code;
        error.message = details.message;
        error.request_id = details.request_id.or(response.request_id);
        Failed {
            error,
            retry_after,
            // 429 and 503 are refusals before processing; a gateway's 502/504 may come
            // after the service applied the request.
            maybe_applied: matches!(status, 502 | 504),
            retryable: throttled,
        }
    }
}

/// Whether an answer is the service throttling its caller: every 429, and a 503 that says
/// when to come back (a 503 without `Retry-After` is an outage, not a limit).
pub fn is_throttling(status: u16, has_retry_after: bool) -> bool {
    status == 429 || (status == 503 && has_retry_after)
}

/// The identity platform's codes for a credential that cannot work as configured.
fn is_credential_rejection(code: &str) -> bool {
    matches!(
        code,
        "invalid_client" | "unauthorized_client" | "invalid_grant" | "invalid_scope"
    )
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS.iter().find_map(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })
}

/// A reqwest error and its causes on one line, without the URL (its query may hold data
/// that does not belong in a log).
pub(super) fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        let text = err.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    let line = parts.join(": ");
    // reqwest appends " for url (…)" to its own message; drop it.
    match line.find(" for url (") {
        Some(at) => {
            let end = line[at..].find(')').map_or(line.len(), |i| at + i + 1);
            format!("{}{}", &line[..at], &line[end..])
        }
        None => line,
    }
}

/// The error of the last attempt, as the retries' end: how many attempts, how long waited.
fn gave_up(mut error: HttpError, retries: &Retries) -> HttpError {
    let last = std::mem::replace(&mut error.kind, HttpErrorKind::Timeout);
    error.kind = HttpErrorKind::GaveUp {
        attempts: retries.attempts(),
        waited: retries.waited(),
        last: Box::new(last),
    };
    error
}
