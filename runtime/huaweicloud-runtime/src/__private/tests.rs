//! The runtime surface as generated code uses it: decoding by status, body encodings, query
//! pairs and cookies.

use super::*;
use crate::ErrorKind;
use bytes::Bytes;

fn raw(status: u16, body: &'static str) -> RawResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    RawResponse::new(
        "Op",
        status,
        HeaderMap::new(),
        Bytes::from_static(body.as_bytes()),
    )
}

#[derive(Debug, PartialEq)]
enum ByStatus {
    Ok(serde_json::Value),
    Accepted(String),
    NoContent,
}

/// What a generated `send` does with several success bodies.
fn decode(response: RawResponse) -> Result<ApiResponse<ByStatus>, Error> {
    match response.status().as_u16() {
        200 => Ok(response.json()?.map(ByStatus::Ok)),
        202 => Ok(response.text()?.map(ByStatus::Accepted)),
        204 => Ok(response.empty().map(|()| ByStatus::NoContent)),
        _ => Err(response.unexpected_status()),
    }
}

#[test]
fn success_bodies_decode_by_status_and_undeclared_statuses_are_errors() {
    let body = |response: Result<ApiResponse<ByStatus>, Error>| {
        response.map(|r| (r.status().as_u16(), r.into_body()))
    };
    assert_eq!(
        body(decode(raw(200, r#"{"a":1}"#))).ok(),
        Some((200, ByStatus::Ok(serde_json::json!({"a": 1}))))
    );
    assert_eq!(
        body(decode(raw(202, "running"))).ok(),
        Some((202, ByStatus::Accepted("running".to_owned())))
    );
    assert_eq!(
        body(decode(raw(204, ""))).ok(),
        Some((204, ByStatus::NoContent))
    );

    let error = decode(raw(201, "created")).err();
    assert_eq!(error.as_ref().map(Error::kind), Some(ErrorKind::Decode));
    assert_eq!(
        error.as_ref().and_then(Error::status),
        Some(StatusCode::CREATED)
    );
    assert_eq!(
        error.as_ref().and_then(Error::raw_body).map(|b| b.as_ref()),
        Some(&b"created"[..])
    );
    assert_eq!(
        error.map(|e| e.to_string()).as_deref(),
        Some(
            "Op: status 201, request id -: could not decode the response body: \
             status 201 is not one the operation declares"
        )
    );
    // A declared status whose body does not decode is a decode error too, never a guess.
    assert_eq!(
        decode(raw(200, "not json")).err().map(|e| e.kind()),
        Some(ErrorKind::Decode)
    );
}

#[test]
fn form_bodies_encode_members_lists_and_nested_values() {
    let value = serde_json::json!({
        "name": "a b&c=d/é",
        "count": 3,
        "skip": null,
        "tags": ["x", "y z"],
        "nested": {"k": 1},
        "flag": true,
    });
    assert_eq!(
        encode_form(&value).ok().as_deref(),
        Some(
            "count=3&flag=true&name=a+b%26c%3Dd%2F%C3%A9&nested=%7B%22k%22%3A1%7D&tags=x&tags=y+z"
        )
    );
    assert_eq!(
        encode_form(&serde_json::json!([1]))
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("a form body must serialize to a JSON object")
    );
    let mut request = OperationRequest::new("Op", Method::POST, "/a".to_owned());
    request
        .form_body(&serde_json::json!({"grant_type": "client credentials"}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        request.body(),
        &RequestBody::Bytes {
            content_type: "application/x-www-form-urlencoded".to_owned(),
            bytes: Bytes::from_static(b"grant_type=client+credentials"),
        }
    );
    let error = request.form_body(&"not an object").err();
    assert_eq!(error.map(|e| e.kind()), Some(ErrorKind::InvalidArgument));
}

#[test]
fn multipart_bodies_have_text_and_file_parts_and_a_boundary_absent_from_them() {
    let mut form = Multipart::new();
    form.text("description", "a \"quoted\" note");
    form.file("file", b"--hss-client-boundary-0 is inside".to_vec());
    form.text("na\"me", 7);
    assert_eq!(form.len(), 3);
    let mut request = OperationRequest::new("Op", Method::POST, "/a".to_owned());
    request.multipart_body(form);
    let RequestBody::Bytes {
        content_type,
        bytes,
    } = request.body()
    else {
        panic!("no body");
    };
    assert_eq!(
        content_type,
        "multipart/form-data; boundary=hss-client-boundary-1"
    );
    assert_eq!(
        String::from_utf8_lossy(bytes),
        "--hss-client-boundary-1\r\n\
         Content-Disposition: form-data; name=\"description\"\r\n\
         \r\n\
         a \"quoted\" note\r\n\
         --hss-client-boundary-1\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
         Content-Type: application/octet-stream\r\n\
         \r\n\
         --hss-client-boundary-0 is inside\r\n\
         --hss-client-boundary-1\r\n\
         Content-Disposition: form-data; name=\"na%22me\"\r\n\
         \r\n\
         7\r\n\
         --hss-client-boundary-1--\r\n"
    );
    let mut empty = OperationRequest::new("Op", Method::POST, "/a".to_owned());
    empty.multipart_body(Multipart::new());
    assert!(matches!(
        empty.body(),
        RequestBody::Bytes { bytes, .. } if bytes.as_ref() == b"--hss-client-boundary-0--\r\n"
    ));
}

#[test]
fn deep_object_values_flatten_into_bracketed_pairs() {
    let value = serde_json::json!({
        "os": "linux",
        "range": {"min": 1, "max": null},
        "tags": ["a", "b"],
        "skip": null,
    });
    let pairs = deep_object_pairs("filter", &value);
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("filter[os]", "linux"),
            ("filter[range][min]", "1"),
            ("filter[tags]", "a"),
            ("filter[tags]", "b"),
        ]
    );
    assert_eq!(
        deep_object_pairs("n", &serde_json::json!(5)),
        [("n".to_owned(), "5".to_owned())]
    );
    let mut request = OperationRequest::new("Op", Method::GET, "/a".to_owned());
    request
        .deep_object_query("filter", &serde_json::json!({"os": "linux"}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        request.query_pairs(),
        [("filter[os]".to_owned(), "linux".to_owned())]
    );
}

#[test]
fn cookies_join_into_one_header_with_unsafe_characters_encoded() {
    assert_eq!(cookie_header(&[]), None);
    let cookies = [
        ("session_id", "abc".to_owned()),
        ("note", "a b;c,\"d\"%é".to_owned()),
    ];
    assert_eq!(
        cookie_header(&cookies).as_deref(),
        Some("session_id=abc; note=a%20b%3Bc%2C%22d%22%25%C3%A9")
    );
}

/// Dot segments and empty values would move the request; every other value is one segment,
/// percent-encoded so that encoded spellings of dots reach the server as literal text.
#[test]
fn path_segments_are_encoded_and_dot_segments_refused() {
    let encoded = [
        ("p-9", "p-9"),
        ("a/b", "a%2Fb"),
        ("...", "..."),
        (".a", ".a"),
        ("%2E%2E", "%252E%252E"),
        ("%2e", "%252e"),
        ("a b?c#d", "a%20b%3Fc%23d"),
        ("名", "%E5%90%8D"),
    ];
    for (value, expected) in encoded {
        assert_eq!(
            encode_path_segment("project_id", value).ok().as_deref(),
            Some(expected),
            "{value:?}"
        );
    }
    let refused = [
        (
            "..",
            "invalid argument project_id: is \"..\", a dot segment that would change the request's path",
        ),
        (
            ".",
            "invalid argument project_id: is \".\", a dot segment that would change the request's path",
        ),
        (
            "",
            "invalid argument project_id: is empty, which a path segment must not be",
        ),
    ];
    for (value, message) in refused {
        let error = encode_path_segment("project_id", value).expect_err(value);
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{value:?}");
        assert_eq!(error.to_string(), message);
    }
}

/// The one-line optional parameters: unset adds nothing, set adds the text, and a string outside
/// its length range is an invalid argument naming it, with nothing added.
#[test]
fn optional_parameters_are_added_when_set_and_checked() {
    let mut request = OperationRequest::new("Op", Method::GET, "/a".to_owned());
    request.query_opt("limit", &Some(10));
    request.query_opt::<i32>("offset", &None);
    request.header_opt("region", &Some("cn-north-4"));
    request.cookie_opt("c", &Some('x'));
    #[rustfmt::skip]
    let cases: [(Option<&str>, Option<&str>); 5] = [
        (None, None),
        (Some("ab"), None),
        (Some(""), Some("invalid argument name: is 0 characters long, the minimum is 1")),
        (Some("abcd"), Some("invalid argument name: is 4 characters long, the maximum is 3")),
        (Some("äöü"), None),
    ];
    for (value, error) in cases {
        let value = value.map(str::to_owned);
        let mut checked = OperationRequest::new("Op", Method::GET, "/a".to_owned());
        let results = [
            checked.query_opt_len("name", &value, 1..=3),
            checked.header_opt_len("name", &value, 1..4),
            checked.cookie_opt_len("name", &value, 1..=3),
        ];
        for result in results {
            assert_eq!(
                result.err().map(|e| e.to_string()).as_deref(),
                error,
                "{value:?}"
            );
        }
        let added = usize::from(value.is_some() && error.is_none());
        assert_eq!(checked.query_pairs().len(), added, "{value:?}");
        assert_eq!(checked.headers().len(), added, "{value:?}");
        assert_eq!(checked.cookies().len(), added, "{value:?}");
    }
    assert_eq!(
        request.query_pairs(),
        [("limit".to_owned(), "10".to_owned())]
    );
    assert_eq!(request.headers(), [("region", "cn-north-4".to_owned())]);
    assert_eq!(request.cookies(), [("c", "x".to_owned())]);
}
