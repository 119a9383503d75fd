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
use crate::sim::{SimHandle, SimOptions, start};

use super::Context;

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
        };
        demo.say(&format!(
            "mcteams demo: Teams <-> MiCollab presence, end to end, against an emulator of all four\n\
             systems (Microsoft Graph, MiCollab, MiVoice Business, CloudLink) on {}.\n\
             Every `$ mcteams ...` below is the real command, run against it; its output is indented.",
            demo.sim.base_url
        ))?;
        let outcome = demo.walk(started).await;
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
        self.closing(started).await
    }

    fn say(&self, text: &str) -> anyhow::Result<()> {
        self.ctx.printer.stdout(&format!("{text}\n"))?;
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
        self.ctx.printer.stdout(&text)?;
        Ok(())
    }

    async fn config_and_doctor(&mut self) -> anyhow::Result<()> {
        self.heading("A config for this rehearsal, checked by `mcteams doctor`")?;
        let written = self.sim.write_config(&self.config)?;
        self.say(&format!(
            "   {}\n   \
             Secrets are in files beside it (mode 0600), and so is its own state store ({}).\n   \
             Each `$ mcteams ...` below runs `mcteams --config <that file> ...` in that directory.",
            written.config.display(),
            written
                .state
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
        ))?;
        let output = self.run_shown(&["doctor"]).await?;
        self.show(&output)
    }

    async fn directory(&mut self) -> anyhow::Result<()> {
        self.heading(
            "The directory: the same people in Entra, MiCollab, MiVoice Business and CloudLink",
        )?;
        let summary = self.get("/_sim/summary").await?;
        let system = &summary["micollab"];
        self.say(&format!(
            "   {} users. MiCollab {} on {} (Teams presence needs R9.8 SP1 and MiVoice Business: {}).",
            summary["users"],
            system["version"].as_str().unwrap_or("?"),
            system["pbxType"].as_str().unwrap_or("?"),
            if system["teamsPresence"]["supported"] == true {
                "ok"
            } else {
                "not supported"
            },
        ))?;
        let profiles = summary["profiles"].as_array().cloned().unwrap_or_default();
        let listed: Vec<String> = profiles
            .iter()
            .map(|p| {
                format!(
                    "{} ({}{})",
                    p["name"].as_str().unwrap_or("?"),
                    p["users"],
                    if p["isDefault"] == true {
                        ", default: cannot change"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        self.say_wrapped("   Profiles: ", &listed.join(", "))?;
        self.say(&format!(
            "   Phones: {} desk phones, {} softphones. ACD: {} hot-desk agent(s) on softphones (not\n   \
             synchronized, as Mitel documents), {} agent(s) on desk phones.",
            summary["devices"]["deskPhone"],
            summary["devices"]["softphone"],
            summary["acd"]["hotDeskSoftphone"],
            summary["acd"]["deskPhoneAgents"],
        ))?;
        self.say(&format!(
            "   Special cases: {} user(s) with their own MiCollab statuses, {} with their own Teams-status\n   \
             settings, {} whose mail is not their UPN.",
            summary["usersWithOwnStatuses"],
            summary["usersWithOwnTeamsStatusSettings"],
            summary["mailDiffersFromUpn"],
        ))?;

        let users = self
            .get(&format!("/_sim/users?limit={}", self.users))
            .await?;
        self.directory = users["items"].as_array().cloned().unwrap_or_default();
        self.choose_cast(&profiles)
    }

    /// The story's three people: ordinary desk-phone users (no ACD hot-desking) of the custom
    /// profile that has the most of them, topped up from other custom profiles if it has fewer
    /// than three (those get the per-user flag with `mcteams user enable`).
    fn choose_cast(&mut self, profiles: &[Value]) -> anyhow::Result<()> {
        let defaults: Vec<&str> = profiles
            .iter()
            .filter(|p| p["isDefault"] == true)
            .filter_map(|p| p["name"].as_str())
            .collect();
        let text = |u: &Value, key: &str| u[key].as_str().unwrap_or_default().to_string();
        let eligible: Vec<Person> = self
            .directory
            .iter()
            .filter(|u| u["deviceType"] == "deskPhone" && u["acdHotDeskSoftphone"] == false)
            .filter(|u| !defaults.contains(&u["profile"].as_str().unwrap_or("Default")))
            .map(|u| Person {
                upn: text(u, "upn"),
                login: text(u, "login"),
                extension: text(u, "extension"),
                profile: text(u, "profile"),
            })
            .collect();
        let mut per_profile: BTreeMap<&str, usize> = BTreeMap::new();
        for person in &eligible {
            *per_profile.entry(person.profile.as_str()).or_default() += 1;
        }
        // The profile with the most candidates; on a tie, the one listed first.
        let best = per_profile.values().copied().max();
        let Some(profile) = best
            .and_then(|best| {
                profiles
                    .iter()
                    .filter_map(|p| p["name"].as_str())
                    .find(|name| per_profile.get(name) == Some(&best))
            })
            .map(str::to_string)
        else {
            anyhow::bail!(
                "the demo directory has no desk-phone user in a custom profile; try --users 20"
            );
        };
        let mut cast: Vec<Person> = eligible
            .iter()
            .filter(|p| p.profile == profile)
            .take(3)
            .cloned()
            .collect();
        let missing = 3 - cast.len();
        cast.extend(
            eligible
                .iter()
                .filter(|p| p.profile != profile)
                .take(missing)
                .cloned(),
        );
        if cast.len() < 3 {
            anyhow::bail!("the demo directory has too few desk-phone users; try --users 20");
        }
        let names: Vec<String> = cast
            .iter()
            .map(|p| {
                if p.profile == profile {
                    p.login.clone()
                } else {
                    format!("{} ({})", p.login, p.profile)
                }
            })
            .collect();
        self.say(&format!(
            "   The story's three people have desk phones and are in {profile:?}: {}.",
            names.join(", ")
        ))?;
        self.profile_users = profiles
            .iter()
            .find(|p| p["name"] == profile.as_str())
            .and_then(|p| p["users"].as_u64())
            .unwrap_or_default();
        self.profile = profile;
        self.cast = cast;
        Ok(())
    }

    async fn import_mappings(&mut self) -> anyhow::Result<()> {
        self.heading("Who is who: import the mapping CSV with `mcteams import`")?;
        let mut csv =
            String::from("micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n");
        for u in &self.directory {
            let s = |k: &str| u[k].as_str().unwrap_or_default();
            csv.push_str(&format!(
                "{},{},{},{},{}\n",
                s("login"),
                s("upn"),
                s("objectId"),
                s("extension"),
                s("cloudlinkUserId")
            ));
        }
        std::fs::write(self.dir.path().join("users.csv"), &csv)?;
        self.say(&format!(
            "   users.csv: the directory as a mapping CSV ({} rows); it starts with",
            csv.lines().count() - 1
        ))?;
        for line in csv.lines().take(2) {
            self.say(&format!("     {line}"))?;
        }
        self.say("   Import checks every row against the systems and stores the mappings:")?;
        let output = self.run_shown(&["import", "users.csv"]).await?;
        self.show(&shorten_tables(output, IMPORT_ROWS))
    }

    async fn enable_profile(&mut self) -> anyhow::Result<()> {
        let profile = self.profile.clone();
        self.heading(&format!(
            "Turn Teams presence on for {profile:?} with `mcteams profile enable`"
        ))?;
        self.say(
            "   It previews what the profile's users will see, then applies it (--yes: no question):",
        )?;
        let mut args = vec!["profile", "enable", profile.as_str(), "--yes"];
        args.extend(self.force());
        let output = self.run_shown(&args).await?;
        self.show(&output)?;
        self.explain_force()?;

        let outsiders: Vec<String> = self
            .cast
            .iter()
            .filter(|p| p.profile != profile)
            .map(|p| p.login.clone())
            .collect();
        if !outsiders.is_empty() {
            self.say(
                "   Not in that profile: their own \"Microsoft Teams status\" checkbox instead:",
            )?;
            let mut args = vec!["user", "enable"];
            args.extend(outsiders.iter().map(String::as_str));
            args.push("--yes");
            let output = self.run_shown(&args).await?;
            self.show(&output)?;
        }
        Ok(())
    }

    async fn presence_changes(&mut self) -> anyhow::Result<()> {
        self.heading("Things happen (scripted through the emulator's control API)")?;
        let [dnd, call, phone] = [
            self.cast[0].clone(),
            self.cast[1].clone(),
            self.cast[2].clone(),
        ];
        for person in &self.cast {
            self.post(
                &format!("/_sim/teams/{}/client", person.upn),
                json!({"availability": "Available", "activity": "Available"}),
            )
            .await?;
        }
        self.post(
            &format!("/_sim/teams/{}/preferred", dnd.upn),
            json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"}),
        )
        .await?;
        self.say(&format!(
            "   {} picks \"Do not disturb\" in Teams (the phone's DND stays off).",
            dnd.upn
        ))?;
        self.post(
            &format!("/_sim/pbx/{}/state", call.extension),
            json!({"state": "busy"}),
        )
        .await?;
        self.say(&format!(
            "   {} takes a call on desk phone {}.",
            call.upn, call.extension
        ))?;
        self.post(
            &format!("/_sim/pbx/{}/dnd", phone.extension),
            json!({"enabled": true}),
        )
        .await?;
        self.say(&format!(
            "   {} presses DND on desk phone {}.",
            phone.upn, phone.extension
        ))?;
        self.say("   Before any sync:")?;
        self.states().await
    }

    /// The cast as the four systems see them now (the emulator's view of each).
    async fn states(&self) -> anyhow::Result<()> {
        let app = self.sim.credentials.graph_client_id.clone();
        let mut rows = vec![[
            "user".to_string(),
            "Teams".to_string(),
            "mcteams' session".to_string(),
            "MiCollab status (set by)".to_string(),
            "phone".to_string(),
        ]];
        for person in &self.cast {
            let view = self.get(&format!("/_sim/users/{}", person.upn)).await?;
            let pair = |v: &Value| {
                format!(
                    "{}/{}",
                    v["availability"].as_str().unwrap_or("?"),
                    v["activity"].as_str().unwrap_or("?")
                )
            };
            let session = view["teams"]["sessions"]
                .as_array()
                .and_then(|sessions| sessions.iter().find(|s| s["sessionId"] == app.as_str()))
                .map_or_else(|| "-".to_string(), pair);
            let status = &view["micollab"]["user"]["dynamicStatus"];
            let phone = &view["pbx"];
            rows.push([
                person.upn.clone(),
                pair(&view["teams"]["presence"]),
                session,
                format!(
                    "{} ({})",
                    status["name"].as_str().unwrap_or("?"),
                    status["source"].as_str().unwrap_or("?")
                ),
                format!(
                    "{}, DND {}",
                    phone["callState"].as_str().unwrap_or("?"),
                    if phone["dnd"] == true { "on" } else { "off" }
                ),
            ]);
        }
        let mut widths = [0usize; 5];
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut text = String::new();
        for row in &rows {
            let mut line = String::from("    ");
            for (cell, width) in row.iter().zip(widths) {
                line.push_str(&format!(" {cell:<width$} "));
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        self.ctx.printer.stdout(&text)?;
        Ok(())
    }

    async fn synchronize(&mut self) -> anyhow::Result<()> {
        self.heading("Synchronize: `mcteams sync`, two cycles")?;
        self.say_wrapped(
            "   ",
            &format!(
                "The first cycle shows the phones in Teams - the call and the phone's DND - as \
                 mcteams' own app session (a person's own Teams status is never overwritten), and \
                 copies Teams presence into the MiCollab status of every user with Teams presence on \
                 (here {:?}), the DND chosen in Teams included:",
                self.profile
            ),
        )?;
        let mut args = vec!["sync"];
        args.extend(self.force());
        let output = self.run_shown(&args).await?;
        self.show(&output)?;
        if self.force().is_some() {
            self.say("   (--force: this first cycle changes as many users as the profile has.)")?;
        }
        self.say("   The second cycle brings the Teams presence the first one set into MiCollab:")?;
        let output = self.run_shown(&["sync"]).await?;
        self.show(&output)?;
        self.say("   After both cycles:")?;
        self.states().await
    }

    async fn report(&mut self) -> anyhow::Result<()> {
        self.heading("Who is out of sync, and why: `mcteams report`")?;
        let output = self.run_shown(&["report"]).await?;
        // The summary, then a table with a row per user: keep the summary and the closing line.
        let mut tables = 0;
        let mut kept = Vec::new();
        for block in output {
            match block {
                Block::Table(_) if tables > 0 => {
                    kept.push(Block::Line(
                        "[… then the users shown, a row each with its hint: left out here]"
                            .to_string(),
                    ));
                }
                Block::Table(lines) => {
                    tables += 1;
                    kept.push(Block::Table(lines));
                }
                line => kept.push(line),
            }
        }
        self.show(&kept)?;
        let one_by_one = self
            .cast
            .iter()
            .filter(|p| p.profile != self.profile)
            .count();
        self.say_wrapped(
            "   ",
            &format!(
                "integration_disabled: mapped, but Teams presence is on neither for their profile nor for \
                 them (here only {:?}{} has it). client_drift_risk: their MiCollab client can let \
                 presence drift (not counted as out of sync).",
                self.profile,
                if one_by_one > 0 {
                    format!(" and the {one_by_one} user(s) enabled one by one")
                } else {
                    String::new()
                }
            ),
        )?;

        self.dnd_conflicts().await
    }

    /// The report's `dnd_conflict` rows, read as JSON as a script would, shown as text.
    async fn dnd_conflicts(&mut self) -> anyhow::Result<()> {
        self.say(
            "   The dnd_conflict, from the same report as JSON (for scripts), shown as text:",
        )?;
        let ran = self
            .run_shown(&["report", "--reason", "dnd_conflict", "-o", "json", "-q"])
            .await?;
        let text: String = ran
            .iter()
            .map(|b| match b {
                Block::Line(line) => format!("{line}\n"),
                Block::Table(lines) => lines.join("\n"),
            })
            .collect();
        let rows: Vec<Value> = serde_json::from_str(&text)
            .with_context(|| format!("reading the report's JSON: {text}"))?;
        if rows.is_empty() {
            self.say("     (no dnd_conflict: the DND chosen in Teams did not reach MiCollab)")?;
        }
        for row in rows {
            let s = |k: &str| row[k].as_str().unwrap_or("?").to_string();
            self.say(&format!(
                "     {} ({}):\n       Teams {}/{}, MiCollab \"{}\" (set by {}), phone {}, DND {}",
                s("micollab_login"),
                s("teams_upn"),
                s("teams_availability"),
                s("teams_activity"),
                s("micollab_status"),
                s("micollab_source"),
                s("phone_call"),
                if row["phone_dnd"] == true {
                    "on"
                } else {
                    "off"
                },
            ))?;
            let reasons = row["reasons"].as_array().cloned().unwrap_or_default();
            let hints = row["hints"].as_array().cloned().unwrap_or_default();
            for (reason, hint) in reasons.iter().zip(&hints) {
                self.say_wrapped(
                    &format!("       {}: ", reason.as_str().unwrap_or("?")),
                    hint.as_str().unwrap_or(""),
                )?;
            }
        }
        Ok(())
    }

    async fn closing(&mut self, started: Instant) -> anyhow::Result<()> {
        self.heading("Your turn")?;
        let stats = self.get("/_sim/stats").await?;
        self.say(&format!(
            "   {} API calls answered by the emulator, {:.1} s in all. To rehearse on your own:\n   \
             `mcteams sim serve --users 1000 --write-config /tmp/sim/config.toml`, then any command with\n   \
             `--config /tmp/sim/config.toml`; docs/emulator.md has the control API that scripted step 5.",
            stats["total"],
            started.elapsed().as_secs_f64()
        ))
    }
}

/// Cuts a command's output into lines and tables.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut table: Option<Vec<String>> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match table.as_mut() {
            Some(lines) => {
                lines.push(line.to_string());
                if trimmed.starts_with('└') {
                    out.extend(table.take().map(Block::Table));
                }
            }
            None if trimmed.starts_with('┌') => table = Some(vec![line.to_string()]),
            None => out.push(Block::Line(line.to_string())),
        }
    }
    out.extend(table.map(Block::Table));
    out
}

/// Keeps the header and the first `rows` rows of each table, and says how many are left out.
fn shorten_tables(blocks: Vec<Block>, rows: usize) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Table(lines) => {
                let Some(header) = lines.iter().position(|l| l.trim_start().starts_with('╞'))
                else {
                    return Block::Table(lines);
                };
                let body = lines.len().saturating_sub(header + 2);
                if body <= rows {
                    return Block::Table(lines);
                }
                let mut kept: Vec<String> = lines[..=header + rows].to_vec();
                kept.push(format!("… {} more row(s) in this table", body - rows));
                kept.extend(lines.last().cloned());
                Block::Table(kept)
            }
            line => line,
        })
        .collect()
}

/// The arguments as a person would type them (quoted when they hold a space or a quote).
fn shell_words(args: &[&str]) -> String {
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$\\".contains(c)) {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                (*a).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word-wraps `text` to lines of at most `width` characters (a longer word gets its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tables_are_shortened_with_a_count() {
        let text = "┌─┐\n│h│\n╞═╡\n│1│\n│2│\n│3│\n│4│\n└─┘\nsummary\n";
        let shown = shorten_tables(blocks(text), 2);
        let Block::Table(lines) = &shown[0] else {
            panic!("a table first")
        };
        assert_eq!(
            lines,
            &[
                "┌─┐",
                "│h│",
                "╞═╡",
                "│1│",
                "│2│",
                "… 2 more row(s) in this table",
                "└─┘"
            ]
        );
        assert!(matches!(&shown[1], Block::Line(l) if l == "summary"));
    }

    #[test]
    fn arguments_are_quoted_like_a_shell() {
        assert_eq!(
            shell_words(&["profile", "enable", "Contact Center", "--yes"]),
            "profile enable 'Contact Center' --yes"
        );
    }

    #[test]
    fn hints_wrap_on_words() {
        assert_eq!(wrap("aa bb cc dd", 5), vec!["aa bb", "cc dd"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}
