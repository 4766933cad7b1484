//! A failed call's body read through the operation's `<Operation>ErrorBody`: every HSS operation
//! declares the same `4XX` and `5XX` bodies, so each name is an alias of one shared enum, decoded
//! by status, and a body that is not the declared one reads as `None`.

mod support;

use hss_client::models::ErrorResponse;
use hss_client::operations::{
    ErrorResponseByStatus, ListHostStatusErrorBody, RunImageSynchronizeErrorBody,
};
use hss_client::{Credentials, RetryPolicy};
use support::{Expect, Reply, TestServer};

/// The same enum under both operations' names (this does not compile if they differ).
fn shared(body: ListHostStatusErrorBody) -> RunImageSynchronizeErrorBody {
    body
}

#[tokio::test]
async fn error_bodies_decode_by_status() {
    let body = r#"{"error_code":"HSS.1001","error_msg":"bad offset","extra":1}"#;
    let expected = ErrorResponse::new("HSS.1001", "bad offset");
    let cases: [(u16, &str, Option<ErrorResponseByStatus>); 5] = [
        (
            400,
            body,
            Some(ErrorResponseByStatus::Status4xx(expected.clone())),
        ),
        (
            404,
            body,
            Some(ErrorResponseByStatus::Status4xx(expected.clone())),
        ),
        (
            503,
            body,
            Some(ErrorResponseByStatus::Status5xx(expected.clone())),
        ),
        // Not the declared body: the error still holds what arrived, the enum has nothing.
        (400, r#"{"code":"x"}"#, None),
        (500, "<html>busy</html>", None),
    ];
    for (status, text, expected) in cases {
        let server = TestServer::start(
            Expect::permanent("AK", "SK"),
            vec![Reply::json(status, text)],
        )
        .await;
        let client = support::client(&server.url, Credentials::permanent("AK", "SK"))
            .retry_policy(RetryPolicy::never())
            .build()
            .expect("client");
        let error = client
            .list_host_status()
            .send()
            .await
            .expect_err("an error status");
        let decoded = ListHostStatusErrorBody::from_error(&error).map(shared);
        assert_eq!(decoded, expected, "{status} {text}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}
