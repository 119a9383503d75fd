//! `mcteams doctor`: delivered by issue 4.

use crate::cli::DoctorArgs;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(ctx: &Context, _args: DoctorArgs) -> anyhow::Result<ExitStatus> {
    // A broken config is reported as such (exit 78) even before the command exists.
    ctx.config()?;
    Err(CliError::not_implemented("doctor", 4).into())
}
