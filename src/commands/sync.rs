//! `mcteams sync`: delivered by issue 7.

use crate::cli::SyncArgs;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: SyncArgs) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("sync", 7).into())
}
