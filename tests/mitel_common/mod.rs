//! Shared by the Mitel client tests: an in-process emulator with a config written for it
//! (as `sim serve --write-config` does), and the clients built from that config.
#![allow(dead_code)]

use std::time::Duration;

use mcteams::config::Config;
use mcteams::connectors::cloudlink::CloudlinkClient;
use mcteams::connectors::micollab::MicollabClient;
use mcteams::connectors::mitel::{MitelGrant, MitelSettings};
use mcteams::connectors::pbx::PbxClient;
use mcteams::http::{RetryPolicy, System};
use reqwest::Method;
use serde_json::{Value, json};

#[path = "../sim_support/mod.rs"]
mod sim_support;
#[allow(unused_imports)]
pub use sim_support::{Answer, TestSim, sim, sim_with};

pub struct Rig {
    pub sim: TestSim,
    pub dir: tempfile::TempDir,
    pub config: Config,
}

impl Rig {
    pub async fn new(users: u32) -> Rig {
        Rig::from(sim(users).await)
    }

    pub fn from(sim: TestSim) -> Rig {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        sim.handle.write_config(&path).expect("config written");
        let config = Config::load(&path, true).expect("config loads");
        Rig { sim, dir, config }
    }

    pub fn config_path(&self) -> std::path::PathBuf {
        self.dir.path().join("config.toml")
    }

    pub fn micollab(&self) -> MicollabClient {
        MicollabClient::from_config(&self.config).expect("micollab client")
    }

    pub fn pbx(&self) -> PbxClient {
        PbxClient::from_config(&self.config).expect("pbx client")
    }

    pub fn cloudlink(&self) -> CloudlinkClient {
        CloudlinkClient::from_config(&self.config).expect("cloudlink client")
    }

    pub fn micollab_settings(&self, password: &str) -> (MitelSettings, url::Url) {
        let base = url::Url::parse(&self.sim.handle.urls.micollab).unwrap();
        let token = url::Url::parse(&format!(
            "{}/2017-09-01/token",
            self.sim.handle.urls.micollab
        ))
        .unwrap();
        let settings = MitelSettings::new(
            System::Micollab,
            token,
            MitelGrant::Password {
                username: self.sim.handle.credentials.micollab_username.clone(),
                password: mcteams::config::Secret::new(password),
            },
        );
        (settings, base)
    }

    pub fn pbx_settings(&self) -> (MitelSettings, url::Url) {
        let c = &self.sim.handle.credentials;
        let base = url::Url::parse(&self.sim.handle.urls.pbx).unwrap();
        let token =
            url::Url::parse(&format!("{}/2017-09-01/token", self.sim.handle.urls.pbx)).unwrap();
        let settings = MitelSettings::new(
            System::Pbx,
            token,
            MitelGrant::Password {
                username: c.pbx_username.clone(),
                password: mcteams::config::Secret::new(c.pbx_password.clone()),
            },
        );
        (settings, base)
    }

    /// A CloudLink client as the config makes it, but sending `max_concurrency` requests at
    /// most at once.
    pub fn cloudlink_limited_to(&self, max_concurrency: usize) -> CloudlinkClient {
        let c = &self.config.file.cloudlink;
        let creds = &self.sim.handle.credentials;
        let auth = url::Url::parse(&self.sim.handle.urls.cloudlink_auth).unwrap();
        let token = mcteams::connectors::mitel::endpoint(System::Cloudlink, &auth, &["token"], &[])
            .unwrap();
        let account_id = c.account_id.clone().expect("account id");
        let mut settings = MitelSettings::new(
            System::Cloudlink,
            token,
            MitelGrant::ClientCredentials {
                account_id: account_id.clone(),
                client_id: creds.cloudlink_client_id.clone(),
                client_secret: mcteams::config::Secret::new(creds.cloudlink_client_secret.clone()),
            },
        );
        settings.max_concurrency = max_concurrency;
        CloudlinkClient::new(
            settings,
            url::Url::parse(&self.sim.handle.urls.cloudlink_admin).unwrap(),
            url::Url::parse(&self.sim.handle.urls.cloudlink_presence).unwrap(),
            account_id,
        )
        .expect("cloudlink client")
    }

    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.sim.control(method, path, body).await
    }

    /// The first `n` users of the emulated directory (ids of every system).
    pub async fn users(&self, n: usize) -> Vec<Value> {
        self.sim.users(n).await
    }

    pub async fn stats(&self) -> Value {
        self.control(Method::GET, "/stats", None).await.body
    }

    pub async fn reset_stats(&self) {
        self.control(Method::DELETE, "/stats", None).await;
    }

    /// How many answers `system` gave on `endpoint` (a route template), any status.
    pub async fn calls(&self, system: &str, endpoint: &str) -> u64 {
        let stats = self.stats().await;
        stats["systems"][system]["endpoints"][endpoint]
            .as_object()
            .map(|statuses| statuses.values().filter_map(Value::as_u64).sum())
            .unwrap_or(0)
    }

    pub async fn outage(&self, system: &str, on: bool) {
        self.control(
            Method::POST,
            "/faults",
            Some(json!({"system": system, "outage": on})),
        )
        .await;
    }
}

pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        budget: Duration::from_secs(3),
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    }
}
