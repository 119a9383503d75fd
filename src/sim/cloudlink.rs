//! Mitel CloudLink, following its public conventions (`docs/contracts/cloudlink.md`): the
//! JSON token endpoint, admin users with `_links.next` paging, and presentities (the
//! MiCollab dynamic status plus the Teams activity) with versioned, optimistic writes and a
//! bulk `PATCH`.

use std::sync::Arc;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::directory::PrincipalId;
use super::mitel::{self, Accepts, error};
use super::server::{AsText, BodyText, Reply, Req, System, match_route};
use super::world::{IsoTime, World, teams_status};
use super::{MitelList, Sim, State, mitel_list};

pub const ROUTES: &[&str] = &[
    "POST /authentication/2017-09-01/token",
    "GET /admin/2017-09-01/accounts/{account}/users",
    "GET /admin/2017-09-01/accounts/{account}/users/{user}",
    "GET /presence/2017-09-01/presentities",
    "POST /presence/2017-09-01/presentities/query",
    "PATCH /presence/2017-09-01/presentities",
    "GET /presence/2017-09-01/presentities/{principal}",
    "PUT /presence/2017-09-01/presentities/{principal}",
];

pub const MAX_BATCH: usize = 1000;

type Extra<'a> = &'a [(&'static str, String)];

pub fn dispatch(sim: &Sim, state: &mut State, req: &Req, extra: Extra) -> Reply {
    let Some((route, params)) = match_route(ROUTES, &req.method, &req.path) else {
        return error(
            StatusCode::NOT_FOUND,
            "NoSuchRoute",
            &format!("{} {} is not a CloudLink API route.", req.method, req.path),
            extra,
            None,
        );
    };
    let creds = &sim.credentials;
    if route == "POST /authentication/2017-09-01/token" {
        return mitel::token(
            state,
            System::Cloudlink,
            req,
            Accepts::ClientCredentials {
                account_id: &creds.cloudlink_account_id,
                client_id: &creds.cloudlink_client_id,
                client_secret: &creds.cloudlink_client_secret,
            },
            extra,
        );
    }
    let principal = match mitel::authenticate(state, System::Cloudlink, req, extra) {
        Ok(principal) => principal,
        Err(reply) => return reply,
    };
    let account = &creds.cloudlink_account_id;
    let account_id: Arc<str> = Arc::from(account.as_str());
    let world = &mut state.world;
    let p0 = params.first().map_or("", String::as_str);
    let p1 = params.get(1).map_or("", String::as_str);
    match route {
        "GET /admin/2017-09-01/accounts/{account}/users" => {
            if p0 != account {
                return unknown_account(p0, extra);
            }
            let (limit, start) = match mitel::page_params(req, extra) {
                Ok(p) => p,
                Err(reply) => return reply,
            };
            let mut items = Vec::with_capacity(limit);
            let mut next = None;
            for i in (start as u32)..world.dir.count {
                if world.user(i).deleted {
                    continue;
                }
                if items.len() == limit {
                    next = Some(i as usize);
                    break;
                }
                items.push(user_json(world, i, account));
            }
            let (self_link, next_link) = mitel::page_links(req, "/cloudlink", limit, next);
            Reply::ok(mitel_list(items, self_link, next_link))
        }
        "GET /admin/2017-09-01/accounts/{account}/users/{user}" => {
            if p0 != account {
                return unknown_account(p0, extra);
            }
            match world.find_cloudlink_user(p1) {
                Some(i) => Reply::ok(user_json(world, i, account)),
                None => error(
                    StatusCode::NOT_FOUND,
                    "UserNotFound",
                    &format!("No user {p1:?} in account {account}."),
                    extra,
                    None,
                ),
            }
        }
        "GET /presence/2017-09-01/presentities" => {
            let (limit, start) = match mitel::page_params(req, extra) {
                Ok(p) => p,
                Err(reply) => return reply,
            };
            let mut items = Vec::with_capacity(limit);
            let mut next = None;
            for i in (start as u32)..world.dir.count {
                if world.user(i).deleted {
                    continue;
                }
                if items.len() == limit {
                    next = Some(i as usize);
                    break;
                }
                items.push(presentity_json(world, i, &account_id));
            }
            let (self_link, next_link) = mitel::page_links(req, "/cloudlink", limit, next);
            Reply::ok_encoded_unlocked(MitelList::new(items, self_link, next_link))
        }
        "POST /presence/2017-09-01/presentities/query" => {
            #[derive(Deserialize)]
            struct Query<'a> {
                #[serde(borrow)]
                ids: Option<Vec<BodyText<'a>>>,
            }
            let ids = match req.json::<Query>() {
                Ok(Query { ids: Some(ids) }) => ids,
                Ok(_) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "InvalidRequest",
                        "The body must be {\"ids\":[principalId,…]}.",
                        extra,
                        None,
                    );
                }
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
            if ids.len() > MAX_BATCH {
                return error(
                    StatusCode::BAD_REQUEST,
                    "TooManyIds",
                    &format!("At most {MAX_BATCH} ids per query, not {}.", ids.len()),
                    extra,
                    None,
                );
            }
            let mut items = Vec::with_capacity(ids.len());
            let mut not_found = Vec::new();
            for id in ids.iter().map(AsRef::as_ref) {
                match world.find_principal(id) {
                    Some(i) => items.push(presentity_json(world, i, &account_id)),
                    None => not_found.push(id),
                }
            }
            let self_link = format!("{}/cloudlink{}", req.origin, req.path);
            Reply::ok_encoded_unlocked(
                MitelList::new(items, self_link, None).with_not_found(not_found),
            )
        }
        "GET /presence/2017-09-01/presentities/{principal}" => match world.find_principal(p0) {
            Some(i) => {
                let version = world.user(i).presentity.version;
                Reply::ok_serialized(&presentity_json(world, i, &account_id))
                    .with_header("etag", format!("\"{version}\""))
            }
            None => presentity_not_found(p0, extra),
        },
        "PUT /presence/2017-09-01/presentities/{principal}" => {
            let body: Value = match req.json() {
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
            let if_match = req
                .header("if-match")
                .map(|v| v.trim().trim_matches('"').to_string());
            match world.find_principal(p0) {
                Some(i) => {
                    let reply = write_presentity(
                        world,
                        i,
                        &body,
                        if_match.as_deref(),
                        &principal,
                        account,
                        extra,
                    );
                    let version = world.user(i).presentity.version;
                    reply.with_header("etag", format!("\"{version}\""))
                }
                None => presentity_not_found(p0, extra),
            }
        }
        "PATCH /presence/2017-09-01/presentities" => {
            let ops = match mitel::operations(req, extra) {
                Ok(ops) => ops,
                Err(reply) => return reply,
            };
            let results: Vec<Value> = ops
                .iter()
                .map(|op| {
                    let reply = match (op.op.as_deref(), op.id.as_deref()) {
                        (Some("replace") | Some("update"), Some(id)) => {
                            match world.find_principal(id) {
                                Some(i) => write_presentity(
                                    world, i, &op.body, None, &principal, account, extra,
                                ),
                                None => presentity_not_found(id, extra),
                            }
                        }
                        (_, None) => error(
                            StatusCode::BAD_REQUEST,
                            "InvalidOperation",
                            "Every operation needs an id (the principalId).",
                            extra,
                            None,
                        ),
                        (other, _) => error(
                            StatusCode::BAD_REQUEST,
                            "InvalidOperation",
                            &format!("op {other:?} is not supported (use \"replace\")."),
                            extra,
                            None,
                        ),
                    };
                    mitel::operation_result(op, reply)
                })
                .collect();
            Reply::ok(json!({"operations": results}))
        }
        _ => error(
            StatusCode::NOT_FOUND,
            "NoSuchRoute",
            "Unknown route.",
            extra,
            None,
        ),
    }
}

fn unknown_account(account: &str, extra: Extra) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "AccountNotFound",
        &format!("No account {account:?} (or not yours)."),
        extra,
        None,
    )
}

fn presentity_not_found(id: &str, extra: Extra) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "PresentityNotFound",
        &format!("No presentity {id:?}."),
        extra,
        None,
    )
}

pub fn user_json(world: &World, i: u32, account: &str) -> Value {
    let facts = world.dir.facts(i);
    json!({
        "userId": super::directory::format_guid(world.dir.cloudlink_user_id(i)),
        "accountId": account,
        "principalId": world.dir.principal_id(i),
        "name": facts.display_name,
        "firstName": facts.given_name,
        "lastName": facts.surname,
        "email": facts.mail,
        "extension": facts.extension,
        "role": "USER",
    })
}

/// One presentity as the API answers it, copied out of the world so that a bulk read
/// encodes it once the state is unlocked (see [`Reply::ok_encoded_unlocked`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresentityJson {
    principal_id: AsText<PrincipalId>,
    user_id: uuid::Uuid,
    account_id: Arc<str>,
    status: Box<str>,
    activity: Option<Box<str>>,
    teams_managed: bool,
    version: u64,
    source: Box<str>,
    updated_on: IsoTime,
}

pub fn presentity_json(world: &World, i: u32, account: &Arc<str>) -> PresentityJson {
    let p = &world.user(i).presentity;
    PresentityJson {
        principal_id: AsText(world.dir.principal(i)),
        user_id: uuid::Uuid::from_u128(world.dir.cloudlink_user_id(i)),
        account_id: Arc::clone(account),
        status: p.status.clone(),
        activity: p.activity.clone(),
        teams_managed: world.teams_effective(i),
        version: p.version,
        source: p.source.clone(),
        updated_on: IsoTime(p.updated_ms),
    }
}

/// Writes `{"status","activity"?,"source"?,"version"?}` with optimistic concurrency: a
/// version (in the body or `If-Match`) that is not the current one answers 412.
fn write_presentity(
    world: &mut World,
    i: u32,
    body: &Value,
    if_match: Option<&str>,
    writer: &str,
    account: &str,
    extra: Extra,
) -> Reply {
    let Some(object) = body.as_object() else {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "The body must be a JSON object.",
            extra,
            None,
        );
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !["status", "activity", "source", "version"].contains(&k.as_str()))
    {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &format!("Unknown field {unknown:?} (fields: status, activity, source, version)."),
            extra,
            None,
        );
    }
    let expected = match (object.get("version"), if_match) {
        (Some(v), _) => match v.as_u64() {
            Some(v) => Some(v),
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "version must be a number.",
                    extra,
                    None,
                );
            }
        },
        (None, Some(tag)) if tag != "*" => match tag.parse::<u64>() {
            Ok(v) => Some(v),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "If-Match must be the presentity's version (its ETag).",
                    extra,
                    None,
                );
            }
        },
        _ => None,
    };
    let status = match object.get("status").and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() && s.len() <= 64 => s.trim(),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidStatus",
                "status is required: the MiCollab dynamic status name (1 to 64 characters).",
                extra,
                None,
            );
        }
    };
    let activity = match object.get("activity") {
        None | Some(Value::Null) => None,
        Some(Value::String(a)) if a.len() <= 64 => Some(a.as_str()),
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidActivity",
                "activity must be a string of at most 64 characters, or null.",
                extra,
                None,
            );
        }
    };
    let source = match object.get("source") {
        None | Some(Value::Null) => writer.to_string(),
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 64 => s.clone(),
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidSource",
                "source must be a non-empty string of at most 64 characters.",
                extra,
                None,
            );
        }
    };
    // While Teams manages the user's status, MiCollab offers only the Teams status set.
    let status = if world.teams_effective(i) {
        match teams_status(status) {
            Some(s) => s.to_string(),
            None => {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "StatusNotAvailable",
                    &format!(
                        "{status:?} is not available: Microsoft Teams manages this user's status, so only the Teams statuses can be set."
                    ),
                    extra,
                    Some(json!({"allowedStatuses": super::world::TEAMS_STATUSES})),
                );
            }
        }
    } else {
        status.to_string()
    };
    let current = world.user(i).presentity.version;
    if let Some(expected) = expected
        && expected != current
    {
        return error(
            StatusCode::PRECONDITION_FAILED,
            "VersionMismatch",
            &format!(
                "The presentity changed since version {expected} (it is at version {current}): read it again."
            ),
            extra,
            Some(json!({"currentVersion": current, "source": &*world.user(i).presentity.source})),
        );
    }
    let now = world.now_ms();
    let p = &mut world.user_mut(i).presentity;
    p.status = status.into();
    p.activity = activity.map(Into::into);
    p.source = source.into();
    p.version += 1;
    p.updated_ms = now;
    Reply::ok_serialized(&presentity_json(world, i, &Arc::from(account)))
}

/// Writes a presentity as another writer (MiCollab itself, a person): for the control API.
pub fn write_as(world: &mut World, i: u32, status: &str, activity: Option<&str>, source: &str) {
    let now = world.now_ms();
    let p = &mut world.user_mut(i).presentity;
    p.status = status.into();
    p.activity = activity.map(Into::into);
    p.source = source.into();
    p.version += 1;
    p.updated_ms = now;
}
