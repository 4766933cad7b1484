//! The small, named surface that generated operations call: describe a request, run it, decode the answer.
//!
//! Generated code uses only the items of this module (plus [`crate::Client::execute`] and
//! [`crate::Client::client_param`]); it never constructs an [`Error`] itself. Everything the cloud
//! runtime adds (endpoint, credentials, signing, retries) happens behind [`crate::Client::execute`].

use bytes::Bytes;
use serde::de::DeserializeOwned;

pub use crate::builder::ClientBuilder;
use crate::client::Client;
pub use crate::credentials::Secret;
pub use crate::endpoint::{Region, ServiceInfo};
use crate::error::Error;
pub use crate::request::{
    ClientDefault, Multipart, OperationRequest, RequestBody, cookie_header, deep_object_pairs,
    encode_form, encode_path_segment,
};
pub use crate::response::{ApiResponse, RawResponse};
pub use fields::{
    StructFields, StructKey, StructWriter, read_some, read_value, required_field,
    serialize_optional_entry,
};
pub use http::{HeaderMap, Method, StatusCode};
pub use paginate::{
    Items, Page, PageFuture, PageParts, PageStart, Pages, fetch_page, page_parameter, page_start,
};

mod fields;
mod paginate;

/// Checks a string argument against the length limits of the spec, counted in characters.
pub fn check_length(
    argument: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Error> {
    let length = value.chars().count();
    if let Some(min) = min.filter(|&min| length < min) {
        return Err(Error::invalid_argument(
            argument,
            format!("is {length} characters long, the minimum is {min}"),
        ));
    }
    if let Some(max) = max.filter(|&max| length > max) {
        return Err(Error::invalid_argument(
            argument,
            format!("is {length} characters long, the maximum is {max}"),
        ));
    }
    Ok(())
}

/// Sends `request` (or returns its argument error) and decodes a JSON answer: the `send()` of
/// every generated operation whose success body is JSON. One generic function here instead of
/// an async body per operation keeps the generated code small and quick to compile.
pub async fn send_json<T: DeserializeOwned>(
    client: &Client,
    request: Result<OperationRequest, Error>,
) -> Result<ApiResponse<T>, Error> {
    client.execute(request?).await?.json()
}

/// [`send_json`] for a text answer.
pub async fn send_text(
    client: &Client,
    request: Result<OperationRequest, Error>,
) -> Result<ApiResponse<String>, Error> {
    client.execute(request?).await?.text()
}

/// [`send_json`] for a binary answer.
pub async fn send_bytes(
    client: &Client,
    request: Result<OperationRequest, Error>,
) -> Result<ApiResponse<Bytes>, Error> {
    Ok(client.execute(request?).await?.bytes())
}

/// [`send_json`] for an answer whose body, if any, carries nothing (`{}`, or no body at all).
pub async fn send_empty(
    client: &Client,
    request: Result<OperationRequest, Error>,
) -> Result<ApiResponse<()>, Error> {
    Ok(client.execute(request?).await?.empty())
}

#[cfg(test)]
mod tests;
