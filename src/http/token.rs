//! Access tokens: fetched once, shared by every request to a system, refreshed before they
//! expire and at most once per rejection.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::HttpError;
use crate::config::Secret;

/// A bearer token and how long the issuer said it lives.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub value: Secret,
    pub lifetime: Duration,
}

/// Something that can obtain a fresh token (a client-credentials grant, a password grant…).
pub trait TokenSource: Send + Sync {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, HttpError>> + Send + '_>>;
}

/// How long before expiry a token is replaced: a fifth of its life, at most five minutes.
/// (Graph tokens live 60–90 minutes and are replaced 5 minutes early; a short-lived token
/// from the emulator still gets most of its life used.)
pub fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(Duration::from_secs(300))
}

/// A token handed to one request. `generation` tells the cache which token a 401 was about,
/// so that many requests failing on the same expired token cause one refresh, not many.
#[derive(Debug, Clone)]
pub struct Lease {
    pub token: Secret,
    pub generation: u64,
}

struct Cached {
    token: Secret,
    refresh_at: Instant,
    generation: u64,
}

/// One system's token cache.
pub struct TokenCache {
    source: Box<dyn TokenSource>,
    // A tokio mutex held across the fetch: concurrent callers wait for the one fetch.
    slot: Mutex<Option<Cached>>,
    fetches: AtomicU64,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("fetches", &self.fetches())
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    pub fn new(source: Box<dyn TokenSource>) -> TokenCache {
        TokenCache {
            source,
            slot: Mutex::new(None),
            fetches: AtomicU64::new(0),
        }
    }

    /// Tokens fetched so far (for tests, metrics and `doctor`).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// A valid token: the cached one, or a fresh one when it is near expiry or was rejected.
    pub async fn get(&self) -> Result<Lease, HttpError> {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref()
            && Instant::now() < cached.refresh_at
        {
            return Ok(Lease {
                token: cached.token.clone(),
                generation: cached.generation,
            });
        }
        let fetched_at = Instant::now();
        let token = self.source.fetch().await?;
        let generation = self.fetches.fetch_add(1, Ordering::Relaxed) + 1;
        let refresh_at = fetched_at
            + token
                .lifetime
                .saturating_sub(refresh_margin(token.lifetime));
        *slot = Some(Cached {
            token: token.value.clone(),
            refresh_at,
            generation,
        });
        tracing::debug!(
            lifetime_s = token.lifetime.as_secs(),
            generation,
            "access token obtained"
        );
        Ok(Lease {
            token: token.value,
            generation,
        })
    }

    /// The token held now, if any (never a request: for what only a token already fetched
    /// can tell, such as the tenant it was issued for).
    pub async fn cached(&self) -> Option<Secret> {
        self.slot.lock().await.as_ref().map(|c| c.token.clone())
    }

    /// Forgets the token of `generation` after the service rejected it; a newer token
    /// (another request already refreshed) is kept.
    pub async fn invalidate(&self, generation: u64) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.generation == generation) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    struct Counting {
        lifetime: Duration,
        calls: Arc<AtomicU64>,
    }

    impl TokenSource for Counting {
        fn fetch(
            &self,
        ) -> Pin<Box<dyn Future<Output = Result<AccessToken, HttpError>> + Send + '_>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                // A fetch takes time: concurrent callers must wait for this one.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(AccessToken {
                    value: Secret::new(format!("token-{n}")),
                    lifetime: self.lifetime,
                })
            })
        }
    }

    fn cache(lifetime: Duration) -> (Arc<TokenCache>, Arc<AtomicU64>) {
        let calls = Arc::new(AtomicU64::new(0));
        let source = Counting {
            lifetime,
            calls: calls.clone(),
        };
        (Arc::new(TokenCache::new(Box::new(source))), calls)
    }

    #[test]
    fn margins() {
        let cases = [(3_599, 300), (5_400, 300), (600, 120), (60, 12), (0, 0)];
        for (lifetime, margin) in cases {
            assert_eq!(
                refresh_margin(Duration::from_secs(lifetime)),
                Duration::from_secs(margin),
                "{lifetime}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch() {
        let (cache, calls) = cache(Duration::from_secs(3_599));
        let leases = futures_util::future::join_all((0..10).map(|_| cache.get())).await;
        assert!(
            leases
                .iter()
                .all(|l| l.as_ref().unwrap().token.expose() == "token-1")
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_once_before_expiry_using_the_answers_lifetime() {
        // 90 minutes, not the "usual" hour: the cache must use what the issuer said.
        let (cache, calls) = cache(Duration::from_secs(5_400));
        cache.get().await.unwrap();
        tokio::time::advance(Duration::from_secs(3_700)).await;
        assert_eq!(cache.get().await.unwrap().token.expose(), "token-1");
        // 5 minutes before expiry: replaced.
        tokio::time::advance(Duration::from_secs(1_401)).await;
        assert_eq!(cache.get().await.unwrap().token.expose(), "token-2");
        assert_eq!(cache.get().await.unwrap().token.expose(), "token-2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn many_rejections_of_one_token_cause_one_refresh() {
        let (cache, calls) = cache(Duration::from_secs(3_599));
        let first = cache.get().await.unwrap();
        cache.invalidate(first.generation).await;
        let second = cache.get().await.unwrap();
        // A late 401 about the first token must not throw away the second.
        cache.invalidate(first.generation).await;
        assert_eq!(cache.get().await.unwrap().generation, second.generation);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
