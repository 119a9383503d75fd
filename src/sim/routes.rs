//! Each system's route table: templates like `"GET /users/{id}/presence"`, each with its
//! handler, matched by matchit; and the call a handler answers.

use super::Sim;
use super::server::{Reply, Req};

/// One routed request as a handler sees it.
pub struct Call<'a> {
    pub sim: &'a Sim,
    pub state: &'a mut super::State,
    pub req: &'a Req,
    pub params: Vec<String>,
    pub extra: &'a [(&'static str, String)],
    /// Who the bearer token was issued to (Mitel systems; empty before authentication).
    pub principal: String,
}

impl<'a> Call<'a> {
    pub fn new(
        sim: &'a Sim,
        state: &'a mut super::State,
        req: &'a Req,
        params: Vec<String>,
        extra: &'a [(&'static str, String)],
    ) -> Call<'a> {
        Call {
            sim,
            state,
            req,
            params,
            extra,
            principal: String::new(),
        }
    }

    /// The n-th captured segment, or "" (routes without it never ask).
    pub fn param(&self, n: usize) -> &str {
        self.params.get(n).map_or("", String::as_str)
    }
}

/// A route's handler.
pub type Handler = fn(&mut Call) -> Reply;

/// A system's route table: templates like `"GET /users/{id}/presence"`, each with its
/// handler, matched by matchit. Paths match without regard to case (Graph's and the Mitel
/// APIs' do); the captured segments keep their case and are percent-decoded.
pub struct Routes<H: 'static> {
    router: matchit::Router<(&'static str, H)>,
}

/// A request's route: the template (the stats label), its handler and the captured segments.
pub struct Matched<H> {
    pub template: &'static str,
    pub handler: H,
    pub params: Vec<String>,
}

impl<H: Copy + 'static> Routes<H> {
    pub fn new(table: &[(&'static str, H)]) -> Routes<H> {
        let mut router = matchit::Router::new();
        for &(template, handler) in table {
            let Some((method, pattern)) = template.split_once(' ') else {
                debug_assert!(false, "a route template is `METHOD /path`: {template}");
                continue;
            };
            let key = format!("/{method}{pattern}").to_ascii_lowercase();
            let inserted = router.insert(key, (template, handler));
            debug_assert!(inserted.is_ok(), "{template}: {inserted:?}");
        }
        Routes { router }
    }

    /// The template `method path` matches, for the stats.
    pub fn template_of(&self, method: &str, path: &str) -> Option<&'static str> {
        let key = Self::key(method, path).to_ascii_lowercase();
        self.router.at(&key).ok().map(|found| found.value.0)
    }

    fn key(method: &str, path: &str) -> String {
        format!("/{method}{}", path.trim_end_matches('/'))
    }

    pub fn find(&self, method: &str, path: &str) -> Option<Matched<H>> {
        let key = Self::key(method, path);
        // ASCII lowercasing keeps every byte where it was, so a capture's place in the
        // lowered key is its place in the request's own spelling.
        let lowered = key.to_ascii_lowercase();
        let found = self.router.at(&lowered).ok()?;
        let params = found
            .params
            .iter()
            .map(|(_, value)| {
                let start = value.as_ptr() as usize - lowered.as_ptr() as usize;
                let original = &key[start..start + value.len()];
                percent_encoding::percent_decode_str(original)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let &(template, handler) = found.value;
        Some(Matched {
            template,
            handler,
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_like_the_systems_do() {
        let routes = Routes::<u8>::new(&[
            ("GET /users", 1),
            ("GET /users/$count", 2),
            ("GET /users/{id}", 3),
            ("POST /users/{id}/presence/setPresence", 4),
        ]);
        let found = |method: &str, path: &str| {
            routes
                .find(method, path)
                .map(|m| (m.template, m.handler, m.params))
        };
        type Expected = Option<(&'static str, u8, &'static [&'static str])>;
        let cases: &[(&str, &str, Expected)] = &[
            ("GET", "/users", Some(("GET /users", 1, &[]))),
            ("GET", "/users/", Some(("GET /users", 1, &[]))),
            ("GET", "/users/$count", Some(("GET /users/$count", 2, &[]))),
            (
                "GET",
                "/Users/AdeleV%40Contoso.com",
                Some(("GET /users/{id}", 3, &["AdeleV@Contoso.com"])),
            ),
            (
                "post",
                "/USERS/Ab-C/presence/SETPRESENCE",
                Some(("POST /users/{id}/presence/setPresence", 4, &["Ab-C"])),
            ),
            ("DELETE", "/users/x", None),
            ("GET", "/users/x/presence", None),
            ("GET", "/groups", None),
        ];
        for &(method, path, expected) in cases {
            let expected = expected.map(|(t, h, p): (&str, u8, &[&str])| {
                (t, h, p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            });
            assert_eq!(found(method, path), expected, "{method} {path}");
            assert_eq!(
                routes.template_of(method, path),
                expected.as_ref().map(|e| e.0),
                "{method} {path}"
            );
        }
    }
}
