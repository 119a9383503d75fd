//! The app's credential and the client-credentials grant of the Microsoft identity platform.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::config::{ConfigError, Secret};
use crate::http::{AccessToken, Call, HttpClient, HttpError, HttpErrorKind, TokenSource};
use crate::wire::graph::TokenResponse;

/// `client_assertion_type` of a certificate credential (RFC 7523).
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long a client assertion is valid: long enough for clock skew and a slow token
/// endpoint, short enough to be useless if it leaked from a log (it never should).
const ASSERTION_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// How the app proves who it is.
pub enum GraphCredential {
    Secret(Secret),
    Certificate(CertificateCredential),
}

impl fmt::Debug for GraphCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphCredential::Secret(_) => f.write_str("GraphCredential::Secret(***)"),
            GraphCredential::Certificate(c) => write!(f, "GraphCredential::Certificate({c:?})"),
        }
    }
}

/// A certificate registered on the app, with its private key (RSA, as Entra ID requires).
pub struct CertificateCredential {
    key: jsonwebtoken::EncodingKey,
    /// base64url(SHA-1 of the certificate's DER): the `x5t` header Entra ID looks the
    /// certificate up by.
    x5t: String,
}

impl fmt::Debug for CertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The thumbprint is public (it is shown in the app registration); the key is not.
        f.debug_struct("CertificateCredential")
            .field("x5t", &self.x5t)
            .finish_non_exhaustive()
    }
}

/// The claims of a client assertion (Microsoft identity platform "certificate credentials").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionClaims {
    pub aud: String,
    pub iss: String,
    pub sub: String,
    pub jti: String,
    pub nbf: u64,
    pub iat: u64,
    pub exp: u64,
}

impl CertificateCredential {
    /// Reads a PEM file holding the certificate and its private key (PKCS#8 or PKCS#1).
    /// `origin` names the file in errors; the key's bytes never appear in one.
    pub fn from_pem(pem: &[u8], origin: &str) -> Result<CertificateCredential, ConfigError> {
        let certificate = CertificateDer::pem_slice_iter(pem)
            .next()
            .ok_or_else(|| ConfigError::new(format!("{origin}: no CERTIFICATE block found")))?
            .map_err(|e| ConfigError::new(format!("{origin}: unreadable certificate: {e}")))?;
        let key = PrivateKeyDer::from_pem_slice(pem).map_err(|_| {
            ConfigError::new(format!(
                "{origin}: no private key found (the file must hold the certificate and its \
                 unencrypted private key, PEM)"
            ))
        })?;
        let (tag, der) = match &key {
            PrivateKeyDer::Pkcs8(k) => ("PRIVATE KEY", k.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(k) => ("RSA PRIVATE KEY", k.secret_pkcs1_der()),
            _ => {
                return Err(ConfigError::new(format!(
                    "{origin}: the private key is not an RSA key (Entra ID accepts RSA certificates)"
                )));
            }
        };
        // jsonwebtoken reads one PEM block: hand it the key alone.
        let key_pem = format!(
            "-----BEGIN {tag}-----\n{}\n-----END {tag}-----\n",
            STANDARD.encode(der)
        );
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(key_pem.as_bytes()).map_err(|_| {
            ConfigError::new(format!(
                "{origin}: the private key is not a usable RSA key (2048 bits or more)"
            ))
        })?;
        Ok(CertificateCredential {
            key,
            x5t: URL_SAFE_NO_PAD.encode(Sha1::digest(certificate.as_ref())),
        })
    }

    pub fn x5t(&self) -> &str {
        &self.x5t
    }

    /// A signed client assertion (RS256 JWT) for `token_url`, valid from `now`.
    pub fn assertion(
        &self,
        client_id: &str,
        token_url: &str,
        now: SystemTime,
    ) -> Result<String, String> {
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "the system clock is before 1970".to_string())?
            .as_secs();
        let claims = AssertionClaims {
            aud: token_url.to_string(),
            iss: client_id.to_string(),
            sub: client_id.to_string(),
            jti: uuid::Uuid::new_v4().to_string(),
            nbf: now,
            iat: now,
            exp: now + ASSERTION_LIFETIME.as_secs(),
        };
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.x5t = Some(self.x5t.clone());
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| format!("cannot sign the client assertion: {e}"))
    }
}

/// The client-credentials grant: `POST {authority}/{tenant}/oauth2/v2.0/token`.
pub(crate) struct ClientCredentialsGrant {
    pub http: HttpClient,
    pub token_url: url::Url,
    pub client_id: String,
    pub scope: String,
    pub credential: GraphCredential,
}

impl ClientCredentialsGrant {
    async fn request_token(&self) -> Result<AccessToken, HttpError> {
        let assertion;
        let mut fields = vec![
            ("client_id", self.client_id.as_str()),
            ("scope", self.scope.as_str()),
            ("grant_type", "client_credentials"),
        ];
        match &self.credential {
            GraphCredential::Secret(secret) => fields.push(("client_secret", secret.expose())),
            GraphCredential::Certificate(certificate) => {
                assertion = certificate
                    .assertion(&self.client_id, self.token_url.as_str(), SystemTime::now())
                    .map_err(|why| {
                        HttpError::new(
                            self.http.system(),
                            "POST",
                            self.token_url.path(),
                            HttpErrorKind::Local(why),
                        )
                    })?;
                fields.push(("client_assertion_type", JWT_BEARER_ASSERTION));
                fields.push(("client_assertion", &assertion));
            }
        }
        // A token request changes nothing on the server: safe to repeat.
        let call = Call::post(self.token_url.clone())
            .form(&fields)
            .unauthorized()
            .idempotent()
            .secret_answer();
        let answer: TokenResponse = self.http.send_json(&call).await.map_err(|mut e| {
            // Defence in depth: should the endpoint ever echo the secret, it stops here.
            if let (GraphCredential::Secret(secret), Some(message)) =
                (&self.credential, e.message.as_mut())
                && !secret.expose().is_empty()
            {
                *message = message.replace(secret.expose(), "***");
            }
            e
        })?;
        if !answer.token_type.eq_ignore_ascii_case("bearer") {
            return Err(self.http.error(
                &call,
                HttpErrorKind::Decode(format!(
                    "token_type {:?}, expected Bearer",
                    answer.token_type
                )),
            ));
        }
        Ok(AccessToken {
            value: Secret::new(answer.access_token),
            lifetime: Duration::from_secs(answer.expires_in),
        })
    }
}

impl TokenSource for ClientCredentialsGrant {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, HttpError>> + Send + '_>> {
        Box::pin(self.request_token())
    }
}

/// The claims of an access token mcteams reads, without verifying the signature: mcteams
/// only reports them, Graph does the enforcing.
#[derive(Deserialize)]
struct Claims {
    /// The application permissions consented.
    #[serde(default)]
    roles: Vec<String>,
    /// The Entra tenant's id, whatever name the tenant was asked by.
    #[serde(default)]
    tid: Option<String>,
}

fn claims_of(token: &str) -> Result<Claims, String> {
    let payload = token
        .split('.')
        .nth(1)
        .ok_or("the access token is not a JWT")?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| "the access token's payload is not base64url")?;
    serde_json::from_slice(&bytes)
        .map_err(|_| "the access token's payload is not a JSON object of claims".to_string())
}

/// The `roles` claim of an access token (the application permissions consented).
pub fn roles_of(token: &str) -> Result<Vec<String>, String> {
    Ok(claims_of(token)?.roles)
}

/// The `tid` claim of an access token: the tenant's id (a GUID), also when the config names
/// the tenant by a domain.
pub fn tenant_of(token: &str) -> Result<String, String> {
    claims_of(token)?
        .tid
        .map(|t| t.to_ascii_lowercase())
        .ok_or_else(|| "the access token has no tid claim".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenant_id_from_a_token_whatever_name_it_was_asked_by() {
        let token =
            |claims: &str| format!("eyJhbGciOiJub25lIn0.{}.sig", URL_SAFE_NO_PAD.encode(claims));
        let cases = [
            (
                r#"{"tid":"6E2B1F4C-9D1A-4A57-8F3E-0B1C2D3E4F50"}"#,
                Ok("6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50"),
            ),
            (r#"{"roles":[]}"#, Err("the access token has no tid claim")),
            (
                "not json",
                Err("the access token's payload is not a JSON object of claims"),
            ),
        ];
        for (claims, expected) in cases {
            assert_eq!(
                tenant_of(&token(claims)).as_deref(),
                expected.map_err(String::from).as_deref(),
                "{claims}"
            );
        }
    }

    #[test]
    fn roles_from_a_token() {
        let payload = URL_SAFE_NO_PAD
            .encode(br#"{"aud":"https://graph.microsoft.com","roles":["Presence.ReadWrite.All","User.Read.All"]}"#);
        let token = format!("eyJhbGciOiJub25lIn0.{payload}.sig");
        assert_eq!(
            roles_of(&token).unwrap(),
            ["Presence.ReadWrite.All", "User.Read.All"]
        );
        let none = format!("h.{}.s", URL_SAFE_NO_PAD.encode(br#"{"aud":"x"}"#));
        assert!(roles_of(&none).unwrap().is_empty());
        assert!(roles_of("opaque").is_err());
        assert!(roles_of("a.!!!.c").is_err());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let credential = GraphCredential::Secret(Secret::new("hunter2-very-secret"));
        assert!(!format!("{credential:?}").contains("hunter2"));
    }
}
