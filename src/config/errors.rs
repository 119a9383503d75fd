//! Errors that name what is wrong and where: an environment override by its variable, a
//! TOML error by file, line and key.

use super::{
    CloudlinkSection, ConfigError, GraphSection, ServiceSection, StateSection, SyncSection,
};

/// `MCTEAMS_GRAPH_TENANT_ID` for `graph.tenant_id`.
pub fn env_var_name(section: &str, key: &str) -> String {
    format!("MCTEAMS_{}_{}", section, key).to_ascii_uppercase()
}

/// Validates one environment override on its own, so the error names the variable.
pub(super) fn check_env_override(
    section: &str,
    key: &str,
    var: &str,
    value: &str,
) -> Result<(), ConfigError> {
    let mut table = toml::Table::new();
    table.insert(key.to_string(), toml::Value::String(value.to_string()));
    let result = match section {
        "graph" => table.try_into::<GraphSection>().map(drop),
        "micollab" | "pbx" => table.try_into::<ServiceSection>().map(drop),
        "cloudlink" => table.try_into::<CloudlinkSection>().map(drop),
        "sync" => table.try_into::<SyncSection>().map(drop),
        _ => table.try_into::<StateSection>().map(drop),
    };
    result.map_err(|e| {
        ConfigError::new(format!(
            "environment variable {var} (overrides {section}.{key}): {}",
            e.message()
        ))
    })
}

/// Turns a toml error into one line: file, line, key and message — never the line's text,
/// which could hold a secret pasted where it does not belong.
pub(super) fn describe_toml_error(shown: &str, text: &str, error: &toml::de::Error) -> ConfigError {
    let mut message = error.message().trim().to_string();
    let Some(span) = error.span() else {
        return ConfigError::new(format!("{shown}: {message}"));
    };
    let start = span.start.min(text.len());
    let line_no = text[..start].matches('\n').count() + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_text = text[line_start..].lines().next().unwrap_or("");
    let header = line_text
        .trim()
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'));
    if let Some(header) = header.filter(|_| message.starts_with("unknown field")) {
        return unknown_section(&format!("{shown} line {line_no}"), header.trim());
    }
    let key = line_text
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let section = text[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        l.strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .map(|s| s.trim().to_string())
    });
    if let Some(k) = &key
        && message.starts_with("unknown field")
        && (k.contains("secret") || k.contains("password"))
    {
        message.push_str(
            "; secrets are never written in the config: name an environment variable \
             (…_env) or a file (…_file) that holds it",
        );
    }
    let dotted = match (section, key) {
        (Some(s), Some(k)) => format!(", key {s}.{k}"),
        (None, Some(k)) => format!(", key {k}"),
        (Some(s), None) => format!(", section [{s}]"),
        (None, None) => String::new(),
    };
    ConfigError::new(format!("{shown} line {line_no}{dotted}: {message}"))
}

/// The name among `names` nearest to `word`, if within `most` edits.
fn nearest<'a>(names: &[&'a str], word: &str, most: usize) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (strsim::levenshtein(n, word), *n))
        .min()
        .filter(|(distance, _)| *distance <= most)
        .map(|(_, n)| n)
}

/// A section header the configuration has no section for, with the nearest one.
fn unknown_section(at: &str, header: &str) -> ConfigError {
    let sections: Vec<&str> = super::keys::KEYS.iter().map(|(s, _)| *s).collect();
    let nearest = nearest(&sections, header, 2)
        .map(|s| format!("did you mean [{s}]? "))
        .unwrap_or_default();
    ConfigError::new(format!(
        "{at}: unknown section [{header}] ({nearest}the sections are [{}])",
        sections.join("], [")
    ))
}

/// Refuses `MCTEAMS_<SECTION>_<KEY>` of a known section naming no key of it: the typo would
/// otherwise be ignored in silence. A variable a `*_env` key names (`secrets`: where a
/// secret is read from) is not an override.
pub(super) fn refuse_unknown_overrides(
    names: impl IntoIterator<Item = String>,
    secrets: &[String],
) -> Result<(), ConfigError> {
    for name in names {
        let Some(rest) = name.strip_prefix("MCTEAMS_") else {
            continue;
        };
        if secrets.contains(&name) {
            continue;
        }
        for (section, keys) in super::keys::KEYS {
            let prefix = format!("{}_", section.to_ascii_uppercase());
            let Some(key) = rest.strip_prefix(&prefix).map(str::to_ascii_lowercase) else {
                continue;
            };
            if keys.contains(&key.as_str()) {
                break;
            }
            let nearest = nearest(keys, &key, usize::MAX)
                .map(|k| format!(" (did you mean {}?)", env_var_name(section, k)))
                .unwrap_or_default();
            return Err(ConfigError::new(format!(
                "environment variable {name}: [{section}] has no key {key:?}{nearest}"
            )));
        }
    }
    Ok(())
}
