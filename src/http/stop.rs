//! A graceful stop: once asked, no client starts a request or a retry, while the requests
//! already on the wire finish. A signal stops the whole process, so the switch is the
//! process's, not a client's: every client built by the run obeys it.

use std::sync::LazyLock;

use tokio_util::sync::CancellationToken;

static STOP: LazyLock<CancellationToken> = LazyLock::new(CancellationToken::new);

/// From now on, no request and no retry is started (those on the wire finish).
pub fn stop_sending() {
    STOP.cancel();
}

/// Whether [`stop_sending`] was called.
pub fn stopping() -> bool {
    STOP.is_cancelled()
}

/// Completes once [`stop_sending`] is called (at once if it was).
pub async fn stopped() {
    STOP.cancelled().await;
}

/// Waits for `work` unless the stop comes first (`None`): for the waits before a request
/// (a rate limit, a `Retry-After`, a backoff), which must not outlast a stop.
pub async fn unless_stopped<F: std::future::Future>(work: F) -> Option<F::Output> {
    tokio::select! {
        biased;
        _ = stopped() => None,
        out = work => Some(out),
    }
}
