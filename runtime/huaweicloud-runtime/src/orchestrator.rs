//! The orchestrator: runs a call as attempts until one succeeds, the retry policy stops, or the
//! deadline passes. Each attempt is built and signed afresh ([`wire`]) and sent through the
//! [`HttpSend`] interface, whichever sender is behind it; the answer's status decides between
//! the raw response and a service error.

pub(crate) mod wire;

use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;
use tracing::field::Empty;

use crate::byte_stream::ByteStream;
use crate::error::{Error, TimeoutPhase, parse_service_error};
use crate::request::{OperationRequest, RequestBody};
use crate::response::{ApiResponse, RawResponse};
use crate::retry::RetryDecision;
use crate::retry::jitter::JitterSource;
use crate::settings::Config;
use crate::transport::{HttpSend, Limits, Received};

/// Runs a call whose answer is read whole.
pub(crate) async fn execute(
    config: &Config,
    sender: &dyn HttpSend,
    jitter: &JitterSource,
    request: OperationRequest,
) -> Result<RawResponse, Error> {
    let operation_id = request.operation_id();
    match run(config, sender, jitter, request, Reading::Whole).await? {
        Answer::Whole(response) => Ok(response),
        Answer::Streamed(_) => Err(unexpected_reading(operation_id, Reading::Whole)),
    }
}

/// Runs a call whose answer's body the caller reads as a stream (a binary download).
pub(crate) async fn execute_streaming(
    config: &Config,
    sender: &dyn HttpSend,
    jitter: &JitterSource,
    request: OperationRequest,
) -> Result<ApiResponse<ByteStream>, Error> {
    let operation_id = request.operation_id();
    match run(config, sender, jitter, request, Reading::Streamed).await? {
        Answer::Streamed(response) => Ok(response),
        Answer::Whole(_) => Err(unexpected_reading(operation_id, Reading::Streamed)),
    }
}

/// `run` answers as it is asked; this is only reached through a bug.
fn unexpected_reading(operation_id: &'static str, asked: Reading) -> Error {
    Error::transport(
        operation_id,
        format!("the answer was not read as asked ({asked:?})"),
    )
}

/// How an answer's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Whole, within `max_response_body`.
    Whole,
    /// As a stream the caller reads (a binary download).
    Streamed,
}

/// A successful call's answer, read as asked.
enum Answer {
    Whole(RawResponse),
    Streamed(ApiResponse<ByteStream>),
}

impl Answer {
    fn status(&self) -> http::StatusCode {
        match self {
            Self::Whole(response) => response.status(),
            Self::Streamed(response) => response.status(),
        }
    }
}

/// Runs a call: attempts until one succeeds, the policy stops, or the deadline passes. The
/// deadline bounds a streamed answer until its head has arrived; its body is then the
/// caller's to read, each chunk within the read timeout.
async fn run(
    config: &Config,
    sender: &dyn HttpSend,
    jitter: &JitterSource,
    request: OperationRequest,
    reading: Reading,
) -> Result<Answer, Error> {
    let operation_id = request.operation_id();
    // Outside a runtime, reqwest and the timers would panic; say so instead. (A runtime without
    // the IO or time driver cannot be detected without provoking tokio's own panic, whose
    // message names the fix: `enable_all()`.)
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(Error::setting(
            "runtime",
            "no Tokio runtime is running: calls need a Tokio 1.x runtime with IO and timers enabled",
        ));
    }
    let call_span = tracing::info_span!(
        "hss_call",
        operation_id,
        attempts = Empty,
        elapsed_ms = Empty
    );
    // The clock is read for the spans' `elapsed_ms` only when a subscriber records them.
    let started = (!call_span.is_disabled()).then(Instant::now);
    let call = async {
        // A deadline too far to represent (`Duration::MAX`) is no deadline.
        let deadline = config.deadline.and_then(|limit| {
            let at = tokio::time::Instant::now().checked_add(limit)?;
            Some((at, limit))
        });
        let mut attempt = 0;
        let outcome = loop {
            attempt += 1;
            let attempt_span = tracing::debug_span!(
                "hss_attempt",
                attempt,
                status = Empty,
                request_id = Empty,
                elapsed_ms = Empty
            );
            let result = run_attempt(config, sender, &request, deadline, reading)
                .instrument(attempt_span)
                .await;
            let error = match result {
                Ok(response) => break Ok(response),
                Err(error) => error,
            };
            if !request.can_send_again() {
                tracing::debug!(attempt, "not retrying: the body was a stream, sent once");
                break Err(error);
            }
            let wait = match config
                .retry
                .decide(attempt, &error, SystemTime::now(), jitter.next())
            {
                RetryDecision::Stop => break Err(error),
                RetryDecision::RetryAfter(wait) => wait,
            };
            let past_deadline = deadline.is_some_and(|(at, _)| {
                let resumes = tokio::time::Instant::now().checked_add(wait);
                resumes.is_none_or(|resumes| resumes >= at)
            });
            if past_deadline {
                tracing::debug!(
                    attempt,
                    wait_ms = millis(wait),
                    "not retrying: the wait would pass the deadline"
                );
                break Err(error);
            }
            tracing::info!(attempt, wait_ms = millis(wait), error = %error, "retrying");
            tokio::time::sleep(wait).await;
        };
        let span = tracing::Span::current();
        span.record("attempts", attempt);
        if let Some(started) = started {
            span.record("elapsed_ms", millis(started.elapsed()));
        }
        match &outcome {
            Ok(answer) => tracing::debug!(
                attempts = attempt,
                status = answer.status().as_u16(),
                "call succeeded"
            ),
            Err(error) => tracing::debug!(attempts = attempt, error = %error, "call failed"),
        }
        outcome
    };
    call.instrument(call_span).await
}

async fn run_attempt(
    config: &Config,
    sender: &dyn HttpSend,
    request: &OperationRequest,
    deadline: Option<(tokio::time::Instant, Duration)>,
    reading: Reading,
) -> Result<Answer, Error> {
    let operation_id = request.operation_id();
    let span = tracing::Span::current();
    let started = (!span.is_disabled()).then(Instant::now);
    let mut signed = wire::build(config, request, SystemTime::now())?;
    if let RequestBody::Stream { stream, .. } = request.body() {
        signed = signed.with_body_stream(stream.for_attempt()?);
        if !sender.streams_request_bodies() {
            signed.buffer_body().await?;
        }
    }
    tracing::debug!(method = %signed.method(), path = signed.path(), query = signed.query(), "sending");
    let limits = Limits {
        connect_timeout: config.connect_timeout,
        read_timeout: config.read_timeout,
        max_response_body: config.max_response_body,
        max_streamed_body: config.max_streamed_body,
    };
    let sent = async {
        match reading {
            Reading::Whole => sender
                .send(signed, &limits, operation_id)
                .await
                .map(Arrived::Whole),
            // Boxed: a download is rare, and its reading would make every call's future larger.
            Reading::Streamed => Box::pin(streamed(sender, signed, &limits, operation_id)).await,
        }
    };
    let arrived = match deadline {
        Some((at, limit)) => match tokio::time::timeout_at(at, sent).await {
            Ok(arrived) => arrived,
            Err(_) => Err(Error::from(crate::error::Repr::Timeout {
                operation_id,
                phase: TimeoutPhase::Deadline,
                limit,
            })),
        },
        None => sent.await,
    };
    if let Some(started) = started {
        span.record("elapsed_ms", millis(started.elapsed()));
    }
    let arrived = match arrived {
        Ok(arrived) => arrived,
        Err(error) => {
            tracing::debug!(error = %error, "attempt failed");
            return Err(error);
        }
    };
    let (status, headers) = match &arrived {
        Arrived::Whole(received) => (received.status, &received.headers),
        Arrived::Streamed(head) => (head.status, &head.headers),
    };
    // The request id is read from the headers only when a span or an event will show it.
    if !span.is_disabled() || tracing::enabled!(tracing::Level::DEBUG) {
        let request_id = crate::response::request_id(headers).unwrap_or_default();
        let request_id = request_id.as_str();
        span.record("status", status.as_u16());
        span.record("request_id", request_id);
        tracing::debug!(status = status.as_u16(), request_id, "answered");
    }
    let received = match arrived {
        Arrived::Whole(received) => received,
        Arrived::Streamed(head) => {
            let empty = head.body.length() == Some(0);
            if let Some(encoding) = unsupported_encoding(&head.headers, !empty) {
                return Err(Error::decode(
                    operation_id,
                    head.status,
                    head.headers,
                    bytes::Bytes::new(),
                    encoded_message(&encoding),
                ));
            }
            return Ok(Answer::Streamed(ApiResponse::from_parts(
                head.body,
                head.status,
                head.headers,
            )));
        }
    };
    if received.status.as_u16() >= 400 {
        let error = parse_service_error(received.status, &received.headers, &received.body);
        return Err(Error::service(operation_id, error));
    }
    // Only a 2xx is a success; a redirect or an informational answer never reaches a decoder.
    if !received.status.is_success() {
        return Err(Error::unexpected_status(
            operation_id,
            received.status,
            received.headers,
            received.body,
        ));
    }
    // The client asks for no encoding; a body encoded anyway cannot be read as it is.
    if let Some(encoding) = unsupported_encoding(&received.headers, !received.body.is_empty()) {
        return Err(Error::decode(
            operation_id,
            received.status,
            received.headers,
            received.body,
            encoded_message(&encoding),
        ));
    }
    let response = RawResponse::new(
        operation_id,
        received.status,
        received.headers,
        received.body,
    );
    Ok(match reading {
        Reading::Whole => Answer::Whole(response),
        // A success the sender read whole (a streaming sender does not): handed out as one chunk.
        Reading::Streamed => Answer::Streamed(response.stream()),
    })
}

/// Sends an attempt whose success is read as a stream; an answer that is not a success is
/// read whole, to be judged as any other.
async fn streamed(
    sender: &dyn HttpSend,
    signed: crate::transport::SignedRequest,
    limits: &Limits,
    operation_id: &'static str,
) -> Result<Arrived, Error> {
    let mut head = sender.send_streaming(signed, limits, operation_id).await?;
    if head.status.is_success() {
        return Ok(Arrived::Streamed(head));
    }
    let body = head.body.collect().await?;
    let status = head.status;
    let headers = std::mem::take(&mut head.headers);
    Ok(Arrived::Whole(Received::new(status, headers, body)))
}

/// What arrived for an attempt: a whole answer, or a success's head with its body to come.
enum Arrived {
    Whole(Received),
    Streamed(crate::transport::ReceivedStream),
}

fn encoded_message(encoding: &str) -> String {
    format!(
        "the body is encoded with {encoding:?} (Content-Encoding), which the client does not decode"
    )
}

/// The `Content-Encoding` of a body that may have bytes, unless it is `identity`.
fn unsupported_encoding(headers: &http::HeaderMap, has_body: bool) -> Option<String> {
    let value = headers.get(http::header::CONTENT_ENCODING)?;
    let encoding = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    let identity = encoding.is_empty() || encoding.eq_ignore_ascii_case("identity");
    (has_body && !identity).then_some(encoding)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
