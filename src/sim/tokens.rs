//! Tokens the emulator issues: Graph access tokens (JWTs signed HS256 with a per-run key,
//! carrying `roles`, `appid`, `tid` and `exp` like Entra's) and the opaque bearer tokens of
//! the Mitel systems.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};

use super::server::System;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// Signs claims into a compact JWS (HS256).
pub fn sign_hs256(key: &[u8], claims: &Value) -> String {
    let header = b64(br#"{"typ":"JWT","alg":"HS256"}"#);
    let payload = b64(claims.to_string().as_bytes());
    let signing_input = format!("{header}.{payload}");
    let signature = hmac_sha256(key, signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&signature))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this branch is unreachable in practice.
        Err(_) => Vec::new(),
    }
}

/// Verifies an HS256 JWS and returns its claims; `None` when malformed or forged.
pub fn verify_hs256(key: &[u8], token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let expected = hmac_sha256(key, format!("{header}.{payload}").as_bytes());
    let given = unb64(signature)?;
    if !constant_time_eq(&expected, &given) {
        return None;
    }
    serde_json::from_slice(&unb64(payload)?).ok()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
