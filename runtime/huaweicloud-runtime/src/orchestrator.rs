//! The orchestrator: runs a call as attempts until one succeeds, the retry policy stops, or the
//! deadline passes. Each attempt is built and signed afresh ([`wire`]) and sent through the
//! [`HttpSend`] interface, whichever sender is behind it; the answer's status decides between
//! the raw response and a service error.

pub(crate) mod wire;

use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;
use tracing::field::Empty;

use crate::error::{Error, TimeoutPhase, parse_service_error};
use crate::request::OperationRequest;
use crate::response::RawResponse;
use crate::retry::RetryDecision;
use crate::retry::jitter::JitterSource;
use crate::settings::Config;
use crate::transport::{HttpSend, Limits};

/// Runs a call: attempts until one succeeds, the policy stops, or the deadline passes.
pub(crate) async fn execute(
    config: &Config,
    sender: &dyn HttpSend,
    jitter: &JitterSource,
    request: OperationRequest,
) -> Result<RawResponse, Error> {
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
    let call = async {
        let started = Instant::now();
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
            let result = run_attempt(config, sender, &request, deadline)
                .instrument(attempt_span)
                .await;
            let error = match result {
                Ok(response) => break Ok(response),
                Err(error) => error,
            };
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
        span.record("elapsed_ms", millis(started.elapsed()));
        match &outcome {
            Ok(response) => tracing::debug!(
                attempts = attempt,
                status = response.status().as_u16(),
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
) -> Result<RawResponse, Error> {
    let operation_id = request.operation_id();
    let started = Instant::now();
    let span = tracing::Span::current();
    let signed = wire::build(config, request, SystemTime::now())?;
    tracing::debug!(method = %signed.method(), path = signed.path(), query = signed.query(), "sending");
    let limits = Limits {
        connect_timeout: config.connect_timeout,
        read_timeout: config.read_timeout,
        max_response_body: config.max_response_body,
    };
    let sent = sender.send(signed, &limits, operation_id);
    let received = match deadline {
        Some((at, limit)) => match tokio::time::timeout_at(at, sent).await {
            Ok(received) => received,
            Err(_) => Err(Error::from(crate::error::Repr::Timeout {
                operation_id,
                phase: TimeoutPhase::Deadline,
                limit,
            })),
        },
        None => sent.await,
    };
    span.record("elapsed_ms", millis(started.elapsed()));
    let received = match received {
        Ok(received) => received,
        Err(error) => {
            tracing::debug!(error = %error, "attempt failed");
            return Err(error);
        }
    };
    // The request id is read from the headers only when a span or an event will show it.
    if !span.is_disabled() || tracing::enabled!(tracing::Level::DEBUG) {
        let request_id = crate::response::request_id(&received.headers).unwrap_or_default();
        let request_id = request_id.as_str();
        span.record("status", received.status.as_u16());
        span.record("request_id", request_id);
        tracing::debug!(status = received.status.as_u16(), request_id, "answered");
    }
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
    if let Some(encoding) = unsupported_encoding(&received.headers, &received.body) {
        let message = format!(
            "the body is encoded with {encoding:?} (Content-Encoding), which the client does not decode"
        );
        return Err(Error::decode(
            operation_id,
            received.status,
            received.headers,
            received.body,
            message,
        ));
    }
    Ok(RawResponse::new(
        operation_id,
        received.status,
        received.headers,
        received.body,
    ))
}

/// The `Content-Encoding` of a non-empty body, unless it is `identity`.
fn unsupported_encoding(headers: &http::HeaderMap, body: &[u8]) -> Option<String> {
    let value = headers.get(http::header::CONTENT_ENCODING)?;
    let encoding = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    let identity = encoding.is_empty() || encoding.eq_ignore_ascii_case("identity");
    (!body.is_empty() && !identity).then_some(encoding)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
