//! Kinds, accessors and one-line texts of [`Error`].

use super::*;

fn service(status: u16, body: &str) -> Error {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", http::HeaderValue::from_static("rid-9"));
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Error::service("Op", parse_service_error(status, &headers, body.as_bytes()))
}

fn all_kinds() -> Vec<(Error, ErrorKind, bool)> {
    vec![
        (
            Error::from(Repr::Connect {
                operation_id: "Op",
                message: "refused".into(),
            }),
            ErrorKind::Connect,
            true,
        ),
        (
            Error::from(Repr::Timeout {
                operation_id: "Op",
                phase: TimeoutPhase::Read,
                limit: Duration::from_millis(200),
            }),
            ErrorKind::Timeout,
            true,
        ),
        (
            Error::from(Repr::ConnectionDropped {
                operation_id: "Op",
                message: "reset".into(),
            }),
            ErrorKind::ConnectionDropped,
            true,
        ),
        (service(429, "{}"), ErrorKind::Service, true),
        (service(500, "{}"), ErrorKind::Service, true),
        (service(502, "{}"), ErrorKind::Service, true),
        (service(503, "{}"), ErrorKind::Service, true),
        (service(504, "{}"), ErrorKind::Service, true),
        (service(400, "{}"), ErrorKind::Service, false),
        (service(403, "{}"), ErrorKind::Service, false),
        (service(501, "{}"), ErrorKind::Service, false),
        (
            Error::decode(
                "Op",
                StatusCode::OK,
                HeaderMap::new(),
                Bytes::from_static(b"x"),
                "expected value".into(),
            ),
            ErrorKind::Decode,
            false,
        ),
        (
            Error::too_large("Op", StatusCode::OK, HeaderMap::new(), 10),
            ErrorKind::ResponseTooLarge,
            false,
        ),
        (
            Error::too_large("Op", StatusCode::SERVICE_UNAVAILABLE, HeaderMap::new(), 10),
            ErrorKind::ResponseTooLarge,
            true,
        ),
        (
            Error::from(Repr::Protocol {
                operation_id: "Op",
                message: "invalid HTTP status-code parsed".into(),
            }),
            ErrorKind::Protocol,
            false,
        ),
        (
            Error::unexpected_status(
                "Op",
                StatusCode::TEMPORARY_REDIRECT,
                HeaderMap::new(),
                Bytes::new(),
            ),
            ErrorKind::UnexpectedStatus,
            false,
        ),
        (
            Error::setting("proxy", "is not a URL"),
            ErrorKind::InvalidConfig,
            false,
        ),
        (
            Error::invalid_argument("project_id", "is empty"),
            ErrorKind::InvalidArgument,
            false,
        ),
        (
            Error::from(Repr::Transport {
                operation_id: "Op",
                message: "bad".into(),
            }),
            ErrorKind::Transport,
            false,
        ),
    ]
}

#[test]
fn each_variant_has_its_kind_and_retryability() {
    for (error, kind, retryable) in all_kinds() {
        assert_eq!(error.kind(), kind, "{error}");
        assert_eq!(error.is_retryable(), retryable, "{error}");
    }
}

#[test]
fn display_is_one_lower_case_line_without_trailing_period() {
    for (error, _, _) in all_kinds() {
        let text = error.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(!text.ends_with('.'), "{text}");
    }
}

#[test]
fn service_error_accessors_and_text() {
    let error = service(403, r#"{"error_code":"HSS.0001","error_msg":"denied"}"#);
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(error.request_id(), Some("rid-9"));
    assert_eq!(error.error_code(), Some("HSS.0001"));
    assert_eq!(error.error_message(), Some("denied"));
    assert_eq!(error.operation_id(), Some("Op"));
    assert_eq!(
        error.to_string(),
        "Op: status 403, request id rid-9, error code HSS.0001, error message denied"
    );
}

#[test]
fn decode_error_keeps_status_request_id_and_raw_body() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", http::HeaderValue::from_static("rid-2"));
    let error = Error::decode(
        "Op",
        StatusCode::OK,
        headers,
        Bytes::from_static(b"not json"),
        "expected value".into(),
    );
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert_eq!(error.request_id(), Some("rid-2"));
    assert_eq!(error.raw_body().map(|b| b.as_ref()), Some(&b"not json"[..]));
    assert_eq!(error.error_code(), None);
    assert_eq!(
        error.to_string(),
        "Op: status 200, request id rid-2: could not decode the response body: expected value"
    );
}

#[test]
fn texts_of_the_other_kinds() {
    let cases: Vec<(Error, &str)> = vec![
        (
            Error::from(Repr::Connect {
                operation_id: "Op",
                message: "refused".into(),
            }),
            "Op: could not connect: refused",
        ),
        (
            Error::from(Repr::Timeout {
                operation_id: "Op",
                phase: TimeoutPhase::Deadline,
                limit: Duration::from_secs(2),
            }),
            "Op: timed out (call deadline 2s)",
        ),
        (
            Error::too_large(
                "Op",
                StatusCode::OK,
                HeaderMap::from_iter([(
                    http::header::HeaderName::from_static("x-request-id"),
                    http::HeaderValue::from_static("r"),
                )]),
                10,
            ),
            "Op: status 200, request id r: the response body exceeds the limit of 10 bytes",
        ),
        (
            Error::from(Repr::Protocol {
                operation_id: "Op",
                message: "invalid HTTP status-code parsed".into(),
            }),
            "Op: the answer is not valid HTTP: invalid HTTP status-code parsed",
        ),
        (
            Error::setting("proxy", "is not a URL"),
            "invalid proxy: is not a URL",
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn an_unexpected_status_names_the_status_and_the_location() {
    let headers = |pairs: &[(&'static str, &'static [u8])]| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                *name,
                http::HeaderValue::from_bytes(value).unwrap_or_else(|e| panic!("{e}")),
            );
        }
        map
    };
    let cases: Vec<(u16, HeaderMap, Option<&str>, &str)> = vec![
        (
            301,
            headers(&[
                ("location", b"https://elsewhere.test/v5"),
                ("x-request-id", b"r1"),
            ]),
            Some("https://elsewhere.test/v5"),
            "Op: status 301, request id r1: redirected to https://elsewhere.test/v5 (redirects are not followed)",
        ),
        (
            308,
            headers(&[("location", b" /other\tpath ")]),
            Some("/other path"),
            "Op: status 308, request id -: redirected to /other path (redirects are not followed)",
        ),
        (
            304,
            HeaderMap::new(),
            None,
            "Op: status 304, request id -: redirected without a location (redirects are not followed)",
        ),
        (
            101,
            headers(&[("location", b"")]),
            None,
            "Op: status 101, request id -: not a success status: the operation's outcome is unknown",
        ),
    ];
    for (status, headers, location, text) in cases {
        let status = StatusCode::from_u16(status).unwrap_or_else(|e| panic!("{e}"));
        let error = Error::unexpected_status("Op", status, headers, Bytes::from_static(b"{}"));
        assert_eq!(error.kind(), ErrorKind::UnexpectedStatus);
        assert_eq!(error.status(), Some(status));
        assert!(!error.is_retryable());
        assert_eq!(error.raw_body().map(|b| b.as_ref()), Some(&b"{}"[..]));
        match error.repr() {
            Repr::UnexpectedStatus { location: got, .. } => assert_eq!(got.as_deref(), location),
            other => panic!("{other:?}"),
        }
        assert_eq!(error.to_string(), text);
    }
}

/// What a user's sender returns: each public constructor gives its kind, the operation, the
/// retryability the retry policy reads, and the details through the accessors.
#[test]
fn public_constructors_give_their_kinds() {
    let limit = Duration::from_millis(5);
    #[rustfmt::skip]
    let cases = [
        (Error::connect("Op", "refused"), ErrorKind::Connect, true, "Op: could not connect: refused"),
        (Error::timeout("Op", TimeoutPhase::Read, limit), ErrorKind::Timeout, true, "Op: timed out waiting for the response (read timeout 5ms)"),
        (Error::connection_dropped("Op", "reset"), ErrorKind::ConnectionDropped, true, "Op: the connection was dropped before the response was complete: reset"),
        (Error::protocol("Op", "bad status line"), ErrorKind::Protocol, false, "Op: the answer is not valid HTTP: bad status line"),
        (Error::transport("Op", "other"), ErrorKind::Transport, false, "Op: transport error: other"),
    ];
    for (error, kind, retryable, text) in cases {
        assert_eq!(error.kind(), kind, "{error}");
        assert_eq!(error.is_retryable(), retryable, "{error}");
        assert_eq!(error.operation_id(), Some("Op"));
        assert_eq!(error.to_string(), text);
        assert_eq!(error.status(), None);
    }
    let timeout = Error::timeout("Op", TimeoutPhase::Connect, limit);
    assert_eq!(timeout.timeout_phase(), Some(TimeoutPhase::Connect));
    assert_eq!(timeout.timeout_limit(), Some(limit));
    // One pointer: a `Result<T, Error>` is small to move.
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
}
