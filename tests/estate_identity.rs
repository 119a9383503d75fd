//! Which estate a store belongs to, through the binary against the emulator: the MiCollab
//! URL compared as the server it names, and the tenant identified by the id Entra's token
//! carries (`tid`), so a config may name it by its GUID or any of its domains.

mod e2e;

use e2e::{Estate, desk_phone};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `mappings list` with the config's values overridden by `env`: (exit code, stderr).
async fn list_with(estate: &Estate, state: &str, env: &[(&str, &str)]) -> (i32, String) {
    run_with(estate, state, env, &["mappings", "list"]).await
}

async fn run_with(
    estate: &Estate,
    state: &str,
    env: &[(&str, &str)],
    args: &[&str],
) -> (i32, String) {
    let mut all = vec!["--state", state];
    all.extend_from_slice(args);
    let out = estate.run_env(env, &all).await;
    (out.status.code().unwrap_or(-1), text(&out.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tenant_by_any_of_its_names_and_micollab_by_any_loopback_name_is_one_estate() {
    let estate = Estate::start(20).await;
    let users = estate.pick(2, desk_phone);
    estate.map_and_enable(&users).await;
    let state = estate.path("state.db");
    let state = state.to_str().unwrap();
    let by_domain = [("MCTEAMS_GRAPH_TENANT_ID", "contoso.onmicrosoft.com")];

    // Before any sync the store has not recorded the tenant's id: another name is refused,
    // saying why.
    let (code, said) = list_with(&estate, state, &by_domain).await;
    assert_eq!(code, 78, "{said}");
    assert!(said.contains("has not recorded the tenant's id"), "{said}");

    // A sync records it; then the tenant's domain names the same estate.
    let out = estate.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (code, said) = list_with(&estate, state, &by_domain).await;
    assert_eq!(code, 0, "{said}");
    // config check stays offline: a tenant named otherwise is left to the commands.
    let (code, said) = run_with(&estate, state, &by_domain, &["config", "check"]).await;
    assert_eq!(code, 0, "{said}");

    // MiCollab by another name of loopback, another case, a trailing slash: the same.
    let micollab = estate.micollab_url();
    let renamed = micollab.replace("127.0.0.1", "LocalHost") + "/";
    let (code, said) = list_with(&estate, state, &[("MCTEAMS_MICOLLAB_BASE_URL", &renamed)]).await;
    assert_eq!(code, 0, "{renamed}: {said}");

    // A store whose recorded tenant id is another tenant's is another estate's, whatever
    // the name.
    let conn = rusqlite::Connection::open(state).unwrap();
    let changed = conn
        .execute(
            "UPDATE meta SET value = '0b4a7c2e-1111-4222-8333-444455556666' WHERE key = 'tenant_tid'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1, "the sync recorded the tenant's id");
    drop(conn);
    let (code, said) = list_with(&estate, state, &by_domain).await;
    assert_eq!(code, 78, "{said}");
    assert!(said.contains("belongs to another estate"), "{said}");
    assert!(!said.contains("has not recorded"), "{said}");
    // A run under the name the store was bound with goes on, and never overwrites the
    // recorded id with another: it warns.
    let out = estate.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is not the one the store recorded"),
        "{}",
        text(&out.stderr)
    );
    let conn = rusqlite::Connection::open(state).unwrap();
    let kept: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'tenant_tid'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kept, "0b4a7c2e-1111-4222-8333-444455556666");
    drop(conn);
    // Another MiCollab port is another server: refused without asking Entra.
    let mut other = url::Url::parse(&micollab).unwrap();
    other.set_port(Some(other.port().unwrap() + 1)).unwrap();
    let other = other.to_string();
    let (code, said) = list_with(&estate, state, &[("MCTEAMS_MICOLLAB_BASE_URL", &other)]).await;
    assert_eq!(code, 78, "{said}");
    assert!(said.contains("belongs to another estate"), "{said}");
}
