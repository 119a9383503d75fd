//! Field rules of the mapping CSV. Every value that passes can never start with a spreadsheet
//! formula character, which is why the mapping export may be written byte-exact.

/// A row's problem: a stable code and a message naming the field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub code: &'static str,
    pub message: String,
}

impl RowError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        RowError {
            code,
            message: message.into(),
        }
    }
}

/// 1-64 ASCII letters, digits or `extra` characters, starting with a letter or digit.
fn check_identifier(value: &str, extra: &str, described: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&value.len())
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected 1-64 letters, digits, {described}, starting with a letter or digit"
        ))
    }
}

/// A MiCollab login: letters, digits and `. _ - @`, starting with a letter or digit.
pub fn check_login(value: &str) -> Result<(), String> {
    check_identifier(value, "._-@", "'.', '_', '-' or '@'")
}

/// A user principal name as Entra allows it: `local@domain`, the local part of letters,
/// digits and `' . - _ ! # ^ ~` (not starting or ending with `.`), a domain with a dot.
pub fn check_upn(value: &str) -> Result<(), String> {
    let Some((local, domain)) = value.split_once('@') else {
        return Err("expected name@domain".into());
    };
    if value.len() > 113 {
        return Err("longer than 113 characters".into());
    }
    let local_ok = (1..=64).contains(&local.len())
        && local
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "'.-_!#^~".contains(c));
    if !local_ok {
        return Err(format!(
            "the part before @ ({local:?}) may hold letters, digits and ' . - _ ! # ^ ~, starting with a letter or digit"
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !domain_ok {
        return Err(format!("the domain {domain:?} is not a domain name"));
    }
    Ok(())
}

/// An Entra object id: a GUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub fn check_guid(value: &str) -> Result<(), String> {
    let groups: Vec<&str> = value.split('-').collect();
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err("expected a GUID like 6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50".into())
    }
}

/// A MiVoice Business directory number: 1-15 digits.
pub fn check_extension(value: &str) -> Result<(), String> {
    if (1..=15).contains(&value.len()) && value.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err("expected 1-15 digits".into())
    }
}

/// A CloudLink user id: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
pub fn check_cloudlink_id(value: &str) -> Result<(), String> {
    check_identifier(value, "-_.", "'-', '_' or '.'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_rules() {
        type Check = fn(&str) -> Result<(), String>;
        let cases: &[(Check, &str, bool)] = &[
            (check_login, "alice", true),
            (check_login, "a.smith-2@corp", true),
            (check_login, "", false),
            (check_login, "=cmd|' /C calc'!A0", false),
            (check_login, "-alice", false),
            (check_login, "al ice", false),
            (check_upn, "alice@contoso.com", true),
            (check_upn, "o'brien@contoso.co.uk", true),
            (check_upn, "_svc@contoso.onmicrosoft.com", true),
            (check_upn, "alice", false),
            (check_upn, "alice@contoso", false),
            (check_upn, "@contoso.com", false),
            (check_upn, "-alice@contoso.com", false),
            (check_upn, "=1+1@contoso.com", false),
            (check_upn, "al..ice@contoso.com", false),
            (check_upn, "alice.@contoso.com", false),
            (check_upn, "alice@-contoso.com", false),
            (check_upn, "a lice@contoso.com", false),
            (check_guid, "6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f50", true),
            (check_guid, "6E2B1F4C-9D1A-4A57-8F3E-0B1C2D3E4F50", true),
            (check_guid, "6e2b1f4c9d1a4a578f3e0b1c2d3e4f50", false),
            (check_guid, "6e2b1f4c-9d1a-4a57-8f3e-0b1c2d3e4f5g", false),
            (check_extension, "1001", true),
            (check_extension, "+1001", false),
            (check_extension, "10a1", false),
            (check_extension, "1234567890123456", false),
            (check_cloudlink_id, "cl-alice_1", true),
            (check_cloudlink_id, "@SUM(A1)", false),
        ];
        for (check, value, ok) in cases {
            assert_eq!(check(value).is_ok(), *ok, "{value:?}");
        }
    }
}
