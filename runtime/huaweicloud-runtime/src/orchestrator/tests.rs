//! A seeded property test over settings × answers: no setting the builder accepts and no answer
//! a server sends makes a call panic or hang. The clock is tokio's paused one, so waits of years
//! pass at once and a hang shows as a call still running after a virtual century.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::*;
use crate::error::ErrorKind;
use crate::retry::RetryPolicy;
use crate::transport::{Received, SendFuture, SignedRequest};
use crate::{Client, Credentials};
use http::Method;

/// One scripted outcome of an attempt.
#[derive(Debug, Clone)]
enum Answer {
    Response {
        status: u16,
        headers: Vec<(&'static str, &'static [u8])>,
        body: Bytes,
    },
    ConnectFailed,
    ConnectTimeout,
    ReadTimeout,
    Dropped,
}

/// A sender answering from a script, applying the body limit as a real sender does.
#[derive(Debug, Default)]
struct Scripted {
    script: Mutex<VecDeque<Answer>>,
}

impl Scripted {
    fn new(answers: Vec<Answer>) -> Self {
        Self {
            script: Mutex::new(answers.into()),
        }
    }

    fn answer(&self, limits: &Limits, operation_id: &'static str) -> Result<Received, Error> {
        let next = self
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front();
        let timeout = |phase, limit| {
            Error::from(crate::error::Repr::Timeout {
                operation_id,
                phase,
                limit,
            })
        };
        match next {
            Some(Answer::Response {
                status,
                headers,
                body,
            }) => {
                let status = StatusCode::from_u16(status).map_err(|_| {
                    Error::from(crate::error::Repr::Transport {
                        operation_id,
                        message: format!("status {status}"),
                    })
                })?;
                let mut map = HeaderMap::new();
                for (name, value) in headers {
                    if let (Ok(name), Ok(value)) = (
                        HeaderName::from_bytes(name.as_bytes()),
                        HeaderValue::from_bytes(value),
                    ) {
                        map.append(name, value);
                    }
                }
                if body.len() > limits.max_response_body {
                    return Err(Error::too_large(
                        operation_id,
                        status,
                        map,
                        limits.max_response_body,
                    ));
                }
                Ok(Received {
                    status,
                    headers: map,
                    body,
                })
            }
            Some(Answer::ConnectFailed) => Err(Error::from(crate::error::Repr::Connect {
                operation_id,
                message: "refused".into(),
            })),
            Some(Answer::ConnectTimeout) => {
                Err(timeout(TimeoutPhase::Connect, limits.connect_timeout))
            }
            Some(Answer::ReadTimeout) => Err(timeout(TimeoutPhase::Read, limits.read_timeout)),
            Some(Answer::Dropped) => Err(Error::from(crate::error::Repr::ConnectionDropped {
                operation_id,
                message: "reset".into(),
            })),
            None => Err(Error::from(crate::error::Repr::Transport {
                operation_id,
                message: "script exhausted".into(),
            })),
        }
    }
}

impl HttpSend for Scripted {
    fn send<'a>(
        &'a self,
        _request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> SendFuture<'a> {
        Box::pin(std::future::ready(self.answer(limits, operation_id)))
    }
}

const DURATIONS: &[Duration] = &[
    Duration::ZERO,
    Duration::from_nanos(1),
    Duration::from_millis(1),
    Duration::from_secs(1),
    Duration::from_secs(60),
    Duration::from_secs(u64::MAX),
    Duration::MAX,
];

const RETRY_AFTER: &[&[u8]] = &[
    b"0",
    b"1",
    b"-1",
    b"1.5",
    b" 7 ",
    b"59",
    b"61",
    b"999999",
    b"18446744073709551615",
    b"18446744073709551616",
    b"99999999999999999999",
    b"Sun, 06 Nov 1994 08:49:37 GMT",
    b"Thu, 01 Jan 1970 00:00:00 GMT",
    b"Fri, 31 Dec 9999 23:59:59 GMT",
    b"Mon, 01 Jan 2024 00:00:00 UTC",
    b"soon",
    b"",
    b"\xff\xfe",
];

const STATUSES: &[u16] = &[
    100, 101, 200, 201, 204, 206, 299, 300, 301, 302, 303, 304, 307, 308, 399, 400, 404, 429, 500,
    501, 502, 503, 504, 599, 999,
];

/// Draws from a seeded sequence.
struct Draw(JitterSource);

impl Draw {
    fn below(&self, bound: usize) -> usize {
        (self.0.next() % bound as u64) as usize
    }

    fn pick<T: Copy>(&self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&self, in_ten: usize) -> bool {
        self.below(10) < in_ten
    }
}

fn answer(draw: &Draw) -> Answer {
    match draw.below(10) {
        0 => Answer::ConnectFailed,
        1 => Answer::ConnectTimeout,
        2 => Answer::ReadTimeout,
        3 => Answer::Dropped,
        _ => {
            let mut headers: Vec<(&'static str, &'static [u8])> = Vec::new();
            if draw.chance(6) {
                headers.push(("retry-after", draw.pick(RETRY_AFTER)));
            }
            if draw.chance(3) {
                headers.push((
                    "location",
                    draw.pick(&[&b"https://elsewhere.test/x"[..], b""]),
                ));
            }
            if draw.chance(5) {
                headers.push(("x-request-id", draw.pick(&[&b"rid-1"[..], b"\xff\xfe-rid"])));
            }
            if draw.chance(2) {
                headers.push(("content-encoding", b"gzip"));
            }
            let body: &[u8] = draw.pick(&[
                &b""[..],
                b"{}",
                br#"{"error_code":"HSS.1","error_msg":"m"}"#,
                b"not json",
                b"\xff\xfe\xfd",
            ]);
            Answer::Response {
                status: draw.pick(STATUSES),
                headers,
                body: Bytes::from_static(body),
            }
        }
    }
}

fn policy(draw: &Draw) -> RetryPolicy {
    let mut policy = RetryPolicy::default()
        .max_attempts(draw.pick(&[0, 1, 2, 3, 10, u32::MAX]))
        .backoff(draw.pick(DURATIONS), draw.pick(DURATIONS))
        .max_retry_after(draw.pick(DURATIONS));
    for condition in [
        crate::RetryCondition::ServerError,
        crate::RetryCondition::ReadTimeout,
        crate::RetryCondition::ConnectionDropped,
    ] {
        if draw.chance(5) {
            policy = policy.retry_on(condition);
        }
    }
    policy
}

fn builder(draw: &Draw) -> crate::ClientBuilder {
    let mut builder = Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint("https://hss.example.test")
        .credentials(Credentials::permanent("AK", "SK"))
        .project_id("p1")
        .connect_timeout(draw.pick(DURATIONS))
        .read_timeout(draw.pick(DURATIONS))
        .max_response_body(draw.pick(&[0, 1, 16, 1024, usize::MAX]))
        .retry_policy(policy(draw));
    if draw.chance(7) {
        builder = builder.deadline(draw.pick(DURATIONS));
    }
    builder
}

fn request() -> OperationRequest {
    let mut request =
        OperationRequest::new("Op", Method::POST, "/v5/p1/image/synchronize".to_owned());
    request.client_param("project_id", "p1");
    request
}

fn cases() -> u64 {
    std::env::var("HSS_PROPERTY_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(4000)
}

#[tokio::test(start_paused = true)]
async fn no_setting_and_no_answer_makes_a_call_panic_or_hang() {
    let seed = std::env::var("HSS_PROPERTY_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(13);
    let draw = Draw(JitterSource::with_seed(seed));
    let (mut built, mut refused) = (0, 0);
    for case in 0..cases() {
        let builder = builder(&draw);
        let settings = format!("{builder:?}");
        let answers: Vec<Answer> = (0..1 + draw.below(4)).map(|_| answer(&draw)).collect();
        let config = match builder.resolve_config() {
            Ok(config) => config,
            Err(error) => {
                // Only a setting the builder names may be refused.
                assert_eq!(
                    error.kind(),
                    ErrorKind::InvalidConfig,
                    "case {case}: {error}"
                );
                refused += 1;
                continue;
            }
        };
        built += 1;
        let client = Client::from_parts(config, Arc::new(Scripted::new(answers.clone())));
        let call = tokio::spawn(async move {
            let raw = client.execute(request()).await?;
            raw.json::<serde_json::Value>()
        });
        // A century of virtual time: any wait the settings allow has ended by then.
        let century = Duration::from_secs(100 * 365 * 24 * 3600);
        let outcome = match tokio::time::timeout(century, call).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(join)) => panic!("case {case} panicked: {join}\n{settings}\n{answers:?}"),
            Err(_) => panic!("case {case} hangs\n{settings}\n{answers:?}"),
        };
        if let Err(error) = outcome {
            let text = error.to_string();
            assert!(
                !text.contains('\n') && !text.ends_with('.'),
                "case {case}: {text}"
            );
        }
    }
    // The draw covers both sides of validation.
    assert!(built > 0 && refused > 0, "built {built}, refused {refused}");
}

#[test]
fn zero_limits_are_refused_naming_the_setting() {
    let base = || {
        Client::builder()
            .env_lookup(|_| None)
            .home_dir("/nonexistent-home-for-tests")
            .endpoint("https://hss.example.test")
            .credentials(Credentials::permanent("AK", "SK"))
    };
    let cases = [
        (
            base().connect_timeout(Duration::ZERO),
            "invalid connect_timeout: must be greater than zero (Duration::MAX means no limit)",
        ),
        (
            base().read_timeout(Duration::ZERO),
            "invalid read_timeout: must be greater than zero (Duration::MAX means no limit)",
        ),
        (
            base().deadline(Duration::ZERO),
            "invalid deadline: must be greater than zero (Duration::MAX means no limit)",
        ),
        (
            base().max_concurrent_requests(0),
            "invalid max_concurrent_requests: must be at least 1 (usize::MAX means no limit)",
        ),
        (
            base().max_response_body(0),
            "invalid max_response_body: must be at least 1 byte (usize::MAX means no limit)",
        ),
    ];
    for (builder, expected) in cases {
        match builder.build() {
            Ok(client) => panic!("built {client:?}, expected {expected}"),
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::InvalidConfig);
                assert_eq!(error.to_string(), expected);
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_largest_limits_mean_no_limit() {
    let client = Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint("https://hss.example.test")
        .credentials(Credentials::permanent("AK", "SK"))
        .connect_timeout(Duration::MAX)
        .read_timeout(Duration::MAX)
        .deadline(Duration::MAX)
        .max_response_body(usize::MAX)
        .retry_policy(RetryPolicy::default().backoff(Duration::MAX, Duration::MAX));
    let config = client
        .resolve_config()
        .unwrap_or_else(|error| panic!("{error}"));
    let answers = vec![
        Answer::Response {
            status: 503,
            headers: vec![],
            body: Bytes::new(),
        },
        Answer::Response {
            status: 200,
            headers: vec![],
            body: Bytes::from_static(b"{}"),
        },
    ];
    let client = Client::from_parts(config, Arc::new(Scripted::new(answers)));
    // The backoff is longer than `max_retry_after` (60 s): the call ends with the 503.
    let error = match client.execute(request()).await {
        Ok(response) => panic!("expected the 503, got {response:?}"),
        Err(error) => error,
    };
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[test]
fn outside_a_runtime_a_call_is_an_error_not_a_panic() {
    let config = Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint("https://hss.example.test")
        .credentials(Credentials::permanent("AK", "SK"))
        .resolve_config()
        .unwrap_or_else(|error| panic!("{error}"));
    let client = Client::from_parts(config, Arc::new(Scripted::new(vec![])));
    let mut call = std::pin::pin!(client.execute(request()));
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match call.as_mut().poll(&mut context) {
        std::task::Poll::Ready(Err(error)) => {
            assert_eq!(error.kind(), ErrorKind::InvalidConfig);
            assert_eq!(
                error.to_string(),
                "invalid runtime: no Tokio runtime is running: calls need a Tokio 1.x runtime with IO and timers enabled"
            );
        }
        other => panic!("expected an error at once, got {other:?}"),
    }
}

/// Answers each call's first attempt with 429 `Retry-After: 1` and the second with 200,
/// recording when the second comes.
#[derive(Debug, Default)]
struct Throttling {
    seen: Mutex<std::collections::HashSet<String>>,
    retried_at: Mutex<Vec<tokio::time::Instant>>,
}

impl HttpSend for Throttling {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        _limits: &'a Limits,
        _operation_id: &'static str,
    ) -> SendFuture<'a> {
        let call = request.header("x-call").unwrap_or_default().to_owned();
        let first = self
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(call);
        let mut headers = HeaderMap::new();
        let status = if first {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
            StatusCode::TOO_MANY_REQUESTS
        } else {
            self.retried_at
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(tokio::time::Instant::now());
            StatusCode::OK
        };
        Box::pin(std::future::ready(Ok(Received {
            status,
            headers,
            body: Bytes::from_static(b"{}"),
        })))
    }
}

#[tokio::test(start_paused = true)]
async fn a_thousand_calls_told_to_retry_after_a_second_do_not_come_back_together() {
    let throttling = Arc::new(Throttling::default());
    let config = Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint("https://hss.example.test")
        .credentials(Credentials::permanent("AK", "SK"))
        .resolve_config()
        .unwrap_or_else(|error| panic!("{error}"));
    let client = Client::from_parts(config, Arc::clone(&throttling) as Arc<dyn HttpSend>);
    let started = tokio::time::Instant::now();
    let calls: Vec<_> = (0..1000)
        .map(|call| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut request = request();
                request.header("x-call", call);
                client.execute(request).await.map(|raw| raw.status())
            })
        })
        .collect();
    for call in calls {
        let status = call.await.unwrap_or_else(|join| panic!("{join}"));
        assert_eq!(status.ok(), Some(StatusCode::OK));
    }
    let retried_at = throttling
        .retried_at
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    assert_eq!(retried_at.len(), 1000);
    let offsets: Vec<Duration> = retried_at.iter().map(|at| *at - started).collect();
    let (least, most) = (offsets.iter().min(), offsets.iter().max());
    assert!(
        least.is_some_and(|least| *least >= Duration::from_secs(1)),
        "{least:?}"
    );
    let spread = most.copied().unwrap_or_default() - least.copied().unwrap_or_default();
    assert!(
        spread >= Duration::from_millis(200),
        "all within {spread:?}"
    );
}
