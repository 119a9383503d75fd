//! `--write-config FILE`: a complete mcteams config pointing at the emulator, its secrets in
//! files beside it (mode 0600) and its state store beside it, so `mcteams --config FILE …`
//! works with nothing else set and never touches another store.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{Credentials, SimUrls};

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    pub config: PathBuf,
    pub secret_files: Vec<PathBuf>,
    /// The app's certificate and private key (PEM, mode 0600): the certificate credential
    /// the config mentions as the alternative to the client secret.
    pub certificate: PathBuf,
    pub state: PathBuf,
}

pub const GRAPH_SECRET_FILE: &str = "graph-secret.txt";
pub const GRAPH_CERTIFICATE_FILE: &str = "graph-cert.pem";
pub const MICOLLAB_PASSWORD_FILE: &str = "micollab-password.txt";
pub const PBX_PASSWORD_FILE: &str = "pbx-password.txt";
pub const CLOUDLINK_SECRET_FILE: &str = "cloudlink-secret.txt";
pub const STATE_FILE: &str = "state.db";

/// The config text (keys as `config::KEYS` names them; paths relative to the file).
pub fn render(urls: &SimUrls, creds: &Credentials) -> String {
    format!(
        r#"# mcteams configuration for the local emulator (`mcteams sim serve`), written by
# --write-config. Secrets are in the files beside this one (mode 0600); the state store
# is beside it too, so a rehearsal never touches a production store.

[graph]
tenant_id = "{tenant}"
client_id = "{graph_client}"
client_secret_file = "{GRAPH_SECRET_FILE}"
# The app also has a certificate registered ({GRAPH_CERTIFICATE_FILE}: certificate and private
# key, mode 0600), as tenants that forbid client secrets require. To sign in with it, use
# this line instead of client_secret_file:
# client_certificate_file = "{GRAPH_CERTIFICATE_FILE}"
authority_url = "{authority}"
base_url = "{graph}"

[micollab]
base_url = "{micollab}"
username = "{micollab_user}"
password_file = "{MICOLLAB_PASSWORD_FILE}"

[pbx]
base_url = "{pbx}"
username = "{pbx_user}"
password_file = "{PBX_PASSWORD_FILE}"

[cloudlink]
auth_url = "{cl_auth}"
admin_url = "{cl_admin}"
presence_url = "{cl_presence}"
account_id = "{account}"
client_id = "{cl_client}"
client_secret_file = "{CLOUDLINK_SECRET_FILE}"

[state]
path = "{STATE_FILE}"
"#,
        tenant = creds.tenant_id,
        graph_client = creds.graph_client_id,
        authority = urls.graph_authority,
        graph = urls.graph,
        micollab = urls.micollab,
        micollab_user = creds.micollab_username,
        pbx = urls.pbx,
        pbx_user = creds.pbx_username,
        cl_auth = urls.cloudlink_auth,
        cl_admin = urls.cloudlink_admin,
        cl_presence = urls.cloudlink_presence,
        account = creds.cloudlink_account_id,
        cl_client = creds.cloudlink_client_id,
    )
}

/// Writes the config, the secret files and `certificate_pem` (the app's certificate and
/// key) beside it.
pub fn write(
    path: &Path,
    urls: &SimUrls,
    creds: &Credentials,
    certificate_pem: &str,
) -> anyhow::Result<Written> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut secret_files = Vec::new();
    for (name, value) in [
        (GRAPH_SECRET_FILE, &creds.graph_client_secret),
        (MICOLLAB_PASSWORD_FILE, &creds.micollab_password),
        (PBX_PASSWORD_FILE, &creds.pbx_password),
        (CLOUDLINK_SECRET_FILE, &creds.cloudlink_client_secret),
    ] {
        let file = dir.join(name);
        write_private(&file, value.as_bytes())?;
        secret_files.push(file);
    }
    let certificate = dir.join(GRAPH_CERTIFICATE_FILE);
    write_private(&certificate, certificate_pem.as_bytes())?;
    std::fs::write(path, render(urls, creds))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(Written {
        config: path.to_path_buf(),
        secret_files,
        certificate,
        state: dir.join(STATE_FILE),
    })
}

/// Writes a file only its owner can read (created 0600, and tightened if it existed).
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("setting mode 0600 on {}", path.display()))?;
    }
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_config_passes_the_validator() {
        let urls = SimUrls::new("http://127.0.0.1:4567");
        let dir = super::super::directory::Directory::generate(3, 1);
        let creds = Credentials::for_seed(3, &dir.tenant_id);
        let text = render(&urls, &creds);
        let config = crate::config::Config::from_parts(
            Some(Path::new("/tmp/sim/config.toml")),
            &text,
            |_| None,
        )
        .expect("valid config");
        assert!(
            config.missing_for_sync().is_empty(),
            "{:?}",
            config.missing_for_sync()
        );
        assert_eq!(
            config.file.state.path.as_deref(),
            Some(Path::new("/tmp/sim/state.db"))
        );
    }
}
