//! End-to-end harness: the emulator in-process on loopback, the real binary against it with a
//! config `sim` wrote, and the emulator's control API to script what people do. Tests read
//! results only through the systems' real APIs and the control API.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::PathBuf;
use std::process::Output;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mcteams::sim::{SimHandle, SimOptions, start};
use serde_json::{Value, json};

/// A user on a desk phone that Teams shows (not an ACD hot-desk softphone).
pub fn desk_phone(u: &Value) -> bool {
    u["deviceType"] == "deskPhone" && u["acdHotDeskSoftphone"] == false
}

pub struct Estate {
    pub handle: SimHandle,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub users: Vec<Value>,
    http: reqwest::Client,
}

impl Estate {
    pub async fn start(users: u32) -> Estate {
        let handle = start(SimOptions {
            users,
            seed: 7,
            ..SimOptions::default()
        })
        .await
        .expect("emulator starts");
        let dir = tempfile::tempdir().expect("temp dir");
        let written = handle
            .write_config(&dir.path().join("config.toml"))
            .expect("config written");
        let http = reqwest::Client::new();
        let mut estate = Estate {
            handle,
            dir,
            config: written.config,
            users: Vec::new(),
            http,
        };
        while estate.users.len() < users as usize {
            let page = format!("/_sim/users?limit=10000&offset={}", estate.users.len());
            let list = estate.control("GET", &page, None).await;
            let items = list["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                break;
            }
            estate.users.extend(items);
        }
        estate
    }

    /// The binary with a clean environment and this estate's config.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("mcteams").expect("binary");
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("MCTEAMS_") {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("NO_COLOR", "1")
            .env_remove("HTTPS_PROXY")
            .env_remove("HTTP_PROXY")
            .env_remove("https_proxy")
            .env_remove("http_proxy")
            .arg("--config")
            .arg(&self.config)
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs the binary off the async runtime (the emulator keeps serving meanwhile).
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut cmd = self.cmd();
        cmd.args(args);
        tokio::task::spawn_blocking(move || cmd.output().expect("binary runs"))
            .await
            .expect("join")
    }

    /// As [`Estate::run`], with extra environment (config overrides such as
    /// `MCTEAMS_MICOLLAB_BASE_URL`).
    pub async fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        let mut cmd = self.cmd();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(args);
        tokio::task::spawn_blocking(move || cmd.output().expect("binary runs"))
            .await
            .expect("join")
    }

    /// Runs the binary and parses its stdout as JSON (`-o json` is added).
    pub async fn run_json(&self, args: &[&str]) -> (i32, Value, String) {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all).await;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        (out.status.code().unwrap_or(-1), value, stderr)
    }

    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.handle.base_url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("control API reachable");
        let status = response.status();
        let text = response.text().await.expect("body");
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// One user across the four systems, as the emulator sees them.
    pub async fn user(&self, upn: &str) -> Value {
        self.control("GET", &format!("/_sim/users/{upn}"), None)
            .await
    }

    /// The MiCollab dynamic status the user sees (the CloudLink presentity).
    pub async fn micollab_status(&self, upn: &str) -> String {
        self.user(upn).await["cloudlink"]["presentity"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// mcteams' own app sessions of the user in Teams (availability/activity).
    pub async fn mcteams_sessions(&self, upn: &str) -> Vec<String> {
        let client_id = &self.handle.credentials.graph_client_id;
        self.user(upn).await["teams"]["sessions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["sessionId"].as_str() == Some(client_id))
            .map(|s| {
                format!(
                    "{}/{}",
                    s["availability"].as_str().unwrap_or_default(),
                    s["activity"].as_str().unwrap_or_default()
                )
            })
            .collect()
    }

    /// What happens at a phone: its call state (`idle`, `busy`, `ringing`).
    pub async fn phone_state(&self, extension: &str, state: &str) {
        self.control(
            "POST",
            &format!("/_sim/pbx/{extension}/state"),
            Some(json!({ "state": state })),
        )
        .await;
    }

    /// Somebody presses the phone's DND key.
    pub async fn phone_dnd(&self, extension: &str, enabled: bool) {
        self.control(
            "POST",
            &format!("/_sim/pbx/{extension}/dnd"),
            Some(json!({ "enabled": enabled })),
        )
        .await;
    }

    /// Users matching a predicate on the emulator's listing.
    pub fn pick(&self, n: usize, predicate: impl Fn(&Value) -> bool) -> Vec<Value> {
        let picked: Vec<Value> = self
            .users
            .iter()
            .filter(|u| predicate(u))
            .take(n)
            .cloned()
            .collect();
        assert_eq!(picked.len(), n, "not enough users of that kind");
        picked
    }

    /// Every user of MiCollab profile `profile` with a desk phone.
    pub fn desk_phones_of(&self, profile: &str) -> Vec<Value> {
        self.users
            .iter()
            .filter(|u| u["profile"] == profile && desk_phone(u))
            .cloned()
            .collect()
    }

    pub fn upn(user: &Value) -> &str {
        user["upn"].as_str().unwrap_or_default()
    }

    /// A mapping CSV of the given users, as an admin would write it.
    pub fn mapping_csv(&self, users: &[Value]) -> String {
        let mut csv =
            String::from("micollab_login,teams_upn,teams_id,extension,cloudlink_user_id\n");
        for u in users {
            let s = |k: &str| u[k].as_str().unwrap_or_default().to_string();
            csv.push_str(&format!(
                "{},{},{},{},{}\n",
                s("login"),
                s("upn"),
                s("objectId"),
                s("extension"),
                s("cloudlinkUserId")
            ));
        }
        csv
    }

    /// Maps these users (`import` of their mapping CSV).
    pub async fn map(&self, users: &[Value]) {
        let file = self.write("users.csv", &self.mapping_csv(users));
        let out = self.run(&["import", file.to_str().unwrap(), "--yes"]).await;
        assert!(
            out.status.success(),
            "import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Maps these users and ticks their Teams checkbox.
    pub async fn map_and_enable(&self, users: &[Value]) {
        self.map(users).await;
        for u in users {
            self.micollab_set_flag(u["login"].as_str().unwrap(), true)
                .await;
        }
    }

    /// The MiCollab base URL the emulator wrote into the config.
    pub fn micollab_url(&self) -> String {
        let config = std::fs::read_to_string(&self.config).expect("the config");
        config
            .lines()
            .skip_while(|l| l.trim() != "[micollab]")
            .find_map(|l| l.strip_prefix("base_url = "))
            .map(|v| v.trim_matches('"').to_string())
            .expect("the micollab base_url")
    }

    /// A path inside this estate's directory (its HOME).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    /// A MiCollab API token, to do what an admin would do in MiCollab itself.
    pub async fn micollab_token(&self) -> String {
        let c = &self.handle.credentials;
        let answer: Value = self
            .http
            .post(format!("{}/micollab/2017-09-01/token", self.handle.base_url))
            .json(&json!({"grant_type": "password", "username": c.micollab_username, "password": c.micollab_password}))
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token JSON");
        answer["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    /// Ticks the per-user "Microsoft Teams status" checkbox in MiCollab.
    pub async fn micollab_set_flag(&self, login: &str, on: bool) {
        let token = self.micollab_token().await;
        let response = self
            .http
            .patch(format!(
                "{}/micollab/2017-09-01/users/{login}",
                self.handle.base_url
            ))
            .bearer_auth(token)
            .json(&json!({"teamsPresence": on}))
            .send()
            .await
            .expect("patch");
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap_or_default()
        );
    }

    /// `mcteams` with this estate's config and state, as cron or systemd would start it.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mcteams"));
        cmd.env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("NO_COLOR", "1")
            .env_remove("MCTEAMS_STATE")
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .current_dir(self.dir.path());
        cmd
    }

    /// Requests the emulator has answered for `system`, on endpoints whose route names
    /// `endpoint`, since its stats were reset.
    pub async fn requests_to(&self, system: &str, endpoint: &str) -> u64 {
        count_in(
            &self.control("GET", "/_sim/stats", None).await["systems"][system],
            endpoint,
        )
    }

    /// Answers with this status from any system since the stats were reset.
    pub async fn answers_with(&self, status: u16) -> u64 {
        let stats = self.control("GET", "/_sim/stats", None).await;
        let mut count = 0;
        for (_, endpoints) in stats["systems"].as_object().into_iter().flatten() {
            for (_, statuses) in endpoints.as_object().into_iter().flatten() {
                count += statuses[status.to_string()].as_u64().unwrap_or(0);
            }
        }
        count
    }

    /// Writes on Graph presence and CloudLink presentities since the stats were reset.
    pub async fn write_requests(&self) -> u64 {
        let stats = self.control("GET", "/_sim/stats", None).await;
        ["setPresence", "clearPresence", "PATCH ", "PUT "]
            .iter()
            .map(|needle| count_in(&stats, needle))
            .sum()
    }
}

/// Sums request counts whose key mentions `needle` anywhere in the stats document.
fn count_in(value: &Value, needle: &str) -> u64 {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                if k.contains(needle) {
                    sum_numbers(v)
                } else {
                    count_in(v, needle)
                }
            })
            .sum(),
        Value::Array(items) => items.iter().map(|v| count_in(v, needle)).sum(),
        _ => 0,
    }
}

fn sum_numbers(value: &Value) -> u64 {
    match value {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::Object(map) => map.values().map(sum_numbers).sum(),
        Value::Array(items) => items.iter().map(sum_numbers).sum(),
        _ => 0,
    }
}

/// A running `sync --watch`, its stderr collected line by line as it comes.
pub struct Watch {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    pub metrics: String,
}

impl Watch {
    pub fn start(estate: &Estate, args: &[&str]) -> Watch {
        Watch::start_as(estate, "", args)
    }

    /// As [`Watch::start`], named `instance` in its requests' `User-Agent` (unless empty).
    pub fn start_as(estate: &Estate, instance: &str, args: &[&str]) -> Watch {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let metrics = format!("127.0.0.1:{port}");
        let mut all = vec!["-v", "sync", "--watch", "--metrics-addr", &metrics];
        all.extend_from_slice(args);
        let mut command = estate.command(&all);
        if !instance.is_empty() {
            command.env("MCTEAMS_INSTANCE_ID", instance);
        }
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("watch starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                sink.lock().unwrap().push(line);
            }
        });
        Watch {
            child,
            lines,
            metrics,
        }
    }

    /// Waits (bounded) until a stderr line contains `needle`.
    pub async fn said(&self, needle: &str) -> bool {
        for _ in 0..1_500 {
            if self
                .lines
                .lock()
                .unwrap()
                .iter()
                .any(|l| l.contains(needle))
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// The Prometheus text the service exports now.
    pub async fn metrics_text(&self) -> String {
        reqwest::get(format!("http://{}/metrics", self.metrics))
            .await
            .expect("metrics answer")
            .text()
            .await
            .unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    pub async fn health(&self) -> (u16, String) {
        let response = reqwest::get(format!("http://{}/healthz", self.metrics))
            .await
            .expect("healthz answers");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: a signal to our own child, whose pid we hold and have not reaped.
        let sent = unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
        assert_eq!(sent, 0, "signal {signal} not sent");
    }

    pub async fn stop(mut self) -> Option<i32> {
        self.signal(libc::SIGCONT);
        self.signal(libc::SIGTERM);
        tokio::task::spawn_blocking(move || self.child.wait().unwrap().code())
            .await
            .unwrap()
    }
}

/// Waits (bounded: 20 s) until `check` holds; else fails, showing the watch's log.
#[allow(dead_code)] // not every test file watches
pub async fn eventually<F, Fut>(what: &str, watch: &Watch, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    panic!("{what} never happened: {}", watch.log());
}
