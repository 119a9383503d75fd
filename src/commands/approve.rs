//! `mcteams sync approve [ID]`: approves the plan the mass-change guard holds beside a
//! running watch. The preview lists the plan's users; the approval is recorded (run row and
//! audit row), and the watch applies those users' current changes on its next cycle.

use serde::Serialize;

use super::Context;
use crate::cli::ApproveArgs;
use crate::exit::{CliError, ExitStatus};
use crate::output::{Column, Records};
use crate::store::PlanState;

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
        return Err(CliError::new(
            ExitStatus::Failure,
            format!(
                "plan {} is {:?}, not held: nothing to approve",
                plan.id, plan.state
            )
            .to_lowercase(),
        )
        .into());
    }
    let mut records = Records::new(vec![
        Column::exact("plan", "Plan"),
        Column::exact("micollab_login", "MiCollab login"),
    ]);
    for login in &plan.users {
        records.push(&PlanUser {
            plan: plan.id,
            micollab_login: login,
        });
    }
    ctx.printer.results(&records)?;
    ctx.printer.note(format!(
        "plan {}: held since {} (updated {}): {} changes for {} users, more than max_changes ({})",
        plan.id,
        plan.held_at.format("%Y-%m-%d %H:%M:%S UTC"),
        plan.updated_at.format("%Y-%m-%d %H:%M:%S UTC"),
        plan.changes,
        plan.users.len(),
        plan.max_changes
    ));
    if args.write.dry_run {
        ctx.printer.note("dry run: nothing approved");
        return Ok(ExitStatus::Success);
    }
    let question = format!(
        "Approve plan {}: apply these {} users' current changes on the next sync cycle?",
        plan.id,
        plan.users.len()
    );
    if !ctx.confirm(&args.write, &question)? {
        ctx.printer.note("cancelled; nothing approved");
        return Ok(ExitStatus::Success);
    }
    let run = store.begin_run("sync approve")?;
    store.approve_plan(plan.id, Some(run))?;
    store.record_change(
        Some(run),
        "guard_plan",
        &plan.id.to_string(),
        "state",
        Some("held"),
        Some("approved"),
    )?;
    store.finish_run(
        run,
        ExitStatus::Success.code(),
        &serde_json::json!({"plan": plan.id, "users": plan.users.len()}),
    )?;
    ctx.printer.note(format!(
        "approved plan {}: the next sync cycle applies these users' current changes; an approval \
         unused for 10 minutes lapses",
        plan.id
    ));
    Ok(ExitStatus::Success)
}
