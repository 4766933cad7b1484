//! The settings a built client runs with, and their defaults. Plain data: the builder fills it,
//! the client and the orchestrator read it.

use std::time::Duration;

use crate::credentials::CredentialSource;
use crate::credentials::cache::CredentialCache;
use crate::endpoint::Endpoint;
use crate::retry::RetryPolicy;

/// How long establishing a connection may take (the official SDKs' default).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// How long the client waits for the answer, or for more of its bytes (the official SDKs' default).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(120);

/// How long an idle connection is kept for reuse: below the 60 s idle timeout common at load
/// balancers and gateways, so the client drops a connection before the server closes it.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// The most idle connections kept per host.
pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 64;

/// The most requests a client has in flight at once (and so, over HTTP/1.1, about the most
/// connections it opens); more calls wait their turn. A program that starts thousands of calls
/// then holds 64 sockets rather than thousands, and a higher cap would mostly move the queue
/// from the client to the service's throttling.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;

/// The largest response body the client reads, in bytes.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 10 * 1024 * 1024;

/// How long before temporary credentials expire the client fetches new ones (the official
/// SDKs' margin); a key whose whole life is no longer is refreshed at half of it.
pub const DEFAULT_CREDENTIALS_REFRESH_MARGIN: Duration = Duration::from_secs(40 * 60);

/// The settings a built client runs with.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Shared by the clones of a client (and its IAM lookup).
    pub(crate) credentials: CredentialCache,
    pub(crate) credential_source: CredentialSource,
    pub(crate) project_id: Option<String>,
    pub(crate) endpoint: Endpoint,
    /// The region id given to the builder, if any.
    pub(crate) region_id: Option<String>,
    /// Where the project id is looked up: set only when the client will look it up (a region,
    /// AK/SK credentials and no project id).
    pub(crate) iam_endpoint: Option<Endpoint>,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_response_body: usize,
    pub(crate) max_streamed_body: u64,
}
