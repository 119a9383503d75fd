//! The story's steps, in the order `walk` takes them.

use super::*;

impl Demo<'_> {
    pub(super) async fn config_and_doctor(&mut self) -> anyhow::Result<()> {
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

    pub(super) async fn directory(&mut self) -> anyhow::Result<()> {
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
    pub(super) fn choose_cast(&mut self, profiles: &[Value]) -> anyhow::Result<()> {
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
        let Some(profile) = busiest_profile(profiles, &eligible) else {
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

    pub(super) async fn import_mappings(&mut self) -> anyhow::Result<()> {
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

    pub(super) async fn enable_profile(&mut self) -> anyhow::Result<()> {
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

    pub(super) async fn presence_changes(&mut self) -> anyhow::Result<()> {
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
    pub(super) async fn states(&self) -> anyhow::Result<()> {
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
        self.say(text.trim_end_matches('\n'))
    }

    pub(super) async fn synchronize(&mut self) -> anyhow::Result<()> {
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

    pub(super) async fn report(&mut self) -> anyhow::Result<()> {
        self.heading("Who is out of sync, and why: `mcteams report`")?;
        let output = self.run_shown(&["report"]).await?;
        let kept = summary_only(output);
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
    pub(super) async fn dnd_conflicts(&mut self) -> anyhow::Result<()> {
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

    /// The one conflict the story made is resolved by its owner; a sync brings it to
    /// MiCollab and the report's exit code says every user is in sync.
    pub(super) async fn settle(&mut self) -> anyhow::Result<()> {
        self.heading("Settled: the conflict resolved, everyone in sync")?;
        let dnd = self.cast[0].clone();
        let path = format!("/_sim/teams/{}/preferred", dnd.upn);
        self.call(reqwest::Method::DELETE, &path, None).await?;
        self.say_wrapped(
            "   ",
            &format!(
                "{} clears \"Do not disturb\" in Teams. The next sync brings their Teams presence \
                 to MiCollab, and `report --detailed-exitcode` exits 0: nobody is out of sync \
                 (4 would mean someone is, for a script or a monitoring check).",
                dnd.upn
            ),
        )?;
        let output = self.run_shown(&["sync"]).await?;
        self.show(&output)?;
        let output = self.run_shown(&["report", "--detailed-exitcode"]).await?;
        self.show(&summary_only(output))
    }

    pub(super) async fn closing(&mut self, started: Instant) -> anyhow::Result<()> {
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

/// A report's output with its summary table and closing line, without the table of users.
fn summary_only(output: Vec<Block>) -> Vec<Block> {
    let mut tables = 0;
    let mut kept = Vec::new();
    for block in output {
        match block {
            Block::Table(_) if tables > 0 => {
                kept.push(Block::Line(
                    "[… then the users shown, a row each with its hint: left out here]".to_string(),
                ));
            }
            Block::Table(lines) => {
                tables += 1;
                kept.push(Block::Table(lines));
            }
            line => kept.push(line),
        }
    }
    kept
}

/// The profile with the most eligible people; on a tie, the one listed first.
fn busiest_profile(profiles: &[Value], eligible: &[Person]) -> Option<String> {
    let mut per_profile: BTreeMap<&str, usize> = BTreeMap::new();
    for person in eligible {
        *per_profile.entry(person.profile.as_str()).or_default() += 1;
    }
    let best = per_profile.values().copied().max()?;
    profiles
        .iter()
        .filter_map(|p| p["name"].as_str())
        .find(|name| per_profile.get(name) == Some(&best))
        .map(str::to_string)
}
