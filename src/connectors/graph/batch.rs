//! Graph's `$batch`: up to 20 requests in one, each answered on its own, the ones answered
//! 429/503/504 sent again within the retry policy.
//!
//! What a write came to is kept per request: an outer `$batch` that fails fails only the
//! requests it carried in that round, and a request that once got a gateway's timeout or no
//! answer of its own may have been applied, whatever a later round says (the journal keeps
//! such a write open, to be settled instead of assumed).

use std::collections::HashMap;
use std::time::Duration;

use futures_util::future::join_all;

use super::GraphClient;
use crate::http::{
    Call, HttpError, HttpErrorKind, Retries, ServiceErrorDetails, System, parse_retry_after,
};
use crate::wire::graph::{
    BatchRequest, BatchRequestItem, BatchResponse, BatchResponseItem, MAX_BATCH_REQUESTS,
};

/// `Retry-After`, `retry-after`: `$batch` answers keep the header's case as the service sent it.
fn inner_header<'a>(answer: &'a BatchResponseItem, name: &str) -> Option<&'a str> {
    answer
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Statuses of an inner `$batch` answer worth another round (not applied, or idempotent).
fn inner_retryable(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// The status a `$batch` answer is given when it left an inner request unanswered.
const NO_INNER_ANSWER: u16 = 0;

/// Inner answers after which the request may have been applied: a gateway's, or none.
fn maybe_applied(status: u16) -> bool {
    matches!(status, 502 | 504 | NO_INNER_ANSWER)
}

fn unanswered(index: usize) -> BatchResponseItem {
    BatchResponseItem {
        id: index.to_string(),
        status: NO_INNER_ANSWER,
        headers: Default::default(),
        body: None,
    }
}

/// What one batched request came to.
pub(super) struct Batched {
    /// Its last inner answer, or the error of the outer request that carried it last.
    pub answer: Result<BatchResponseItem, HttpError>,
    /// Some round's answer left it possibly applied (a 502/504, or no answer of its own).
    pub sent_before: bool,
}

impl Batched {
    /// The request's result, `done` telling which inner answers are a success.
    pub fn result(
        self,
        client: &GraphClient,
        item: &BatchRequestItem,
        done: impl Fn(&BatchResponseItem) -> bool,
    ) -> Result<BatchResponseItem, HttpError> {
        let answer = self.answer.and_then(|answer| {
            if done(&answer) {
                Ok(answer)
            } else {
                Err(client.inner_failure(item, &answer))
            }
        });
        answer.map_err(|mut error| {
            error.sent_before |= self.sent_before;
            error
        })
    }
}

impl GraphClient {
    /// The error of an inner `$batch` request, named by its own method and path.
    pub(super) fn inner_failure(
        &self,
        item: &BatchRequestItem,
        answer: &BatchResponseItem,
    ) -> HttpError {
        let path = format!(
            "{}{}",
            self.base_url.path().trim_end_matches('/'),
            item.url.split('?').next().unwrap_or_default()
        );
        let (kind, details) = if answer.status == NO_INNER_ANSWER {
            (
                HttpErrorKind::Decode(format!(
                    "the $batch answer has no response with id {}",
                    item.id
                )),
                ServiceErrorDetails::default(),
            )
        } else {
            let body = answer
                .body
                .as_ref()
                .and_then(|b| serde_json::to_vec(b).ok())
                .unwrap_or_default();
            let kind = if inner_retryable(answer.status) {
                HttpErrorKind::Throttled {
                    retry_after: inner_header(answer, "retry-after")
                        .and_then(|v| parse_retry_after(v, std::time::SystemTime::now())),
                }
            } else {
                HttpErrorKind::Status
            };
            (kind, ServiceErrorDetails::from_body(&body))
        };
        let mut error = HttpError::new(System::Graph, &item.method, &path, kind);
        if answer.status != NO_INNER_ANSWER {
            error.status = Some(answer.status);
        }
        error.sent_before = maybe_applied(answer.status);
        error.code = details.code;
        error.message = details.message;
        error.request_id = details
            .request_id
            .or_else(|| inner_header(answer, "request-id").map(str::to_string));
        error
    }

    /// Sends `items` in `$batch` requests of 20, concurrently, and retries the inner requests
    /// answered 429/503/504 (after the longest inner `Retry-After`, else a backoff) within the
    /// retry policy. Returns what each item came to, in order (see [`Batched`]).
    ///
    /// Every inner request mcteams batches is safe to repeat (reads, and presence writes that
    /// set a state), so whole `$batch` requests are retried as idempotent too.
    pub(super) async fn run_batch(
        &self,
        items: &[BatchRequestItem],
        cost_each: u32,
    ) -> Result<Vec<Batched>, HttpError> {
        let mut retries = Retries::new(self.api.retry_policy());
        let url = self.endpoint("/$batch")?;
        let mut outcomes = Outcomes {
            finals: vec![None; items.len()],
            sent_before: vec![false; items.len()],
        };
        let mut pending: Vec<usize> = (0..items.len()).collect();
        while !pending.is_empty() {
            retries.attempt();
            let calls = self.batch_calls(&url, items, &pending, cost_each);
            let answers = join_all(calls.iter().map(|(_, call)| async move {
                let response = self.api.send(call).await?;
                let answer: BatchResponse = self.api.decode(call, &response)?;
                Ok::<_, HttpError>((answer, response.sent_before))
            }))
            .await;
            let mut round = Round::default();
            for ((indices, _), answer) in calls.iter().zip(answers) {
                outcomes.record(indices, answer, &mut round);
            }
            for _ in 0..round.throttled {
                self.api.count_throttled();
            }
            if round.again.is_empty() {
                break;
            }
            let Some(delay) = retries.next_delay(round.hint) else {
                break;
            };
            tracing::warn!(
                requests = round.again.len(),
                round = retries.attempts(),
                delay_ms = delay.as_millis() as u64,
                "graph $batch: retrying inner requests answered 429/503/504"
            );
            // Stopping: the answers so far stand; the rest were not sent again.
            if !retries.wait(delay).await {
                break;
            }
            pending = round.again;
        }
        Ok(outcomes.into_batched())
    }

    /// The `$batch` requests of one round: the pending items, 20 to a request, each item
    /// numbered by its index so its answer can be found.
    fn batch_calls(
        &self,
        url: &url::Url,
        items: &[BatchRequestItem],
        pending: &[usize],
        cost_each: u32,
    ) -> Vec<(Vec<usize>, Call)> {
        pending
            .chunks(MAX_BATCH_REQUESTS)
            .map(|chunk| {
                let requests = chunk
                    .iter()
                    .map(|&i| BatchRequestItem {
                        id: i.to_string(),
                        ..items[i].clone()
                    })
                    .collect();
                let call = Call::post(url.clone())
                    .json(&BatchRequest { requests })
                    .idempotent()
                    .cost(cost_each * chunk.len() as u32);
                (chunk.to_vec(), call)
            })
            .collect()
    }
}

/// What each item of a batch came to so far, and whether any attempt may have applied it.
struct Outcomes {
    finals: Vec<Option<Result<BatchResponseItem, HttpError>>>,
    sent_before: Vec<bool>,
}

/// One round's items to send again, the longest inner `Retry-After`, the throttled count.
#[derive(Default)]
struct Round {
    again: Vec<usize>,
    hint: Option<Duration>,
    throttled: usize,
}

impl Outcomes {
    /// The answer of one `$batch` request for its items (by index).
    fn record(
        &mut self,
        indices: &[usize],
        answer: Result<(BatchResponse, bool), HttpError>,
        round: &mut Round,
    ) {
        let answer = match answer {
            // A retried `$batch`: its first attempt may have done its writes.
            Ok((answer, sent_before_this)) => {
                for &i in indices {
                    self.sent_before[i] |= sent_before_this;
                }
                answer
            }
            Err(error) => {
                for &i in indices {
                    self.finals[i] = Some(Err(error.clone()));
                }
                return;
            }
        };
        let mut by_id: HashMap<String, BatchResponseItem> = answer
            .responses
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        for &i in indices {
            let answer = by_id
                .remove(&i.to_string())
                .unwrap_or_else(|| unanswered(i));
            self.sent_before[i] |= maybe_applied(answer.status);
            if inner_retryable(answer.status) || answer.status == NO_INNER_ANSWER {
                let after = inner_header(&answer, "retry-after")
                    .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
                if crate::http::is_throttling(answer.status, after.is_some()) {
                    round.throttled += 1;
                }
                round.hint = round.hint.max(after);
                round.again.push(i);
            }
            self.finals[i] = Some(Ok(answer));
        }
    }

    fn into_batched(self) -> Vec<Batched> {
        self.finals
            .into_iter()
            .zip(self.sent_before)
            .enumerate()
            .map(|(i, (answer, sent_before))| Batched {
                answer: answer.unwrap_or_else(|| Ok(unanswered(i))),
                sent_before,
            })
            .collect()
    }
}
