//! What the three Mitel systems of the emulator share: the error shape, the token endpoint
//! (CloudLink's conventions: JSON body, `{"token_type":"bearer",…}` answer), bearer checks,
//! paging links and the bulk `PATCH` envelope.

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::routes::{Call, Handler, Routes};
use super::server::{Reply, Req, System};
use super::{Sim, State};

/// `{"name","code","reason","message","correlationId","data"}`.
pub fn error(
    status: StatusCode,
    reason: &str,
    message: &str,
    extra: &[(&'static str, String)],
    data: Option<Value>,
) -> Reply {
    let correlation = extra
        .iter()
        .find(|(k, _)| *k == "x-mitel-correlation-id")
        .map(|(_, v)| v.clone());
    let name = match status.as_u16() {
        400 => "BadRequest",
        401 => "NotAuthenticated",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        422 => "Unprocessable",
        429 => "TooManyRequests",
        503 => "Unavailable",
        _ => "GeneralError",
    };
    let mut body = json!({
        "name": name,
        "code": status.as_u16(),
        "reason": reason,
        "message": message,
        "correlationId": correlation,
    });
    if let Some(data) = data {
        body["data"] = data;
    }
    Reply::json(status, body)
}

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    username: Option<String>,
    password: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    account_id: Option<String>,
}

/// The credentials a system's token endpoint accepts.
#[derive(Clone, Copy)]
enum Accepts<'a> {
    Password {
        username: &'a str,
        password: &'a str,
    },
    ClientCredentials {
        account_id: &'a str,
        client_id: &'a str,
        client_secret: &'a str,
    },
}

impl Accepts<'_> {
    /// What `system`'s token endpoint accepts: CloudLink a client, the others a password.
    fn of(system: System, creds: &super::Credentials) -> Accepts<'_> {
        match system {
            System::Cloudlink => Accepts::ClientCredentials {
                account_id: &creds.cloudlink_account_id,
                client_id: &creds.cloudlink_client_id,
                client_secret: &creds.cloudlink_client_secret,
            },
            System::Pbx => Accepts::Password {
                username: &creds.pbx_username,
                password: &creds.pbx_password,
            },
            _ => Accepts::Password {
                username: &creds.micollab_username,
                password: &creds.micollab_password,
            },
        }
    }
}

/// A request's JSON body, or the 400 `InvalidRequest` that says what is wrong with it.
pub fn json_body<'a, T: Deserialize<'a>>(
    req: &'a Req,
    extra: &[(&'static str, String)],
) -> Result<T, Reply> {
    req.json().map_err(|message| {
        error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &message,
            extra,
            None,
        )
    })
}

/// Routes a Mitel system's request: its token route answers anyone, every other route only
/// a valid bearer token of this system.
pub fn dispatch(
    sim: &Sim,
    state: &mut State,
    req: &Req,
    extra: &[(&'static str, String)],
    (system, routes): (System, &Routes<Handler>),
    unmatched: impl FnOnce() -> Reply,
) -> Reply {
    let Some(matched) = routes.find(&req.method, &req.path) else {
        return unmatched();
    };
    let mut call = Call::new(sim, state, req, matched.params, extra);
    if !matched.template.ends_with("/token") {
        match authenticate(call.state, system, req, extra) {
            Ok(principal) => call.principal = principal,
            Err(reply) => return reply,
        }
    }
    (matched.handler)(&mut call)
}

fn refused(status: StatusCode, code: &str, message: &str, extra: Extra) -> Reply {
    error(status, code, message, extra, None)
}

type Extra<'a> = &'a [(&'static str, String)];

/// `POST …/2017-09-01/token`: a password or client-credentials grant (as the system
/// accepts), or a refresh token, answered with a new access and refresh token.
pub fn token(call: &mut Call, system: System) -> Reply {
    let (state, req, extra) = (&mut *call.state, call.req, call.extra);
    let accepts = Accepts::of(system, &call.sim.credentials);
    let body: TokenRequest = match json_body(req, extra) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let now = state.world.now_ms();
    let principal = match (body.grant_type.as_deref().unwrap_or_default(), accepts) {
        ("refresh_token", _) => {
            let refresh = body.refresh_token.as_deref().ok_or_else(|| {
                refused(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "refresh_token is required with grant_type refresh_token",
                    extra,
                )
            });
            refresh.and_then(|refresh| {
                state
                    .tokens
                    .redeem_refresh(system, refresh, now)
                    .ok_or_else(|| {
                        refused(
                            StatusCode::UNAUTHORIZED,
                            "InvalidGrant",
                            "The refresh token is invalid, expired or already used.",
                            extra,
                        )
                    })
            })
        }
        ("password", Accepts::Password { username, password }) => {
            password_grant(&body, (username, password), extra)
        }
        (
            "client_credentials",
            Accepts::ClientCredentials {
                account_id,
                client_id,
                client_secret,
            },
        ) => client_grant(&body, (account_id, client_id, client_secret), extra),
        (other, accepts) => {
            let supported = match accepts {
                Accepts::Password { .. } => "password, refresh_token",
                Accepts::ClientCredentials { .. } => "client_credentials, refresh_token",
            };
            Err(refused(
                StatusCode::BAD_REQUEST,
                "UnsupportedGrantType",
                &format!("grant_type {other:?} is not supported here (supported: {supported})."),
                extra,
            ))
        }
    };
    match principal {
        Ok(principal) => Reply::ok(state.tokens.issue(system, &principal, now)),
        Err(reply) => reply,
    }
}

/// A password grant's principal: the user, when the password is right.
fn password_grant(
    body: &TokenRequest,
    (username, password): (&str, &str),
    extra: Extra,
) -> Result<String, Reply> {
    let (Some(given_user), Some(given_password)) =
        (body.username.as_deref(), body.password.as_deref())
    else {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "username and password are required with grant_type password",
            extra,
        ));
    };
    if !given_user.eq_ignore_ascii_case(username) || given_password != password {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "InvalidCredentials",
            "The username or password is incorrect.",
            extra,
        ));
    }
    Ok(given_user.to_string())
}

/// A client-credentials grant's principal: the client, in its own account.
fn client_grant(
    body: &TokenRequest,
    (account_id, client_id, client_secret): (&str, &str, &str),
    extra: Extra,
) -> Result<String, Reply> {
    if body.account_id.as_deref() != Some(account_id) {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "InvalidAccount",
            &format!(
                "Unknown account {:?}.",
                body.account_id.as_deref().unwrap_or_default()
            ),
            extra,
        ));
    }
    if body.client_id.as_deref() != Some(client_id)
        || body.client_secret.as_deref() != Some(client_secret)
    {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "InvalidClient",
            "The client id or client secret is incorrect.",
            extra,
        ));
    }
    Ok(client_id.to_string())
}

/// Checks the bearer token; `Err(reply)` is the 401 to send. `Ok(principal)` otherwise.
pub fn authenticate(
    state: &State,
    system: System,
    req: &Req,
    extra: &[(&'static str, String)],
) -> Result<String, Reply> {
    match state
        .tokens
        .check(system, req.bearer(), state.world.now_ms())
    {
        Ok(token) => Ok(token.principal.clone()),
        Err(reason) => {
            let message = match reason {
                "MissingToken" => "An Authorization: Bearer token is required.",
                "TokenExpired" => "The access token has expired: request a new one.",
                _ => "The access token is not valid for this service.",
            };
            Err(error(
                StatusCode::UNAUTHORIZED,
                reason,
                message,
                extra,
                None,
            ))
        }
    }
}

/// Paging parameters: `limit` (1..=1000, default 100) and an opaque `next` cursor.
pub fn page_params(req: &Req, extra: &[(&'static str, String)]) -> Result<(usize, usize), Reply> {
    let limit = match req.query("limit") {
        None => 100,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidLimit",
                    &format!("limit {text:?}: expected 1 to 1000"),
                    extra,
                    None,
                ));
            }
        },
    };
    let start = match req.query("next") {
        None => 0,
        Some(cursor) => match cursor
            .strip_prefix("c")
            .and_then(|n| usize::from_str_radix(n, 16).ok())
        {
            Some(n) => n,
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidCursor",
                    "The next cursor is not valid: use _links.next as given.",
                    extra,
                    None,
                ));
            }
        },
    };
    Ok((limit, start))
}

pub fn cursor(index: usize) -> String {
    format!("c{index:x}")
}

/// `self` and `next` links for a page of a list at `base_path` (absolute URLs).
pub fn page_links(
    req: &Req,
    prefix: &str,
    limit: usize,
    next: Option<usize>,
) -> (String, Option<String>) {
    let keep: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| k != "next" && k != "limit")
        .cloned()
        .collect();
    let build = |cursor_value: Option<String>| {
        let mut query = keep.clone();
        query.push(("limit".to_string(), limit.to_string()));
        if let Some(c) = cursor_value {
            query.push(("next".to_string(), c));
        }
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        format!("{}{prefix}{}?{encoded}", req.origin, req.path)
    };
    let self_link = build(req.query("next").map(str::to_string));
    (self_link, next.map(|n| build(Some(cursor(n)))))
}

/// One operation of a bulk `PATCH`: `{"op","id","body"}`.
#[derive(Debug, Deserialize)]
pub struct Operation {
    pub op: Option<String>,
    pub id: Option<String>,
    #[serde(default)]
    pub body: Value,
}

#[derive(Debug, Deserialize)]
pub struct Operations {
    pub operations: Option<Vec<Operation>>,
}

/// At most this many operations per bulk `PATCH`.
pub const MAX_OPERATIONS: usize = 1000;

/// Parses the bulk envelope; `Err(reply)` when it is not one.
fn operations(req: &Req, extra: &[(&'static str, String)]) -> Result<Vec<Operation>, Reply> {
    let parsed: Operations = req.json().map_err(|message| {
        error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &message,
            extra,
            None,
        )
    })?;
    let ops = parsed.operations.ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "The body must be {\"operations\":[{\"op\",\"id\",\"body\"}]}.",
            extra,
            None,
        )
    })?;
    if ops.is_empty() || ops.len() > MAX_OPERATIONS {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "TooManyOperations",
            &format!(
                "A bulk request holds 1 to {MAX_OPERATIONS} operations, not {}.",
                ops.len()
            ),
            extra,
            None,
        ));
    }
    Ok(ops)
}

/// A bulk `PATCH`: its operations answered in order, `apply(id, body)` for each `replace`
/// (or `update`) with an id, `InvalidOperation` for the others (`id_name`: what the id is).
pub fn bulk_patch(
    req: &Req,
    extra: &[(&'static str, String)],
    id_name: &str,
    mut apply: impl FnMut(&str, &Value) -> Reply,
) -> Reply {
    let ops = match operations(req, extra) {
        Ok(ops) => ops,
        Err(reply) => return reply,
    };
    let invalid = |message: &str| {
        error(
            StatusCode::BAD_REQUEST,
            "InvalidOperation",
            message,
            extra,
            None,
        )
    };
    let results: Vec<Value> = ops
        .iter()
        .map(|op| {
            let reply = match (op.op.as_deref(), op.id.as_deref()) {
                (Some("replace") | Some("update"), Some(id)) => apply(id, &op.body),
                (_, None) => invalid(&format!("Every operation needs an id (the {id_name}).")),
                (other, _) => invalid(&format!("op {other:?} is not supported (use \"replace\").")),
            };
            operation_result(op, reply)
        })
        .collect();
    Reply::ok(json!({"operations": results}))
}

/// One operation's result: `{"id","op","status","body"}`.
fn operation_result(op: &Operation, reply: Reply) -> Value {
    json!({
        "id": op.id,
        "op": op.op,
        "status": reply.status.as_u16(),
        "body": reply.body.into_value(),
    })
}
