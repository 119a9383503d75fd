//! `mcteams sync approve [ID]`: approves the plan the mass-change guard holds beside a
//! running watch. The preview lists the plan's users; the approval is recorded (run row and
//! audit row), and the watch applies those users' current changes on its next cycle.

use serde::Serialize;

use super::Context;
use crate::cli::ApproveArgs;
use crate::exit::{CliError, ExitStatus};
use crate::output::{Column, Records};
use crate::store::{AuditChange, HeldPlan, PlanState, RunId, Store};

use super::change::{Applied, Stage};

#[derive(Serialize)]
struct PlanUser<'a> {
    plan: i64,
    micollab_login: &'a str,
}

pub fn run(ctx: &Context, args: &ApproveArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let mut store = ctx.open_store(&config)?;
    let plan = match args.id {
        Some(id) => store.plan(id)?,
        None => store.current_plan()?,
    };
    let Some(plan) = plan else {
        let what = args.id.map_or(
            "no plan is held by the mass-change guard".to_string(),
            |id| format!("there is no plan {id}"),
        );
        return Err(CliError::new(ExitStatus::Failure, what).into());
    };
    if plan.state != PlanState::Held {
        let state = format!("{:?}", plan.state).to_lowercase();
        let message = format!("plan {} is {state}, not held: nothing to approve", plan.id);
        return Err(CliError::new(ExitStatus::Failure, message).into());
    }
    let rt = super::runtime()?;
    super::change::run(
        ctx,
        &rt,
        &mut store,
        &args.write,
        false,
        &mut Approval(plan),
    )
}

/// `sync approve` as a change: a held plan, approved for the watch's next cycle.
struct Approval(HeldPlan);

impl super::change::Change for Approval {
    fn command(&self) -> String {
        "sync approve".into()
    }

    fn preview(&self) -> String {
        let plan = &self.0;
        let users = crate::admin::Sample::of(plan.users.iter().map(String::as_str));
        format!(
            "plan {}: held since {} (updated {}): {} changes for {} users ({}), more than \
             max_changes ({})",
            plan.id,
            plan.held_at.format("%Y-%m-%d %H:%M:%S UTC"),
            plan.updated_at.format("%Y-%m-%d %H:%M:%S UTC"),
            plan.changes,
            plan.users.len(),
            users.shown(),
            plan.max_changes
        )
    }

    fn question(&self) -> Option<String> {
        let (id, users) = (self.0.id, self.0.users.len());
        Some(format!(
            "Approve plan {id}: apply these {users} users' current changes on the next sync cycle?"
        ))
    }

    /// The plan's users (a dry run, and once approved).
    fn print(&self, ctx: &Context, stage: Stage) -> anyhow::Result<()> {
        if !matches!(stage, Stage::Planned | Stage::Changed) {
            return Ok(());
        }
        let mut records = Records::new(vec![
            Column::exact("plan", "Plan"),
            Column::exact("micollab_login", "MiCollab login"),
        ]);
        for login in &self.0.users {
            records.push(&PlanUser {
                plan: self.0.id,
                micollab_login: login,
            });
        }
        ctx.printer.results(&records)?;
        Ok(())
    }

    async fn apply(&mut self, store: &mut Store, run: RunId, _: &[i64]) -> anyhow::Result<Applied> {
        let plan = &self.0;
        store.approve_plan(plan.id, Some(run))?;
        let id = plan.id.to_string();
        let change = AuditChange {
            object_type: "guard_plan",
            object_id: &id,
            field: "state",
            old: Some("held"),
            new: Some("approved"),
        };
        store.record_change(Some(run), &change)?;
        Ok(Applied {
            status: ExitStatus::Success,
            summary: serde_json::json!({"plan": plan.id, "users": plan.users.len()}),
            note: format!(
                "approved plan {id}: the next sync cycle applies these users' current changes; \
                 an approval unused for 10 minutes lapses"
            ),
        })
    }
}
