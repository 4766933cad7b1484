//! End to end over loopback with injected faults: each failure has its kind, its fields and the
//! number of attempts the retry policy allows.

#![allow(deprecated)] // RunImageSynchronize is deprecated upstream; still the operation under test.

mod support;

use std::time::{Duration, Instant};

use hss_client::runtime::__private::{Method, OperationRequest};
use hss_client::{Credentials, ErrorKind, RetryCondition, RetryPolicy, TimeoutPhase};
use support::{Expect, Reply, TestServer};

const OK: &str = r#"{"error_code":0,"error_description":"success"}"#;

fn creds() -> Credentials {
    Credentials::permanent("AK", "SK")
}

async fn server(script: Vec<Reply>) -> TestServer {
    TestServer::start(Expect::permanent("AK", "SK"), script).await
}

#[tokio::test]
async fn connection_refused_is_a_connect_error_retried_by_default() {
    let url = support::refused_url().await;
    let client = support::client(&url, creds()).build().expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(
        error
            .to_string()
            .starts_with("RunImageSynchronize: could not connect: "),
        "{error}"
    );
}

#[tokio::test]
async fn connection_dropped_before_answering_is_not_retried_by_default() {
    let server = server(vec![Reply::Drop, Reply::json(200, OK)]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::ConnectionDropped, "{error}");
    assert_eq!(server.attempts(), 1);

    // Opted in, the dropped attempt is retried and the second answers.
    let server = TestServer::start(
        Expect::permanent("AK", "SK"),
        vec![Reply::Drop, Reply::json(200, OK)],
    )
    .await;
    let policy = RetryPolicy::default()
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .retry_on(RetryCondition::ConnectionDropped);
    let client = support::client(&server.url, creds())
        .retry_policy(policy)
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("second attempt answers");
    assert_eq!(server.attempts(), 2);
    server.assert_all_verified();
}

#[tokio::test]
async fn an_answer_slower_than_the_read_timeout_times_out() {
    let slow = Reply::Delay(Duration::from_millis(600), Box::new(Reply::json(200, OK)));
    let server = server(vec![slow]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let started = Instant::now();
    let error = support::expect_error(support::synchronize(&client).await);
    assert!(
        started.elapsed() < Duration::from_millis(550),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.timeout_phase(), Some(TimeoutPhase::Read), "{error}");
    assert_eq!(error.timeout_limit(), Some(Duration::from_millis(200)));
    assert_eq!(
        server.attempts(),
        1,
        "a read timeout is not retried by default"
    );
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts() {
    let slow = || Reply::Delay(Duration::from_millis(150), Box::new(Reply::json(503, "{}")));
    let server = server(vec![slow(), slow(), slow()]).await;
    let client = support::client(&server.url, creds())
        .deadline(Duration::from_millis(250))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = support::expect_error(support::synchronize(&client).await);
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        error.timeout_phase(),
        Some(TimeoutPhase::Deadline),
        "{error:?}"
    );
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_then_success() {
    let server = server(vec![
        Reply::json(
            429,
            r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#,
        )
        .header("Retry-After", "0"),
        Reply::json(200, OK),
    ])
    .await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let response = support::synchronize(&client)
        .await
        .expect("second attempt succeeds");
    assert_eq!(response.body().error_code, Some(0));
    assert_eq!(server.attempts(), 2);
    server.assert_all_verified();
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_returns_the_429_at_once() {
    let server = server(vec![
        Reply::json(
            429,
            r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#,
        )
        .header("Retry-After", "30"),
    ])
    .await;
    let client = support::client(&server.url, creds())
        .deadline(Duration::from_secs(5))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = support::expect_error(support::synchronize(&client).await);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.error_code(), Some("APIGW.0308"));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn service_unavailable_twice_then_success_with_fresh_signatures() {
    let unavailable = || Reply::json(503, r#"{"error_code":"APIGW.0503","error_msg":"busy"}"#);
    let server = server(vec![unavailable(), unavailable(), Reply::json(200, OK)]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("third attempt succeeds");
    assert_eq!(server.attempts(), 3);
    server.assert_all_verified();

    // A fourth would be past the default of three attempts.
    let server = TestServer::start(
        Expect::permanent("AK", "SK"),
        vec![
            unavailable(),
            unavailable(),
            unavailable(),
            Reply::json(200, OK),
        ],
    )
    .await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn internal_server_error_is_not_retried_by_default() {
    let fail = || {
        Reply::json(500, r#"{"error_code":"HSS.0500","error_msg":"internal"}"#)
            .header("X-Request-Id", "rid-500")
    };
    let server = server(vec![fail(), Reply::json(200, OK)]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Service);
    assert!(
        error.is_retryable(),
        "transient in nature, yet not retried for a POST by default"
    );
    assert_eq!(error.request_id(), Some("rid-500"));
    assert_eq!(server.attempts(), 1);

    let server = TestServer::start(
        Expect::permanent("AK", "SK"),
        vec![fail(), Reply::json(200, OK)],
    )
    .await;
    let policy = RetryPolicy::default()
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .retry_on(RetryCondition::ServerError);
    let client = support::client(&server.url, creds())
        .retry_policy(policy)
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("retried when opted in");
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn a_non_json_success_body_is_a_decode_error_keeping_the_answer() {
    let server = server(vec![
        Reply::json(200, "<html>ok</html>").header("X-Request-Id", "rid-html"),
    ])
    .await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("rid-html"));
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&b"<html>ok</html>"[..])
    );
    assert_eq!(server.attempts(), 1);

    // A non-numeric error_code in a 200 body is a typed decode error too.
    let server = TestServer::start(
        Expect::permanent("AK", "SK"),
        vec![Reply::json(200, r#"{"error_code":"zero"}"#)],
    )
    .await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    assert_eq!(
        support::expect_error(support::synchronize(&client).await).kind(),
        ErrorKind::Decode
    );
}

#[tokio::test]
async fn each_error_body_shape_gives_status_request_id_code_and_message() {
    // (status, body, error code, error message, encoded authorization message)
    let cases: &[(u16, &str, &str, &str, Option<&str>)] = &[
        (
            400,
            r#"{"error_code":"HSS.0001","error_msg":"bad request"}"#,
            "HSS.0001",
            "bad request",
            None,
        ),
        (
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#,
            "APIGW.0301",
            "Incorrect IAM authentication information",
            None,
        ),
        (
            403,
            r#"{"errorCode":"HSS.0003","errorMsg":"camel case"}"#,
            "HSS.0003",
            "camel case",
            None,
        ),
        (
            404,
            r#"{"code":"HSS.0004","message":"plain"}"#,
            "HSS.0004",
            "plain",
            None,
        ),
        (
            409,
            r#"{"error":{"code":"HSS.0009","message":"nested"}}"#,
            "HSS.0009",
            "nested",
            None,
        ),
        (
            403,
            r#"{"error_code":"IAM.0002","error_msg":"denied","encoded_authorization_message":"ENC"}"#,
            "IAM.0002",
            "denied",
            Some("ENC"),
        ),
        (502, "Bad Gateway", "502", "Bad Gateway", None),
        (
            400,
            r#"{"unexpected":1}"#,
            "400",
            r#"{"unexpected":1}"#,
            None,
        ),
    ];
    for (status, body, code, message, encoded) in cases {
        let server = server(vec![
            Reply::json(*status, body).header("X-Request-Id", "rid-err"),
        ])
        .await;
        let client = support::client(&server.url, creds())
            .build()
            .expect("client");
        let error = support::expect_error(support::synchronize(&client).await);
        assert_eq!(error.kind(), ErrorKind::Service, "{body}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(*status), "{body}");
        assert_eq!(error.request_id(), Some("rid-err"), "{body}");
        assert_eq!(error.error_code(), Some(*code), "{body}");
        assert_eq!(error.error_message(), Some(*message), "{body}");
        let service = error.as_service().expect("service error");
        assert_eq!(service.encoded_authorization_message(), *encoded, "{body}");
        let text = error.to_string();
        for part in [status.to_string().as_str(), "rid-err", code, message] {
            assert!(text.contains(part), "{text:?} lacks {part:?}");
        }
        assert_eq!(server.attempts(), 1);
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let big = format!(
        r#"{{"error_code":0,"error_description":"{}"}}"#,
        "x".repeat(2048)
    );
    let cases = [
        (
            "declared length",
            Reply::json(200, &big).header("X-Request-Id", "rid-big"),
        ),
        (
            "read until close",
            Reply::RespondUntilClose {
                status: 200,
                body: big.clone().into_bytes(),
            },
        ),
    ];
    for (name, reply) in cases {
        let server = server(vec![reply]).await;
        let client = support::client(&server.url, creds())
            .max_response_body(1024)
            .build()
            .expect("client");
        let error = support::expect_error(support::synchronize(&client).await);
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{name}: {error}");
        assert!(
            error
                .to_string()
                .contains("exceeds the limit of 1024 bytes"),
            "{name}: {error}"
        );
        assert_eq!(server.attempts(), 1);
    }
    // At the limit is fine.
    let server = server(vec![Reply::json(200, &big)]).await;
    let client = support::client(&server.url, creds())
        .max_response_body(big.len())
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("a body of exactly the limit");
}

#[tokio::test]
async fn unknown_fields_and_enum_values_in_a_response_decode() {
    let server = server(vec![Reply::json(
        200,
        r#"{"error_code":0,"error_description":"ok","added_later":{"x":[1,2]}}"#,
    )])
    .await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let response = support::synchronize(&client)
        .await
        .expect("unknown fields are ignored");
    assert_eq!(response.body().error_description.as_deref(), Some("ok"));

    // The only enum of the API is ImageType; a value this client does not know is kept.
    let server = TestServer::start(
        Expect::permanent("AK", "SK"),
        vec![Reply::json(
            200,
            r#"{"image_type":"future_image","extra":true}"#,
        )],
    )
    .await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let mut request = OperationRequest::new(
        "EchoImageType",
        Method::POST,
        "/v5/project-1/image/synchronize".to_owned(),
    );
    request.client_param("project_id", "project-1");
    request
        .json_body(&serde_json::json!({"image_type": "private_image"}))
        .expect("body");
    let raw = hss_client::runtime::__private::execute(client.as_runtime(), request)
        .await
        .expect("answer");
    let decoded = raw
        .json::<hss_client::models::RunImageSynchronizeRequestInfo>()
        .expect("decodes");
    assert_eq!(
        decoded.body().image_type,
        hss_client::models::ImageType::Unknown("future_image".into())
    );
    server.assert_all_verified();
}

#[tokio::test]
async fn extreme_settings_and_retry_after_values_neither_panic_nor_hang() {
    let throttled = |retry_after: &str| {
        Reply::json(
            429,
            r#"{"error_code":"APIGW.0308","error_msg":"throttled"}"#,
        )
        .header("Retry-After", retry_after)
    };
    // Every limit at its largest ("no limit"), and a deadline that a huge wait would pass.
    let extreme = |url: &str, deadline: Duration| {
        support::client(url, creds())
            .connect_timeout(Duration::MAX)
            .read_timeout(Duration::MAX)
            .max_response_body(usize::MAX)
            .deadline(deadline)
            .retry_policy(
                RetryPolicy::default()
                    .backoff(Duration::MAX, Duration::MAX)
                    .max_retry_after(Duration::MAX),
            )
            .build()
            .expect("client")
    };
    for retry_after in [
        "18446744073709551615",
        "99999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = server(vec![throttled(retry_after)]).await;
        let client = extreme(&server.url, Duration::from_secs(30));
        let error = support::expect_error(support::synchronize(&client).await);
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(429),
            "{retry_after}"
        );
        assert_eq!(server.attempts(), 1, "{retry_after}");
    }
    // A 503 with a backoff of Duration::MAX: longer than any deadline, so it ends the call.
    let unavailable = server(vec![Reply::json(503, "{}"), Reply::json(200, OK)]).await;
    let client = extreme(&unavailable.url, Duration::from_secs(30));
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    // And with every limit at its largest, a call that is answered succeeds.
    let answering = server(vec![Reply::json(200, OK)]).await;
    let client = extreme(&answering.url, Duration::MAX);
    support::synchronize(&client).await.expect("answered");
    answering.assert_all_verified();
}

#[tokio::test]
async fn every_redirect_is_an_error_naming_status_and_location() {
    for status in [300, 301, 302, 303, 304, 305, 307, 308] {
        for body in [OK, ""] {
            let reply = Reply::json(status, body)
                .header("Location", "https://elsewhere.example/v5/x")
                .header("X-Request-Id", "rid-3xx");
            let server = server(vec![reply, Reply::json(200, OK)]).await;
            let client = support::client(&server.url, creds())
                .build()
                .expect("client");
            let error = support::expect_error(support::synchronize(&client).await);
            assert_eq!(
                error.kind(),
                ErrorKind::UnexpectedStatus,
                "{status}: {error}"
            );
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(error.request_id(), Some("rid-3xx"));
            assert!(!error.is_retryable());
            assert_eq!(
                error.to_string(),
                format!(
                    "RunImageSynchronize: status {status}, request id rid-3xx: redirected to https://elsewhere.example/v5/x (redirects are not followed)"
                )
            );
            assert_eq!(server.attempts(), 1, "{status}: never followed nor retried");
        }
    }
}

#[tokio::test]
async fn a_stalled_tls_handshake_is_a_connect_timeout_retried_as_connect_failures_are() {
    let url = support::silent_url().await;
    let client = support::client(&url, creds())
        .connect_timeout(Duration::from_millis(300))
        .read_timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(
        error.timeout_phase(),
        Some(TimeoutPhase::Connect),
        "{error}"
    );
    assert_eq!(error.timeout_limit(), Some(Duration::from_millis(300)));
    assert!(error.is_retryable());
    assert!(RetryPolicy::default().retries_on(RetryCondition::ConnectFailed));
    let retry = RetryPolicy::default().decide(1, &error, std::time::SystemTime::now(), 0);
    assert!(
        matches!(retry, hss_client::runtime::RetryDecision::RetryAfter(_)),
        "{retry:?}"
    );
}

#[tokio::test]
async fn malformed_answers_are_protocol_errors_not_retried() {
    let many_headers: String = (0..101).map(|n| format!("X-H{n}: v\r\n")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "bad status",
            b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n".to_vec(),
        ),
        ("not http", b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()),
        (
            "over 100 headers",
            format!("HTTP/1.1 200 OK\r\n{many_headers}Content-Length: 0\r\n\r\n").into_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        let server = server(vec![Reply::Raw(bytes), Reply::json(200, OK)]).await;
        let policy = RetryPolicy::default()
            .backoff(Duration::from_millis(1), Duration::from_millis(2))
            .retry_on(RetryCondition::ConnectionDropped)
            .retry_on(RetryCondition::ServerError);
        let client = support::client(&server.url, creds())
            .retry_policy(policy)
            .build()
            .expect("client");
        let error = support::expect_error(support::synchronize(&client).await);
        assert_eq!(error.kind(), ErrorKind::Protocol, "{name}: {error}");
        assert!(!error.is_retryable(), "{name}");
        assert!(
            error
                .to_string()
                .starts_with("RunImageSynchronize: the answer is not valid HTTP: "),
            "{name}: {error}"
        );
        assert_eq!(server.attempts(), 1, "{name}");
    }
}

#[tokio::test]
async fn an_oversized_503_keeps_its_status_request_id_and_retryability() {
    let big = "x".repeat(4096);
    let unavailable = || Reply::json(503, &big).header("X-Request-Id", "rid-503");
    let server = server(vec![unavailable(), unavailable(), Reply::json(200, OK)]).await;
    let client = support::client(&server.url, creds())
        .max_response_body(1024)
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("retried as any 503 is, then answered");
    assert_eq!(server.attempts(), 3);

    let server = TestServer::start(Expect::permanent("AK", "SK"), vec![unavailable()]).await;
    let client = support::client(&server.url, creds())
        .max_response_body(1024)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.request_id(), Some("rid-503"));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_request_id_that_is_not_utf8_is_kept_lossily() {
    let body = OK.as_bytes();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: ",
        body.len()
    );
    let raw = [head.as_bytes(), b"rid-\xff\xfe", b"\r\n\r\n", body].concat();
    let answering = server(vec![Reply::Raw(raw)]).await;
    let client = support::client(&answering.url, creds())
        .build()
        .expect("client");
    let response = support::synchronize(&client).await.expect("answered");
    assert_eq!(response.request_id(), Some("rid-\u{fffd}\u{fffd}"));

    let raw = [
        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\nX-Request-Id: caf\xc3\xa9\r\n\r\n{}"
            .as_slice(),
    ]
    .concat();
    let refusing = server(vec![Reply::Raw(raw)]).await;
    let client = support::client(&refusing.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.request_id(), Some("caf\u{e9}"));
    assert!(
        error.to_string().contains("request id caf\u{e9}"),
        "{error}"
    );
}

#[tokio::test]
async fn an_encoded_body_names_its_content_encoding() {
    let gzip = Reply::Respond {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Content-Encoding".into(), "gzip".into()),
            ("X-Request-Id".into(), "rid-gz".into()),
        ],
        body: vec![0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00],
    };
    let server = server(vec![gzip]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.request_id(), Some("rid-gz"));
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "RunImageSynchronize: status 200, request id rid-gz: could not decode the response body: the body is encoded with \"gzip\" (Content-Encoding), which the client does not decode"
    );
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_a_read_timeout() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"error_code\":";
    let server = server(vec![Reply::Stall(head.to_vec(), Duration::from_secs(5))]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.timeout_phase(), Some(TimeoutPhase::Read), "{error}");
    assert_eq!(error.timeout_limit(), Some(Duration::from_millis(200)));
    assert_eq!(
        server.attempts(),
        1,
        "a read timeout is not retried by default"
    );
}

#[tokio::test]
async fn a_body_arriving_slowly_in_time_is_read_whole() {
    // Each part within the read timeout (200 ms), the whole well past it: the timeout is the
    // wait between parts, not the time the body takes.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: rid-slow\r\n";
    let parts: Vec<Vec<u8>> = [
        format!("{head}Content-Length: {}\r\n\r\n", OK.len()).as_str(),
        &OK[..10],
        &OK[10..20],
        &OK[20..30],
        &OK[30..],
    ]
    .iter()
    .map(|part| part.as_bytes().to_vec())
    .collect();
    let server = server(vec![Reply::Trickle(parts, Duration::from_millis(120))]).await;
    let client = support::client(&server.url, creds())
        .build()
        .expect("client");
    let started = Instant::now();
    let response = support::synchronize(&client).await.expect("read whole");
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        response.body().error_description.as_deref(),
        Some("success")
    );
    assert_eq!(response.request_id(), Some("rid-slow"));
}

#[tokio::test]
async fn the_environment_proxy_is_used_as_told_and_never_for_this_machine() {
    // Anything sent to the "proxy" is answered by its script; the host behind it never resolves.
    let proxy = server(vec![Reply::json(200, OK), Reply::json(200, OK)]).await;
    let service = server(vec![Reply::json(200, OK)]).await;
    let with_env = |endpoint: &str, pairs: &[(&str, &str)]| {
        support::client(endpoint, creds())
            .env_lookup(support::env(pairs))
            .retry_policy(RetryPolicy::never())
            .build()
            .expect("client")
    };
    let remote = "http://hss.example.invalid";
    // (endpoint, environment, requests the proxy gets, whether the call succeeds)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], usize, bool);
    let cases: [Case<'_>; 5] = [
        (remote, &[("HTTP_PROXY", &proxy.url)], 1, true),
        (remote, &[("all_proxy", &proxy.url)], 1, true),
        // Only HTTPS_PROXY: an http:// request goes direct (and the host does not resolve).
        (remote, &[("HTTPS_PROXY", &proxy.url)], 0, false),
        (
            remote,
            &[("HTTP_PROXY", &proxy.url), ("NO_PROXY", ".example.invalid")],
            0,
            false,
        ),
        // This machine is never reached through a proxy.
        (&service.url, &[("HTTP_PROXY", &proxy.url)], 0, true),
    ];
    for (endpoint, pairs, proxied, succeeds) in cases {
        let before = proxy.attempts();
        let outcome = support::synchronize(&with_env(endpoint, pairs)).await;
        assert_eq!(proxy.attempts() - before, proxied, "{endpoint} {pairs:?}");
        assert_eq!(
            outcome.is_ok(),
            succeeds,
            "{endpoint} {pairs:?}: {outcome:?}"
        );
    }
    let through = proxy.seen();
    assert!(
        through
            .iter()
            .all(|seen| seen.path.starts_with("http://hss.example.invalid/v5/")),
        "{:?}",
        through.iter().map(|seen| &seen.path).collect::<Vec<_>>()
    );
    assert_eq!(service.attempts(), 1);

    let error = support::client(&service.url, creds())
        .env_lookup(support::env(&[("HTTPS_PROXY", "http://bad host")]))
        .build()
        .map(|_| ())
        .expect_err("a proxy variable that is not a URL");
    assert_eq!(
        error.to_string(),
        "invalid HTTPS_PROXY: is not a valid proxy URL"
    );
}

#[tokio::test]
async fn a_proxy_is_not_used_for_this_machine_or_its_link() {
    // Anything sent to the "proxy" would be answered by its exhausted script (status 599).
    let proxy = server(vec![]).await;
    let service = server(vec![Reply::json(200, OK)]).await;
    let client = support::client(&service.url, creds())
        .proxy(proxy.url.clone())
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("the loopback service is reached directly");
    assert_eq!(proxy.attempts(), 0);
    assert_eq!(service.attempts(), 1);
    service.assert_all_verified();
}

/// CPU time this thread has run, from `/proc/thread-self/schedstat` (Linux); `None` elsewhere.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

#[tokio::test]
async fn waiting_for_a_slow_connection_past_the_read_timeout_does_not_spin() {
    // The read timeout counts from when the attempt has its connection; while connecting takes
    // longer than it, the wait must sleep, not poll again at once until the connect timeout.
    let url = support::silent_url().await;
    let client = support::client(&url, creds())
        .connect_timeout(Duration::from_millis(600))
        .read_timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let Some(cpu_before) = thread_cpu_time() else {
        return; // Not Linux: no per-thread CPU time to read.
    };
    let started = Instant::now();
    let error = support::expect_error(support::synchronize(&client).await);
    let waited = started.elapsed();
    let cpu = thread_cpu_time()
        .unwrap_or_default()
        .saturating_sub(cpu_before);
    assert_eq!(
        error.timeout_phase(),
        Some(TimeoutPhase::Connect),
        "{error}"
    );
    assert!(waited >= Duration::from_millis(550), "{waited:?}");
    assert!(
        cpu < Duration::from_millis(200),
        "{cpu:?} of CPU over a {waited:?} wait: the wait spun"
    );
}
