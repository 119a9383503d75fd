//! `mcteams user show USER` and `mcteams user list`: users as the report sees them (read from
//! the four systems, or from the store's last observations), one in full or a line each.

use serde::Serialize;

use super::Context;
use super::report::{ReportRow, gathered, parse_reasons, rows_of};
use crate::exit::{CliError, ExitStatus};
use crate::output::{Column, Detail, Records};
use crate::store::{TrailEntry, TrailFilter};

/// How many of a user's last writes `user show` lists.
const LAST_WRITES: u32 = 5;

/// One user in full: the report's row, the rest of the mapping, and the last writes mcteams
/// sent for them.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    row: &'a ReportRow,
    teams_id: Option<String>,
    cloudlink_user_id: Option<String>,
    mapping_verified: Option<bool>,
    last_writes: Vec<String>,
}

pub fn show(ctx: &Context, user: &str, from_state: bool) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let gathering = gathered(ctx, &config, from_state)?;
    let rows = rows_of(&gathering, &config, &[user.to_string()]);
    let Some(row) = rows.first() else {
        return Err(CliError::new(
            ExitStatus::Failure,
            format!(
                "{user}: not a mapped user, nor one with Teams presence on in MiCollab \
                 (`mcteams mappings list` shows who is mapped)"
            ),
        )
        .into());
    };
    let store = ctx.open_store(&config)?;
    // The trail mixes admin changes in: a few more are read to find the writes.
    let trail = store.trail(&TrailFilter {
        object_id: Some(row.micollab_login.clone()),
        limit: LAST_WRITES * 4,
        ..TrailFilter::default()
    })?;
    let last_writes = trail
        .iter()
        .filter(|e| e.kind == "write")
        .take(LAST_WRITES as usize)
        .map(describe)
        .collect();
    let mapping = store
        .find_mapping(&row.micollab_login)?
        .filter(|m| m.micollab_login == row.micollab_login && m.removed_at.is_none());
    ctx.printer.detail(&Detail::new(&Shown {
        row,
        teams_id: mapping.as_ref().and_then(|m| m.teams_id.clone()),
        cloudlink_user_id: mapping.as_ref().and_then(|m| m.cloudlink_user_id.clone()),
        mapping_verified: mapping.as_ref().map(|m| m.verified),
        last_writes,
    }))?;
    Ok(ExitStatus::Success)
}

fn describe(entry: &TrailEntry) -> String {
    let at = entry.at.format("%Y-%m-%d %H:%M:%S");
    let new = entry.new.as_deref().unwrap_or("-");
    match &entry.outcome {
        Some(outcome) => format!("{at} {} {new}: {outcome}", entry.what),
        None => format!(
            "{at} {} {} -> {new}",
            entry.what,
            entry.old.as_deref().unwrap_or("-")
        ),
    }
}

/// A user a line, as `report --all` reads them, of a `profile` and with any of `reasons`.
#[derive(Serialize)]
struct Listed<'a> {
    micollab_login: &'a str,
    teams_upn: Option<&'a str>,
    extension: Option<&'a str>,
    profile: Option<&'a str>,
    teams_flag: Option<bool>,
    reasons: &'a [&'static str],
    out_of_sync: bool,
}

pub fn list(
    ctx: &Context,
    profile: Option<&str>,
    reasons: &[String],
    from_state: bool,
) -> anyhow::Result<ExitStatus> {
    let wanted: Vec<&'static str> = parse_reasons(reasons)?.iter().map(|r| r.code()).collect();
    let config = ctx.config()?;
    let gathering = gathered(ctx, &config, from_state)?;
    let rows = rows_of(&gathering, &config, &[]);
    let mut records = Records::new(vec![
        Column::exact("micollab_login", "MiCollab login"),
        Column::exact("teams_upn", "Teams UPN"),
        Column::exact("extension", "Extension").unless_narrow(2),
        Column::text("profile", "Profile"),
        Column::exact("teams_flag", "Teams flag").unless_narrow(1),
        Column::exact("reasons", "Reasons"),
        Column::exact("out_of_sync", "Out of sync").unless_narrow(3),
    ]);
    let of_profile = |row: &ReportRow| match profile {
        None => true,
        Some(p) => row
            .profile
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(p)),
    };
    let with_reason =
        |row: &ReportRow| wanted.is_empty() || row.reasons.iter().any(|r| wanted.contains(r));
    let mut count = 0;
    for row in rows.iter().filter(|r| of_profile(r) && with_reason(r)) {
        count += 1;
        records.push(&Listed {
            micollab_login: &row.micollab_login,
            teams_upn: row.teams_upn.as_deref(),
            extension: row.extension.as_deref(),
            profile: row.profile.as_deref(),
            teams_flag: row.teams_flag,
            reasons: &row.reasons,
            out_of_sync: row.out_of_sync,
        });
    }
    ctx.printer.results(&records)?;
    ctx.printer
        .note(format!("{count} user(s) of {}", rows.len()));
    Ok(ExitStatus::Success)
}
