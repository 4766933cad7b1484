//! The request of one attempt: the operation's request plus the standard headers, the
//! credentials and the signature, built afresh (and so signed afresh) for every attempt.

use std::time::SystemTime;

use bytes::Bytes;

use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{OperationRequest, RequestBody};
use crate::settings::Config;
use crate::signing::{self, SigningInput};
use crate::transport::SignedRequest;

/// The names the client sends its headers under, spelt as the official SDKs spell them.
pub(crate) mod names {
    pub(crate) const CONTENT_TYPE: &str = "Content-Type";
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

/// Builds and signs the request of one attempt at time `now`.
pub(crate) fn build(
    config: &Config,
    request: &OperationRequest,
    now: SystemTime,
) -> Result<SignedRequest, Error> {
    let body = match request.body() {
        RequestBody::Empty => Bytes::new(),
        RequestBody::Bytes { bytes, .. } => bytes.clone(),
    };
    let content_type = request.content_type();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, value: &str| headers.push((name.to_owned(), value.to_owned()));
    if let Some(content_type) = content_type {
        add(names::CONTENT_TYPE, content_type);
    }
    add(names::USER_AGENT, &config.user_agent);
    if let Some(project_id) = project_id(config, request) {
        check_header_value("project_id", project_id)?;
        add(names::PROJECT_ID, project_id);
    }
    add(names::SDK_DATE, &signing::format_sdk_date(now));
    add(names::HOST, config.endpoint.host_header_str());
    for (name, value) in request.headers() {
        check_header_value(name, value)?;
        add(name, value);
    }
    // Added before signing, so the cookies are signed like every other header.
    if let Some(cookies) = crate::request::cookie_header(request.cookies()) {
        check_header_value("cookie", &cookies)?;
        add(names::COOKIE, &cookies);
    }

    let path = config.endpoint.request_path(request.path());
    // The cache's current key: the client refreshed it before the call if it needed to.
    let credentials = config
        .credentials
        .current()
        .ok_or_else(|| Error::invalid_argument("credentials", "have not been fetched yet"))?;
    let query = match &*credentials {
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
                headers.push((names::SECURITY_TOKEN.to_owned(), token.expose().to_owned()));
            }
            let input = SigningInput {
                method: request.method().as_str(),
                path: &path,
                query: request.query_pairs(),
                headers: &headers,
                body: &body,
            };
            // The key state is set up once per secret key, not for every request.
            let signature = secret_key
                .signing_key()
                .and_then(|key| signing::sign_with_key(&input, access_key, key))
                .map_err(|error| Error::setting("credentials", error.to_string()))?;
            headers.push((names::AUTHORIZATION.to_owned(), signature.authorization));
            // The canonical query is the wire query: the signer has built it already.
            signature.wire_query
        }
        Credentials::Token(token) => {
            headers.push((names::AUTH_TOKEN.to_owned(), token.expose().to_owned()));
            signing::canonical_query(request.query_pairs())
        }
        // The cache never holds a provider (it holds what one fetched).
        _ => {
            return Err(Error::invalid_argument(
                "credentials",
                "a provider returned a provider instead of credentials",
            ));
        }
    };
    Ok(SignedRequest::new(
        request.method().clone(),
        config.endpoint.wire_url(&path, &query),
        path,
        query,
        headers,
        body,
    ))
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
