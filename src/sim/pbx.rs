//! MiVoice Business as a read-only REST facade (`docs/contracts/pbx.md`): per extension the
//! call state, DND, device type and ACD hot-desk login; single, batch and paged reads.

use std::sync::LazyLock;
use std::time::Duration;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::directory::Name;
use super::mitel::{self, error};
use super::routes::{Call, Handler, Routes};
use super::server::{AsText, BodyText, Reply, Req, System};
use super::world::phone_feed::Unknown;
use super::world::{IsoTime, World, iso};
use super::{MitelList, Sim, State};

/// The API's routes, each with its handler.
pub static ROUTES: LazyLock<Routes<Handler>> = LazyLock::new(|| {
    Routes::<Handler>::new(&[
        ("POST /2017-09-01/token", token),
        ("GET /2017-09-01/system", system),
        ("GET /2017-09-01/extensions", list_extensions),
        ("POST /2017-09-01/extensions/query", query_extensions),
        ("GET /2017-09-01/extensions/{extension}", one_extension),
        ("GET /2017-09-01/extension-changes", extension_changes),
    ])
});

/// At most this many extensions per batch read.
pub const MAX_BATCH: usize = 1000;

type Extra<'a> = &'a [(&'static str, String)];

pub fn dispatch(sim: &Sim, state: &mut State, req: &Req, extra: Extra) -> Reply {
    mitel::dispatch(sim, state, req, extra, (System::Pbx, &ROUTES), || {
        unmatched(req, extra)
    })
}

fn unmatched(req: &Req, extra: Extra) -> Reply {
    if req.method != "GET" {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ReadOnly",
            "This MiVoice Business API is read-only: nothing can be changed through it.",
            extra,
            None,
        );
    }
    error(
        StatusCode::NOT_FOUND,
        "NoSuchRoute",
        &format!(
            "{} {} is not a MiVoice Business API route.",
            req.method, req.path
        ),
        extra,
        None,
    )
}

fn token(call: &mut Call) -> Reply {
    mitel::token(call, System::Pbx)
}

fn system(call: &mut Call) -> Reply {
    let world = &call.state.world;
    Reply::ok(json!({
        "pbxType": "MiVoice Business",
        "version": "10.1.0.12",
        "extensionCount": world.live_users().count(),
        "time": iso(world.now_ms()),
    }))
}

fn list_extensions(call: &mut Call) -> Reply {
    let (world, req, extra) = (&call.state.world, call.req, call.extra);
    if let Some(list) = req.query("extensions") {
        let wanted: Vec<String> = list
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        return batch(world, &wanted, req, extra);
    }
    let (limit, start) = match mitel::page_params(req, extra) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let (page, next) = world.live_page(start, limit, |_| true);
    let items: Vec<_> = page.into_iter().map(|i| extension_json(world, i)).collect();
    let (self_link, next_link) = mitel::page_links(req, "/pbx", limit, next);
    Reply::ok_encoded_unlocked(
        MitelList::new(items, self_link, next_link).with_cursor(world.phone_feed.cursor()),
    )
}

fn query_extensions(call: &mut Call) -> Reply {
    #[derive(Deserialize)]
    struct Query<'a> {
        #[serde(borrow)]
        extensions: Option<Vec<BodyText<'a>>>,
    }
    let (world, req, extra) = (&call.state.world, call.req, call.extra);
    match req.json::<Query>() {
        Ok(Query {
            extensions: Some(wanted),
        }) => batch(world, &wanted, req, extra),
        Ok(_) => error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "The body must be {\"extensions\":[\"1234\",…]}.",
            extra,
            None,
        ),
        Err(message) => error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &message,
            extra,
            None,
        ),
    }
}

fn one_extension(call: &mut Call) -> Reply {
    let world = &call.state.world;
    let extension = call.param(0);
    match world.find_extension(extension) {
        Some(i) => Reply::ok_serialized(&extension_json(world, i)),
        None => error(
            StatusCode::NOT_FOUND,
            "ExtensionNotFound",
            &format!("No extension {extension:?} on this system."),
            call.extra,
            None,
        ),
    }
}

fn batch(world: &World, wanted: &[impl AsRef<str>], req: &Req, extra: Extra) -> Reply {
    if wanted.len() > MAX_BATCH {
        return error(
            StatusCode::BAD_REQUEST,
            "TooManyIds",
            &format!(
                "At most {MAX_BATCH} extensions per request, not {}.",
                wanted.len()
            ),
            extra,
            None,
        );
    }
    let mut items = Vec::with_capacity(wanted.len());
    let mut not_found = Vec::new();
    for extension in wanted.iter().map(AsRef::as_ref) {
        match world.find_extension(extension) {
            Some(i) => items.push(extension_json(world, i)),
            None => not_found.push(extension),
        }
    }
    let self_link = format!("{}/pbx{}", req.origin, req.path);
    Reply::ok_encoded_unlocked(
        MitelList::new(items, self_link, None)
            .with_not_found(not_found)
            .with_cursor(world.phone_feed.cursor()),
    )
}

/// The longest wait a long poll may ask for.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// `GET /extension-changes?since=CURSOR&wait=25s`: the extensions whose phone changed since
/// the cursor, each once with its latest state, and the next cursor; held until one changes
/// or the wait ends (then none, and a fresh cursor: a bookmark). Without `since`, the
/// bookmark at once. A cursor this run does not know: `410 Gone`.
fn extension_changes(call: &mut Call) -> Reply {
    let (world, req, extra) = (&call.state.world, call.req, call.extra);
    let wait = match req.query("wait").map(parse_wait).transpose() {
        Ok(wait) => wait.unwrap_or_default(),
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
    let self_link = format!("{}/pbx{}", req.origin, req.path);
    let feed = &world.phone_feed;
    let Some(since) = req.query("since") else {
        return Reply::ok_serialized(
            &MitelList::<()>::new(vec![], self_link, None).with_cursor(feed.cursor()),
        );
    };
    let changed = match feed.since(since) {
        Ok(changed) => changed,
        Err(unknown) => {
            let reason = match unknown {
                Unknown::OtherRun => "CursorUnknown",
                Unknown::TooOld => "CursorExpired",
            };
            return error(
                StatusCode::GONE,
                reason,
                "This cursor is not known any more (too old, or the system restarted): read the extensions again and watch from that read's cursor.",
                extra,
                None,
            );
        }
    };
    let items: Vec<_> = changed
        .into_iter()
        .filter(|&i| !world.user(i).deleted)
        .map(|i| extension_json(world, i))
        .collect();
    let hold = items.is_empty();
    let reply = Reply::ok_encoded_unlocked(
        MitelList::new(items, self_link, None).with_cursor(feed.cursor()),
    );
    if hold { reply.held_for(wait) } else { reply }
}

/// `wait=25s` (a duration, or whole seconds), at most [`MAX_WAIT`].
fn parse_wait(text: &str) -> Result<Duration, String> {
    let wait = match text.trim().parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => humantime::parse_duration(text.trim())
            .map_err(|e| format!("wait={text:?}: not a duration ({e}); e.g. wait=25s"))?,
    };
    if wait > MAX_WAIT {
        return Err(format!("wait={text:?}: at most {}s", MAX_WAIT.as_secs()));
    }
    Ok(wait)
}

/// One extension as the API answers it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionJson {
    extension: AsText<u32>,
    name: AsText<Name>,
    call_state: &'static str,
    dnd: bool,
    device_type: &'static str,
    /// `null` when no ACD agent is logged in on the extension.
    acd_hot_desk: Option<AcdHotDesk>,
    state_changed_on: IsoTime,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AcdHotDesk {
    logged_in: bool,
    agent_id: AsText<u32>,
}

pub fn extension_json(world: &World, i: u32) -> ExtensionJson {
    let dir = &world.dir;
    let user = world.user(i);
    ExtensionJson {
        extension: AsText(dir.extension_number(i)),
        name: AsText(dir.display_name(i)),
        call_state: user.call_state.as_str(),
        dnd: user.dnd,
        device_type: dir.device(i).as_str(),
        acd_hot_desk: dir.acd_agent(i).map(|agent| AcdHotDesk {
            logged_in: true,
            agent_id: AsText(agent),
        }),
        state_changed_on: IsoTime(user.phone_changed_ms),
    }
}
