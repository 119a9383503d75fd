//! What the three Mitel systems of the emulator share: the error shape, the token endpoint
//! (CloudLink's conventions: JSON body, `{"token_type":"bearer",…}` answer), bearer checks,
//! paging links and the bulk `PATCH` envelope.

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::State;
use super::server::{Reply, Req, System};

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
pub enum Accepts<'a> {
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

/// `POST …/2017-09-01/token`.
pub fn token(
    state: &mut State,
    system: System,
    req: &Req,
    accepts: Accepts<'_>,
    extra: &[(&'static str, String)],
) -> Reply {
    let body: TokenRequest = match req.json() {
        Ok(body) => body,
        Err(message) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidRequest",
                &message,
                extra,
                None,
            );
        }
    };
    let now = state.world.now_ms();
    let grant = body.grant_type.as_deref().unwrap_or_default();
    let principal = match (grant, &accepts) {
        ("refresh_token", _) => {
            let Some(refresh) = body.refresh_token.as_deref() else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "refresh_token is required with grant_type refresh_token",
                    extra,
                    None,
                );
            };
            match state.tokens.redeem_refresh(system, refresh, now) {
                Some(principal) => principal,
                None => {
                    return error(
                        StatusCode::UNAUTHORIZED,
                        "InvalidGrant",
                        "The refresh token is invalid, expired or already used.",
                        extra,
                        None,
                    );
                }
            }
        }
        ("password", Accepts::Password { username, password }) => {
            let (Some(given_user), Some(given_password)) =
                (body.username.as_deref(), body.password.as_deref())
            else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "username and password are required with grant_type password",
                    extra,
                    None,
                );
            };
            if !given_user.eq_ignore_ascii_case(username) || given_password != *password {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidCredentials",
                    "The username or password is incorrect.",
                    extra,
                    None,
                );
            }
            given_user.to_string()
        }
        (
            "client_credentials",
            Accepts::ClientCredentials {
                account_id,
                client_id,
                client_secret,
            },
        ) => {
            if body.account_id.as_deref() != Some(*account_id) {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidAccount",
                    &format!("Unknown account {:?}.", body.account_id.unwrap_or_default()),
                    extra,
                    None,
                );
            }
            if body.client_id.as_deref() != Some(*client_id)
                || body.client_secret.as_deref() != Some(*client_secret)
            {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidClient",
                    "The client id or client secret is incorrect.",
                    extra,
                    None,
                );
            }
            client_id.to_string()
        }
        (other, _) => {
            let supported = match accepts {
                Accepts::Password { .. } => "password, refresh_token",
                Accepts::ClientCredentials { .. } => "client_credentials, refresh_token",
            };
            return error(
                StatusCode::BAD_REQUEST,
                "UnsupportedGrantType",
                &format!("grant_type {other:?} is not supported here (supported: {supported})."),
                extra,
                None,
            );
        }
    };
    Reply::ok(state.tokens.issue(system, &principal, now))
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
pub fn operations(req: &Req, extra: &[(&'static str, String)]) -> Result<Vec<Operation>, Reply> {
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

/// One operation's result: `{"id","op","status","body"}`.
pub fn operation_result(op: &Operation, reply: Reply) -> Value {
    json!({
        "id": op.id,
        "op": op.op,
        "status": reply.status.as_u16(),
        "body": reply.body.into_value(),
    })
}
