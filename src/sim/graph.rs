//! Microsoft Graph and the identity platform's token endpoint, as Microsoft documents them:
//! client-credentials tokens with `roles`, presence read (single and bulk, 650 ids at most),
//! app sessions (`setPresence`/`clearPresence`), user-preferred presence, users with
//! `$select`/`$top`/`$filter`/`@odata.nextLink`, `$batch` (20 requests, each answered and
//! throttled on its own) and the presence throttle (1,500 requests per 30 s per app).

use std::collections::{HashSet, VecDeque};

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::wire::graph::{
    Activity, Availability, BatchRequest, ClearPresenceRequest, MAX_BATCH_REQUESTS,
    MAX_FILTER_IN_VALUES, MAX_PRESENCE_IDS, MAX_USERS_PAGE, SetPresenceRequest,
    SetUserPreferredPresenceRequest, parse_iso_duration,
};

use super::server::{AsText, BodyText, Reply, Req, match_route};
use super::tokens;
use super::world::{Sequence, World, iso};
use super::{Sim, State};

pub const ROUTES: &[&str] = &[
    "POST /login/{tenant}/oauth2/v2.0/token",
    "POST /communications/getPresencesByUserId",
    "GET /communications/presences/{id}",
    "GET /users/{id}/presence",
    "POST /users/{id}/presence/setPresence",
    "POST /users/{id}/presence/clearPresence",
    "POST /users/{id}/presence/setUserPreferredPresence",
    "POST /users/{id}/presence/clearUserPreferredPresence",
    "POST /communications/presences/{id}/setPresence",
    "POST /communications/presences/{id}/clearPresence",
    "POST /communications/presences/{id}/setUserPreferredPresence",
    "POST /communications/presences/{id}/clearUserPreferredPresence",
    "GET /users",
    "GET /users/$count",
    "GET /users/{id}",
    "POST /$batch",
];

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

fn oauth_error(status: StatusCode, error: &str, code: u64, description: &str) -> Reply {
    let trace = uuid::Uuid::new_v4().to_string();
    let correlation = uuid::Uuid::new_v4().to_string();
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ");
    Reply::json(
        status,
        json!({
            "error": error,
            "error_description": format!(
                "AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {now}"
            ),
            "error_codes": [code],
            "timestamp": now.to_string(),
            "trace_id": trace,
            "correlation_id": correlation,
        }),
    )
}

/// The caller, from a valid access token.
struct Caller {
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

pub fn dispatch(
    sim: &Sim,
    state: &mut State,
    req: &Req,
    extra: &[(&'static str, String)],
) -> Reply {
    let Some((route, params)) = match_route(ROUTES, &req.method, &req.path) else {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "Resource not found for the segment '{}'.",
                req.path.rsplit('/').next().unwrap_or("")
            ),
            extra,
        );
    };
    if route == "POST /login/{tenant}/oauth2/v2.0/token" {
        return token(sim, state, req, params.first().map_or("", String::as_str));
    }
    let caller = match authenticate(state, req) {
        Ok(caller) => caller,
        Err(message) => {
            return error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                message,
                extra,
            )
            .with_header(
                "www-authenticate",
                "Bearer realm=\"\", error=\"invalid_token\"",
            );
        }
    };
    if route == "POST /$batch" {
        return batch(sim, state, req, &caller, extra);
    }
    api(sim, state, req, &caller, route, &params, extra)
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

/// `POST {authority}/{tenant}/oauth2/v2.0/token`, client credentials with a secret or a
/// certificate assertion.
fn token(sim: &Sim, state: &mut State, req: &Req, tenant: &str) -> Reply {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&req.body)
        .into_owned()
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let creds = &sim.credentials;
    let known_tenant = tenant.eq_ignore_ascii_case(&creds.tenant_id)
        || tenant.eq_ignore_ascii_case(super::directory::UPN_DOMAIN)
        || tenant.eq_ignore_ascii_case("contoso.onmicrosoft.com");
    if !known_tenant {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        );
    }
    if field("grant_type") != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type; this emulator supports client_credentials.",
        );
    }
    let client_id = field("client_id").unwrap_or_default();
    if client_id.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    }
    if !client_id.eq_ignore_ascii_case(&creds.graph_client_id) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    }
    let scope = field("scope").unwrap_or_default();
    if !scope.ends_with("/.default") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1002012,
            &format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        );
    }
    match (field("client_secret"), field("client_assertion")) {
        (Some(secret), _) => {
            if secret != creds.graph_client_secret {
                return oauth_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.",
                );
            }
        }
        (None, Some(assertion)) => {
            if field("client_assertion_type") != Some(super::certificate::JWT_BEARER) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    50027,
                    "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
                );
            }
            let registered = match super::certificate::for_seed(sim_seed(state)) {
                Ok(found) => found,
                Err(e) => {
                    return oauth_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "server_error",
                        50000,
                        &format!("The emulator could not set up the app's certificate: {e}"),
                    );
                }
            };
            let token_url = format!("{}/login/{tenant}/oauth2/v2.0/token", req.origin);
            if let Err(refusal) = super::certificate::verify_assertion(
                &registered,
                assertion,
                client_id,
                &token_url,
                state.world.now_ms(),
            ) {
                return oauth_error(
                    refusal.status,
                    refusal.error,
                    refusal.code,
                    &refusal.description,
                );
            }
        }
        (None, None) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            );
        }
    }
    let now_s = state.world.now_ms() / 1000;
    let lifetime = state.graph.token_lifetime_s;
    let serial = state.graph.next_serial;
    state.graph.next_serial += 1;
    let claims = json!({
        "aud": "https://graph.microsoft.com",
        "iss": format!("https://sts.windows.net/{}/", creds.tenant_id),
        "iat": now_s,
        "nbf": now_s,
        "exp": now_s + lifetime,
        "appid": creds.graph_client_id,
        "app_displayname": "mcteams (emulated)",
        "idtyp": "app",
        "oid": super::directory::format_guid(super::directory::guid_from(sim_seed(state), u64::MAX, 14)),
        "roles": state.graph.roles,
        "tid": creds.tenant_id,
        "uti": serial,
        "ver": "1.0",
    });
    Reply::ok(json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": tokens::sign_hs256(&state.graph.key, &claims),
    }))
}

fn sim_seed(state: &State) -> u64 {
    state.world.dir.seed
}

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

/// One Graph API call (also a `$batch` item).
fn api(
    sim: &Sim,
    state: &mut State,
    req: &Req,
    caller: &Caller,
    route: &'static str,
    params: &[String],
    extra: &[(&'static str, String)],
) -> Reply {
    let is_presence = route.contains("resence");
    if is_presence {
        let needed = if req.method == "GET" || route.ends_with("getPresencesByUserId") {
            PRESENCE_READ
        } else {
            PRESENCE_WRITE
        };
        if !caller.has_any(needed) {
            return forbidden(extra, "Forbidden");
        }
        let now = state.world.now_ms();
        if let Err(retry_after) = state.graph.take_presence_budget(now) {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests: the presence API allows 1500 requests per 30 seconds per application per tenant. Retry after the time given in Retry-After.",
                extra,
            )
            .with_header("retry-after", retry_after.to_string());
        }
    } else if !caller.has_any(USER_READ) {
        return forbidden(extra, "Authorization_RequestDenied");
    }
    let id = params.first().map_or("", String::as_str);
    let world = &mut state.world;
    match route {
        "POST /communications/getPresencesByUserId" => get_presences(world, req, extra),
        "GET /users/{id}/presence" | "GET /communications/presences/{id}" => {
            match presence_user(world, id, extra) {
                Ok(i) => {
                    let mut body = json!(presence_json(world, i));
                    body["@odata.context"] = json!(format!(
                        "{}/graph/v1.0/$metadata#users('{id}')/presence/$entity",
                        req.origin
                    ));
                    Reply::ok(body)
                }
                Err(reply) => reply,
            }
        }
        r if r.ends_with("/setPresence") => match presence_user(world, id, extra) {
            Ok(i) => set_presence(world, i, req, caller, extra),
            Err(reply) => reply,
        },
        r if r.ends_with("/clearPresence") => match presence_user(world, id, extra) {
            Ok(i) => clear_presence(world, i, req, caller, extra),
            Err(reply) => reply,
        },
        r if r.ends_with("/setUserPreferredPresence") => match presence_user(world, id, extra) {
            Ok(i) => set_preferred(world, i, req, extra),
            Err(reply) => reply,
        },
        r if r.ends_with("/clearUserPreferredPresence") => match presence_user(world, id, extra) {
            Ok(i) => {
                world.user_mut(i).preferred = None;
                Reply::empty(StatusCode::OK)
            }
            Err(reply) => reply,
        },
        "GET /users" => list_users(world, req, extra),
        "GET /users/$count" => count_users(world, req, extra),
        "GET /users/{id}" => match world.find_entra(id) {
            Some(i) => match select_of(req, extra) {
                Ok(select) => {
                    let mut body = user_json(world, i, select.as_deref());
                    body["@odata.context"] =
                        json!(format!("{}/graph/v1.0/$metadata#users/$entity", req.origin));
                    Reply::ok(body)
                }
                Err(reply) => reply,
            },
            None => not_found_user(id, extra),
        },
        _ => {
            let _ = sim;
            error(StatusCode::NOT_FOUND, "NotFound", "Unknown route.", extra)
        }
    }
}

fn not_found_user(id: &str, extra: &[(&'static str, String)]) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ),
        extra,
    )
}

/// Presence endpoints take the user's object id (a GUID), as the documentation says.
fn presence_user(world: &World, id: &str, extra: &[(&'static str, String)]) -> Result<u32, Reply> {
    if super::directory::parse_guid(id).is_none() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("The user id '{id}' is not valid: pass the user's object id (a GUID)."),
            extra,
        ));
    }
    world.find_entra(id).ok_or_else(|| {
        error(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("The user '{id}' was not found."),
            extra,
        )
    })
}

/// One presence as Graph answers it, encoded as is (no `Value` per user in a bulk read).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PresenceJson {
    id: PresenceId,
    availability: Availability,
    activity: Activity,
    /// Graph sends `null` here rather than leaving it out; `()` writes `null`.
    status_message: (),
    out_of_office_settings: NoOutOfOffice,
    /// `null` for an id that names no user.
    sequence_number: Option<AsText<Sequence>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PresenceId {
    User(uuid::Uuid),
    /// An id that names no user is answered as it was asked.
    Asked(String),
}

/// `{"message":null,"isOutOfOffice":false}`: the emulator has no out-of-office.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NoOutOfOffice {
    message: (),
    is_out_of_office: bool,
}

fn presence_json(world: &mut World, i: u32) -> PresenceJson {
    let (availability, activity, sequence) = world.presence(i);
    PresenceJson {
        id: PresenceId::User(uuid::Uuid::from_u128(world.dir.object_id(i))),
        availability,
        activity,
        status_message: (),
        out_of_office_settings: NoOutOfOffice {
            message: (),
            is_out_of_office: false,
        },
        sequence_number: Some(AsText(sequence)),
    }
}

/// What Graph answers for an id that names no user, rather than failing the batch.
fn unknown_presence(id: &str) -> PresenceJson {
    PresenceJson {
        id: PresenceId::Asked(id.to_owned()),
        availability: Availability::PresenceUnknown,
        activity: Activity::PresenceUnknown,
        status_message: (),
        out_of_office_settings: NoOutOfOffice {
            message: (),
            is_out_of_office: false,
        },
        sequence_number: None,
    }
}

fn get_presences(world: &mut World, req: &Req, extra: &[(&'static str, String)]) -> Reply {
    #[derive(Serialize)]
    struct Presences {
        #[serde(rename = "@odata.context")]
        context: String,
        value: Vec<PresenceJson>,
    }
    /// `GetPresencesRequest`, its ids borrowed from the body.
    #[derive(Deserialize)]
    struct PresenceIds<'a> {
        #[serde(borrow)]
        ids: Vec<BodyText<'a>>,
    }
    let body: PresenceIds = match req.json() {
        Ok(body) => body,
        Err(message) => return error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra),
    };
    if body.ids.len() > MAX_PRESENCE_IDS {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "The number of ids ({}) exceeds the maximum of {MAX_PRESENCE_IDS} user ids per request.",
                body.ids.len()
            ),
            extra,
        );
    }
    let mut value = Vec::with_capacity(body.ids.len());
    for id in &body.ids {
        let id = id.as_ref();
        let Some(object_id) = super::directory::parse_guid(id) else {
            return error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                &format!("The user id '{id}' is not valid: ids must be user object ids (GUIDs)."),
                extra,
            );
        };
        match world.find_object_id(object_id) {
            Some(i) => value.push(presence_json(world, i)),
            None => value.push(unknown_presence(id)),
        }
    }
    Reply::ok_encoded_unlocked(Presences {
        context: format!(
            "{}/graph/v1.0/$metadata#Collection(microsoft.graph.presence)",
            req.origin
        ),
        value,
    })
}

/// Pairs `setPresence` accepts (Microsoft's table).
fn app_pair_allowed(availability: &Availability, activity: &Activity) -> bool {
    matches!(
        (availability, activity),
        (Availability::Available, Activity::Available)
            | (Availability::Busy, Activity::InACall)
            | (Availability::Busy, Activity::InAConferenceCall)
            | (Availability::Away, Activity::Away)
            | (Availability::DoNotDisturb, Activity::Presenting)
    )
}

/// Pairs `setUserPreferredPresence` accepts (Microsoft's table).
pub fn preferred_pair_allowed(availability: &Availability, activity: &Activity) -> bool {
    matches!(
        (availability, activity),
        (Availability::Available, Activity::Available)
            | (Availability::Busy, Activity::Busy)
            | (Availability::DoNotDisturb, Activity::DoNotDisturb)
            | (Availability::BeRightBack, Activity::BeRightBack)
            | (Availability::Away, Activity::Away)
            | (Availability::Offline, Activity::OffWork)
    )
}

fn set_presence(
    world: &mut World,
    i: u32,
    req: &Req,
    caller: &Caller,
    extra: &[(&'static str, String)],
) -> Reply {
    let body: SetPresenceRequest = match req.json() {
        Ok(body) => body,
        Err(message) => return error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra),
    };
    if !body.session_id.eq_ignore_ascii_case(&caller.app_id) {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "The sessionId '{}' is not valid: it must be the application (client) id of the calling app.",
                body.session_id
            ),
            extra,
        );
    }
    if !app_pair_allowed(&body.availability, &body.activity) {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "The availability/activity pair {}/{} is not supported. Supported: Available/Available, Busy/InACall, Busy/InAConferenceCall, Away/Away, DoNotDisturb/Presenting.",
                body.availability, body.activity
            ),
            extra,
        );
    }
    let duration_s = match &body.expiration_duration {
        None => 300,
        Some(text) => match parse_iso_duration(text) {
            Some(d) if (300..=14_400).contains(&d.as_secs()) && d.subsec_nanos() == 0 => {
                d.as_secs() as i64
            }
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    &format!(
                        "The expirationDuration '{text}' is not valid: use an ISO 8601 duration from PT5M to PT4H."
                    ),
                    extra,
                );
            }
        },
    };
    let expires = world.now_ms() + duration_s * 1000;
    world.set_session(
        i,
        &caller.app_id.to_ascii_lowercase(),
        body.availability,
        body.activity,
        Some(expires),
    );
    Reply::empty(StatusCode::OK)
}

fn clear_presence(
    world: &mut World,
    i: u32,
    req: &Req,
    caller: &Caller,
    extra: &[(&'static str, String)],
) -> Reply {
    let body: ClearPresenceRequest = match req.json() {
        Ok(body) => body,
        Err(message) => return error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra),
    };
    if !body.session_id.eq_ignore_ascii_case(&caller.app_id) {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "The sessionId '{}' is not valid: it must be the application (client) id of the calling app.",
                body.session_id
            ),
            extra,
        );
    }
    if world.clear_session(i, &body.session_id.to_ascii_lowercase()) {
        Reply::empty(StatusCode::OK)
    } else {
        error(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!(
                "The presence session '{}' was not found for this user.",
                body.session_id
            ),
            extra,
        )
    }
}

/// Default lifetime of a preferred presence: 1 day for DoNotDisturb and Busy, else 7 days.
pub fn preferred_default_s(availability: &Availability) -> i64 {
    match availability {
        Availability::DoNotDisturb | Availability::Busy => 86_400,
        _ => 7 * 86_400,
    }
}

fn set_preferred(world: &mut World, i: u32, req: &Req, extra: &[(&'static str, String)]) -> Reply {
    let body: SetUserPreferredPresenceRequest = match req.json() {
        Ok(body) => body,
        Err(message) => return error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra),
    };
    if !preferred_pair_allowed(&body.availability, &body.activity) {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "The availability/activity pair {}/{} is not supported. Supported: Available/Available, Busy/Busy, DoNotDisturb/DoNotDisturb, BeRightBack/BeRightBack, Away/Away, Offline/OffWork.",
                body.availability, body.activity
            ),
            extra,
        );
    }
    let seconds = match &body.expiration_duration {
        None => preferred_default_s(&body.availability),
        Some(text) => match parse_iso_duration(text) {
            Some(d) if d.as_secs() > 0 => d.as_secs() as i64,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    &format!("The expirationDuration '{text}' is not a valid ISO 8601 duration."),
                    extra,
                );
            }
        },
    };
    let expires_ms = world.now_ms() + seconds * 1000;
    world.user_mut(i).preferred = Some(super::world::Preferred {
        availability: body.availability,
        activity: body.activity,
        expires_ms,
    });
    Reply::empty(StatusCode::OK)
}

fn select_of(
    req: &Req,
    extra: &[(&'static str, String)],
) -> Result<Option<Vec<&'static str>>, Reply> {
    let Some(text) = req.query("$select") else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match USER_PROPERTIES
            .iter()
            .find(|p| p.eq_ignore_ascii_case(name))
        {
            Some(p) => out.push(*p),
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    &format!(
                        "Could not find a property named '{name}' on type 'microsoft.graph.user'."
                    ),
                    extra,
                ));
            }
        }
    }
    Ok(Some(out))
}

fn user_json(world: &World, i: u32, select: Option<&[&'static str]>) -> Value {
    let facts = world.dir.facts(i);
    let upn = world.upn(i);
    let mut map = serde_json::Map::new();
    for &property in select.unwrap_or(USER_PROPERTIES) {
        let value = match property {
            "businessPhones" => json!([]),
            "displayName" => json!(facts.display_name),
            "givenName" => json!(facts.given_name),
            "surname" => json!(facts.surname),
            "mail" => json!(facts.mail),
            "userPrincipalName" => json!(upn),
            "id" => json!(super::directory::format_guid(world.dir.object_id(i))),
            _ => Value::Null,
        };
        map.insert(property.to_string(), value);
    }
    Value::Object(map)
}

/// A `$filter` Graph accepts on users: `prop eq 'v'` and `prop in ('a','b')` clauses joined
/// by `or`, on `userPrincipalName`, `mail` or `id`; at most 15 values in all.
fn parse_filter(text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    loop {
        let (property, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| "Unsupported query.".to_string())?;
        let property = ["userPrincipalName", "mail", "id"]
            .into_iter()
            .find(|p| p.eq_ignore_ascii_case(property))
            .ok_or_else(|| format!("Unsupported or invalid query filter clause specified for property '{property}' of resource 'User'."))?;
        let after = after.trim_start();
        let (operator, after) = after
            .split_once(|c: char| c.is_whitespace() || c == '(')
            .map(|(op, _)| (op, &after[op.len()..]))
            .ok_or_else(|| "Unsupported query.".to_string())?;
        let after = after.trim_start();
        let consumed = match operator.to_ascii_lowercase().as_str() {
            "eq" => {
                let (value, used) = quoted(after)?;
                out.push((property, value));
                used
            }
            "in" => {
                let inner = after
                    .strip_prefix('(')
                    .ok_or_else(|| "Syntax error: expected '(' after 'in'.".to_string())?;
                let mut used = 1;
                let mut cursor = inner;
                loop {
                    let trimmed = cursor.trim_start();
                    used += cursor.len() - trimmed.len();
                    let (value, n) = quoted(trimmed)?;
                    out.push((property, value));
                    used += n;
                    let after_value = trimmed[n..].trim_start();
                    used += trimmed[n..].len() - after_value.len();
                    if let Some(next) = after_value.strip_prefix(',') {
                        used += 1;
                        cursor = next;
                    } else if after_value.starts_with(')') {
                        used += 1;
                        break;
                    } else {
                        return Err(
                            "Syntax error: expected ',' or ')' in the 'in' list.".to_string()
                        );
                    }
                }
                used
            }
            other => return Err(format!("Unsupported filter operator '{other}'.")),
        };
        rest = after[consumed..].trim_start();
        if rest.is_empty() {
            break;
        }
        let lower = rest.to_ascii_lowercase();
        if let Some(next) = lower.strip_prefix("or ") {
            rest = rest[rest.len() - next.len()..].trim_start();
        } else {
            return Err("Unsupported query: only 'or' joins filter clauses here.".to_string());
        }
    }
    Ok(out)
}

/// A single-quoted OData string (`''` escapes a quote): (value, bytes used).
fn quoted(text: &str) -> Result<(String, usize), String> {
    let body = text
        .strip_prefix('\'')
        .ok_or_else(|| "Syntax error: expected a quoted string.".to_string())?;
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, next)| *next == '\'') {
                value.push('\'');
                chars.next();
                continue;
            }
            return Ok((value, index + 2));
        }
        value.push(c);
    }
    Err("Syntax error: unterminated string literal.".to_string())
}

/// `$count` on directory objects is an advanced query: Graph answers it only with the
/// `ConsistencyLevel: eventual` header, else 400.
fn needs_eventual(req: &Req, extra: &[(&'static str, String)]) -> Result<(), Reply> {
    if req
        .header("consistencylevel")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"))
    {
        return Ok(());
    }
    Err(error(
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        "$count is not currently supported without the ConsistencyLevel: eventual header (an advanced query).",
        extra,
    ))
}

/// `GET /users/$count`: the number of users, as `text/plain`.
fn count_users(world: &World, req: &Req, extra: &[(&'static str, String)]) -> Reply {
    if let Err(reply) = needs_eventual(req, extra) {
        return reply;
    }
    Reply::text(StatusCode::OK, world.live_users().count().to_string())
}

fn list_users(world: &World, req: &Req, extra: &[(&'static str, String)]) -> Reply {
    let select = match select_of(req, extra) {
        Ok(select) => select,
        Err(reply) => return reply,
    };
    let top = match req.query("$top") {
        None => 100,
        Some(text) => match text.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_USERS_PAGE).contains(&n) => n,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    &format!(
                        "Invalid page size specified: '{text}'. Must be between 1 and {MAX_USERS_PAGE} inclusive."
                    ),
                    extra,
                );
            }
        },
    };
    let start = match req.query("$skiptoken") {
        None => 0,
        Some(token) => match decode_skiptoken(token) {
            Some(n) => n,
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    "The specified page token value has expired or is invalid.",
                    extra,
                );
            }
        },
    };
    let filtered: Option<Vec<u32>> = match req.query("$filter") {
        None => None,
        Some(text) => match parse_filter(text) {
            Ok(clauses) if clauses.len() > MAX_FILTER_IN_VALUES => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    &format!(
                        "Too many child clauses specified in search filter expression containing 'OR' operators: {}. Max allowed: {MAX_FILTER_IN_VALUES}.",
                        clauses.len()
                    ),
                    extra,
                );
            }
            Ok(clauses) => {
                let mut found: Vec<u32> = clauses
                    .iter()
                    .filter_map(|(property, value)| match *property {
                        "userPrincipalName" => world.find_upn(value),
                        "mail" => world.find_mail(value),
                        _ => super::directory::parse_guid(value)
                            .and_then(|_| world.find_entra(value)),
                    })
                    .collect::<HashSet<u32>>()
                    .into_iter()
                    .collect();
                found.sort_unstable();
                Some(found)
            }
            Err(message) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    &message,
                    extra,
                );
            }
        },
    };
    let with_count = match req.query("$count") {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => {
            if let Err(reply) = needs_eventual(req, extra) {
                return reply;
            }
            true
        }
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                "Request_BadRequest",
                &format!("Invalid $count value '{other}': expected true or false."),
                extra,
            );
        }
    };
    let mut value = Vec::with_capacity(top.min(1000));
    let mut next_index = None;
    let candidates: Box<dyn Iterator<Item = u32>> = match &filtered {
        Some(list) => Box::new(list.iter().copied().filter(move |&i| i as usize >= start)),
        None => Box::new((start as u32..world.dir.count).filter(|&i| !world.user(i).deleted)),
    };
    for i in candidates {
        if value.len() == top {
            next_index = Some(i as usize);
            break;
        }
        value.push(user_json(world, i, select.as_deref()));
    }
    let context = match &select {
        Some(props) => format!(
            "{}/graph/v1.0/$metadata#users({})",
            req.origin,
            props.join(",")
        ),
        None => format!("{}/graph/v1.0/$metadata#users", req.origin),
    };
    let mut body = json!({"@odata.context": context});
    if with_count {
        let total = match &filtered {
            Some(list) => list.len(),
            None => world.live_users().count(),
        };
        body["@odata.count"] = json!(total);
    }
    body["value"] = json!(value);
    if let Some(next) = next_index {
        let mut query: Vec<(String, String)> = req
            .query
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("$skiptoken"))
            .cloned()
            .collect();
        query.push(("$skiptoken".to_string(), encode_skiptoken(next)));
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        body["@odata.nextLink"] = json!(format!("{}/graph/v1.0/users?{encoded}", req.origin));
    }
    Reply::ok(body)
}

fn encode_skiptoken(index: usize) -> String {
    format!(
        "RFNwdAIAAQAAA{}",
        tokens::b64(format!("sim:{index}").as_bytes())
    )
}

fn decode_skiptoken(token: &str) -> Option<usize> {
    let raw = tokens::unb64(token.strip_prefix("RFNwdAIAAQAAA")?)?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("sim:")?
        .parse()
        .ok()
}

#[derive(Deserialize)]
struct BatchEnvelope {
    requests: Option<Vec<Value>>,
}

/// `POST /$batch`: at most 20 requests, each answered (and throttled) on its own.
fn batch(
    sim: &Sim,
    state: &mut State,
    req: &Req,
    caller: &Caller,
    extra: &[(&'static str, String)],
) -> Reply {
    let envelope: BatchEnvelope = match req.json() {
        Ok(body) => body,
        Err(message) => return error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra),
    };
    let Some(raw) = envelope.requests else {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Invalid batch payload format: 'requests' is missing.",
            extra,
        );
    };
    if raw.is_empty() || raw.len() > MAX_BATCH_REQUESTS {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "Invalid batch payload format: a batch holds 1 to {MAX_BATCH_REQUESTS} requests, not {}.",
                raw.len()
            ),
            extra,
        );
    }
    let parsed: BatchRequest = match serde_json::from_value(json!({"requests": raw})) {
        Ok(parsed) => parsed,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                &format!("Invalid batch payload format: {e}"),
                extra,
            );
        }
    };
    let mut seen = HashSet::new();
    for item in &parsed.requests {
        if !seen.insert(item.id.clone()) {
            return error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                &format!(
                    "Invalid batch payload format: the request id '{}' is used twice.",
                    item.id
                ),
                extra,
            );
        }
    }
    let mut statuses: std::collections::HashMap<String, u16> = std::collections::HashMap::new();
    let mut responses = Vec::with_capacity(parsed.requests.len());
    for item in &parsed.requests {
        let failed_dependency = item
            .depends_on
            .iter()
            .any(|d| statuses.get(d).is_none_or(|s| !(200..300).contains(s)));
        let reply = if failed_dependency {
            error(
                StatusCode::FAILED_DEPENDENCY,
                "FailedDependency",
                "A request this one depends on failed.",
                extra,
            )
        } else {
            batch_item(sim, state, req, caller, item, extra)
        };
        statuses.insert(item.id.clone(), reply.status.as_u16());
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
        let mut response =
            json!({"id": item.id, "status": reply.status.as_u16(), "headers": headers});
        if let Some(body) = reply.body.into_value() {
            response["body"] = body;
        }
        responses.push(response);
    }
    Reply::ok(json!({"responses": responses}))
}

fn batch_item(
    sim: &Sim,
    state: &mut State,
    outer: &Req,
    caller: &Caller,
    item: &crate::wire::graph::BatchRequestItem,
    extra: &[(&'static str, String)],
) -> Reply {
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
    let method = item.method.to_ascii_uppercase();
    let Some((route, params)) = match_route(ROUTES, &method, &path) else {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "Resource not found for the segment '{}'.",
                path.rsplit('/').next().unwrap_or("")
            ),
            extra,
        );
    };
    if route == "POST /$batch" || route.starts_with("POST /login") {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "A batch request cannot contain this request.",
            extra,
        );
    }
    let body = match &item.body {
        Some(value) => axum::body::Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        None => axum::body::Bytes::new(),
    };
    if !body.is_empty()
        && !item
            .headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("json"))
    {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Content-Type header must be specified for a request with a body.",
            extra,
        );
    }
    let req = Req {
        method,
        path,
        query,
        headers: item
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        body,
        origin: outer.origin.clone(),
    };
    let storm = state.faults.get(&super::System::Graph).and_then(|fault| {
        super::server::storm_reply(state.world.now_ms(), super::System::Graph, fault, extra)
    });
    let reply = match storm {
        Some(reply) => reply,
        None => api(sim, state, &req, caller, route, &params, extra),
    };
    state
        .stats
        .record(super::System::Graph, route, reply.status.as_u16());
    reply
}

/// Presence of one user as the control API shows it (sessions and preferred included).
pub fn presence_detail(world: &mut World, i: u32) -> Value {
    let presence = presence_json(world, i);
    let sessions: Vec<Value> = world
        .sessions(i)
        .iter()
        .map(|s| {
            json!({
                "sessionId": &*s.id,
                "availability": s.availability,
                "activity": s.activity,
                "expiresAt": s.expires_ms.map(iso),
            })
        })
        .collect();
    let preferred = world.preferred(i).map(|p| {
        json!({"availability": p.availability, "activity": p.activity, "expiresAt": iso(p.expires_ms)})
    });
    json!({"presence": presence, "sessions": sessions, "preferred": preferred})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_like_graph() {
        let f = parse_filter("userPrincipalName in ('a@x.com', 'b''c@x.com')").unwrap();
        assert_eq!(
            f,
            vec![
                ("userPrincipalName", "a@x.com".into()),
                ("userPrincipalName", "b'c@x.com".into())
            ]
        );
        let f = parse_filter("userPrincipalName eq 'a@x.com' or mail eq 'a@y.com'").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].0, "mail");
        assert!(parse_filter("displayName eq 'x'").is_err());
        assert!(parse_filter("mail in ('a'").is_err());
        assert!(parse_filter("mail eq 'a' and id eq 'b'").is_err());
    }

    #[test]
    fn skiptokens_round_trip() {
        assert_eq!(decode_skiptoken(&encode_skiptoken(1234)), Some(1234));
        assert_eq!(decode_skiptoken("garbage"), None);
    }
}
