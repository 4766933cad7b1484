//! The one error type of the client: a matchable kind per way a call can fail, never a secret.

mod service;

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

pub use service::{ServiceError, parse_service_error};

/// What kind of failure an [`Error`] is: the one way to match on errors
/// (`match error.kind() { ErrorKind::Timeout => .., _ => .. }`); the details are the error's
/// accessors.
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
    /// At call time, no valid credentials: the source failed (and the last ones, if any, have
    /// expired); [`Error::credentials_error`] names the source, its endpoint and its answer.
    Credentials,
}

/// Which time limit a timeout ([`ErrorKind::Timeout`]) hit.
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

/// Anything that can go wrong in a call: match on [`Error::kind`], read the details with the
/// accessors ([`Error::status`], [`Error::request_id`], [`Error::error_code`],
/// [`Error::error_message`], [`Error::operation_id`], ...).
///
/// `Display` is one line; it never contains a secret key, a security token or an IAM token.
/// One pointer wide, so a `Result<T, Error>` costs little to move.
pub struct Error(Box<Repr>);

/// The failures, with what each carries; private, so that a new detail or a new kind never
/// breaks a user's `match` (they match on [`ErrorKind`]).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Repr {
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
    /// No valid credentials at call time.
    #[error(transparent)]
    Credentials(crate::credentials::CredentialsError),
    /// A streamed body failed part-way; the cause is the transport's error (its kind is the
    /// error's kind).
    #[error("{cause} (after {received} bytes of the body{})", expected.map(|length| format!(" of {length}")).unwrap_or_default())]
    BodyInterrupted {
        /// The bytes that had arrived (or gone out) before the failure.
        received: u64,
        /// The whole body's length, when it was declared.
        expected: Option<u64>,
        /// What failed.
        cause: Error,
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
    /// The failure's details.
    #[cfg(test)]
    pub(crate) fn repr(&self) -> &Repr {
        &self.0
    }

    /// The failure's details, to fill in what a caller learns later (a trace id).
    pub(crate) fn repr_mut(&mut self) -> &mut Repr {
        &mut self.0
    }

    pub(crate) fn invalid_argument(argument: &'static str, message: impl Into<String>) -> Self {
        Self::from(Repr::InvalidArgument {
            argument,
            message: message.into(),
        })
    }

    pub(crate) fn encode_body(operation_id: &'static str, source: serde_json::Error) -> Self {
        Self::from(Repr::EncodeBody {
            operation_id,
            source,
        })
    }

    pub(crate) fn decode(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        message: String,
    ) -> Self {
        Self::from(Repr::Decode {
            operation_id,
            status,
            request_id: crate::response::request_id(&headers),
            headers: Box::new(headers),
            body,
            message,
        })
    }

    /// The error for an answer that is neither a success nor an error status (a redirect, an
    /// informational status).
    pub fn unexpected_status(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let location = headers
            .get(http::header::LOCATION)
            .map(|value| one_line(&String::from_utf8_lossy(value.as_bytes())))
            .filter(|location| !location.is_empty());
        Self::from(Repr::UnexpectedStatus {
            operation_id,
            status,
            request_id: crate::response::request_id(&headers),
            location,
            headers: Box::new(headers),
            body,
        })
    }

    /// The error for an answer whose body exceeds `limit` bytes (a sender's
    /// [`Limits::max_response_body`](crate::transport::Limits::max_response_body)).
    pub fn too_large(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        limit: usize,
    ) -> Self {
        Self::from(Repr::ResponseTooLarge {
            operation_id,
            status,
            request_id: crate::response::request_id(&headers),
            headers: Box::new(headers),
            limit,
        })
    }

    /// The error for an error answer (a status of 400 or more), as [`parse_service_error`]
    /// reads it.
    pub fn service(operation_id: &'static str, error: ServiceError) -> Self {
        Self::from(Repr::Service {
            operation_id,
            error: Box::new(error),
        })
    }

    pub(crate) fn credentials(error: crate::credentials::CredentialsError) -> Self {
        Self::from(Repr::Credentials(error))
    }

    pub(crate) fn setting(setting: &'static str, message: impl Into<String>) -> Self {
        Self::from(Repr::InvalidConfig(ConfigError::Setting {
            setting,
            message: message.into(),
        }))
    }

    /// No connection could be established (refused, DNS, TLS handshake, proxy): what a sender
    /// ([`HttpSend`](crate::HttpSend)) returns when the request surely was not sent.
    pub fn connect(operation_id: &'static str, message: impl Into<String>) -> Self {
        Self::from(Repr::Connect {
            operation_id,
            message: message.into(),
        })
    }

    /// A time limit passed (for a sender: connecting, or waiting for the answer).
    pub fn timeout(operation_id: &'static str, phase: TimeoutPhase, limit: Duration) -> Self {
        Self::from(Repr::Timeout {
            operation_id,
            phase,
            limit,
        })
    }

    /// The connection broke after the request went out and before the answer was complete.
    pub fn connection_dropped(operation_id: &'static str, message: impl Into<String>) -> Self {
        Self::from(Repr::ConnectionDropped {
            operation_id,
            message: message.into(),
        })
    }

    /// The answer is not valid HTTP (never retried).
    pub fn protocol(operation_id: &'static str, message: impl Into<String>) -> Self {
        Self::from(Repr::Protocol {
            operation_id,
            message: message.into(),
        })
    }

    /// Any other failure of a sender.
    pub fn transport(operation_id: &'static str, message: impl Into<String>) -> Self {
        Self::from(Repr::Transport {
            operation_id,
            message: message.into(),
        })
    }

    /// The same error, noting that a streamed body had moved `received` bytes (of `expected`,
    /// when declared) when it happened; an error noted so already is left as it is.
    pub(crate) fn with_body_bytes(self, received: u64, expected: Option<u64>) -> Self {
        if matches!(&*self.0, Repr::BodyInterrupted { .. }) {
            return self;
        }
        Self::from(Repr::BodyInterrupted {
            received,
            expected,
            cause: self,
        })
    }

    /// The same failure of an upload's body, rebuilt from the copy hyper reports inside its own
    /// error (an `Error` is not `Clone`): the argument error, with how far the body got.
    pub(crate) fn body_failure_copy(&self) -> Self {
        match &*self.0 {
            Repr::BodyInterrupted {
                received,
                expected,
                cause,
            } => cause
                .body_failure_copy()
                .with_body_bytes(*received, *expected),
            Repr::InvalidArgument { argument, message } => {
                Self::invalid_argument(argument, message.clone())
            }
            other => Self::from(Repr::Transport {
                operation_id: self.operation_id().unwrap_or_default(),
                message: other.to_string(),
            }),
        }
    }

    /// For a failure part-way through a streamed body (a [`ByteStream`](crate::ByteStream)):
    /// how many bytes of it had arrived.
    pub fn body_bytes_received(&self) -> Option<u64> {
        match &*self.0 {
            Repr::BodyInterrupted { received, .. } => Some(*received),
            _ => None,
        }
    }

    /// What failed: for a streamed body interrupted part-way, the cause.
    fn detail(&self) -> &Repr {
        match &*self.0 {
            Repr::BodyInterrupted { cause, .. } => cause.detail(),
            repr => repr,
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self.detail() {
            Repr::Connect { .. } => ErrorKind::Connect,
            Repr::Timeout { .. } => ErrorKind::Timeout,
            Repr::ConnectionDropped { .. } => ErrorKind::ConnectionDropped,
            Repr::Protocol { .. } => ErrorKind::Protocol,
            Repr::Service { .. } => ErrorKind::Service,
            Repr::Decode { .. } => ErrorKind::Decode,
            Repr::UnexpectedStatus { .. } => ErrorKind::UnexpectedStatus,
            Repr::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Repr::InvalidConfig(_) => ErrorKind::InvalidConfig,
            Repr::InvalidArgument { .. } | Repr::EncodeBody { .. } => ErrorKind::InvalidArgument,
            Repr::Transport { .. } => ErrorKind::Transport,
            // `detail` never returns one; kept for the match to be whole.
            Repr::BodyInterrupted { cause, .. } => cause.kind(),
            Repr::Credentials(_) => ErrorKind::Credentials,
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
        match self.detail() {
            Repr::Connect { .. } | Repr::Timeout { .. } | Repr::ConnectionDropped { .. } => true,
            Repr::Service { error, .. } => transient_status(error.status()),
            Repr::ResponseTooLarge { status, .. } => transient_status(*status),
            _ => false,
        }
    }

    /// The headers of an answer the call failed on (an error status, a body too large, an
    /// undecodable or unexpected answer).
    pub fn response_headers(&self) -> Option<&HeaderMap> {
        match self.detail() {
            Repr::Service { error, .. } => Some(error.headers()),
            Repr::Decode { headers, .. }
            | Repr::UnexpectedStatus { headers, .. }
            | Repr::ResponseTooLarge { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self.detail() {
            Repr::Service { error, .. } => Some(error.status()),
            Repr::Decode { status, .. }
            | Repr::UnexpectedStatus { status, .. }
            | Repr::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `X-Request-Id` the service sent, when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self.detail() {
            Repr::Service { error, .. } => error.request_id(),
            Repr::Decode { request_id, .. }
            | Repr::ResponseTooLarge { request_id, .. }
            | Repr::UnexpectedStatus { request_id, .. } => request_id.as_deref(),
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
        match self.detail() {
            Repr::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The raw body of an answer that did not decode.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self.detail() {
            Repr::Service { error, .. } => Some(error.body()),
            Repr::Decode { body, .. } | Repr::UnexpectedStatus { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Which time limit passed, for a timeout.
    pub fn timeout_phase(&self) -> Option<TimeoutPhase> {
        match self.detail() {
            Repr::Timeout { phase, .. } => Some(*phase),
            _ => None,
        }
    }

    /// The limit that passed, for a timeout.
    pub fn timeout_limit(&self) -> Option<Duration> {
        match self.detail() {
            Repr::Timeout { limit, .. } => Some(*limit),
            _ => None,
        }
    }

    /// The invalid setting, for an invalid configuration.
    pub fn config_error(&self) -> Option<&ConfigError> {
        match self.detail() {
            Repr::InvalidConfig(error) => Some(error),
            _ => None,
        }
    }

    /// The credential source's failure, for [`ErrorKind::Credentials`].
    pub fn credentials_error(&self) -> Option<&crate::credentials::CredentialsError> {
        match self.detail() {
            Repr::Credentials(error) => Some(error),
            _ => None,
        }
    }

    /// The name of the invalid argument, for an invalid argument.
    pub fn invalid_argument_name(&self) -> Option<&'static str> {
        match self.detail() {
            Repr::InvalidArgument { argument, .. } => Some(argument),
            _ => None,
        }
    }

    /// The operation the failure happened in, when it happened in one.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self.detail() {
            Repr::Connect { operation_id, .. }
            | Repr::Timeout { operation_id, .. }
            | Repr::ConnectionDropped { operation_id, .. }
            | Repr::Protocol { operation_id, .. }
            | Repr::Service { operation_id, .. }
            | Repr::Decode { operation_id, .. }
            | Repr::UnexpectedStatus { operation_id, .. }
            | Repr::ResponseTooLarge { operation_id, .. }
            | Repr::EncodeBody { operation_id, .. }
            | Repr::Transport { operation_id, .. } => Some(operation_id),
            Repr::InvalidConfig(_) | Repr::InvalidArgument { .. } | Repr::Credentials(_) => None,
            Repr::BodyInterrupted { cause, .. } => cause.operation_id(),
        }
    }
}

impl From<Repr> for Error {
    fn from(repr: Repr) -> Self {
        Self(Box::new(repr))
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::from(Repr::InvalidConfig(error))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

// The details of the failure, as `Repr` derives it: its messages and fields hold no secret
// (the service error's body is the service's answer, never the request).
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.0)
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
