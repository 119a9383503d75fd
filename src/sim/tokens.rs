//! Tokens the emulator issues: Graph access tokens (JWTs signed HS256 with a per-run key,
//! carrying `roles`, `appid`, `tid` and `exp` like Entra's) and the opaque bearer tokens of
//! the Mitel systems.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::server::System;

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// Signs claims into a compact JWS (HS256).
pub fn sign_hs256(key: &[u8], claims: &Value) -> String {
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    // Encoding a JSON value with an HMAC key cannot fail; an empty token would be refused
    // by `verify_hs256` like any forged one.
    jsonwebtoken::encode(
        &header,
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .unwrap_or_default()
}

/// Verifies an HS256 JWS and returns its claims; `None` when malformed or forged. The
/// lifetime is checked by the caller against the emulated clock, not the host's.
pub fn verify_hs256(key: &[u8], token: &str) -> Option<Value> {
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let key = jsonwebtoken::DecodingKey::from_secret(key);
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .ok()
        .map(|data| data.claims)
}

/// What a Mitel bearer token grants.
#[derive(Debug, Clone)]
pub struct MitelToken {
    pub system: System,
    pub expires_ms: i64,
    pub principal: String,
    pub refresh: bool,
}

/// Opaque bearer and refresh tokens of MiCollab, MiVB and CloudLink.
#[derive(Debug, Default)]
pub struct MitelTokens {
    tokens: HashMap<String, MitelToken>,
    issued: u64,
}

/// Lifetime of Mitel access tokens (refresh tokens last a day).
pub const MITEL_TOKEN_LIFETIME_S: i64 = 3600;

impl MitelTokens {
    /// Issues an access and a refresh token and answers CloudLink's token shape.
    pub fn issue(&mut self, system: System, principal: &str, now_ms: i64) -> Value {
        self.issued += 1;
        if self.issued.is_multiple_of(1024) {
            self.tokens.retain(|_, t| t.expires_ms > now_ms);
        }
        let access = format!("{}.{}", system.as_str(), uuid::Uuid::new_v4().simple());
        let refresh = format!("{}.r.{}", system.as_str(), uuid::Uuid::new_v4().simple());
        self.tokens.insert(
            access.clone(),
            MitelToken {
                system,
                expires_ms: now_ms + MITEL_TOKEN_LIFETIME_S * 1000,
                principal: principal.to_string(),
                refresh: false,
            },
        );
        self.tokens.insert(
            refresh.clone(),
            MitelToken {
                system,
                expires_ms: now_ms + 86_400_000,
                principal: principal.to_string(),
                refresh: true,
            },
        );
        json!({
            "token_type": "bearer",
            "expires_in": MITEL_TOKEN_LIFETIME_S,
            "access_token": access,
            "refresh_token": refresh,
        })
    }

    /// Checks a bearer token for a system: `Err(reason)` when missing, unknown or expired.
    pub fn check(
        &self,
        system: System,
        token: Option<&str>,
        now_ms: i64,
    ) -> Result<&MitelToken, &'static str> {
        let token = token.ok_or("MissingToken")?;
        let found = self
            .tokens
            .get(token)
            .filter(|t| t.system == system && !t.refresh)
            .ok_or("InvalidToken")?;
        if found.expires_ms <= now_ms {
            return Err("TokenExpired");
        }
        Ok(found)
    }

    /// Trades a refresh token (single use) for its principal.
    pub fn redeem_refresh(&mut self, system: System, token: &str, now_ms: i64) -> Option<String> {
        let found = self.tokens.get(token)?;
        if found.system != system || !found.refresh || found.expires_ms <= now_ms {
            return None;
        }
        let principal = found.principal.clone();
        self.tokens.remove(token);
        Some(principal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_with_its_key_and_unaltered() {
        let claims =
            json!({"appid": "app", "exp": 4_000_000_000i64, "roles": ["Presence.Read.All"]});
        let token = sign_hs256(b"key one", &claims);
        assert_eq!(verify_hs256(b"key one", &token), Some(claims));
        assert_eq!(verify_hs256(b"key two", &token), None);
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = b64(br#"{"appid":"app","roles":["Presence.ReadWrite.All"]}"#);
        parts[1] = &forged;
        assert_eq!(verify_hs256(b"key one", &parts.join(".")), None);
        assert_eq!(verify_hs256(b"key one", "not a token"), None);
    }
}
