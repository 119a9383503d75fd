//! Logging in to a Mitel system: the password or client-credentials grant, then the
//! one-use refresh tokens while they are fresh.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use super::MitelGrant;
use super::failure::{correlation_of, failure_from};
use crate::config::Secret;
use crate::http::{AccessToken, Call, HttpClient, HttpError, HttpErrorKind, TokenSource};
use crate::wire::cloudlink::{TokenRequest, TokenResponse};

/// A refresh token lives one day; it is used only while well inside that.
const REFRESH_TOKEN_USE_WITHIN: Duration = Duration::from_secs(20 * 3600);

/// The password / client-credentials grant, and the refresh-token grant while its one-use
/// refresh token is fresh.
pub(super) struct MitelTokenSource {
    pub(super) http: HttpClient,
    pub(super) token_url: url::Url,
    pub(super) grant: MitelGrant,
    pub(super) refresh: Mutex<Option<(Secret, tokio::time::Instant)>>,
}

impl MitelTokenSource {
    async fn exchange(&self, request: &TokenRequest) -> Result<TokenResponse, HttpError> {
        // A token request changes nothing the client relies on: safe to repeat (a refresh
        // token spent by a lost answer only makes the next attempt use the credential).
        let call = Call::post(self.token_url.clone())
            .json(request)
            .unauthorized()
            .idempotent()
            .secret_answer()
            .accept(400)
            .accept(401)
            .accept(403);
        let response = self.http.send(&call).await?;
        if !(200..300).contains(&response.status) {
            let mut failure = failure_from(
                self.http.system(),
                "POST",
                self.token_url.path(),
                response.status,
                &response.body,
                correlation_of(&response),
            );
            // Nothing the admin can wait out: the configured credential is refused.
            failure.error.kind = HttpErrorKind::CredentialRejected;
            let secret = self.grant.secret().expose();
            if let Some(message) = failure.error.message.as_mut()
                && !secret.is_empty()
            {
                // Defence in depth: should the endpoint ever echo the secret, it stops here.
                *message = message.replace(secret, "***");
            }
            return Err(failure.error);
        }
        let answer: TokenResponse = self.http.decode(&call, &response)?;
        if !answer.token_type.eq_ignore_ascii_case("bearer") {
            return Err(self.http.error(
                &call,
                HttpErrorKind::Decode(format!(
                    "token_type {:?}, expected bearer",
                    answer.token_type
                )),
            ));
        }
        Ok(answer)
    }

    async fn request_token(&self) -> Result<AccessToken, HttpError> {
        let stored = self
            .refresh
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let mut answer = None;
        if let Some((refresh_token, obtained)) = stored
            && obtained.elapsed() < REFRESH_TOKEN_USE_WITHIN
        {
            let request = TokenRequest {
                grant_type: "refresh_token".to_string(),
                refresh_token: Some(refresh_token.expose().to_string()),
                ..TokenRequest::default()
            };
            match self.exchange(&request).await {
                Ok(a) => answer = Some(a),
                // Spent, expired or revoked: log in again with the credential.
                Err(e) if e.kind == HttpErrorKind::CredentialRejected => {
                    tracing::debug!(system = %self.http.system(), error = %e, "refresh token refused: using the credential");
                }
                Err(e) => return Err(e),
            }
        }
        let answer = match answer {
            Some(a) => a,
            None => self.exchange(&self.grant.request()).await?,
        };
        *self.refresh.lock().unwrap_or_else(|p| p.into_inner()) = answer
            .refresh_token
            .map(|t| (Secret::new(t), tokio::time::Instant::now()));
        Ok(AccessToken {
            value: Secret::new(answer.access_token),
            lifetime: Duration::from_secs(answer.expires_in),
        })
    }
}

impl TokenSource for MitelTokenSource {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, HttpError>> + Send + '_>> {
        Box::pin(self.request_token())
    }
}
