//! The sending interface: a sender takes one signed request and returns the whole answer, read
//! within the limits, or the failure classified. The orchestrator sends through [`HttpSend`] and
//! names no implementation; [`http::HttpSender`] (reqwest) is the real one, the test-util
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

/// The limits a sender applies to one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// How long establishing a connection may take.
    pub(crate) connect_timeout: Duration,
    /// The longest wait for the answer, or for more of its bytes, once connected.
    pub(crate) read_timeout: Duration,
    /// The largest body read, in bytes.
    pub(crate) max_response_body: usize,
}

/// A whole answer: status, headers and the body, read within the size limit.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
}

/// What [`HttpSend::send`] returns: boxed, so that senders can be trait objects.
pub(crate) type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>>;

/// Sends one signed request and reads the answer within `limits`. Failures come back as the
/// client's error kinds (connect, timeout, dropped, too large, protocol); statuses are not
/// judged here.
pub(crate) trait HttpSend: fmt::Debug + Send + Sync {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> SendFuture<'a>;
}
