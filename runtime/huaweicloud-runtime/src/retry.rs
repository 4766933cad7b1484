//! The retry policy: decides whether and when a failed attempt is tried again; it never sleeps.
//!
//! The default is safe for a non-idempotent `POST`: it retries only when the service surely did
//! not process the request (no connection, 429, 503). Everything else is opt-in.

mod http_date;
pub(crate) mod jitter;

use std::time::{Duration, SystemTime};

use crate::error::{Error, ErrorKind, TimeoutPhase};

/// A failure the policy may retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryCondition {
    /// No connection could be established, including a connect timeout. On by default.
    ConnectFailed,
    /// Status 429 Too Many Requests. On by default.
    TooManyRequests,
    /// Status 503 Service Unavailable. On by default.
    ServiceUnavailable,
    /// Any other status from 500 to 599. Off by default: the service may have done the work.
    ServerError,
    /// The read timeout passed. Off by default: the service may have done the work.
    ReadTimeout,
    /// The connection broke after the request went out. Off by default, for the same reason.
    ConnectionDropped,
}

impl RetryCondition {
    /// The condition an error meets, if any.
    fn of(error: &Error) -> Option<Self> {
        match (error.kind(), error.timeout_phase()) {
            (ErrorKind::Connect, _) => Some(Self::ConnectFailed),
            (ErrorKind::Timeout, Some(TimeoutPhase::Connect)) => Some(Self::ConnectFailed),
            (ErrorKind::Timeout, Some(TimeoutPhase::Read)) => Some(Self::ReadTimeout),
            (ErrorKind::ConnectionDropped, _) => Some(Self::ConnectionDropped),
            (ErrorKind::Service | ErrorKind::ResponseTooLarge, _) => {
                match error.status()?.as_u16() {
                    429 => Some(Self::TooManyRequests),
                    503 => Some(Self::ServiceUnavailable),
                    500..=599 => Some(Self::ServerError),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after this wait.
    RetryAfter(Duration),
    /// Give up and return the error.
    Stop,
}

/// How often and how patiently a call is tried.
///
/// Defaults: at most 3 attempts; retried are failed connections, 429 and 503; the wait before
/// retry `n` is `500 ms × 2^(n-1)`, capped at 10 s, with equal jitter (half fixed, half random);
/// a `Retry-After` header (seconds or HTTP date) replaces that wait, plus a random extra of up to
/// a quarter of it (at least up to half the initial backoff). A wait of more than 60 s, however
/// it is spelt (`999999`, a number too large to count, a far date) or computed, ends the call
/// at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    conditions: Vec<RetryCondition>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            conditions: vec![
                RetryCondition::ConnectFailed,
                RetryCondition::TooManyRequests,
                RetryCondition::ServiceUnavailable,
            ],
        }
    }
}

impl RetryPolicy {
    /// A policy that tries each call once (what the official SDKs do by default).
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the maximum number of attempts, the first included (at least 1).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the wait before the first retry and the cap of the exponential backoff.
    pub fn backoff(mut self, initial: Duration, cap: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = cap.max(initial);
        self
    }

    /// Sets the longest wait before a retry, whether a `Retry-After` asks for it or the backoff
    /// computes it (default 60 s); a longer one ends the call with the last error.
    pub fn max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Also retries on `condition`.
    pub fn retry_on(mut self, condition: RetryCondition) -> Self {
        if !self.conditions.contains(&condition) {
            self.conditions.push(condition);
        }
        self
    }

    /// Retries on exactly these conditions.
    pub fn retry_only_on(mut self, conditions: impl IntoIterator<Item = RetryCondition>) -> Self {
        self.conditions.clear();
        for condition in conditions {
            self = self.retry_on(condition);
        }
        self
    }

    /// The maximum number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether the policy retries on `condition`.
    pub fn retries_on(&self, condition: RetryCondition) -> bool {
        self.conditions.contains(&condition)
    }

    /// Decides after attempt number `attempt` (from 1) failed with `error`. `now` reads a
    /// `Retry-After` date; `random` is any random number, for the jitter.
    pub fn decide(
        &self,
        attempt: u32,
        error: &Error,
        now: SystemTime,
        random: u64,
    ) -> RetryDecision {
        let retried = RetryCondition::of(error).is_some_and(|condition| self.retries_on(condition));
        if !retried || attempt >= self.max_attempts {
            return RetryDecision::Stop;
        }
        let asked = retry_after(error, now);
        let wait = match asked {
            Some(wait) => wait,
            None => self.backoff_for(attempt, random),
        };
        // One rule for every wait, asked for or computed: longer than the limit ends the call.
        if wait > self.max_retry_after {
            return RetryDecision::Stop;
        }
        match asked {
            // Clients told the same `Retry-After` would otherwise all come back at once.
            Some(wait) => RetryDecision::RetryAfter(wait.saturating_add(self.spread(wait, random))),
            None => RetryDecision::RetryAfter(wait),
        }
    }

    /// The random extra on a `Retry-After` wait: up to a quarter of it, and at least up to half
    /// the initial backoff (so that `Retry-After: 0` is spread too).
    fn spread(&self, wait: Duration, random: u64) -> Duration {
        let span = (wait / 4).max(self.initial_backoff / 2);
        let span_nanos = u64::try_from(span.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(
            random
                .checked_rem(span_nanos.saturating_add(1))
                .unwrap_or(0),
        )
    }

    /// `initial × 2^(attempt-1)`, capped, then half of it kept and half drawn from `random`.
    fn backoff_for(&self, attempt: u32, random: u64) -> Duration {
        let doubling = 2u32.saturating_pow(attempt.saturating_sub(1));
        let base = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        let half = base / 2;
        let half_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = random
            .checked_rem(half_nanos.saturating_add(1))
            .unwrap_or(0);
        half + Duration::from_nanos(jitter)
    }
}

/// The wait a `Retry-After` header of a service error asks for: delay-seconds or an HTTP date.
fn retry_after(error: &Error, now: SystemTime) -> Option<Duration> {
    let value = error
        .response_headers()?
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        // Seconds too many to count are longer than any limit, not garbage.
        let wait = value.parse::<u64>().map(Duration::from_secs);
        return Some(wait.unwrap_or(Duration::MAX));
    }
    let at = http_date::parse(value)?;
    // A date in the past means "now".
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests;
