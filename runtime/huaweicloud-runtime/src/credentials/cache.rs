//! One credential cache per client, shared by its clones: static credentials as they are,
//! a provider's refreshed before they expire. Single flight (one fetch however many calls wait,
//! and the waiters share its outcome), and static stability: a refresh that fails while the
//! current key is still valid keeps it in use (a warning), retried with backoff rather than on
//! every call; once it has expired, calls fail with the typed error naming the source.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::provider::{FetchContext, SharedProvider};
use super::{Credentials, CredentialsError};

/// The first wait after a failed refresh while the key is valid; doubled each failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
/// The longest wait between refresh attempts while the key is valid.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The credentials of a client.
#[derive(Debug, Clone)]
pub(crate) enum CredentialCache {
    /// Given once, never refreshed.
    Static(Arc<Credentials>),
    /// Fetched from a provider, refreshed.
    Refreshing(Arc<Refreshing>),
}

impl CredentialCache {
    /// The cache of `credentials`: static ones as they are, a provider's refreshed `margin`
    /// before they expire.
    pub(crate) fn new(credentials: Credentials, margin: Duration) -> Self {
        match credentials {
            Credentials::Provider(provider) => Self::Refreshing(Arc::new(Refreshing {
                provider,
                margin,
                current: RwLock::new(None),
                state: Mutex::new(State::default()),
                attempts: AtomicU64::new(0),
                project_id: Arc::default(),
            })),
            credentials => Self::Static(Arc::new(credentials)),
        }
    }

    /// The credentials to sign with now, without fetching: `None` before the first fetch.
    pub(crate) fn current(&self) -> Option<Arc<Credentials>> {
        match self {
            Self::Static(credentials) => Some(Arc::clone(credentials)),
            Self::Refreshing(cache) => cache.entry().map(|entry| Arc::clone(&entry.credentials)),
        }
    }

    /// Whether these are (or will be) AK/SK credentials, which can sign an IAM lookup.
    pub(crate) fn is_ak_sk(&self) -> bool {
        match self {
            Self::Static(credentials) => matches!(**credentials, Credentials::AkSk { .. }),
            Self::Refreshing(_) => true,
        }
    }

    /// Where the project id found with a provider's credentials is kept (`None` for static
    /// credentials, whose access key keys the process-wide cache).
    pub(crate) fn project_id_cell(&self) -> Option<Arc<tokio::sync::OnceCell<String>>> {
        match self {
            Self::Static(_) => None,
            Self::Refreshing(cache) => Some(Arc::clone(&cache.project_id)),
        }
    }

    /// The name of the provider, if the credentials come from one.
    pub(crate) fn provider_name(&self) -> Option<&str> {
        match self {
            Self::Static(_) => None,
            Self::Refreshing(cache) => Some(cache.provider.name()),
        }
    }

    /// Credentials fit to sign with: the current ones, refreshed first when inside the margin.
    pub(crate) async fn get(
        &self,
        context: FetchContext<'_>,
    ) -> Result<Arc<Credentials>, CredentialsError> {
        match self {
            Self::Static(credentials) => Ok(Arc::clone(credentials)),
            Self::Refreshing(cache) => cache.get(context).await,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Entry {
    credentials: Arc<Credentials>,
    /// When they expire (`None`: never).
    expires: Option<Instant>,
    /// From when a call refreshes them first.
    refresh_at: Option<Instant>,
}

impl Entry {
    fn valid(&self, now: Instant) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }

    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

#[derive(Debug, Default)]
struct State {
    /// No refresh before this while the current key is valid (after failures).
    next_try: Option<Instant>,
    failures: u32,
    /// The outcome of the last attempt when it failed, shared with the callers that waited.
    last_error: Option<Arc<CredentialsError>>,
}

#[derive(Debug)]
pub(crate) struct Refreshing {
    provider: SharedProvider,
    margin: Duration,
    current: RwLock<Option<Arc<Entry>>>,
    state: Mutex<State>,
    /// Attempts made, so a caller that waited for the lock knows one ran meanwhile.
    attempts: AtomicU64,
    /// The project id found through IAM with these credentials: kept here, since each refresh
    /// brings a new access key (for the same account) and the process-wide cache is keyed by it.
    project_id: Arc<tokio::sync::OnceCell<String>>,
}

impl Refreshing {
    fn entry(&self) -> Option<Arc<Entry>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn get(&self, context: FetchContext<'_>) -> Result<Arc<Credentials>, CredentialsError> {
        let now = Instant::now();
        let entry = self.entry();
        if let Some(entry) = entry.as_ref().filter(|entry| entry.fresh(now)) {
            return Ok(Arc::clone(&entry.credentials));
        }
        let attempts_seen = self.attempts.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        let now = Instant::now();
        let entry = self.entry();
        if let Some(entry) = entry.as_ref().filter(|entry| entry.fresh(now)) {
            return Ok(Arc::clone(&entry.credentials));
        }
        let valid = entry.as_ref().filter(|entry| entry.valid(now));
        // An attempt ran while this caller waited: share its outcome rather than ask again.
        if self.attempts.load(Ordering::Acquire) != attempts_seen {
            if let Some(entry) = valid {
                return Ok(Arc::clone(&entry.credentials));
            }
            if let Some(error) = &state.last_error {
                return Err(self.failed(entry.is_some(), error));
            }
        }
        if let (Some(entry), Some(next_try)) = (valid, state.next_try) {
            if now < next_try {
                return Ok(Arc::clone(&entry.credentials));
            }
        }
        let fetched = self.provider.0.provide(context).await;
        self.attempts.fetch_add(1, Ordering::Release);
        let now = Instant::now();
        match fetched {
            Ok(fetched) => {
                let expires = fetched.expires_at.map(|at| {
                    let left = at.duration_since(SystemTime::now()).unwrap_or_default();
                    now + left
                });
                let refresh_at = expires.map(|expires| {
                    // A key that lives no longer than the margin is refreshed at half its life,
                    // not at every call.
                    let left = expires.saturating_duration_since(now);
                    let margin = if self.margin < left {
                        self.margin
                    } else {
                        left / 2
                    };
                    expires - margin
                });
                tracing::info!(
                    source = self.provider.name(),
                    expires_in_s = expires.map(|at| at.saturating_duration_since(now).as_secs()),
                    "fetched credentials"
                );
                let credentials = Arc::new(fetched.credentials);
                *self.current.write().unwrap_or_else(PoisonError::into_inner) =
                    Some(Arc::new(Entry {
                        credentials: Arc::clone(&credentials),
                        expires,
                        refresh_at,
                    }));
                *state = State::default();
                Ok(credentials)
            }
            Err(error) => {
                let error = Arc::new(error);
                state.failures = state.failures.saturating_add(1);
                state.last_error = Some(Arc::clone(&error));
                if let Some(entry) = valid {
                    let backoff = FIRST_BACKOFF
                        .saturating_mul(1 << state.failures.saturating_sub(1).min(10))
                        .min(MAX_BACKOFF);
                    state.next_try = Some(now + backoff);
                    tracing::warn!(
                        source = self.provider.name(),
                        error = %error,
                        retry_in_s = backoff.as_secs(),
                        "refreshing credentials failed; the current ones are still valid and stay in use"
                    );
                    return Ok(Arc::clone(&entry.credentials));
                }
                Err(self.failed(entry.is_some(), &error))
            }
        }
    }

    /// The error of a call with no valid key: the source's own error the first time, "expired"
    /// once a key had been fetched.
    fn failed(&self, had_key: bool, error: &Arc<CredentialsError>) -> CredentialsError {
        if had_key {
            CredentialsError::Expired {
                provider: self.provider.name().to_owned(),
                last: Arc::clone(error),
            }
        } else {
            CredentialsError::Shared(Arc::clone(error))
        }
    }
}
