//! The real sender: sends a signed request over HTTP/1.1 with reqwest, reads the answer within
//! the limits, and turns reqwest's failures into the client's error kinds.

use std::time::Duration;

use bytes::BytesMut;
use http::{HeaderMap, HeaderName, HeaderValue};

use super::{HttpSend, Limits, Received, SendFuture, SignedRequest};
use crate::error::{Error, TimeoutPhase};
use crate::signing::is_sensitive_header;

/// What the HTTP connections are made with.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) proxy: Option<String>,
    pub(crate) ca_certificates: Vec<Vec<u8>>,
    pub(crate) danger_accept_invalid_certs: bool,
}

/// Sends through a reqwest client and its connection pool.
#[derive(Debug)]
pub(crate) struct HttpSender {
    client: reqwest::Client,
}

impl HttpSender {
    /// A sender for these settings; a setting reqwest refuses is named in the error.
    pub(crate) fn new(settings: HttpSettings) -> Result<Self, Error> {
        Ok(Self {
            client: reqwest_client(&settings)?,
        })
    }
}

impl HttpSend for HttpSender {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> SendFuture<'a> {
        Box::pin(send(&self.client, request, limits, operation_id))
    }
}

fn reqwest_client(settings: &HttpSettings) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .read_timeout(settings.read_timeout)
        // A redirect would resend a request signed for another URL, and the token with it.
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(settings.danger_accept_invalid_certs);
    if let Some(proxy) = &settings.proxy {
        // The reason is left out: it may quote the URL, and with it a password.
        let proxy = reqwest::Proxy::all(proxy.as_str())
            .map_err(|_| Error::setting("proxy", "is not a valid proxy URL"))?;
        builder = builder.proxy(proxy);
    }
    for pem in &settings.ca_certificates {
        let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|error| {
            Error::setting("ca_certificates", format!("not PEM certificates: {error}"))
        })?;
        if certificates.is_empty() {
            return Err(Error::setting(
                "ca_certificates",
                "the PEM text holds no certificate",
            ));
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder
        .build()
        .map_err(|error| Error::setting("http client", error.to_string()))
}

async fn send(
    client: &reqwest::Client,
    request: SignedRequest,
    limits: &Limits,
    operation_id: &'static str,
) -> Result<Received, Error> {
    let headers = header_map(&request, operation_id)?;
    let mut response = client
        .request(request.method().clone(), request.url())
        .headers(headers)
        .body(request.body().clone())
        .send()
        .await
        .map_err(|error| classify(&error, limits, operation_id))?;
    let status = response.status();
    let headers = response.headers().clone();
    let limit = limits.max_response_body;
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
        .map_err(|error| classify(&error, limits, operation_id))?
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
fn classify(error: &reqwest::Error, limits: &Limits, operation_id: &'static str) -> Error {
    let message = describe(error);
    if error.is_timeout() {
        let (phase, limit) = if error.is_connect() {
            (TimeoutPhase::Connect, limits.connect_timeout)
        } else {
            (TimeoutPhase::Read, limits.read_timeout)
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
