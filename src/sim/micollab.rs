//! MiCollab (Client Service) as the project defines it (`docs/contracts/micollab.md`):
//! system info, user profiles (default ones refuse changes), users with their Teams flag and
//! client type, the Teams-managed statuses (name and DND immutable, no additions), users'
//! own statuses (hidden while Teams manages status, never deleted) and the notifications
//! MiCollab sends when a user's Teams flag changes.

use std::sync::{Arc, LazyLock};

use axum::http::StatusCode;
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::directory::Directory;
use super::mitel::{self, Accepts, error};
use super::server::{AsText, BodyText, Call, Handler, Reply, Req, Routes, System};
use super::world::{
    ADMIN_STATUSES, GateError, IsoTime, MIN_TEAMS_VERSION_TEXT, NotificationKind, SUPPORTED_PBX,
    StatusOverride, TEAMS_STATUSES, World, iso, teams_status,
};
use super::{MitelList, Sim, State, mitel_list};

/// The API's routes, each with its handler.
pub static ROUTES: LazyLock<Routes<Handler>> = LazyLock::new(|| {
    Routes::<Handler>::new(&[
        ("POST /2017-09-01/token", token),
        ("GET /2017-09-01/system", |call| {
            Reply::ok(system_json(&call.state.world))
        }),
        ("GET /2017-09-01/profiles", list_profiles),
        ("GET /2017-09-01/profiles/{profile}", one_profile),
        ("PATCH /2017-09-01/profiles/{profile}", |call| {
            let (req, extra) = (call.req, call.extra);
            with_profile(call, |world, p| patch_profile(world, p, req, extra))
        }),
        (
            "GET /2017-09-01/profiles/{profile}/statuses",
            profile_statuses,
        ),
        ("POST /2017-09-01/profiles/{profile}/statuses", |call| {
            let extra = call.extra;
            with_profile(call, |world, p| {
                if world.profiles[p].is_default {
                    return default_refusal(world, p, extra);
                }
                addition_refusal(extra)
            })
        }),
        (
            "PATCH /2017-09-01/profiles/{profile}/statuses/{status}",
            |call| {
                let (req, extra, status) = (call.req, call.extra, call.param(1).to_string());
                with_profile(call, |world, p| {
                    patch_profile_status(world, p, &status, req, extra)
                })
            },
        ),
        ("GET /2017-09-01/users", |call| {
            list_users(&call.state.world, call.req, call.extra)
        }),
        ("POST /2017-09-01/users/query", query_users),
        ("PATCH /2017-09-01/users", |call| {
            bulk_users(&mut call.state.world, call.req, call.extra)
        }),
        ("GET /2017-09-01/users/{login}", |call| {
            with_user(call, |world, i| Reply::ok_serialized(&user_json(world, i)))
        }),
        ("PATCH /2017-09-01/users/{login}", patch_one_user),
        ("GET /2017-09-01/users/{login}/statuses", |call| {
            let req = call.req;
            with_user(call, |world, i| Reply::ok(user_statuses(world, i, req)))
        }),
        ("POST /2017-09-01/users/{login}/statuses", add_user_status),
        (
            "PATCH /2017-09-01/users/{login}/statuses/{status}",
            |call| {
                let (req, extra, status) = (call.req, call.extra, call.param(1).to_string());
                with_user(call, |world, i| {
                    patch_user_status(world, i, &status, req, extra)
                })
            },
        ),
        (
            "GET /2017-09-01/users/{login}/notifications",
            user_notifications,
        ),
        ("GET /2017-09-01/notifications", |call| {
            list_notifications(&call.state.world, call.req, call.extra)
        }),
    ])
});

type Extra<'a> = &'a [(&'static str, String)];

pub fn dispatch(sim: &Sim, state: &mut State, req: &Req, extra: Extra) -> Reply {
    mitel::dispatch(sim, state, req, extra, (System::Micollab, &ROUTES), || {
        error(
            StatusCode::NOT_FOUND,
            "NoSuchRoute",
            &format!("{} {} is not a MiCollab API route.", req.method, req.path),
            extra,
            None,
        )
    })
}

fn token(call: &mut Call) -> Reply {
    let creds = &call.sim.credentials;
    let accepts = Accepts::Password {
        username: &creds.micollab_username,
        password: &creds.micollab_password,
    };
    mitel::token(call.state, System::Micollab, call.req, accepts, call.extra)
}

fn list_profiles(call: &mut Call) -> Reply {
    let (world, req) = (&call.state.world, call.req);
    let counts = profile_counts(world);
    let items = (0..world.profiles.len())
        .map(|p| profile_json(world, p, counts[p]))
        .collect();
    Reply::ok(mitel_list(
        items,
        format!("{}/micollab{}", req.origin, req.path),
        None,
    ))
}

fn one_profile(call: &mut Call) -> Reply {
    with_profile(call, |world, p| {
        let count = profile_counts(world)[p];
        Reply::ok(profile_json(world, p, count))
    })
}

fn profile_statuses(call: &mut Call) -> Reply {
    let req = call.req;
    with_profile(call, |world, p| {
        let items = world.profiles[p]
            .statuses
            .iter()
            .map(|s| status_json(s, None))
            .collect();
        let mut body = mitel_list(items, format!("{}/micollab{}", req.origin, req.path), None);
        body["teamsManaged"] = json!(world.profiles[p].teams_enabled);
        Reply::ok(body)
    })
}

fn query_users(call: &mut Call) -> Reply {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Query<'a> {
        #[serde(borrow)]
        logins: Vec<BodyText<'a>>,
        /// A sparse fieldset: only these user fields in the answer.
        #[serde(default)]
        fields: Option<Vec<String>>,
    }
    let (req, extra) = (call.req, call.extra);
    match req.json::<Query>() {
        Ok(q) => users_by_login(&call.state.world, &q.logins, q.fields, req, extra),
        Err(_) => error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "The body must be {\"logins\":[\"login\",…]}.",
            extra,
            None,
        ),
    }
}

fn patch_one_user(call: &mut Call) -> Reply {
    let (req, extra) = (call.req, call.extra);
    let body: Value = match mitel::json_body(req, extra) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    with_user(call, |world, i| patch_user(world, i, &body, extra))
}

fn add_user_status(call: &mut Call) -> Reply {
    let extra = call.extra;
    with_user(call, |world, i| {
        if world.teams_effective(i) {
            addition_refusal(extra)
        } else {
            error(
                StatusCode::NOT_IMPLEMENTED,
                "NotEmulated",
                "Creating own statuses is not emulated; users keep the ones the directory gave them.",
                extra,
                None,
            )
        }
    })
}

fn user_notifications(call: &mut Call) -> Reply {
    let req = call.req;
    with_user(call, |world, i| {
        let items = world
            .notifications
            .iter()
            .filter(|n| n.user == i)
            .map(|n| notification_json(world, n))
            .collect();
        Reply::ok(mitel_list(
            items,
            format!("{}/micollab{}", req.origin, req.path),
            None,
        ))
    })
}

/// Answers for the profile the route names (its id or name), or 404.
fn with_profile(call: &mut Call, then: impl FnOnce(&mut World, usize) -> Reply) -> Reply {
    let (key, extra) = (call.param(0).to_string(), call.extra);
    let world = &mut call.state.world;
    match world.profile_index(&key) {
        Some(p) => then(world, p),
        None => error(
            StatusCode::NOT_FOUND,
            "ProfileNotFound",
            &format!("No user profile {key:?} (use its profileId or name)."),
            extra,
            None,
        ),
    }
}

/// Answers for the user the route names by login, or 404.
fn with_user(call: &mut Call, then: impl FnOnce(&mut World, u32) -> Reply) -> Reply {
    let (login, extra) = (call.param(0).to_string(), call.extra);
    let world = &mut call.state.world;
    match world.find_login(&login) {
        Some(i) => then(world, i),
        None => error(
            StatusCode::NOT_FOUND,
            "UserNotFound",
            &format!("No MiCollab user with login {login:?}."),
            extra,
            None,
        ),
    }
}

pub fn system_json(world: &World) -> Value {
    let supported = world.teams_gate().is_ok();
    json!({
        "systemId": world.micollab.system_id,
        "productName": "MiCollab",
        "version": world.micollab.version,
        "pbxType": world.micollab.pbx_type,
        "teamsPresence": {
            "supported": supported,
            "minimumVersion": MIN_TEAMS_VERSION_TEXT,
            "supportedPbxTypes": [SUPPORTED_PBX],
        },
        "time": iso(world.now_ms()),
    })
}

fn profile_counts(world: &World) -> Vec<usize> {
    let mut counts = vec![0; world.profiles.len()];
    for i in world.live_users() {
        counts[world.user(i).profile as usize] += 1;
    }
    counts
}

fn profile_json(world: &World, p: usize, user_count: usize) -> Value {
    let profile = &world.profiles[p];
    json!({
        "profileId": profile.id,
        "name": profile.name,
        "isDefault": profile.is_default,
        "editable": !profile.is_default,
        "teamsPresence": profile.teams_enabled,
        "userCount": user_count,
        "adminStatuses": ADMIN_STATUSES,
    })
}

fn default_refusal(world: &World, p: usize, extra: Extra) -> Reply {
    let name = world.profiles[p].name;
    error(
        StatusCode::CONFLICT,
        "DefaultProfileNotEditable",
        &format!(
            "The user profile {name:?} is a default (migrated) profile and cannot be changed: assign its users to a custom profile instead."
        ),
        extra,
        Some(json!({"profileId": world.profiles[p].id, "name": name})),
    )
}

fn addition_refusal(extra: Extra) -> Reply {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "StatusAdditionNotAllowed",
        "You cannot add a dynamic status while Microsoft Teams manages the statuses: the status set is managed by Microsoft Teams.",
        extra,
        Some(json!({"allowedStatuses": TEAMS_STATUSES})),
    )
}

pub fn gate_refusal(gate: GateError, extra: Extra) -> Reply {
    match gate {
        GateError::Version { found } => error(
            StatusCode::CONFLICT,
            "VersionNotSupported",
            &format!(
                "MiCollab {found} does not support Microsoft Teams presence: MiCollab {MIN_TEAMS_VERSION_TEXT} or later is required."
            ),
            extra,
            Some(json!({"found": found, "required": MIN_TEAMS_VERSION_TEXT})),
        ),
        GateError::Pbx { found } => error(
            StatusCode::CONFLICT,
            "PbxNotSupported",
            &format!(
                "Microsoft Teams presence is supported only on {SUPPORTED_PBX}; this MiCollab uses {found}."
            ),
            extra,
            Some(json!({"found": found, "required": SUPPORTED_PBX})),
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ProfilePatch {
    teams_presence: Option<bool>,
}

fn patch_profile(world: &mut World, p: usize, req: &Req, extra: Extra) -> Reply {
    if world.profiles[p].is_default {
        return default_refusal(world, p, extra);
    }
    let patch: ProfilePatch = match mitel::json_body(req, extra) {
        Ok(patch) => patch,
        Err(reply) => return reply,
    };
    if let Some(enabled) = patch.teams_presence {
        if enabled
            && !world.profiles[p].teams_enabled
            && let Err(gate) = world.teams_gate()
        {
            return gate_refusal(gate, extra);
        }
        world.set_profile_teams(p, enabled);
    }
    let count = profile_counts(world)[p];
    Reply::ok(profile_json(world, p, count))
}

fn status_json(setting: &super::world::StatusSetting, own: Option<bool>) -> Value {
    let mut value = json!({
        "name": setting.name,
        "doNotDisturb": setting.do_not_disturb,
        "callRouting": setting.call_routing,
        "message": setting.message,
        "editable": ["callRouting", "message"],
        "managedBy": "teams",
    });
    if let Some(own) = own {
        value["ownSetting"] = json!(own);
    }
    value
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StatusPatch {
    name: Option<String>,
    do_not_disturb: Option<bool>,
    call_routing: Option<String>,
    message: Option<String>,
    #[serde(default)]
    override_users: bool,
}

/// Refuses what Teams owns (the name, Do not disturb) and checks the editable fields.
fn check_status_patch(
    status: &'static str,
    patch: &StatusPatch,
    extra: Extra,
) -> Result<(), Reply> {
    if let Some(name) = &patch.name
        && name != status
    {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "StatusNameNotEditable",
            "The name of a Microsoft Teams status cannot be edited: it is managed by Microsoft Teams.",
            extra,
            Some(json!({"status": status, "field": "name"})),
        ));
    }
    if patch.do_not_disturb.is_some() {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "DoNotDisturbNotEditable",
            "The Do not disturb setting is not editable for Microsoft Teams statuses.",
            extra,
            Some(json!({"status": status, "field": "doNotDisturb"})),
        ));
    }
    if let Some(route) = &patch.call_routing
        && (route.trim().is_empty() || route.len() > 64)
    {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "InvalidCallRouting",
            "callRouting must be 1 to 64 characters (e.g. voicemail, desk, mobile, or a number).",
            extra,
            None,
        ));
    }
    if patch.message.as_ref().is_some_and(|m| m.len() > 256) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "InvalidMessage",
            "message is at most 256 characters.",
            extra,
            None,
        ));
    }
    Ok(())
}

fn find_status(name: &str, extra: Extra) -> Result<&'static str, Reply> {
    teams_status(name).ok_or_else(|| {
        error(
            StatusCode::NOT_FOUND,
            "StatusNotFound",
            &format!("{name:?} is not a Microsoft Teams status (the set is fixed; no status can be added)."),
            extra,
            Some(json!({"allowedStatuses": TEAMS_STATUSES})),
        )
    })
}

fn patch_profile_status(
    world: &mut World,
    p: usize,
    status: &str,
    req: &Req,
    extra: Extra,
) -> Reply {
    if world.profiles[p].is_default {
        return default_refusal(world, p, extra);
    }
    let status = match find_status(status, extra) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let patch: StatusPatch = match mitel::json_body(req, extra) {
        Ok(patch) => patch,
        Err(reply) => return reply,
    };
    if let Err(reply) = check_status_patch(status, &patch, extra) {
        return reply;
    }
    // Users who changed this status's settings for themselves keep them unless asked.
    let members: Vec<u32> = world
        .live_users()
        .filter(|&i| world.user(i).profile as usize == p)
        .filter(|&i| world.user(i).overrides.iter().any(|o| o.status == status))
        .collect();
    let (mut kept, mut overridden) = (0usize, 0usize);
    for i in members {
        let user = world.user_mut(i);
        if patch.override_users {
            for o in user.overrides.iter_mut().filter(|o| o.status == status) {
                if patch.call_routing.is_some() {
                    o.call_routing = None;
                }
                if patch.message.is_some() {
                    o.message = None;
                }
            }
            user.overrides
                .retain(|o| o.call_routing.is_some() || o.message.is_some());
            overridden += 1;
        } else {
            kept += 1;
        }
    }
    let Some(setting) = world.profiles[p]
        .statuses
        .iter_mut()
        .find(|s| s.name == status)
    else {
        return error(
            StatusCode::NOT_FOUND,
            "StatusNotFound",
            "No such status.",
            extra,
            None,
        );
    };
    if let Some(route) = patch.call_routing {
        setting.call_routing = route;
    }
    if let Some(message) = patch.message {
        setting.message = message;
    }
    let mut body = status_json(setting, None);
    body["usersKeepingOwnSetting"] = json!(kept);
    body["usersOverridden"] = json!(overridden);
    Reply::ok(body)
}

fn patch_user_status(world: &mut World, i: u32, status: &str, req: &Req, extra: Extra) -> Reply {
    let status = match find_status(status, extra) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let patch: StatusPatch = match mitel::json_body(req, extra) {
        Ok(patch) => patch,
        Err(reply) => return reply,
    };
    if let Err(reply) = check_status_patch(status, &patch, extra) {
        return reply;
    }
    let user = world.user_mut(i);
    let entry = match user.overrides.iter().position(|o| o.status == status) {
        Some(index) => &mut user.overrides[index],
        None => {
            user.overrides.push(StatusOverride {
                status,
                call_routing: None,
                message: None,
            });
            let last = user.overrides.len() - 1;
            &mut user.overrides[last]
        }
    };
    if patch.call_routing.is_some() {
        entry.call_routing = patch.call_routing;
    }
    if patch.message.is_some() {
        entry.message = patch.message;
    }
    let settings = world.user_status_settings(i);
    match settings.iter().find(|(s, _)| s.name == status) {
        Some((setting, own)) => Reply::ok(status_json(setting, Some(*own))),
        None => error(
            StatusCode::NOT_FOUND,
            "StatusNotFound",
            "No such status.",
            extra,
            None,
        ),
    }
}

/// One MiCollab user as the API answers it: what the world holds of the user is copied out
/// under the state's lock, and the fields are written after it (see
/// [`Reply::ok_encoded_unlocked`]). Written field by field so that a sparse fieldset leaves
/// fields out as they are encoded, and costs nothing for the fields it leaves out.
pub struct UserJson {
    dir: Arc<Directory>,
    i: u32,
    /// `None`: every field; else only these (`login` always).
    fields: Option<Arc<[String]>>,
    /// `None` when the fieldset leaves it out.
    profile_id: Option<String>,
    profile_name: &'static str,
    teams: TeamsFlags,
    /// `None` when the fieldset leaves it out.
    dynamic_status: Option<DynamicStatus>,
}

pub fn user_json(world: &World, i: u32) -> UserJson {
    user_json_with(world, i, None)
}

fn user_json_with(world: &World, i: u32, fields: Option<&Arc<[String]>>) -> UserJson {
    let wanted = |key: &str| fields.is_none_or(|fields| fields.iter().any(|f| f == key));
    let user = world.user(i);
    let profile = &world.profiles[user.profile as usize];
    UserJson {
        dir: Arc::clone(&world.dir),
        i,
        fields: fields.cloned(),
        profile_id: wanted("profileId").then(|| profile.id.clone()),
        profile_name: profile.name,
        teams: TeamsFlags {
            user: user.teams_user_flag,
            profile: profile.teams_enabled,
            effective: world.teams_effective(i),
        },
        dynamic_status: wanted("dynamicStatus").then(|| DynamicStatus {
            name: user.presentity.status.clone(),
            activity: user.presentity.activity.clone(),
            source: user.presentity.source.clone(),
            updated_on: IsoTime(user.presentity.updated_ms),
        }),
    }
}

#[derive(Serialize)]
struct TeamsFlags {
    user: bool,
    profile: bool,
    effective: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DynamicStatus {
    name: Box<str>,
    activity: Option<Box<str>>,
    source: Box<str>,
    updated_on: IsoTime,
}

impl Serialize for UserJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (dir, i) = (&self.dir, self.i);
        let effective = self.teams.effective;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("login", &AsText(dir.login(i)))?;
        // The value is only computed for a field the fieldset keeps.
        macro_rules! field {
            ($key:literal, $value:expr) => {
                if self
                    .fields
                    .as_deref()
                    .is_none_or(|fields| fields.iter().any(|f| f == $key))
                {
                    map.serialize_entry($key, &$value)?;
                }
            };
        }
        field!("name", AsText(dir.display_name(i)));
        field!("firstName", dir.given_name(i));
        field!("lastName", dir.surname(i));
        field!("email", AsText(dir.mail(i)));
        field!("extension", AsText(dir.extension_number(i)));
        field!("profileId", self.profile_id);
        field!("profileName", self.profile_name);
        field!("teamsPresence", self.teams);
        field!("clientType", dir.client_type(i));
        field!("telephonyOnly", dir.telephony_only(i));
        field!("dynamicStatus", self.dynamic_status);
        field!("calendarIntegrationEditable", !effective);
        field!("schedulesEditable", !effective);
        map.end()
    }
}

/// The statuses the user sees: the Teams set while Teams manages them (own and admin
/// statuses hidden but counted), else the profile's admin statuses and the user's own.
pub fn user_statuses(world: &World, i: u32, req: &Req) -> Value {
    let own = world.dir.own_statuses(i);
    let self_link = format!("{}/micollab{}", req.origin, req.path);
    if world.teams_effective(i) {
        let items = world
            .user_status_settings(i)
            .iter()
            .map(|(s, own)| status_json(s, Some(*own)))
            .collect();
        let mut body = mitel_list(items, self_link, None);
        body["teamsManaged"] = json!(true);
        body["hiddenStatuses"] = json!(own.len() + ADMIN_STATUSES.len());
        body
    } else {
        let mut items: Vec<Value> = ADMIN_STATUSES
            .iter()
            .map(|name| json!({"name": name, "source": "profile", "editable": false}))
            .collect();
        items.extend(own.iter().map(|s| {
            json!({
                "name": s.name,
                "source": "user",
                "callRouting": s.call_routing,
                "message": s.message,
                "doNotDisturb": s.do_not_disturb,
            })
        }));
        let mut body = mitel_list(items, self_link, None);
        body["teamsManaged"] = json!(false);
        body["hiddenStatuses"] = json!(0);
        body
    }
}

/// Applies `{"teamsPresence"?, "profileId"?}` to a user, all or nothing.
fn patch_user(world: &mut World, i: u32, body: &Value, extra: Extra) -> Reply {
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
        .find(|k| *k != "teamsPresence" && *k != "profileId")
    {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &format!("Unknown field {unknown:?} (editable: teamsPresence, profileId)."),
            extra,
            None,
        );
    }
    let flag = match object.get("teamsPresence") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidRequest",
                "teamsPresence must be true or false.",
                extra,
                None,
            );
        }
    };
    let profile = match object.get("profileId") {
        None => None,
        Some(Value::String(key)) => match world.profile_index(key) {
            Some(p) => Some(p),
            None => {
                return error(
                    StatusCode::NOT_FOUND,
                    "ProfileNotFound",
                    &format!("No user profile {key:?}."),
                    extra,
                    None,
                );
            }
        },
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidRequest",
                "profileId must be a string.",
                extra,
                None,
            );
        }
    };
    let enabling = flag == Some(true) && !world.user(i).teams_user_flag
        || profile.is_some_and(|p| world.profiles[p].teams_enabled && !world.teams_effective(i));
    if enabling && let Err(gate) = world.teams_gate() {
        return gate_refusal(gate, extra);
    }
    if let Some(p) = profile {
        let before = world.teams_effective(i);
        world.user_mut(i).profile = p as u8;
        let after = world.teams_effective(i);
        if before != after {
            world.notify(i, NotificationKind::StatusControl, after, None);
        }
    }
    if let Some(flag) = flag {
        world.set_user_teams_flag(i, flag);
    }
    Reply::ok_serialized(&user_json(world, i))
}

fn bulk_users(world: &mut World, req: &Req, extra: Extra) -> Reply {
    let ops = match mitel::operations(req, extra) {
        Ok(ops) => ops,
        Err(reply) => return reply,
    };
    let results: Vec<Value> = ops
        .iter()
        .map(|op| {
            let reply = match (op.op.as_deref(), op.id.as_deref()) {
                (Some("replace") | Some("update"), Some(login)) => match world.find_login(login) {
                    Some(i) => patch_user(world, i, &op.body, extra),
                    None => error(
                        StatusCode::NOT_FOUND,
                        "UserNotFound",
                        &format!("No MiCollab user with login {login:?}."),
                        extra,
                        None,
                    ),
                },
                (_, None) => error(
                    StatusCode::BAD_REQUEST,
                    "InvalidOperation",
                    "Every operation needs an id (the login).",
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

/// The users with these logins, in the order asked; unknown ones are left out. `fields`, a
/// sparse fieldset, keeps only those user fields (and `login`).
fn users_by_login(
    world: &World,
    logins: &[impl AsRef<str>],
    fields: Option<Vec<String>>,
    req: &Req,
    extra: Extra,
) -> Reply {
    if logins.len() > 1000 {
        return error(
            StatusCode::BAD_REQUEST,
            "TooManyIds",
            "At most 1000 logins per request.",
            extra,
            None,
        );
    }
    let fields: Option<Arc<[String]>> = fields.map(Arc::from);
    let items = logins
        .iter()
        .filter_map(|l| world.find_login(l.as_ref().trim()))
        .map(|i| user_json_with(world, i, fields.as_ref()))
        .collect();
    let self_link = format!("{}/micollab{}", req.origin, req.path);
    Reply::ok_encoded_unlocked(MitelList::new(items, self_link, None))
}

fn list_users(world: &World, req: &Req, extra: Extra) -> Reply {
    let (limit, start) = match mitel::page_params(req, extra) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let profile = match req.query("profileId") {
        None => None,
        Some(key) => match world.profile_index(key) {
            Some(p) => Some(p),
            None => {
                return error(
                    StatusCode::NOT_FOUND,
                    "ProfileNotFound",
                    &format!("No user profile {key:?}."),
                    extra,
                    None,
                );
            }
        },
    };
    // Batch read: `login=a,b,c` (1000 at most) answers those users, in the order asked.
    if let Some(list) = req.query("login") {
        let logins: Vec<String> = list
            .split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        return users_by_login(world, &logins, None, req, extra);
    }
    let mut items = Vec::with_capacity(limit);
    let mut next = None;
    for i in (start as u32)..world.dir.count {
        if world.user(i).deleted || profile.is_some_and(|p| world.user(i).profile as usize != p) {
            continue;
        }
        if items.len() == limit {
            next = Some(i as usize);
            break;
        }
        items.push(user_json(world, i));
    }
    let (self_link, next_link) = mitel::page_links(req, "/micollab", limit, next);
    Reply::ok_encoded_unlocked(MitelList::new(items, self_link, next_link))
}

fn notification_json(world: &World, n: &super::world::Notification) -> Value {
    json!({
        "id": n.id,
        "login": AsText(world.dir.login(n.user)),
        "kind": n.kind_str(),
        "teamsPresence": n.enabled,
        "profileId": n.profile.map(|p| world.profiles[p as usize].id.clone()),
        "message": n.message(),
        "createdOn": iso(n.at_ms),
    })
}

fn list_notifications(world: &World, req: &Req, extra: Extra) -> Reply {
    let (limit, start) = match mitel::page_params(req, extra) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let all = &world.notifications;
    let end = (start + limit).min(all.len());
    let items = all
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|n| notification_json(world, n))
        .collect();
    let next = (end < all.len()).then_some(end);
    let (self_link, next_link) = mitel::page_links(req, "/micollab", limit, next);
    Reply::ok(mitel_list(items, self_link, next_link))
}
