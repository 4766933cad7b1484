//! The sending interface: a sender takes one signed request and returns the whole answer, read
//! within the limits, or the failure classified. The orchestrator sends through [`HttpSend`] and
//! names no implementation; `http::HttpSender` (reqwest) is the real one, the test-util
//! `MockTransport` a scripted one.

pub(crate) mod http;
mod request;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::error::Error;
use ::http::{HeaderMap, StatusCode};
pub use request::SignedRequest;

/// The limits a sender applies to one attempt (the client's settings of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// How long establishing a connection may take.
    pub connect_timeout: Duration,
    /// The longest wait for the answer, or for more of its bytes, once connected.
    pub read_timeout: Duration,
    /// The largest body read, in bytes: a longer one is an [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge).
    pub max_response_body: usize,
}

/// A whole answer: status, headers and the body, read within the size limit.
#[derive(Debug)]
#[non_exhaustive]
pub struct Received {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

impl Received {
    /// An answer as a sender read it.
    pub fn new(status: StatusCode, headers: HeaderMap, body: bytes::Bytes) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }
}

/// What [`HttpSend::send`] returns: boxed, so that senders can be trait objects.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>>;

/// Sends one signed request and reads the answer within `limits`: the seam where a user's own
/// HTTP stack or middleware plugs in ([`ClientBuilder::sender`](crate::ClientBuilder::sender)).
///
/// The request is final: signed, with every header, so a sender must not change what the
/// signature covers (method, path, query, signed headers, body). Failures come back as the
/// client's error kinds (`Error::connect`, `Error::timeout`, `Error::connection_dropped`, ...),
/// which decide what the retry policy does; statuses are not judged here, the attempt loop does
/// that.
pub trait HttpSend: fmt::Debug + Send + Sync {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> SendFuture<'a>;
}
