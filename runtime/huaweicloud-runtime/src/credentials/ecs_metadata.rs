//! ECS metadata: `PUT {metadata}/meta-data/latest/api/token` for a session token (404, 405 or
//! 503: none, carry on), then `GET {metadata}/openstack/latest/securitykey` with
//! `X-Metadata-Token`; a 401 fetches the session token again, once. 3 s connect and read
//! timeouts. Absent (so the default chain ends listing every source it tried) when the endpoint
//! refuses the connection, does not connect or answer in time, or answers 404 to the
//! credentials path.

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use tokio::sync::Mutex;

use super::CredentialsError;
use super::answer::read_credentials;
use super::fetch::{Exchange, Failure, status_error};
use super::provider::{FetchContext, FetchedCredentials, ProvideCredentials, ProvideFuture};
use crate::transport::Received;

/// This client's variable for the metadata endpoint (the official SDKs have none).
pub const ENV_METADATA_ENDPOINT: &str = "HUAWEICLOUD_SDK_METADATA_ENDPOINT";
/// The metadata endpoint of an ECS.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://169.254.169.254";
/// The path of the session token.
pub const TOKEN_PATH: &str = "/meta-data/latest/api/token";
/// The path of the temporary credentials.
pub const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";

const NAME: &str = "ecs metadata";
const TIMEOUT: Duration = Duration::from_secs(3);
const TOKEN_TTL_SECONDS: &str = "21600";
const AGENCY_ERROR: &str = "Please configure Cloud Service Agency first";

/// The ECS metadata source.
#[derive(Debug)]
pub struct EcsMetadata {
    endpoint: String,
    session_token: Mutex<Option<String>>,
    /// Set when it ends the default chain: what the chain looked at before, listed when the
    /// metadata service turns out absent.
    chain: Option<Vec<String>>,
}

enum Step {
    Answer(Received),
    Absent(String),
}

impl EcsMetadata {
    /// The source at `endpoint` (`http://169.254.169.254` on an ECS).
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            session_token: Mutex::new(None),
            chain: None,
        }
    }

    /// The source at [`ENV_METADATA_ENDPOINT`], else the default.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Self {
        Self::new(
            super::non_empty(env(ENV_METADATA_ENDPOINT))
                .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned()),
        )
    }

    pub(crate) fn ending_chain(mut self, looked: Vec<String>) -> Self {
        self.chain = Some(looked);
        self
    }

    async fn send(
        &self,
        context: FetchContext<'_>,
        method: Method,
        url: &str,
        headers: Vec<(String, String)>,
    ) -> Result<Step, CredentialsError> {
        let sent = Exchange {
            provider: NAME,
            method,
            url,
            headers,
            body: Bytes::new(),
            connect_timeout: TIMEOUT,
            read_timeout: TIMEOUT,
        }
        .send(context)
        .await;
        match sent {
            Ok(received) => Ok(Step::Answer(received)),
            // Off ECS, the address may accept and never answer: counted as absent too, so that
            // the chain ends with every source it tried.
            Err(Failure::Unreachable(why) | Failure::TimedOut(why)) => Ok(Step::Absent(why)),
            Err(failure) => Err(failure.into_error(NAME, url)),
        }
    }

    /// A new session token; `None` when the service has none to give (404, 405, 503) and
    /// `required` is false.
    async fn session_token(
        &self,
        context: FetchContext<'_>,
        required: bool,
    ) -> Result<Result<Option<String>, String>, CredentialsError> {
        let url = format!("{}{TOKEN_PATH}", super::with_scheme(&self.endpoint));
        let headers = vec![(
            "X-Metadata-Token-Ttl-Seconds".to_owned(),
            TOKEN_TTL_SECONDS.to_owned(),
        )];
        let received = match self.send(context, Method::PUT, &url, headers).await? {
            Step::Answer(received) => received,
            Step::Absent(why) => return Ok(Err(why)),
        };
        match received.status.as_u16() {
            200 => {
                let token = String::from_utf8_lossy(&received.body).trim().to_owned();
                Ok(Ok((!token.is_empty()).then_some(token)))
            }
            404 | 405 | 503 if !required => Ok(Ok(None)),
            _ => Err(status_error(NAME, &url, &received)),
        }
    }

    fn absent(&self, why: String) -> CredentialsError {
        let place = format!("ECS metadata at {} ({why})", self.endpoint);
        match &self.chain {
            Some(looked) => {
                let mut looked = looked.clone();
                looked.push(place);
                CredentialsError::NotFound { looked }
            }
            None => CredentialsError::Fetch {
                provider: NAME.to_owned(),
                endpoint: self.endpoint.clone(),
                status: None,
                message: why,
            },
        }
    }

    async fn fetch(
        &self,
        context: FetchContext<'_>,
    ) -> Result<FetchedCredentials, CredentialsError> {
        let mut held = self.session_token.lock().await;
        if held.is_none() {
            match self.session_token(context, false).await? {
                Ok(token) => *held = token,
                Err(why) => return Err(self.absent(why)),
            }
        }
        let url = format!("{}{SECURITY_KEY_PATH}", super::with_scheme(&self.endpoint));
        let mut retried = false;
        loop {
            let headers = match &*held {
                Some(token) => vec![("X-Metadata-Token".to_owned(), token.clone())],
                None => Vec::new(),
            };
            let received = match self.send(context, Method::GET, &url, headers).await? {
                Step::Answer(received) => received,
                Step::Absent(why) => return Err(self.absent(why)),
            };
            let status = received.status.as_u16();
            let agency_missing = String::from_utf8_lossy(&received.body).contains(AGENCY_ERROR);
            if status == 401 && !retried && !agency_missing {
                retried = true;
                match self.session_token(context, true).await? {
                    Ok(token) => *held = token,
                    Err(why) => return Err(self.absent(why)),
                }
                continue;
            }
            if status == 404 {
                return Err(self.absent(format!("{url} answered 404")));
            }
            if !received.status.is_success() {
                return Err(status_error(NAME, &url, &received));
            }
            return read_credentials(NAME, &url, &received.body);
        }
    }
}

impl ProvideCredentials for EcsMetadata {
    fn name(&self) -> &str {
        NAME
    }

    fn provide<'a>(&'a self, context: FetchContext<'a>) -> ProvideFuture<'a> {
        Box::pin(self.fetch(context))
    }
}
