//! The real sender: sends a signed request over HTTP/1.1 with reqwest, reads the answer within
//! the limits, and turns reqwest's failures into the client's error kinds.
//!
//! A request that went out on a pooled connection which then closed before any of the answer
//! arrived is sent once more, on a new connection (see [`closed_while_idle`]).

mod probe;
mod proxies;
mod tls;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{HttpSend, Limits, Received, ReceivedStream, SendFuture, SignedRequest, StreamFuture};
use crate::byte_stream::ByteStream;
use crate::error::{Error, TimeoutPhase};
use probe::{Probe, ProbeLayer};
pub(crate) use proxies::Proxies;

/// What the HTTP connections are made with.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) pool_max_idle_per_host: usize,
    pub(crate) max_concurrent_requests: usize,
    pub(crate) proxies: Proxies,
    pub(crate) ca_certificates: Vec<Vec<u8>>,
    pub(crate) danger_accept_invalid_certs: bool,
}

/// Sends through a reqwest client and its connection pool.
#[derive(Debug)]
pub(crate) struct HttpSender {
    pooled: reqwest::Client,
    settings: HttpSettings,
    /// A client without a pool, for sending again on a new connection; made when first needed.
    fresh: OnceLock<Result<reqwest::Client, String>>,
    /// Turns for requests in flight; `None` without a limit.
    turns: Option<Arc<Semaphore>>,
}

impl HttpSender {
    /// A sender for these settings; a setting reqwest refuses is named in the error.
    pub(crate) fn new(settings: HttpSettings) -> Result<Self, Error> {
        Ok(Self {
            pooled: reqwest_client(&settings, Pooling::Keep)?,
            // A cap beyond what a semaphore can count is no cap.
            turns: (settings.max_concurrent_requests < Semaphore::MAX_PERMITS)
                .then(|| Arc::new(Semaphore::new(settings.max_concurrent_requests))),
            settings,
            fresh: OnceLock::new(),
        })
    }

    fn fresh(&self, operation_id: &'static str) -> Result<&reqwest::Client, Error> {
        self.fresh
            .get_or_init(|| {
                reqwest_client(&self.settings, Pooling::None).map_err(|error| error.to_string())
            })
            .as_ref()
            .map_err(|message| {
                Error::from(crate::error::Repr::Transport {
                    operation_id,
                    message: message.clone(),
                })
            })
    }

    /// A turn for one request in flight, held until its answer is read (for a stream, until it
    /// ends or is dropped); the wait for it is not read time.
    async fn turn(
        &self,
        operation_id: &'static str,
    ) -> Result<Option<OwnedSemaphorePermit>, Error> {
        match &self.turns {
            Some(turns) => Ok(Some(
                Arc::clone(turns)
                    .acquire_owned()
                    .await
                    .map_err(|_| closed(operation_id))?,
            )),
            None => Ok(None),
        }
    }

    /// Sends the request and waits for the answer's head.
    async fn response(
        &self,
        mut request: SignedRequest,
        limits: &Limits,
        operation_id: &'static str,
    ) -> Result<reqwest::Response, Error> {
        let probe = Arc::new(Probe::default());
        let read_timeout = limits.read_timeout;
        if let Some(stream) = request.take_body_stream() {
            // A stream is sent once: no second try on a new connection (the attempt loop sends a
            // file again, from its start, as a new attempt).
            let headers = request.take_headers();
            let body = reqwest::Body::wrap(stream);
            return head(&self.pooled, &request, headers, body, &probe, read_timeout)
                .await
                .map_err(|failed| failed.into_error(limits, operation_id));
        }
        // The first attempt sends a copy of the map (its values shared, not copied): the rare
        // resend needs the original.
        let headers = request.headers().clone();
        let body = reqwest::Body::from(request.body().clone());
        match head(&self.pooled, &request, headers, body, &probe, read_timeout).await {
            Err(Failed::Http(error)) if closed_while_idle(&error, &probe) => {
                tracing::debug!(
                    error = %describe(&error),
                    "a pooled connection closed before any of the answer arrived: sending again on a new connection"
                );
                let probe = Arc::new(Probe::default());
                let fresh = self.fresh(operation_id)?;
                let headers = request.take_headers();
                let body = reqwest::Body::from(request.body().clone());
                head(fresh, &request, headers, body, &probe, read_timeout).await
            }
            other => other,
        }
        .map_err(|failed| failed.into_error(limits, operation_id))
    }

    async fn send(
        &self,
        request: SignedRequest,
        limits: &Limits,
        operation_id: &'static str,
    ) -> Result<Received, Error> {
        let _turn = self.turn(operation_id).await?;
        let response = self.response(request, limits, operation_id).await?;
        read_body(response, limits, operation_id).await
    }

    async fn send_streaming(
        &self,
        request: SignedRequest,
        limits: &Limits,
        operation_id: &'static str,
    ) -> Result<ReceivedStream, Error> {
        let turn = self.turn(operation_id).await?;
        let mut response = self.response(request, limits, operation_id).await?;
        let status = response.status();
        if !status.is_success() {
            // An error's body is read whole, within the usual limit, to be decoded.
            let received = read_body(response, limits, operation_id).await?;
            return Ok(ReceivedStream::new(
                received.status,
                received.headers,
                ByteStream::from(received.body),
            ));
        }
        let headers = std::mem::take(response.headers_mut());
        let length = response.content_length();
        if length.is_some_and(|length| length > limits.max_streamed_body) {
            return Err(Error::too_large(
                operation_id,
                status,
                headers,
                usize::try_from(limits.max_streamed_body).unwrap_or(usize::MAX),
            ));
        }
        let body = ResponseBody {
            body: reqwest::Body::from(response),
            timer: ReadTimer::new(Box::pin(None)),
            limits: *limits,
            received: 0,
            operation_id,
            status,
            headers: headers.clone(),
            _turn: turn,
        };
        Ok(ReceivedStream::new(
            status,
            headers,
            ByteStream::from_body_chunks(body, length),
        ))
    }
}

impl HttpSend for HttpSender {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> SendFuture<'a> {
        Box::pin(HttpSender::send(self, request, limits, operation_id))
    }

    fn send_streaming<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> StreamFuture<'a> {
        Box::pin(HttpSender::send_streaming(
            self,
            request,
            limits,
            operation_id,
        ))
    }

    fn streams_request_bodies(&self) -> bool {
        true
    }
}

/// A streamed answer's body: each chunk within the read timeout, the whole within
/// `max_streamed_body`, failures as the client's errors; holds the request's turn until it
/// ends or is dropped.
struct ResponseBody {
    body: reqwest::Body,
    timer: ReadTimer<Box<Option<tokio::time::Sleep>>>,
    limits: Limits,
    received: u64,
    operation_id: &'static str,
    status: http::StatusCode,
    headers: HeaderMap,
    _turn: Option<OwnedSemaphorePermit>,
}

impl futures_core::Stream for ResponseBody {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        use http_body::Body as _;
        let this = self.get_mut();
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    this.timer.arrived();
                    // Trailers carry nothing the caller reads.
                    let Ok(chunk) = frame.into_data() else {
                        continue;
                    };
                    this.received = this.received.saturating_add(chunk.len() as u64);
                    if this.received > this.limits.max_streamed_body {
                        return Poll::Ready(Some(Err(Error::too_large(
                            this.operation_id,
                            this.status,
                            this.headers.clone(),
                            usize::try_from(this.limits.max_streamed_body).unwrap_or(usize::MAX),
                        ))));
                    }
                    return Poll::Ready(Some(Ok(chunk)));
                }
                Poll::Ready(Some(Err(error))) => {
                    this.timer.arrived();
                    return Poll::Ready(Some(Err(classify(
                        &error,
                        &this.limits,
                        this.operation_id,
                    ))));
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => {}
            }
            ready!(this.timer.poll_wait(this.limits.read_timeout, cx));
            return Poll::Ready(Some(Err(
                Failed::ReadTimeout.into_error(&this.limits, this.operation_id)
            )));
        }
    }
}

/// The read timeout between the chunks of a body: set when a wait for one begins, run out when
/// nothing arrives before it. `P` holds the timer (on the stack, or boxed in a stream).
struct ReadTimer<P> {
    /// Made at the first wait, set again when another begins.
    timer: Pin<P>,
    /// Whether the timer is set for the current wait.
    waiting: bool,
}

impl<P> ReadTimer<P>
where
    P: std::ops::DerefMut<Target = Option<tokio::time::Sleep>>,
{
    fn new(timer: Pin<P>) -> Self {
        Self {
            timer,
            waiting: false,
        }
    }

    /// Something arrived: the next wait starts a new read timeout.
    fn arrived(&mut self) {
        self.waiting = false;
    }

    /// Waits while nothing arrives: ready when the read timeout has run out.
    fn poll_wait(&mut self, read_timeout: Duration, cx: &mut Context<'_>) -> Poll<()> {
        if !self.waiting {
            // A read timeout too long to represent is no read timeout.
            let Some(until) = tokio::time::Instant::now().checked_add(read_timeout) else {
                return Poll::Pending;
            };
            match self.timer.as_mut().as_pin_mut() {
                Some(timer) => timer.reset(until),
                None => self.timer.set(Some(tokio::time::sleep_until(until))),
            }
            self.waiting = true;
        }
        match self.timer.as_mut().as_pin_mut() {
            Some(timer) => {
                ready!(timer.poll(cx));
                self.waiting = false;
                Poll::Ready(())
            }
            None => Poll::Pending,
        }
    }
}

/// Whether a client keeps idle connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pooling {
    Keep,
    None,
}

fn reqwest_client(settings: &HttpSettings, pooling: Pooling) -> Result<reqwest::Client, Error> {
    let (max_idle, idle_timeout) = match pooling {
        // A zero idle timeout keeps nothing idle; one too long to represent never expires
        // (the pool adds it to the current time).
        Pooling::Keep if !settings.pool_idle_timeout.is_zero() => {
            let timeout = settings.pool_idle_timeout;
            let representable = tokio::time::Instant::now()
                .checked_add(timeout)
                .and_then(|at| at.checked_add(timeout))
                .is_some();
            (
                settings.pool_max_idle_per_host,
                representable.then_some(timeout),
            )
        }
        Pooling::Keep | Pooling::None => (0, None),
    };
    let mut builder = reqwest::Client::builder()
        // The read timeout is kept here, not by reqwest, whose timer also runs while connecting.
        .connect_timeout(settings.connect_timeout)
        .pool_max_idle_per_host(max_idle)
        .pool_idle_timeout(idle_timeout)
        .connector_layer(ProbeLayer)
        // A redirect would resend a request signed for another URL, and the token with it.
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(tls::client_config(
            &settings.ca_certificates,
            settings.danger_accept_invalid_certs,
        )?);
    builder = settings.proxies.apply(builder)?;
    builder
        .build()
        .map_err(|error| Error::setting("http client", error.to_string()))
}

/// Why sending or reading failed.
#[derive(Debug)]
enum Failed {
    Http(reqwest::Error),
    /// The read timeout passed with the connection established.
    ReadTimeout,
}

impl Failed {
    fn into_error(self, limits: &Limits, operation_id: &'static str) -> Error {
        match self {
            Self::Http(error) => classify(&error, limits, operation_id),
            Self::ReadTimeout => Error::from(crate::error::Repr::Timeout {
                operation_id,
                phase: TimeoutPhase::Read,
                limit: limits.read_timeout,
            }),
        }
    }
}

/// Sends the request and waits for the answer's status and headers. The read timeout counts
/// from when the attempt has its connection: while a connection is being opened for it, only
/// the connect timeout applies, and the timer is set a read timeout from each look, so that the
/// wait sleeps until the connection is open (or the connect timeout ends it).
async fn head(
    client: &reqwest::Client,
    request: &SignedRequest,
    headers: HeaderMap,
    body: reqwest::Body,
    probe: &Arc<Probe>,
    read_timeout: Duration,
) -> Result<reqwest::Response, Failed> {
    let sent = client
        // The parsed URL: reqwest would parse the text again.
        .request(request.method().clone(), request.parsed_url().clone())
        .headers(headers)
        .body(body)
        .send();
    let mut sent = std::pin::pin!(sent);
    let started = tokio::time::Instant::now();
    let mut timer = std::pin::pin!(None::<tokio::time::Sleep>);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = probe.poll_watched(sent.as_mut(), cx) {
            return Poll::Ready(result.map_err(Failed::Http));
        }
        loop {
            let (connecting, settled_at) = probe.state();
            let from = if connecting {
                tokio::time::Instant::now()
            } else {
                settled_at.map_or(started, |at| at.max(started))
            };
            // A read timeout too long to represent is no read timeout.
            let Some(until) = from.checked_add(read_timeout) else {
                return Poll::Pending;
            };
            match timer.as_mut().as_pin_mut() {
                Some(mut set) if set.deadline() != until => set.as_mut().reset(until),
                Some(_) => {}
                None => timer.set(Some(tokio::time::sleep_until(until))),
            }
            let Some(set) = timer.as_mut().as_pin_mut() else {
                return Poll::Pending;
            };
            ready!(set.poll(cx));
            // The timer ran out: the read timeout, unless the attempt is still connecting or
            // connected since it was set (then look again).
            if !connecting && probe.state().1 == settled_at {
                return Poll::Ready(Err(Failed::ReadTimeout));
            }
        }
    })
    .await
}

/// Whether the request surely did not reach the service, so that sending it again cannot make
/// it run twice: it went out on a connection the pool already had (not one opened while the
/// attempt waited; told apart by the connection's local address), and that connection ended —
/// closed, reset, or broken on write — before a complete answer head arrived, with no connect
/// and no timeout involved.
///
/// That is how the race between a server closing an idle connection and the client sending on
/// it looks: the server closed without reading the request. A server that had read a request
/// answers it before closing, or at least starts to; hyper reports an end inside a partial head
/// the same way, so a server that crashes mid-answer on a reused connection would also be sent
/// the request again, once. The one resend goes on a new connection, where the same failure
/// is reported as a dropped connection.
fn closed_while_idle(error: &reqwest::Error, probe: &Probe) -> bool {
    if error.is_connect() || error.is_timeout() {
        return false;
    }
    let used = causes(error)
        .find_map(|cause| cause.downcast_ref::<hyper_util::client::legacy::Error>())
        .and_then(hyper_util::client::legacy::Error::connect_info);
    if probe.reused(used) != Some(true) {
        return false;
    }
    causes(error).any(|cause| {
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            return hyper.is_incomplete_message();
        }
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
            )
        })
    })
}

/// The error's causes, outermost first.
fn causes(error: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    std::iter::successors(std::error::Error::source(error), |cause| cause.source())
}

/// Reads the body up to the limit, waiting at most the read timeout for each part of it. A body
/// that comes in one part (any small answer) is kept as that part, without a copy; one that has
/// arrived with the head is read without setting a timer.
async fn read_body(
    mut response: reqwest::Response,
    limits: &Limits,
    operation_id: &'static str,
) -> Result<Received, Error> {
    use http_body::Body as _;
    let status = response.status();
    // Taken, not cloned: the response needs its headers no more.
    let headers = std::mem::take(response.headers_mut());
    let limit = limits.max_response_body;
    // A declared length over the limit fails at once rather than after reading it all.
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(Error::too_large(operation_id, status, headers, limit));
    }
    let mut body = reqwest::Body::from(response);
    let sleep = std::pin::pin!(None);
    let mut timer = ReadTimer::new(sleep);
    let mut first: Option<Bytes> = None;
    let mut more: Option<BytesMut> = None;
    let mut length: usize = 0;
    // `Err(None)`: over the limit (the error is made below, with the headers).
    let read = std::future::poll_fn(|cx| -> Poll<Result<(), Option<Error>>> {
        loop {
            let chunk = match Pin::new(&mut body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => frame.into_data().ok(),
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Err(Some(classify(&error, limits, operation_id))));
                }
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => {
                    ready!(timer.poll_wait(limits.read_timeout, cx));
                    let timeout = Failed::ReadTimeout.into_error(limits, operation_id);
                    return Poll::Ready(Err(Some(timeout)));
                }
            };
            timer.arrived();
            // Trailers carry nothing the client reads.
            let Some(chunk) = chunk else { continue };
            length = length.saturating_add(chunk.len());
            if length > limit {
                return Poll::Ready(Err(None));
            }
            match (&mut first, &mut more) {
                (None, _) => first = Some(chunk),
                (Some(first), None) => {
                    let mut joined = BytesMut::with_capacity(length);
                    joined.extend_from_slice(first);
                    joined.extend_from_slice(&chunk);
                    more = Some(joined);
                }
                (Some(_), Some(joined)) => joined.extend_from_slice(&chunk),
            }
        }
    });
    match read.await {
        Ok(()) => {}
        Err(Some(error)) => return Err(error),
        // Over the limit: the error keeps the headers, which the reading could not hold.
        Err(None) => return Err(Error::too_large(operation_id, status, headers, limit)),
    }
    let body = match (first, more) {
        (_, Some(joined)) => joined.freeze(),
        (Some(first), None) => first,
        (None, None) => Bytes::new(),
    };
    Ok(Received {
        status,
        headers,
        body,
    })
}

/// Maps a reqwest failure to an error kind. reqwest marks a failed connection (refused, DNS,
/// TLS, proxy, connect timeout) with `is_connect`; hyper marks an answer it cannot parse; a
/// timeout that is not a connect timeout is the read timeout; anything else after the request
/// went out means the connection broke.
fn classify(error: &reqwest::Error, limits: &Limits, operation_id: &'static str) -> Error {
    // An upload's body that failed (a file that cannot be read, a caller's stream that failed)
    // is the caller's error, not the connection's.
    if let Some(body) = causes(error).find_map(|cause| cause.downcast_ref::<Error>()) {
        return body.body_failure_copy();
    }
    let message = describe(error);
    let malformed = causes(error)
        .filter_map(|cause| cause.downcast_ref::<hyper::Error>())
        .any(hyper::Error::is_parse);
    if malformed && !error.is_connect() {
        return Error::from(crate::error::Repr::Protocol {
            operation_id,
            message,
        });
    }
    if error.is_timeout() {
        let (phase, limit) = if error.is_connect() {
            (TimeoutPhase::Connect, limits.connect_timeout)
        } else {
            (TimeoutPhase::Read, limits.read_timeout)
        };
        return Error::from(crate::error::Repr::Timeout {
            operation_id,
            phase,
            limit,
        });
    }
    if error.is_connect() {
        return Error::from(crate::error::Repr::Connect {
            operation_id,
            message,
        });
    }
    if error.is_builder() || error.is_redirect() {
        return Error::from(crate::error::Repr::Transport {
            operation_id,
            message,
        });
    }
    Error::from(crate::error::Repr::ConnectionDropped {
        operation_id,
        message,
    })
}

/// The causes of the error on one line. reqwest's own text is only "error sending request for
/// url (...)", so the causes say more; it is the fallback when there are none.
fn describe(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        // Wrapping errors often repeat their cause's text.
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(error.to_string());
    }
    parts.join(": ").replace(['\n', '\r'], " ")
}

fn closed(operation_id: &'static str) -> Error {
    Error::from(crate::error::Repr::Transport {
        operation_id,
        message: "the client's request slots are closed".to_owned(),
    })
}
