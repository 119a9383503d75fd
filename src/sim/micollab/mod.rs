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
use super::mitel::{self, error};
use super::routes::{Call, Handler, Routes};
use super::server::{AsText, BodyText, Reply, Req, System};
use super::world::{
    ADMIN_STATUSES, GateError, IsoTime, MIN_TEAMS_VERSION_TEXT, NotificationKind, SUPPORTED_PBX,
    StatusOverride, TEAMS_STATUSES, World, iso, teams_status,
};
use super::{MitelList, Sim, State, mitel_list};

/// The API's routes, each with its handler.
mod statuses;
mod users;

use statuses::*;
use users::*;
pub use users::{user_json, user_statuses};

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
    mitel::token(call, System::Micollab)
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
        None => profile_not_found(&key, extra),
    }
}

fn profile_not_found(key: &str, extra: Extra) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "ProfileNotFound",
        &format!("No user profile {key:?} (use its profileId or name)."),
        extra,
        None,
    )
}

/// Answers for the user the route names by login, or 404.
fn with_user(call: &mut Call, then: impl FnOnce(&mut World, u32) -> Reply) -> Reply {
    let (login, extra) = (call.param(0).to_string(), call.extra);
    let world = &mut call.state.world;
    match world.find_login(&login) {
        Some(i) => then(world, i),
        None => user_not_found(&login, extra),
    }
}

fn user_not_found(login: &str, extra: Extra) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "UserNotFound",
        &format!("No MiCollab user with login {login:?}."),
        extra,
        None,
    )
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
