//! `mcteams status`: delivered by issue 5.

use crate::cli::StatusCommand;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: StatusCommand) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("status", 5).into())
}
