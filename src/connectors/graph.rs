//! Microsoft Graph: presence in bulk, mcteams' own app session per user, users by UPN/mail.
//!
//! DESIGN.md section 5 is the contract: 650 ids per presence read, 20 requests per
//! `$batch`, 15 values per `$filter … in`, 1,500 presence requests per 30 s per app (of
//! which mcteams uses `budget_share`), `Retry-After` obeyed.

mod auth;
mod batch;
mod directory;

use directory::match_users;
mod plan;
mod port;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;

pub use auth::{
    AssertionClaims, CertificateCredential, GraphCredential, JWT_BEARER_ASSERTION, roles_of,
    tenant_of,
};
pub use plan::{
    ResolveStrategy, batch_calls, choose_strategy, encode_component, filter_url, in_filter,
    odata_string, presence_calls,
};

use super::{
    MatchedOn, PresenceDirectory, ResolvedUser, SessionWrite, UserResolution, WriteOutcome,
};
use crate::config::{Config, ConfigError};
use crate::http::{
    Call, HttpClient, HttpError, HttpErrorKind, HttpSettings, RateBudget, RetryPolicy, System,
    TokenCache, same_origin,
};
use crate::wire::graph::{
    BatchRequestItem, BatchResponseItem, ClearPresenceRequest, GetPresencesRequest,
    MAX_FILTER_IN_VALUES, MAX_PRESENCE_IDS, MAX_USERS_PAGE, Page, Presence, PresenceBrief,
    SetPresenceRequest, User, format_iso_duration,
};

/// Everything needed to build a [`GraphClient`]; [`GraphSettings::from_config`] fills it
/// from the config file, tests fill it by hand.
#[derive(Debug)]
pub struct GraphSettings {
    pub tenant_id: String,
    pub client_id: String,
    pub credential: GraphCredential,
    pub authority_url: url::Url,
    pub base_url: url::Url,
    /// Share of Graph's presence limit mcteams may use.
    pub budget_share: f64,
    pub max_concurrency: usize,
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Extra trusted CAs (for a TLS-intercepting proxy, or the emulator over https).
    pub ca_file: Option<PathBuf>,
}

impl GraphSettings {
    /// Reads the `[graph]` section and the credential it names. Missing keys, an unreadable
    /// secret and an unusable certificate are configuration errors (exit 78).
    pub fn from_config(config: &Config) -> Result<GraphSettings, ConfigError> {
        let g = &config.file.graph;
        let required = |value: &Option<String>, key: &str| {
            value
                .clone()
                .ok_or_else(|| ConfigError::new(format!("{key} is not set")))
        };
        let tenant_id = required(&g.tenant_id, "graph.tenant_id")?;
        let client_id = required(&g.client_id, "graph.client_id")?;
        let (key, source) = config.graph_credential().ok_or_else(|| {
            ConfigError::new(
                "no Graph credential: set graph.client_secret_env, graph.client_secret_file \
                 or graph.client_certificate_file",
            )
        })?;
        let secret = source.read(key)?;
        let credential = if key == "graph.client_certificate_file" {
            GraphCredential::Certificate(CertificateCredential::from_pem(
                secret.expose().as_bytes(),
                &format!("{key} ({source})"),
            )?)
        } else {
            GraphCredential::Secret(secret)
        };
        Ok(GraphSettings {
            tenant_id,
            client_id,
            credential,
            authority_url: config.graph_authority_url(),
            base_url: config.graph_base_url(),
            budget_share: config.budget_share(),
            ..GraphSettings::defaults()
        })
    }

    /// Defaults for everything but identity and credential (filled in by the caller).
    fn defaults() -> GraphSettings {
        let http = HttpSettings::new(System::Graph);
        GraphSettings {
            tenant_id: String::new(),
            client_id: String::new(),
            credential: GraphCredential::Secret(crate::config::Secret::new(String::new())),
            authority_url: url::Url::parse(crate::config::DEFAULT_AUTHORITY_URL)
                .expect("valid constant"),
            base_url: url::Url::parse(crate::config::DEFAULT_GRAPH_URL).expect("valid constant"),
            budget_share: crate::config::DEFAULT_BUDGET_SHARE,
            max_concurrency: 16,
            retry: http.retry,
            connect_timeout: http.connect_timeout,
            request_timeout: http.request_timeout,
            ca_file: None,
        }
    }

    /// Settings for `base_url`/`authority_url` with a client secret (tests, the emulator).
    pub fn with_secret(
        tenant_id: &str,
        client_id: &str,
        secret: crate::config::Secret,
        authority_url: url::Url,
        base_url: url::Url,
    ) -> GraphSettings {
        GraphSettings {
            tenant_id: tenant_id.to_string(),
            client_id: client_id.to_string(),
            credential: GraphCredential::Secret(secret),
            authority_url,
            base_url,
            ..GraphSettings::defaults()
        }
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub fn token_url(&self) -> Result<url::Url, ConfigError> {
        let text = format!(
            "{}/{}/oauth2/v2.0/token",
            self.authority_url.as_str().trim_end_matches('/'),
            encode_component(&self.tenant_id)
        );
        url::Url::parse(&text)
            .map_err(|e| ConfigError::new(format!("graph.authority_url: invalid token URL: {e}")))
    }

    /// `{scheme}://{host of base_url}/.default`: the resource is the Graph host the client
    /// talks to, so national clouds (graph.microsoft.us, microsoftgraph.chinacloudapi.cn)
    /// and the emulator get tokens for themselves.
    pub fn scope(&self) -> String {
        format!("{}/.default", self.base_url.origin().ascii_serialization())
    }
}

/// The Graph client. Cheap to clone; one per run.
#[derive(Debug, Clone)]
pub struct GraphClient {
    api: HttpClient,
    tokens: Arc<TokenCache>,
    base_url: url::Url,
    client_id: String,
}

impl GraphClient {
    pub fn from_config(config: &Config) -> Result<GraphClient, ConfigError> {
        GraphClient::new(GraphSettings::from_config(config)?)
    }

    pub fn new(settings: GraphSettings) -> Result<GraphClient, ConfigError> {
        let http_settings = |system| HttpSettings {
            system,
            connect_timeout: settings.connect_timeout,
            request_timeout: settings.request_timeout,
            ca_file: settings.ca_file.clone(),
            max_concurrency: settings.max_concurrency,
            rate: None,
            retry: settings.retry,
        };
        let token_url = settings.token_url()?;
        let scope = settings.scope();
        let login = HttpClient::new(http_settings(System::EntraId))?;
        let base_url = settings.base_url.clone();
        let client_id = settings.client_id.clone();
        let tokens = Arc::new(TokenCache::new(Box::new(auth::ClientCredentialsGrant {
            http: login,
            token_url,
            client_id: settings.client_id,
            scope,
            credential: settings.credential,
        })));
        let api = HttpClient::with_tokens(
            HttpSettings {
                rate: Some(RateBudget::graph_presence(settings.budget_share)),
                ..http_settings(System::Graph)
            },
            tokens.clone(),
        )?;
        Ok(GraphClient {
            api,
            tokens,
            base_url,
            client_id,
        })
    }

    /// The HTTP client (its counters feed metrics, the benchmark and tests).
    pub fn http(&self) -> &HttpClient {
        &self.api
    }

    /// Access tokens fetched so far.
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetches()
    }

    /// Users by Entra object id (15 ids per `$filter`, batched); ids Graph does not know are
    /// absent. `report` uses it to tell a renamed UPN (same object, new name) from a deleted user.
    pub async fn users_by_id(&self, ids: &[String]) -> Result<Vec<User>, HttpError> {
        let mut seen = HashSet::new();
        let unique: Vec<String> = ids
            .iter()
            .filter(|id| !id.trim().is_empty() && seen.insert(id.to_ascii_lowercase()))
            .cloned()
            .collect();
        if unique.is_empty() {
            return Ok(Vec::new());
        }
        self.filter_pass("id", &unique).await
    }

    /// The tenant's id (`tid`) as Entra's token names it: the same for its GUID and every
    /// domain the config may name it by. Uses the cached token (no request once there is one).
    pub async fn tenant_id(&self) -> Result<String, HttpError> {
        self.token_claim(tenant_of).await
    }

    /// The tenant's id from the token this client already holds, if it holds one: never a
    /// request (a run that could not sign in waits for nothing more).
    pub async fn known_tenant_id(&self) -> Option<String> {
        let token = self.tokens.cached().await?;
        tenant_of(token.expose()).ok()
    }

    /// A claim of the current access token, read by `read`.
    async fn token_claim<T>(&self, read: fn(&str) -> Result<T, String>) -> Result<T, HttpError> {
        let lease = self.tokens.get().await?;
        read(lease.token.expose()).map_err(|why| {
            HttpError::new(
                System::Graph,
                "-",
                "(access token)",
                HttpErrorKind::Decode(why),
            )
        })
    }

    /// The app session id mcteams writes with: the app's client id (DESIGN.md section 3).
    pub fn session_id(&self) -> &str {
        &self.client_id
    }

    /// `base_url` + a path (and query) relative to the version root.
    fn endpoint(&self, relative: &str) -> Result<url::Url, HttpError> {
        let text = format!("{}{relative}", self.base_url.as_str().trim_end_matches('/'));
        url::Url::parse(&text).map_err(|e| {
            HttpError::new(
                System::Graph,
                "?",
                relative.split('?').next().unwrap_or_default(),
                HttpErrorKind::Local(format!("invalid URL: {e}")),
            )
        })
    }

    /// Presence of every distinct id, 650 per call, every chunk at once (the HTTP layer's
    /// semaphore and rate limiter pace them). One failed chunk fails the whole read: a
    /// partial view must never look like users going offline.
    async fn read_all<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        ids: &[String],
    ) -> Result<Vec<T>, HttpError> {
        let mut seen = crate::ids::id_set(ids.len());
        let unique: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| seen.insert(*id))
            .collect();
        let chunks = join_all(
            unique
                .chunks(MAX_PRESENCE_IDS)
                .map(|c| self.read_chunk::<T>(c)),
        )
        .await;
        drop(seen);
        let mut presences = Vec::with_capacity(unique.len());
        for chunk in chunks {
            presences.extend(chunk?);
        }
        Ok(presences)
    }

    async fn read_chunk<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        ids: &[&str],
    ) -> Result<Vec<T>, HttpError> {
        // A read: safe to repeat. Each call counts once against the presence limit.
        let call = Call::post(self.endpoint("/communications/getPresencesByUserId")?)
            .json(&GetPresencesRequest::<&str> { ids: ids.to_vec() })
            .idempotent()
            .cost(1)
            .yielding();
        let page: Page<T> = self.api.send_json_on_worker(call).await?;
        Ok(page.value)
    }

    fn session_request(&self, write: &SessionWrite) -> (String, serde_json::Value) {
        let session_id = self.client_id.clone();
        let user = encode_component(write.user_id());
        match write {
            SessionWrite::Set {
                availability,
                activity,
                ttl,
                ..
            } => (
                format!("/users/{user}/presence/setPresence"),
                serde_json::to_value(SetPresenceRequest {
                    session_id,
                    availability: availability.clone(),
                    activity: activity.clone(),
                    expiration_duration: Some(format_iso_duration(*ttl)),
                })
                .unwrap_or_default(),
            ),
            SessionWrite::Clear { .. } => (
                format!("/users/{user}/presence/clearPresence"),
                serde_json::to_value(ClearPresenceRequest { session_id }).unwrap_or_default(),
            ),
        }
    }

    async fn write_one(&self, write: &SessionWrite) -> Result<(), HttpError> {
        let (relative, body) = self.session_request(write);
        // Setting or clearing a session to a given state twice leaves the same state, so a
        // retry after an unknown outcome is safe.
        let mut call = Call::post(self.endpoint(&relative)?)
            .json(&body)
            .idempotent()
            .cost(1);
        if matches!(write, SessionWrite::Clear { .. }) {
            // No such session: already clear, which is what was asked.
            call = call.accept(404);
        }
        self.api.send(&call).await.map(drop)
    }
}

impl PresenceDirectory for GraphClient {
    async fn read_presences(&self, ids: &[String]) -> Result<HashMap<String, Presence>, HttpError> {
        let presences: Vec<Presence> = self.read_all(ids).await?;
        Ok(presences.into_iter().map(|p| (p.id.clone(), p)).collect())
    }

    async fn read_presence_briefs(&self, ids: &[String]) -> Result<Vec<PresenceBrief>, HttpError> {
        self.read_all(ids).await
    }

    async fn write_sessions(&self, writes: &[SessionWrite]) -> Vec<WriteOutcome> {
        let outcome = |write: &SessionWrite, result| WriteOutcome {
            user_id: write.user_id().to_string(),
            result,
        };
        if writes.len() <= 1 {
            // One write: a `$batch` around it would only add bytes.
            let mut out = Vec::new();
            for write in writes {
                out.push(outcome(write, self.write_one(write).await));
            }
            return out;
        }
        let items: Vec<BatchRequestItem> = writes
            .iter()
            .map(|write| {
                let (url, body) = self.session_request(write);
                BatchRequestItem {
                    id: String::new(),
                    method: "POST".to_string(),
                    url,
                    headers: [("Content-Type".to_string(), "application/json".to_string())].into(),
                    body: Some(body),
                    depends_on: Vec::new(),
                }
            })
            .collect();
        match self.run_batch(&items, 1).await {
            Ok(answers) => writes
                .iter()
                .zip(items.iter().zip(answers))
                .map(|(write, (item, batched))| {
                    // A clearPresence that finds no session: it is gone, as asked.
                    let done = |answer: &BatchResponseItem| {
                        (200..300).contains(&answer.status)
                            || (answer.status == 404 && matches!(write, SessionWrite::Clear { .. }))
                    };
                    outcome(write, batched.result(self, item, done).map(drop))
                })
                .collect(),
            Err(error) => writes
                .iter()
                .map(|write| outcome(write, Err(error.clone())))
                .collect(),
        }
    }

    fn requests_sent(&self) -> u64 {
        // As Graph counts them: a `$batch` is the requests inside it.
        self.http().stats().counted
    }

    fn throttled_seen(&self) -> u64 {
        self.http().stats().throttled
    }

    async fn warm_up(&self) {
        self.http().warm_up().await;
    }

    fn rate_limit_ahead(&self) -> std::time::Duration {
        self.http().rate_limit_ahead()
    }

    fn carry_over_rate_limit(&self, ahead: std::time::Duration) {
        self.http().carry_over_rate_limit(ahead);
    }

    fn server_clock(&self) -> Option<crate::http::ClockReading> {
        self.http().clock()
    }

    async fn resolve_users(&self, names: &[String]) -> Result<UserResolution, HttpError> {
        let mut seen = HashSet::new();
        let unique: Vec<String> = names
            .iter()
            .filter(|n| !n.trim().is_empty() && seen.insert(n.to_lowercase()))
            .cloned()
            .collect();
        let mut resolution = UserResolution::default();
        if unique.is_empty() {
            return Ok(resolution);
        }
        let strategy = if unique.len() <= MAX_FILTER_IN_VALUES {
            ResolveStrategy::Filter
        } else {
            let size = match self.count_users().await {
                Ok(n) => Some(n),
                Err(e) => {
                    tracing::debug!(error = %e, "user count unavailable: looking users up by filter");
                    None
                }
            };
            choose_strategy(unique.len(), size)
        };
        tracing::debug!(?strategy, names = unique.len(), "resolving users");
        let unmatched = match strategy {
            ResolveStrategy::Directory => {
                let users = self.page_directory().await?;
                let rest = match_users(
                    &unique,
                    &users,
                    &mut resolution,
                    MatchedOn::UserPrincipalName,
                );
                match_users(&rest, &users, &mut resolution, MatchedOn::Mail)
            }
            ResolveStrategy::Filter => {
                let users = self.filter_pass("userPrincipalName", &unique).await?;
                let rest = match_users(
                    &unique,
                    &users,
                    &mut resolution,
                    MatchedOn::UserPrincipalName,
                );
                if rest.is_empty() {
                    rest
                } else {
                    let users = self.filter_pass("mail", &rest).await?;
                    match_users(&rest, &users, &mut resolution, MatchedOn::Mail)
                }
            }
        };
        resolution.not_found = unmatched;
        Ok(resolution)
    }

    async fn token_roles(&self) -> Result<Vec<String>, HttpError> {
        self.token_claim(roles_of).await
    }
}
