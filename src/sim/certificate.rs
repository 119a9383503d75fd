//! Certificate credentials for Graph (client assertions). Not emulated yet: an assertion is
//! refused with the identity platform's error, and `--write-config` uses a client secret.

use super::Sim;

pub fn verify_assertion(
    _sim: &Sim,
    _assertion: &str,
    _client_id: &str,
    _origin: &str,
    _tenant: &str,
    _now_ms: i64,
) -> Result<(), String> {
    Err("Client assertion failed signature validation: this emulator has no certificate registered for the app.".to_string())
}
