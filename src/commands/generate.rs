//! `mcteams generate`: shell completions and man pages from the clap definition.
//!
//! The output is committed in `completions/` and `man/`; a test regenerates it and fails
//! when the committed files are stale.

use std::path::Path;

use anyhow::Context as _;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, GenerateArgs};
use crate::exit::ExitStatus;

use super::Context;

#[path = "man_sections.rs"]
mod man_sections;

pub fn run(ctx: &Context, args: GenerateArgs) -> anyhow::Result<ExitStatus> {
    let written = write_all(&args.out)?;
    ctx.printer.note(format!(
        "wrote {written} files under {}",
        args.out.display()
    ));
    Ok(ExitStatus::Success)
}

/// Writes `completions/*` and `man/*.1` under `root`; returns how many files.
pub fn write_all(root: &Path) -> anyhow::Result<usize> {
    let completions = root.join("completions");
    let man = root.join("man");
    for dir in [&completions, &man] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut written = 0;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let mut cmd = Cli::command();
        clap_complete::generate_to(shell, &mut cmd, "mcteams", &completions)
            .with_context(|| format!("writing {shell} completions"))?;
        written += 1;
    }
    // The man page has its own EXIT STATUS section; keep only the examples from --help.
    // No `help` subcommand: it has no page of its own (`--help` is on every page).
    let mut cmd = without_help_subcommands(Cli::command().after_long_help(None::<&str>));
    cmd.build();
    written += write_man_pages(&cmd, &man, None)?;
    Ok(written)
}

/// `cmd` and its subcommands without clap's `help` subcommand.
fn without_help_subcommands(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names
        .into_iter()
        .fold(cmd.disable_help_subcommand(true), |cmd, name| {
            cmd.mut_subcommand(name, without_help_subcommands)
        })
}

/// A shell completion script for `shell`, from the same definition as the committed files.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "mcteams", &mut script);
    script
}

/// Writes the page of `cmd` and of each subcommand; `parent`: the page `cmd` is under
/// (`mcteams-profile` for `mcteams-profile-enable`).
fn write_man_pages(cmd: &clap::Command, dir: &Path, parent: Option<&str>) -> anyhow::Result<usize> {
    if cmd.is_hide_set() {
        return Ok(0);
    }
    let man =
        clap_mangen::Man::new(cmd.clone()).source(format!("mcteams {}", env!("CARGO_PKG_VERSION")));
    let mut page = Vec::new();
    man.render(&mut page)?;
    if parent.is_none() {
        page.extend_from_slice(EXIT_STATUS_ROFF.as_bytes());
        page.extend_from_slice(man_sections::environment().as_bytes());
        page.extend_from_slice(man_sections::FILES.as_bytes());
    }
    let file = man.get_filename();
    let own = file.trim_end_matches(".1");
    page.extend_from_slice(man_sections::see_also(cmd, own, parent).as_bytes());
    let path = dir.join(&file);
    std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    let mut written = 1;
    for sub in cmd.get_subcommands() {
        written += write_man_pages(sub, dir, Some(own))?;
    }
    Ok(written)
}

const EXIT_STATUS_ROFF: &str = r#".SH "EXIT STATUS"
When several apply, the first listed wins.
.TP
\fB78\fR
configuration error (config file, secret, state file)
.TP
\fB2\fR
usage error (bad flags; confirmation needed but no terminal)
.TP
\fB130\fR
stopped by SIGINT (Ctrl\-C) after finishing and recording the writes in flight; the run did not finish
.TP
\fB143\fR
stopped by SIGTERM after finishing and recording the writes in flight; the run did not finish
.TP
\fB1\fR
failure (could not do its job; internal error)
.TP
\fB75\fR
temporarily unavailable (another run holds the lock; a system down or throttled beyond the retry budget): try again later
.TP
\fB5\fR
stopped by a safety guard (\-\-max\-changes, \-\-max\-deletes); nothing applied
.TP
\fB3\fR
partial: some users or rows failed (with \-\-strict, nothing applied)
.TP
\fB4\fR
report \-\-detailed\-exitcode found users out of sync
.TP
\fB0\fR
success
"#;
