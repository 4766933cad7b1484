//! Async client for Huawei Cloud Host Security Service (HSS) v5.
//!
//! The operations and models under [`generated`] come from `spec/hss.yaml`; the rest is the
//! hand-written runtime they call.

mod builder;
mod client;
pub mod credentials;
pub mod endpoint;
mod error;
pub mod iam;
mod orchestrator;
mod request;
mod response;
pub mod retry;
pub mod runtime;
mod settings;
pub mod signing;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;

#[rustfmt::skip]
pub mod generated;

pub use builder::ClientBuilder;
pub use client::Client;
pub use credentials::Credentials;
pub use endpoint::Region;
pub use error::{ConfigError, Error, ErrorKind, ServiceError, TimeoutPhase, parse_service_error};
pub use generated::{models, operations};
pub use response::ApiResponse;
pub use retry::{RetryCondition, RetryDecision, RetryPolicy};
pub use settings::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_RESPONSE_BODY,
    DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_POOL_MAX_IDLE_PER_HOST, DEFAULT_READ_TIMEOUT,
};
pub use transport::SignedRequest;

/// Compiles the README's Rust examples as doc tests, so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
