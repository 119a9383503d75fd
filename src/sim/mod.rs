//! The emulator of Microsoft Graph, MiCollab, MiVoice Business and CloudLink (issue 3).
//!
//! One loopback HTTP listener serves every system under its own path prefix
//! (`/graph/v1.0`, `/login`, `/micollab`, `/pbx`, `/cloudlink/...`) plus the control API
//! (`/_sim`, see `docs/emulator.md`). Tests and `mcteams demo` start it in-process with
//! [`start`]; `mcteams sim serve` runs it as a process. It shares only wire types with the
//! clients.

pub mod config_file;
pub mod directory;
pub mod world;

mod certificate;
mod churn;
mod cloudlink;
mod control;
mod fault_control;
mod graph;
mod micollab;
mod mitel;
mod pbx;
mod requests;
mod routes;
mod server;
mod stats;
mod tokens;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::Context as _;
use axum::http::StatusCode;
use rand::SeedableRng;
use serde_json::json;

pub use server::System;
use server::{Fault, Reply, Req, Stats};

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Loopback address; port 0 picks a free one.
    pub listen: SocketAddr,
    pub users: u32,
    pub seed: u64,
    /// Added to every request of every system.
    pub latency: Duration,
    /// Percentage of users whose Teams or phone state changes per minute.
    pub churn_pct: f64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            users: 50,
            seed: 1,
            latency: Duration::ZERO,
            churn_pct: 0.0,
        }
    }
}

/// Everything a client needs to log in to the emulated systems. Deterministic per seed.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub tenant_id: String,
    pub graph_client_id: String,
    pub graph_client_secret: String,
    pub micollab_username: String,
    pub micollab_password: String,
    pub pbx_username: String,
    pub pbx_password: String,
    pub cloudlink_account_id: String,
    pub cloudlink_client_id: String,
    pub cloudlink_client_secret: String,
}

impl Credentials {
    fn for_seed(seed: u64, tenant_id: &str) -> Credentials {
        let secret = |salt: u64| {
            format!(
                "sim~{:016x}{:016x}",
                directory::mix(seed, u64::MAX - salt, 77),
                directory::mix(seed, u64::MAX - salt, 78)
            )
        };
        Credentials {
            tenant_id: tenant_id.to_string(),
            graph_client_id: directory::format_guid(directory::guid_from(seed, u64::MAX, 11)),
            graph_client_secret: secret(1),
            micollab_username: "mcteams".to_string(),
            micollab_password: secret(2),
            pbx_username: "mcteams".to_string(),
            pbx_password: secret(3),
            cloudlink_account_id: format!("acct-{:08x}", directory::mix(seed, 0, 12) as u32),
            cloudlink_client_id: directory::format_guid(directory::guid_from(seed, u64::MAX, 13)),
            cloudlink_client_secret: secret(4),
        }
    }
}

/// The base URLs of every system, as a config names them.
#[derive(Debug, Clone)]
pub struct SimUrls {
    pub base: String,
    pub graph_authority: String,
    pub graph: String,
    pub micollab: String,
    pub pbx: String,
    pub cloudlink_auth: String,
    pub cloudlink_admin: String,
    pub cloudlink_presence: String,
    pub control: String,
}

impl SimUrls {
    pub fn new(base: &str) -> SimUrls {
        SimUrls {
            base: base.to_string(),
            graph_authority: format!("{base}/login"),
            graph: format!("{base}/graph/v1.0"),
            micollab: format!("{base}/micollab"),
            pbx: format!("{base}/pbx"),
            cloudlink_auth: format!("{base}/cloudlink/authentication/2017-09-01"),
            cloudlink_admin: format!("{base}/cloudlink/admin/2017-09-01"),
            cloudlink_presence: format!("{base}/cloudlink/presence/2017-09-01"),
            control: format!("{base}/_sim"),
        }
    }
}

/// Mutable state of the whole emulator, behind one lock (requests are short).
pub(crate) struct State {
    pub world: world::World,
    pub graph: graph::GraphState,
    pub tokens: tokens::MitelTokens,
    pub faults: HashMap<System, Fault>,
    pub stats: Stats,
    pub rng: rand_chacha::ChaCha8Rng,
}

/// The running emulator, shared by the HTTP handlers.
pub struct Sim {
    pub(crate) origin: String,
    pub(crate) latency: Duration,
    pub(crate) credentials: Credentials,
    state: Mutex<State>,
    /// Apart from the state: a busy log never waits on the world's lock.
    requests: Mutex<requests::RequestLog>,
}

impl Sim {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take the emulator down with it: keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fault(&self, system: System) -> Fault {
        self.state()
            .faults
            .get(&system)
            .cloned()
            .unwrap_or_default()
    }

    fn now_ms(&self) -> i64 {
        self.state().world.now_ms()
    }

    fn roll(&self) -> f64 {
        server::draw(&mut self.state().rng)
    }

    /// Counts the answer, and logs the request with its caller.
    fn record(&self, system: System, endpoint: &'static str, req: &server::Req, status: u16) {
        self.state().stats.record(system, endpoint, status);
        let caller = req.header("user-agent").unwrap_or("");
        self.requests()
            .record(caller, system, &req.method, &req.path, status);
    }

    pub(crate) fn requests(&self) -> MutexGuard<'_, requests::RequestLog> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running emulator: its URLs, its credentials, and how to stop it.
pub struct SimHandle {
    pub base_url: String,
    pub addr: SocketAddr,
    pub urls: SimUrls,
    pub credentials: Credentials,
    seed: u64,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    /// Writes a complete mcteams config pointing at this emulator (see [`config_file`]).
    pub fn write_config(&self, path: &std::path::Path) -> anyhow::Result<config_file::Written> {
        let certificate = certificate::for_seed(self.seed)?;
        config_file::write(
            path,
            &self.urls,
            &self.credentials,
            &certificate.credential_pem(),
        )
    }

    /// The certificate registered on the emulated Graph app (PEM, without its key) and its
    /// `x5t` thumbprint. Generated on first use (RSA key generation takes a moment).
    pub fn graph_certificate(&self) -> anyhow::Result<(String, String)> {
        let certificate = certificate::for_seed(self.seed)?;
        Ok((certificate.certificate_pem.clone(), certificate.x5t.clone()))
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        self.stop();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Waits until the server ends (after a shutdown from elsewhere or a server error).
    pub async fn wait(&mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the emulator on its own tokio task. Refuses a non-loopback address: the
/// emulator's credentials are public and must never be reachable from the network.
pub async fn start(options: SimOptions) -> anyhow::Result<SimHandle> {
    if !options.listen.ip().is_loopback() {
        anyhow::bail!(
            "--listen {}: the emulator only listens on a loopback address (127.0.0.1 or ::1)",
            options.listen
        );
    }
    if options.users == 0 {
        anyhow::bail!("--users must be at least 1");
    }
    if !(0.0..=100.0).contains(&options.churn_pct) || options.churn_pct.is_nan() {
        anyhow::bail!(
            "--churn {}: expected a percentage from 0 to 100",
            options.churn_pct
        );
    }
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| format!("cannot listen on {}", options.listen))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    let origin = format!("http://{addr}");
    let dir = directory::Directory::generate(options.seed, options.users);
    let credentials = Credentials::for_seed(options.seed, &dir.tenant_id);
    let sim = Arc::new(Sim {
        origin: origin.clone(),
        latency: options.latency,
        credentials: credentials.clone(),
        state: Mutex::new(State {
            world: world::World::new(dir),
            graph: graph::GraphState::new(options.seed),
            tokens: tokens::MitelTokens::default(),
            faults: HashMap::new(),
            stats: Stats::default(),
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(options.seed),
        }),
        requests: Mutex::default(),
    });
    let app = axum::Router::new()
        .fallback(server::handle)
        .with_state(sim.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let churn = (options.churn_pct > 0.0)
        .then(|| tokio::spawn(churn::run(sim.clone(), options.seed, options.churn_pct)));
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!("emulator server stopped: {e}");
        }
        if let Some(churn) = churn {
            churn.abort();
        }
    });
    Ok(SimHandle {
        base_url: origin.clone(),
        addr,
        urls: SimUrls::new(&origin),
        credentials,
        seed: options.seed,
        shutdown: Some(tx),
        task: Some(task),
    })
}

/// The route template a request matches, for the stats (before faults decide the answer).
fn endpoint_of(system: System, req: &Req) -> &'static str {
    let (method, path) = (req.method.as_str(), req.path.as_str());
    match system {
        System::Graph => graph::ROUTES.template_of(method, path),
        System::Micollab => micollab::ROUTES.template_of(method, path),
        System::Pbx => pbx::ROUTES.template_of(method, path),
        System::Cloudlink => cloudlink::ROUTES.template_of(method, path),
    }
    .unwrap_or("unmatched")
}

fn dispatch(sim: &Sim, system: System, req: &Req, extra: &[(&'static str, String)]) -> Reply {
    let mut state = sim.state();
    match system {
        System::Graph => graph::dispatch(sim, &mut state, req, extra),
        System::Micollab => micollab::dispatch(sim, &mut state, req, extra),
        System::Pbx => pbx::dispatch(sim, &mut state, req, extra),
        System::Cloudlink => cloudlink::dispatch(sim, &mut state, req, extra),
    }
}

/// An error in the system's own shape.
fn error_reply(
    system: System,
    status: StatusCode,
    code: &str,
    message: &str,
    extra: &[(&'static str, String)],
) -> Reply {
    match system {
        System::Graph => graph::error(status, code, message, extra),
        _ => mitel::error(status, code, message, extra, None),
    }
}

/// `{"count","_links","_embedded":{"items"}}`, CloudLink's list shape (used by every Mitel
/// system of the emulator), encoded from typed items: the lists of users, extensions and
/// presentities. [`mitel_list`] is the same shape for the small lists built as `Value`s.
#[derive(serde::Serialize)]
pub(crate) struct MitelList<T> {
    count: usize,
    #[serde(rename = "_links")]
    links: MitelLinks,
    #[serde(rename = "_embedded")]
    embedded: MitelItems<T>,
    /// Batch reads: the ids asked for that name nothing.
    #[serde(rename = "notFound", skip_serializing_if = "Option::is_none")]
    not_found: Option<Vec<String>>,
    /// The PBX's reads: the change feed's cursor as of the read.
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

#[derive(serde::Serialize)]
struct MitelLinks {
    #[serde(rename = "self")]
    self_link: Href,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Href>,
}

#[derive(serde::Serialize)]
struct Href {
    href: String,
}

#[derive(serde::Serialize)]
struct MitelItems<T> {
    items: Vec<T>,
}

impl<T> MitelList<T> {
    pub fn new(items: Vec<T>, self_link: String, next: Option<String>) -> Self {
        MitelList {
            count: items.len(),
            links: MitelLinks {
                self_link: Href { href: self_link },
                next: next.map(|href| Href { href }),
            },
            embedded: MitelItems { items },
            not_found: None,
            cursor: None,
        }
    }

    pub fn with_cursor(mut self, cursor: String) -> Self {
        self.cursor = Some(cursor);
        self
    }

    pub fn with_not_found<'a>(mut self, not_found: impl IntoIterator<Item = &'a str>) -> Self {
        self.not_found = Some(not_found.into_iter().map(str::to_owned).collect());
        self
    }
}

pub(crate) fn mitel_list(
    items: Vec<serde_json::Value>,
    self_link: String,
    next: Option<String>,
) -> serde_json::Value {
    let mut links = json!({"self": {"href": self_link}});
    if let Some(next) = next {
        links["next"] = json!({"href": next});
    }
    json!({"count": items.len(), "_links": links, "_embedded": {"items": items}})
}
