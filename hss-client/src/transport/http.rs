//! Sends a signed request over HTTP with reqwest and reads the answer within the size limit;
//! turns reqwest's failures into the client's error kinds.

use bytes::BytesMut;
use http::{HeaderMap, HeaderName, HeaderValue};

use super::{Received, SignedRequest};
use crate::config::Config;
use crate::error::{Error, TimeoutPhase};
use crate::signing::is_sensitive_header;

pub(super) async fn send(
    client: &reqwest::Client,
    request: SignedRequest,
    config: &Config,
    operation_id: &'static str,
) -> Result<Received, Error> {
    let headers = header_map(&request, operation_id)?;
    let mut response = client
        .request(request.method().clone(), request.url())
        .headers(headers)
        .body(request.body().clone())
        .send()
        .await
        .map_err(|error| classify(&error, config, operation_id))?;
    let status = response.status();
    let headers = response.headers().clone();
    let limit = config.max_response_body;
    let too_large = || Error::ResponseTooLarge {
        operation_id,
        status,
        request_id: crate::response::request_id(&headers).map(str::to_owned),
        limit,
    };
    // A declared length over the limit fails at once rather than after reading it all.
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| classify(&error, config, operation_id))?
    {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Received {
        status,
        headers,
        body: body.freeze(),
    })
}

fn header_map(request: &SignedRequest, operation_id: &'static str) -> Result<HeaderMap, Error> {
    let mut map = HeaderMap::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        // wire::build checked the values; this only fails on a bug, so the message stays generic.
        let invalid = || Error::Transport {
            operation_id,
            message: format!("header {name} cannot be sent"),
        };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let mut value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        // Keeps credentials out of HTTP/2 header compression tables and debug output.
        value.set_sensitive(is_sensitive_header(name));
        map.append(header, value);
    }
    Ok(map)
}

/// Maps a reqwest failure to an error kind. reqwest marks a failed connection (refused, DNS,
/// TLS, proxy, connect timeout) with `is_connect`; a timeout that is not a connect timeout is
/// the read timeout; anything else after the request went out means the connection broke.
fn classify(error: &reqwest::Error, config: &Config, operation_id: &'static str) -> Error {
    let message = describe(error);
    if error.is_timeout() {
        let (phase, limit) = if error.is_connect() {
            (TimeoutPhase::Connect, config.connect_timeout)
        } else {
            (TimeoutPhase::Read, config.read_timeout)
        };
        return Error::Timeout {
            operation_id,
            phase,
            limit,
        };
    }
    if error.is_connect() {
        return Error::Connect {
            operation_id,
            message,
        };
    }
    if error.is_builder() || error.is_redirect() {
        return Error::Transport {
            operation_id,
            message,
        };
    }
    Error::ConnectionDropped {
        operation_id,
        message,
    }
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
