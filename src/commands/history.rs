//! `mcteams history`: the audit trail the store keeps, as `kubectl rollout history` and
//! Entra's audit log show theirs: every admin change (old -> new) and every write a sync
//! sent (with its outcome), newest first.

use chrono::{DateTime, Utc};

use crate::cli::HistoryArgs;
use crate::exit::{CliError, ExitStatus};
use crate::output::{Column, Records};
use crate::store::{Store, TrailFilter};

use super::Context;

pub fn run(ctx: &Context, args: HistoryArgs) -> anyhow::Result<ExitStatus> {
    let since = args
        .since
        .as_deref()
        .map(|text| parse_since(text, Utc::now()))
        .transpose()?;
    let config = ctx.config()?;
    let store = ctx.open_store(&config)?;
    let object_id = match &args.user {
        Some(name) => Some(object_of(&store, name)?),
        None => None,
    };
    let entries = store.trail(&TrailFilter {
        since,
        run: args.run,
        object_id,
        limit: args.limit,
    })?;
    let mut records = Records::new(vec![
        Column::exact("at", "At"),
        Column::exact("run_id", "Run").unless_narrow(3),
        Column::exact("kind", "Kind").unless_narrow(4),
        Column::exact("object", "Object"),
        Column::exact("what", "What"),
        Column::text("old", "Old").unless_narrow(2),
        Column::text("new", "New"),
        Column::text("outcome", "Outcome").unless_narrow(1),
    ]);
    for entry in &entries {
        records.push(entry);
    }
    ctx.printer.results(&records)?;
    match entries.len() {
        0 => ctx.printer.note("no entry matches"),
        n if n as u32 >= args.limit => ctx.printer.note(format!(
            "the newest {n} entries: --limit N shows more, --since narrows"
        )),
        n => ctx.printer.note(format!("{n} entries, newest first")),
    }
    Ok(ExitStatus::Success)
}

/// `--since`: an RFC 3339 time, or an age back from `now` (`90m`, `24h`, `7d`).
fn parse_since(text: &str, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.to_utc());
    }
    humantime::parse_duration(text.trim())
        .ok()
        .and_then(|age| chrono::Duration::from_std(age).ok())
        .and_then(|age| now.checked_sub_signed(age))
        .ok_or_else(|| {
            CliError::usage(format!(
                "--since {text:?}: give a time (2026-12-01T08:00:00Z) or an age (90m, 24h, 7d)"
            ))
            .into()
        })
}

/// The object a `--user` names in the trail: a MiCollab login as given, or the login a
/// Teams UPN is mapped to (removed mappings too: their history stays).
fn object_of(store: &Store, name: &str) -> anyhow::Result<String> {
    if !name.contains('@') {
        return Ok(name.to_string());
    }
    store
        .find_mapping(name)?
        .filter(|m| m.teams_upn.eq_ignore_ascii_case(name))
        .map(|m| m.micollab_login)
        .ok_or_else(|| {
            CliError::usage(format!("--user {name}: no mapping has this Teams UPN")).into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_a_time_or_an_age() {
        let now: DateTime<Utc> = "2026-12-07T12:00:00Z".parse().unwrap();
        let cases = [
            ("2026-12-01T08:00:00Z", Some("2026-12-01T08:00:00Z")),
            ("2026-12-01T09:00:00+01:00", Some("2026-12-01T08:00:00Z")),
            ("90m", Some("2026-12-07T10:30:00Z")),
            ("24h", Some("2026-12-06T12:00:00Z")),
            ("7d", Some("2026-11-30T12:00:00Z")),
            ("yesterday", None),
            ("", None),
        ];
        for (text, expected) in cases {
            let got = parse_since(text, now).ok();
            let expected = expected.map(|e| e.parse::<DateTime<Utc>>().unwrap());
            assert_eq!(got, expected, "{text:?}");
        }
    }
}
