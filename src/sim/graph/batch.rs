//! `POST /$batch`: up to 20 requests, each routed through Graph's own route table, answered
//! (and throttled) on its own, `dependsOn` honoured.

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::sim::System;
use crate::sim::routes::Call;
use crate::sim::server::{Reply, Req};
use crate::wire::graph::{BatchRequest, BatchRequestItem, MAX_BATCH_REQUESTS};

use super::{Caller, Needs, ROUTES, answer, error, unknown_segment};

type Extra<'a> = &'a [(&'static str, String)];

#[derive(Deserialize)]
struct BatchEnvelope {
    requests: Option<Vec<Value>>,
}

fn bad_batch(message: &str, extra: Extra) -> Reply {
    error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!("Invalid batch payload format: {message}"),
        extra,
    )
}

/// The batch's requests, or Graph's 400 for a malformed batch.
fn read_batch(req: &Req, extra: Extra) -> Result<BatchRequest, Reply> {
    let envelope: BatchEnvelope = req
        .json()
        .map_err(|message| error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra))?;
    let Some(raw) = envelope.requests else {
        return Err(bad_batch("'requests' is missing.", extra));
    };
    if raw.is_empty() || raw.len() > MAX_BATCH_REQUESTS {
        return Err(bad_batch(
            &format!(
                "a batch holds 1 to {MAX_BATCH_REQUESTS} requests, not {}.",
                raw.len()
            ),
            extra,
        ));
    }
    let parsed: BatchRequest = serde_json::from_value(json!({"requests": raw}))
        .map_err(|e| bad_batch(&e.to_string(), extra))?;
    let mut seen = HashSet::new();
    if let Some(twice) = parsed.requests.iter().find(|item| !seen.insert(&item.id)) {
        return Err(bad_batch(
            &format!("the request id '{}' is used twice.", twice.id),
            extra,
        ));
    }
    Ok(parsed)
}

/// `POST /$batch`: each item answered in order; an item whose dependency failed is 424.
pub(super) fn batch(call: &mut Call, caller: &Caller) -> Reply {
    let parsed = match read_batch(call.req, call.extra) {
        Ok(parsed) => parsed,
        Err(reply) => return reply,
    };
    let mut statuses: HashMap<&str, u16> = HashMap::new();
    let mut responses = Vec::with_capacity(parsed.requests.len());
    for item in &parsed.requests {
        let failed_dependency = item.depends_on.iter().any(|d| {
            statuses
                .get(d.as_str())
                .is_none_or(|s| !(200..300).contains(s))
        });
        let reply = if failed_dependency {
            error(
                StatusCode::FAILED_DEPENDENCY,
                "FailedDependency",
                "A request this one depends on failed.",
                call.extra,
            )
        } else {
            batch_item(call, caller, item)
        };
        statuses.insert(&item.id, reply.status.as_u16());
        responses.push(item_response(&item.id, reply));
    }
    Reply::ok(json!({"responses": responses}))
}

/// One item's answer as the batch response carries it.
fn item_response(id: &str, reply: Reply) -> Value {
    let mut headers = serde_json::Map::new();
    if !reply.body.is_empty() {
        headers.insert(
            "Content-Type".into(),
            json!("application/json; charset=utf-8"),
        );
    }
    for (name, value) in &reply.headers {
        let shown = if name.eq_ignore_ascii_case("retry-after") {
            "Retry-After"
        } else {
            name
        };
        headers.insert(shown.to_string(), json!(value));
    }
    let mut response = json!({"id": id, "status": reply.status.as_u16(), "headers": headers});
    if let Some(body) = reply.body.into_value() {
        response["body"] = body;
    }
    response
}

/// An item as a request of its own: its URL made relative to `/v1.0`, its body JSON.
fn item_request(outer: &Req, item: &BatchRequestItem, extra: Extra) -> Result<Req, Reply> {
    let url = item.url.trim();
    let relative = url
        .strip_prefix("https://graph.microsoft.com/v1.0")
        .or_else(|| url.strip_prefix(&format!("{}/graph/v1.0", outer.origin)))
        .unwrap_or(url);
    let relative = if relative.starts_with('/') {
        relative.to_string()
    } else {
        format!("/{relative}")
    };
    let (path, query) = match relative.split_once('?') {
        Some((p, q)) => (
            p.to_string(),
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect(),
        ),
        None => (relative.clone(), Vec::new()),
    };
    let body = match &item.body {
        Some(value) => axum::body::Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        None => axum::body::Bytes::new(),
    };
    let json_body = item
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("json"));
    if !body.is_empty() && !json_body {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Content-Type header must be specified for a request with a body.",
            extra,
        ));
    }
    Ok(Req {
        method: item.method.to_ascii_uppercase(),
        path,
        query,
        headers: item
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        body,
        origin: outer.origin.clone(),
    })
}

fn batch_item(call: &mut Call, caller: &Caller, item: &BatchRequestItem) -> Reply {
    let extra = call.extra;
    let req = match item_request(call.req, item, extra) {
        Ok(req) => req,
        Err(reply) => return reply,
    };
    let Some(matched) = ROUTES.find(&req.method, &req.path) else {
        return unknown_segment(&req.path, extra);
    };
    if matches!(matched.handler.needs, Needs::Anyone | Needs::Batch) {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "A batch request cannot contain this request.",
            extra,
        );
    }
    let state = &mut *call.state;
    let storm = state.faults.get(&System::Graph).and_then(|fault| {
        crate::sim::server::storm_reply(state.world.now_ms(), System::Graph, fault, extra)
    });
    let reply = match storm {
        Some(reply) => reply,
        None => {
            let mut item_call = Call::new(call.sim, &mut *call.state, &req, matched.params, extra);
            answer(&mut item_call, caller, matched.handler)
        }
    };
    call.state
        .stats
        .record(System::Graph, matched.template, reply.status.as_u16());
    reply
}
