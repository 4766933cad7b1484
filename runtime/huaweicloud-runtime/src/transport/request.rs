//! The request as it goes on the wire, signature included: what a sender sends.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, Method};
use reqwest::Url;

use crate::byte_stream::ByteStream;
use crate::signing;

/// A request exactly as the client sends it, signature included.
///
/// `Debug` shows `***` for the values of `Authorization`, `X-Auth-Token` and `X-Security-Token`.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    method: Method,
    url: Url,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Bytes,
    /// A body sent as it is read, for senders that stream request bodies; `body` is then empty.
    stream: Option<BodySlot>,
}

/// A streamed body, shared by the copies of a request: whichever sends it takes it.
#[derive(Clone)]
struct BodySlot(Arc<Mutex<Option<ByteStream>>>);

impl PartialEq for BodySlot {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for BodySlot {}

impl SignedRequest {
    pub(crate) fn new(
        method: Method,
        url: Url,
        path: String,
        query: String,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            method,
            url,
            path,
            query,
            headers,
            body,
            stream: None,
        }
    }

    /// The same request with its body a stream, sent as it is read.
    pub(crate) fn with_body_stream(mut self, stream: ByteStream) -> Self {
        self.body = Bytes::new();
        self.stream = Some(BodySlot(Arc::new(Mutex::new(Some(stream)))));
        self
    }

    /// Whether the body is a stream ([`SignedRequest::take_body_stream`]); only a sender whose
    /// [`HttpSend::streams_request_bodies`](crate::HttpSend::streams_request_bodies) says so is
    /// given one.
    pub fn has_body_stream(&self) -> bool {
        self.stream.is_some()
    }

    /// The body, when it is a stream: taken, so a copy of the request then has none.
    pub fn take_body_stream(&mut self) -> Option<ByteStream> {
        let slot = self.stream.as_ref()?;
        slot.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// The body in memory: read a streamed one whole (for a sender that does not stream).
    pub(crate) async fn buffer_body(&mut self) -> Result<(), crate::error::Error> {
        if let Some(stream) = self.take_body_stream() {
            self.body = stream.collect().await?;
            self.stream = None;
        }
        Ok(())
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The full URL: endpoint, path and canonical query.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The full URL, parsed.
    pub(crate) fn parsed_url(&self) -> &Url {
        &self.url
    }

    /// The path as sent (percent-encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query as sent: the canonical query string, empty when there is none.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Every header the client sets, in the order it sets them, `Authorization` last; names
    /// lower case as HTTP/1.1 sends them, credentials marked sensitive.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers, by value: what a sender puts on the wire.
    pub fn take_headers(&mut self) -> HeaderMap {
        std::mem::take(&mut self.headers)
    }

    /// The value of header `name` (any case), when it is UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        // `HeaderMap::get` compares names in any case.
        let value = self.headers.get(name)?;
        std::str::from_utf8(value.as_bytes()).ok()
    }

    /// The body bytes; empty when the body is a stream ([`SignedRequest::has_body_stream`]).
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() || signing::is_sensitive_header(name.as_str()) {
                    "***"
                } else {
                    std::str::from_utf8(value.as_bytes()).unwrap_or("(not UTF-8)")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("body_streamed", &self.stream.is_some())
            .finish()
    }
}
