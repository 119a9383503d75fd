//! `mcteams sim serve`: the emulator of all four systems (issue 3), until SIGINT/SIGTERM.

use crate::cli::{SimCommand, SimServeArgs};
use crate::exit::{CliError, ExitStatus};
use crate::sim::{SimOptions, start};

use super::Context;

/// The line a script waits for before it talks to the emulator.
pub const READY_PREFIX: &str = "ready ";

pub fn run(ctx: &Context, cmd: SimCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        SimCommand::Serve(args) => serve(ctx, args),
    }
}

fn serve(ctx: &Context, args: SimServeArgs) -> anyhow::Result<ExitStatus> {
    if !args.listen.ip().is_loopback() {
        return Err(CliError::usage(format!(
            "--listen {}: the emulator only listens on loopback (127.0.0.1 or ::1); its credentials are public",
            args.listen
        ))
        .into());
    }
    if args.users == 0 {
        return Err(CliError::usage("--users must be at least 1").into());
    }
    if !(0.0..=100.0).contains(&args.churn) {
        return Err(CliError::usage(format!(
            "--churn {}: expected a percentage from 0 to 100",
            args.churn
        ))
        .into());
    }
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let mut handle = start(SimOptions {
            listen: args.listen,
            users: args.users,
            seed: args.seed,
            latency: args.latency.unwrap_or_default(),
            churn_pct: args.churn,
        })
        .await?;
        let urls = handle.urls.clone();
        let mut text = format!(
            "mcteams emulator: {} users, seed {}\n  graph authority  {}\n  graph            {}\n  micollab         {}\n  pbx              {}\n  cloudlink auth   {}\n  cloudlink admin  {}\n  cloudlink presence {}\n  control          {}\n",
            args.users,
            args.seed,
            urls.graph_authority,
            urls.graph,
            urls.micollab,
            urls.pbx,
            urls.cloudlink_auth,
            urls.cloudlink_admin,
            urls.cloudlink_presence,
            urls.control,
        );
        if let Some(path) = &args.write_config {
            let written = handle.write_config(path)?;
            text.push_str(&format!(
                "  config           {} (secrets beside it, mode 0600; state {})\n",
                written.config.display(),
                written.state.display()
            ));
        }
        text.push_str(&format!("{READY_PREFIX}{}\n", handle.base_url));
        ctx.printer.stdout(&text)?;
        ctx.printer.note("serving until Ctrl-C (SIGINT) or SIGTERM");
        let stopped_by = tokio::select! {
            signal = shutdown_signal() => signal?,
            _ = handle.wait() => "server end",
        };
        ctx.printer.note(format!("stopping ({stopped_by})"));
        handle.shutdown().await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitStatus::Success)
}

async fn shutdown_signal() -> anyhow::Result<&'static str> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = term.recv() => Ok("SIGTERM"),
            _ = int.recv() => Ok("SIGINT"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok("Ctrl-C")
    }
}
