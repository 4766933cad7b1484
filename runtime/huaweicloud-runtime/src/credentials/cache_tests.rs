//! The cache on tokio's paused clock: the refresh margin, single flight, static stability and
//! the typed error once the key has expired.

use std::collections::VecDeque;
use std::sync::Mutex as StdMutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use super::cache::CredentialCache;
use super::*;
use crate::test_util::MockTransport;

/// Answers from a script; each answer's expiry is counted from the fetch.
#[derive(Debug)]
struct Scripted {
    fetches: AtomicUsize,
    script: StdMutex<VecDeque<Result<Duration, &'static str>>>,
}

impl Scripted {
    fn new(script: Vec<Result<Duration, &'static str>>) -> Arc<Self> {
        Arc::new(Self {
            fetches: AtomicUsize::new(0),
            script: StdMutex::new(script.into()),
        })
    }
}

#[derive(Debug)]
struct Handle(Arc<Scripted>);

impl ProvideCredentials for Handle {
    fn name(&self) -> &str {
        "scripted"
    }

    fn provide<'a>(&'a self, _context: FetchContext<'a>) -> ProvideFuture<'a> {
        Box::pin(async move {
            let n = self.0.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            // A fetch takes time, so that concurrent callers pile up behind it.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let next = self.0.script.lock().expect("script").pop_front();
            match next.unwrap_or(Err("script ended")) {
                Ok(lifetime) => Ok(FetchedCredentials::new(
                    Credentials::temporary(format!("ak{n}"), "very-secret-sk", "very-secret-token"),
                    Some(SystemTime::now() + lifetime),
                )),
                Err(message) => Err(CredentialsError::Fetch {
                    provider: "scripted".into(),
                    endpoint: "http://source.test".into(),
                    status: Some(500),
                    message: message.to_owned(),
                }),
            }
        })
    }
}

fn cache(script: &Arc<Scripted>) -> CredentialCache {
    CredentialCache::new(
        Credentials::provider(Handle(Arc::clone(script))),
        Duration::from_secs(40 * 60),
    )
}

async fn access_key(
    cache: &CredentialCache,
    mock: &MockTransport,
) -> Result<String, CredentialsError> {
    let context = FetchContext {
        sender: mock,
        user_agent: "ua",
    };
    let credentials = cache.get(context).await?;
    match &*credentials {
        Credentials::AkSk { access_key, .. } => Ok(access_key.clone()),
        other => panic!("{other:?}"),
    }
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(start_paused = true)]
async fn refreshed_inside_the_margin_once() {
    let script = Scripted::new(vec![Ok(HOUR), Ok(6 * HOUR)]);
    let cache = cache(&script);
    let mock = MockTransport::new();
    assert_eq!(access_key(&cache, &mock).await.expect("first"), "ak1");
    // 19 minutes later 41 are left: no refresh.
    tokio::time::advance(19 * MINUTE).await;
    assert_eq!(access_key(&cache, &mock).await.expect("kept"), "ak1");
    assert_eq!(script.fetches.load(Ordering::SeqCst), 1);
    // 2 minutes later 39 are left: refreshed, once.
    tokio::time::advance(2 * MINUTE).await;
    assert_eq!(access_key(&cache, &mock).await.expect("refreshed"), "ak2");
    assert_eq!(access_key(&cache, &mock).await.expect("kept"), "ak2");
    assert_eq!(script.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn a_short_lived_key_is_refreshed_at_half_its_life() {
    let script = Scripted::new(vec![Ok(20 * MINUTE), Ok(20 * MINUTE)]);
    let cache = cache(&script);
    let mock = MockTransport::new();
    access_key(&cache, &mock).await.expect("first");
    tokio::time::advance(9 * MINUTE).await;
    assert_eq!(access_key(&cache, &mock).await.expect("kept"), "ak1");
    tokio::time::advance(2 * MINUTE).await;
    assert_eq!(access_key(&cache, &mock).await.expect("refreshed"), "ak2");
}

#[tokio::test(start_paused = true)]
async fn a_thousand_concurrent_calls_make_one_fetch() {
    let script = Scripted::new(vec![Ok(HOUR), Ok(6 * HOUR)]);
    let cache = Arc::new(cache(&script));
    let mock = MockTransport::new();
    access_key(&cache, &mock).await.expect("first");
    tokio::time::advance(30 * MINUTE).await;
    let calls = (0..1000).map(|_| {
        let cache = Arc::clone(&cache);
        let mock = mock.clone();
        tokio::spawn(async move { access_key(&cache, &mock).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.expect("task").expect("credentials"), "ak2");
    }
    assert_eq!(script.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_keeps_the_valid_key_then_fails_typed_after_expiry() {
    let script = Scripted::new(vec![Ok(HOUR), Err("down"), Err("down"), Err("down")]);
    let cache = cache(&script);
    let mock = MockTransport::new();
    access_key(&cache, &mock).await.expect("first");
    tokio::time::advance(30 * MINUTE).await;
    // The refresh fails: the current key goes on serving, and the next calls do not ask again
    // until the backoff has passed.
    for _ in 0..100 {
        assert_eq!(access_key(&cache, &mock).await.expect("stable"), "ak1");
    }
    assert_eq!(script.fetches.load(Ordering::SeqCst), 2);
    tokio::time::advance(Duration::from_secs(6)).await;
    assert_eq!(access_key(&cache, &mock).await.expect("stable"), "ak1");
    assert_eq!(script.fetches.load(Ordering::SeqCst), 3);
    // Expired: the call fails with the typed error naming the source and its answer.
    tokio::time::advance(HOUR).await;
    let error = access_key(&cache, &mock).await.expect_err("expired");
    assert_eq!(
        error.to_string(),
        "credentials from scripted expired and could not be refreshed"
    );
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert_eq!(
        cause.as_deref(),
        Some("credential source scripted: http://source.test down")
    );
}

#[tokio::test(start_paused = true)]
async fn concurrent_callers_share_a_failure() {
    let script = Scripted::new(vec![Err("down")]);
    let cache = Arc::new(cache(&script));
    let mock = MockTransport::new();
    let calls = (0..50).map(|_| {
        let cache = Arc::clone(&cache);
        let mock = mock.clone();
        tokio::spawn(async move { access_key(&cache, &mock).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert!(call.expect("task").is_err());
    }
    assert_eq!(script.fetches.load(Ordering::SeqCst), 1);
}

#[test]
fn nothing_fetched_is_printed() {
    let credentials = Credentials::temporary("ak", "very-secret-sk", "very-secret-token");
    let cache = CredentialCache::new(credentials.clone(), Duration::ZERO);
    for text in [format!("{credentials:?}"), format!("{cache:?}")] {
        assert!(!text.contains("very-secret"), "{text}");
    }
}
