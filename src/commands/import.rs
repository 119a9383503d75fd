//! `mcteams import`: delivered by issue 6.

use crate::cli::ImportArgs;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: ImportArgs) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("import", 6).into())
}
