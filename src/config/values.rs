//! Config value types that validate themselves while the file is parsed, so the parser's
//! error points at the offending line.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A base URL of a system: `https://`, or plain `http://` only to a loopback host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUrl(pub url::Url);

impl ServiceUrl {
    pub fn parse(text: &str) -> Result<ServiceUrl, String> {
        let url = url::Url::parse(text.trim()).map_err(|e| format!("invalid URL {text:?}: {e}"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(
                "credentials in a URL are not allowed: use the section's username and password_env/password_file"
                    .to_string(),
            );
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(format!(
                    "plain http:// is only allowed to a loopback host (127.0.0.1, ::1, localhost), not {:?}: use https://",
                    url.host_str().unwrap_or("")
                ));
            }
            other => return Err(format!("unsupported URL scheme {other:?}: use https://")),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("URL {text:?} has no host"));
        }
        Ok(ServiceUrl(url))
    }
}

/// Loopback: 127.0.0.0/8, ::1 and the name localhost (RFC 6761 keeps it on this machine).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

impl fmt::Display for ServiceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for ServiceUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ServiceUrl::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for ServiceUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

/// A duration written as people do: "15s", "2m", "1h30m".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigDuration(pub Duration);

impl fmt::Display for ConfigDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", humantime::format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for ConfigDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let duration = humantime::parse_duration(text.trim()).map_err(|e| {
            de::Error::custom(format!(
                "invalid duration {text:?}: {e} (write it like \"15s\", \"2m\", \"1h\")"
            ))
        })?;
        if duration.is_zero() {
            return Err(de::Error::custom("a duration of zero is not allowed"));
        }
        Ok(ConfigDuration(duration))
    }
}

impl Serialize for ConfigDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The time between `sync --watch` cycles: `"auto"` (paced by what the systems allow, see
/// [`crate::pacing`]) or a fixed duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Auto,
    Every(Duration),
}

impl Interval {
    pub fn parse(text: &str) -> Result<Interval, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("auto") {
            return Ok(Interval::Auto);
        }
        let duration = humantime::parse_duration(t).map_err(|e| {
            format!("invalid interval {text:?}: {e} (write \"auto\", or a duration like \"15s\", \"2m\")")
        })?;
        if duration.is_zero() {
            return Err("an interval of zero is not allowed".to_string());
        }
        Ok(Interval::Every(duration))
    }
}

impl std::str::FromStr for Interval {
    type Err = String;
    fn from_str(text: &str) -> Result<Interval, String> {
        Interval::parse(text)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interval::Auto => f.write_str("auto"),
            Interval::Every(d) => write!(f, "{}", humantime::format_duration(*d)),
        }
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Interval::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// A number written as a number (0.8, 10) or, from the environment, as text, within a range
/// `in_range` checks; `expected` says the range in the messages.
fn number_in<'de, D: Deserializer<'de>>(
    d: D,
    expected: &'static str,
    in_range: fn(f64) -> bool,
) -> Result<f64, D::Error> {
    struct Number {
        expected: &'static str,
        in_range: fn(f64) -> bool,
    }
    impl Visitor<'_> for Number {
        type Value = f64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expected)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
            if (self.in_range)(v) {
                Ok(v)
            } else {
                let expected = self.expected;
                Err(E::custom(format!(
                    "{v} is out of range: expected {expected}"
                )))
            }
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
            self.visit_f64(v as f64)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
            self.visit_f64(v as f64)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
            let n: f64 = v
                .trim()
                .parse()
                .map_err(|_| E::custom(format!("{v:?} is not a number")))?;
            self.visit_f64(n)
        }
    }
    d.deserialize_any(Number { expected, in_range })
}

/// Requests per second a system may be sent: a number greater than 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerSecond(pub f64);

impl<'de> Deserialize<'de> for PerSecond {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expected = "requests per second greater than 0";
        number_in(d, expected, |v| v > 0.0 && v.is_finite()).map(PerSecond)
    }
}

impl Serialize for PerSecond {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

/// A share in (0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share(pub f64);

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expected = "a number greater than 0 and at most 1";
        number_in(d, expected, |v| v > 0.0 && v <= 1.0).map(Share)
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

/// The mass-change guard: a share of mapped users ("5%", at least 500) or a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ChangeLimit {
    Share(f64),
    Count(u64),
}

/// A share never guards below this many changes: small estates are not blocked by rounding.
pub const MIN_SHARE_LIMIT: u64 = 500;

impl ChangeLimit {
    pub fn parse(text: &str) -> Result<ChangeLimit, String> {
        let t = text.trim();
        if let Some(pct) = t.strip_suffix('%') {
            let p: f64 = pct
                .trim()
                .parse()
                .map_err(|_| format!("{text:?} is not a percentage like \"5%\""))?;
            if !(p > 0.0 && p <= 100.0) {
                return Err(format!(
                    "{text:?}: a percentage must be above 0 and at most 100"
                ));
            }
            Ok(ChangeLimit::Share(p / 100.0))
        } else {
            let n: u64 = t.parse().map_err(|_| {
                format!("{text:?} is neither a number nor a percentage like \"5%\"")
            })?;
            if n == 0 {
                return Err("0 would block every change: use a number of at least 1".to_string());
            }
            Ok(ChangeLimit::Count(n))
        }
    }

    /// The number of changes allowed for an estate of `mapped_users`.
    pub fn limit_for(self, mapped_users: u64) -> u64 {
        match self {
            ChangeLimit::Count(n) => n,
            ChangeLimit::Share(s) => ((mapped_users as f64 * s).ceil() as u64).max(MIN_SHARE_LIMIT),
        }
    }
}

impl fmt::Display for ChangeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeLimit::Share(s) => write!(f, "{}%", s * 100.0),
            ChangeLimit::Count(n) => write!(f, "{n}"),
        }
    }
}

impl<'de> Deserialize<'de> for ChangeLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ChangeLimit;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of changes or a percentage like \"5%\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ChangeLimit, E> {
                ChangeLimit::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ChangeLimit, E> {
                ChangeLimit::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ChangeLimit, E> {
                ChangeLimit::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for ChangeLimit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChangeLimit::Count(n) => s.serialize_u64(*n),
            ChangeLimit::Share(_) => s.serialize_str(&self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_urls() {
        let cases = [
            ("https://graph.microsoft.com/v1.0", true),
            ("http://127.0.0.1:8080/graph", true),
            ("http://127.8.9.10/x", true),
            ("http://[::1]:9000/", true),
            ("http://localhost:1/", true),
            ("http://graph.microsoft.com/v1.0", false),
            ("http://10.0.0.1/", false),
            ("http://localhost.evil.com/", false),
            ("ftp://example.com/", false),
            ("https://user:pw@example.com/", false),
            ("not a url", false),
        ];
        for (text, ok) in cases {
            assert_eq!(ServiceUrl::parse(text).is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn change_limits() {
        let cases = [
            ("5%", Some(ChangeLimit::Share(0.05))),
            ("500", Some(ChangeLimit::Count(500))),
            (" 12 ", Some(ChangeLimit::Count(12))),
            ("0", None),
            ("0%", None),
            ("150%", None),
            ("lots", None),
        ];
        for (text, want) in cases {
            assert_eq!(ChangeLimit::parse(text).ok(), want, "{text}");
        }
        // 5 % of 100,000 is 5,000; of 1,000 it is 50, lifted to the floor of 500.
        assert_eq!(ChangeLimit::Share(0.05).limit_for(100_000), 5_000);
        assert_eq!(ChangeLimit::Share(0.05).limit_for(1_000), 500);
        assert_eq!(ChangeLimit::Count(7).limit_for(1_000_000), 7);
    }
}
