//! `mcteams demo`: the whole job against an in-process emulator, step by step (issue 3).
//!
//! The emulator serves on this process's runtime; every step that an admin would do runs the
//! real command: this very binary, spawned with `--config` pointing at the emulator, so it goes
//! through exactly the code paths of `mcteams doctor`, `import`, `profile enable`, `sync` and
//! `report`. Their output (stdout and stderr, in order) is shown indented under the command
//! line. Only the scripted events (a person picks DND in Teams, takes a call, presses the
//! phone's DND key) and the read-backs use the emulator's control API.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use serde_json::{Value, json};

use crate::cli::DemoArgs;
use crate::exit::ExitStatus;
use crate::output::{Column, Records};
use crate::sim::{SimHandle, SimOptions, start};

use super::Context;

mod shown;
mod steps;

use shown::{blocks, shell_words, shorten_tables, wrap};

/// The demo's directory is always the same, so the walk-through reads the same every time.
const DEMO_SEED: u64 = 2026;

/// The `max_changes` guard's floor: a step that changes more users than this is stopped
/// unless `--force` (5% of the mapped users is below it up to 10,000 users, the demo's most).
const GUARD_FLOOR: u64 = 500;

/// Rows of the import's per-row table shown; the summary line under it tells the rest.
const IMPORT_ROWS: usize = 3;

/// Where the demo's own text wraps.
const LINE_WIDTH: usize = 100;

/// Indentation of the commands' own output under their `$ mcteams …` line.
const OUTPUT_INDENT: &str = "     ";

/// One of the story's three people.
#[derive(Debug, Clone)]
struct Person {
    upn: String,
    login: String,
    extension: String,
    profile: String,
}

struct Demo<'a> {
    ctx: &'a Context,
    sim: SimHandle,
    http: reqwest::Client,
    dir: tempfile::TempDir,
    config: PathBuf,
    users: u32,
    step: usize,
    /// The emulator's directory, as `/_sim/users` lists it.
    directory: Vec<Value>,
    /// The custom profile whose Teams presence the story turns on.
    profile: String,
    /// How many users that profile has.
    profile_users: u64,
    cast: Vec<Person>,
    /// The current step's title.
    title: String,
    /// Every command run, for `-o json|jsonl|csv` (a script reads what ran and how it ended).
    ran: std::cell::RefCell<Vec<CommandRun>>,
}

/// One command the demo ran, as `-o json|jsonl|csv` lists it.
#[derive(Debug, Clone, serde::Serialize)]
struct CommandRun {
    step: usize,
    title: String,
    command: String,
    exit_code: Option<i32>,
}

/// What a spawned command printed (stdout and stderr interleaved, as written) and how it ended.
struct Ran {
    code: Option<i32>,
    text: String,
}

/// A command's output cut into plain lines and tables (a table runs from `┌` to `└`).
enum Block {
    Line(String),
    Table(Vec<String>),
}

pub fn run(ctx: &Context, args: DemoArgs) -> anyhow::Result<ExitStatus> {
    let users = args.users.clamp(5, 10_000);
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let started = Instant::now();
        let sim = start(SimOptions {
            users,
            seed: DEMO_SEED,
            ..SimOptions::default()
        })
        .await?;
        let dir = tempfile::Builder::new().prefix("mcteams-demo-").tempdir()?;
        let config = dir.path().join("config.toml");
        let mut demo = Demo {
            ctx,
            sim,
            http: reqwest::Client::new(),
            dir,
            config,
            users,
            step: 0,
            directory: Vec::new(),
            profile: String::new(),
            profile_users: 0,
            cast: Vec::new(),
            title: String::new(),
            ran: Default::default(),
        };
        demo.say(&format!(
            "mcteams demo: Teams <-> MiCollab presence, end to end, against an emulator of all four\n\
             systems (Microsoft Graph, MiCollab, MiVoice Business, CloudLink) on {}.\n\
             Every `$ mcteams ...` below is the real command, run against it; its output is indented.",
            demo.sim.base_url
        ))?;
        let outcome = demo.walk(started).await;
        if !demo.narrating() {
            demo.list_commands()?;
        }
        demo.sim.shutdown().await;
        outcome
    })?;
    Ok(ExitStatus::Success)
}

impl Demo<'_> {
    async fn walk(&mut self, started: Instant) -> anyhow::Result<()> {
        self.config_and_doctor().await?;
        self.directory().await?;
        self.import_mappings().await?;
        self.enable_profile().await?;
        self.presence_changes().await?;
        self.synchronize().await?;
        self.report().await?;
        self.settle().await?;
        self.closing(started).await
    }

    /// The walk-through is told only as a table (`-o table`, not `-q`); any other format
    /// lists the commands run, and nothing else, on stdout.
    fn narrating(&self) -> bool {
        self.ctx.printer.format() == crate::output::Format::Table && !self.ctx.printer.is_quiet()
    }

    fn say(&self, text: &str) -> anyhow::Result<()> {
        if self.narrating() {
            self.ctx.printer.stdout(&format!("{text}\n"))?;
        }
        Ok(())
    }

    fn list_commands(&self) -> anyhow::Result<()> {
        let mut records = Records::new(vec![
            Column::exact("step", "Step"),
            Column::text("title", "Title"),
            Column::text("command", "Command"),
            Column::exact("exit_code", "Exit code"),
        ]);
        for run in self.ran.borrow().iter() {
            records.push(run);
        }
        self.ctx.printer.results(&records)?;
        Ok(())
    }

    /// `lead` then `text` word-wrapped, its next lines aligned under the text's start.
    fn say_wrapped(&self, lead: &str, text: &str) -> anyhow::Result<()> {
        let width = lead.chars().count();
        for (index, line) in wrap(text, LINE_WIDTH.saturating_sub(width).max(20))
            .iter()
            .enumerate()
        {
            let lead = if index == 0 { lead } else { "" };
            self.say(&format!("{lead:<width$}{line}"))?;
        }
        Ok(())
    }

    fn heading(&mut self, title: &str) -> anyhow::Result<()> {
        self.step += 1;
        self.title = title.to_string();
        self.say(&format!("\n{}. {title}", self.step))
    }

    /// `--force` when enabling the profile, or the first sync after it, would make more
    /// changes than the `max_changes` guard allows (a big directory); the demo says why.
    fn force(&self) -> Option<&'static str> {
        (self.profile_users + 10 > GUARD_FLOOR).then_some("--force")
    }

    fn explain_force(&self) -> anyhow::Result<()> {
        if self.force().is_some() {
            self.say(&format!(
                "   (--force: {} users switch at once, more than the max_changes guard lets through\n   \
                 ({GUARD_FLOOR} changes, or 5% of the mapped users): it stops mass changes nobody meant.)",
                self.profile_users
            ))?;
        }
        Ok(())
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.sim.base_url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("calling {path}"))?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            anyhow::bail!("{path}: {status}: {text}");
        }
        Ok(if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)?
        })
    }

    async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> anyhow::Result<Value> {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// Runs `mcteams --config <demo config> <args>` (this binary) in the demo's directory and
    /// returns what it printed. The child never prompts (no stdin) and never sees the caller's
    /// `MCTEAMS_*` settings (`MCTEAMS_STATE`, `MCTEAMS_GRAPH_TENANT_ID`, …), which could point it
    /// at a real store or tenant; `MCTEAMS_LOG` is kept. The emulator keeps serving on the
    /// runtime meanwhile: the child is waited for on a blocking thread.
    async fn mcteams(&self, args: &[&str]) -> anyhow::Result<Ran> {
        let exe = std::env::current_exe().context("finding the mcteams binary")?;
        let mut command = std::process::Command::new(exe);
        command.arg("--config").arg(&self.config);
        if !self.ctx.printer.color() {
            command.arg("--no-color");
        }
        command
            .args(args)
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::null());
        for (name, _) in std::env::vars_os() {
            let name_text = name.to_string_lossy();
            if name_text.starts_with("MCTEAMS_") && name_text != "MCTEAMS_LOG" {
                command.env_remove(&name);
            }
        }
        let shown = format!("mcteams {}", args.join(" "));
        tokio::task::spawn_blocking(move || -> anyhow::Result<Ran> {
            // One pipe for both streams keeps notes and tables in the order they were written.
            let (mut reader, writer) = std::io::pipe().context("creating a pipe")?;
            command.stdout(writer.try_clone()?).stderr(writer);
            let mut child = command
                .spawn()
                .with_context(|| format!("starting `{shown}`"))?;
            // The command holds the pipe's write ends until dropped: the read would never end.
            drop(command);
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes)?;
            let status = child.wait()?;
            Ok(Ran {
                code: status.code(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            })
        })
        .await?
    }

    /// Shows `$ mcteams <args>`, runs it, and fails the demo when it does not exit 0 (after
    /// showing all it said).
    async fn run_shown(&self, args: &[&str]) -> anyhow::Result<Vec<Block>> {
        self.say(&format!("   $ mcteams {}", shell_words(args)))?;
        let ran = self.mcteams(args).await?;
        self.ran.borrow_mut().push(CommandRun {
            step: self.step,
            title: self.title.clone(),
            command: format!("mcteams {}", shell_words(args)),
            exit_code: ran.code,
        });
        let blocks = blocks(&ran.text);
        if ran.code != Some(0) {
            self.show(&blocks)?;
            anyhow::bail!(
                "`mcteams {}` ended with exit code {}",
                args.join(" "),
                ran.code
                    .map_or_else(|| "none (killed)".to_string(), |c| c.to_string())
            );
        }
        Ok(blocks)
    }

    fn show(&self, blocks: &[Block]) -> anyhow::Result<()> {
        let mut text = String::new();
        for block in blocks {
            let lines: &[String] = match block {
                Block::Line(line) => std::slice::from_ref(line),
                Block::Table(lines) => lines,
            };
            for line in lines {
                text.push_str(OUTPUT_INDENT);
                text.push_str(line.trim_end());
                text.push('\n');
            }
        }
        if text.is_empty() {
            return Ok(());
        }
        self.say(text.trim_end_matches('\n'))
    }
}
