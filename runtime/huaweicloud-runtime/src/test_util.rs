//! Test support for downstream crates (feature `test-util`): a stand-in for the network that
//! records every signed request and answers from a script, failures included.
//!
//! ```
//! use huaweicloud_runtime::test_util::{MockReply, MockTransport};
//! use huaweicloud_runtime::{Client, ClientBuilder, Credentials, Region, ServiceInfo};
//!
//! static SERVICE: ServiceInfo = ServiceInfo::new("SVC", "svc-rust/1.0", &[]);
//!
//! let mock = MockTransport::new();
//! mock.push(MockReply::json(200, r#"{"error_code":0,"error_description":"success"}"#));
//! let client: Client = ClientBuilder::for_service(&SERVICE)
//!     .endpoint("https://svc.example.test")
//!     .credentials(Credentials::permanent("AK", "SK"))
//!     .project_id("p1")
//!     .mock_transport(mock.clone())
//!     .build()?;
//! // Every call of a service crate's client built this way is answered from the script, and
//! // `mock.requests()` holds each request as it was signed.
//! assert!(mock.requests().is_empty());
//! # Ok::<(), huaweicloud_runtime::Error>(())
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::error::{Error, TimeoutPhase};
pub use crate::transport::SignedRequest;
use crate::transport::{HttpSend, Limits, Received, SendFuture};

/// One scripted answer to one attempt.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MockReply {
    /// An HTTP answer.
    Response {
        /// The status.
        status: StatusCode,
        /// The headers.
        headers: HeaderMap,
        /// The body.
        body: Bytes,
    },
    /// The connection could not be established ([`crate::ErrorKind::Connect`]).
    ConnectFailed,
    /// The connect timeout passed.
    ConnectTimeout,
    /// The read timeout passed.
    ReadTimeout,
    /// The connection broke before the answer was complete.
    ConnectionDropped,
}

impl MockReply {
    /// An answer with this status and no body (an unknown status becomes 500).
    pub fn status(status: u16) -> Self {
        Self::Response {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// An answer with this status and a JSON body.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self::status(status)
            .with_header("content-type", "application/json")
            .with_body(body.into())
    }

    /// Adds a header to an HTTP answer (ignored on failures and on invalid names or values).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Response { headers, .. } = &mut self {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.append(name, value);
            }
        }
        self
    }

    /// Replaces the body of an HTTP answer.
    pub fn with_body(mut self, bytes: impl Into<Bytes>) -> Self {
        if let Self::Response { body, .. } = &mut self {
            *body = bytes.into();
        }
        self
    }
}

#[derive(Debug, Default)]
struct State {
    script: VecDeque<MockReply>,
    requests: Vec<SignedRequest>,
}

/// Records the signed request of every attempt and answers each from the script, in order.
/// Clones share the script and the record. With the script used up, an attempt fails with
/// [`crate::ErrorKind::Transport`].
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

impl MockTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an answer to the script.
    pub fn push(&self, reply: MockReply) -> &Self {
        self.lock().script.push_back(reply);
        self
    }

    /// The signed requests sent so far, one per attempt.
    pub fn requests(&self) -> Vec<SignedRequest> {
        self.lock().requests.clone()
    }

    /// How many scripted answers are left.
    pub fn remaining(&self) -> usize {
        self.lock().script.len()
    }

    // A test that panicked while holding the lock leaves consistent data behind: just a queue
    // and a list.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(
        &self,
        request: SignedRequest,
        limits: &Limits,
        operation_id: &'static str,
    ) -> Result<Received, Error> {
        let reply = {
            let mut state = self.lock();
            state.requests.push(request);
            state.script.pop_front()
        };
        let timeout = |phase, limit| {
            Error::from(crate::error::Repr::Timeout {
                operation_id,
                phase,
                limit,
            })
        };
        match reply {
            Some(MockReply::Response {
                status,
                headers,
                body,
            }) => {
                if body.len() > limits.max_response_body {
                    return Err(Error::too_large(
                        operation_id,
                        status,
                        headers,
                        limits.max_response_body,
                    ));
                }
                Ok(Received {
                    status,
                    headers,
                    body,
                })
            }
            Some(MockReply::ConnectFailed) => Err(Error::from(crate::error::Repr::Connect {
                operation_id,
                message: "connection refused (scripted)".to_owned(),
            })),
            Some(MockReply::ConnectTimeout) => {
                Err(timeout(TimeoutPhase::Connect, limits.connect_timeout))
            }
            Some(MockReply::ReadTimeout) => Err(timeout(TimeoutPhase::Read, limits.read_timeout)),
            Some(MockReply::ConnectionDropped) => {
                Err(Error::from(crate::error::Repr::ConnectionDropped {
                    operation_id,
                    message: "connection reset (scripted)".to_owned(),
                }))
            }
            None => Err(Error::from(crate::error::Repr::Transport {
                operation_id,
                message: "the mock transport has no scripted answer left".to_owned(),
            })),
        }
    }
}

impl HttpSend for MockTransport {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        limits: &'a Limits,
        operation_id: &'static str,
    ) -> SendFuture<'a> {
        let answer = self.answer(request, limits, operation_id);
        Box::pin(std::future::ready(answer))
    }
}
