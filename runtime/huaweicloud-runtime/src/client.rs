//! The client: the resolved settings and the sender, shared by its clones, and the two entry
//! points generated operations call (through `__private::client_param` and `__private::execute`).

use std::fmt;
use std::sync::Arc;

use crate::builder::ClientBuilder;
use crate::byte_stream::ByteStream;
use crate::credentials::cache::CredentialCache;
use crate::credentials::{CredentialSource, Credentials, FetchContext};
use crate::endpoint::Endpoint;
use crate::error::{ConfigError, Error};
use crate::iam::{self, ProjectIdError};
use crate::orchestrator;
use crate::request::{ClientDefault, OperationRequest};
use crate::response::{ApiResponse, RawResponse};
use crate::retry::RetryPolicy;
use crate::retry::jitter::JitterSource;
use crate::settings::Config;
use crate::transport::HttpSend;

/// The runtime client of one service: its resolved settings, credentials and connection pool.
/// Cheap to clone; clones share the settings and the pool.
///
/// A generated service crate wraps it in its own `Client`, which adds one method per operation;
/// build that one with the service crate's `Client::builder()`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    sender: Arc<dyn HttpSend>,
    jitter: JitterSource,
}

// By hand, to show the settings a reader needs and no more; the credentials show as their kind
// and the access key only (Secret already masks the rest, this keeps it short).
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field("endpoint", &config.endpoint.to_string())
            .field("credentials", &CredentialsSummary(&config.credentials))
            .field("credential_source", &config.credential_source)
            .field("project_id", &config.project_id)
            .field("region_id", &config.region_id)
            .field(
                "iam_endpoint",
                &config.iam_endpoint.as_ref().map(ToString::to_string),
            )
            .field("user_agent", &config.user_agent)
            .field("retry", &config.retry)
            .field("connect_timeout", &config.connect_timeout)
            .field("read_timeout", &config.read_timeout)
            .field("deadline", &config.deadline)
            .field("max_response_body", &config.max_response_body)
            .field("max_streamed_body", &config.max_streamed_body)
            .finish_non_exhaustive()
    }
}

struct CredentialsSummary<'a>(&'a CredentialCache);

impl fmt::Debug for CredentialsSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.0.provider_name() {
            return write!(f, "fetched from {name}");
        }
        let Some(credentials) = self.0.current() else {
            return f.write_str("none");
        };
        match &*credentials {
            Credentials::AkSk {
                access_key,
                security_token,
                ..
            } => {
                let kind = if security_token.is_some() {
                    "temporary AK/SK"
                } else {
                    "permanent AK/SK"
                };
                write!(f, "{kind} (access key {access_key})")
            }
            Credentials::Token(_) => f.write_str("IAM token"),
            _ => f.write_str("provider"),
        }
    }
}

impl Client {
    pub(crate) fn from_parts(config: Config, sender: Arc<dyn HttpSend>) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                sender,
                jitter: JitterSource::from_clock(),
            }),
        }
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.config.endpoint
    }

    /// The project id that fills `{project_id}` unless a call sets its own; `None` when there is
    /// none, also when the client finds it through IAM at its first call (see [`crate::iam`]).
    pub fn project_id(&self) -> Option<&str> {
        self.inner.config.project_id.as_deref()
    }

    /// Where the credentials came from.
    pub fn credential_source(&self) -> &CredentialSource {
        &self.inner.config.credential_source
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.config.retry
    }

    /// The `User-Agent` sent.
    pub fn user_agent(&self) -> &str {
        &self.inner.config.user_agent
    }

    /// Resolves the parameter `argument`, which the client fills from its setting `default`
    /// unless the call gives its own value.
    ///
    /// A project id the client will find through IAM (a region, AK/SK credentials and no
    /// project id) is not known yet: the value returned then is a placeholder that
    /// `Client::execute` replaces with the id found before anything is sent.
    pub(crate) fn client_param(
        &self,
        argument: &'static str,
        default: ClientDefault,
        call_value: Option<String>,
    ) -> Result<String, Error> {
        if let Some(value) = call_value {
            return Ok(value);
        }
        let config = &self.inner.config;
        match default {
            ClientDefault::ProjectId => {
                if let Some(project_id) = &config.project_id {
                    return Ok(project_id.clone());
                }
                if config.iam_endpoint.is_some() {
                    return Ok(iam::pending_project_id().to_owned());
                }
                match (&config.region_id, config.credentials.is_ak_sk()) {
                    (Some(region), false) => {
                        Err(ConfigError::ProjectId(ProjectIdError::TokenCredentials {
                            region: region.clone(),
                        })
                        .into())
                    }
                    _ => Err(Error::invalid_argument(
                        argument,
                        "is not set: set it on the call, on the client, or in HUAWEICLOUD_SDK_PROJECT_ID \
                         (or give the client a region to find it through IAM)",
                    )),
                }
            }
        }
    }

    /// Sends one operation request (signed, with retries) and returns the raw answer of a
    /// successful call (a 2xx status); a status of 400 or more is an [`Error::Service`], any
    /// other (1xx, 3xx) an [`Error::UnexpectedStatus`].
    ///
    /// A request whose project id is still to be found (see [`Client::client_param`]) first
    /// gets it from the process-wide cache, or from IAM; if that fails, nothing is sent.
    pub(crate) async fn execute(&self, request: OperationRequest) -> Result<RawResponse, Error> {
        let request = self.prepare(request).await?;
        let inner = &*self.inner;
        orchestrator::execute(&inner.config, &*inner.sender, &inner.jitter, request).await
    }

    /// [`Client::execute`] for a binary answer, its body read as the caller reads the stream.
    pub(crate) async fn execute_streaming(
        &self,
        request: OperationRequest,
    ) -> Result<ApiResponse<ByteStream>, Error> {
        let request = self.prepare(request).await?;
        let inner = &*self.inner;
        orchestrator::execute_streaming(&inner.config, &*inner.sender, &inner.jitter, request).await
    }

    /// Fresh credentials, and the project id filled in.
    async fn prepare(&self, mut request: OperationRequest) -> Result<OperationRequest, Error> {
        let inner = &*self.inner;
        // Refreshed here, before the project id lookup and the call sign with it.
        let context = FetchContext {
            sender: &*inner.sender,
            user_agent: &inner.config.user_agent,
        };
        inner
            .config
            .credentials
            .get(context)
            .await
            .map_err(Error::credentials)?;
        let setting = ClientDefault::ProjectId.setting();
        let pending = iam::pending_project_id();
        if request.client_param_value(setting) == Some(pending) {
            // Boxed: the lookup is a whole call of its own (4 KB of future), made once per client,
            // and every call's future would otherwise carry its room and be copied with it.
            let project_id = Box::pin(iam::project_id(
                &inner.config,
                &*inner.sender,
                &inner.jitter,
            ))
            .await?;
            request.replace_client_param(setting, pending, &project_id)?;
        }
        Ok(request)
    }
}

// Here rather than in `builder.rs`, so that the builder does not depend on the client it builds.
impl<C: From<Client>> ClientBuilder<C> {
    /// Resolves the credentials and the endpoint and checks every setting.
    pub fn build(self) -> Result<C, Error> {
        let (config, sender) = self.resolve()?;
        Ok(C::from(Client::from_parts(config, sender)))
    }
}
