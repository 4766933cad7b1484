//! Async client for Huawei Cloud Host Security Service (HSS) v5.
//!
//! The operations and models under [`generated`] come from `spec/hss.yaml`; the rest is the
//! hand-written runtime they call.

mod client;
mod error;
mod response;
pub mod runtime;

#[rustfmt::skip]
pub mod generated;

pub use client::Client;
pub use error::Error;
pub use generated::models;
pub use response::ApiResponse;
