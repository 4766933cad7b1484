//! The small, named surface that generated code calls: describe a request, run it, decode the
//! answer, (de)serialize a struct, page through a list. Hidden from the docs and no part of the
//! public API: only generated code of the same runtime version uses it.
//!
//! Generated code uses only the items of this module and the public types of the crate root; it
//! never constructs an [`Error`] itself. Everything the cloud runtime adds (endpoint,
//! credentials, signing, retries) happens behind [`execute`].

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
mod json_struct;
mod paginate;

pub use crate::json_struct;
pub use serde;

/// Resolves the parameter `argument`, which the client fills from its setting `default`
/// unless the call gives its own value. A project id the client will find through IAM is not
/// known yet: the value is then a placeholder that [`execute`] replaces before anything is sent.
#[inline]
pub fn client_param(
    client: &Client,
    argument: &'static str,
    default: ClientDefault,
    call_value: Option<String>,
) -> Result<String, Error> {
    client.client_param(argument, default, call_value)
}

/// Sends one operation request (signed, with retries) and returns the raw answer of a
/// successful call (a 2xx status); a status of 400 or more is a service error, any other (1xx,
/// 3xx) an unexpected status.
pub async fn execute(client: &Client, request: OperationRequest) -> Result<RawResponse, Error> {
    client.execute(request).await
}

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

/// [`send_json`] for a binary answer read as a stream ([`ByteStream`](crate::ByteStream)).
pub async fn send_stream(
    client: &Client,
    request: Result<OperationRequest, Error>,
) -> Result<ApiResponse<crate::ByteStream>, Error> {
    client.execute_streaming(request?).await
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
