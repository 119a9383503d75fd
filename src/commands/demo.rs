//! `mcteams demo`: the whole job against an in-process emulator, step by step (issue 3).
//!
//! Each step is a function over [`Demo`]. Steps whose command has not landed yet say which
//! issue brings them; when `import`, `profile`, `sync` and `report` exist they replace
//! their placeholder step here and run through the same code paths as the real commands.

use std::time::Instant;

use anyhow::Context as _;
use serde_json::{Value, json};

use crate::cli::DemoArgs;
use crate::exit::ExitStatus;
use crate::sim::{SimHandle, SimOptions, start};

use super::Context;

/// The demo's directory is always the same, so the walk-through reads the same every time.
const DEMO_SEED: u64 = 2026;

struct Demo<'a> {
    ctx: &'a Context,
    sim: SimHandle,
    http: reqwest::Client,
    dir: tempfile::TempDir,
    step: usize,
    /// The three people of the story: (upn, object id, login, extension).
    cast: Vec<(String, String, String, String)>,
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
        let mut demo = Demo {
            ctx,
            sim,
            http: reqwest::Client::new(),
            dir: tempfile::Builder::new().prefix("mcteams-demo-").tempdir()?,
            step: 0,
            cast: Vec::new(),
        };
        demo.say(&format!(
            "mcteams demo: Teams <-> MiCollab presence, against an emulator of all four systems\n\
             (Microsoft Graph, MiCollab, MiVoice Business, CloudLink) on {}",
            demo.sim.base_url
        ))?;
        demo.write_config()?;
        demo.directory().await?;
        demo.sign_in().await?;
        demo.import_mappings().await?;
        demo.enable_profile().await?;
        demo.presence_changes().await?;
        demo.later(
            "Synchronize: `mcteams sync`",
            7,
            "Teams DND will become MiCollab \"Do not disturb\" for the first person; the phone call \
             will show in Teams as Busy/InACall and phone DND as DoNotDisturb/Presenting (mcteams' \
             own app session), and the MiCollab dynamic status follows Teams.",
        )?;
        demo.later(
            "Report: `mcteams report`",
            8,
            "It will flag the first person as dnd_conflict: DND chosen in Teams while the phone's own \
             DND is off, so calls go to voicemail - with the hint to clear DND in Teams.",
        )?;
        demo.stats(started).await?;
        demo.sim.shutdown().await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitStatus::Success)
}

impl Demo<'_> {
    fn say(&self, text: &str) -> anyhow::Result<()> {
        self.ctx.printer.stdout(&format!("{text}\n"))?;
        Ok(())
    }

    fn heading(&mut self, title: &str) -> anyhow::Result<()> {
        self.step += 1;
        self.say(&format!("\n{}. {title}", self.step))
    }

    fn later(&mut self, title: &str, issue: u32, what: &str) -> anyhow::Result<()> {
        self.heading(title)?;
        self.say(&format!("   (comes with issue {issue}) {what}"))
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.sim.base_url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
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

    fn write_config(&mut self) -> anyhow::Result<()> {
        self.heading("A config for this rehearsal")?;
        let path = self.dir.path().join("config.toml");
        let written = self.sim.write_config(&path)?;
        self.say(&format!(
            "   {} - secrets in files beside it (mode 0600), its own state store {}.\n   \
             Any command runs against the emulator with `mcteams --config {} <command>`.",
            written.config.display(),
            written.state.display(),
            written.config.display()
        ))
    }

    async fn directory(&mut self) -> anyhow::Result<()> {
        self.heading(
            "The directory: the same people in Entra, MiCollab, MiVoice Business and CloudLink",
        )?;
        let summary = self
            .call(reqwest::Method::GET, "/_sim/summary", None, None)
            .await?;
        let system = &summary["micollab"];
        self.say(&format!(
            "   {} users. MiCollab {} on {} (Teams presence needs R9.8 SP1 and MiVoice Business: {}).",
            summary["users"],
            system["version"].as_str().unwrap_or("?"),
            system["pbxType"].as_str().unwrap_or("?"),
            if system["teamsPresence"]["supported"] == true { "ok" } else { "not supported" },
        ))?;
        let profiles: Vec<String> = summary["profiles"]
            .as_array()
            .into_iter()
            .flatten()
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
        self.say(&format!("   Profiles: {}", profiles.join(", ")))?;
        self.say(&format!(
            "   Phones: {} desk phones, {} softphones; ACD: {} hot-desk softphone agents (not synchronized, as Mitel documents), {} agents on desk phones.",
            summary["devices"]["deskPhone"],
            summary["devices"]["softphone"],
            summary["acd"]["hotDeskSoftphone"],
            summary["acd"]["deskPhoneAgents"],
        ))?;
        self.say(&format!(
            "   {} users have their own MiCollab statuses, {} their own Teams-status settings; {} have a mail that is not their UPN.",
            summary["usersWithOwnStatuses"], summary["usersWithOwnTeamsStatusSettings"], summary["mailDiffersFromUpn"],
        ))?;
        let users = self
            .call(reqwest::Method::GET, "/_sim/users?limit=60", None, None)
            .await?;
        // The story's three people: ordinary desk-phone users of a custom profile.
        self.cast = users["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| u["deviceType"] == "deskPhone" && u["acdHotDeskSoftphone"] == false)
            .filter(|u| !u["profile"].as_str().unwrap_or("").starts_with("Default"))
            .take(3)
            .map(|u| {
                let s = |k: &str| u[k].as_str().unwrap_or_default().to_string();
                (s("upn"), s("objectId"), s("login"), s("extension"))
            })
            .collect();
        if self.cast.len() < 3 {
            anyhow::bail!("the demo directory has too few desk-phone users; try --users 20");
        }
        Ok(())
    }

    async fn graph_token(&self) -> anyhow::Result<Value> {
        let c = &self.sim.credentials;
        let response = self
            .http
            .post(format!(
                "{}/{}/oauth2/v2.0/token",
                self.sim.urls.graph_authority, c.tenant_id
            ))
            .form(&[
                ("client_id", c.graph_client_id.as_str()),
                ("scope", "https://graph.microsoft.com/.default"),
                ("grant_type", "client_credentials"),
                ("client_secret", c.graph_client_secret.as_str()),
            ])
            .send()
            .await?;
        Ok(response.error_for_status()?.json().await?)
    }

    async fn mitel_token(&self, path: &str, body: Value) -> anyhow::Result<String> {
        let answer = self
            .call(reqwest::Method::POST, path, None, Some(body))
            .await?;
        Ok(answer["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    async fn sign_in(&mut self) -> anyhow::Result<()> {
        self.heading("Sign in to each system, as mcteams will")?;
        let token = self.graph_token().await?;
        self.say(&format!(
            "   Graph: client-credentials token for the app registration, valid {} s.",
            token["expires_in"]
        ))?;
        self.say("   MiCollab and MiVoice Business: username/password -> bearer token; CloudLink: client credentials + account id.")
    }

    async fn import_mappings(&mut self) -> anyhow::Result<()> {
        self.heading("Who is who: the mapping CSV")?;
        let users = self
            .call(reqwest::Method::GET, "/_sim/users?limit=10000", None, None)
            .await?;
        let mut csv =
            String::from("micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n");
        for u in users["items"].as_array().into_iter().flatten() {
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
        let path = self.dir.path().join("users.csv");
        std::fs::write(&path, &csv)?;
        self.say(&format!(
            "   {} ({} rows), first lines:",
            path.display(),
            csv.lines().count() - 1
        ))?;
        for line in csv.lines().take(3) {
            self.say(&format!("     {line}"))?;
        }
        self.say("   `mcteams import users.csv` validates and stores it (comes with issue 6).")
    }

    async fn enable_profile(&mut self) -> anyhow::Result<()> {
        self.heading("Turn Teams presence on for the profile of the story's people")?;
        let c = &self.sim.credentials;
        let token = self
            .mitel_token(
                "/micollab/2017-09-01/token",
                json!({"grant_type": "password", "username": c.micollab_username, "password": c.micollab_password}),
            )
            .await?;
        let login = self.cast[0].2.clone();
        let user = self
            .call(
                reqwest::Method::GET,
                &format!("/micollab/2017-09-01/users/{login}"),
                Some(&token),
                None,
            )
            .await?;
        let profile = user["profileId"].as_str().unwrap_or_default().to_string();
        let default = self
            .call(
                reqwest::Method::GET,
                "/micollab/2017-09-01/profiles/Default",
                Some(&token),
                None,
            )
            .await?;
        self.say(&format!(
            "   The \"Default\" profile ({} users) is a default (migrated) one: MiCollab refuses to change it.",
            default["userCount"]
        ))?;
        let enabled = self
            .call(
                reqwest::Method::PATCH,
                &format!("/micollab/2017-09-01/profiles/{profile}"),
                Some(&token),
                Some(json!({"teamsPresence": true})),
            )
            .await?;
        for (_, _, login, _) in self.cast.clone() {
            self.call(
                reqwest::Method::PATCH,
                &format!("/micollab/2017-09-01/users/{login}"),
                Some(&token),
                Some(json!({"teamsPresence": true})),
            )
            .await?;
        }
        let notices = self
            .call(
                reqwest::Method::GET,
                "/micollab/2017-09-01/notifications?limit=1000",
                Some(&token),
                None,
            )
            .await?;
        self.say(&format!(
            "   Profile {:?} now has Teams presence on; MiCollab notified its {} users (restart message) and\n   \
             the story's people see: \"{}\"",
            enabled["name"].as_str().unwrap_or("?"),
            enabled["userCount"],
            notices["_embedded"]["items"]
                .as_array()
                .and_then(|items| items.iter().find(|n| n["kind"] == "teamsStatusControl"))
                .and_then(|n| n["message"].as_str())
                .unwrap_or("status now controlled by Microsoft Teams"),
        ))?;
        self.say("   (Done here through the MiCollab API; `mcteams profile enable` with its preview comes with issue 5.)")
    }

    async fn presence_changes(&mut self) -> anyhow::Result<()> {
        self.heading("Things happen: scripted through the emulator's control API")?;
        let [
            (dnd_upn, dnd_id, _, _),
            (call_upn, call_id, _, call_ext),
            (phone_upn, phone_id, _, phone_ext),
        ] = [
            self.cast[0].clone(),
            self.cast[1].clone(),
            self.cast[2].clone(),
        ];
        let post = reqwest::Method::POST;
        for upn in [&dnd_upn, &call_upn, &phone_upn] {
            self.call(
                post.clone(),
                &format!("/_sim/teams/{upn}/client"),
                None,
                Some(json!({"availability": "Available", "activity": "Available"})),
            )
            .await?;
        }
        self.call(
            post.clone(),
            &format!("/_sim/teams/{dnd_upn}/preferred"),
            None,
            Some(json!({"availability": "DoNotDisturb", "activity": "DoNotDisturb"})),
        )
        .await?;
        self.say(&format!(
            "   {dnd_upn} picks \"Do not disturb\" in Teams (the phone's DND stays off)."
        ))?;
        self.call(
            post.clone(),
            &format!("/_sim/pbx/{call_ext}/state"),
            None,
            Some(json!({"state": "busy"})),
        )
        .await?;
        self.say(&format!(
            "   {call_upn} takes a call on desk phone {call_ext}."
        ))?;
        self.call(
            post.clone(),
            &format!("/_sim/pbx/{phone_ext}/dnd"),
            None,
            Some(json!({"enabled": true})),
        )
        .await?;
        self.say(&format!(
            "   {phone_upn} presses DND on desk phone {phone_ext}."
        ))?;

        self.heading("What the systems say now (read through their real APIs)")?;
        let token = self.graph_token().await?;
        let token = token["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let presences = self
            .call(
                post.clone(),
                "/graph/v1.0/communications/getPresencesByUserId",
                Some(&token),
                Some(json!({"ids": [dnd_id, call_id, phone_id]})),
            )
            .await?;
        let c = &self.sim.credentials;
        let pbx = self
            .mitel_token("/pbx/2017-09-01/token", json!({"grant_type": "password", "username": c.pbx_username, "password": c.pbx_password}))
            .await?;
        let phones = self
            .call(
                post,
                "/pbx/2017-09-01/extensions/query",
                Some(&pbx),
                Some(json!({"extensions": [self.cast[0].3, call_ext, phone_ext]})),
            )
            .await?;
        let presence_items = presences["value"].as_array().cloned().unwrap_or_default();
        let phone_items = phones["_embedded"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        self.say(&format!(
            "   {:<34} {:<28} {}",
            "user", "Teams (Graph)", "phone (MiVoice Business)"
        ))?;
        for (index, (upn, _, _, _)) in self.cast.clone().iter().enumerate() {
            let p = presence_items.get(index).cloned().unwrap_or_default();
            let ph = phone_items.get(index).cloned().unwrap_or_default();
            self.say(&format!(
                "   {:<34} {:<28} {}, DND {}",
                upn,
                format!(
                    "{}/{}",
                    p["availability"].as_str().unwrap_or("?"),
                    p["activity"].as_str().unwrap_or("?")
                ),
                ph["callState"].as_str().unwrap_or("?"),
                if ph["dnd"] == true { "on" } else { "off" },
            ))?;
        }
        let view = self
            .call(
                reqwest::Method::GET,
                &format!("/_sim/users/{dnd_upn}"),
                None,
                None,
            )
            .await?;
        self.say(&format!(
            "   MiCollab still shows {:?} for {dnd_upn}: nothing has synchronized yet.",
            view["micollab"]["user"]["dynamicStatus"]["name"]
                .as_str()
                .unwrap_or("?")
        ))
    }

    async fn stats(&mut self, started: Instant) -> anyhow::Result<()> {
        self.heading("Done")?;
        let stats = self
            .call(reqwest::Method::GET, "/_sim/stats", None, None)
            .await?;
        self.say(&format!(
            "   {} API calls in {:.1} s. Rehearse on your own: `mcteams sim serve --users 1000 --write-config /tmp/sim/config.toml`\n   \
             (see docs/emulator.md for the control API).",
            stats["total"],
            started.elapsed().as_secs_f64()
        ))
    }
}
