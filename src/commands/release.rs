//! `mcteams release`: clear every app session mcteams holds in Teams, with a preview; with
//! `--directory`, mcteams' session of every user of the Entra directory too (a lost store
//! no longer says which users have one).

use serde::Serialize;

use crate::cli::ReleaseArgs;
use crate::engine::TeamsPort;
use crate::engine::release::{HeldSession, clear_sessions, held_sessions, release_sessions};
use crate::exit::ExitStatus;
use crate::output::{Column, Records};
use crate::store::{RunId, Store};

use super::Context;
use super::change::{Applied, Stage};

/// Directory users cleared per step of the progress bar (and per pass of the writes).
const DIRECTORY_STEP: usize = 1_000;

pub fn run(ctx: &Context, args: ReleaseArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    super::sync::require_systems(&config)?;
    let systems = crate::connectors::connect(&config)?;
    let mut store = ctx.open_store(&config)?;
    let rt = super::runtime()?;
    let held = held_sessions(&store)?;
    let directory = match args.directory {
        true => {
            let users = rt.block_on(systems.teams.directory_users())?;
            // Users whose session the store records are released as such (journaled).
            let recorded: std::collections::HashSet<&str> =
                held.iter().filter_map(|h| h.teams_id.as_deref()).collect();
            users
                .into_iter()
                .filter(|u| !recorded.contains(u.id.as_str()))
                .map(|u| (u.id, u.user_principal_name))
                .collect()
        }
        false => Vec::new(),
    };
    let mut change = Release {
        held,
        directory,
        teams: &systems.teams,
        outcomes: Vec::new(),
        directory_failed: Vec::new(),
        asked_for_directory: args.directory,
        progress: ctx.printer.progress(0, "clearing"),
    };
    super::change::run(ctx, &rt, &mut store, &args.write, false, &mut change)
}

/// `release` as a change: every session mcteams holds, cleared.
struct Release<'t, T> {
    held: Vec<HeldSession>,
    /// With `--directory`: every other user of the directory (Entra id, UPN).
    directory: Vec<(String, String)>,
    teams: &'t T,
    /// Each session's result once cleared (`cleared` or why not).
    outcomes: Vec<String>,
    /// Directory users whose session could not be cleared: (UPN or id, why).
    directory_failed: Vec<(String, String)>,
    asked_for_directory: bool,
    progress: Box<dyn crate::progress::Progress>,
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    session: &'a HeldSession,
    result: &'a str,
}

impl<T: TeamsPort> super::change::Change for Release<'_, T> {
    fn command(&self) -> String {
        match self.asked_for_directory {
            true => "release --directory".into(),
            false => "release".into(),
        }
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        let message = "the store records no Teams session set by mcteams: nothing to release \
                       (if the store was lost or emptied, `mcteams release --directory` clears \
                       mcteams' session of every user of the Entra directory)"
            .to_string();
        (self.held.is_empty() && self.directory.is_empty())
            .then_some((message, ExitStatus::Success))
    }

    fn preview(&self) -> String {
        let mut text = format!(
            "{} Teams session(s) the store records as set by mcteams will be cleared",
            self.held.len()
        );
        if self.asked_for_directory {
            text.push_str(&format!(
                ", and mcteams' session of the {} other user(s) of the Entra directory, where \
                 there is one ({} calls paced within Graph's budget)",
                self.directory.len(),
                self.directory.len()
            ));
        }
        text.push_str(" (users' phones will no longer show in Teams until the next sync)");
        text
    }

    fn question(&self) -> Option<String> {
        Some(match self.asked_for_directory {
            true => format!(
                "Clear mcteams' session of {} user(s)?",
                self.held.len() + self.directory.len()
            ),
            false => format!("Clear {} session(s)?", self.held.len()),
        })
    }

    /// The recorded sessions, with what will become (a dry run) or became of each, and the
    /// directory's users whose session could not be cleared.
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
            Column::text("result", "Result"),
        ]);
        for (i, session) in self.held.iter().enumerate() {
            records.push(&Row {
                session,
                result: result(i),
            });
        }
        for (user, why) in &self.directory_failed {
            records.push(&serde_json::json!({"teams_upn": user, "result": why}));
        }
        ctx.printer.results(&records)?;
        Ok(())
    }

    async fn apply(&mut self, store: &mut Store, run: RunId, _: &[i64]) -> anyhow::Result<Applied> {
        super::resume_graph_limit(store, self.teams)?;
        // A running sync would set them again: hold its lease while releasing, renewed on
        // its own clock (a whole directory at Graph's pace outlasts any fixed term).
        let term = std::time::Duration::from_secs(600);
        let lease = store.acquire_lease("sync", term)?;
        let heartbeat = store.start_heartbeat(&lease, term)?;
        let outcomes = release_sessions(store, self.teams, &self.held, Some(run)).await;
        let directory = match &outcomes {
            Ok(_) => self.clear_directory().await,
            Err(_) => 0,
        };
        drop(heartbeat);
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
        let failed = outcomes.iter().filter(|o| o.is_err()).count() + self.directory_failed.len();
        let cleared = self.held.len() + directory - failed;
        if self.asked_for_directory {
            // The directory's users have no journal entry of their own: the trail says it.
            let count = cleared.to_string();
            store.record_change(
                Some(run),
                &crate::store::AuditChange {
                    object_type: "teams_sessions",
                    object_id: "directory",
                    field: "cleared",
                    old: None,
                    new: Some(&count),
                },
            )?;
        }
        Ok(Applied {
            status: if failed > 0 {
                ExitStatus::Partial
            } else {
                ExitStatus::Success
            },
            summary: serde_json::json!({"cleared": cleared, "failed": failed, "directory_users": directory}),
            note: match self.asked_for_directory {
                true => format!(
                    "{cleared} user(s) have no mcteams session in Teams now ({failed} failed)"
                ),
                false => String::new(),
            },
        })
    }
}

impl<T: TeamsPort> Release<'_, T> {
    /// Clears mcteams' session of every other user of the directory, a step at a time
    /// (Graph's rate limit paces the calls); a user without one answers 404, which is a
    /// success. Returns how many users it covered.
    async fn clear_directory(&mut self) -> usize {
        let progress = &self.progress;
        progress.restart(self.directory.len() as u64, "clearing");
        for step in self.directory.chunks(DIRECTORY_STEP) {
            let ids: Vec<String> = step.iter().map(|(id, _)| id.clone()).collect();
            let results = clear_sessions(self.teams, &ids).await;
            for ((id, upn), result) in step.iter().zip(results) {
                if let Err(e) = result {
                    let who = if upn.is_empty() { id } else { upn };
                    self.directory_failed
                        .push((who.clone(), format!("failed: {e}")));
                }
            }
            progress.advance(step.len() as u64);
        }
        progress.finish();
        self.directory.len()
    }
}
