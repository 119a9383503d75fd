//! Odd answers from a Mitel server (wiremock): paging links that leave the server or loop,
//! malformed JSON, the error shape with its correlation id, a bulk answer missing a result.

use mcteams::config::Secret;
use mcteams::connectors::cloudlink::{
    CloudlinkClient, CloudlinkDirectory, PresentityUpdate, PresentityWriteError,
};
use mcteams::connectors::micollab::{MicollabAdmin, MicollabClient};
use mcteams::connectors::mitel::{MitelGrant, MitelSettings};
use mcteams::exit::{ExitCode, ExitStatus};
use mcteams::http::{HttpErrorKind, System};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "pw-that-must-never-appear";

async fn server_with_token() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/micollab/2017-09-01/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "bearer", "expires_in": 3600,
            "access_token": "at-1", "refresh_token": "rt-1"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cl/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "bearer", "expires_in": 3600, "access_token": "at-2"
        })))
        .mount(&server)
        .await;
    server
}

fn micollab(server: &MockServer) -> MicollabClient {
    let base = url::Url::parse(&format!("{}/micollab", server.uri())).unwrap();
    let token = url::Url::parse(&format!("{}/micollab/2017-09-01/token", server.uri())).unwrap();
    let mut settings = MitelSettings::new(
        System::Micollab,
        token,
        MitelGrant::Password {
            username: "admin".into(),
            password: Secret::new(PASSWORD),
        },
    );
    settings.retry.max_attempts = 1;
    MicollabClient::new(settings, base).unwrap()
}

fn cloudlink(server: &MockServer) -> CloudlinkClient {
    let url = |p: &str| url::Url::parse(&format!("{}{p}", server.uri())).unwrap();
    let settings = MitelSettings::new(
        System::Cloudlink,
        url("/cl/auth/token"),
        MitelGrant::ClientCredentials {
            account_id: "acct".into(),
            client_id: "client".into(),
            client_secret: Secret::new(PASSWORD),
        },
    );
    CloudlinkClient::new(
        settings,
        url("/cl/admin"),
        url("/cl/presence"),
        "acct".into(),
    )
    .unwrap()
}

fn page(items: serde_json::Value, next: Option<String>) -> serde_json::Value {
    let mut links = json!({"self": {"href": "x"}});
    if let Some(next) = next {
        links["next"] = json!({"href": next});
    }
    json!({"count": 1, "_links": links, "_embedded": {"items": items}})
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            json!([{"login": "a"}]),
            Some("https://evil.example/micollab/2017-09-01/users?next=c1".into()),
        )))
        .mount(&server)
        .await;
    let error = micollab(&server).users(None).await.unwrap_err();
    assert!(
        matches!(error.http().kind, HttpErrorKind::InsecureUrl(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("evil.example"));
}

#[tokio::test]
async fn a_next_link_that_loops_is_refused_and_a_relative_one_followed() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/users"))
        .and(query_param("next", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            json!([{"login": "b"}]),
            Some("/micollab/2017-09-01/users?limit=1000&next=c2".into()),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            json!([{"login": "a"}]),
            Some("/micollab/2017-09-01/users?limit=1000&next=c2".into()),
        )))
        .mount(&server)
        .await;
    let error = micollab(&server).users(None).await.unwrap_err();
    assert!(
        matches!(&error.http().kind, HttpErrorKind::Decode(d) if d.contains("repeats")),
        "{error:?}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_clear_error_not_a_panic() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/system"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"version\": 9.8"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/profiles"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 0})))
        .mount(&server)
        .await;
    let client = micollab(&server);
    let error = client.system().await.unwrap_err();
    assert!(
        matches!(error.http().kind, HttpErrorKind::Decode(_)),
        "{error:?}"
    );
    assert_eq!(error.exit_status(), ExitStatus::Failure);
    // A list without its items is malformed, never "no profiles".
    let error = client.profiles().await.unwrap_err();
    assert!(
        matches!(error.http().kind, HttpErrorKind::Decode(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_error_shape_gives_reason_and_correlation_id() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/users/jdoe"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-mitel-correlation-id", "corr-123")
                .set_body_json(json!({
                    "name": "NotFound", "code": 404, "reason": "UserNotFound",
                    "message": "No MiCollab user with login \"jdoe\".", "correlationId": "corr-123"
                })),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/micollab/2017-09-01/profiles/Sales"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-mitel-correlation-id", "corr-500")
                .set_body_string("<html>proxy error</html>"),
        )
        .mount(&server)
        .await;
    let client = micollab(&server);
    let error = client.user("jdoe").await.unwrap_err();
    assert!(error.is_not_found());
    let http = error.http();
    assert_eq!(http.code.as_deref(), Some("UserNotFound"));
    assert_eq!(http.status, Some(404));
    assert_eq!(http.request_id.as_deref(), Some("corr-123"));
    assert!(error.to_string().contains("corr-123"), "{error}");
    // Not the documented shape: still an error with the status and correlation id.
    let error = client.profile("Sales").await.unwrap_err();
    assert_eq!(error.http().status, Some(500));
    assert_eq!(error.http().request_id.as_deref(), Some("corr-500"));
    assert!(!format!("{error:?}").contains(PASSWORD));
}

#[tokio::test]
async fn a_bulk_answer_missing_an_operation_fails_only_that_one() {
    let server = server_with_token().await;
    Mock::given(method("PATCH"))
        .and(path("/cl/presence/presentities"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"operations": [
            {"id": "p-2", "op": "replace", "status": 200, "body": {"principalId": "p-2", "status": "Busy", "version": 8, "source": "mcteams"}}
        ]})))
        .mount(&server)
        .await;
    let update = |id: &str| PresentityUpdate {
        principal_id: id.into(),
        status: "Busy".into(),
        activity: None,
        expected_version: 7,
    };
    let results = cloudlink(&server)
        .write_presentities(&[update("p-1"), update("p-2")])
        .await;
    assert!(
        matches!(&results[0], Err(PresentityWriteError::Failed(e)) if matches!(e.kind, HttpErrorKind::Decode(_)))
    );
    assert_eq!(results[1].as_ref().unwrap().version, 8);
    // What was sent: the version read and mcteams as the writer.
    let sent = server.received_requests().await.unwrap();
    let patch = sent.iter().find(|r| r.method.as_str() == "PATCH").unwrap();
    let body: serde_json::Value = serde_json::from_slice(&patch.body).unwrap();
    assert_eq!(body["operations"][0]["body"]["version"], 7);
    assert_eq!(body["operations"][0]["body"]["source"], "mcteams");
    assert_eq!(body["operations"][0]["op"], "replace");
    // The token request was the documented one.
    let token = sent
        .iter()
        .find(|r| r.url.path() == "/cl/auth/token")
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&token.body).unwrap();
    assert_eq!(body["grant_type"], "client_credentials");
    assert_eq!(body["account_id"], "acct");
}
