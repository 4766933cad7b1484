//! One operation's request as generated code describes it, before endpoint, credentials and
//! signing: method, encoded path, query, headers, cookies and body.

use std::ops::{Bound, RangeBounds};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::byte_stream::ByteStream;
use crate::error::Error;
use crate::signing::UNRESERVED;

/// A client setting that can fill a parameter the call leaves unset (`x-client-default` in a
/// spec). The generator accepts `x-client-default` only for the settings listed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientDefault {
    /// The client's project id (`ClientBuilder::project_id`, `HUAWEICLOUD_SDK_PROJECT_ID`, the
    /// profile file), else the one IAM has for the client's region.
    ProjectId,
}

impl ClientDefault {
    /// Every setting, for the generator's contract test.
    pub const ALL: &'static [ClientDefault] = &[ClientDefault::ProjectId];

    /// The setting's name, as `x-client-default` names it and as the client records it on the
    /// request (`OperationRequest::client_param`).
    pub const fn setting(self) -> &'static str {
        match self {
            ClientDefault::ProjectId => "project_id",
        }
    }
}

/// [`check_length`](crate::__private::check_length) with the limits as a range.
fn check_length_range(
    name: &'static str,
    value: &str,
    length: &impl RangeBounds<usize>,
) -> Result<(), Error> {
    let min = match length.start_bound() {
        Bound::Included(&min) => Some(min),
        Bound::Excluded(&min) => Some(min.saturating_add(1)),
        Bound::Unbounded => None,
    };
    let max = match length.end_bound() {
        Bound::Included(&max) => Some(max),
        Bound::Excluded(&max) => Some(max.saturating_sub(1)),
        Bound::Unbounded => None,
    };
    crate::__private::check_length(name, value, min, max)
}

/// Percent-encodes the path parameter `argument`'s `value` as one path segment (a `/` inside it
/// becomes `%2F`, a `%` becomes `%25`, so `%2E%2E` reaches the server as that literal text).
///
/// Refuses an empty value and the dot segments `.` and `..`: URL normalisation would remove or
/// collapse them and send the request to another path (`/v5/../image` is `/image`).
pub fn encode_path_segment(argument: &'static str, value: &str) -> Result<String, Error> {
    match value {
        "" => Err(Error::invalid_argument(
            argument,
            "is empty, which a path segment must not be",
        )),
        "." | ".." => Err(Error::invalid_argument(
            argument,
            format!("is {value:?}, a dot segment that would change the request's path"),
        )),
        _ => Ok(utf8_percent_encode(value, UNRESERVED).to_string()),
    }
}

/// The body of an [`OperationRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestBody {
    /// No body at all.
    Empty,
    /// Bytes sent with the given `Content-Type`.
    Bytes {
        /// The media type sent as `Content-Type`.
        content_type: String,
        /// The encoded body.
        bytes: Bytes,
    },
    /// A body sent as it is read, with the given `Content-Type`.
    Stream {
        /// The media type sent as `Content-Type`.
        content_type: String,
        /// The body.
        stream: StreamBody,
    },
}

/// A streamed request body, shared by the copies of a request. Each attempt sends it from its
/// start when it can be read again (bytes, files); a stream goes to the first attempt only.
#[derive(Clone)]
pub struct StreamBody(Arc<Mutex<Option<ByteStream>>>);

impl StreamBody {
    fn new(stream: ByteStream) -> Self {
        Self(Arc::new(Mutex::new(Some(stream))))
    }

    /// The body for one attempt: the same bytes from their start, or the stream itself once.
    pub(crate) fn for_attempt(&self) -> Result<ByteStream, Error> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(replay) = slot.as_ref().and_then(ByteStream::replay) {
            return Ok(replay);
        }
        slot.take().ok_or_else(|| {
            Error::invalid_argument(
                "body",
                "is a stream, which an earlier attempt has sent: it cannot be sent again",
            )
        })
    }

    /// Whether the body is known to have no bytes at all.
    pub(crate) fn known_empty(&self) -> bool {
        let slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slot.as_ref()
            .is_some_and(|stream| stream.length() == Some(0))
    }

    /// Whether another attempt can send the body.
    pub(crate) fn can_send_again(&self) -> bool {
        let slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slot.as_ref().is_some_and(ByteStream::replayable)
    }
}

impl std::fmt::Debug for StreamBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some(stream) => stream.fmt(f),
            None => f.write_str("ByteStream(sent)"),
        }
    }
}

impl PartialEq for StreamBody {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for StreamBody {}

/// A request as a generated operation describes it, before the client adds the endpoint,
/// the standard headers, credentials and the signature.
#[derive(Debug, Clone)]
pub struct OperationRequest {
    operation_id: &'static str,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(&'static str, String)>,
    client_params: Vec<(&'static str, String)>,
    body: RequestBody,
    content_type_without_body: Option<&'static str>,
}

impl OperationRequest {
    /// Starts a request; `path` is already expanded and percent-encoded, without a query.
    pub fn new(operation_id: &'static str, method: Method, path: String) -> Self {
        Self {
            operation_id,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            client_params: Vec::new(),
            body: RequestBody::Empty,
            content_type_without_body: None,
        }
    }

    /// The `Content-Type` sent when the request has no body (`x-request-content-type`): the
    /// official SDKs send one on every request, signed like the other headers.
    pub fn content_type_without_body(&mut self, content_type: &'static str) {
        self.content_type_without_body = Some(content_type);
    }

    /// Adds one query pair (raw, not encoded; the client encodes and sorts them canonically).
    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds one request header described by the spec.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Adds the query parameter `name` when the call set it: an optional parameter in one line.
    #[inline]
    pub fn query_opt<T: ToString>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.query(name, value.to_string());
        }
    }

    /// [`OperationRequest::query_opt`] for a header.
    #[inline]
    pub fn header_opt<T: ToString>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.header(name, value.to_string());
        }
    }

    /// [`OperationRequest::query_opt`] for a cookie.
    #[inline]
    pub fn cookie_opt<T: ToString>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.cookie(name, value.to_string());
        }
    }

    /// [`OperationRequest::query_opt`] for a string whose length (in characters) the spec
    /// limits to `length`, checked first: an invalid-argument error naming the parameter.
    #[inline]
    pub fn query_opt_len(
        &mut self,
        name: &'static str,
        value: &Option<String>,
        length: impl RangeBounds<usize>,
    ) -> Result<(), Error> {
        self.add_checked(name, value, &length, |request, value| {
            request.query(name, value)
        })
    }

    /// [`OperationRequest::query_opt_len`] for a header.
    #[inline]
    pub fn header_opt_len(
        &mut self,
        name: &'static str,
        value: &Option<String>,
        length: impl RangeBounds<usize>,
    ) -> Result<(), Error> {
        self.add_checked(name, value, &length, |request, value| {
            request.header(name, value)
        })
    }

    /// [`OperationRequest::query_opt_len`] for a cookie.
    #[inline]
    pub fn cookie_opt_len(
        &mut self,
        name: &'static str,
        value: &Option<String>,
        length: impl RangeBounds<usize>,
    ) -> Result<(), Error> {
        self.add_checked(name, value, &length, |request, value| {
            request.cookie(name, value)
        })
    }

    /// Adds a set string parameter through `add` after checking its length.
    fn add_checked(
        &mut self,
        name: &'static str,
        value: &Option<String>,
        length: &impl RangeBounds<usize>,
        add: impl FnOnce(&mut Self, &str),
    ) -> Result<(), Error> {
        if let Some(value) = value {
            check_length_range(name, value, length)?;
            add(self, value);
        }
        Ok(())
    }

    /// Adds the pairs of a `deepObject` query parameter: `name[key]=value` for each member of
    /// the value's JSON object, nested objects as `name[key][inner]`, a list as one pair per
    /// item, `null` left out (see [`deep_object_pairs`]).
    pub fn deep_object_query<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value)
            .map_err(|source| Error::invalid_argument(name, source.to_string()))?;
        self.query.extend(deep_object_pairs(name, &value));
        Ok(())
    }

    /// Adds one cookie parameter; the client sends all of them in one `Cookie` header (see
    /// [`cookie_header`]), signed like the other headers.
    pub fn cookie(&mut self, name: &'static str, value: impl ToString) {
        self.cookies.push((name, value.to_string()));
    }

    /// Records the value used for a parameter the client fills from its own settings
    /// (such as `project_id`), so the client can send the matching headers.
    pub fn client_param(&mut self, name: &'static str, value: impl ToString) {
        self.client_params.push((name, value.to_string()));
    }

    /// Puts `value` wherever the client parameter `name` holds `placeholder`: in the path (as
    /// an encoded segment) and in the recorded value. `placeholder` must be made of characters
    /// a path segment keeps unencoded, so that the path holds it as it is.
    pub(crate) fn replace_client_param(
        &mut self,
        name: &'static str,
        placeholder: &str,
        value: &str,
    ) -> Result<(), Error> {
        let segment = encode_path_segment(name, value)?;
        self.path = self.path.replace(placeholder, &segment);
        for (param, recorded) in &mut self.client_params {
            if *param == name && recorded == placeholder {
                *recorded = value.to_owned();
            }
        }
        Ok(())
    }

    /// Sets a JSON body (`application/json`), serialized compactly.
    pub fn json_body<T: Serialize>(&mut self, body: &T) -> Result<(), Error> {
        self.json_body_as("application/json", body)
    }

    /// Sets a JSON body sent with another JSON media type (such as `application/merge-patch+json`).
    pub fn json_body_as<T: Serialize>(
        &mut self,
        content_type: &str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|source| Error::encode_body(self.operation_id, source))?;
        self.body = RequestBody::Bytes {
            content_type: content_type.to_owned(),
            bytes: Bytes::from(bytes),
        };
        Ok(())
    }

    /// Sets a body of raw bytes with its media type.
    pub fn bytes_body(&mut self, content_type: &str, bytes: impl Into<Bytes>) {
        self.body = RequestBody::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        };
    }

    /// Sets a body of raw bytes with its media type, sent as it is read: in memory, from a
    /// file, or from a stream ([`ByteStream`]).
    pub fn stream_body(&mut self, content_type: &str, body: impl Into<ByteStream>) {
        let stream: ByteStream = body.into();
        self.body = match stream.as_memory() {
            // Bytes in memory are sent as they are: signed, and sent again freely.
            Some(bytes) => RequestBody::Bytes {
                content_type: content_type.to_owned(),
                bytes: bytes.clone(),
            },
            None => RequestBody::Stream {
                content_type: content_type.to_owned(),
                stream: StreamBody::new(stream),
            },
        };
    }

    /// Sets an `application/x-www-form-urlencoded` body from a value that serializes to a JSON
    /// object: one `name=value` pair per member, a list as one pair per item (the `form` style,
    /// exploded), `null` left out, nested objects as their JSON text.
    pub fn form_body<T: Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let value = serde_json::to_value(body)
            .map_err(|source| Error::encode_body(self.operation_id, source))?;
        let encoded =
            encode_form(&value).map_err(|source| Error::encode_body(self.operation_id, source))?;
        self.body = RequestBody::Bytes {
            content_type: "application/x-www-form-urlencoded".to_owned(),
            bytes: Bytes::from(encoded),
        };
        Ok(())
    }

    /// Sets a `multipart/form-data` body of these parts. Parts in memory are encoded with a
    /// boundary found in none of them; a body with a streamed part goes as a stream, its
    /// boundary random.
    pub fn multipart_body(&mut self, form: Multipart) {
        if form.streams.is_empty() {
            let (boundary, bytes) = form.encode();
            self.body = RequestBody::Bytes {
                content_type: format!("multipart/form-data; boundary={boundary}"),
                bytes: Bytes::from(bytes),
            };
        } else {
            let (boundary, stream) = form.into_stream();
            self.body = RequestBody::Stream {
                content_type: format!("multipart/form-data; boundary={boundary}"),
                stream: StreamBody::new(stream),
            };
        }
    }

    /// Whether a failed attempt can be followed by another: not when the body is a stream the
    /// attempt has sent.
    pub(crate) fn can_send_again(&self) -> bool {
        match &self.body {
            RequestBody::Stream { stream, .. } => stream.can_send_again(),
            RequestBody::Empty | RequestBody::Bytes { .. } => true,
        }
    }

    /// The spec's `operationId`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded path, without a query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw query pairs in the order they were added.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The operation's own headers in the order they were added.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The cookie parameters in the order they were added.
    pub fn cookies(&self) -> &[(&'static str, String)] {
        &self.cookies
    }

    /// The value recorded for a client-filled parameter, if any.
    pub fn client_param_value(&self, name: &str) -> Option<&str> {
        self.client_params
            .iter()
            .find(|(param, _)| *param == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body.
    pub fn body(&self) -> &RequestBody {
        &self.body
    }

    /// The `Content-Type` to send: the body's, else the one set for a request without a body.
    pub fn content_type(&self) -> Option<&str> {
        match &self.body {
            RequestBody::Empty => self.content_type_without_body,
            RequestBody::Bytes { content_type, .. } | RequestBody::Stream { content_type, .. } => {
                Some(content_type)
            }
        }
    }
}

/// The query pairs of a `deepObject` parameter, in the order of the value's members:
/// `filter[os]=linux`, `filter[range][min]=1`, one pair per list item, none for `null`. A value
/// that is not an object is sent as a plain `name=value` pair.
pub fn deep_object_pairs(name: &str, value: &serde_json::Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    push_deep_object(name, value, &mut pairs);
    pairs
}

fn push_deep_object(key: &str, value: &serde_json::Value, pairs: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(members) => {
            for (member, value) in members {
                push_deep_object(&format!("{key}[{member}]"), value, pairs);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                match item {
                    // A list inside a list has no agreed deepObject form: its JSON text.
                    serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                        pairs.push((key.to_owned(), item.to_string()));
                    }
                    other => pairs.extend(value_text(other).map(|text| (key.to_owned(), text))),
                }
            }
        }
        other => pairs.extend(value_text(other).map(|text| (key.to_owned(), text))),
    }
}

/// Cookie values may not hold controls, space, `"`, `,`, `;` or `\` (RFC 6265), so those and
/// `%` (to keep the encoding reversible) are percent-encoded.
const COOKIE_VALUE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// The value of the one `Cookie` header carrying these cookie parameters: `a=1; b=x%20y`;
/// `None` without any.
pub fn cookie_header(cookies: &[(&'static str, String)]) -> Option<String> {
    if cookies.is_empty() {
        return None;
    }
    let pairs: Vec<String> = cookies
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, COOKIE_VALUE)))
        .collect();
    Some(pairs.join("; "))
}

/// `application/x-www-form-urlencoded` bytes: everything but `A-Z a-z 0-9 * - . _` is
/// percent-encoded, and a space becomes `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

fn form_encode(text: &str) -> String {
    // `%` itself is encoded as `%25`, so every `%20` left is an encoded space.
    utf8_percent_encode(text, FORM)
        .to_string()
        .replace("%20", "+")
}

/// The text a JSON value is sent as in a form field, a multipart part or a query pair: a
/// string without quotes, anything else its JSON text; `None` for `null`.
fn value_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// Encodes a JSON object as a form body (see [`OperationRequest::form_body`]).
pub fn encode_form(value: &serde_json::Value) -> Result<String, serde_json::Error> {
    let serde_json::Value::Object(members) = value else {
        return Err(serde::ser::Error::custom(
            "a form body must serialize to a JSON object",
        ));
    };
    let mut pairs = Vec::new();
    for (name, value) in members {
        let items = match value {
            serde_json::Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            if let Some(text) = value_text(item) {
                pairs.push(format!("{}={}", form_encode(name), form_encode(&text)));
            }
        }
    }
    Ok(pairs.join("&"))
}

/// The parts of a `multipart/form-data` body, in order; [`OperationRequest::multipart_body`]
/// encodes them.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    /// The streamed file parts' bodies, by the index of their part (whose `data` is empty).
    streams: Vec<(usize, ByteStream)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    /// Set for file parts, which also carry `Content-Type: application/octet-stream`.
    file: bool,
    data: Bytes,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text part (`Content-Disposition: form-data; name="…"`).
    pub fn text(&mut self, name: &str, value: impl ToString) {
        self.parts.push(Part {
            name: name.to_owned(),
            file: false,
            data: Bytes::from(value.to_string()),
        });
    }

    /// Adds a file part: `filename` is the field's name (the spec names no file), the content
    /// type `application/octet-stream`. Its bytes come from memory, a file or a stream
    /// ([`ByteStream`]); a part not in memory is read as the body is sent.
    pub fn file(&mut self, name: &str, data: impl Into<ByteStream>) {
        let stream: ByteStream = data.into();
        let data = match stream.as_memory() {
            Some(bytes) => bytes.clone(),
            None => {
                self.streams.push((self.parts.len(), stream));
                Bytes::new()
            }
        };
        self.parts.push(Part {
            name: name.to_owned(),
            file: true,
            data,
        });
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there are no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The boundary and the encoded body. The boundary is the first of `hss-client-boundary-0`,
    /// `-1`, … that occurs in no part, so the same parts always give the same bytes.
    fn encode(&self) -> (String, Vec<u8>) {
        let mut counter = 0_usize;
        let boundary = loop {
            let candidate = format!("hss-client-boundary-{counter}");
            let clashes = self.parts.iter().any(|part| {
                contains(&part.data, candidate.as_bytes()) || part.name.contains(candidate.as_str())
            });
            if !clashes {
                break candidate;
            }
            counter += 1;
        };
        let mut body = Vec::new();
        for part in &self.parts {
            part.write_head(&boundary, &mut body);
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (boundary, body)
    }

    /// The boundary and the body as a stream: the parts' heads and the parts in memory between
    /// the streamed parts. A stream's bytes are not known in advance, so the boundary is random
    /// (128 bits): no part will hold it but by chance.
    fn into_stream(self) -> (String, ByteStream) {
        let boundary = format!("hss-client-boundary-{:032x}", random_u128());
        let mut pieces = Vec::with_capacity(2 * self.parts.len() + 1);
        let mut text = Vec::new();
        let mut streams = self.streams.into_iter().peekable();
        for (index, part) in self.parts.iter().enumerate() {
            part.write_head(&boundary, &mut text);
            match streams.next_if(|(at, _)| *at == index) {
                Some((_, stream)) => {
                    pieces.push(ByteStream::from(std::mem::take(&mut text)));
                    pieces.push(stream);
                }
                None => text.extend_from_slice(&part.data),
            }
            text.extend_from_slice(b"\r\n");
        }
        text.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        pieces.push(ByteStream::from(text));
        (boundary, ByteStream::concat(pieces))
    }
}

impl Part {
    /// The boundary line and the part's headers, up to the empty line before its data.
    fn write_head(&self, boundary: &str, body: &mut Vec<u8>) {
        // Quotes and line breaks in a name are percent-encoded, as browsers do.
        let name = self
            .name
            .replace('"', "%22")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        if self.file {
            body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\
                     Content-Type: application/octet-stream\r\n"
                )
                .as_bytes(),
            );
        } else {
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n");
    }
}

/// 128 random bits from the standard library's per-process random hash keys and the clock: no
/// cryptographic need, only that two bodies do not share a boundary by design.
fn random_u128() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let mut high = state.build_hasher();
    high.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos()),
    );
    let high = high.finish();
    let mut low = state.build_hasher();
    low.write_u64(high);
    (u128::from(high) << 64) | u128::from(low.finish())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
