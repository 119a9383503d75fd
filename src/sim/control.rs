//! The control API under `/_sim` (`docs/emulator.md`): scripted changes (a user picks a
//! status in Teams, a phone goes off-hook), faults, the clock, tokens, directory changes,
//! stats and a view of one user across all four systems. Never faulted, never counted.

use std::sync::LazyLock;

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::wire::graph::{Activity, Availability};

use super::fault_control::{faults_json, set_fault};
use super::routes::{Call, Handler, Routes};
use super::server::{Reply, Req};
use super::world::{CLIENT_SESSION, CallState, World, iso};
use super::{Sim, State};

/// The control routes, each with its handler.
pub static ROUTES: LazyLock<Routes<Handler>> = LazyLock::new(|| {
    Routes::<Handler>::new(&[
        ("GET /info", |call| Reply::ok(info(call.sim, call.state))),
        ("GET /summary", |call| Reply::ok(summary(&call.state.world))),
        ("GET /users", |call| list_users(&call.state.world, call.req)),
        ("POST /teams/{upn}/preferred", |call| {
            let req = call.req;
            with_upn(call, |world, i| set_preferred(world, i, req))
        }),
        ("DELETE /teams/{upn}/preferred", |call| {
            with_upn(call, |world, i| {
                world.user_mut(i).preferred = None;
                Reply::ok(super::graph::presence_detail(world, i))
            })
        }),
        ("POST /teams/{upn}/client", |call| {
            let req = call.req;
            with_upn(call, |world, i| set_client(world, i, req))
        }),
        ("DELETE /teams/{upn}/client", |call| {
            with_upn(call, |world, i| {
                world.clear_session(i, CLIENT_SESSION);
                Reply::ok(super::graph::presence_detail(world, i))
            })
        }),
        ("POST /pbx/{extension}/state", set_call_state),
        ("POST /pbx/{extension}/dnd", set_dnd),
        ("POST /pbx/restart", |call| {
            // As a restarted facade: every change-feed cursor is unknown from now on.
            let feed = &mut call.state.world.phone_feed;
            feed.restart();
            Reply::ok(json!({"cursor": feed.cursor()}))
        }),
        ("GET /faults", |call| Reply::ok(faults_json(call.state))),
        ("POST /faults", |call| set_fault(call.state, call.req)),
        ("DELETE /faults", |call| {
            call.state.faults.clear();
            Reply::ok(faults_json(call.state))
        }),
        ("GET /micollab/system", |call| {
            Reply::ok(super::micollab::system_json(&call.state.world))
        }),
        ("POST /micollab/system", set_micollab_system),
        ("GET /clock", |call| {
            Reply::ok(clock_json(&call.state.world))
        }),
        ("POST /clock", advance_clock),
        ("POST /graph/tokens", set_token_lifetime),
        ("DELETE /graph/tokens", |call| {
            call.state.graph.revoke_all();
            Reply::ok(json!({"revoked": true}))
        }),
        ("POST /graph/roles", set_roles),
        ("POST /cloudlink/{upn}/presentity", write_presentity),
        ("GET /users/{upn}", |call| {
            let account = call.sim.credentials.cloudlink_account_id.clone();
            let req = call.req;
            with_upn(call, |world, i| {
                Reply::ok(user_view(world, i, &account, req))
            })
        }),
        ("DELETE /users/{upn}", |call| {
            let key = call.param(0).to_string();
            with_upn(call, |world, i| {
                world.delete(i);
                Reply::ok(json!({"deleted": key}))
            })
        }),
        ("POST /users/{upn}/rename", rename_user),
        ("GET /stats", |call| Reply::ok(call.state.stats.to_json())),
        ("GET /requests", |call| {
            let query = |key: &str| {
                call.req
                    .query
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.as_str())
            };
            let since = query("since").and_then(|s| s.parse().ok()).unwrap_or(0);
            Reply::ok(
                call.sim
                    .requests()
                    .to_json(since, query("writes") == Some("true")),
            )
        }),
        ("DELETE /requests", |call| {
            call.sim.requests().clear();
            Reply::ok(json!({"cleared": true}))
        }),
        ("DELETE /stats", |call| {
            call.state.stats.counts.clear();
            Reply::ok(call.state.stats.to_json())
        }),
    ])
});

pub(super) fn bad(message: impl Into<String>) -> Reply {
    Reply::json(StatusCode::BAD_REQUEST, json!({"error": message.into()}))
}

fn not_found(message: impl Into<String>) -> Reply {
    Reply::json(StatusCode::NOT_FOUND, json!({"error": message.into()}))
}

/// A request's JSON body, or the 400 that says what is wrong with it.
fn body<'a, T: Deserialize<'a>>(req: &'a Req) -> Result<T, Reply> {
    req.json().map_err(bad)
}

pub fn dispatch(sim: &Sim, req: &Req) -> Reply {
    let Some(matched) = ROUTES.find(&req.method, &req.path) else {
        return not_found(format!(
            "{} /_sim{} is not a control route; see docs/emulator.md",
            req.method, req.path
        ));
    };
    let mut state = sim.state();
    let mut call = Call::new(sim, &mut state, req, matched.params, &[]);
    (matched.handler)(&mut call)
}

fn set_call_state(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        state: String,
    }
    let body: Body = match body(call.req) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let Some(call_state) = CallState::parse(&body.state) else {
        return bad(format!(
            "state {:?}: expected idle, busy or ringing",
            body.state
        ));
    };
    with_extension(call, |world, i| {
        set_phone(world, i, Some(call_state), None);
        Reply::ok_serialized(&super::pbx::extension_json(world, i))
    })
}

fn set_dnd(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        enabled: bool,
    }
    match body::<Body>(call.req) {
        Ok(b) => with_extension(call, |world, i| {
            set_phone(world, i, None, Some(b.enabled));
            Reply::ok_serialized(&super::pbx::extension_json(world, i))
        }),
        Err(reply) => reply,
    }
}

fn set_micollab_system(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        version: Option<String>,
        pbx_type: Option<String>,
    }
    let body: Body = match body(call.req) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let world = &mut call.state.world;
    if let Some(version) = body.version {
        if super::world::parse_version(&version).is_none() {
            return bad(format!(
                "version {version:?}: expected digits like 9.8.1.201"
            ));
        }
        world.micollab.version = version;
    }
    if let Some(pbx) = body.pbx_type {
        world.micollab.pbx_type = pbx;
    }
    Reply::ok(super::micollab::system_json(world))
}

fn advance_clock(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        advance_s: f64,
    }
    // A century ahead at most: further, dates overflow and the clock would wrap to 1970.
    const MOST_AHEAD_MS: f64 = 100.0 * 366.0 * 86_400_000.0;
    let offset = call.state.world.clock_offset_ms as f64;
    match body::<Body>(call.req) {
        Ok(b) if b.advance_s >= 0.0 && offset + b.advance_s * 1000.0 <= MOST_AHEAD_MS => {
            call.state.world.clock_offset_ms += (b.advance_s * 1000.0) as i64;
            Reply::ok(clock_json(&call.state.world))
        }
        Ok(b) if b.advance_s >= 0.0 => bad(format!(
            "advance_s {} would take the clock more than a century ahead of the host's",
            b.advance_s
        )),
        Ok(_) => bad("advance_s must be a number of seconds, 0 or more (time never goes back)"),
        Err(reply) => reply,
    }
}

fn set_token_lifetime(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        lifetime_s: i64,
    }
    let graph = &mut call.state.graph;
    match body::<Body>(call.req) {
        Ok(b) if b.lifetime_s > 0 => {
            graph.token_lifetime_s = b.lifetime_s;
            Reply::ok(json!({"lifetime_s": b.lifetime_s, "roles": graph.roles}))
        }
        Ok(_) => bad("lifetime_s must be at least 1"),
        Err(reply) => reply,
    }
}

fn set_roles(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        roles: Vec<String>,
    }
    let graph = &mut call.state.graph;
    match body::<Body>(call.req) {
        Ok(b) => {
            graph.roles = b.roles;
            Reply::ok(json!({"roles": graph.roles, "note": "applies to tokens issued from now on"}))
        }
        Err(reply) => reply,
    }
}

fn write_presentity(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        status: String,
        activity: Option<String>,
        source: Option<String>,
    }
    let b: Body = match body(call.req) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let account: std::sync::Arc<str> = call.sim.credentials.cloudlink_account_id.as_str().into();
    with_upn(call, |world, i| {
        let source = b.source.as_deref().unwrap_or("micollab");
        super::cloudlink::write_as(world, i, &b.status, b.activity.as_deref(), source);
        Reply::ok_serialized(&super::cloudlink::presentity_json(world, i, &account))
    })
}

fn rename_user(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Body {
        upn: String,
    }
    let b: Body = match body(call.req) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    with_upn(call, |world, i| match world.rename(i, &b.upn) {
        Ok(()) => Reply::ok(json!({
            "objectId": super::directory::format_guid(world.dir.object_id(i)),
            "upn": world.upn(i),
        })),
        Err(message) => bad(message),
    })
}

/// `{upn}` is a UPN; an object id or a MiCollab login is accepted too.
fn with_upn(call: &mut Call, then: impl FnOnce(&mut World, u32) -> Reply) -> Reply {
    let key = call.param(0).to_string();
    let world = &mut call.state.world;
    match world.find_entra(&key).or_else(|| world.find_login(&key)) {
        Some(i) => then(world, i),
        None => not_found(format!("no user {key:?} (give a UPN)")),
    }
}

fn with_extension(call: &mut Call, then: impl FnOnce(&mut World, u32) -> Reply) -> Reply {
    let extension = call.param(0).to_string();
    let world = &mut call.state.world;
    match world.find_extension(&extension) {
        Some(i) => then(world, i),
        None => not_found(format!("no extension {extension:?}")),
    }
}

pub fn set_phone(world: &mut World, i: u32, call_state: Option<CallState>, dnd: Option<bool>) {
    let now = world.now_ms();
    let user = world.user_mut(i);
    if let Some(s) = call_state {
        user.call_state = s;
    }
    if let Some(d) = dnd {
        user.dnd = d;
    }
    user.phone_changed_ms = now;
    world.phone_feed.record(i);
}

#[derive(Deserialize)]
struct PresencePair {
    availability: String,
    activity: String,
}

fn set_preferred(world: &mut World, i: u32, req: &Req) -> Reply {
    let body: PresencePair = match req.json() {
        Ok(b) => b,
        Err(e) => return bad(e),
    };
    let (availability, activity) = (
        Availability::parse(&body.availability),
        Activity::parse(&body.activity),
    );
    if !super::graph::preferred_pair_allowed(&availability, &activity) {
        return bad(format!(
            "{}/{} is not a status a user can pick in Teams (Available/Available, Busy/Busy, DoNotDisturb/DoNotDisturb, BeRightBack/BeRightBack, Away/Away, Offline/OffWork)",
            body.availability, body.activity
        ));
    }
    let expires_ms = world.now_ms() + super::graph::preferred_default_s(&availability) * 1000;
    world.user_mut(i).preferred = Some(super::world::Preferred {
        availability,
        activity,
        expires_ms,
    });
    Reply::ok(super::graph::presence_detail(world, i))
}

fn set_client(world: &mut World, i: u32, req: &Req) -> Reply {
    let body: PresencePair = match req.json() {
        Ok(b) => b,
        Err(e) => return bad(e),
    };
    let availability = Availability::parse(&body.availability);
    let activity = Activity::parse(&body.activity);
    if matches!(availability, Availability::Other(_)) {
        return bad(format!(
            "availability {:?} is not a Graph availability",
            body.availability
        ));
    }
    // A client that goes Offline has signed out: its session ends.
    if availability == Availability::Offline {
        world.clear_session(i, CLIENT_SESSION);
    } else {
        world.set_session(i, CLIENT_SESSION, availability, activity, None);
    }
    Reply::ok(super::graph::presence_detail(world, i))
}

fn clock_json(world: &World) -> Value {
    json!({"now": iso(world.now_ms()), "offset_s": world.clock_offset_ms as f64 / 1000.0})
}

fn info(sim: &Sim, state: &State) -> Value {
    let urls = super::SimUrls::new(&sim.origin);
    json!({
        "urls": {
            "graph_authority": urls.graph_authority,
            "graph": urls.graph,
            "micollab": urls.micollab,
            "pbx": urls.pbx,
            "cloudlink_auth": urls.cloudlink_auth,
            "cloudlink_admin": urls.cloudlink_admin,
            "cloudlink_presence": urls.cloudlink_presence,
        },
        "tenant_id": sim.credentials.tenant_id,
        "graph_client_id": sim.credentials.graph_client_id,
        "cloudlink_account_id": sim.credentials.cloudlink_account_id,
        "users": state.world.dir.count,
        "seed": state.world.dir.seed,
    })
}

/// Counts a newcomer wants to see: profiles, devices, ACD, clients, special cases.
fn summary(world: &World) -> Value {
    let mut profiles = vec![0usize; world.profiles.len()];
    let (
        mut softphones,
        mut desk,
        mut hot_desk_soft,
        mut acd_desk,
        mut own,
        mut overrides,
        mut mail_differs,
    ) = (0, 0, 0, 0, 0, 0, 0);
    let mut clients = std::collections::BTreeMap::new();
    let mut live = 0;
    for i in world.live_users() {
        live += 1;
        let facts = world.dir.facts(i);
        profiles[world.user(i).profile as usize] += 1;
        match facts.device {
            super::directory::DeviceType::Softphone => softphones += 1,
            super::directory::DeviceType::DeskPhone => desk += 1,
        }
        if world.dir.is_acd_hot_desk_softphone(i) {
            hot_desk_soft += 1;
        }
        if world.dir.is_acd_desk_phone_agent(i) {
            acd_desk += 1;
        }
        if !world.dir.own_statuses(i).is_empty() {
            own += 1;
        }
        if !world.user(i).overrides.is_empty() {
            overrides += 1;
        }
        if facts.mail != facts.upn {
            mail_differs += 1;
        }
        let key = format!(
            "{}{}",
            facts.client_type,
            if facts.telephony_only {
                " (telephony-only)"
            } else {
                ""
            }
        );
        *clients.entry(key).or_insert(0usize) += 1;
    }
    json!({
        "users": live,
        "micollab": super::micollab::system_json(world),
        "profiles": world.profiles.iter().zip(&profiles).map(|(p, n)| json!({
            "name": p.name, "isDefault": p.is_default, "teamsPresence": p.teams_enabled, "users": n
        })).collect::<Vec<_>>(),
        "devices": {"deskPhone": desk, "softphone": softphones},
        "acd": {"hotDeskSoftphone": hot_desk_soft, "deskPhoneAgents": acd_desk},
        "clients": clients,
        "usersWithOwnStatuses": own,
        "usersWithOwnTeamsStatusSettings": overrides,
        "mailDiffersFromUpn": mail_differs,
    })
}

fn list_users(world: &World, req: &Req) -> Reply {
    let limit: usize = req
        .query("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100)
        .clamp(1, 10_000);
    let offset: usize = req
        .query("offset")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let items: Vec<Value> = world
        .live_users()
        .skip(offset)
        .take(limit)
        .map(|i| {
            let facts = world.dir.facts(i);
            json!({
                "upn": world.upn(i),
                "objectId": super::directory::format_guid(world.dir.object_id(i)),
                "mail": facts.mail,
                "login": facts.login,
                "extension": facts.extension,
                "cloudlinkUserId": super::directory::format_guid(world.dir.cloudlink_user_id(i)),
                "principalId": world.dir.principal_id(i),
                "profile": world.profiles[world.user(i).profile as usize].name,
                "deviceType": facts.device.as_str(),
                "acdHotDeskSoftphone": world.dir.is_acd_hot_desk_softphone(i),
            })
        })
        .collect();
    Reply::ok(json!({"count": items.len(), "items": items}))
}

/// One user across the four systems.
fn user_view(world: &mut World, i: u32, account: &str, req: &Req) -> Value {
    let facts = world.dir.facts(i);
    let teams = super::graph::presence_detail(world, i);
    let micollab_user = super::micollab::user_json(world, i);
    let visible = super::micollab::user_statuses(world, i, req);
    let own: Vec<Value> = world
        .dir
        .own_statuses(i)
        .iter()
        .map(|s| json!({"status": s, "hidden": world.teams_effective(i)}))
        .collect();
    let notifications: Vec<Value> = world
        .notifications
        .iter()
        .filter(|n| n.user == i)
        .map(|n| json!({"id": n.id, "kind": n.kind_str(), "teamsPresence": n.enabled, "message": n.message(), "createdOn": iso(n.at_ms)}))
        .collect();
    json!({
        "upn": world.upn(i),
        "objectId": super::directory::format_guid(world.dir.object_id(i)),
        "mail": facts.mail,
        "displayName": facts.display_name,
        "teams": teams,
        "micollab": {
            "user": micollab_user,
            "visibleStatuses": visible["_embedded"]["items"],
            "ownStatuses": own,
            "notifications": notifications,
        },
        "pbx": super::pbx::extension_json(world, i),
        "cloudlink": {
            "user": super::cloudlink::user_json(world, i, account),
            "presentity": super::cloudlink::presentity_json(world, i, &account.into()),
        },
    })
}
