//! The mock transport through a whole call: capture, scripted answers, scripted failures.

#![allow(deprecated)] // RunImageSynchronize is deprecated upstream and still the operation to call.

use std::time::Duration;

use hss_client::models::{ImageType, RunImageSynchronizeRequestInfo};
use hss_client::test_util::{MockReply, MockTransport};
use hss_client::{Client, Credentials, Error, ErrorKind, RetryCondition, RetryPolicy};

fn client(mock: &MockTransport, retry: RetryPolicy) -> Client {
    Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint("https://hss.example.test")
        .credentials(Credentials::temporary("AK", "SK", "TOKEN"))
        .project_id("p1")
        .retry_policy(retry.backoff(Duration::from_millis(1), Duration::from_millis(2)))
        .max_response_body(64)
        .mock_transport(mock.clone())
        .build()
        .unwrap_or_else(|error| panic!("{error}"))
}

async fn call(
    client: &Client,
) -> Result<hss_client::ApiResponse<hss_client::models::RunImageSynchronizeResponse>, Error> {
    client
        .run_image_synchronize(RunImageSynchronizeRequestInfo::new(ImageType::SharedImage))
        .enterprise_project_id("all_granted_eps")
        .send()
        .await
}

#[tokio::test]
async fn captures_the_signed_request_and_decodes_the_scripted_answer() {
    let mock = MockTransport::new();
    mock.push(
        MockReply::json(200, r#"{"error_code":0,"error_description":"success"}"#)
            .with_header("X-Request-Id", "rid"),
    );
    let response = call(&client(&mock, RetryPolicy::default()))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.body().error_code, Some(0));
    assert_eq!(response.request_id(), Some("rid"));
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(
        sent.url(),
        "https://hss.example.test/v5/p1/image/synchronize?enterprise_project_id=all_granted_eps"
    );
    assert_eq!(sent.header("X-Security-Token"), Some("TOKEN"));
    assert_eq!(sent.header("X-Project-Id"), Some("p1"));
    assert!(
        sent.header("Authorization")
            .is_some_and(|value| value.contains("x-security-token"))
    );
    assert_eq!(sent.body().as_ref(), br#"{"image_type":"shared_image"}"#);
    assert_eq!(mock.remaining(), 0);
}

#[tokio::test]
async fn scripted_failures_have_their_kinds_and_attempt_counts() {
    let everything = RetryPolicy::default()
        .max_attempts(2)
        .retry_on(RetryCondition::ReadTimeout)
        .retry_on(RetryCondition::ConnectionDropped);
    // (script, policy, expected kind of the error, expected attempts)
    let cases = vec![
        (
            vec![MockReply::ConnectFailed, MockReply::ConnectFailed],
            RetryPolicy::default().max_attempts(2),
            ErrorKind::Connect,
            2,
        ),
        (
            vec![MockReply::ConnectTimeout],
            RetryPolicy::never(),
            ErrorKind::Timeout,
            1,
        ),
        (
            vec![MockReply::ReadTimeout],
            RetryPolicy::default(),
            ErrorKind::Timeout,
            1,
        ),
        (
            vec![MockReply::ReadTimeout, MockReply::ReadTimeout],
            everything.clone(),
            ErrorKind::Timeout,
            2,
        ),
        (
            vec![MockReply::ConnectionDropped],
            RetryPolicy::default(),
            ErrorKind::ConnectionDropped,
            1,
        ),
        (
            vec![MockReply::json(500, "{}")],
            RetryPolicy::default(),
            ErrorKind::Service,
            1,
        ),
        (
            vec![MockReply::json(200, "not json")],
            RetryPolicy::default(),
            ErrorKind::Decode,
            1,
        ),
        (
            vec![MockReply::json(200, "x".repeat(65))],
            RetryPolicy::default(),
            ErrorKind::ResponseTooLarge,
            1,
        ),
        (vec![], RetryPolicy::default(), ErrorKind::Transport, 1),
    ];
    for (script, policy, kind, attempts) in cases {
        let mock = MockTransport::new();
        for reply in script.clone() {
            mock.push(reply);
        }
        let error = match call(&client(&mock, policy)).await {
            Ok(response) => panic!("{script:?}: expected an error, got {response:?}"),
            Err(error) => error,
        };
        assert_eq!(error.kind(), kind, "{script:?}: {error}");
        assert_eq!(mock.requests().len(), attempts, "{script:?}");
    }
}

#[tokio::test]
async fn retries_are_new_requests_until_success() {
    let mock = MockTransport::new();
    mock.push(MockReply::json(
        503,
        r#"{"error_code":"APIGW.0308","error_msg":"busy"}"#,
    ));
    mock.push(MockReply::ConnectFailed);
    mock.push(MockReply::json(200, r#"{"error_code":0}"#));
    let response = call(&client(&mock, RetryPolicy::default()))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(mock.requests().len(), 3);
}

#[test]
fn reply_builders() {
    let MockReply::Response {
        status,
        headers,
        body,
    } = MockReply::json(404, "{}")
        .with_header("Retry-After", "1")
        .with_header("bad name", "x")
    else {
        panic!("expected a response");
    };
    assert_eq!(status.as_u16(), 404);
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(headers.len(), 2);
    assert_eq!(body.as_ref(), b"{}");
    assert!(
        matches!(MockReply::status(1000), MockReply::Response { status, .. } if status.as_u16() == 500)
    );
    assert!(matches!(
        MockReply::ConnectFailed.with_body("x"),
        MockReply::ConnectFailed
    ));
}

#[tokio::test]
async fn error_bodies_decode_by_status_from_the_error() {
    use hss_client::operations::RunImageSynchronizeErrorBody;
    let mock = MockTransport::new();
    mock.push(MockReply::json(
        400,
        r#"{"error_code":"HSS.0001","error_msg":"bad image type"}"#,
    ));
    mock.push(MockReply::json(502, "not json"));
    let client = client(&mock, RetryPolicy::never());
    let error = call(&client).await.err();
    let body = error
        .as_ref()
        .and_then(RunImageSynchronizeErrorBody::from_error);
    match body {
        Some(RunImageSynchronizeErrorBody::Status4xx(body)) => {
            assert_eq!(
                (body.error_code.as_str(), body.error_msg.as_str()),
                ("HSS.0001", "bad image type")
            );
        }
        other => panic!("expected a 4XX body, got {other:?}"),
    }
    // The generic service error is parsed as before.
    assert_eq!(error.as_ref().and_then(Error::error_code), Some("HSS.0001"));
    // A body that does not decode as declared is `None`; the raw body stays on the error.
    let error = call(&client).await.err();
    assert_eq!(
        error
            .as_ref()
            .and_then(RunImageSynchronizeErrorBody::from_error),
        None
    );
    assert_eq!(
        error.as_ref().and_then(Error::raw_body).map(|b| b.as_ref()),
        Some(&b"not json"[..])
    );
    // Failures without an answer have no body.
    let timeout = Error::connect("Op", "refused");
    assert_eq!(RunImageSynchronizeErrorBody::from_error(&timeout), None);
}

/// A request as a generated operation with a form or multipart body builds it.
#[tokio::test]
async fn form_and_multipart_bodies_are_sent_and_signed() {
    use hss_client::runtime::__private::{Method, Multipart, OperationRequest};
    let mock = MockTransport::new();
    mock.push(MockReply::status(204));
    mock.push(MockReply::status(204));
    let client = client(&mock, RetryPolicy::never());
    let mut request = OperationRequest::new("PostForm", Method::POST, "/v5/p1/form".to_owned());
    request
        .form_body(&serde_json::json!({"name": "a b", "count": 2}))
        .unwrap_or_else(|error| panic!("{error}"));
    hss_client::runtime::__private::execute(client.as_runtime(), request)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let mut request = OperationRequest::new("PostFile", Method::POST, "/v5/p1/file".to_owned());
    let mut form = Multipart::new();
    form.file("file", &b"\x00\x01"[..]);
    request.multipart_body(form);
    hss_client::runtime::__private::execute(client.as_runtime(), request)
        .await
        .unwrap_or_else(|error| panic!("{error}"));

    let requests = mock.requests();
    assert_eq!(requests[0].body().as_ref(), b"count=2&name=a+b");
    assert_eq!(
        requests[0].header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        requests[1].header("Content-Type"),
        Some("multipart/form-data; boundary=hss-client-boundary-0")
    );
    assert!(requests[1].body().windows(2).any(|w| w == b"\x00\x01"));
    for sent in &requests {
        // The signature covers the body like any other.
        assert!(
            sent.header("Authorization")
                .is_some_and(|value| value.starts_with("SDK-HMAC-SHA256"))
        );
    }
}

/// Cookie parameters arrive as one signed `Cookie` header; deepObject pairs in the query.
#[tokio::test]
async fn cookies_and_deep_object_pairs_are_sent_and_signed() {
    use hss_client::runtime::__private::{Method, OperationRequest};
    let mock = MockTransport::new();
    mock.push(MockReply::status(200));
    let client = client(&mock, RetryPolicy::never());
    let mut request = OperationRequest::new("GetSession", Method::GET, "/v5/p1/s".to_owned());
    request.cookie("session_id", "abc");
    request.cookie("theme", "dark mode");
    request
        .deep_object_query("filter", &serde_json::json!({"os": "linux"}))
        .unwrap_or_else(|error| panic!("{error}"));
    hss_client::runtime::__private::execute(client.as_runtime(), request)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let requests = mock.requests();
    let sent = &requests[0];
    assert_eq!(
        sent.header("Cookie"),
        Some("session_id=abc; theme=dark%20mode")
    );
    assert_eq!(sent.query(), "filter%5Bos%5D=linux");
    assert!(
        sent.header("Authorization")
            .is_some_and(|value| value.contains("SignedHeaders=cookie;host;")),
        "{:?}",
        sent.header("Authorization")
    );
}
