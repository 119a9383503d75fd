//! Mitel CloudLink, following its public conventions (`docs/contracts/cloudlink.md`): the
//! JSON token endpoint, admin users with `_links.next` paging, and presentities (the
//! MiCollab dynamic status plus the Teams activity) with versioned, optimistic writes and a
//! bulk `PATCH`.

use std::sync::{Arc, LazyLock};

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::directory::PrincipalId;
use super::mitel::{self, error};
use super::routes::{Call, Handler, Routes};
use super::server::{AsText, BodyText, Reply, Req, System};
use super::world::{IsoTime, World, teams_status};
use super::{MitelList, Sim, State, mitel_list};

/// The API's routes, each with its handler.
pub static ROUTES: LazyLock<Routes<Handler>> = LazyLock::new(|| {
    Routes::<Handler>::new(&[
        ("POST /authentication/2017-09-01/token", token),
        ("GET /admin/2017-09-01/accounts/{account}/users", list_users),
        (
            "GET /admin/2017-09-01/accounts/{account}/users/{user}",
            one_user,
        ),
        ("GET /presence/2017-09-01/presentities", list_presentities),
        (
            "POST /presence/2017-09-01/presentities/query",
            query_presentities,
        ),
        ("PATCH /presence/2017-09-01/presentities", bulk_write),
        (
            "GET /presence/2017-09-01/presentities/{principal}",
            one_presentity,
        ),
        (
            "PUT /presence/2017-09-01/presentities/{principal}",
            put_presentity,
        ),
    ])
});

pub const MAX_BATCH: usize = 1000;

type Extra<'a> = &'a [(&'static str, String)];

pub fn dispatch(sim: &Sim, state: &mut State, req: &Req, extra: Extra) -> Reply {
    mitel::dispatch(sim, state, req, extra, (System::Cloudlink, &ROUTES), || {
        error(
            StatusCode::NOT_FOUND,
            "NoSuchRoute",
            &format!("{} {} is not a CloudLink API route.", req.method, req.path),
            extra,
            None,
        )
    })
}

fn token(call: &mut Call) -> Reply {
    mitel::token(call, System::Cloudlink)
}

/// The account the route names, when it is the caller's own.
fn own_account<'c>(call: &'c Call) -> Result<&'c str, Reply> {
    let account = call.sim.credentials.cloudlink_account_id.as_str();
    match call.param(0) {
        named if named == account => Ok(account),
        named => Err(unknown_account(named, call.extra)),
    }
}

fn list_users(call: &mut Call) -> Reply {
    let account = match own_account(call) {
        Ok(account) => account,
        Err(reply) => return reply,
    };
    let (world, req) = (&call.state.world, call.req);
    let (limit, start) = match mitel::page_params(req, call.extra) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let (page, next) = world.live_page(start, limit, |_| true);
    let items = page
        .into_iter()
        .map(|i| user_json(world, i, account))
        .collect();
    let (self_link, next_link) = mitel::page_links(req, "/cloudlink", limit, next);
    Reply::ok(mitel_list(items, self_link, next_link))
}

fn one_user(call: &mut Call) -> Reply {
    let account = match own_account(call) {
        Ok(account) => account,
        Err(reply) => return reply,
    };
    let world = &call.state.world;
    let user = call.param(1);
    match world.find_cloudlink_user(user) {
        Some(i) => Reply::ok(user_json(world, i, account)),
        None => error(
            StatusCode::NOT_FOUND,
            "UserNotFound",
            &format!("No user {user:?} in account {account}."),
            call.extra,
            None,
        ),
    }
}

fn account_id(call: &Call) -> Arc<str> {
    Arc::from(call.sim.credentials.cloudlink_account_id.as_str())
}

fn list_presentities(call: &mut Call) -> Reply {
    let (world, req, account_id) = (&call.state.world, call.req, account_id(call));
    let (limit, start) = match mitel::page_params(req, call.extra) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let (page, next) = world.live_page(start, limit, |_| true);
    let items: Vec<_> = page
        .into_iter()
        .map(|i| presentity_json(world, i, &account_id))
        .collect();
    let (self_link, next_link) = mitel::page_links(req, "/cloudlink", limit, next);
    Reply::ok_encoded_unlocked(MitelList::new(items, self_link, next_link))
}

fn query_presentities(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Query<'a> {
        #[serde(borrow)]
        ids: Option<Vec<BodyText<'a>>>,
    }
    let (world, req, extra, account_id) =
        (&call.state.world, call.req, call.extra, account_id(call));
    let invalid = |message: &str| {
        error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            message,
            extra,
            None,
        )
    };
    let ids = match req.json::<Query>() {
        Ok(Query { ids: Some(ids) }) => ids,
        Ok(_) => return invalid("The body must be {\"ids\":[principalId,…]}."),
        Err(message) => return invalid(&message),
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
    Reply::ok_encoded_unlocked(MitelList::new(items, self_link, None).with_not_found(not_found))
}

fn one_presentity(call: &mut Call) -> Reply {
    let (world, account_id) = (&call.state.world, account_id(call));
    let principal = call.param(0);
    match world.find_principal(principal) {
        Some(i) => {
            let version = world.user(i).presentity.version;
            Reply::ok_serialized(&presentity_json(world, i, &account_id))
                .with_header("etag", format!("\"{version}\""))
        }
        None => presentity_not_found(principal, call.extra),
    }
}

fn put_presentity(call: &mut Call) -> Reply {
    let (req, extra) = (call.req, call.extra);
    let body: Value = match mitel::json_body(req, extra) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let if_match = req
        .header("if-match")
        .map(|v| v.trim().trim_matches('"').to_string());
    let target = call.param(0).to_string();
    let writer = Writer {
        principal: &call.principal,
        account: &call.sim.credentials.cloudlink_account_id,
    };
    let world = &mut call.state.world;
    match world.find_principal(&target) {
        Some(i) => {
            let reply = write_presentity(world, i, &body, if_match.as_deref(), writer, extra);
            let version = world.user(i).presentity.version;
            reply.with_header("etag", format!("\"{version}\""))
        }
        None => presentity_not_found(&target, extra),
    }
}

fn bulk_write(call: &mut Call) -> Reply {
    let (req, extra) = (call.req, call.extra);
    let writer = Writer {
        principal: &call.principal,
        account: &call.sim.credentials.cloudlink_account_id,
    };
    let world = &mut call.state.world;
    mitel::bulk_patch(req, extra, "principalId", |id, body| {
        match world.find_principal(id) {
            Some(i) => write_presentity(world, i, body, None, writer, extra),
            None => presentity_not_found(id, extra),
        }
    })
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

/// Who writes through this API: the token's principal, in the caller's account.
#[derive(Clone, Copy)]
struct Writer<'a> {
    principal: &'a str,
    account: &'a str,
}

/// A presentity write as asked, each field checked.
struct Asked<'a> {
    expected: Option<u64>,
    status: &'a str,
    activity: Option<&'a str>,
    source: String,
}

fn invalid(code: &str, message: &str, extra: Extra) -> Reply {
    error(StatusCode::BAD_REQUEST, code, message, extra, None)
}

fn read_asked<'a>(
    body: &'a Value,
    if_match: Option<&str>,
    writer: Writer,
    extra: Extra,
) -> Result<Asked<'a>, Reply> {
    let Some(object) = body.as_object() else {
        return Err(invalid(
            "InvalidRequest",
            "The body must be a JSON object.",
            extra,
        ));
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !["status", "activity", "source", "version"].contains(&k.as_str()))
    {
        return Err(invalid(
            "InvalidRequest",
            &format!("Unknown field {unknown:?} (fields: status, activity, source, version)."),
            extra,
        ));
    }
    let expected = match (object.get("version"), if_match) {
        (Some(v), _) => Some(
            v.as_u64()
                .ok_or_else(|| invalid("InvalidRequest", "version must be a number.", extra))?,
        ),
        (None, Some(tag)) if tag != "*" => Some(tag.parse::<u64>().map_err(|_| {
            invalid(
                "InvalidRequest",
                "If-Match must be the presentity's version (its ETag).",
                extra,
            )
        })?),
        _ => None,
    };
    let status = match object.get("status").and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() && s.len() <= 64 => s.trim(),
        _ => {
            return Err(invalid(
                "InvalidStatus",
                "status is required: the MiCollab dynamic status name (1 to 64 characters).",
                extra,
            ));
        }
    };
    let activity = match object.get("activity") {
        None | Some(Value::Null) => None,
        Some(Value::String(a)) if a.len() <= 64 => Some(a.as_str()),
        Some(_) => {
            return Err(invalid(
                "InvalidActivity",
                "activity must be a string of at most 64 characters, or null.",
                extra,
            ));
        }
    };
    let source = match object.get("source") {
        None | Some(Value::Null) => writer.principal.to_string(),
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 64 => s.clone(),
        Some(_) => {
            return Err(invalid(
                "InvalidSource",
                "source must be a non-empty string of at most 64 characters.",
                extra,
            ));
        }
    };
    Ok(Asked {
        expected,
        status,
        activity,
        source,
    })
}

fn write_presentity(
    world: &mut World,
    i: u32,
    body: &Value,
    if_match: Option<&str>,
    writer: Writer,
    extra: Extra,
) -> Reply {
    let Asked {
        expected,
        status,
        activity,
        source,
    } = match read_asked(body, if_match, writer, extra) {
        Ok(asked) => asked,
        Err(reply) => return reply,
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
    write_as(world, i, &status, activity, &source);
    Reply::ok_serialized(&presentity_json(world, i, &Arc::from(writer.account)))
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
