use super::*;

#[test]
fn endpoints_encode_segments_and_keep_the_prefix() {
    let base = url::Url::parse("http://127.0.0.1:1/micollab").unwrap();
    let url = endpoint(
        System::Micollab,
        &base,
        &["2017-09-01", "profiles", "Contact Center/x"],
        &[("limit", "5")],
    )
    .unwrap();
    assert_eq!(
        url.as_str(),
        "http://127.0.0.1:1/micollab/2017-09-01/profiles/Contact%20Center%2Fx?limit=5"
    );
    let versioned = url::Url::parse("https://x.example/admin/2017-09-01/").unwrap();
    let url = endpoint(System::Cloudlink, &versioned, &["accounts", "a"], &[]).unwrap();
    assert_eq!(
        url.as_str(),
        "https://x.example/admin/2017-09-01/accounts/a"
    );
}

#[test]
fn the_error_shape_gives_reason_message_correlation_and_data() {
    let body = br#"{"name":"Conflict","code":409,"reason":"VersionNotSupported","message":"too old","correlationId":"c-body","data":{"found":"9.8.0.1","required":"9.8.1 (R9.8 SP1)"}}"#;
    let f = failure_from(
        System::Micollab,
        "PATCH",
        "/p",
        409,
        body,
        Some("c-header".into()),
    );
    assert_eq!(f.reason(), Some("VersionNotSupported"));
    assert_eq!(f.error.request_id.as_deref(), Some("c-header"));
    assert_eq!(f.data_text("found").as_deref(), Some("9.8.0.1"));
    let f = failure_from(System::Micollab, "GET", "/p", 500, b"<html>", None);
    assert_eq!(f.reason(), None);
    assert_eq!(f.status(), Some(500));
}

#[test]
fn grants_never_show_their_secret() {
    let grant = MitelGrant::ClientCredentials {
        account_id: "a".into(),
        client_id: "c".into(),
        client_secret: Secret::new("very-secret-value"),
    };
    assert!(!format!("{grant:?}").contains("very-secret"));
}
