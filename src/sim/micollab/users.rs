//! Users: one, bulk reads and writes, their statuses and notifications.

use super::*;

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

pub(super) fn user_json_with(world: &World, i: u32, fields: Option<&Arc<[String]>>) -> UserJson {
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
pub(super) struct TeamsFlags {
    user: bool,
    profile: bool,
    effective: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DynamicStatus {
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
pub(super) fn patch_user(world: &mut World, i: u32, body: &Value, extra: Extra) -> Reply {
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
            None => return profile_not_found(key, extra),
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

pub(super) fn bulk_users(world: &mut World, req: &Req, extra: Extra) -> Reply {
    mitel::bulk_patch(req, extra, "login", |login, body| {
        match world.find_login(login) {
            Some(i) => patch_user(world, i, body, extra),
            None => user_not_found(login, extra),
        }
    })
}

/// The users with these logins, in the order asked; unknown ones are left out. `fields`, a
/// sparse fieldset, keeps only those user fields (and `login`).
pub(super) fn users_by_login(
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

pub(super) fn list_users(world: &World, req: &Req, extra: Extra) -> Reply {
    let (limit, start) = match mitel::page_params(req, extra) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let profile = match req.query("profileId") {
        None => None,
        Some(key) => match world.profile_index(key) {
            Some(p) => Some(p),
            None => return profile_not_found(key, extra),
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
    let in_profile = |i: u32| profile.is_none_or(|p| world.user(i).profile as usize == p);
    let (page, next) = world.live_page(start, limit, in_profile);
    let items: Vec<_> = page.into_iter().map(|i| user_json(world, i)).collect();
    let (self_link, next_link) = mitel::page_links(req, "/micollab", limit, next);
    Reply::ok_encoded_unlocked(MitelList::new(items, self_link, next_link))
}

pub(super) fn notification_json(world: &World, n: &crate::sim::world::Notification) -> Value {
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

pub(super) fn list_notifications(world: &World, req: &Req, extra: Extra) -> Reply {
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
