//! What identifies an estate: normalised only where the text cannot change which server or
//! tenant is meant (case, a default port, a trailing slash, another name of loopback), so
//! `http://localhost:8080/` and `http://127.0.0.1:8080` are one estate and a store is not
//! refused for how its URL was typed.

use std::net::IpAddr;

use super::Estate;

impl Estate {
    /// The estate as the store records it.
    pub fn normalised(&self) -> Estate {
        Estate {
            tenant_id: self.tenant_id.trim().to_ascii_lowercase(),
            micollab: normalise_url(&self.micollab),
        }
    }
}

impl Estate {
    /// Whether the two name the same MiCollab server (the tenants may differ, or be named
    /// otherwise: [`crate::commands`] asks Entra for the tenant's id).
    pub fn same_micollab(&self, other: &Estate) -> bool {
        normalise_url(&self.micollab) == normalise_url(&other.micollab)
    }

    /// Whether the two name the tenant by the same text (another name of it may still be
    /// the same tenant: only its token's id tells).
    pub fn same_tenant_name(&self, other: &Estate) -> bool {
        self.normalised().tenant_id == other.normalised().tenant_id
    }
}

/// A URL's text with the scheme and host in lower case, no default port, no trailing
/// slash, and loopback named `localhost`; the path is kept as it is (servers may tell case).
fn normalise_url(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text.trim()) else {
        return text.trim().trim_end_matches('/').to_string();
    };
    // Only the names of the one usual loopback listener: 127.0.0.2 may be another server.
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    if loopback {
        // Setting a domain on a URL that has a host cannot fail.
        let _ = url.set_host(Some("localhost"));
    }
    url.as_str().trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estate(tenant: &str, micollab: &str) -> Estate {
        Estate {
            tenant_id: tenant.into(),
            micollab: micollab.into(),
        }
    }

    #[test]
    fn only_what_cannot_change_the_server_is_normalised() {
        let base = estate("contoso-tenant", "https://micollab.contoso.com");
        // (recorded, configured, same estate)
        let cases = [
            (
                "https://micollab.contoso.com",
                "https://MiCollab.Contoso.com/",
                true,
            ),
            (
                "https://micollab.contoso.com",
                "HTTPS://micollab.contoso.com:443",
                true,
            ),
            ("http://localhost:8080", "http://127.0.0.1:8080/", true),
            ("http://[::1]:8080", "http://localhost:8080", true),
            ("http://127.0.0.2:8080", "http://localhost:8080", false),
            (
                "https://micollab.contoso.com",
                "https://micollab.contoso.com:8443",
                false,
            ),
            (
                "https://micollab.contoso.com",
                "http://micollab.contoso.com",
                false,
            ),
            (
                "https://micollab.contoso.com/ucs",
                "https://micollab.contoso.com/UCS",
                false,
            ),
            ("http://localhost:8080", "http://localhost:8081", false),
            (
                "https://micollab.contoso.com",
                "https://micollab.fabrikam.com",
                false,
            ),
        ];
        for (recorded, configured, same) in cases {
            let a = estate("contoso-tenant", recorded);
            let b = estate("Contoso-Tenant ", configured);
            assert_eq!(a.same_as(&b), same, "{recorded} vs {configured}");
        }
        assert!(!base.same_as(&estate("fabrikam-tenant", &base.micollab)));
    }
}
