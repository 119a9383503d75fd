//! The HTTP side: one axum fallback handler that picks the system by path prefix, applies
//! the faults asked for, dispatches to the system's module, counts the answer and adds the
//! system's headers (`request-id` for Graph, `x-mitel-correlation-id` for Mitel systems).
//!
//! Routing is by each system's route table ([`super::routes`]) rather than axum routes, so
//! that the same table routes Graph's `$batch` items and the stats can name the endpoint
//! before a fault decides the answer.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use rand::RngExt;
use serde_json::{Value, json};

use super::Sim;
pub use super::stats::Stats;

/// The four emulated systems (plus the control API, which is never faulted or counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum System {
    Graph,
    Micollab,
    Pbx,
    Cloudlink,
}

impl System {
    pub fn as_str(self) -> &'static str {
        match self {
            System::Graph => "graph",
            System::Micollab => "micollab",
            System::Pbx => "pbx",
            System::Cloudlink => "cloudlink",
        }
    }

    pub fn parse(text: &str) -> Option<System> {
        match text.to_ascii_lowercase().as_str() {
            "graph" => Some(System::Graph),
            "micollab" => Some(System::Micollab),
            "pbx" => Some(System::Pbx),
            "cloudlink" => Some(System::Cloudlink),
            _ => None,
        }
    }

    pub const ALL: [System; 4] = [
        System::Graph,
        System::Micollab,
        System::Pbx,
        System::Cloudlink,
    ];
}

/// One request as the systems see it (also built for each `$batch` item).
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// The path below the system's prefix, e.g. `/users/abc/presence`.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Lowercase header names.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// `http://127.0.0.1:PORT`, for absolute links.
    pub origin: String,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn bearer(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// The body as JSON; `Err` with a message for an empty or malformed body. `T` may borrow
    /// from the body (see [`BodyText`]).
    pub fn json<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<T, String> {
        if self.body.is_empty() {
            return Err("the request body is empty: a JSON body is required".to_string());
        }
        serde_json::from_slice(&self.body).map_err(|e| format!("invalid JSON body: {e}"))
    }
}

/// A string of a request's JSON body, borrowed from the body unless it holds escapes: the
/// thousand ids of a bulk read then cost no allocation each.
#[derive(Debug, serde::Deserialize)]
pub struct BodyText<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

impl AsRef<str> for BodyText<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// What an answer carries.
#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Json(Value),
    /// JSON encoded already: bulk reads serialize their items straight to bytes, without
    /// building a `Value` per item.
    Encoded(Bytes),
    /// JSON encoded once the emulator's state is unlocked (see [`Reply::ok_encoded_unlocked`]).
    Unlocked(Encoder),
    /// `text/plain` (Graph's `$count`).
    Text(String),
}

/// Writes an answer's JSON from items copied out of the world.
#[derive(Clone)]
pub struct Encoder(Arc<dyn Fn() -> Bytes + Send + Sync>);

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Encoder")
    }
}

impl Body {
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Empty)
    }

    /// The body as JSON, for the answers that embed another one (`$batch` responses, bulk
    /// `PATCH` results); a text body becomes a JSON string, as Graph's `$batch` shows it.
    pub fn into_value(self) -> Option<Value> {
        match self {
            Body::Empty => None,
            Body::Json(value) => Some(value),
            // Only this emulator's own encoder writes these bytes, so they always parse.
            Body::Encoded(bytes) => Some(serde_json::from_slice(&bytes).unwrap_or(Value::Null)),
            Body::Unlocked(Encoder(encode)) => {
                Some(serde_json::from_slice(&encode()).unwrap_or(Value::Null))
            }
            Body::Text(text) => Some(Value::String(text)),
        }
    }
}

/// A system's answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Body,
    pub headers: Vec<(&'static str, String)>,
    /// A long poll with nothing to answer yet: asked again when the phone feed moves, for
    /// up to this long, then answered as it is.
    pub hold: Option<Duration>,
}

impl Reply {
    fn with_body(status: StatusCode, body: Body) -> Reply {
        Reply {
            status,
            body,
            headers: Vec::new(),
            hold: None,
        }
    }

    /// This answer, unless the phone feed moves within `wait` (a long poll).
    pub fn held_for(mut self, wait: Duration) -> Reply {
        self.hold = Some(wait).filter(|w| !w.is_zero());
        self
    }

    pub fn json(status: StatusCode, body: Value) -> Reply {
        Reply::with_body(status, Body::Json(body))
    }

    /// A `text/plain` answer (Graph's `$count`).
    pub fn text(status: StatusCode, body: String) -> Reply {
        Reply::with_body(status, Body::Text(body))
    }

    pub fn ok(body: Value) -> Reply {
        Reply::json(StatusCode::OK, body)
    }

    /// A 200 whose JSON is written straight from `body`: the same text `ok` would send for
    /// `serde_json::to_value(body)`, without the `Value` in between.
    pub fn ok_serialized(body: &impl serde::Serialize) -> Reply {
        match serde_json::to_vec(body) {
            Ok(bytes) => Reply::with_body(StatusCode::OK, Body::Encoded(bytes.into())),
            // Unreachable with the emulator's types (string keys only), but never a panic.
            Err(e) => Reply::json(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": format!("the emulator could not encode its answer: {e}")}),
            ),
        }
    }

    /// A 200 whose JSON is written from `body` after the emulator's state is unlocked: a bulk
    /// read copies its items out of the world under the lock and encodes them while other
    /// requests go on. Encoded under the lock, the 454 answers of a 100,000-user sync cycle
    /// waited on each other, and the emulator answered on one core of two.
    pub fn ok_encoded_unlocked(body: impl serde::Serialize + Send + Sync + 'static) -> Reply {
        let encode = move || match serde_json::to_vec(&body) {
            Ok(bytes) => Bytes::from(bytes),
            // Unreachable with the emulator's types (string keys only), but never a panic:
            // the client sees an answer that is not JSON.
            Err(e) => Bytes::from(format!("the emulator could not encode its answer: {e}")),
        };
        Reply::with_body(StatusCode::OK, Body::Unlocked(Encoder(Arc::new(encode))))
    }

    pub fn empty(status: StatusCode) -> Reply {
        Reply::with_body(status, Body::Empty)
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// A JSON string written from `Display` as the answer is encoded, so that ids and names
/// derived per user need no `String` of their own.
#[derive(Debug, Clone, Copy)]
pub struct AsText<T>(pub T);

impl<T: std::fmt::Display> serde::Serialize for AsText<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// Faults asked for through `POST /_sim/faults`, per system.
#[derive(Debug, Clone, Default)]
pub struct Fault {
    pub latency_ms: u64,
    /// The answer to a change (PATCH, PUT, DELETE) is held back this long after the system
    /// made it: a service that acted, then answered late or not at all (the client may give
    /// up, or be killed, first).
    pub answer_delay_ms: u64,
    pub error_rate: f64,
    /// The status of the `error_rate` failures: 500 (default), 502, 503 or 504.
    pub error_status: u16,
    /// `Retry-After` of the outage's 503s (default 5 s) and, when set, of the `error_rate`
    /// failures.
    pub retry_after_s: Option<f64>,
    pub outage: bool,
    /// Emulated unix ms until which every request is answered 429 (for Graph's `$batch`,
    /// every request inside it: the batch itself is answered 200, as Graph does).
    pub throttle_until_ms: Option<i64>,
}

/// A `Retry-After` value: whole seconds as an integer, else decimal seconds (Graph sends
/// both).
pub fn retry_after_text(seconds: f64) -> String {
    if seconds.fract() == 0.0 {
        format!("{}", seconds as u64)
    } else {
        format!("{seconds:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// The axum fallback: every request of every system comes through here.
pub async fn handle(
    axum::extract::State(sim): axum::extract::State<Arc<Sim>>,
    method: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let full_path = uri.path().to_string();
    let query = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let header_list: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let (system, rest) = match split_prefix(&full_path) {
        Some(found) => found,
        None => {
            return to_response(
                Reply::json(
                    StatusCode::NOT_FOUND,
                    json!({"error": format!("no emulated system at {full_path}; see docs/emulator.md")}),
                ),
                &[],
            );
        }
    };
    let req = Req {
        method: method.as_str().to_ascii_uppercase(),
        path: rest,
        query,
        headers: header_list,
        body,
        origin: sim.origin.clone(),
    };
    let Some(system) = system else {
        let reply = super::control::dispatch(&sim, &req);
        return to_response(reply, &[]);
    };
    let endpoint = super::endpoint_of(system, &req);
    let mut extra = system_headers(system, &req);
    // The emulated clock, as servers tell theirs: clients that follow the server's time
    // (session expiry is Graph's clock) see the time the tests advanced.
    let server_time = std::time::UNIX_EPOCH
        + Duration::from_millis(u64::try_from(sim.now_ms()).unwrap_or_default());
    extra.push(("date", httpdate::fmt_http_date(server_time)));
    // A system's latency fault delays the request on its way: the system sees it late, or
    // never when the client gives up first.
    let fault = sim.fault(system);
    if fault.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms)).await;
    }
    // --latency is the time from a request to its answer, the emulator's own work included,
    // as a client of a real service waits for the round trip and the service's work alike.
    // Sleeping first and working after made every request of a burst want the same cores
    // at the same moment, after the wait, and the client (sharing those cores) waited on
    // the emulator's work on top of the latency.
    let held_back = matches!(req.method.as_str(), "PATCH" | "PUT" | "DELETE");
    let delay = Duration::from_millis(if held_back { fault.answer_delay_ms } else { 0 });
    let answer_at = tokio::time::Instant::now() + sim.latency + delay;
    let reply = match injected_fault(&sim, system, endpoint, &fault, &extra) {
        Some(reply) => reply,
        None => answer_when_ready(&sim, system, &req, &extra).await,
    };
    sim.record(system, endpoint, &req, reply.status.as_u16());
    let response = to_response(reply, &extra);
    tokio::time::sleep_until(answer_at).await;
    response
}

/// The system's answer; a long poll with nothing to answer yet is asked again each time the
/// phone feed moves, until it has an answer or its wait is over.
async fn answer_when_ready(
    sim: &Sim,
    system: System,
    req: &Req,
    extra: &[(&'static str, String)],
) -> Reply {
    // Watched before the first answer, so a change between the two is not missed.
    let mut moved = sim.state().world.phone_feed.moved();
    let reply = super::dispatch(sim, system, req, extra);
    let Some(wait) = reply.hold else {
        return reply;
    };
    let until = tokio::time::Instant::now() + wait;
    let mut reply = reply;
    while reply.hold.is_some() {
        match tokio::time::timeout_at(until, moved.changed()).await {
            Ok(Ok(())) => {
                moved.borrow_and_update();
                reply = super::dispatch(sim, system, req, extra);
            }
            // The wait is over (or the emulator is stopping): the bookmark answer.
            _ => break,
        }
    }
    reply.hold = None;
    reply
}

/// The headers every answer of a system carries.
fn system_headers(system: System, req: &Req) -> Vec<(&'static str, String)> {
    match system {
        System::Graph => {
            let request_id = uuid::Uuid::new_v4().to_string();
            let client = req
                .header("client-request-id")
                .map(str::to_string)
                .unwrap_or_else(|| request_id.clone());
            vec![("request-id", request_id), ("client-request-id", client)]
        }
        _ => {
            let correlation = req
                .header("x-mitel-correlation-id")
                .map(str::to_string)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            vec![("x-mitel-correlation-id", correlation)]
        }
    }
}

fn injected_fault(
    sim: &Sim,
    system: System,
    endpoint: &str,
    fault: &Fault,
    extra: &[(&'static str, String)],
) -> Option<Reply> {
    if fault.outage {
        return Some(
            super::error_reply(
                system,
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "The service is temporarily unavailable (emulated outage).",
                extra,
            )
            .with_header(
                "retry-after",
                retry_after_text(fault.retry_after_s.unwrap_or(5.0)),
            ),
        );
    }
    // Graph throttles the requests inside a `$batch` one by one (see graph::batch_item).
    let batch = system == System::Graph && endpoint == "POST /$batch";
    if !batch && let Some(reply) = storm_reply(sim.now_ms(), system, fault, extra) {
        return Some(reply);
    }
    if fault.error_rate > 0.0 && sim.roll() < fault.error_rate {
        let status = StatusCode::from_u16(fault.error_status)
            .ok()
            .filter(|s| s.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (code, message) = match status.as_u16() {
            502 => ("BadGateway", "Bad gateway (emulated error rate)."),
            503 => (
                "ServiceUnavailable",
                "The service is temporarily unavailable (emulated error rate).",
            ),
            504 => ("GatewayTimeout", "Gateway timeout (emulated error rate)."),
            _ => (
                "InternalServerError",
                "An internal error occurred (emulated error rate).",
            ),
        };
        let mut reply = super::error_reply(system, status, code, message, extra);
        if let Some(seconds) = fault.retry_after_s {
            reply = reply.with_header("retry-after", retry_after_text(seconds));
        }
        return Some(reply);
    }
    None
}

/// The 429 of a throttle storm still running at `now` (emulated ms), if any.
pub fn storm_reply(
    now: i64,
    system: System,
    fault: &Fault,
    extra: &[(&'static str, String)],
) -> Option<Reply> {
    let until = fault.throttle_until_ms.filter(|&until| until > now)?;
    let seconds = ((until - now) as f64 / 1000.0).ceil().max(1.0) as u64;
    Some(
        super::error_reply(
            system,
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests (emulated throttle storm).",
            extra,
        )
        .with_header("retry-after", seconds.to_string()),
    )
}

/// `None` system: the control API.
fn split_prefix(path: &str) -> Option<(Option<System>, String)> {
    let prefixes: [(&str, Option<System>); 6] = [
        ("/graph/v1.0", Some(System::Graph)),
        ("/login", Some(System::Graph)),
        ("/micollab", Some(System::Micollab)),
        ("/pbx", Some(System::Pbx)),
        ("/cloudlink", Some(System::Cloudlink)),
        ("/_sim", None),
    ];
    for (prefix, system) in prefixes {
        if let Some(rest) = path.strip_prefix(prefix)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            // The identity platform lives under /login and is served with Graph (Graph has
            // no /login path, so the routes cannot collide).
            let rest = if prefix == "/login" {
                format!("/login{rest}")
            } else {
                rest.to_string()
            };
            return Some((system, rest));
        }
    }
    None
}

fn to_response(reply: Reply, extra: &[(&'static str, String)]) -> Response {
    let content_type = match &reply.body {
        Body::Empty => None,
        Body::Json(_) | Body::Encoded(_) | Body::Unlocked(_) => {
            Some("application/json; charset=utf-8")
        }
        Body::Text(_) => Some("text/plain; charset=utf-8"),
    };
    let mut response = Response::new(match reply.body {
        Body::Empty => axum::body::Body::empty(),
        Body::Json(value) => axum::body::Body::from(serde_json::to_vec(&value).unwrap_or_default()),
        Body::Encoded(bytes) => axum::body::Body::from(bytes),
        Body::Text(text) => axum::body::Body::from(text),
        Body::Unlocked(Encoder(encode)) => axum::body::Body::from(encode()),
    });
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    if let Some(content_type) = content_type {
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
    }
    for (name, value) in extra.iter().chain(reply.headers.iter()) {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}

/// A uniform draw in [0, 1) from the emulator's seeded generator.
pub fn draw(rng: &mut rand_chacha::ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_borrows_plain_strings_and_decodes_escaped_ones() {
        let body = br#"["p-1", "p-\u0032", "a\"b"]"#;
        let ids: Vec<BodyText> = serde_json::from_slice(body).unwrap();
        let texts: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
        assert_eq!(texts, ["p-1", "p-2", "a\"b"]);
        assert!(matches!(ids[0].0, std::borrow::Cow::Borrowed(_)));
        // Clients see the same message as when the ids were `String`s.
        for bad in [&b"[1]"[..], b"[null]", b"[\"a\", {}]", b"[\"a"] {
            let owned = serde_json::from_slice::<Vec<String>>(bad).map_err(|e| e.to_string());
            let borrowed = serde_json::from_slice::<Vec<BodyText>>(bad).map_err(|e| e.to_string());
            assert_eq!(owned.unwrap_err(), borrowed.unwrap_err());
        }
    }

    #[test]
    fn an_encoded_body_reads_back_as_the_value_it_encodes() {
        let value = json!({"b": 1, "a": [null, "x"], "text": AsText(42)});
        let reply = Reply::ok_serialized(&value);
        assert!(matches!(reply.body, Body::Encoded(_)));
        assert_eq!(reply.body.into_value(), Some(value));
        assert_eq!(
            Reply::text(StatusCode::OK, "7".into()).body.into_value(),
            Some(json!("7"))
        );
        assert_eq!(Reply::empty(StatusCode::OK).body.into_value(), None);
    }
}
