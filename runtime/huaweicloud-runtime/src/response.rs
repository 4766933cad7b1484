//! The decoded answer of a successful call: the body plus status, headers and request id.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The header carrying the service's request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request id of an answer. Bytes that are not UTF-8 become U+FFFD and control characters
/// spaces, so an odd id is kept rather than dropped.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(REQUEST_ID_HEADER)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    Some(
        text.trim()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
    )
}

/// The request id as it stands in the headers, when it needs no cleaning (visible ASCII and
/// spaces, nothing to trim): then it is borrowed rather than copied.
fn clean_request_id(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let clean = !value.starts_with([' ', '\t'])
        && !value.ends_with([' ', '\t'])
        && value.bytes().all(|byte| (0x20..0x7f).contains(&byte));
    clean.then_some(value)
}

/// The request id to keep beside the headers: `None` when it is absent or can be borrowed from
/// them ([`clean_request_id`]).
fn kept_request_id(headers: &HeaderMap) -> Option<String> {
    match clean_request_id(headers) {
        Some(_) => None,
        None => request_id(headers),
    }
}

/// A decoded response body together with the status, the headers and the request id.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
    /// Set only when the header's id had to be cleaned; otherwise it is read from the headers.
    request_id: Option<String>,
}

impl<T> ApiResponse<T> {
    pub(crate) fn from_parts(body: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            body,
            status,
            request_id: kept_request_id(&headers),
            headers,
        }
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, by value.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body converted by `f`; status and headers are kept. Generated
    /// operations use it to wrap a body decoded by status into the operation's response enum.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            body: f(self.body),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `X-Request-Id` header, if the service sent one (bytes that are not UTF-8 as U+FFFD).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id
            .as_deref()
            .or_else(|| clean_request_id(&self.headers))
    }
}

/// The raw answer to a call that succeeded (a 2xx status), before decoding.
#[derive(Debug, Clone)]
pub struct RawResponse {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Bytes,
}

impl RawResponse {
    /// Wraps what arrived on the wire.
    pub fn new(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            operation_id,
            status,
            request_id: kept_request_id(&headers),
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `X-Request-Id` header, if the service sent one (bytes that are not UTF-8 as U+FFFD).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id
            .as_deref()
            .or_else(|| clean_request_id(&self.headers))
    }

    /// Decodes a JSON body; a body that does not decode keeps status, request id and the raw text.
    pub fn json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        let decoded = serde_json::from_slice(&self.body);
        self.decoded(decoded)
    }

    /// Decodes a text body (UTF-8).
    pub fn text(self) -> Result<ApiResponse<String>, Error> {
        let decoded = String::from_utf8(self.body.to_vec());
        self.decoded(decoded)
    }

    /// The decoded body with status and headers, or a decode error that keeps the raw answer.
    fn decoded<T, E: ToString>(self, decoded: Result<T, E>) -> Result<ApiResponse<T>, Error> {
        match decoded {
            Ok(body) => Ok(self.answer(body)),
            Err(source) => Err(Error::decode(
                self.operation_id,
                self.status,
                self.headers,
                self.body,
                source.to_string(),
            )),
        }
    }

    /// The decoded `body` with this answer's status, headers and request id (not looked up again).
    fn answer<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse {
            body,
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }

    /// The body as a stream of one chunk.
    pub(crate) fn stream(self) -> ApiResponse<crate::ByteStream> {
        let body = crate::ByteStream::from(self.body.clone());
        self.answer(body)
    }

    /// Keeps the body as bytes.
    pub fn bytes(self) -> ApiResponse<Bytes> {
        let body = self.body.clone();
        self.answer(body)
    }

    /// Ignores the body (for responses the spec declares without content).
    pub fn empty(self) -> ApiResponse<()> {
        self.answer(())
    }

    /// The error for a success status the operation does not declare, when its declared
    /// statuses have different bodies and so none can be assumed: a decode error keeping the
    /// status, the headers and the raw body.
    pub fn unexpected_status(self) -> Error {
        let message = format!(
            "status {} is not one the operation declares",
            self.status.as_u16()
        );
        Error::decode(
            self.operation_id,
            self.status,
            self.headers,
            self.body,
            message,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_converts_the_body_and_keeps_status_and_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, http::HeaderValue::from_static("rid"));
        let response = ApiResponse::from_parts(2_u8, StatusCode::ACCEPTED, headers).map(|n| n * 10);
        assert_eq!(*response.body(), 20);
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(response.request_id(), Some("rid"));
    }

    #[test]
    fn an_odd_request_id_is_kept_lossily() {
        let cases: &[(&[u8], &str)] = &[
            (b"rid-1", "rid-1"),
            (b"\xffrid\xfe", "\u{fffd}rid\u{fffd}"),
            ("caf\u{e9}".as_bytes(), "caf\u{e9}"),
            (b" a\tb ", "a b"),
        ];
        for (bytes, expected) in cases {
            let mut headers = HeaderMap::new();
            let value = http::HeaderValue::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"));
            headers.insert(REQUEST_ID_HEADER, value);
            assert_eq!(request_id(&headers).as_deref(), Some(*expected));
            let response = ApiResponse::from_parts((), StatusCode::OK, headers);
            assert_eq!(response.request_id(), Some(*expected));
        }
        assert_eq!(request_id(&HeaderMap::new()), None);
        let raw = RawResponse::new("Op", StatusCode::OK, HeaderMap::new(), Bytes::new());
        assert_eq!(raw.request_id(), None);
    }

    /// A clean id is read from the headers, not copied; an odd one is kept cleaned, through
    /// every way from the raw answer to the decoded one.
    #[test]
    fn the_request_id_is_copied_only_when_it_needs_cleaning() {
        for (bytes, expected, kept) in [
            (&b"rid-1"[..], "rid-1", false),
            (b"rid 1", "rid 1", false),
            (b" rid", "rid", true),
            (b"r\tid", "r id", true),
        ] {
            let mut headers = HeaderMap::new();
            let value = http::HeaderValue::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"));
            headers.insert(REQUEST_ID_HEADER, value);
            let raw = RawResponse::new("Op", StatusCode::OK, headers, Bytes::from_static(b"{}"));
            assert_eq!(raw.request_id.is_some(), kept, "{expected}");
            assert_eq!(raw.request_id(), Some(expected));
            assert_eq!(raw.clone().empty().request_id(), Some(expected));
            assert_eq!(raw.clone().bytes().request_id(), Some(expected));
            let decoded = raw
                .json::<serde_json::Value>()
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(decoded.request_id(), Some(expected));
        }
    }
}
