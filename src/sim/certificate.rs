//! Certificate credentials for Graph (client assertions, RFC 7523), checked the way the
//! identity platform documents them.
//!
//! The emulator's app has one certificate registered: a self-signed RSA-2048 certificate
//! derived from the seed (so it is the same for every run with that seed), generated on
//! first use and written beside the config by `--write-config` (`graph-cert.pem`, the
//! certificate and its private key, mode 0600). A token request may then carry
//! `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a
//! `client_assertion`: a JWT whose header names the certificate by `x5t` (base64url SHA-1
//! of its DER) and whose RS256 signature, audience (the token URL), issuer and subject (the
//! client id) and validity (`nbf`/`exp`, against the emulator's clock) are checked.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::StatusCode;
use rand::SeedableRng;
use rsa::pkcs1::EncodeRsaPublicKey as _;
use rsa::pkcs8::EncodePrivateKey as _;
use serde_json::Value;
use sha1::{Digest, Sha1};

use super::tokens::b64;

/// `client_assertion_type` of a certificate credential.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The certificate registered on the emulator's app, with its private key.
pub struct AppCertificate {
    /// `-----BEGIN CERTIFICATE-----` …
    pub certificate_pem: String,
    /// PKCS#8 `-----BEGIN PRIVATE KEY-----` …: only ever written to a 0600 file.
    key_pem: String,
    /// base64url(SHA-1(certificate DER)): what Entra ID shows as the thumbprint, and the
    /// `x5t` header of an assertion signed with this certificate.
    pub x5t: String,
    /// The public key as PKCS#1 `RSAPublicKey` DER (what signature checks take).
    public_key_der: Vec<u8>,
}

impl fmt::Debug for AppCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCertificate")
            .field("x5t", &self.x5t)
            .finish_non_exhaustive()
    }
}

impl AppCertificate {
    /// The certificate then its private key, PEM: the file `graph.client_certificate_file`
    /// names.
    pub fn credential_pem(&self) -> String {
        format!("{}{}", self.certificate_pem, self.key_pem)
    }
}

/// The app's certificate for `seed`: generated once per process and seed (RSA key
/// generation takes a moment), then shared.
pub fn for_seed(seed: u64) -> anyhow::Result<Arc<AppCertificate>> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Arc<AppCertificate>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = cache.get(&seed) {
        return Ok(found.clone());
    }
    let made = Arc::new(generate(seed)?);
    cache.insert(seed, made.clone());
    Ok(made)
}

fn generate(seed: u64) -> anyhow::Result<AppCertificate> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(super::directory::mix(
        seed,
        u64::MAX - 21,
        0x63_65_72_74,
    ));
    let key = rsa::PrivateKey::new(&mut rng, 2048)
        .map_err(|e| anyhow::anyhow!("generating the app's RSA key: {e}"))?;
    let pkcs8 = key
        .to_pkcs8_der()
        .map_err(|e| anyhow::anyhow!("encoding the app's key: {e}"))?;
    let public_key_der = key
        .to_public_key()
        .to_pkcs1_der()
        .map_err(|e| anyhow::anyhow!("encoding the app's public key: {e}"))?
        .into_vec();
    let key_pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(
        &rustls_pki_types::PrivatePkcs8KeyDer::from(pkcs8.as_bytes()),
        &rcgen::PKCS_RSA_SHA256,
    )?;
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "mcteams emulator app");
    params.not_before = rcgen::date_time_ymd(2025, 1, 1);
    params.not_after = rcgen::date_time_ymd(2045, 1, 1);
    params.serial_number = Some(rcgen::SerialNumber::from_slice(
        &super::directory::mix(seed, u64::MAX - 22, 0x73_6e).to_be_bytes(),
    ));
    let certificate = params.self_signed(&key_pair)?;
    Ok(AppCertificate {
        certificate_pem: certificate.pem(),
        key_pem: key_pair.serialize_pem(),
        x5t: b64(&Sha1::digest(certificate.der().as_ref())),
        public_key_der,
    })
}

/// Why an assertion was refused: the identity platform's status, error, AADSTS code and
/// description.
#[derive(Debug)]
pub struct Refusal {
    pub status: StatusCode,
    pub error: &'static str,
    pub code: u64,
    pub description: String,
}

fn invalid_client(code: u64, description: String) -> Refusal {
    Refusal {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        code,
        description,
    }
}

/// Checks a client assertion for `client_id` sent to `token_url`, at `now_ms` (emulated).
pub fn verify_assertion(
    registered: &AppCertificate,
    assertion: &str,
    client_id: &str,
    token_url: &str,
    now_ms: i64,
) -> Result<(), Refusal> {
    let malformed = || Refusal {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_request",
        code: 50027,
        description: "JWT token is invalid or malformed.".to_string(),
    };
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| malformed())?;
    if !matches!(
        header.alg,
        jsonwebtoken::Algorithm::RS256 | jsonwebtoken::Algorithm::PS256
    ) {
        return Err(invalid_client(
            700027,
            format!(
                "Client assertion failed signature validation. [Reason - The algorithm {:?} is not supported; sign with RS256 or PS256.]",
                header.alg
            ),
        ));
    }
    let thumbprint = header.x5t.clone().unwrap_or_default();
    if thumbprint != registered.x5t {
        return Err(invalid_client(
            700027,
            format!(
                "Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '{}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'.]",
                thumbprint_hex(&thumbprint)
            ),
        ));
    }
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<Value>(
        assertion,
        &jsonwebtoken::DecodingKey::from_rsa_der(&registered.public_key_der),
        &validation,
    )
    .map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidSignature => invalid_client(
            700027,
            "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]".to_string(),
        ),
        _ => malformed(),
    })?
    .claims;
    check_claims(&claims, client_id, token_url, now_ms)
}

/// The assertion's audience, issuer and subject, and its time range.
fn check_claims(
    claims: &Value,
    client_id: &str,
    token_url: &str,
    now_ms: i64,
) -> Result<(), Refusal> {
    let text = |name: &str| claims[name].as_str().unwrap_or_default();
    if !text("aud").eq_ignore_ascii_case(token_url) {
        return Err(invalid_client(
            700023,
            format!(
                "Client assertion audience claim does not match Realm issuer. Audience: '{}', expected the token endpoint '{token_url}'.",
                text("aud")
            ),
        ));
    }
    if !text("iss").eq_ignore_ascii_case(client_id) || !text("sub").eq_ignore_ascii_case(client_id)
    {
        return Err(invalid_client(
            700021,
            "Client assertion application identifier doesn't match 'client_id' parameter: 'iss' and 'sub' must both be the client id.".to_string(),
        ));
    }
    let now_s = now_ms.div_euclid(1000);
    let (Some(nbf), Some(exp)) = (claims["nbf"].as_i64(), claims["exp"].as_i64()) else {
        return Err(invalid_client(
            700024,
            "Client assertion is not within its valid time range: it needs 'nbf' and 'exp'."
                .to_string(),
        ));
    };
    if nbf > now_s || exp <= now_s {
        return Err(invalid_client(
            700024,
            format!(
                "Client assertion is not within its valid time range. Current time: {}, assertion valid from {}, expiry time of assertion {}.",
                super::world::iso(now_s * 1000),
                super::world::iso(nbf * 1000),
                super::world::iso(exp * 1000),
            ),
        ));
    }
    Ok(())
}

/// Entra shows thumbprints as upper-case hex.
fn thumbprint_hex(x5t: &str) -> String {
    match super::tokens::unb64(x5t) {
        Some(bytes) if !bytes.is_empty() => bytes.iter().map(|b| format!("{b:02X}")).collect(),
        _ => "(none)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_is_deterministic_and_its_pem_holds_cert_and_key() {
        let a = for_seed(9).unwrap();
        let b = generate(9).unwrap();
        assert_eq!(a.x5t, b.x5t);
        assert_eq!(a.certificate_pem, b.certificate_pem);
        let pem = a.credential_pem();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(pem.contains("-----BEGIN PRIVATE KEY-----"));
        assert!(!format!("{a:?}").contains("PRIVATE"));
        assert_ne!(for_seed(10).unwrap().x5t, a.x5t);
    }
}
