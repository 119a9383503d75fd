//! Microsoft Graph and the identity platform's token endpoint, as Microsoft documents them:
//! client-credentials tokens with `roles`, presence read (single and bulk, 650 ids at most),
//! app sessions (`setPresence`/`clearPresence`), user-preferred presence, users with
//! `$select`/`$top`/`$filter`/`@odata.nextLink`, `$batch` (20 requests, each answered and
//! throttled on its own) and the presence throttle (1,500 requests per 30 s per app).

use std::collections::VecDeque;
use std::sync::LazyLock;

use axum::http::StatusCode;
use serde_json::json;

use super::routes::{Call, Routes};
use super::server::{Reply, Req};
use super::tokens;
use super::{Sim, State};

mod batch;
mod presence;
mod token;
mod users;

pub use presence::{preferred_default_s, preferred_pair_allowed, presence_detail};

/// What a route asks of the caller's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// The token endpoint: no token.
    Anyone,
    /// `$batch`: a valid token; each item is checked on its own.
    Batch,
    UserRead,
    PresenceRead,
    PresenceWrite,
}

/// A route's handler and what it needs.
#[derive(Clone, Copy)]
pub struct Route {
    needs: Needs,
    handler: fn(&mut Call, &Caller) -> Reply,
}

const fn route(needs: Needs, handler: fn(&mut Call, &Caller) -> Reply) -> Route {
    Route { needs, handler }
}

/// Graph's routes (requests and `$batch` items alike), each with its handler.
pub static ROUTES: LazyLock<Routes<Route>> = LazyLock::new(|| {
    use Needs::*;
    Routes::new(&[
        (
            "POST /login/{tenant}/oauth2/v2.0/token",
            route(Anyone, |call, _| token::token(call)),
        ),
        (
            "POST /communications/getPresencesByUserId",
            route(PresenceRead, |call, _| {
                presence::get_presences(&mut call.state.world, call.req, call.extra)
            }),
        ),
        (
            "GET /communications/presences/{id}",
            route(PresenceRead, presence::one),
        ),
        (
            "GET /users/{id}/presence",
            route(PresenceRead, presence::one),
        ),
        (
            "POST /users/{id}/presence/setPresence",
            route(PresenceWrite, presence::set),
        ),
        (
            "POST /users/{id}/presence/clearPresence",
            route(PresenceWrite, presence::clear),
        ),
        (
            "POST /users/{id}/presence/setUserPreferredPresence",
            route(PresenceWrite, presence::set_preferred),
        ),
        (
            "POST /users/{id}/presence/clearUserPreferredPresence",
            route(PresenceWrite, presence::clear_preferred),
        ),
        (
            "POST /communications/presences/{id}/setPresence",
            route(PresenceWrite, presence::set),
        ),
        (
            "POST /communications/presences/{id}/clearPresence",
            route(PresenceWrite, presence::clear),
        ),
        (
            "POST /communications/presences/{id}/setUserPreferredPresence",
            route(PresenceWrite, presence::set_preferred),
        ),
        (
            "POST /communications/presences/{id}/clearUserPreferredPresence",
            route(PresenceWrite, presence::clear_preferred),
        ),
        (
            "GET /users",
            route(UserRead, |call, _| {
                users::list_users(&call.state.world, call.req, call.extra)
            }),
        ),
        (
            "GET /users/$count",
            route(UserRead, |call, _| {
                users::count_users(&call.state.world, call.req, call.extra)
            }),
        ),
        ("GET /users/{id}", route(UserRead, users::one_user)),
        ("POST /$batch", route(Batch, batch::batch)),
    ])
});

/// Presence requests allowed per window, per app per tenant, and the window.
pub const PRESENCE_LIMIT: usize = 1500;
pub const PRESENCE_WINDOW_MS: i64 = 30_000;
/// Roles an app registration set up as the design says has.
pub const DEFAULT_ROLES: &[&str] = &["Presence.ReadWrite.All", "User.Read.All"];

/// The user properties `GET /users` knows, in Graph's default order.
const USER_PROPERTIES: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

/// Graph's side of the emulator state.
pub struct GraphState {
    key: [u8; 32],
    pub token_lifetime_s: i64,
    pub roles: Vec<String>,
    /// Tokens with a serial below this were revoked by `DELETE /_sim/graph/tokens`.
    pub revoked_below: u64,
    next_serial: u64,
    /// Emulated times of the presence requests accepted in the current window.
    presence_window: VecDeque<i64>,
}

impl GraphState {
    pub fn new(seed: u64) -> GraphState {
        let mut key = [0u8; 32];
        for (i, chunk) in key.chunks_mut(8).enumerate() {
            chunk.copy_from_slice(&super::directory::mix(seed, i as u64, 0x70_6b).to_le_bytes());
        }
        // Mix in the start time so tokens of one run are refused by another.
        key[0] ^= (super::world::wall_ms() & 0xff) as u8;
        GraphState {
            key,
            token_lifetime_s: 3599,
            roles: DEFAULT_ROLES.iter().map(|r| r.to_string()).collect(),
            revoked_below: 0,
            next_serial: 1,
            presence_window: VecDeque::new(),
        }
    }

    pub fn revoke_all(&mut self) {
        self.revoked_below = self.next_serial;
    }

    /// Counts one presence request; `Err(retry_after_s)` when the window is full.
    fn take_presence_budget(&mut self, now: i64) -> Result<(), u64> {
        while self
            .presence_window
            .front()
            .is_some_and(|&t| t <= now - PRESENCE_WINDOW_MS)
        {
            self.presence_window.pop_front();
        }
        if self.presence_window.len() >= PRESENCE_LIMIT {
            let oldest = self.presence_window.front().copied().unwrap_or(now);
            let wait_ms = (oldest + PRESENCE_WINDOW_MS - now).max(1);
            return Err((wait_ms as u64).div_ceil(1000));
        }
        self.presence_window.push_back(now);
        Ok(())
    }
}

/// Graph's error JSON, with the request id of the answer.
pub fn error(
    status: StatusCode,
    code: &str,
    message: &str,
    extra: &[(&'static str, String)],
) -> Reply {
    let find = |name: &str| {
        extra
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    Reply::json(
        status,
        json!({"error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": date,
                "request-id": find("request-id"),
                "client-request-id": find("client-request-id"),
            }
        }}),
    )
}

/// The caller, from a valid access token.
#[derive(Default)]
pub struct Caller {
    app_id: String,
    roles: Vec<String>,
}

impl Caller {
    fn has_any(&self, roles: &[&str]) -> bool {
        roles
            .iter()
            .any(|r| self.roles.iter().any(|have| have == r))
    }
}

/// Graph's answer when no route matches the path.
fn unknown_segment(path: &str, extra: &[(&'static str, String)]) -> Reply {
    error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!(
            "Resource not found for the segment '{}'.",
            path.rsplit('/').next().unwrap_or("")
        ),
        extra,
    )
}

pub fn dispatch(
    sim: &Sim,
    state: &mut State,
    req: &Req,
    extra: &[(&'static str, String)],
) -> Reply {
    let Some(matched) = ROUTES.find(&req.method, &req.path) else {
        return unknown_segment(&req.path, extra);
    };
    let mut call = Call::new(sim, state, req, matched.params, extra);
    if matched.handler.needs == Needs::Anyone {
        return (matched.handler.handler)(&mut call, &Caller::default());
    }
    match authenticate(call.state, req) {
        Ok(caller) => answer(&mut call, &caller, matched.handler),
        Err(message) => error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
            extra,
        )
        .with_header(
            "www-authenticate",
            "Bearer realm=\"\", error=\"invalid_token\"",
        ),
    }
}

fn authenticate(state: &State, req: &Req) -> Result<Caller, &'static str> {
    let token = req
        .bearer()
        .filter(|t| !t.is_empty())
        .ok_or("Access token is empty.")?;
    let claims = tokens::verify_hs256(&state.graph.key, token)
        .ok_or("IDX14100: JWT is not well formed, or its signature is invalid.")?;
    let exp = claims["exp"].as_i64().unwrap_or(0);
    if exp * 1000 <= state.world.now_ms() {
        return Err("Lifetime validation failed, the token is expired.");
    }
    if claims["uti"].as_u64().unwrap_or(0) < state.graph.revoked_below {
        return Err("Access token has been revoked.");
    }
    Ok(Caller {
        app_id: claims["appid"].as_str().unwrap_or_default().to_string(),
        roles: claims["roles"]
            .as_array()
            .map(|roles| {
                roles
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The roles each kind of route accepts.
const PRESENCE_READ: &[&str] = &["Presence.Read.All", "Presence.ReadWrite.All"];
const PRESENCE_WRITE: &[&str] = &["Presence.ReadWrite.All"];
const USER_READ: &[&str] = &[
    "User.Read.All",
    "User.ReadWrite.All",
    "User.ReadBasic.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

fn forbidden(extra: &[(&'static str, String)], code: &str) -> Reply {
    error(
        StatusCode::FORBIDDEN,
        code,
        "Insufficient privileges to complete the operation.",
        extra,
    )
}

/// One Graph API call (also a `$batch` item): the caller's roles and the presence throttle,
/// then the route's handler.
fn answer(call: &mut Call, caller: &Caller, route: Route) -> Reply {
    let needed = match route.needs {
        Needs::Anyone | Needs::Batch => &[][..],
        Needs::UserRead => USER_READ,
        Needs::PresenceRead => PRESENCE_READ,
        Needs::PresenceWrite => PRESENCE_WRITE,
    };
    if !needed.is_empty() && !caller.has_any(needed) {
        let code = if route.needs == Needs::UserRead {
            "Authorization_RequestDenied"
        } else {
            "Forbidden"
        };
        return forbidden(call.extra, code);
    }
    if matches!(route.needs, Needs::PresenceRead | Needs::PresenceWrite) {
        let now = call.state.world.now_ms();
        if let Err(retry_after) = call.state.graph.take_presence_budget(now) {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests: the presence API allows 1500 requests per 30 seconds per application per tenant. Retry after the time given in Retry-After.",
                call.extra,
            )
            .with_header("retry-after", retry_after.to_string());
        }
    }
    (route.handler)(call, caller)
}
