use super::*;

#[test]
fn urls_allowed_and_refused() {
    let cases = [
        ("https://graph.microsoft.com/v1.0", true),
        ("http://127.0.0.1:8080/x", true),
        ("http://[::1]:8080/x", true),
        ("http://localhost/x", true),
        ("http://graph.microsoft.com/v1.0", false),
        ("http://10.0.0.1/x", false),
        ("ftp://127.0.0.1/x", false),
        ("https://user:pw@example.com/", false),
    ];
    for (text, ok) in cases {
        let url = url::Url::parse(text).unwrap();
        assert_eq!(check_url(&url).is_ok(), ok, "{text}");
    }
}

#[test]
fn origins() {
    let base = url::Url::parse("https://graph.microsoft.com/v1.0").unwrap();
    let same = url::Url::parse("https://graph.microsoft.com:443/v1.0/users?$skiptoken=x").unwrap();
    let other = url::Url::parse("https://evil.example/v1.0/users").unwrap();
    let plain = url::Url::parse("http://graph.microsoft.com/v1.0/users").unwrap();
    assert!(same_origin(&base, &same));
    assert!(!same_origin(&base, &other));
    assert!(!same_origin(&base, &plain));
}

#[test]
fn debug_output_never_shows_a_body() {
    let call =
        Call::post(url::Url::parse("https://login.example/t/oauth2/v2.0/token?x=1").unwrap())
            .form(&[("client_secret", "very-secret-value")]);
    let shown = format!("{call:?}");
    assert!(
        !shown.contains("very-secret-value") && !shown.contains("x=1"),
        "{shown}"
    );
    let response = Response {
        status: 200,
        headers: HeaderMap::new(),
        body: Bytes::from_static(br#"{"access_token":"tok-123"}"#),
        request_id: None,
        sent_before: false,
    };
    assert!(!format!("{response:?}").contains("tok-123"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_on_a_worker_answers_and_is_aborted_when_nobody_waits() {
    assert_eq!(on_worker(async { 7 }).await, Some(7));

    // Dropping the wait drops the task's future (its sender), which the receiver sees.
    let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
    let mut waiting = Box::pin(on_worker(async move {
        let _sender = sender;
        std::future::pending::<()>().await
    }));
    assert!(futures_util::poll!(&mut waiting).is_pending());
    drop(waiting);
    let ended = tokio::time::timeout(Duration::from_secs(10), receiver).await;
    assert!(
        matches!(ended, Ok(Err(_))),
        "the task was aborted and its sender dropped"
    );
}

#[tokio::test]
#[should_panic(expected = "the work's own panic")]
async fn a_panic_on_a_worker_reaches_the_waiter() {
    on_worker(async { panic!("the work's own panic") }).await;
}

#[test]
fn user_agent_names_the_version_and_the_instance() {
    assert_eq!(USER_AGENT, format!("mcteams/{}", env!("CARGO_PKG_VERSION")));
    let agent = super::user_agent();
    assert!(
        agent.starts_with(&format!("{USER_AGENT} (instance ")),
        "{agent}"
    );
}
