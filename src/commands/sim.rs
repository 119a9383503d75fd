//! `mcteams sim serve`: the emulator of all four systems (issue 3).

use crate::cli::SimCommand;
use crate::exit::{CliError, ExitStatus};

use super::Context;

pub fn run(_ctx: &Context, cmd: SimCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        SimCommand::Serve(_) => Err(CliError::not_implemented("sim serve", 3).into()),
    }
}
