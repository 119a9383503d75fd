//! `doctor`'s checks of Microsoft Graph: the token and its application permissions, the
//! clock, a presence read, and with `--write-check` an app session set and cleared.

use std::time::Duration;

use super::{Outcome, REQUIRED_GRAPH_ROLES, Report, clock_check, first_contact};
use crate::config::Config;
use crate::connectors::PresenceDirectory;
use crate::connectors::graph::GraphClient;
use crate::connectors::mitel::ClockReading;
use crate::http::{Call, HttpClient, HttpSettings, RetryPolicy, System};
use crate::wire::graph::{Activity, Availability};

pub(super) async fn check_graph(
    config: &Config,
    report: &mut Report,
    write_check: Option<&str>,
    sample: Option<&str>,
) {
    const S: &str = "graph";
    let client = match GraphClient::from_config(config) {
        Ok(c) => c,
        Err(e) => return report.config_error(S, &e),
    };
    let url = config.graph_authority_url();
    let roles = client.token_roles().await;
    if !first_contact(report, S, &url, roles.as_ref().map(|_| ())) {
        return;
    }
    let roles = roles.unwrap_or_default();
    let missing: Vec<&str> = REQUIRED_GRAPH_ROLES
        .iter()
        .copied()
        .filter(|r| !roles.iter().any(|g| g == r))
        .collect();
    if missing.is_empty() {
        report.ok(S, "permissions", REQUIRED_GRAPH_ROLES.join(", "));
    } else {
        report.fail(
            S,
            "permissions",
            format!("missing application permission(s): {}", missing.join(", ")),
            "add them to the app registration as application permissions and grant admin consent",
        );
    }
    clock_check(report, S, graph_clock(config).await);
    let Some(user) = graph_test_user(&client, report, write_check, sample).await else {
        return;
    };
    check_presence_read(&client, report, &user).await;
    if write_check.is_some() {
        check_presence_write(&client, report, &user).await;
    }
}

/// The Entra user the presence checks use: `--write-check`'s, else a sample from MiCollab.
async fn graph_test_user(
    client: &GraphClient,
    report: &mut Report,
    write_check: Option<&str>,
    sample: Option<&str>,
) -> Option<crate::wire::graph::User> {
    const S: &str = "graph";
    let Some(target) = write_check.or(sample) else {
        let message = "no user to read (MiCollab gave none): use --write-check UPN";
        report.add(S, "presence read", Outcome::Warn, message, None);
        return None;
    };
    let resolution = match client.resolve_users(&[target.to_string()]).await {
        Ok(r) => r,
        Err(e) => {
            let hint = "User.Read.All is needed to find users";
            report.fail(S, "presence read", e.to_string(), hint);
            return None;
        }
    };
    let user = resolution.found.values().next().map(|r| r.user.clone());
    if user.is_none() {
        let result = if write_check.is_some() {
            Outcome::Fail
        } else {
            Outcome::Warn
        };
        report.add(
            S,
            "presence read",
            result,
            format!("no Entra user with UPN or mail {target}"),
            Some("check the name, or pass --write-check with a test user's UPN"),
        );
    }
    user
}

async fn check_presence_read(
    client: &GraphClient,
    report: &mut Report,
    user: &crate::wire::graph::User,
) {
    const S: &str = "graph";
    let upn = &user.user_principal_name;
    match client.read_presences(std::slice::from_ref(&user.id)).await {
        Ok(presences) => match presences.get(&user.id) {
            Some(p) => {
                let shown = format!("{upn}: {}/{}", p.availability, p.activity);
                report.ok(S, "presence read", shown)
            }
            None => {
                let message = format!("no presence returned for {upn}");
                report.add(S, "presence read", Outcome::Warn, message, None)
            }
        },
        Err(e) => report.fail(
            S,
            "presence read",
            e.to_string(),
            "Presence.ReadWrite.All is needed to read presence",
        ),
    }
}

/// `--write-check`: sets and clears an app session on the test user.
async fn check_presence_write(
    client: &GraphClient,
    report: &mut Report,
    user: &crate::wire::graph::User,
) {
    const S: &str = "graph";
    let five_minutes = Duration::from_secs(300);
    let set = client
        .set_presence(
            &user.id,
            Availability::Busy,
            Activity::InACall,
            five_minutes,
        )
        .await;
    let cleared = match &set {
        Ok(()) => client.clear_presence(&user.id).await,
        Err(_) => Ok(()),
    };
    let upn = &user.user_principal_name;
    match (set, cleared) {
        (Ok(()), Ok(())) => {
            let message = format!("set and cleared an app session on {upn}");
            report.ok(S, "write check", message)
        }
        (Err(e), _) => report.fail(
            S,
            "write check",
            e.to_string(),
            "Presence.ReadWrite.All is needed to write presence",
        ),
        (Ok(()), Err(e)) => report.fail(
            S,
            "write check",
            format!("set, but clearing failed: {e}"),
            "the session expires by itself within 5 minutes; run `mcteams release` to clear it",
        ),
    }
}

/// Graph's clock: the `Date` of an unauthenticated answer of the Graph host (no token or
/// secret is sent).
async fn graph_clock(config: &Config) -> Option<ClockReading> {
    let settings = HttpSettings {
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        request_timeout: Duration::from_secs(15),
        ..HttpSettings::new(System::Graph)
    };
    let http = HttpClient::new(settings).ok()?;
    let mut call = Call::get(config.graph_base_url()).unauthorized();
    for status in 300..=599 {
        call = call.accept(status);
    }
    let response = http.send(&call).await.ok()?;
    ClockReading::from_response(&response)
}
