//! The builder: collects the settings, resolves credentials and the endpoint, checks every
//! setting, and makes the sender the client sends through.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;

use crate::credentials::cache::CredentialCache;
use crate::credentials::{self, CredentialSource, Credentials, ResolvedCredentials};
use crate::endpoint::{Endpoint, Region, ServiceInfo, resolve_endpoint};
use crate::error::{ConfigError, Error};
use crate::iam;
use crate::retry::RetryPolicy;
use crate::settings::{
    Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_CREDENTIALS_REFRESH_MARGIN,
    DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_POOL_IDLE_TIMEOUT,
    DEFAULT_POOL_MAX_IDLE_PER_HOST, DEFAULT_READ_TIMEOUT,
};
use crate::transport::HttpSend;
use crate::transport::http::{HttpSender, HttpSettings, Proxies};

type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Builds a client for one service; start with the service crate's generated
/// `Client::builder()`. `C` is the client `build()` makes: the service crate's `Client`, or the
/// runtime's own [`Client`](crate::Client).
///
/// Only the region (or an endpoint) is required: credentials and the project id come from the
/// default chain (environment, then profile file) unless given here.
#[must_use = "a builder does nothing until `.build()`"]
pub struct ClientBuilder<C = crate::Client> {
    service: &'static ServiceInfo,
    credentials: Option<Credentials>,
    project_id: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    iam_endpoint: Option<String>,
    credentials_refresh_margin: Duration,
    user_agent_suffix: Option<String>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    read_timeout: Duration,
    deadline: Option<Duration>,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    max_concurrent_requests: usize,
    proxy: Option<String>,
    ca_certificates: Vec<Vec<u8>>,
    danger_accept_invalid_certs: bool,
    max_response_body: usize,
    max_streamed_body: u64,
    env: Option<EnvLookup>,
    home: Option<PathBuf>,
    sender: Option<Arc<dyn HttpSend>>,
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// A builder for the service `service` describes (its regions, its name in the endpoint
    /// override variables, its user-agent product), with the default settings.
    pub fn for_service(service: &'static ServiceInfo) -> Self {
        Self {
            service,
            credentials: None,
            project_id: None,
            region: None,
            endpoint: None,
            iam_endpoint: None,
            credentials_refresh_margin: DEFAULT_CREDENTIALS_REFRESH_MARGIN,
            user_agent_suffix: None,
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            deadline: None,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            proxy: None,
            ca_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_streamed_body: u64::MAX,
            env: None,
            home: None,
            sender: None,
            client: PhantomData,
        }
    }
}

// By hand: the proxy URL may hold a password, and the environment lookup has no Debug.
impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.service.name())
            .field("credentials", &self.credentials)
            .field("project_id", &self.project_id)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("iam_endpoint", &self.iam_endpoint)
            .field(
                "credentials_refresh_margin",
                &self.credentials_refresh_margin,
            )
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("deadline", &self.deadline)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .field("ca_certificates", &self.ca_certificates.len())
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .field("max_response_body", &self.max_response_body)
            .field("max_streamed_body", &self.max_streamed_body)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    /// Uses these credentials instead of the default chain.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The project id that fills `{project_id}` unless a call sets its own; wins over
    /// `HUAWEICLOUD_SDK_PROJECT_ID` and the profile file.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The region whose endpoint the client calls.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region.id().to_owned());
        self
    }

    /// The region by id; ids missing from the service's regions work when
    /// `HUAWEICLOUD_SDK_REGION_<SERVICE>_<ID>` names their endpoint.
    pub fn region_id(mut self, region_id: impl Into<String>) -> Self {
        self.region = Some(region_id.into());
        self
    }

    /// An endpoint URL, which wins over the region (`https://` when no scheme is given; plain
    /// `http` only when written out).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The IAM endpoint where the client finds its project id from the region when none is
    /// set; wins over `HUAWEICLOUD_SDK_IAM_ENDPOINT`, the profile file's `iam_endpoint` and the
    /// region's IAM endpoint (see [`crate::iam`]). `https://` when no scheme is given; plain
    /// `http` only when written out.
    pub fn iam_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.iam_endpoint = Some(endpoint.into());
        self
    }

    /// How long before temporary credentials expire they are fetched again (default 40
    /// minutes, as the official SDKs; a key whose whole life is no longer than this is
    /// refreshed at half its life).
    pub fn credentials_refresh_margin(mut self, margin: Duration) -> Self {
        self.credentials_refresh_margin = margin;
        self
    }

    /// Text appended to the `User-Agent` after the client's own product token.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The connect timeout of each attempt (default 60 s). Zero is refused by `build()`;
    /// `Duration::MAX` means no limit.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The read timeout of each attempt: the longest wait for the answer or for more of its
    /// bytes (default 120 s). Zero is refused by `build()`; `Duration::MAX` means no limit.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The overall limit of a call: all attempts and the waits between them (default none).
    /// Zero is refused by `build()`; `Duration::MAX` means no limit.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How long an idle connection stays in the pool for reuse (default 50 s, below the 60 s
    /// idle timeout common at load balancers and gateways, so that the client lets a connection
    /// go before the server does). Zero keeps no idle connection; `Duration::MAX` keeps them
    /// until the server closes them.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The most idle connections kept per host (default 64, matching the default cap on
    /// concurrent requests, so a steady full load reuses its connections). Zero keeps none.
    pub fn pool_max_idle_per_host(mut self, connections: usize) -> Self {
        self.pool_max_idle_per_host = connections;
        self
    }

    /// The most requests in flight at once (default 64); further calls wait for a turn, within
    /// their deadline, before their read timeout starts. Over HTTP/1.1 each request in flight
    /// holds a connection, so this also bounds the connections opened. Zero is refused by
    /// `build()`; `usize::MAX` means no limit. Applies to the network, not to a mock transport.
    pub fn max_concurrent_requests(mut self, requests: usize) -> Self {
        self.max_concurrent_requests = requests;
        self
    }

    /// Sends every request through this proxy URL (`http://`, `https://` or `socks5://` if
    /// supported), except those to this machine (loopback) and to link-local addresses (the ECS
    /// metadata service, a pod's credential agent), which a proxy cannot reach: they go direct.
    /// Without it, the `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` variables apply
    /// (each also in lower case), read through [`ClientBuilder::env_lookup`] when one is given,
    /// with the same exceptions; a variable holding a URL that is not one fails `build()`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Also trusts the certificates of this PEM text (one or more), beside the system's roots.
    pub fn add_ca_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_certificates.push(pem.into());
        self
    }

    /// Accepts any server certificate, even an invalid or self-signed one. Dangerous: anyone on
    /// the path can read and change the traffic. For tests and trusted private networks only.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.danger_accept_invalid_certs = accept;
        self
    }

    /// The largest response body read, in bytes (default 10 MiB); a larger one fails the call.
    /// Zero is refused by `build()`; `usize::MAX` means no limit.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// The largest streamed answer (a binary download, [`ByteStream`](crate::ByteStream)), in
    /// bytes (default: no limit, `u64::MAX`); a longer one fails part-way, or at once when its
    /// `Content-Length` says so. Zero is refused by `build()`.
    pub fn max_streamed_body(mut self, bytes: u64) -> Self {
        self.max_streamed_body = bytes;
        self
    }

    /// Reads environment variables (credentials, project id, region overrides) through `lookup`
    /// instead of the process environment, and so the `HOME` the profile file is found under.
    pub fn env_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = Some(Arc::new(lookup));
        self
    }

    /// The home directory under which `.huaweicloud/credentials` is looked for (default: `HOME`,
    /// else `USERPROFILE`).
    pub fn home_dir(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// Sends every attempt through `sender` instead of the built-in HTTP stack (reqwest with
    /// rustls): a user's own HTTP client, or middleware around one. The client still builds,
    /// signs, retries and times every call; the sender only carries the signed request and
    /// reads the answer. The connection settings (`connect_timeout`, the pool, the proxy, the
    /// certificates) are then the sender's business; each attempt's limits come with it.
    pub fn sender(mut self, sender: impl HttpSend + 'static) -> Self {
        self.sender = Some(Arc::new(sender));
        self
    }

    /// Sends nothing over the network: every call goes to `mock`, which records the signed
    /// request and answers from its script.
    #[cfg(feature = "test-util")]
    pub fn mock_transport(self, mock: crate::test_util::MockTransport) -> Self {
        self.sender(mock)
    }

    /// The resolved settings and the sender for [`ClientBuilder::build`] (in `client.rs`, so that
    /// the builder does not depend on the client it builds).
    pub(crate) fn resolve(self) -> Result<(Config, Arc<dyn HttpSend>), Error> {
        let config = self.resolve_config()?;
        let sender = self.make_sender()?;
        Ok((config, sender))
    }

    /// The resolved settings alone, every setting checked.
    pub(crate) fn resolve_config(&self) -> Result<Config, Error> {
        let env = self.env_lookup_or_process();
        let home = self.home.clone().or_else(|| {
            env("HOME")
                .or_else(|| env("USERPROFILE"))
                .map(PathBuf::from)
        });
        let resolved = ResolvedCredentials::resolve(
            self.credentials.clone(),
            |name| env(name),
            home.as_deref(),
        )
        .map_err(ConfigError::from)?;
        let endpoint = resolve_endpoint(
            self.endpoint.as_deref(),
            self.region.as_deref(),
            self.service,
            |name| env(name),
        )
        .map_err(ConfigError::from)?;
        let project_id = self.project_id.clone().or(resolved.project_id.clone());
        if project_id.as_deref().is_some_and(|id| id.trim().is_empty()) {
            return Err(Error::setting("project_id", "is empty"));
        }
        let product = self.service.user_agent();
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => format!("{product} {}", suffix.trim()),
            None => product.to_owned(),
        };
        if HeaderValue::from_str(&user_agent).is_err() {
            return Err(Error::setting(
                "user_agent_suffix",
                "must be visible ASCII text",
            ));
        }
        self.check_limits()?;
        let region_id = self
            .region
            .as_deref()
            .map(str::trim)
            .filter(|region| !region.is_empty())
            .map(str::to_owned);
        let iam_endpoint = self.resolve_iam_endpoint(
            project_id.as_deref(),
            region_id.as_deref(),
            &resolved,
            |name| env(name),
        )?;
        tracing::debug!(source = %resolved.source, "credentials chosen");
        Ok(Config {
            credentials: CredentialCache::new(
                resolved.credentials,
                self.credentials_refresh_margin,
            ),
            credential_source: resolved.source,
            project_id,
            endpoint,
            region_id,
            iam_endpoint,
            user_agent,
            retry: self.retry.clone(),
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            deadline: self.deadline,
            max_response_body: self.max_response_body,
            max_streamed_body: self.max_streamed_body,
        })
    }

    /// The IAM endpoint of the project id lookup, when the client will make one: a region, AK/SK
    /// credentials and no project id. The builder's own setting is checked in any case.
    fn resolve_iam_endpoint(
        &self,
        project_id: Option<&str>,
        region_id: Option<&str>,
        resolved: &ResolvedCredentials,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Endpoint>, Error> {
        if let Some(url) = &self.iam_endpoint {
            iam::check_iam_endpoint(url)?;
        }
        let (None, Some(region), Credentials::AkSk { .. } | Credentials::Provider(_)) =
            (project_id, region_id, &resolved.credentials)
        else {
            return Ok(None);
        };
        let profile = match (&resolved.source, &resolved.iam_endpoint) {
            (CredentialSource::ProfileFile(path), Some(url)) => {
                Some((path.as_path(), url.as_str()))
            }
            _ => None,
        };
        let endpoint =
            iam::resolve_iam_endpoint(self.iam_endpoint.as_deref(), env, profile, region)?;
        Ok(Some(endpoint))
    }

    /// Zero would fail every call; the largest values mean "no limit" and are fine.
    fn check_limits(&self) -> Result<(), Error> {
        let durations = [
            ("connect_timeout", Some(self.connect_timeout)),
            ("read_timeout", Some(self.read_timeout)),
            ("deadline", self.deadline),
        ];
        for (setting, duration) in durations {
            if duration.is_some_and(|duration| duration.is_zero()) {
                return Err(Error::setting(
                    setting,
                    "must be greater than zero (Duration::MAX means no limit)",
                ));
            }
        }
        if self.max_concurrent_requests == 0 {
            return Err(Error::setting(
                "max_concurrent_requests",
                "must be at least 1 (usize::MAX means no limit)",
            ));
        }
        if self.max_response_body == 0 {
            return Err(Error::setting(
                "max_response_body",
                "must be at least 1 byte (usize::MAX means no limit)",
            ));
        }
        if self.max_streamed_body == 0 {
            return Err(Error::setting(
                "max_streamed_body",
                "must be at least 1 byte (u64::MAX means no limit)",
            ));
        }
        Ok(())
    }

    /// The environment the settings are read from: the lookup given, else the process's.
    fn env_lookup_or_process(&self) -> EnvLookup {
        self.env
            .clone()
            .unwrap_or_else(|| Arc::new(credentials::process_env))
    }

    fn make_sender(&self) -> Result<Arc<dyn HttpSend>, Error> {
        if let Some(sender) = &self.sender {
            return Ok(Arc::clone(sender));
        }
        let proxies = match &self.proxy {
            Some(url) => Proxies::explicit(url),
            None => Proxies::from_env(&*self.env_lookup_or_process()),
        };
        let settings = HttpSettings {
            connect_timeout: self.connect_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            pool_max_idle_per_host: self.pool_max_idle_per_host,
            max_concurrent_requests: self.max_concurrent_requests,
            proxies,
            ca_certificates: self.ca_certificates.clone(),
            danger_accept_invalid_certs: self.danger_accept_invalid_certs,
        };
        Ok(Arc::new(HttpSender::new(settings)?))
    }
}

#[cfg(test)]
mod tests;
