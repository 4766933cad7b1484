//! The small, named surface that generated operations call: describe a request, run it, decode the answer.
//!
//! Generated code uses only the items of this module (plus [`crate::Client::execute`] and
//! [`crate::Client::client_param`]); it never constructs an [`Error`] itself. Everything the cloud
//! runtime adds (endpoint, credentials, signing, retries) happens behind [`crate::Client::execute`].

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
pub use crate::response::ApiResponse;
pub use http::{HeaderMap, Method, StatusCode};

/// Everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded (the APIG canonical form).
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `value` as one path segment (a `/` inside it becomes `%2F`).
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Checks a string argument against the length limits of the spec, counted in characters.
pub fn check_length(
    argument: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Error> {
    let length = value.chars().count();
    if let Some(min) = min.filter(|&min| length < min) {
        return Err(Error::invalid_argument(
            argument,
            format!("is {length} characters long, the minimum is {min}"),
        ));
    }
    if let Some(max) = max.filter(|&max| length > max) {
        return Err(Error::invalid_argument(
            argument,
            format!("is {length} characters long, the maximum is {max}"),
        ));
    }
    Ok(())
}

/// The body of an [`OperationRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestBody {
    /// No body at all.
    Empty,
    /// Bytes sent with the given `Content-Type`.
    Bytes {
        /// The media type sent as `Content-Type`.
        content_type: String,
        /// The encoded body.
        bytes: Bytes,
    },
}

/// A request as a generated operation describes it, before the client adds the endpoint,
/// the standard headers, credentials and the signature.
#[derive(Debug, Clone)]
pub struct OperationRequest {
    operation_id: &'static str,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    client_params: Vec<(&'static str, String)>,
    body: RequestBody,
}

impl OperationRequest {
    /// Starts a request; `path` is already expanded and percent-encoded, without a query.
    pub fn new(operation_id: &'static str, method: Method, path: String) -> Self {
        Self {
            operation_id,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            client_params: Vec::new(),
            body: RequestBody::Empty,
        }
    }

    /// Adds one query pair (raw, not encoded; the client encodes and sorts them canonically).
    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds one request header described by the spec.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Records the value used for a parameter the client fills from its own settings
    /// (such as `project_id`), so the client can send the matching headers.
    pub fn client_param(&mut self, name: &'static str, value: impl ToString) {
        self.client_params.push((name, value.to_string()));
    }

    /// Sets a JSON body (`application/json`), serialized compactly.
    pub fn json_body<T: Serialize>(&mut self, body: &T) -> Result<(), Error> {
        self.json_body_as("application/json", body)
    }

    /// Sets a JSON body sent with another JSON media type (such as `application/merge-patch+json`).
    pub fn json_body_as<T: Serialize>(
        &mut self,
        content_type: &str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|source| Error::encode_body(self.operation_id, source))?;
        self.body = RequestBody::Bytes {
            content_type: content_type.to_owned(),
            bytes: Bytes::from(bytes),
        };
        Ok(())
    }

    /// Sets a body of raw bytes with its media type.
    pub fn bytes_body(&mut self, content_type: &str, bytes: impl Into<Bytes>) {
        self.body = RequestBody::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        };
    }

    /// The spec's `operationId`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded path, without a query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw query pairs in the order they were added.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The operation's own headers in the order they were added.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The value recorded for a client-filled parameter, if any.
    pub fn client_param_value(&self, name: &str) -> Option<&str> {
        self.client_params
            .iter()
            .find(|(param, _)| *param == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body.
    pub fn body(&self) -> &RequestBody {
        &self.body
    }
}

/// The raw answer to a call that succeeded (status below 400), before decoding.
#[derive(Debug, Clone)]
pub struct RawResponse {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
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

    /// The `X-Request-Id` header, if the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        crate::response::request_id(&self.headers)
    }

    /// Decodes a JSON body; a body that does not decode keeps status, request id and the raw text.
    pub fn json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(ApiResponse::new(body, self.status, self.headers)),
            Err(source) => Err(Error::decode(
                self.operation_id,
                self.status,
                self.headers,
                self.body,
                source.to_string(),
            )),
        }
    }

    /// Decodes a text body (UTF-8).
    pub fn text(self) -> Result<ApiResponse<String>, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(ApiResponse::new(text, self.status, self.headers)),
            Err(source) => Err(Error::decode(
                self.operation_id,
                self.status,
                self.headers,
                self.body,
                source.to_string(),
            )),
        }
    }

    /// Keeps the body as bytes.
    pub fn bytes(self) -> ApiResponse<Bytes> {
        ApiResponse::new(self.body, self.status, self.headers)
    }

    /// Ignores the body (for responses the spec declares without content).
    pub fn empty(self) -> ApiResponse<()> {
        ApiResponse::new((), self.status, self.headers)
    }
}
