//! The commented template `mcteams config init` writes.

/// Every key, commented out, with what it means. Uncommenting a line gives a valid value.
pub const TEMPLATE: &str = r#"# mcteams configuration.
# Secrets never go in this file: name an environment variable (..._env) or a file (..._file,
# mode 0600) that holds them. Every key can be overridden by MCTEAMS_<SECTION>_<KEY>,
# e.g. MCTEAMS_SYNC_INTERVAL=30s. Relative paths are relative to this file.

[graph]
# Entra tenant (GUID or primary domain) and the app registration's client id.
# The app needs the application permissions Presence.ReadWrite.All and User.Read.All,
# with admin consent.
# tenant_id = "contoso.onmicrosoft.com"
# client_id = "00000000-0000-0000-0000-000000000000"
# One credential: a client secret (from an environment variable or a file) or a
# certificate (PEM file holding the certificate and its private key).
# client_secret_env = "MCTEAMS_GRAPH_SECRET"
# client_secret_file = "graph-secret.txt"
# client_certificate_file = "graph-cert.pem"
# authority_url = "https://login.microsoftonline.com"
# base_url = "https://graph.microsoft.com/v1.0"
# Share of Graph's 1,500 presence requests per 30 s that mcteams may use.
# budget_share = 0.8

[micollab]
# MiCollab server (Client Service). Private CA: name its certificate in ca_file.
# base_url = "https://micollab.example.com"
# username = "mcteams"
# password_env = "MCTEAMS_MICOLLAB_PASSWORD"
# password_file = "micollab-password.txt"
# ca_file = "micollab-ca.pem"
# Requests per second `sync --watch` paces its polls to (with an "auto" sync.interval).
# max_rps = 10

[pbx]
# MiVoice Business: read only, mcteams never writes to the phone.
# base_url = "https://mivb.example.com"
# username = "mcteams"
# password_env = "MCTEAMS_PBX_PASSWORD"
# password_file = "pbx-password.txt"
# ca_file = "mivb-ca.pem"
# Requests per second `sync --watch` polls at while the change feed is unavailable.
# max_rps = 10

[cloudlink]
# CloudLink's public services (fixed). A rehearsal against `mcteams sim serve` points them at
# the emulator instead.
auth_url = "https://authentication.api.mitel.io/2017-09-01"
admin_url = "https://admin.api.mitel.io/2017-09-01"
presence_url = "https://presence.api.mitel.io/2017-09-01"
# account_id = "your-cloudlink-account-id"
# client_id = "your-cloudlink-client-id"
# client_secret_env = "MCTEAMS_CLOUDLINK_SECRET"
# client_secret_file = "cloudlink-secret.txt"
# ca_file = "cloudlink-ca.pem"
# Requests per second `sync --watch` paces its polls to (with an "auto" sync.interval).
# max_rps = 10

[sync]
# Time between the Teams polls of `mcteams sync --watch`: "auto" is the shortest that keeps
# Graph within budget_share (the phone's writes first) and each Mitel system within its
# max_rps; or a fixed duration such as "15s". Phone changes sync as they happen either way.
# interval = "auto"
# The shortest interval "auto" chooses.
# min_interval = "2s"
# How long the sync lease lasts unrenewed: another run may take over a holder that stopped
# renewing it (on another host) after this long. Renewed every third of it.
# lease_duration = "60s"
# Mass-change guard: a number, or a share of mapped users (at least 500).
# max_changes = "5%"
# Lifetime of mcteams' app session in Teams (5m to 4h); refreshed while the phone state lasts.
# session_ttl = "15m"
# How long a difference may last before `report` calls it out of sync.
# settle_window = "60s"
# A user with no successful sync for this long is reported stale.
# stale_after = "5m"

[state]
# The state store: a SQLite file (the default: $XDG_DATA_HOME/mcteams/state.db) ...
# path = "state.db"
# ... or a PostgreSQL database, for several `sync --watch` instances on several hosts (one syncs,
# the others stand by). TLS is required and verified unless the server is on this host.
# url = "postgres://mcteams@db.example.com/mcteams"
# Its password: an environment variable, or a file (mode 0600). Never in the URL.
# password_env = "MCTEAMS_STATE_PASSWORD"
# password_file = "state-password.txt"
# The CA that signed the server's certificate, if not one the system trusts.
# ca_file = "postgres-ca.pem"
"#;
