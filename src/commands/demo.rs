//! `mcteams demo`: the whole job against an in-process emulator (issue 3).

use crate::cli::DemoArgs;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(_ctx: &Context, _args: DemoArgs) -> anyhow::Result<ExitStatus> {
    Err(CliError::not_implemented("demo", 3).into())
}
