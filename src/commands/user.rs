//! `mcteams user`: delivered by issue 5.

use crate::cli::UserCommand;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: UserCommand) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("user", 5).into())
}
