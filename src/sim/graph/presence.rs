//! Presence: reads (one, bulk), app sessions (`setPresence`/`clearPresence`) and the
//! user-preferred presence.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::sim::routes::Call;
use crate::sim::server::{AsText, BodyText, Reply, Req};
use crate::sim::world::{Sequence, World, iso};
use crate::wire::graph::{
    Activity, Availability, ClearPresenceRequest, MAX_PRESENCE_IDS, SetPresenceRequest,
    SetUserPreferredPresenceRequest, parse_iso_duration,
};

use super::{Caller, error};

type Extra<'a> = &'a [(&'static str, String)];

/// Answers for the user the route names (by object id), or Graph's 400/404.
fn for_user(call: &mut Call, then: impl FnOnce(&mut World, u32, &Req, Extra) -> Reply) -> Reply {
    let (id, req, extra) = (call.param(0).to_string(), call.req, call.extra);
    let world = &mut call.state.world;
    match presence_user(world, &id, extra) {
        Ok(i) => then(world, i, req, extra),
        Err(reply) => reply,
    }
}

pub(super) fn one(call: &mut Call, _: &Caller) -> Reply {
    let id = call.param(0).to_string();
    for_user(call, |world, i, req, _| {
        let mut body = json!(presence_json(world, i));
        body["@odata.context"] = json!(format!(
            "{}/graph/v1.0/$metadata#users('{id}')/presence/$entity",
            req.origin
        ));
        Reply::ok(body)
    })
}

pub(super) fn set(call: &mut Call, caller: &Caller) -> Reply {
    for_user(call, |world, i, req, extra| {
        set_presence(world, i, req, caller, extra)
    })
}

pub(super) fn clear(call: &mut Call, caller: &Caller) -> Reply {
    for_user(call, |world, i, req, extra| {
        clear_presence(world, i, req, caller, extra)
    })
}

pub(super) fn set_preferred(call: &mut Call, _: &Caller) -> Reply {
    for_user(call, set_user_preferred)
}

pub(super) fn clear_preferred(call: &mut Call, _: &Caller) -> Reply {
    for_user(call, |world, i, _, _| {
        world.user_mut(i).preferred = None;
        Reply::empty(StatusCode::OK)
    })
}

/// Presence endpoints take the user's object id (a GUID), as the documentation says.
fn presence_user(world: &World, id: &str, extra: &[(&'static str, String)]) -> Result<u32, Reply> {
    if crate::sim::directory::parse_guid(id).is_none() {
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

pub(super) fn get_presences(
    world: &mut World,
    req: &Req,
    extra: &[(&'static str, String)],
) -> Reply {
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
    let body: PresenceIds = match json_body(req, extra) {
        Ok(body) => body,
        Err(reply) => return reply,
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
        let Some(object_id) = crate::sim::directory::parse_guid(id) else {
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

/// A request's JSON body, or Graph's 400 saying what is wrong with it.
fn json_body<'a, T: Deserialize<'a>>(req: &'a Req, extra: Extra) -> Result<T, Reply> {
    req.json()
        .map_err(|message| error(StatusCode::BAD_REQUEST, "BadRequest", &message, extra))
}

/// An app-session request's body, when the session is the calling app's own.
fn session_body<'a, T: Deserialize<'a>>(
    req: &'a Req,
    caller: &Caller,
    extra: Extra,
    session_id: impl Fn(&T) -> &str,
) -> Result<T, Reply> {
    let body: T = json_body(req, extra)?;
    own_session(session_id(&body), caller, extra)?;
    Ok(body)
}

/// An app session is the calling app's own: its id is the app's client id.
fn own_session(session_id: &str, caller: &Caller, extra: Extra) -> Result<(), Reply> {
    if session_id.eq_ignore_ascii_case(&caller.app_id) {
        return Ok(());
    }
    Err(error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!(
            "The sessionId '{session_id}' is not valid: it must be the application (client) id of the calling app."
        ),
        extra,
    ))
}

fn set_presence(
    world: &mut World,
    i: u32,
    req: &Req,
    caller: &Caller,
    extra: &[(&'static str, String)],
) -> Reply {
    let body = match session_body(req, caller, extra, |b: &SetPresenceRequest| &b.session_id) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
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
    let body = match session_body(req, caller, extra, |b: &ClearPresenceRequest| &b.session_id) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
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

fn set_user_preferred(world: &mut World, i: u32, req: &Req, extra: Extra) -> Reply {
    let body: SetUserPreferredPresenceRequest = match json_body(req, extra) {
        Ok(body) => body,
        Err(reply) => return reply,
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
    world.user_mut(i).preferred = Some(crate::sim::world::Preferred {
        availability: body.availability,
        activity: body.activity,
        expires_ms,
    });
    Reply::empty(StatusCode::OK)
}

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
