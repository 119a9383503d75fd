//! `mcteams release`: delivered by issue 7.

use crate::cli::WriteArgs;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: WriteArgs) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("release", 7).into())
}
