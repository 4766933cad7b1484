//! IAM's answers to the lookup, hostile ones included: one project id or a clear error, never a
//! panic.

use http::HeaderValue;

use super::*;
use crate::error::ErrorKind;

fn headers(trace: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(trace) = trace {
        headers.insert(
            TRACE_ID_HEADER,
            HeaderValue::from_str(trace).expect("a header value"),
        );
    }
    headers
}

#[test]
fn answers_give_one_id_or_say_why_not() {
    // (case, body, Ok(id) or Err((kind, text the message holds)))
    type Expected = Result<&'static str, (ErrorKind, &'static str)>;
    let cases: &[(&str, &str, Expected)] = &[
        (
            "one project",
            r#"{"projects":[{"id":"0123abcd","name":"cn-north-4","domain_id":"d"}],"links":{}}"#,
            Ok("0123abcd"),
        ),
        (
            "unknown fields around",
            r#"{"x":[1,2],"projects":[{"is_domain":false,"id":"p-1","extra":{"a":null}}]}"#,
            Ok("p-1"),
        ),
        (
            "no project",
            r#"{"projects":[]}"#,
            Err((
                ErrorKind::InvalidConfig,
                "no project found through IAM for region \"cn-north-4\" (X-IAM-Trace-Id trace-1)",
            )),
        ),
        (
            "two projects",
            r#"{"projects":[{"id":"pa"},{"id":"pb"}]}"#,
            Err((
                ErrorKind::InvalidConfig,
                "(ids pa, pb; X-IAM-Trace-Id trace-1)",
            )),
        ),
        (
            "not JSON",
            "<html>gateway</html>",
            Err((ErrorKind::Decode, "IAM's answer is not JSON")),
        ),
        (
            "empty body",
            "",
            Err((ErrorKind::Decode, "IAM's answer is not JSON")),
        ),
        (
            "no projects key",
            r#"{"project":{"id":"p"}}"#,
            Err((ErrorKind::Decode, "no list `projects`")),
        ),
        (
            "projects not a list",
            r#"{"projects":{"id":"p"}}"#,
            Err((ErrorKind::Decode, "no list `projects`")),
        ),
        (
            "a JSON list at the top",
            r#"[{"id":"p"}]"#,
            Err((ErrorKind::Decode, "no list `projects`")),
        ),
        (
            "a project without id",
            r#"{"projects":[{"name":"cn-north-4"}]}"#,
            Err((ErrorKind::Decode, "has no text `id`")),
        ),
        (
            "a numeric id",
            r#"{"projects":[{"id":42}]}"#,
            Err((ErrorKind::Decode, "has no text `id`")),
        ),
        (
            "a project that is not an object",
            r#"{"projects":["p"]}"#,
            Err((ErrorKind::Decode, "has no text `id`")),
        ),
        (
            "an empty id",
            r#"{"projects":[{"id":""}]}"#,
            Err((ErrorKind::Decode, "empty or not visible ASCII")),
        ),
        (
            "an id that would split a header",
            r#"{"projects":[{"id":"p\r\nX-Evil: 1"}]}"#,
            Err((ErrorKind::Decode, "empty or not visible ASCII")),
        ),
        (
            "an id with a space",
            r#"{"projects":[{"id":"a b"}]}"#,
            Err((ErrorKind::Decode, "empty or not visible ASCII")),
        ),
        (
            "a non-ASCII id",
            r#"{"projects":[{"id":"projé"}]}"#,
            Err((ErrorKind::Decode, "empty or not visible ASCII")),
        ),
        (
            "a dot segment",
            r#"{"projects":[{"id":".."}]}"#,
            Err((ErrorKind::Decode, "is a dot segment")),
        ),
        (
            "an id that needs encoding in a path is fine",
            r#"{"projects":[{"id":"a/b%2E"}]}"#,
            Ok("a/b%2E"),
        ),
        (
            "a bad id among several is still bad",
            r#"{"projects":[{"id":"ok"},{"id":null}]}"#,
            Err((ErrorKind::Decode, "has no text `id`")),
        ),
    ];
    for (case, body, expected) in cases {
        let result = read_answer(
            "cn-north-4",
            StatusCode::OK,
            &headers(Some("trace-1")),
            body.as_bytes(),
        );
        match (result, expected) {
            (Ok(id), Ok(expected)) => assert_eq!(id, *expected, "{case}"),
            (Err(error), Err((kind, text))) => {
                assert_eq!(error.kind(), *kind, "{case}: {error}");
                assert!(error.to_string().contains(text), "{case}: {error}");
                if *kind == ErrorKind::Decode {
                    // IAM's trace id stands in for the request id it does not send.
                    assert_eq!(error.request_id(), Some("trace-1"), "{case}");
                    assert_eq!(error.operation_id(), Some(OPERATION_ID), "{case}");
                }
            }
            (result, expected) => panic!("{case}: got {result:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn the_trace_id_stands_in_for_a_missing_request_id() {
    let answer = |headers: HeaderMap| {
        let error = crate::error::parse_service_error(
            StatusCode::UNAUTHORIZED,
            &headers,
            br#"{"error":{"code":"IAM.0001","message":"bad signature"}}"#,
        );
        with_trace_id(Error::service(OPERATION_ID, error))
    };
    let error = answer(headers(Some("trace-9")));
    assert_eq!(error.request_id(), Some("trace-9"));
    assert_eq!(error.error_code(), Some("IAM.0001"));
    assert_eq!(error.error_message(), Some("bad signature"));
    assert_eq!(
        error.to_string(),
        "KeystoneListProjects: status 401, request id trace-9, error code IAM.0001, error message bad signature"
    );
    // An X-Request-Id, when IAM sends one, stays.
    let mut both = headers(Some("trace-9"));
    both.insert("x-request-id", HeaderValue::from_static("req-1"));
    assert_eq!(answer(both).request_id(), Some("req-1"));
    assert_eq!(answer(headers(None)).request_id(), None);
    // No answer, nothing to take.
    let connect = with_trace_id(Error::from(crate::error::Repr::Connect {
        operation_id: OPERATION_ID,
        message: "refused".into(),
    }));
    assert_eq!(connect.request_id(), None);
    // A too-large answer keeps its trace id too.
    let large = with_trace_id(Error::too_large(
        OPERATION_ID,
        StatusCode::OK,
        headers(Some("t-2")),
        10,
    ));
    assert_eq!(large.request_id(), Some("t-2"));
}

#[test]
fn a_hostile_trace_id_is_one_line() {
    let mut map = HeaderMap::new();
    map.insert(
        TRACE_ID_HEADER,
        HeaderValue::from_bytes(b"a\tb\xff").expect("obs-text is allowed"),
    );
    assert_eq!(trace_id(&map).as_deref(), Some("a b\u{fffd}"));
    let result = read_answer("r", StatusCode::OK, &map, br#"{"projects":[]}"#);
    let text = result.expect_err("no project").to_string();
    assert!(text.contains("X-IAM-Trace-Id a b\u{fffd})"), "{text}");
}
