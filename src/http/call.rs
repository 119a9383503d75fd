//! One logical request ([`Call`]) and whether it may be sent again ([`Replay`]).

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

/// Whether a request may be sent again after an attempt whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Sending it twice has the effect of sending it once (reads, PUT, DELETE, and writes
    /// that set a state rather than add one).
    Safe,
    /// Retried only when the service certainly did not apply it: no connection was made, or
    /// it answered 429 or 503 (Graph and Mitel both document those as "not processed").
    OnlyIfNotApplied,
}

/// One logical request: the HTTP layer may send it several times.
#[derive(Clone)]
pub struct Call {
    pub method: Method,
    pub url: url::Url,
    pub(super) body: Option<Bytes>,
    pub(super) content_type: Option<&'static str>,
    pub(super) encode_error: Option<String>,
    pub(super) headers: Vec<(&'static str, String)>,
    /// Units of the system's rate budget this request uses (a `$batch` costs its inner
    /// requests); 0 for requests outside the limited family.
    pub cost: u32,
    /// A read that gives way to writes in the rate budget ([`super::RateLimit::acquire_yielding`]).
    pub yields: bool,
    pub replay: Replay,
    /// Send the system's bearer token (when it has a token cache).
    pub authorized: bool,
    /// Non-2xx statuses the caller handles itself (e.g. 404 on `clearPresence`).
    pub accept: Vec<u16>,
    /// The answer carries a secret (a token): a decoding error must not quote it.
    pub secret_answer: bool,
}

impl Call {
    pub fn new(method: Method, url: url::Url) -> Call {
        let replay = if matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        ) {
            Replay::Safe
        } else {
            Replay::OnlyIfNotApplied
        };
        Call {
            method,
            url,
            body: None,
            content_type: None,
            encode_error: None,
            headers: Vec::new(),
            cost: 0,
            yields: false,
            replay,
            authorized: true,
            accept: Vec::new(),
            secret_answer: false,
        }
    }

    pub fn get(url: url::Url) -> Call {
        Call::new(Method::GET, url)
    }

    pub fn post(url: url::Url) -> Call {
        Call::new(Method::POST, url)
    }

    pub fn json(mut self, body: &impl Serialize) -> Call {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Bytes::from(bytes)),
            Err(e) => self.encode_error = Some(format!("cannot encode the request body: {e}")),
        }
        self.content_type = Some("application/json");
        self
    }

    /// An `application/x-www-form-urlencoded` body (token requests).
    pub fn form(mut self, fields: &[(&str, &str)]) -> Call {
        let mut encoder = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            encoder.append_pair(name, value);
        }
        self.body = Some(Bytes::from(encoder.finish()));
        self.content_type = Some("application/x-www-form-urlencoded");
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Call {
        self.headers.push((name, value.into()));
        self
    }

    pub fn cost(mut self, cost: u32) -> Call {
        self.cost = cost;
        self
    }

    /// Marks a request whose repetition is harmless (see [`Replay::Safe`]).
    /// Gives way to writes when the rate budget is short: Teams -> MiCollab slows, never
    /// the phone's sessions.
    pub fn yielding(mut self) -> Call {
        self.yields = true;
        self
    }

    pub fn idempotent(mut self) -> Call {
        self.replay = Replay::Safe;
        self
    }

    pub fn unauthorized(mut self) -> Call {
        self.authorized = false;
        self
    }

    pub fn accept(mut self, status: u16) -> Call {
        self.accept.push(status);
        self
    }

    pub fn secret_answer(mut self) -> Call {
        self.secret_answer = true;
        self
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("path", &self.url.path())
            .field("body_bytes", &self.body.as_ref().map_or(0, Bytes::len))
            .field("cost", &self.cost)
            .field("replay", &self.replay)
            .finish_non_exhaustive()
    }
}
