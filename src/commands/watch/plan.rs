//! `sync --watch --dry-run`: a watch that plans and writes nothing. Every interval, one cycle
//! of every user that sends nothing and records nothing, its plan printed. It takes no lease
//! (it writes nothing, so it never stands in the way of the service), and stops on SIGINT or
//! SIGTERM (exit 0).

use std::time::Duration;

use anyhow::Context as _;

use super::super::Context;
use crate::config::{Config, Interval};
use crate::connectors::ConnectedSystems;
use crate::engine::{CycleSettings, run_cycle};
use crate::exit::ExitStatus;
use crate::pacing::{self, Limits};
use crate::store::Store;

pub async fn plan_only(
    ctx: &Context,
    store: &mut Store,
    systems: &ConnectedSystems,
    config: &Config,
    settings: &CycleSettings,
    interval: Interval,
) -> anyhow::Result<ExitStatus> {
    let every = plan_every(store, config, interval);
    ctx.printer.note(format!(
        "planning every {}, writing nothing (--dry-run); stop with Ctrl-C or SIGTERM",
        humantime::format_duration(every)
    ));
    let mut stop = super::stop_on_signal();
    loop {
        let report = run_cycle(store, systems, settings, None, None, chrono::Utc::now())
            .await
            .context("running the sync cycle")?;
        super::super::sync::print_plan(ctx, &report)?;
        ctx.printer.note(format!(
            "{}: {} change(s) planned, nothing written",
            chrono::Utc::now().format("%H:%M:%S"),
            report.plan.len()
        ));
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.wait_for(|s| *s) => return Ok(ExitStatus::Success),
        }
    }
}

/// The fixed interval, or the one `auto` would choose with no other traffic: a dry run
/// measures none (it writes nothing).
fn plan_every(store: &Store, config: &Config, interval: Interval) -> Duration {
    match interval {
        Interval::Every(every) => every,
        Interval::Auto => {
            let users = store.count_mappings().unwrap_or(0).max(0) as u64;
            let limits = Limits::from_config(config);
            let none = [0.0; 4];
            pacing::teams_poll(users, none, &limits).max(pacing::phone_poll(users, none, &limits))
        }
    }
}
