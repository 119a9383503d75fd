//! The man pages' own sections beyond what clap knows: ENVIRONMENT (every `MCTEAMS_*`
//! variable, from the config's key table, so a new key is never missing), FILES and SEE ALSO.

use crate::config::{KEYS, env_var_name};

/// Text in roff: hyphens as minus signs (so they copy as `-`), no line opening with a dot.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    match text.starts_with('.') || text.starts_with('\'') {
        true => format!("\\&{text}"),
        false => text,
    }
}

fn entry(term: &str, text: &str) -> String {
    format!(".TP\n\\fB{}\\fR\n{}\n", roff(term), roff(text))
}

/// Every variable mcteams reads.
pub(super) fn environment() -> String {
    let mut section = String::from(".SH ENVIRONMENT\n");
    for (term, text) in [
        ("MCTEAMS_CONFIG", "the configuration file, as --config"),
        ("MCTEAMS_STATE", "the state store, as --state"),
        (
            "MCTEAMS_INSTANCE_ID",
            "this instance's name in every request's User-Agent (default: host:pid), to tell several sync --watch instances apart in the services' logs",
        ),
        (
            "MCTEAMS_LOG",
            "a tracing filter for the logs (e.g. mcteams=debug); overrides the level -q and -v set",
        ),
    ] {
        section.push_str(&entry(term, text));
    }
    for (name, key) in KEYS
        .iter()
        .flat_map(|(section, keys)| keys.iter().map(move |key| (*section, *key)))
        .map(|(section, key)| (env_var_name(section, key), format!("[{section}] {key}")))
    {
        section.push_str(&entry(
            &name,
            &format!("overrides {key} of the config file"),
        ));
    }
    for (term, text) in [
        ("NO_COLOR", "set: no colours (as --no-color)"),
        ("CLICOLOR", "0: no colours"),
        (
            "CLICOLOR_FORCE",
            "1: colours even when stderr is not a terminal",
        ),
        (
            "COLUMNS",
            "the width tables fit when stdout is not a terminal (a pipe gets whole lines without it)",
        ),
        (
            "MCTEAMS_GRAPH_SECRET, MCTEAMS_MICOLLAB_PASSWORD, MCTEAMS_PBX_PASSWORD, MCTEAMS_CLOUDLINK_SECRET",
            "the secrets, where the config's client_secret_env and password_env keys name these variables (as the template does)",
        ),
        (
            "the variables the *_env keys name",
            "secrets (client_secret_env, password_env): a config key names the variable, never holds the secret",
        ),
        (
            "XDG_CONFIG_HOME, XDG_DATA_HOME",
            "where the default config file and state store are (see FILES)",
        ),
    ] {
        section.push_str(&entry(term, text));
    }
    section
}

pub(super) const FILES: &str = r#".SH FILES
.TP
\fB$XDG_CONFIG_HOME/mcteams/config.toml\fR (\fB~/.config/mcteams/config.toml\fR)
the configuration, unless \-\-config or MCTEAMS_CONFIG names another; \fBmcteams config init\fR writes a commented template
.TP
\fB$XDG_DATA_HOME/mcteams/state.db\fR (\fB~/.local/share/mcteams/state.db\fR)
the state store (SQLite; its \fBstate.db\-wal\fR and \fBstate.db\-shm\fR beside it), unless \-\-state, MCTEAMS_STATE or [state] path names another; created 0600 in a 0700 directory (only this default directory is created)
.TP
secret files
named by the config's *_file keys (client_secret_file, client_certificate_file, password_file): readable by their owner only, or refused
"#;

/// The pages to read next: the command's parent (and `mcteams(1)`) and its subcommands.
pub(super) fn see_also(cmd: &clap::Command, own: &str, parent: Option<&str>) -> String {
    let page = |name: &str| format!("\\fB{}\\fR(1)", roff(name));
    let mut pages: Vec<String> = Vec::new();
    if let Some(parent) = parent {
        pages.push(page(parent));
        if parent != "mcteams" {
            pages.push(page("mcteams"));
        }
    }
    pages.extend(
        cmd.get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| page(&format!("{own}-{}", s.get_name()))),
    );
    if pages.is_empty() {
        return String::new();
    }
    format!(".SH \"SEE ALSO\"\n{}\n", pages.join(", "))
}
