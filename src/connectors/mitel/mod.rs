//! What the MiCollab, MiVoice Business and CloudLink clients share (`docs/contracts/
//! conventions.md`): the JSON token exchange (password or client-credentials grant, then
//! one-use refresh tokens), the Mitel error shape, `_links.next` paging, and the bulk
//! `PATCH` with one result per operation. Everything goes through the shared HTTP layer, so
//! retries, `Retry-After`, the concurrency limit and the one refresh after a 401 are the
//! same as for Graph.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::{ConfigError, Secret, SecretSource};
use crate::http::{
    Call, HttpClient, HttpError, HttpErrorKind, HttpSettings, Response, RetryPolicy, System,
    TokenCache, same_origin,
};
use crate::wire::cloudlink::{
    List, MAX_OPERATIONS, MAX_PAGE, Operation, OperationResult, OperationResults, Operations,
    TokenRequest,
};

/// The header every Mitel answer carries, to be logged with every error.
pub const CORRELATION_HEADER: &str = "x-mitel-correlation-id";

/// How a Mitel system is logged in to.
pub enum MitelGrant {
    /// MiCollab and MiVoice Business: an admin account.
    Password { username: String, password: Secret },
    /// CloudLink: an API client of an account.
    ClientCredentials {
        account_id: String,
        client_id: String,
        client_secret: Secret,
    },
}

impl std::fmt::Debug for MitelGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MitelGrant::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .finish_non_exhaustive(),
            MitelGrant::ClientCredentials {
                account_id,
                client_id,
                ..
            } => f
                .debug_struct("ClientCredentials")
                .field("account_id", account_id)
                .field("client_id", client_id)
                .finish_non_exhaustive(),
        }
    }
}

impl MitelGrant {
    fn secret(&self) -> &Secret {
        match self {
            MitelGrant::Password { password, .. } => password,
            MitelGrant::ClientCredentials { client_secret, .. } => client_secret,
        }
    }

    fn request(&self) -> TokenRequest {
        match self {
            MitelGrant::Password { username, password } => TokenRequest {
                grant_type: "password".to_string(),
                username: Some(username.clone()),
                password: Some(password.expose().to_string()),
                ..TokenRequest::default()
            },
            MitelGrant::ClientCredentials {
                account_id,
                client_id,
                client_secret,
            } => TokenRequest {
                grant_type: "client_credentials".to_string(),
                client_id: Some(client_id.clone()),
                client_secret: Some(client_secret.expose().to_string()),
                account_id: Some(account_id.clone()),
                ..TokenRequest::default()
            },
        }
    }
}

/// How to reach one Mitel system.
#[derive(Debug)]
pub struct MitelSettings {
    pub system: System,
    pub token_url: url::Url,
    pub grant: MitelGrant,
    pub ca_file: Option<PathBuf>,
    pub max_concurrency: usize,
    pub retry: RetryPolicy,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl MitelSettings {
    pub fn new(system: System, token_url: url::Url, grant: MitelGrant) -> MitelSettings {
        let http = HttpSettings::new(system);
        MitelSettings {
            system,
            token_url,
            grant,
            ca_file: None,
            max_concurrency: http.max_concurrency,
            retry: http.retry,
            connect_timeout: http.connect_timeout,
            request_timeout: http.request_timeout,
        }
    }

    fn http(&self, system: System) -> HttpSettings {
        HttpSettings {
            system,
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            ca_file: self.ca_file.clone(),
            max_concurrency: self.max_concurrency,
            rate: None,
            retry: self.retry,
        }
    }
}

/// A required config value, or the configuration error naming its key.
pub(crate) fn required<T: Clone>(value: &Option<T>, key: &str) -> Result<T, ConfigError> {
    value
        .clone()
        .ok_or_else(|| ConfigError::new(format!("{key} is not set")))
}

/// Reads the secret named by `env` or `file` (exactly one is allowed by the validator).
pub(crate) fn read_secret(
    env: &Option<String>,
    file: &Option<PathBuf>,
    section: &str,
    name: &str,
) -> Result<Secret, ConfigError> {
    match (env, file) {
        (Some(var), _) => SecretSource::Env(var.clone()).read(&format!("{section}.{name}_env")),
        (None, Some(path)) => {
            SecretSource::File(path.clone()).read(&format!("{section}.{name}_file"))
        }
        (None, None) => Err(ConfigError::new(format!(
            "{section}.{name}_env or {section}.{name}_file is not set"
        ))),
    }
}

/// The API version every MiCollab and MiVoice Business route starts with.
const REST_VERSION: &str = "2017-09-01";

/// A MiCollab or MiVoice Business client's parts: its API and its base URL, checked (plain
/// `http://` only to loopback). `section` names the config section in the error.
pub(crate) fn versioned_api(
    section: &str,
    settings: MitelSettings,
    base_url: url::Url,
) -> Result<(MitelApi, url::Url), ConfigError> {
    crate::http::check_url(&base_url)
        .map_err(|why| ConfigError::new(format!("{section}.base_url: {why}")))?;
    Ok((MitelApi::new(settings)?, base_url))
}

/// The settings of a system that logs in with a username and password (`[micollab]`,
/// `[pbx]`: `base_url`, `username`, `password_env|password_file`, `ca_file`), and its base URL.
pub(crate) fn password_login(
    system: System,
    section: &str,
    config: &crate::config::ServiceSection,
) -> Result<(MitelSettings, url::Url), ConfigError> {
    let base_url = required(&config.base_url, &format!("{section}.base_url"))?.0;
    let username = required(&config.username, &format!("{section}.username"))?;
    let password = read_secret(
        &config.password_env,
        &config.password_file,
        section,
        "password",
    )?;
    let token_url = endpoint(system, &base_url, &[REST_VERSION, "token"], &[])
        .map_err(|e| ConfigError::new(format!("{section}.base_url: {e}")))?;
    let mut settings = MitelSettings::new(
        system,
        token_url,
        MitelGrant::Password { username, password },
    );
    settings.ca_file = config.ca_file.clone();
    Ok((settings, base_url))
}

/// `base` + path segments (each percent-encoded) + query pairs. Mitel base URLs end at a
/// prefix (`…/micollab`) or at the version (`…/admin/2017-09-01`); segments go after it.
pub fn endpoint(
    system: System,
    base: &url::Url,
    segments: &[&str],
    query: &[(&str, &str)],
) -> Result<url::Url, HttpError> {
    let mut url = base.clone();
    let failed = || {
        HttpError::new(
            system,
            "-",
            base.path(),
            HttpErrorKind::Local("the base URL cannot take a path".to_string()),
        )
    };
    url.path_segments_mut()
        .map_err(|_| failed())?
        .pop_if_empty()
        .extend(segments);
    url.set_query(None);
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

mod failure;
mod token;

pub use failure::MitelFailure;
use failure::{correlation_of, failure_from};
use token::MitelTokenSource;

pub use crate::http::ClockReading;

/// The outcome of one bulk operation: the resource as answered, or why it was refused.
pub type OperationOutcome = Result<Value, MitelFailure>;

/// One Mitel system's API: its HTTP client (with its token cache) and the conventions.
#[derive(Debug, Clone)]
pub struct MitelApi {
    http: HttpClient,
    tokens: Arc<TokenCache>,
    clock: Arc<Mutex<Option<ClockReading>>>,
}

impl MitelApi {
    pub fn new(settings: MitelSettings) -> Result<MitelApi, ConfigError> {
        crate::http::check_url(&settings.token_url).map_err(|why| {
            ConfigError::new(format!("{}: token URL refused: {why}", settings.system))
        })?;
        let login = HttpClient::new(settings.http(settings.system))?;
        let tokens = Arc::new(TokenCache::new(Box::new(MitelTokenSource {
            http: login,
            token_url: settings.token_url.clone(),
            grant: settings.grant,
            refresh: Mutex::new(None),
        })));
        let http = HttpClient::with_tokens(
            HttpSettings {
                system: settings.system,
                connect_timeout: settings.connect_timeout,
                request_timeout: settings.request_timeout,
                ca_file: settings.ca_file,
                max_concurrency: settings.max_concurrency,
                rate: None,
                retry: settings.retry,
            },
            tokens.clone(),
        )?;
        Ok(MitelApi {
            http,
            tokens,
            clock: Arc::new(Mutex::new(None)),
        })
    }

    pub fn system(&self) -> System {
        self.http.system()
    }

    /// The same API on an HTTP client of its own (its own connections, permits and
    /// retries), signed in with the same tokens: a long poll that must not hold a permit the
    /// bulk reads need, nor be retried as they are.
    pub fn beside(&self, http: HttpSettings) -> Result<MitelApi, ConfigError> {
        Ok(MitelApi {
            http: HttpClient::with_tokens(http, self.tokens.clone())?,
            tokens: self.tokens.clone(),
            clock: self.clock.clone(),
        })
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Access tokens obtained so far (the first one and every refresh).
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetches()
    }

    /// Gets a token now: proves the credential (for `doctor`).
    pub async fn authenticate(&self) -> Result<(), HttpError> {
        self.tokens.get().await.map(drop)
    }

    /// The server's clock at its latest answer.
    pub fn clock(&self) -> Option<ClockReading> {
        *self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn endpoint(
        &self,
        base: &url::Url,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<url::Url, HttpError> {
        endpoint(self.system(), base, segments, query)
    }

    /// A MiCollab or MiVoice Business route: `{base}/2017-09-01/{segments}?{query}`.
    pub fn versioned_endpoint(
        &self,
        base: &url::Url,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<url::Url, HttpError> {
        let mut all = vec![REST_VERSION];
        all.extend_from_slice(segments);
        self.endpoint(base, &all, query)
    }

    /// Sends `call`; an error answer becomes a [`MitelFailure`] with its reason and data.
    ///
    /// The client-error statuses are taken as answers (so their body can be read); 401 is
    /// left to the HTTP layer (one token refresh, then an error), 429/5xx to its retries.
    pub async fn send(&self, call: Call) -> Result<Response, MitelFailure> {
        let mut call = call;
        for status in (400..=500).filter(|s| !matches!(s, 401 | 408 | 429)) {
            call = call.accept(status);
        }
        let response = self.http.send(&call).await?;
        if let Some(reading) = ClockReading::from_response(&response) {
            *self.clock.lock().unwrap_or_else(|p| p.into_inner()) = Some(reading);
        }
        if (200..300).contains(&response.status) {
            return Ok(response);
        }
        Err(failure_from(
            self.system(),
            call.method.as_str(),
            call.url.path(),
            response.status,
            &response.body,
            correlation_of(&response),
        ))
    }

    /// Sends `call` and decodes the JSON answer.
    pub async fn send_json<T: DeserializeOwned>(&self, call: Call) -> Result<T, MitelFailure> {
        let response = self.send(call.clone()).await?;
        Ok(self.http.decode(&call, &response)?)
    }

    /// [`send_json`](Self::send_json) as a task of its own, for bulk reads (see
    /// [`HttpClient::send_json_on_worker`]).
    pub async fn send_json_on_worker<T: DeserializeOwned + Send + 'static>(
        &self,
        call: Call,
    ) -> Result<T, MitelFailure> {
        let cancelled = self.http.error(&call, crate::http::cancelled());
        let api = self.clone();
        crate::http::on_worker(async move { api.send_json(call).await })
            .await
            .unwrap_or_else(|| Err(cancelled.into()))
    }

    pub async fn get_json<T: DeserializeOwned>(&self, url: url::Url) -> Result<T, MitelFailure> {
        self.send_json(Call::get(url)).await
    }

    /// Every item of a paged list, following `_links.next.href` to the end. A next link is
    /// followed only within the origin of the page that gave it (it would be handed the
    /// bearer token) and only once (a server that loops must not keep us forever).
    pub async fn list_all<T: DeserializeOwned>(
        &self,
        first: url::Url,
    ) -> Result<Vec<T>, MitelFailure> {
        let mut items = Vec::new();
        self.for_each_page(first, |page: Vec<T>| {
            items.extend(page);
            true
        })
        .await?;
        Ok(items)
    }

    /// Reads a paged list page by page; `visit` returns false to stop early.
    pub async fn for_each_page<T: DeserializeOwned>(
        &self,
        first: url::Url,
        mut visit: impl FnMut(Vec<T>) -> bool,
    ) -> Result<(), MitelFailure> {
        let mut url = first;
        let mut seen = HashSet::new();
        seen.insert(url.to_string());
        loop {
            let call = Call::get(url.clone());
            let page: List<T> = self.send_json(call.clone()).await?;
            let next = page.next_href().map(str::to_string);
            if !visit(page.embedded.items) {
                return Ok(());
            }
            let Some(next) = next else {
                return Ok(());
            };
            let next = url.join(&next).map_err(|_| {
                self.http.error(
                    &call,
                    HttpErrorKind::Decode("_links.next.href is not a URL".to_string()),
                )
            })?;
            if !same_origin(&url, &next) {
                return Err(self
                    .http
                    .error(
                        &call,
                        HttpErrorKind::InsecureUrl(format!(
                            "_links.next leads to {}, not to {}",
                            next.origin().ascii_serialization(),
                            url.origin().ascii_serialization()
                        )),
                    )
                    .into());
            }
            if !seen.insert(next.to_string()) {
                return Err(self
                    .http
                    .error(
                        &call,
                        HttpErrorKind::Decode("_links.next repeats a page already read".into()),
                    )
                    .into());
            }
            url = next;
        }
    }

    /// One page of a list (the first `limit` items), and whether more follow.
    pub async fn first_page<T: DeserializeOwned>(
        &self,
        url: url::Url,
    ) -> Result<(Vec<T>, bool), MitelFailure> {
        let page: List<T> = self.get_json(url).await?;
        let more = page.next_href().is_some();
        Ok((page.embedded.items, more))
    }

    /// A bulk `PATCH` on `collection`: chunks of at most 1000 operations, sent concurrently
    /// (the HTTP layer bounds how many are in flight). One outcome per operation, in order;
    /// a chunk that fails as a whole fails each of its operations with that error.
    ///
    /// The default replay rule of `PATCH` applies: a chunk is retried only when the service
    /// certainly did not apply it (a write retried after an unknown outcome could answer
    /// `412` against our own first attempt).
    pub async fn bulk_patch<B: Serialize + Clone>(
        &self,
        collection: &url::Url,
        operations: &[Operation<B>],
    ) -> Vec<OperationOutcome> {
        let chunks = operations.chunks(MAX_OPERATIONS).map(|chunk| async move {
            let call = Call::new(Method::PATCH, collection.clone()).json(&Operations {
                operations: chunk.to_vec(),
            });
            let answer = match self.send(call.clone()).await {
                Ok(response) => response,
                Err(failure) => return chunk.iter().map(|_| Err(failure.clone())).collect(),
            };
            let correlation = correlation_of(&answer);
            let results: OperationResults = match self.http.decode(&call, &answer) {
                Ok(r) => r,
                Err(e) => {
                    let failure = MitelFailure::from(e);
                    return chunk.iter().map(|_| Err(failure.clone())).collect();
                }
            };
            self.pair_results(&call, chunk, results.operations, correlation)
        });
        join_all(chunks).await.into_iter().flatten().collect()
    }

    /// Lines the per-operation results up with the operations: in order when the answer
    /// has one per operation with the same ids, else by id; an operation left unanswered
    /// is an error (it may or may not have been applied).
    fn pair_results<B>(
        &self,
        call: &Call,
        chunk: &[Operation<B>],
        results: Vec<OperationResult>,
        correlation: Option<String>,
    ) -> Vec<OperationOutcome> {
        let in_order = results.len() == chunk.len()
            && chunk
                .iter()
                .zip(&results)
                .all(|(op, r)| r.id.as_deref().is_none_or(|id| id == op.id));
        let mut by_id: HashMap<String, Vec<OperationResult>> = HashMap::new();
        let mut ordered = Vec::new();
        if in_order {
            ordered = results.into_iter().map(Some).collect();
        } else {
            for r in results.into_iter().rev() {
                by_id
                    .entry(r.id.clone().unwrap_or_default())
                    .or_default()
                    .push(r);
            }
        }
        chunk
            .iter()
            .enumerate()
            .map(|(i, op)| {
                let result = if in_order {
                    ordered[i].take()
                } else {
                    by_id.get_mut(&op.id).and_then(Vec::pop)
                };
                let Some(result) = result else {
                    return Err(self
                        .http
                        .error(
                            call,
                            HttpErrorKind::Decode(format!(
                                "the bulk answer has no result for operation {:?}",
                                op.id
                            )),
                        )
                        .into());
                };
                if (200..300).contains(&result.status) {
                    Ok(result.body)
                } else {
                    let body = serde_json::to_vec(&result.body).unwrap_or_default();
                    let operation_correlation = result
                        .body
                        .get("correlationId")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .or_else(|| correlation.clone());
                    Err(failure_from(
                        self.system(),
                        "PATCH",
                        call.url.path(),
                        result.status,
                        &body,
                        operation_correlation,
                    ))
                }
            })
            .collect()
    }
}

/// `limit` of a page read to the end: the largest the contract allows, fewest round trips.
pub const PAGE_LIMIT: &str = "1000";

const _: () = assert!(MAX_PAGE == 1000);

/// Order-preserving de-duplication (a repeated id in a batch read costs a slot for nothing).
pub fn unique(items: &[String]) -> Vec<&str> {
    let mut seen = crate::ids::id_set(items.len());
    items
        .iter()
        .map(String::as_str)
        .filter(|i| !i.trim().is_empty() && seen.insert(*i))
        .collect()
}

#[cfg(test)]
mod tests;
