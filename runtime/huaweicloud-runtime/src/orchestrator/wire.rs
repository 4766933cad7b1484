//! The request of one attempt: the operation's request plus the standard headers, the
//! credentials and the signature, built afresh (and so signed afresh) for every attempt.

use std::cell::RefCell;
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{OperationRequest, RequestBody};
use crate::settings::Config;
use crate::signing::{self, SigningBuffer};
use crate::transport::SignedRequest;

/// The names the client sends its headers under, spelt as the official SDKs spell them.
pub(crate) mod names {
    pub(crate) const CONTENT_TYPE: &str = "Content-Type";
    pub(crate) const CONTENT_SHA256: &str = crate::signing::CONTENT_SHA256_HEADER;
    pub(crate) const USER_AGENT: &str = "User-Agent";
    pub(crate) const PROJECT_ID: &str = "X-Project-Id";
    pub(crate) const SDK_DATE: &str = crate::signing::SDK_DATE_HEADER;
    pub(crate) const HOST: &str = "Host";
    pub(crate) const SECURITY_TOKEN: &str = "X-Security-Token";
    pub(crate) const AUTH_TOKEN: &str = "X-Auth-Token";
    pub(crate) const AUTHORIZATION: &str = "Authorization";
    pub(crate) const COOKIE: &str = "Cookie";
}

/// The project id a call runs for: the one the operation filled in, else the client's.
fn project_id<'a>(config: &'a Config, request: &'a OperationRequest) -> Option<&'a str> {
    request
        .client_param_value("project_id")
        .or(config.project_id.as_deref())
}

thread_local! {
    /// The text a signature is built in, reused by every request signed on this thread.
    static SIGNING_BUFFER: RefCell<SigningBuffer> = RefCell::new(SigningBuffer::new());
}

/// Builds and signs the request of one attempt at time `now`. The headers are signed from
/// borrowed text and go into the `HeaderMap` once, signature included.
pub(crate) fn build(
    config: &Config,
    request: &OperationRequest,
    now: SystemTime,
) -> Result<SignedRequest, Error> {
    let body = match request.body() {
        RequestBody::Empty => Bytes::new(),
        RequestBody::Bytes { bytes, .. } => bytes.clone(),
        // Sent as it is read, by the attempt, and signed as `UNSIGNED-PAYLOAD` (below). The
        // signer takes that header's value for a body that is not empty, as the official
        // signer does for a file it is given, so a stream not known to be empty stands here as
        // one byte that is never sent.
        RequestBody::Stream { stream, .. } if stream.known_empty() => Bytes::new(),
        RequestBody::Stream { .. } => Bytes::from_static(b" "),
    };
    // The cache's current key: the client refreshed it before the call if it needed to.
    let credentials = config
        .credentials
        .current()
        .ok_or_else(|| Error::invalid_argument("credentials", "have not been fetched yet"))?;
    let sdk_date = signing::format_sdk_date(now);
    let cookies = crate::request::cookie_header(request.cookies());
    // (name, value), names spelt as the official SDKs spell them; signed in this form.
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(8 + request.headers().len());
    if let Some(content_type) = request.content_type() {
        headers.push((names::CONTENT_TYPE, content_type));
        // As the official SDKs' signer does: a body that is not JSON is left out of the
        // signature (only AK/SK requests are signed).
        let signed = matches!(&*credentials, Credentials::AkSk { .. });
        let streamed = matches!(request.body(), RequestBody::Stream { .. });
        if signed && (streamed || signing::payload_unsigned(content_type)) {
            headers.push((names::CONTENT_SHA256, signing::UNSIGNED_PAYLOAD));
        }
    }
    headers.push((names::USER_AGENT, &config.user_agent));
    if let Some(project_id) = project_id(config, request) {
        check_header_value("project_id", project_id)?;
        headers.push((names::PROJECT_ID, project_id));
    }
    headers.push((names::SDK_DATE, &sdk_date));
    headers.push((names::HOST, config.endpoint.host_header_str()));
    for (name, value) in request.headers() {
        check_header_value(name, value)?;
        headers.push((name, value));
    }
    // Added before signing, so the cookies are signed like every other header.
    if let Some(cookies) = &cookies {
        check_header_value("cookie", cookies)?;
        headers.push((names::COOKIE, cookies));
    }

    let path = config.endpoint.request_path(request.path());
    let operation_id = request.operation_id();
    let (query, map) = match &*credentials {
        Credentials::AkSk {
            access_key,
            secret_key,
            security_token,
        } => {
            if let Some(token) = security_token {
                // The credentials' token wins over an operation's `X-Security-Token` parameter
                // (the account operations have one), as in the official SDK: one header, the
                // token the signature belongs to.
                headers.retain(|(name, _)| !name.eq_ignore_ascii_case(names::SECURITY_TOKEN));
                headers.push((names::SECURITY_TOKEN, token.expose()));
            }
            // The key state is set up once per secret key, not for every request.
            let key = secret_key
                .signing_key()
                .map_err(|error| Error::setting("credentials", error.to_string()))?;
            SIGNING_BUFFER.with(|buffer| {
                // A buffer still borrowed (a panic inside an earlier signature) is replaced.
                let mut fresh = SigningBuffer::new();
                let mut borrowed = buffer.try_borrow_mut();
                let buffer = match &mut borrowed {
                    Ok(buffer) => &mut **buffer,
                    Err(_) => &mut fresh,
                };
                signing::sign_into(
                    buffer,
                    request.method().as_str(),
                    &path,
                    request.query_pairs(),
                    &headers,
                    &body,
                    access_key,
                    key,
                )
                .map_err(|error| Error::setting("credentials", error.to_string()))?;
                let map = header_map(
                    &headers,
                    (names::AUTHORIZATION, buffer.authorization()),
                    operation_id,
                )?;
                // The canonical query is the wire query: the signer has built it already.
                Ok::<_, Error>((buffer.wire_query().to_owned(), map))
            })?
        }
        Credentials::Token(token) => {
            let map = header_map(&headers, (names::AUTH_TOKEN, token.expose()), operation_id)?;
            (signing::canonical_query(request.query_pairs()), map)
        }
        // The cache never holds a provider (it holds what one fetched).
        _ => {
            return Err(Error::invalid_argument(
                "credentials",
                "a provider returned a provider instead of credentials",
            ));
        }
    };
    // A streamed body goes with the request of each attempt (`run_attempt`), not as bytes.
    let body = match request.body() {
        RequestBody::Stream { .. } => Bytes::new(),
        RequestBody::Empty | RequestBody::Bytes { .. } => body,
    };
    Ok(SignedRequest::new(
        request.method().clone(),
        config.endpoint.wire_url(&path, &query),
        path,
        query,
        map,
        body,
    ))
}

/// The headers and then the credential header `last` in a map, in that order. The values share
/// one buffer, so the map is two allocations plus that one, and a copy of it (for a resend)
/// shares the values rather than copying them.
fn header_map(
    headers: &[(&str, &str)],
    last: (&str, &str),
    operation_id: &'static str,
) -> Result<HeaderMap, Error> {
    let all = || headers.iter().chain(std::iter::once(&last));
    let mut text = BytesMut::with_capacity(all().map(|(_, value)| value.len()).sum());
    for (_, value) in all() {
        text.extend_from_slice(value.as_bytes());
    }
    let text = text.freeze();
    let mut map = HeaderMap::with_capacity(headers.len() + 1);
    let mut at = 0;
    for (name, value) in all() {
        // The values were checked above and the names are the spec's; this only fails on a bug
        // or a spec header name HTTP cannot carry, so the message stays generic.
        let invalid = || {
            Error::from(crate::error::Repr::Transport {
                operation_id,
                message: format!("header {name} cannot be sent"),
            })
        };
        let header = header_name(name).map_or_else(
            || HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid()),
            Ok,
        )?;
        let end = at + value.len();
        let mut value =
            HeaderValue::from_maybe_shared(text.slice(at..end)).map_err(|_| invalid())?;
        at = end;
        // Credentials are kept out of HTTP/2 header compression tables and of `Debug`.
        value.set_sensitive(signing::is_sensitive_header(name));
        map.append(header, value);
    }
    Ok(map)
}

/// The names the client itself sends, without parsing them.
fn header_name(name: &str) -> Option<HeaderName> {
    Some(match name {
        names::CONTENT_TYPE => http::header::CONTENT_TYPE,
        names::USER_AGENT => http::header::USER_AGENT,
        names::PROJECT_ID => HeaderName::from_static("x-project-id"),
        names::SDK_DATE => HeaderName::from_static("x-sdk-date"),
        names::CONTENT_SHA256 => HeaderName::from_static("x-sdk-content-sha256"),
        names::HOST => http::header::HOST,
        names::SECURITY_TOKEN => HeaderName::from_static("x-security-token"),
        names::AUTH_TOKEN => HeaderName::from_static("x-auth-token"),
        names::AUTHORIZATION => http::header::AUTHORIZATION,
        names::COOKIE => http::header::COOKIE,
        _ => return None,
    })
}

/// A value HTTP cannot carry in a header is the caller's mistake, reported before sending.
/// The rule is `http::HeaderValue::from_str`'s (no control character but tab), checked without
/// building a value that would be thrown away.
fn check_header_value(argument: &'static str, value: &str) -> Result<(), Error> {
    let sendable = |byte: u8| byte == b'\t' || (byte >= 0x20 && byte != 0x7f);
    if value.bytes().all(sendable) {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            argument,
            "cannot be sent in an HTTP header: use visible ASCII characters only",
        ))
    }
}

#[cfg(test)]
mod tests;
