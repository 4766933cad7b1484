//! The error answer of the service: status, request id, error code and message, parsed from
//! the body as the official SDKs do.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

/// The pairs of keys the official SDKs look for, in their order.
const CODE_MESSAGE_KEYS: [(&str, &str); 3] = [
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("code", "message"),
];

const ENCODED_AUTHORIZATION_MESSAGE: &str = "encoded_authorization_message";

/// The longest message `Display` shows, in characters; the full text stays in
/// [`ServiceError::error_message`]. A gateway's HTML error page would otherwise flood a log line.
const DISPLAY_MESSAGE_LIMIT: usize = 512;

/// An answer with status 400 or more.
#[derive(Debug, Clone)]
pub struct ServiceError {
    status: StatusCode,
    request_id: Option<String>,
    error_code: String,
    error_message: String,
    encoded_authorization_message: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl ServiceError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `X-Request-Id` header, if the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The error code of the body (such as `HSS.0001`), or the status as text when the body has none.
    pub fn error_code(&self) -> &str {
        &self.error_code
    }

    /// The error message of the body, or the body text when it has none.
    pub fn error_message(&self) -> &str {
        &self.error_message
    }

    /// The `encoded_authorization_message` of the body (IAM's encoded reason for a denial), if any.
    pub fn encoded_authorization_message(&self) -> Option<&str> {
        self.encoded_authorization_message.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl ServiceError {
    /// Sets the request id when the answer had no `X-Request-Id` (IAM sends `X-IAM-Trace-Id`).
    pub(crate) fn fill_request_id(&mut self, request_id: String) {
        self.request_id.get_or_insert(request_id);
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.status.as_u16())?;
        if let Some(request_id) = &self.request_id {
            write!(
                f,
                ", request id {}",
                one_line(request_id, DISPLAY_MESSAGE_LIMIT)
            )?;
        }
        write!(
            f,
            ", error code {}",
            one_line(&self.error_code, DISPLAY_MESSAGE_LIMIT)
        )?;
        if !self.error_message.is_empty() {
            write!(
                f,
                ", error message {}",
                one_line(&self.error_message, DISPLAY_MESSAGE_LIMIT)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// Parses an error answer as the official SDKs do.
///
/// The code and message come from the first pair present at the top level of a JSON object, in
/// the order `error_code`/`error_msg`, `errorCode`/`errorMsg`, `code`/`message`; failing that, from
/// the first nested object holding such a pair. `encoded_authorization_message` is taken from any
/// level. Without a usable pair (or with a body that is not JSON) the code is the status as text
/// and the message the body text.
pub fn parse_service_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ServiceError {
    let json = serde_json::from_slice::<Value>(body).ok();
    let object = json.as_ref().and_then(Value::as_object);
    let (code, message) = object.and_then(find_code_message).unwrap_or_default();
    let body_text = String::from_utf8_lossy(body);
    ServiceError {
        status,
        request_id: crate::response::request_id(headers),
        error_code: if code.is_empty() {
            status.as_u16().to_string()
        } else {
            code
        },
        error_message: if message.is_empty() {
            body_text.into_owned()
        } else {
            message
        },
        encoded_authorization_message: object.and_then(find_encoded_authorization_message),
        headers: headers.clone(),
        body: Bytes::copy_from_slice(body),
    }
}

fn find_code_message(object: &Map<String, Value>) -> Option<(String, String)> {
    CODE_MESSAGE_KEYS
        .iter()
        .find_map(|(code, message)| Some((text(object.get(*code)?), text(object.get(*message)?))))
        .or_else(|| nested_objects(object).find_map(find_code_message))
}

fn find_encoded_authorization_message(object: &Map<String, Value>) -> Option<String> {
    object
        .get(ENCODED_AUTHORIZATION_MESSAGE)
        .map(text)
        .or_else(|| nested_objects(object).find_map(find_encoded_authorization_message))
}

fn nested_objects(object: &Map<String, Value>) -> impl Iterator<Item = &Map<String, Value>> {
    object.values().filter_map(Value::as_object)
}

/// A JSON value as text: strings as they are, `null` as nothing, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Keeps a `Display` to one line and a bounded length.
fn one_line(text: &str, limit: usize) -> String {
    let mut line: String = text
        .chars()
        .take(limit)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(limit).is_some() {
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers_with_request_id(request_id: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(request_id) {
            if !request_id.is_empty() {
                headers.insert("x-request-id", value);
            }
        }
        headers
    }

    #[test]
    fn parses_each_body_shape_in_the_official_order() {
        // (body, expected code, expected message, expected encoded_authorization_message)
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            (
                r#"{"error_code":"HSS.0001","error_msg":"bad"}"#,
                "HSS.0001",
                "bad",
                None,
            ),
            (
                r#"{"errorCode":"HSS.0002","errorMsg":"camel"}"#,
                "HSS.0002",
                "camel",
                None,
            ),
            (
                r#"{"code":"HSS.0003","message":"plain"}"#,
                "HSS.0003",
                "plain",
                None,
            ),
            (
                r#"{"error":{"code":"HSS.0004","message":"nested"}}"#,
                "HSS.0004",
                "nested",
                None,
            ),
            (
                r#"{"a":{"b":{"error_code":"X.5","error_msg":"deep"}}}"#,
                "X.5",
                "deep",
                None,
            ),
            // Order: error_code/error_msg beats code/message, and top level beats nested.
            (
                r#"{"code":"C","message":"m","error_code":"E","error_msg":"e"}"#,
                "E",
                "e",
                None,
            ),
            (
                r#"{"errorCode":"EC","errorMsg":"em","code":"C","message":"m"}"#,
                "EC",
                "em",
                None,
            ),
            (
                r#"{"error":{"code":"N","message":"n"},"code":"T","message":"t"}"#,
                "T",
                "t",
                None,
            ),
            // A pair needs both keys: a lone error_code falls through to code/message.
            (
                r#"{"error_code":"lone","code":"C","message":"m"}"#,
                "C",
                "m",
                None,
            ),
            // Non-string values become their JSON text; null is absent.
            (
                r#"{"error_code":401,"error_msg":"numeric"}"#,
                "401",
                "numeric",
                None,
            ),
            (
                r#"{"error_code":null,"error_msg":"no code"}"#,
                "403",
                "no code",
                None,
            ),
            (
                r#"{"error_code":"IAM.0001","error_msg":"denied","encoded_authorization_message":"enc"}"#,
                "IAM.0001",
                "denied",
                Some("enc"),
            ),
            (
                r#"{"error":{"code":"X","message":"y","encoded_authorization_message":"inner"}}"#,
                "X",
                "y",
                Some("inner"),
            ),
            // Fallbacks: status as code, body text as message.
            (
                r#"{"unrelated":true}"#,
                "403",
                r#"{"unrelated":true}"#,
                None,
            ),
            ("<html>gateway</html>", "403", "<html>gateway</html>", None),
            ("[1,2]", "403", "[1,2]", None),
            ("", "403", "", None),
            (
                r#"{"error_code":"E","error_msg":""}"#,
                "E",
                r#"{"error_code":"E","error_msg":""}"#,
                None,
            ),
        ];
        for (body, code, message, encoded) in cases {
            let error =
                parse_service_error(StatusCode::FORBIDDEN, &HeaderMap::new(), body.as_bytes());
            assert_eq!(error.error_code(), *code, "code of {body}");
            assert_eq!(error.error_message(), *message, "message of {body}");
            assert_eq!(
                error.encoded_authorization_message(),
                *encoded,
                "encoded message of {body}"
            );
            assert_eq!(error.body().as_ref(), body.as_bytes());
            assert_eq!(error.status(), StatusCode::FORBIDDEN);
        }
    }

    #[test]
    fn keeps_the_request_id_header() {
        let error = parse_service_error(
            StatusCode::BAD_REQUEST,
            &headers_with_request_id("rid-1"),
            b"{}",
        );
        assert_eq!(error.request_id(), Some("rid-1"));
        let error = parse_service_error(StatusCode::BAD_REQUEST, &HeaderMap::new(), b"{}");
        assert_eq!(error.request_id(), None);
    }

    #[test]
    fn display_is_one_bounded_line_with_every_field() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "rid",
                r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#,
                "status 401, request id rid, error code APIGW.0301, error message Incorrect IAM authentication information",
            ),
            ("", "", "status 401, error code 401"),
            (
                "r",
                "line one\nline two",
                "status 401, request id r, error code 401, error message line one line two",
            ),
        ];
        for (request_id, body, expected) in cases {
            let error = parse_service_error(
                StatusCode::UNAUTHORIZED,
                &headers_with_request_id(request_id),
                body.as_bytes(),
            );
            assert_eq!(error.to_string(), *expected);
        }
        let long = "x".repeat(DISPLAY_MESSAGE_LIMIT + 10);
        let shown =
            parse_service_error(StatusCode::BAD_GATEWAY, &HeaderMap::new(), long.as_bytes())
                .to_string();
        assert!(shown.ends_with('…'), "{shown}");
        assert_eq!(shown.matches('x').count(), DISPLAY_MESSAGE_LIMIT);
    }
}
