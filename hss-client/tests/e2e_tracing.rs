//! The tracing output of calls: a span per call and per attempt with the operation, attempt,
//! status, request id and elapsed time, and never a secret.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use hss_client::Credentials;
use support::{Expect, Reply, TestServer};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs `calls` with every span and event at every level written into the returned text.
async fn traced<F: std::future::Future<Output = ()>>(calls: F) -> String {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    calls.await;
    captured.text()
}

#[tokio::test]
async fn spans_carry_the_call_and_attempt_fields_and_no_secret() {
    let server = TestServer::start(
        Expect::temporary("AK-VISIBLE", "SECRET-SK-123", "SECRET-TOKEN-456"),
        vec![
            Reply::json(503, r#"{"error_code":"APIGW.0503","error_msg":"busy"}"#)
                .header("X-Request-Id", "rid-first"),
            Reply::json(200, r#"{"error_code":0}"#).header("X-Request-Id", "rid-second"),
        ],
    )
    .await;
    let client = support::client(
        &server.url,
        Credentials::temporary("AK-VISIBLE", "SECRET-SK-123", "SECRET-TOKEN-456"),
    )
    .build()
    .expect("client");
    let output = traced(async {
        support::synchronize(&client)
            .await
            .expect("second attempt succeeds");
    })
    .await;
    server.assert_all_verified();
    for expected in [
        "hss_call",
        "operation_id=\"RunImageSynchronize\"",
        "hss_attempt",
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        "request_id=\"rid-first\"",
        "request_id=\"rid-second\"",
        "elapsed_ms=",
        "attempts=2",
        "retrying",
    ] {
        assert!(
            output.contains(expected),
            "missing {expected:?} in:\n{output}"
        );
    }
    let mut secrets = vec!["SECRET-SK-123".to_owned(), "SECRET-TOKEN-456".to_owned()];
    // The one-time signatures are not secret, but are kept out of the logs all the same.
    for seen in server.seen() {
        secrets.extend(seen.header("authorization").map(str::to_owned));
    }
    for secret in secrets {
        assert!(
            !output.contains(&secret),
            "{secret:?} leaked into:\n{output}"
        );
    }
}

#[tokio::test]
async fn an_iam_token_never_appears_even_on_failure() {
    let server = TestServer::start(
        Expect::Token("SECRET-IAM-789".into()),
        vec![Reply::json(
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#,
        )],
    )
    .await;
    let client = support::client(&server.url, Credentials::iam_token("SECRET-IAM-789"))
        .build()
        .expect("client");
    let mut error_texts = String::new();
    let output = traced(async {
        let error = support::expect_error(support::synchronize(&client).await);
        error_texts = format!("{error} {error:?} {client:?}");
    })
    .await;
    server.assert_all_verified();
    assert!(output.contains("APIGW.0301"), "{output}");
    assert!(!output.contains("SECRET-IAM-789"), "{output}");
    assert!(!error_texts.contains("SECRET-IAM-789"), "{error_texts}");
}
