//! Users: one by id, `$count`, and pages with `$select`, `$top`, `$filter` and
//! `@odata.nextLink`.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::sim::routes::Call;
use crate::sim::server::{Reply, Req};
use crate::sim::tokens;
use crate::sim::world::World;
use crate::wire::graph::{MAX_FILTER_IN_VALUES, MAX_USERS_PAGE};

use super::{Caller, USER_PROPERTIES, error};

pub(super) fn one_user(call: &mut Call, _: &Caller) -> Reply {
    let (id, req, extra) = (call.param(0), call.req, call.extra);
    let world = &call.state.world;
    let Some(i) = world.find_entra(id) else {
        return not_found_user(id, extra);
    };
    match select_of(req, extra) {
        Ok(select) => {
            let mut body = user_json(world, i, select.as_deref());
            body["@odata.context"] =
                json!(format!("{}/graph/v1.0/$metadata#users/$entity", req.origin));
            Reply::ok(body)
        }
        Err(reply) => reply,
    }
}

fn not_found_user(id: &str, extra: &[(&'static str, String)]) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ),
        extra,
    )
}

fn select_of(
    req: &Req,
    extra: &[(&'static str, String)],
) -> Result<Option<Vec<&'static str>>, Reply> {
    let Some(text) = req.query("$select") else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match USER_PROPERTIES
            .iter()
            .find(|p| p.eq_ignore_ascii_case(name))
        {
            Some(p) => out.push(*p),
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    &format!(
                        "Could not find a property named '{name}' on type 'microsoft.graph.user'."
                    ),
                    extra,
                ));
            }
        }
    }
    Ok(Some(out))
}

fn user_json(world: &World, i: u32, select: Option<&[&'static str]>) -> Value {
    let facts = world.dir.facts(i);
    let upn = world.upn(i);
    let mut map = serde_json::Map::new();
    for &property in select.unwrap_or(USER_PROPERTIES) {
        let value = match property {
            "businessPhones" => json!([]),
            "displayName" => json!(facts.display_name),
            "givenName" => json!(facts.given_name),
            "surname" => json!(facts.surname),
            "mail" => json!(facts.mail),
            "userPrincipalName" => json!(upn),
            "id" => json!(crate::sim::directory::format_guid(world.dir.object_id(i))),
            _ => Value::Null,
        };
        map.insert(property.to_string(), value);
    }
    Value::Object(map)
}

/// A `$filter` Graph accepts on users: `prop eq 'v'` and `prop in ('a','b')` clauses joined
/// by `or`, on `userPrincipalName`, `mail` or `id`; at most 15 values in all.
fn parse_filter(text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    loop {
        let (property, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| "Unsupported query.".to_string())?;
        let property = ["userPrincipalName", "mail", "id"]
            .into_iter()
            .find(|p| p.eq_ignore_ascii_case(property))
            .ok_or_else(|| format!("Unsupported or invalid query filter clause specified for property '{property}' of resource 'User'."))?;
        let after = after.trim_start();
        let (operator, after) = after
            .split_once(|c: char| c.is_whitespace() || c == '(')
            .map(|(op, _)| (op, &after[op.len()..]))
            .ok_or_else(|| "Unsupported query.".to_string())?;
        let after = after.trim_start();
        let consumed = match operator.to_ascii_lowercase().as_str() {
            "eq" => {
                let (value, used) = quoted(after)?;
                out.push((property, value));
                used
            }
            "in" => {
                let inner = after
                    .strip_prefix('(')
                    .ok_or_else(|| "Syntax error: expected '(' after 'in'.".to_string())?;
                let mut used = 1;
                let mut cursor = inner;
                loop {
                    let trimmed = cursor.trim_start();
                    used += cursor.len() - trimmed.len();
                    let (value, n) = quoted(trimmed)?;
                    out.push((property, value));
                    used += n;
                    let after_value = trimmed[n..].trim_start();
                    used += trimmed[n..].len() - after_value.len();
                    if let Some(next) = after_value.strip_prefix(',') {
                        used += 1;
                        cursor = next;
                    } else if after_value.starts_with(')') {
                        used += 1;
                        break;
                    } else {
                        return Err(
                            "Syntax error: expected ',' or ')' in the 'in' list.".to_string()
                        );
                    }
                }
                used
            }
            other => return Err(format!("Unsupported filter operator '{other}'.")),
        };
        rest = after[consumed..].trim_start();
        if rest.is_empty() {
            break;
        }
        let lower = rest.to_ascii_lowercase();
        if let Some(next) = lower.strip_prefix("or ") {
            rest = rest[rest.len() - next.len()..].trim_start();
        } else {
            return Err("Unsupported query: only 'or' joins filter clauses here.".to_string());
        }
    }
    Ok(out)
}

/// A single-quoted OData string (`''` escapes a quote): (value, bytes used).
fn quoted(text: &str) -> Result<(String, usize), String> {
    let body = text
        .strip_prefix('\'')
        .ok_or_else(|| "Syntax error: expected a quoted string.".to_string())?;
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, next)| *next == '\'') {
                value.push('\'');
                chars.next();
                continue;
            }
            return Ok((value, index + 2));
        }
        value.push(c);
    }
    Err("Syntax error: unterminated string literal.".to_string())
}

/// `$count` on directory objects is an advanced query: Graph answers it only with the
/// `ConsistencyLevel: eventual` header, else 400.
fn needs_eventual(req: &Req, extra: &[(&'static str, String)]) -> Result<(), Reply> {
    if req
        .header("consistencylevel")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"))
    {
        return Ok(());
    }
    Err(error(
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        "$count is not currently supported without the ConsistencyLevel: eventual header (an advanced query).",
        extra,
    ))
}

/// `GET /users/$count`: the number of users, as `text/plain`.
pub(super) fn count_users(world: &World, req: &Req, extra: &[(&'static str, String)]) -> Reply {
    if let Err(reply) = needs_eventual(req, extra) {
        return reply;
    }
    Reply::text(StatusCode::OK, world.live_users().count().to_string())
}

type Extra<'a> = &'a [(&'static str, String)];

fn unsupported(message: &str, extra: Extra) -> Reply {
    error(
        StatusCode::BAD_REQUEST,
        "Request_UnsupportedQuery",
        message,
        extra,
    )
}

/// `$top`: 100 unless given, 1 to 999.
fn top_of(req: &Req, extra: Extra) -> Result<usize, Reply> {
    let Some(text) = req.query("$top") else {
        return Ok(100);
    };
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_USERS_PAGE).contains(&n) => Ok(n),
        _ => Err(unsupported(
            &format!(
                "Invalid page size specified: '{text}'. Must be between 1 and {MAX_USERS_PAGE} inclusive."
            ),
            extra,
        )),
    }
}

/// Where the page starts: `$skiptoken` from a `nextLink`, else the first user.
fn start_of(req: &Req, extra: Extra) -> Result<usize, Reply> {
    let Some(token) = req.query("$skiptoken") else {
        return Ok(0);
    };
    decode_skiptoken(token).ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "The specified page token value has expired or is invalid.",
            extra,
        )
    })
}

/// The users `$filter` names, in directory order; `None` without a filter.
fn filtered_of(world: &World, req: &Req, extra: Extra) -> Result<Option<Vec<u32>>, Reply> {
    let Some(text) = req.query("$filter") else {
        return Ok(None);
    };
    let clauses = parse_filter(text).map_err(|message| unsupported(&message, extra))?;
    if clauses.len() > MAX_FILTER_IN_VALUES {
        return Err(unsupported(
            &format!(
                "Too many child clauses specified in search filter expression containing 'OR' operators: {}. Max allowed: {MAX_FILTER_IN_VALUES}.",
                clauses.len()
            ),
            extra,
        ));
    }
    let mut found: Vec<u32> = clauses
        .iter()
        .filter_map(|(property, value)| match *property {
            "userPrincipalName" => world.find_upn(value),
            "mail" => world.find_mail(value),
            _ => crate::sim::directory::parse_guid(value).and_then(|_| world.find_entra(value)),
        })
        .collect::<HashSet<u32>>()
        .into_iter()
        .collect();
    found.sort_unstable();
    Ok(Some(found))
}

/// `$count=true` (which needs `ConsistencyLevel: eventual`).
fn with_count_of(req: &Req, extra: Extra) -> Result<bool, Reply> {
    match req.query("$count") {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => needs_eventual(req, extra).map(|()| true),
        Some(other) => Err(error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            &format!("Invalid $count value '{other}': expected true or false."),
            extra,
        )),
    }
}

/// A `GET /users` request's options.
struct UsersQuery {
    select: Option<Vec<&'static str>>,
    top: usize,
    start: usize,
    filtered: Option<Vec<u32>>,
    with_count: bool,
}

fn read_query(world: &World, req: &Req, extra: Extra) -> Result<UsersQuery, Reply> {
    Ok(UsersQuery {
        select: select_of(req, extra)?,
        top: top_of(req, extra)?,
        start: start_of(req, extra)?,
        filtered: filtered_of(world, req, extra)?,
        with_count: with_count_of(req, extra)?,
    })
}

pub(super) fn list_users(world: &World, req: &Req, extra: Extra) -> Reply {
    let query = match read_query(world, req, extra) {
        Ok(query) => query,
        Err(reply) => return reply,
    };
    let (start, top) = (query.start, query.top);
    let mut value = Vec::with_capacity(top.min(1000));
    let mut next_index = None;
    let candidates: Box<dyn Iterator<Item = u32>> = match &query.filtered {
        Some(list) => Box::new(list.iter().copied().filter(move |&i| i as usize >= start)),
        None => Box::new((start as u32..world.dir.count).filter(|&i| !world.user(i).deleted)),
    };
    for i in candidates {
        if value.len() == top {
            next_index = Some(i as usize);
            break;
        }
        value.push(user_json(world, i, query.select.as_deref()));
    }
    let context = match &query.select {
        Some(props) => format!(
            "{}/graph/v1.0/$metadata#users({})",
            req.origin,
            props.join(",")
        ),
        None => format!("{}/graph/v1.0/$metadata#users", req.origin),
    };
    let mut body = json!({"@odata.context": context});
    if query.with_count {
        let total = match &query.filtered {
            Some(list) => list.len(),
            None => world.live_users().count(),
        };
        body["@odata.count"] = json!(total);
    }
    body["value"] = json!(value);
    if let Some(next) = next_index {
        body["@odata.nextLink"] = json!(next_link(req, next));
    }
    Reply::ok(body)
}

/// The request again, from user index `next`.
fn next_link(req: &Req, next: usize) -> String {
    let mut query: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("$skiptoken"))
        .cloned()
        .collect();
    query.push(("$skiptoken".to_string(), encode_skiptoken(next)));
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    format!("{}/graph/v1.0/users?{encoded}", req.origin)
}

fn encode_skiptoken(index: usize) -> String {
    format!(
        "RFNwdAIAAQAAA{}",
        tokens::b64(format!("sim:{index}").as_bytes())
    )
}

fn decode_skiptoken(token: &str) -> Option<usize> {
    let raw = tokens::unb64(token.strip_prefix("RFNwdAIAAQAAA")?)?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("sim:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_like_graph() {
        let f = parse_filter("userPrincipalName in ('a@x.com', 'b''c@x.com')").unwrap();
        assert_eq!(
            f,
            vec![
                ("userPrincipalName", "a@x.com".into()),
                ("userPrincipalName", "b'c@x.com".into())
            ]
        );
        let f = parse_filter("userPrincipalName eq 'a@x.com' or mail eq 'a@y.com'").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].0, "mail");
        assert!(parse_filter("displayName eq 'x'").is_err());
        assert!(parse_filter("mail in ('a'").is_err());
        assert!(parse_filter("mail eq 'a' and id eq 'b'").is_err());
    }

    #[test]
    fn skiptokens_round_trip() {
        assert_eq!(decode_skiptoken(&encode_skiptoken(1234)), Some(1234));
        assert_eq!(decode_skiptoken("garbage"), None);
    }
}
