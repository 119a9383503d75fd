//! `mcteams release`: clear every app session mcteams holds in Teams, with a preview.

use serde::Serialize;

use crate::cli::WriteArgs;
use crate::engine::TeamsPort;
use crate::engine::release::{HeldSession, held_sessions, release_sessions};
use crate::exit::ExitStatus;
use crate::output::{Column, Records};
use crate::store::{RunId, Store};

use super::Context;
use super::change::{Applied, Stage};

pub fn run(ctx: &Context, args: WriteArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    super::sync::require_systems(&config)?;
    let systems = crate::connectors::connect(&config)?;
    let mut store = ctx.open_store(&config)?;
    let mut change = Release {
        held: held_sessions(&store)?,
        teams: &systems.teams,
        outcomes: Vec::new(),
    };
    let rt = super::runtime()?;
    super::change::run(ctx, &rt, &mut store, &args, false, &mut change)
}

/// `release` as a change: every session mcteams holds, cleared.
struct Release<'t, T> {
    held: Vec<HeldSession>,
    teams: &'t T,
    /// Each session's result once cleared (`cleared` or why not).
    outcomes: Vec<String>,
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    session: &'a HeldSession,
    result: &'a str,
}

impl<T: TeamsPort> super::change::Change for Release<'_, T> {
    fn command(&self) -> String {
        "release".into()
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        let message = "mcteams holds no Teams session: nothing to release".to_string();
        self.held
            .is_empty()
            .then_some((message, ExitStatus::Success))
    }

    fn preview(&self) -> String {
        format!(
            "{} Teams session(s) set by mcteams will be cleared (users' phones will no longer \
             show in Teams until the next sync)",
            self.held.len()
        )
    }

    fn question(&self) -> Option<String> {
        Some(format!("Clear {} session(s)?", self.held.len()))
    }

    /// The sessions, with what will become (a dry run) or became of each.
    fn print(&self, ctx: &Context, stage: Stage) -> anyhow::Result<()> {
        if !matches!(stage, Stage::Planned | Stage::Changed) {
            return Ok(());
        }
        let result = |i: usize| match stage {
            Stage::Changed => self.outcomes.get(i).map_or("", String::as_str),
            _ => "would_clear",
        };
        let mut records = Records::new(vec![
            Column::exact("micollab_login", "MiCollab login"),
            Column::exact("teams_upn", "Teams UPN"),
            Column::exact("session", "Session"),
            Column::exact("expires_at", "Expires"),
            Column::exact("result", "Result"),
        ]);
        for (i, session) in self.held.iter().enumerate() {
            records.push(&Row {
                session,
                result: result(i),
            });
        }
        ctx.printer.results(&records)?;
        Ok(())
    }

    async fn apply(&mut self, store: &mut Store, run: RunId, _: &[i64]) -> anyhow::Result<Applied> {
        super::resume_graph_limit(store, self.teams)?;
        // A running sync would set them again: hold its lease while releasing.
        let lease = store.acquire_lease("sync", std::time::Duration::from_secs(600))?;
        let outcomes = release_sessions(store, self.teams, &self.held, Some(run)).await;
        let released = store.release_lease(lease);
        let outcomes = outcomes?;
        released?;
        super::keep_graph_limit(store, self.teams)?;
        self.outcomes = outcomes
            .iter()
            .map(|o| match o {
                Ok(()) => "cleared".to_string(),
                Err(e) => format!("failed: {e}"),
            })
            .collect();
        let failed = outcomes.iter().filter(|o| o.is_err()).count();
        Ok(Applied {
            status: if failed > 0 {
                ExitStatus::Partial
            } else {
                ExitStatus::Success
            },
            summary: serde_json::json!({"cleared": self.held.len() - failed, "failed": failed}),
            note: String::new(),
        })
    }
}
