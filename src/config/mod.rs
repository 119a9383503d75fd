//! The configuration file: TOML, validated as it is read, with environment overrides.
//!
//! The key names are a contract with admins' files: add keys, never rename them.
//! Values may be overridden by `MCTEAMS_<SECTION>_<KEY>` (e.g. `MCTEAMS_SYNC_INTERVAL=30s`).
//! Secrets are never in the file: only the name of an environment variable or of a file.

mod errors;
mod estate;
mod keys;
mod secret;
mod template;
mod values;

pub use errors::env_var_name;
use errors::{check_env_override, describe_toml_error};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use keys::KEYS;
pub use secret::{Secret, SecretSource};
pub use template::TEMPLATE;
pub use values::{
    ChangeLimit, ConfigDuration, Interval, PerSecond, ServiceUrl, Share, is_loopback,
};

pub const DEFAULT_AUTHORITY_URL: &str = "https://login.microsoftonline.com";
pub const DEFAULT_GRAPH_URL: &str = "https://graph.microsoft.com/v1.0";
pub const DEFAULT_BUDGET_SHARE: f64 = 0.8;
/// Requests per second `sync --watch` paces each Mitel system to, unless `max_rps` says.
pub const DEFAULT_MITEL_MAX_RPS: f64 = 10.0;
/// The shortest interval `sync.interval = "auto"` chooses, unless `sync.min_interval` says.
pub const DEFAULT_MIN_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// A configuration problem: always names the file, key, variable or flag at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
}

impl ConfigError {
    pub fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GraphSection {
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_env: Option<String>,
    pub client_secret_file: Option<PathBuf>,
    pub client_certificate_file: Option<PathBuf>,
    pub authority_url: Option<ServiceUrl>,
    pub base_url: Option<ServiceUrl>,
    pub budget_share: Option<Share>,
}

/// `[micollab]` and `[pbx]` share one shape.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSection {
    pub base_url: Option<ServiceUrl>,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub max_rps: Option<PerSecond>,
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CloudlinkSection {
    pub auth_url: Option<ServiceUrl>,
    pub admin_url: Option<ServiceUrl>,
    pub presence_url: Option<ServiceUrl>,
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_env: Option<String>,
    pub client_secret_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub max_rps: Option<PerSecond>,
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSection {
    pub interval: Option<Interval>,
    pub min_interval: Option<ConfigDuration>,
    pub lease_duration: Option<ConfigDuration>,
    pub max_changes: Option<ChangeLimit>,
    pub session_ttl: Option<ConfigDuration>,
    pub settle_window: Option<ConfigDuration>,
    pub stale_after: Option<ConfigDuration>,
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateSection {
    pub path: Option<PathBuf>,
    /// A PostgreSQL store (`postgres://host/db`) instead of the file.
    pub url: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    /// The CA that signed the PostgreSQL server's certificate, if not a system one.
    pub ca_file: Option<PathBuf>,
}

/// The file as written (after environment overrides), every key optional.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub graph: GraphSection,
    #[serde(default)]
    pub micollab: ServiceSection,
    #[serde(default)]
    pub pbx: ServiceSection,
    #[serde(default)]
    pub cloudlink: CloudlinkSection,
    #[serde(default)]
    pub sync: SyncSection,
    #[serde(default)]
    pub state: StateSection,
}

/// Where a value came from, for `config show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    File,
    Env(String),
    Default,
}

/// Which estate (Graph tenant + MiCollab system) a store belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estate {
    pub tenant_id: String,
    pub micollab: String,
}

impl Estate {
    /// Whether two records name the same estate: compared as [`Estate::normalised`], so
    /// a store bound by an older build (or to `localhost` rather than `127.0.0.1`) is
    /// still its own.
    pub fn same_as(&self, other: &Estate) -> bool {
        self.normalised() == other.normalised()
    }
}

/// The loaded configuration: validated values, defaults applied by the accessors.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from; `None` when no file exists at the default place.
    pub path: Option<PathBuf>,
    pub file: FileConfig,
    origins: BTreeMap<String, Origin>,
}

/// Durations of the `[sync]` section with their defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncSettings {
    /// `sync --watch`'s time between cycles (default `auto`).
    pub interval: Interval,
    /// The shortest interval `auto` chooses.
    pub min_interval: std::time::Duration,
    /// How long the sync lease lasts without a renewal (renewed every third of it; its
    /// holder stops acting at two thirds).
    pub lease_duration: std::time::Duration,
    pub max_changes: ChangeLimit,
    pub session_ttl: std::time::Duration,
    pub settle_window: std::time::Duration,
    pub stale_after: std::time::Duration,
}

impl Config {
    /// Reads `path`. A missing file is an error when the admin named it (`explicit`),
    /// and an empty configuration otherwise (commands that need systems say so later).
    pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        let config = Self::load_with_env(path, explicit, |name| std::env::var(name).ok())?;
        let secrets: Vec<String> = config
            .secret_sources()
            .into_iter()
            .filter_map(|(_, source)| match source {
                SecretSource::Env(var) => Some(var),
                SecretSource::File(_) => None,
            })
            .collect();
        let names = std::env::vars_os().filter_map(|(name, _)| name.into_string().ok());
        errors::refuse_unknown_overrides(names, &secrets)?;
        Ok(config)
    }

    pub fn load_with_env(
        path: &Path,
        explicit: bool,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                ConfigError::new(format!(
                    "config file {}: not valid UTF-8 (byte {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Self::from_parts(None, "", env);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::new(format!(
                    "config file {} does not exist (create one with `mcteams --config {} config init`)",
                    path.display(),
                    path.display()
                )));
            }
            Err(e) => {
                return Err(ConfigError::new(format!(
                    "config file {}: cannot read it: {e}",
                    path.display()
                )));
            }
        };
        Self::from_parts(Some(path), &text, env)
    }

    /// Parses config text; `path` names it in errors and anchors relative paths.
    pub fn from_parts(
        path: Option<&Path>,
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let shown = path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config".to_string());
        // Typed parse first: its errors carry the span we turn into a line and key.
        let _typed: FileConfig =
            toml::from_str(text).map_err(|e| describe_toml_error(&shown, text, &e))?;
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| describe_toml_error(&shown, text, &e))?;

        let mut origins = BTreeMap::new();
        for (section, keys) in KEYS {
            for key in *keys {
                let in_file = table
                    .get(*section)
                    .and_then(|s| s.as_table())
                    .is_some_and(|s| s.contains_key(*key));
                let var = env_var_name(section, key);
                if let Some(value) = env(&var) {
                    check_env_override(section, key, &var, &value)?;
                    let section_table = table
                        .entry(section.to_string())
                        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                    if let Some(t) = section_table.as_table_mut() {
                        t.insert(key.to_string(), toml::Value::String(value));
                    }
                    origins.insert(format!("{section}.{key}"), Origin::Env(var));
                } else if in_file {
                    origins.insert(format!("{section}.{key}"), Origin::File);
                }
            }
        }
        let mut file: FileConfig = table
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::new(format!("{shown}: {}", e.message())))?;
        if let Some(dir) = path.and_then(|p| p.parent()) {
            file.anchor_paths(dir);
        }
        let config = Config {
            path: path.map(Path::to_path_buf),
            file,
            origins,
        };
        config.validate(&shown)?;
        Ok(config)
    }

    fn validate(&self, shown: &str) -> Result<(), ConfigError> {
        let f = &self.file;
        let one_of = |section: &str, keys: &[(&str, bool)]| -> Result<(), ConfigError> {
            let set: Vec<&str> = keys.iter().filter(|(_, s)| *s).map(|(k, _)| *k).collect();
            if set.len() > 1 {
                return Err(ConfigError::new(format!(
                    "{shown}: [{section}] sets {}: use only one of them",
                    set.join(" and ")
                )));
            }
            Ok(())
        };
        for (section, keys) in f.exclusive_keys() {
            one_of(section, &keys)?;
        }
        if let Some(lease) = &f.sync.lease_duration {
            let secs = lease.0.as_secs();
            if !(3..=3600).contains(&secs) {
                return Err(ConfigError::new(format!(
                    "{shown}: sync.lease_duration = \"{lease}\": choose 3s to 1h (it is renewed every third of it)"
                )));
            }
        }
        if let Some(ttl) = &f.sync.session_ttl {
            let secs = ttl.0.as_secs();
            if !(300..=4 * 3600).contains(&secs) {
                return Err(ConfigError::new(format!(
                    "{shown}: sync.session_ttl = \"{ttl}\": Graph sessions last 5m to 4h, choose a value in that range"
                )));
            }
        }
        for (key, value) in [
            ("graph.tenant_id", &f.graph.tenant_id),
            ("graph.client_id", &f.graph.client_id),
            ("cloudlink.account_id", &f.cloudlink.account_id),
            ("cloudlink.client_id", &f.cloudlink.client_id),
        ] {
            if let Some(v) = value
                && (v.trim().is_empty()
                    || !v
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)))
            {
                return Err(ConfigError::new(format!(
                    "{shown}: {key} = {v:?}: expected an id (letters, digits, '-', '.', '_')"
                )));
            }
        }
        Ok(())
    }

    /// Where a key's value came from.
    pub fn origin(&self, dotted_key: &str) -> Origin {
        self.origins
            .get(dotted_key)
            .cloned()
            .unwrap_or(Origin::Default)
    }

    pub fn graph_authority_url(&self) -> url::Url {
        self.file
            .graph
            .authority_url
            .as_ref()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| url::Url::parse(DEFAULT_AUTHORITY_URL).expect("valid default"))
    }

    pub fn graph_base_url(&self) -> url::Url {
        self.file
            .graph
            .base_url
            .as_ref()
            .map(|u| u.0.clone())
            .unwrap_or_else(|| url::Url::parse(DEFAULT_GRAPH_URL).expect("valid default"))
    }

    /// Requests per second `sync --watch` paces `system` (micollab, pbx, cloudlink) to.
    pub fn max_rps(&self, system: &str) -> f64 {
        let f = &self.file;
        let set = match system {
            "micollab" => f.micollab.max_rps,
            "pbx" => f.pbx.max_rps,
            "cloudlink" => f.cloudlink.max_rps,
            _ => None,
        };
        set.map_or(DEFAULT_MITEL_MAX_RPS, |r| r.0)
    }

    pub fn budget_share(&self) -> f64 {
        self.file
            .graph
            .budget_share
            .map(|s| s.0)
            .unwrap_or(DEFAULT_BUDGET_SHARE)
    }

    pub fn sync(&self) -> SyncSettings {
        let s = &self.file.sync;
        let or = |d: &Option<ConfigDuration>, secs: u64| {
            d.as_ref()
                .map(|d| d.0)
                .unwrap_or(std::time::Duration::from_secs(secs))
        };
        SyncSettings {
            interval: s.interval.unwrap_or(Interval::Auto),
            min_interval: or(&s.min_interval, DEFAULT_MIN_INTERVAL.as_secs()),
            lease_duration: or(&s.lease_duration, 60),
            max_changes: s.max_changes.unwrap_or(ChangeLimit::Share(0.05)),
            session_ttl: or(&s.session_ttl, 15 * 60),
            settle_window: or(&s.settle_window, 60),
            stale_after: or(&s.stale_after, 5 * 60),
        }
    }

    /// The Graph credential: a client secret (env or file) or a certificate file.
    pub fn graph_credential(&self) -> Option<(&'static str, SecretSource)> {
        let g = &self.file.graph;
        if let Some(var) = &g.client_secret_env {
            Some(("graph.client_secret_env", SecretSource::Env(var.clone())))
        } else if let Some(path) = &g.client_secret_file {
            Some(("graph.client_secret_file", SecretSource::File(path.clone())))
        } else {
            g.client_certificate_file.as_ref().map(|path| {
                (
                    "graph.client_certificate_file",
                    SecretSource::File(path.clone()),
                )
            })
        }
    }

    /// Every secret the config names, with the key that names it.
    pub fn secret_sources(&self) -> Vec<(&'static str, SecretSource)> {
        let f = &self.file;
        let mut out = Vec::new();
        out.extend(self.graph_credential());
        out.extend(f.state_password());
        for (prefix, s) in [("micollab", &f.micollab), ("pbx", &f.pbx)] {
            if let Some(var) = &s.password_env {
                let key = if prefix == "pbx" {
                    "pbx.password_env"
                } else {
                    "micollab.password_env"
                };
                out.push((key, SecretSource::Env(var.clone())));
            } else if let Some(path) = &s.password_file {
                let key = if prefix == "pbx" {
                    "pbx.password_file"
                } else {
                    "micollab.password_file"
                };
                out.push((key, SecretSource::File(path.clone())));
            }
        }
        if let Some(var) = &f.cloudlink.client_secret_env {
            out.push((
                "cloudlink.client_secret_env",
                SecretSource::Env(var.clone()),
            ));
        } else if let Some(path) = &f.cloudlink.client_secret_file {
            out.push((
                "cloudlink.client_secret_file",
                SecretSource::File(path.clone()),
            ));
        }
        out
    }

    /// Keys a full setup (sync against all four systems) needs but the config lacks.
    pub fn missing_for_sync(&self) -> Vec<String> {
        let f = &self.file;
        let mut missing = Vec::new();
        let mut need = |present: bool, key: &str| {
            if !present {
                missing.push(key.to_string());
            }
        };
        need(f.graph.tenant_id.is_some(), "graph.tenant_id");
        need(f.graph.client_id.is_some(), "graph.client_id");
        need(
            self.graph_credential().is_some(),
            "graph.client_secret_env | client_secret_file | client_certificate_file",
        );
        for (name, s) in [("micollab", &f.micollab), ("pbx", &f.pbx)] {
            need(s.base_url.is_some(), &format!("{name}.base_url"));
            need(s.username.is_some(), &format!("{name}.username"));
            need(
                s.password_env.is_some() || s.password_file.is_some(),
                &format!("{name}.password_env | password_file"),
            );
        }
        let c = &f.cloudlink;
        need(c.auth_url.is_some(), "cloudlink.auth_url");
        need(c.admin_url.is_some(), "cloudlink.admin_url");
        need(c.presence_url.is_some(), "cloudlink.presence_url");
        need(c.account_id.is_some(), "cloudlink.account_id");
        need(c.client_id.is_some(), "cloudlink.client_id");
        need(
            c.client_secret_env.is_some() || c.client_secret_file.is_some(),
            "cloudlink.client_secret_env | client_secret_file",
        );
        missing
    }

    /// The estate this config points at, when it names both a tenant and a MiCollab server.
    pub fn estate(&self) -> Option<Estate> {
        let tenant = self.file.graph.tenant_id.as_ref()?;
        let micollab = self.file.micollab.base_url.as_ref()?;
        let estate = Estate {
            tenant_id: tenant.clone(),
            micollab: micollab.0.as_str().to_string(),
        };
        Some(estate.normalised())
    }

    /// The value of a key as `config show` prints it (`None`: unset, no default).
    pub fn display_value(&self, section: &str, key: &str) -> Option<String> {
        let table = toml::Table::try_from(&self.file).ok()?;
        if let Some(v) = table
            .get(section)
            .and_then(|s| s.as_table())
            .and_then(|s| s.get(key))
        {
            return Some(match v {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
        let sync = self.sync();
        let default = match (section, key) {
            ("graph", "authority_url") => DEFAULT_AUTHORITY_URL.to_string(),
            ("graph", "base_url") => DEFAULT_GRAPH_URL.to_string(),
            ("graph", "budget_share") => DEFAULT_BUDGET_SHARE.to_string(),
            ("sync", "interval") => sync.interval.to_string(),
            ("sync", "min_interval") => ConfigDuration(sync.min_interval).to_string(),
            ("micollab" | "pbx" | "cloudlink", "max_rps") => DEFAULT_MITEL_MAX_RPS.to_string(),
            ("sync", "lease_duration") => ConfigDuration(sync.lease_duration).to_string(),
            ("sync", "max_changes") => sync.max_changes.to_string(),
            ("sync", "session_ttl") => ConfigDuration(sync.session_ttl).to_string(),
            ("sync", "settle_window") => ConfigDuration(sync.settle_window).to_string(),
            ("sync", "stale_after") => ConfigDuration(sync.stale_after).to_string(),
            _ => return None,
        };
        Some(default)
    }
}

impl FileConfig {
    /// Relative paths in the file are relative to the file, not to the working directory.
    fn anchor_paths(&mut self, dir: &Path) {
        let anchor = |p: &mut Option<PathBuf>| {
            if let Some(path) = p
                && path.is_relative()
            {
                *path = dir.join(&*path);
            }
        };
        anchor(&mut self.graph.client_secret_file);
        anchor(&mut self.graph.client_certificate_file);
        for s in [&mut self.micollab, &mut self.pbx] {
            anchor(&mut s.password_file);
            anchor(&mut s.ca_file);
        }
        anchor(&mut self.cloudlink.client_secret_file);
        anchor(&mut self.cloudlink.ca_file);
        anchor(&mut self.state.path);
        anchor(&mut self.state.password_file);
        anchor(&mut self.state.ca_file);
    }
}

#[cfg(test)]
mod tests;
