//! One unsigned request of a credential source through the client's sender, bounded by the
//! source's own timeouts, and the failure said with the source, the endpoint and the answer.

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use super::CredentialsError;
use super::answer::body_excerpt;
use super::provider::FetchContext;
use crate::error::ErrorKind;
use crate::transport::{Limits, Received, SignedRequest};

/// The largest answer a credential source may send.
const MAX_ANSWER: usize = 64 * 1024;

/// The operation id a source's requests carry in the sender's errors.
const OPERATION_ID: &str = "FetchCredentials";

/// How a request of a source failed.
pub(crate) enum Failure {
    /// Nothing listens there, or the connection could not be made in time: the source is absent.
    Unreachable(String),
    /// Connected, and no answer came in time.
    TimedOut(String),
    /// Anything else (a dropped connection, a bad URL): the source is there and failing.
    Failed(CredentialsError),
}

impl Failure {
    pub(crate) fn into_error(self, provider: &str, url: &str) -> CredentialsError {
        match self {
            Self::Failed(error) => error,
            Self::Unreachable(message) | Self::TimedOut(message) => CredentialsError::Fetch {
                provider: provider.to_owned(),
                endpoint: url.to_owned(),
                status: None,
                message,
            },
        }
    }
}

/// A request of a source.
pub(crate) struct Exchange<'a> {
    pub(crate) provider: &'a str,
    pub(crate) method: Method,
    pub(crate) url: &'a str,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
}

impl Exchange<'_> {
    /// Sends it; any status is an answer.
    pub(crate) async fn send(self, context: FetchContext<'_>) -> Result<Received, Failure> {
        let url = Url::parse(self.url).map_err(|error| {
            Failure::Failed(CredentialsError::BadSetting {
                provider: self.provider.to_owned(),
                variable: "endpoint".to_owned(),
                message: format!("{} is not a URL: {error}", self.url),
            })
        })?;
        let path = url.path().to_owned();
        let query = url.query().unwrap_or_default().to_owned();
        let mut headers = HeaderMap::with_capacity(self.headers.len() + 1);
        let pairs = std::iter::once(("User-Agent".to_owned(), context.user_agent.to_owned()))
            .chain(self.headers);
        for (name, value) in pairs {
            let name = HeaderName::from_bytes(name.as_bytes());
            let value = HeaderValue::from_str(&value);
            let (Ok(name), Ok(value)) = (name, value) else {
                // Never the value: it may be a token.
                return Err(Failure::Failed(CredentialsError::BadSetting {
                    provider: self.provider.to_owned(),
                    variable: "a request header".to_owned(),
                    message: "holds a character HTTP cannot carry (a line break?)".to_owned(),
                }));
            };
            headers.append(name, value);
        }
        let request = SignedRequest::new(self.method, url, path, query, headers, self.body);
        let limits = Limits {
            max_streamed_body: MAX_ANSWER as u64,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_response_body: MAX_ANSWER,
        };
        // The sender's own connect timeout is the client's (60 s by default): the whole
        // exchange is bounded here by the source's.
        let bound = self.connect_timeout.saturating_add(self.read_timeout);
        let sent =
            tokio::time::timeout(bound, context.sender.send(request, &limits, OPERATION_ID)).await;
        let fail = |message: String| {
            Failure::Failed(CredentialsError::Fetch {
                provider: self.provider.to_owned(),
                endpoint: self.url.to_owned(),
                status: None,
                message,
            })
        };
        match sent {
            Err(_) => Err(Failure::Unreachable(format!(
                "did not answer within {bound:?}"
            ))),
            Ok(Ok(received)) => Ok(received),
            Ok(Err(error)) => match error.kind() {
                ErrorKind::Connect => Err(Failure::Unreachable(error.to_string())),
                ErrorKind::Timeout
                    if error.timeout_phase() == Some(crate::error::TimeoutPhase::Connect) =>
                {
                    Err(Failure::Unreachable(error.to_string()))
                }
                ErrorKind::Timeout => Err(Failure::TimedOut(error.to_string())),
                _ => Err(fail(error.to_string())),
            },
        }
    }
}

/// The error of an answer whose status is not a success.
pub(crate) fn status_error(provider: &str, url: &str, received: &Received) -> CredentialsError {
    CredentialsError::Fetch {
        provider: provider.to_owned(),
        endpoint: url.to_owned(),
        status: Some(received.status.as_u16()),
        message: format!(
            "answered {}: {}",
            received.status.as_u16(),
            body_excerpt(&received.body)
        ),
    }
}

/// A file whose content is a token (read again at each refresh): unreadable or empty is an
/// error naming the source and the variable or key that named the file.
pub(crate) fn read_token_file(
    provider: &str,
    variable: &str,
    path: &std::path::Path,
) -> Result<String, CredentialsError> {
    let bad = |message: String| CredentialsError::BadSetting {
        provider: provider.to_owned(),
        variable: variable.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|error| {
        bad(format!(
            "names file {} which cannot be read: {error}",
            path.display()
        ))
    })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(bad(format!("names file {} which is empty", path.display())));
    }
    Ok(text.to_owned())
}
