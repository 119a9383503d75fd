//! Statuses: the Teams-managed ones of a profile (name and DND immutable) and users' own.

use super::*;

pub(super) fn status_json(setting: &crate::sim::world::StatusSetting, own: Option<bool>) -> Value {
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
pub(super) struct StatusPatch {
    name: Option<String>,
    do_not_disturb: Option<bool>,
    call_routing: Option<String>,
    message: Option<String>,
    #[serde(default)]
    override_users: bool,
}

/// Refuses what Teams owns (the name, Do not disturb) and checks the editable fields.
pub(super) fn check_status_patch(
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

pub(super) fn find_status(name: &str, extra: Extra) -> Result<&'static str, Reply> {
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

/// The status a `PATCH …/statuses/{status}` names and its checked changes.
fn status_patch(
    status: &str,
    req: &Req,
    extra: Extra,
) -> Result<(&'static str, StatusPatch), Reply> {
    let status = find_status(status, extra)?;
    let patch: StatusPatch = mitel::json_body(req, extra)?;
    check_status_patch(status, &patch, extra)?;
    Ok((status, patch))
}

pub(super) fn patch_profile_status(
    world: &mut World,
    p: usize,
    status: &str,
    req: &Req,
    extra: Extra,
) -> Reply {
    if world.profiles[p].is_default {
        return default_refusal(world, p, extra);
    }
    let (status, patch) = match status_patch(status, req, extra) {
        Ok(asked) => asked,
        Err(reply) => return reply,
    };
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

pub(super) fn patch_user_status(
    world: &mut World,
    i: u32,
    status: &str,
    req: &Req,
    extra: Extra,
) -> Reply {
    let (status, patch) = match status_patch(status, req, extra) {
        Ok(asked) => asked,
        Err(reply) => return reply,
    };
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
