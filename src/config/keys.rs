//! Every key of the configuration file.

/// Every key of the file, by section: drives environment overrides, `config show` and the template test.
pub const KEYS: &[(&str, &[&str])] = &[
    (
        "graph",
        &[
            "tenant_id",
            "client_id",
            "client_secret_env",
            "client_secret_file",
            "client_certificate_file",
            "authority_url",
            "base_url",
            "budget_share",
        ],
    ),
    (
        "micollab",
        &[
            "base_url",
            "username",
            "password_env",
            "password_file",
            "ca_file",
            "max_rps",
        ],
    ),
    (
        "pbx",
        &[
            "base_url",
            "username",
            "password_env",
            "password_file",
            "ca_file",
            "max_rps",
        ],
    ),
    (
        "cloudlink",
        &[
            "auth_url",
            "admin_url",
            "presence_url",
            "account_id",
            "client_id",
            "client_secret_env",
            "client_secret_file",
            "ca_file",
            "max_rps",
        ],
    ),
    (
        "sync",
        &[
            "interval",
            "min_interval",
            "lease_duration",
            "max_changes",
            "session_ttl",
            "settle_window",
            "stale_after",
        ],
    ),
    (
        "state",
        &["path", "url", "password_env", "password_file", "ca_file"],
    ),
];

impl super::FileConfig {
    /// The keys of which a section may set one at most, with whether each is set.
    pub(super) fn exclusive_keys(&self) -> Vec<(&'static str, Vec<(&'static str, bool)>)> {
        let (g, c, s) = (&self.graph, &self.cloudlink, &self.state);
        let password = |env: &Option<String>, file: &Option<std::path::PathBuf>| {
            vec![
                ("password_env", env.is_some()),
                ("password_file", file.is_some()),
            ]
        };
        let (m, p) = (&self.micollab, &self.pbx);
        vec![
            (
                "graph",
                vec![
                    ("client_secret_env", g.client_secret_env.is_some()),
                    ("client_secret_file", g.client_secret_file.is_some()),
                    (
                        "client_certificate_file",
                        g.client_certificate_file.is_some(),
                    ),
                ],
            ),
            (
                "state",
                vec![("path", s.path.is_some()), ("url", s.url.is_some())],
            ),
            ("state", password(&s.password_env, &s.password_file)),
            ("micollab", password(&m.password_env, &m.password_file)),
            ("pbx", password(&p.password_env, &p.password_file)),
            (
                "cloudlink",
                vec![
                    ("client_secret_env", c.client_secret_env.is_some()),
                    ("client_secret_file", c.client_secret_file.is_some()),
                ],
            ),
        ]
    }
}
