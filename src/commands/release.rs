//! `mcteams release`: clear every app session mcteams holds in Teams, with a preview.

use crate::cli::WriteArgs;
use crate::engine::TeamsPort;
use crate::engine::release::{held_sessions, release_sessions};
use crate::exit::ExitStatus;
use crate::output::{Column, Records};

use super::Context;

pub fn run(ctx: &Context, args: WriteArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    super::sync::require_systems(&config)?;
    let systems = crate::connectors::connect(&config)?;
    super::runtime()?.block_on(execute(ctx, &args, &config, &systems.teams))
}

/// Runs `release` against any Teams side (Graph through `connect`, or a fake).
pub async fn execute<T: TeamsPort>(
    ctx: &Context,
    write: &WriteArgs,
    config: &crate::config::Config,
    teams: &T,
) -> anyhow::Result<ExitStatus> {
    let mut store = ctx.open_store(config)?;
    let held = held_sessions(&store)?;
    let columns = || {
        vec![
            Column::exact("micollab_login", "MiCollab login"),
            Column::exact("teams_upn", "Teams UPN"),
            Column::exact("session", "Session"),
            Column::exact("expires_at", "Expires"),
            Column::exact("result", "Result"),
        ]
    };
    #[derive(serde::Serialize)]
    struct Row<'a> {
        #[serde(flatten)]
        session: &'a crate::engine::release::HeldSession,
        result: String,
    }
    if held.is_empty() {
        ctx.printer
            .note("mcteams holds no Teams session: nothing to release");
        return Ok(ExitStatus::Success);
    }
    if write.dry_run {
        let mut records = Records::new(columns());
        for s in &held {
            records.push(&Row {
                session: s,
                result: "would_clear".into(),
            });
        }
        ctx.printer.results(&records)?;
        ctx.printer.note(format!(
            "dry run: {} session(s) would be cleared; nothing changed",
            held.len()
        ));
        return Ok(ExitStatus::Success);
    }
    ctx.printer.note(format!(
        "{} Teams session(s) set by mcteams will be cleared (users' phones will no longer show in Teams \
         until the next sync)",
        held.len()
    ));
    if !ctx.confirm(write, &format!("Clear {} session(s)?", held.len()))? {
        ctx.printer.note("cancelled; nothing changed");
        return Ok(ExitStatus::Success);
    }
    super::resume_graph_limit(&store, teams)?;
    // A running sync would set them again: hold its lease while releasing.
    let lease = store.acquire_lease("sync", std::time::Duration::from_secs(600))?;
    let run = store.begin_run("release")?;
    let outcomes = release_sessions(&mut store, teams, &held, Some(run)).await;
    let release_result = store.release_lease(lease);
    let outcomes = outcomes?;
    release_result?;
    super::keep_graph_limit(&mut store, teams)?;
    let mut records = Records::new(columns());
    let mut failed = 0;
    for (s, outcome) in held.iter().zip(&outcomes) {
        let result = match outcome {
            Ok(()) => "cleared".to_string(),
            Err(e) => {
                failed += 1;
                format!("failed: {e}")
            }
        };
        records.push(&Row { session: s, result });
    }
    ctx.printer.results(&records)?;
    let status = if failed > 0 {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    };
    store.finish_run(
        run,
        status.code(),
        &serde_json::json!({"cleared": held.len() - failed, "failed": failed}),
    )?;
    Ok(status)
}
