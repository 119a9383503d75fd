//! `mcteams config init|show|check`.

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::ConfigCommand;
use crate::config::{ConfigError, KEYS, Origin, TEMPLATE, env_var_name};
use crate::exit::{CliError, ExitStatus};
use crate::output::{Column, Records};

use super::Context;

pub fn run(ctx: &Context, cmd: ConfigCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        ConfigCommand::Init { force } => init(ctx, force),
        ConfigCommand::Show => show(ctx),
        ConfigCommand::Check => check(ctx),
    }
}

fn init(ctx: &Context, force: bool) -> anyhow::Result<ExitStatus> {
    let path = ctx.config_path();
    if path.exists() && !force {
        return Err(CliError::usage(format!(
            "{} already exists; use --force to overwrite it",
            path.display()
        ))
        .into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, TEMPLATE).with_context(|| format!("writing {}", path.display()))?;
    ctx.printer.note(format!(
        "wrote {}: fill in each [section], then run `mcteams config check`",
        path.display()
    ));
    Ok(ExitStatus::Success)
}

#[derive(Serialize)]
struct ShownKey {
    key: String,
    value: Option<String>,
    source: String,
    /// For keys that name a secret: whether it can be read (never its value).
    secret: Option<&'static str>,
}

fn show(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let mut records = Records::new(vec![
        Column::exact("key", "Key"),
        Column::text("value", "Value"),
        Column::exact("source", "Source"),
        Column::exact("secret", "Secret"),
    ]);
    let secrets = config.secret_sources();
    for (section, keys) in KEYS {
        for key in *keys {
            let dotted = format!("{section}.{key}");
            let source = match config.origin(&dotted) {
                Origin::File => "file".to_string(),
                Origin::Env(var) => format!("env {var}"),
                Origin::Default => "default".to_string(),
            };
            let secret = secrets.iter().find(|(k, _)| *k == dotted).map(|(k, s)| {
                if s.read(k).is_ok() {
                    "readable"
                } else {
                    "unreadable"
                }
            });
            records.push(&ShownKey {
                key: dotted,
                value: config.display_value(section, key),
                source,
                secret,
            });
        }
    }
    let state = ctx.state_path(&config);
    records.push(&ShownKey {
        key: "(state file)".into(),
        value: Some(state.display().to_string()),
        source: "effective".into(),
        secret: None,
    });
    ctx.printer.results(&records)?;
    match &config.path {
        Some(path) => ctx.printer.note(format!("config file: {}", path.display())),
        None => ctx.printer.note(format!(
            "no config file at {} (defaults and environment only); create one with `mcteams config init`",
            ctx.config_path().display()
        )),
    }
    ctx.printer.note(format!(
        "any key can be overridden by the environment, e.g. {}",
        env_var_name("sync", "interval")
    ));
    Ok(ExitStatus::Success)
}

fn check(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let shown = config
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| ctx.config_path().display().to_string());
    if config.path.is_none() {
        return Err(ConfigError::new(format!(
            "no config file at {shown}; create one with `mcteams config init`"
        ))
        .into());
    }
    let mut problems: Vec<String> = config
        .missing_for_sync()
        .into_iter()
        .map(|key| format!("{key} is not set"))
        .collect();
    for (key, source) in config.secret_sources() {
        if let Err(e) = source.read(key) {
            problems.push(e.message);
        }
    }
    for (key, ca) in [
        ("micollab.ca_file", &config.file.micollab.ca_file),
        ("pbx.ca_file", &config.file.pbx.ca_file),
        ("cloudlink.ca_file", &config.file.cloudlink.ca_file),
    ] {
        if let Some(path) = ca
            && let Err(e) = std::fs::metadata(path)
        {
            problems.push(format!("{key}: cannot read {}: {e}", path.display()));
        }
    }
    // The state file this config would use: a damaged, foreign or newer one, or one in a
    // directory that is not there, stops every command as surely as a missing key.
    let state = ctx.state_path(&config);
    if let Err(e) = ctx.state_location(&config) {
        problems.push(e.to_string());
    }
    if let Err(e) = ctx
        .state_directory_exists(&config, &state)
        .and_then(|()| super::doctor::state::usable(&state, config.estate().as_ref()))
    {
        problems.push(e.to_string());
    }
    if problems.is_empty() {
        ctx.printer.note(format!("{shown}: configuration is valid"));
        return Ok(ExitStatus::Success);
    }
    for p in &problems {
        ctx.printer.error(p);
    }
    Err(ConfigError::new(format!("{shown}: {} problem(s) found", problems.len())).into())
}
