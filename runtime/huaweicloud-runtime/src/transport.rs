//! The sending interface: a sender takes one signed request and returns the whole answer, read
//! within the limits (or, for a binary download, its body as a stream), or the failure
//! classified. The orchestrator sends through [`HttpSend`] and
//! names no implementation; `http::HttpSender` (reqwest) is the real one, the test-util
//! `MockTransport` a scripted one.

pub(crate) mod http;
mod request;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::byte_stream::ByteStream;
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
    /// The largest streamed body ([`HttpSend::send_streaming`]), in bytes; `u64::MAX` is none.
    pub max_streamed_body: u64,
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

/// An answer whose body is read as it arrives: status, headers, and the body to come.
#[derive(Debug)]
#[non_exhaustive]
pub struct ReceivedStream {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, not read yet.
    pub body: ByteStream,
}

impl ReceivedStream {
    /// An answer as a sender received its head.
    pub fn new(status: StatusCode, headers: HeaderMap, body: ByteStream) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }
}

/// What [`HttpSend::send`] returns: boxed, so that senders can be trait objects.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>>;

/// What [`HttpSend::send_streaming`] returns.
pub type StreamFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ReceivedStream, Error>> + Send + 'a>>;

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

    /// Sends one signed request and returns once the answer's head has arrived, its body to be
    /// read as it comes (a binary download), each chunk within the read timeout and the whole
    /// within `max_streamed_body`. A failure part-way through the body is an error of the
    /// stream's.
    ///
    /// The default reads the whole answer with [`HttpSend::send`] (within `max_streamed_body`)
    /// and hands it out as one chunk: right, but held in memory.
    fn send_streaming<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> StreamFuture<'a> {
        Box::pin(async move {
            let whole = Limits {
                max_response_body: usize::try_from(limits.max_streamed_body).unwrap_or(usize::MAX),
                ..*limits
            };
            let received = self.send(request, &whole, operation_id).await?;
            Ok(ReceivedStream::new(
                received.status,
                received.headers,
                ByteStream::from(received.body),
            ))
        })
    }

    /// Whether [`HttpSend::send`] sends a request body given as a stream
    /// ([`SignedRequest::take_body_stream`]) as it comes. A sender that does not (the default)
    /// is given every body in memory: the client reads a streamed upload whole first.
    fn streams_request_bodies(&self) -> bool {
        false
    }
}
