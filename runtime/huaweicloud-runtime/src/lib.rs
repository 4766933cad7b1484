//! The runtime of Huawei Cloud service clients generated from OpenAPI: client settings and
//! builder, credentials, endpoints and regions, the IAM project id, the attempt loop (signing,
//! retries, timeouts), the transport behind a public sending interface, typed errors and
//! pagination.
//!
//! A service crate (such as `hss-client`) is generated on top of it and re-exports what its
//! users need; the runtime holds no fact of any service: a service's name, regions and
//! user-agent product come in a [`ServiceInfo`] its generated code declares. What generated
//! code calls lives in one hidden module, `__private`, which is no part of the public API.

mod builder;
mod byte_stream;
mod client;
pub mod credentials;
pub mod endpoint;
mod error;
pub mod iam;
mod orchestrator;
mod request;
mod response;
pub mod retry;
mod settings;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod transport;

#[doc(hidden)]
pub mod __private;

/// The `http` crate whose types (`HeaderMap`, `StatusCode`, `Method`) the public API uses.
pub use http;
pub use huaweicloud_signing as signing;

pub use __private::{Items, Page, Pages};
pub use builder::ClientBuilder;
pub use byte_stream::{ByteStream, ByteStreamReader};
pub use client::Client;
pub use credentials::{Credentials, Secret};
pub use endpoint::{Region, ServiceInfo};
pub use error::{ConfigError, Error, ErrorKind, ServiceError, TimeoutPhase, parse_service_error};
pub use response::ApiResponse;
pub use retry::{RetryCondition, RetryDecision, RetryPolicy};
pub use settings::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_RESPONSE_BODY,
    DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_POOL_MAX_IDLE_PER_HOST, DEFAULT_READ_TIMEOUT,
};
pub use transport::{HttpSend, SignedRequest};

#[cfg(test)]
mod test_service;
