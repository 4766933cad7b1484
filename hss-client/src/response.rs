//! The decoded answer of a successful call: the body plus status, headers and request id.

use http::{HeaderMap, StatusCode};

/// The header carrying the service's request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
}

/// A decoded response body together with the status, the headers and the request id.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(body: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            body,
            status,
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

    /// The `X-Request-Id` header, if the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_converts_the_body_and_keeps_status_and_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, http::HeaderValue::from_static("rid"));
        let response = ApiResponse::new(2_u8, StatusCode::ACCEPTED, headers).map(|n| n * 10);
        assert_eq!(*response.body(), 20);
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(response.request_id(), Some("rid"));
    }
}
