//! The one error type of the client: a matchable kind per way a call can fail, never a secret.

mod service;

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

pub use service::{ServiceError, parse_service_error};

/// What kind of failure an [`Error`] is; a stable, matchable summary of the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No connection could be established (refused, DNS, TLS handshake, proxy).
    Connect,
    /// Connecting, waiting for bytes, or the whole call took too long.
    Timeout,
    /// The connection broke after the request went out and before the answer was complete.
    ConnectionDropped,
    /// The answer is not valid HTTP/1.1 (a malformed status line or header, too many headers,
    /// not HTTP at all). Not retried: whatever answers this way will answer so again.
    Protocol,
    /// The service answered with a status of 400 or more.
    Service,
    /// A success answer whose body does not decode.
    Decode,
    /// An answer that is neither a success (2xx) nor an error (4xx, 5xx): a redirect (3xx,
    /// never followed) or an informational status (1xx).
    UnexpectedStatus,
    /// An answer whose body exceeds the configured size limit.
    ResponseTooLarge,
    /// The client's configuration is invalid (credentials, region, endpoint, TLS, proxy).
    InvalidConfig,
    /// An argument of the call is invalid, or the request body could not be encoded.
    InvalidArgument,
    /// Any other transport failure.
    Transport,
}

/// Which time limit a [`Error::Timeout`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Establishing the connection (the connect timeout).
    Connect,
    /// Waiting for the answer or for more of its bytes (the read timeout).
    Read,
    /// The overall per-call deadline, which bounds all attempts and the waits between them.
    Deadline,
}

fn timeout_text(phase: TimeoutPhase, limit: Duration) -> String {
    match phase {
        TimeoutPhase::Connect => format!("timed out connecting (connect timeout {limit:?})"),
        TimeoutPhase::Read => {
            format!("timed out waiting for the response (read timeout {limit:?})")
        }
        TimeoutPhase::Deadline => format!("timed out (call deadline {limit:?})"),
    }
}

fn unexpected_status_text(status: StatusCode, location: Option<&str>) -> String {
    match (status.is_redirection(), location) {
        (true, Some(location)) => {
            format!("redirected to {location} (redirects are not followed)")
        }
        (true, None) => "redirected without a location (redirects are not followed)".to_owned(),
        (false, _) => "not a success status: the operation's outcome is unknown".to_owned(),
    }
}

/// A setting of the client that is invalid, with the underlying reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The credentials are missing, incomplete or unreadable.
    #[error(transparent)]
    Credentials(#[from] crate::credentials::CredentialsError),
    /// The region or the endpoint does not resolve to a URL.
    #[error(transparent)]
    Endpoint(#[from] crate::endpoint::EndpointError),
    /// The project id is not set and could not be found through IAM.
    #[error(transparent)]
    ProjectId(#[from] crate::iam::ProjectIdError),
    /// Another setting is invalid; names the setting.
    #[error("invalid {setting}: {message}")]
    Setting {
        /// The setting's name, as the builder method calls it.
        setting: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

/// Anything that can go wrong in a call.
///
/// `Display` is one line; it never contains a secret key, a security token or an IAM token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No connection could be established; the request surely was not processed.
    #[error("{operation_id}: could not connect: {message}")]
    Connect {
        /// The operation.
        operation_id: &'static str,
        /// The transport's description of the cause.
        message: String,
    },
    /// A time limit passed.
    #[error("{operation_id}: {}", timeout_text(*phase, *limit))]
    Timeout {
        /// The operation.
        operation_id: &'static str,
        /// Which limit.
        phase: TimeoutPhase,
        /// The limit that passed.
        limit: Duration,
    },
    /// The connection broke before the answer was complete; the request may have been processed.
    #[error(
        "{operation_id}: the connection was dropped before the response was complete: {message}"
    )]
    ConnectionDropped {
        /// The operation.
        operation_id: &'static str,
        /// The transport's description of the cause.
        message: String,
    },
    /// The answer is not valid HTTP/1.1: a malformed status line or header, a head too large,
    /// or not HTTP at all.
    #[error("{operation_id}: the answer is not valid HTTP: {message}")]
    Protocol {
        /// The operation.
        operation_id: &'static str,
        /// The parser's description of the fault.
        message: String,
    },
    /// The service answered with an error status.
    #[error("{operation_id}: {error}")]
    Service {
        /// The operation.
        operation_id: &'static str,
        /// Status, request id, error code and message.
        error: Box<ServiceError>,
    },
    /// A success answer whose body does not decode.
    #[error("{operation_id}: status {}, request id {}: could not decode the response body: {message}", status.as_u16(), request_id.as_deref().unwrap_or("-"))]
    Decode {
        /// The operation.
        operation_id: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The `X-Request-Id` header, if any.
        request_id: Option<String>,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw body.
        body: Bytes,
        /// Why it does not decode.
        message: String,
    },
    /// The answer is neither a success (2xx) nor an error (4xx, 5xx): a redirect (3xx), which
    /// the client never follows since it would resend signed credentials elsewhere, or an
    /// informational status (1xx). The body is kept, not decoded.
    #[error("{operation_id}: status {}, request id {}: {}", status.as_u16(), request_id.as_deref().unwrap_or("-"), unexpected_status_text(*status, location.as_deref()))]
    UnexpectedStatus {
        /// The operation.
        operation_id: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The `X-Request-Id` header, if any.
        request_id: Option<String>,
        /// The `Location` header of a redirect, if any (one line).
        location: Option<String>,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw body.
        body: Bytes,
    },
    /// The answer's body exceeds the configured limit; reading stopped there. The status keeps
    /// its meaning: a 503 so answered is retryable as any 503 is, and its `Retry-After` counts.
    #[error("{operation_id}: status {}, request id {}: the response body exceeds the limit of {limit} bytes", status.as_u16(), request_id.as_deref().unwrap_or("-"))]
    ResponseTooLarge {
        /// The operation.
        operation_id: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The `X-Request-Id` header, if any.
        request_id: Option<String>,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The limit in bytes.
        limit: usize,
    },
    /// The client's configuration is invalid; the [`ConfigError`] says which setting and why.
    #[error(transparent)]
    InvalidConfig(#[from] ConfigError),
    /// An argument is invalid; names the argument.
    #[error("invalid argument {argument}: {message}")]
    InvalidArgument {
        /// The argument's name.
        argument: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The request body could not be encoded; the serializer's error is the [`source`](std::error::Error::source).
    #[error("{operation_id}: could not encode the request body")]
    EncodeBody {
        /// The operation.
        operation_id: &'static str,
        /// The serializer's error.
        source: serde_json::Error,
    },
    /// Any other transport failure (such as a malformed answer).
    #[error("{operation_id}: transport error: {message}")]
    Transport {
        /// The operation.
        operation_id: &'static str,
        /// The transport's description of the cause.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid_argument(argument: &'static str, message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            argument,
            message: message.into(),
        }
    }

    pub(crate) fn encode_body(operation_id: &'static str, source: serde_json::Error) -> Self {
        Self::EncodeBody {
            operation_id,
            source,
        }
    }

    pub(crate) fn decode(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        message: String,
    ) -> Self {
        Self::Decode {
            operation_id,
            status,
            request_id: crate::response::request_id(&headers),
            headers: Box::new(headers),
            body,
            message,
        }
    }

    /// The error for an answer that is neither a success nor an error status.
    pub(crate) fn unexpected_status(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let location = headers
            .get(http::header::LOCATION)
            .map(|value| one_line(&String::from_utf8_lossy(value.as_bytes())))
            .filter(|location| !location.is_empty());
        Self::UnexpectedStatus {
            operation_id,
            status,
            request_id: crate::response::request_id(&headers),
            location,
            headers: Box::new(headers),
            body,
        }
    }

    /// The error for an answer whose body exceeds `limit` bytes.
    pub(crate) fn too_large(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        limit: usize,
    ) -> Self {
        Self::ResponseTooLarge {
            operation_id,
            status,
            request_id: crate::response::request_id(&headers),
            headers: Box::new(headers),
            limit,
        }
    }

    pub(crate) fn service(operation_id: &'static str, error: ServiceError) -> Self {
        Self::Service {
            operation_id,
            error: Box::new(error),
        }
    }

    pub(crate) fn setting(setting: &'static str, message: impl Into<String>) -> Self {
        Self::InvalidConfig(ConfigError::Setting {
            setting,
            message: message.into(),
        })
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Connect { .. } => ErrorKind::Connect,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::ConnectionDropped { .. } => ErrorKind::ConnectionDropped,
            Self::Protocol { .. } => ErrorKind::Protocol,
            Self::Service { .. } => ErrorKind::Service,
            Self::Decode { .. } => ErrorKind::Decode,
            Self::UnexpectedStatus { .. } => ErrorKind::UnexpectedStatus,
            Self::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Self::InvalidConfig(_) => ErrorKind::InvalidConfig,
            Self::InvalidArgument { .. } | Self::EncodeBody { .. } => ErrorKind::InvalidArgument,
            Self::Transport { .. } => ErrorKind::Transport,
        }
    }

    /// Whether the failure is transient, so that the same call may succeed later: a failed
    /// connection, a timeout, a dropped connection, or status 429, 500, 502, 503 or 504 (also
    /// when that answer's body was over the size limit).
    ///
    /// This says nothing about whether a retry is *safe*: a dropped connection or a 500 may
    /// follow a request the service did process. The client's [`crate::RetryPolicy`] decides
    /// what it retries by itself.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Connect { .. } | Self::Timeout { .. } | Self::ConnectionDropped { .. } => true,
            Self::Service { error, .. } => transient_status(error.status()),
            Self::ResponseTooLarge { status, .. } => transient_status(*status),
            _ => false,
        }
    }

    /// The headers of an answer the call failed on (an error status, a body too large, an
    /// undecodable or unexpected answer).
    pub fn response_headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Service { error, .. } => Some(error.headers()),
            Self::Decode { headers, .. }
            | Self::UnexpectedStatus { headers, .. }
            | Self::ResponseTooLarge { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Service { error, .. } => Some(error.status()),
            Self::Decode { status, .. }
            | Self::UnexpectedStatus { status, .. }
            | Self::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `X-Request-Id` the service sent, when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service { error, .. } => error.request_id(),
            Self::Decode { request_id, .. }
            | Self::ResponseTooLarge { request_id, .. }
            | Self::UnexpectedStatus { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The service's error code (such as `APIGW.0301`), for service errors.
    pub fn error_code(&self) -> Option<&str> {
        self.as_service().map(ServiceError::error_code)
    }

    /// The service's error message, for service errors.
    pub fn error_message(&self) -> Option<&str> {
        self.as_service().map(ServiceError::error_message)
    }

    /// The details of a service error.
    pub fn as_service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The raw body of an answer that did not decode.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Self::Service { error, .. } => Some(error.body()),
            Self::Decode { body, .. } | Self::UnexpectedStatus { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The operation the failure happened in, when it happened in one.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Self::Connect { operation_id, .. }
            | Self::Timeout { operation_id, .. }
            | Self::ConnectionDropped { operation_id, .. }
            | Self::Protocol { operation_id, .. }
            | Self::Service { operation_id, .. }
            | Self::Decode { operation_id, .. }
            | Self::UnexpectedStatus { operation_id, .. }
            | Self::ResponseTooLarge { operation_id, .. }
            | Self::EncodeBody { operation_id, .. }
            | Self::Transport { operation_id, .. } => Some(operation_id),
            Self::InvalidConfig(_) | Self::InvalidArgument { .. } => None,
        }
    }
}

/// The statuses that say "try again later".
fn transient_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Text from a header, on one line: control characters become spaces.
fn one_line(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod chains;
#[cfg(test)]
mod tests;
