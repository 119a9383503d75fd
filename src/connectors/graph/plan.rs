//! Pure planning: how many requests a job takes and how to shape them. No I/O here, so the
//! numbers the design promises (154 calls for 100,000 users) are unit-tested.

use crate::wire::graph::{
    MAX_BATCH_REQUESTS, MAX_FILTER_IN_VALUES, MAX_PRESENCE_IDS, MAX_USERS_PAGE,
};

/// `getPresencesByUserId` calls needed for `ids` users: ceil(ids / 650).
pub fn presence_calls(ids: usize) -> usize {
    ids.div_ceil(MAX_PRESENCE_IDS)
}

/// `$batch` round trips needed for `requests` inner requests: ceil(requests / 20).
pub fn batch_calls(requests: usize) -> usize {
    requests.div_ceil(MAX_BATCH_REQUESTS)
}

/// How users are looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveStrategy {
    /// `$filter=userPrincipalName in (…)`, 15 values per request, packed 20 per `$batch`;
    /// names not found get a second pass on `mail`.
    Filter,
    /// Page the whole directory (`$top=999`) and match locally, UPN then mail.
    Directory,
}

/// Picks the strategy that takes fewer Graph requests.
///
/// - Filter: ceil(wanted / 15) requests (each inner request of a `$batch` counts against
///   Graph's limits on its own, so requests, not round trips, are compared). The `mail`
///   pass adds at most as many again for the names not found; it is left out of the
///   comparison because it is usually small.
/// - Directory: ceil(directory_size / 999) pages, whatever is wanted, `mail` included.
///
/// Directory wins when `ceil(size / 999) < ceil(wanted / 15)`, i.e. when more than about
/// one user in 67 of the directory is wanted. Without a directory size (the count failed)
/// the filter is chosen: its cost is bounded by what is wanted.
pub fn choose_strategy(wanted: usize, directory_size: Option<usize>) -> ResolveStrategy {
    let filter_requests = wanted.div_ceil(MAX_FILTER_IN_VALUES);
    match directory_size {
        Some(size) if size.div_ceil(MAX_USERS_PAGE).max(1) < filter_requests => {
            ResolveStrategy::Directory
        }
        _ => ResolveStrategy::Filter,
    }
}

/// An OData string literal: single quotes doubled, the whole quoted.
pub fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `property in ('a','b',…)`.
pub fn in_filter(property: &str, values: &[String]) -> String {
    let list: Vec<String> = values.iter().map(|v| odata_string(v)).collect();
    format!("{property} in ({})", list.join(","))
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for a query value or a
/// path segment (a user id or UPN can hold `#`, `&`, `'`, `+`, `/`).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The relative URL (from the version root) of one `$filter … in` lookup.
pub fn filter_url(property: &str, values: &[String]) -> String {
    format!(
        "/users?$filter={}&$select=id,userPrincipalName,mail",
        encode_component(&in_filter(property, values))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_chunks() {
        let cases = [
            (0, 0),
            (1, 1),
            (650, 1),
            (651, 2),
            (1_300, 2),
            (1_301, 3),
            (100_000, 154),
        ];
        for (ids, calls) in cases {
            assert_eq!(presence_calls(ids), calls, "{ids} ids");
        }
    }

    #[test]
    fn batches() {
        for (requests, calls) in [(0, 0), (1, 1), (20, 1), (21, 2), (334, 17)] {
            assert_eq!(batch_calls(requests), calls, "{requests}");
        }
    }

    #[test]
    fn strategy_table() {
        use ResolveStrategy::*;
        let cases = [
            // wanted, directory size, choice
            (10, Some(120_000), Filter),         // 1 request vs 121 pages
            (1_000, Some(120_000), Filter),      // 67 vs 121
            (2_000, Some(120_000), Directory),   // 134 vs 121
            (100_000, Some(120_000), Directory), // 6,667 vs 121
            (100, Some(500), Directory),         // 7 vs 1
            (15, Some(500), Filter),             // 1 vs 1: a tie keeps the filter
            (16, Some(500), Directory),          // 2 vs 1
            (100_000, None, Filter),             // no count: bounded by what is wanted
            (0, Some(0), Filter),
        ];
        for (wanted, size, choice) in cases {
            assert_eq!(
                choose_strategy(wanted, size),
                choice,
                "{wanted} of {size:?}"
            );
        }
    }

    #[test]
    fn odata_quoting() {
        assert_eq!(
            odata_string("o'brien@contoso.com"),
            "'o''brien@contoso.com'"
        );
        assert_eq!(
            in_filter("mail", &["a@x".into(), "b'c@x".into()]),
            "mail in ('a@x','b''c@x')"
        );
        assert_eq!(
            filter_url("userPrincipalName", &["a+b@x.com".into()]),
            "/users?$filter=userPrincipalName%20in%20%28%27a%2Bb%40x.com%27%29&$select=id,userPrincipalName,mail"
        );
    }
}
