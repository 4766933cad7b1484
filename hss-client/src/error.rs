//! The one error type of the client (placeholder shape; the cloud runtime fills in the kinds).

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Anything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument is invalid; names the argument.
    #[error("invalid argument {argument}: {message}")]
    InvalidArgument {
        /// The argument's name.
        argument: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The request body could not be encoded.
    #[error("{operation_id}: could not encode the request body: {source}")]
    EncodeBody {
        /// The operation.
        operation_id: &'static str,
        /// The serializer's error.
        source: serde_json::Error,
    },
    /// A success answer whose body does not decode.
    #[error("{operation_id}: status {status}, request id {}: could not decode the response body: {message}", crate::response::request_id(headers).unwrap_or("-"))]
    Decode {
        /// The operation.
        operation_id: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
        /// Why it does not decode.
        message: String,
    },
    /// Transport failure.
    #[error("{0}")]
    Transport(#[from] reqwest::Error),
    /// The service answered with an error status.
    #[error("status {status}: {body}")]
    Service {
        /// The HTTP status.
        status: StatusCode,
        /// The raw body text.
        body: String,
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
        Self::EncodeBody { operation_id, source }
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
            headers,
            body,
            message,
        }
    }
}
