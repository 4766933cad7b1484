//! The credential-provider interface every source implements (and a user's own, a vault or a
//! secrets manager), and what a fetch returns.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use super::{Credentials, CredentialsError};
use crate::transport::HttpSend;

/// What a provider gets to fetch with: the client's sender (its pool, TLS and proxy settings, or
/// a mock) and its `User-Agent`.
#[derive(Debug, Clone, Copy)]
pub struct FetchContext<'a> {
    /// Sends the source's own requests (unsigned).
    pub sender: &'a dyn HttpSend,
    /// The client's `User-Agent`.
    pub user_agent: &'a str,
}

/// Credentials a provider fetched, with their expiry (`None`: they do not expire).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchedCredentials {
    /// AK/SK (with a security token when temporary) or an IAM token.
    pub credentials: Credentials,
    /// When they stop working; the client refreshes them before.
    pub expires_at: Option<SystemTime>,
}

impl FetchedCredentials {
    /// Credentials that expire at `expires_at` (or never, with `None`).
    pub fn new(credentials: Credentials, expires_at: Option<SystemTime>) -> Self {
        Self {
            credentials,
            expires_at,
        }
    }
}

/// What [`ProvideCredentials::provide`] returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<FetchedCredentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked again before the last ones expire. The client calls it from
/// one task at a time (single flight) and keeps serving the last good credentials while it
/// fails and they are still valid.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// The source's name, as tracing and errors show it (never a secret).
    fn name(&self) -> &str;

    /// Fetches credentials. Must not return `Credentials::Provider`.
    fn provide<'a>(&'a self, context: FetchContext<'a>) -> ProvideFuture<'a>;
}

/// A provider behind an `Arc`, as [`Credentials::Provider`] holds it: two are equal when they
/// are the same provider.
#[derive(Clone)]
pub struct SharedProvider(pub(crate) Arc<dyn ProvideCredentials>);

impl SharedProvider {
    /// Wraps a provider.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }

    /// The provider's name.
    pub fn name(&self) -> &str {
        self.0.name()
    }
}

impl fmt::Debug for SharedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq for SharedProvider {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedProvider {}
