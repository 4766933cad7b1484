//! Table tests of [`RetryPolicy::decide`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};

use super::*;
use crate::error::parse_service_error;

fn service(status: u16, retry_after: Option<&'static str>) -> Error {
    let mut headers = HeaderMap::new();
    if let Some(value) = retry_after {
        headers.insert(http::header::RETRY_AFTER, HeaderValue::from_static(value));
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
    Error::service("Op", parse_service_error(status, &headers, b"{}"))
}

fn timeout(phase: TimeoutPhase) -> Error {
    Error::from(crate::error::Repr::Timeout {
        operation_id: "Op",
        phase,
        limit: Duration::from_secs(1),
    })
}

fn connect() -> Error {
    Error::from(crate::error::Repr::Connect {
        operation_id: "Op",
        message: "refused".into(),
    })
}

fn dropped() -> Error {
    Error::from(crate::error::Repr::ConnectionDropped {
        operation_id: "Op",
        message: "reset".into(),
    })
}

fn decode() -> Error {
    Error::decode(
        "Op",
        StatusCode::OK,
        HeaderMap::new(),
        Bytes::new(),
        "eof".into(),
    )
}

/// A policy without jitter randomness in play: random 0 keeps exactly half of the backoff.
fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(1000))
}

const NOW: u64 = 1_704_067_200; // Mon, 01 Jan 2024 00:00:00 GMT

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn retry(millis: u64) -> RetryDecision {
    RetryDecision::RetryAfter(Duration::from_millis(millis))
}

#[test]
fn default_retries_only_what_surely_was_not_processed() {
    let cases: Vec<(&str, Error, RetryDecision)> = vec![
        ("connect", connect(), retry(50)),
        ("connect timeout", timeout(TimeoutPhase::Connect), retry(50)),
        ("429", service(429, None), retry(50)),
        ("503", service(503, None), retry(50)),
        ("500", service(500, None), RetryDecision::Stop),
        ("502", service(502, None), RetryDecision::Stop),
        ("504", service(504, None), RetryDecision::Stop),
        ("400", service(400, None), RetryDecision::Stop),
        ("403", service(403, None), RetryDecision::Stop),
        (
            "read timeout",
            timeout(TimeoutPhase::Read),
            RetryDecision::Stop,
        ),
        (
            "deadline",
            timeout(TimeoutPhase::Deadline),
            RetryDecision::Stop,
        ),
        ("dropped", dropped(), RetryDecision::Stop),
        ("decode", decode(), RetryDecision::Stop),
        (
            "argument",
            Error::invalid_argument("x", "bad"),
            RetryDecision::Stop,
        ),
    ];
    for (name, error, expected) in cases {
        assert_eq!(fast().decide(1, &error, now(), 0), expected, "{name}");
    }
}

#[test]
fn opt_in_conditions_extend_the_default() {
    let cases: Vec<(RetryCondition, Error)> = vec![
        (RetryCondition::ServerError, service(500, None)),
        (RetryCondition::ServerError, service(502, None)),
        (RetryCondition::ServerError, service(599, None)),
        (RetryCondition::ReadTimeout, timeout(TimeoutPhase::Read)),
        (RetryCondition::ConnectionDropped, dropped()),
    ];
    for (condition, error) in cases {
        assert_eq!(
            fast().decide(1, &error, now(), 0),
            RetryDecision::Stop,
            "{condition:?} off"
        );
        assert_eq!(
            fast().retry_on(condition).decide(1, &error, now(), 0),
            retry(50),
            "{condition:?} on"
        );
    }
    // A deadline is never retried, whatever is switched on.
    let all = fast()
        .retry_on(RetryCondition::ReadTimeout)
        .retry_on(RetryCondition::ServerError);
    assert_eq!(
        all.decide(1, &timeout(TimeoutPhase::Deadline), now(), 0),
        RetryDecision::Stop
    );
}

#[test]
fn retry_only_on_replaces_the_conditions() {
    let policy = fast().retry_only_on([RetryCondition::ServerError]);
    assert_eq!(policy.decide(1, &connect(), now(), 0), RetryDecision::Stop);
    assert_eq!(
        policy.decide(1, &service(429, None), now(), 0),
        RetryDecision::Stop
    );
    assert_eq!(policy.decide(1, &service(500, None), now(), 0), retry(50));
}

#[test]
fn stops_after_max_attempts() {
    // (max attempts, attempt that failed, expected)
    let cases = [
        (3, 1, retry(50)),
        (3, 2, retry(100)),
        (3, 3, RetryDecision::Stop),
        (1, 1, RetryDecision::Stop),
        (0, 1, RetryDecision::Stop),
    ];
    for (max, attempt, expected) in cases {
        let policy = fast().max_attempts(max);
        assert_eq!(
            policy.decide(attempt, &connect(), now(), 0),
            expected,
            "max {max}, attempt {attempt}"
        );
    }
    assert_eq!(
        RetryPolicy::never().decide(1, &connect(), now(), 0),
        RetryDecision::Stop
    );
    assert_eq!(RetryPolicy::never().attempts(), 1);
}

#[test]
fn backoff_doubles_with_equal_jitter_up_to_the_cap() {
    let policy = fast().max_attempts(10);
    // (attempt, random, expected wait in ms): base 100, 200, 400, 800, then the cap of 1000.
    let cases: &[(u32, u64, u64)] = &[
        (1, 0, 50),
        (2, 0, 100),
        (3, 0, 200),
        (4, 0, 400),
        (5, 0, 500),
        (9, 0, 500),
        // The random half: random modulo (half + 1 ns) is added.
        (1, 50_000_000, 100),
        (1, 50_000_001, 50),
        (1, 25_000_000, 75),
        (5, 500_000_000, 1000),
        (5, u64::MAX, 500 + (u64::MAX % 500_000_001) / 1_000_000),
    ];
    for (attempt, random, millis) in cases {
        let RetryDecision::RetryAfter(wait) = policy.decide(*attempt, &connect(), now(), *random)
        else {
            panic!("attempt {attempt} should be retried");
        };
        assert_eq!(
            wait.as_millis(),
            u128::from(*millis),
            "attempt {attempt}, random {random}"
        );
    }
}

#[test]
fn honours_retry_after_seconds_and_dates() {
    let cases: &[(&'static str, RetryDecision)] = &[
        ("0", retry(0)),
        ("2", retry(2000)),
        (" 7 ", retry(7000)),
        ("60", retry(60_000)),
        ("61", RetryDecision::Stop),
        ("Mon, 01 Jan 2024 00:00:05 GMT", retry(5000)),
        ("Sun, 31 Dec 2023 23:59:00 GMT", retry(0)),
        ("Mon, 01 Jan 2024 01:00:00 GMT", RetryDecision::Stop),
        // Unreadable values fall back to the backoff.
        ("soon", retry(50)),
        ("-1", retry(50)),
    ];
    for (value, expected) in cases {
        assert_eq!(
            fast().decide(1, &service(429, Some(value)), now(), 0),
            *expected,
            "Retry-After {value:?}"
        );
        assert_eq!(
            fast().decide(1, &service(503, Some(value)), now(), 0),
            *expected,
            "Retry-After {value:?}"
        );
    }
    let patient = fast().max_retry_after(Duration::from_secs(3600));
    assert_eq!(
        patient.decide(1, &service(429, Some("61")), now(), 0),
        retry(61_000)
    );
}

#[test]
fn too_long_is_one_rule_whatever_the_spelling() {
    for value in [
        "61",
        "999999",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        assert_eq!(
            fast().decide(1, &service(429, Some(value)), now(), 0),
            RetryDecision::Stop,
            "Retry-After {value:?}"
        );
    }
    // With no limit, a number too large to count is the longest wait there is.
    let unlimited = fast().max_retry_after(Duration::MAX);
    assert_eq!(
        unlimited.decide(1, &service(429, Some("99999999999999999999")), now(), 7),
        RetryDecision::RetryAfter(Duration::MAX)
    );
}

#[test]
fn retry_after_waits_are_spread() {
    use crate::retry::jitter::JitterSource;
    let policy = RetryPolicy::default();
    let source = JitterSource::with_seed(42);
    let waits: Vec<Duration> = (0..1000)
        .map(
            |_| match policy.decide(1, &service(429, Some("1")), now(), source.next()) {
                RetryDecision::RetryAfter(wait) => wait,
                RetryDecision::Stop => panic!("a 1 s Retry-After is honoured"),
            },
        )
        .collect();
    let (least, most) = (waits.iter().min(), waits.iter().max());
    // Never sooner than asked, at most a quarter later (the default initial backoff's half,
    // 250 ms, is the same here).
    assert!(
        least.is_some_and(|least| *least >= Duration::from_secs(1)),
        "{least:?}"
    );
    assert!(
        most.is_some_and(|most| *most <= Duration::from_millis(1250)),
        "{most:?}"
    );
    // Spread over most of the window, not in lockstep.
    let spread = most.copied().unwrap_or_default() - least.copied().unwrap_or_default();
    assert!(spread >= Duration::from_millis(200), "spread {spread:?}");
    let mut distinct = waits.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() > 990, "{} distinct waits", distinct.len());
    // `Retry-After: 0` is spread over half the initial backoff.
    let zero = policy.decide(1, &service(429, Some("0")), now(), 249_999_999);
    assert_eq!(
        zero,
        RetryDecision::RetryAfter(Duration::from_nanos(249_999_999))
    );
}

#[test]
fn retry_after_does_not_make_other_statuses_retried() {
    assert_eq!(
        fast().decide(1, &service(500, Some("1")), now(), 0),
        RetryDecision::Stop
    );
    assert_eq!(
        fast().decide(1, &service(400, Some("1")), now(), 0),
        RetryDecision::Stop
    );
}

#[test]
fn the_documented_defaults() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.attempts(), 3);
    let conditions = [
        (RetryCondition::ConnectFailed, true),
        (RetryCondition::TooManyRequests, true),
        (RetryCondition::ServiceUnavailable, true),
        (RetryCondition::ServerError, false),
        (RetryCondition::ReadTimeout, false),
        (RetryCondition::ConnectionDropped, false),
    ];
    for (condition, on) in conditions {
        assert_eq!(policy.retries_on(condition), on, "{condition:?}");
    }
    assert_eq!(policy.decide(1, &connect(), now(), 0), retry(250));
    assert_eq!(policy.decide(2, &connect(), now(), 0), retry(500));
}
