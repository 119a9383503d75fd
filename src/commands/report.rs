//! `mcteams report`: delivered by issue 8.

use crate::cli::ReportArgs;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: ReportArgs) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("report", 8).into())
}
