//! Secrets: read from an environment variable or a private file, never shown.

use std::fmt;
use std::path::PathBuf;

use super::ConfigError;

/// Where a secret lives. The config names the place, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(PathBuf),
}

/// A secret value. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that sends it (a token request).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Env(var) => write!(f, "environment variable {var}"),
            SecretSource::File(path) => write!(f, "file {}", path.display()),
        }
    }
}

impl SecretSource {
    /// Reads the secret; `key` is the config key that named the source, for the message.
    pub fn read(&self, key: &str) -> Result<Secret, ConfigError> {
        match self {
            SecretSource::Env(var) => match std::env::var(var) {
                Ok(v) if !v.trim().is_empty() => {
                    Ok(Secret(v.trim_end_matches(['\r', '\n']).to_string()))
                }
                Ok(_) => Err(ConfigError::new(format!(
                    "{key}: environment variable {var} is empty"
                ))),
                Err(_) => Err(ConfigError::new(format!(
                    "{key}: environment variable {var} is not set"
                ))),
            },
            SecretSource::File(path) => {
                check_private(path, key)?;
                let bytes = std::fs::read(path).map_err(|e| {
                    ConfigError::new(format!("{key}: cannot read {}: {e}", path.display()))
                })?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    ConfigError::new(format!("{key}: {} is not UTF-8 text", path.display()))
                })?;
                let value = text.trim_end_matches(['\r', '\n']).to_string();
                if value.trim().is_empty() {
                    return Err(ConfigError::new(format!(
                        "{key}: {} is empty",
                        path.display()
                    )));
                }
                Ok(Secret(value))
            }
        }
    }
}

/// A secret file that group or others can read is refused: say how to fix it.
#[cfg(unix)]
fn check_private(path: &std::path::Path, key: &str) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)
        .map_err(|e| ConfigError::new(format!("{key}: cannot read {}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::new(format!(
            "{key}: secret file {} is readable by group or others (mode {mode:04o}); \
             run `chmod 600 {}`",
            path.display(),
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &std::path::Path, _key: &str) -> Result<(), ConfigError> {
    Ok(())
}

impl super::FileConfig {
    /// The PostgreSQL store's password source, if the config names one.
    pub fn state_password(&self) -> Option<(&'static str, SecretSource)> {
        let s = &self.state;
        if let Some(var) = &s.password_env {
            return Some(("state.password_env", SecretSource::Env(var.clone())));
        }
        let path = s.password_file.as_ref()?;
        Some(("state.password_file", SecretSource::File(path.clone())))
    }
}
