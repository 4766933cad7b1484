//! The plain-data model of what to generate: no `$ref`, no token streams, Rust names next to wire names.

use std::collections::{BTreeMap, BTreeSet};

/// Everything the emitters need, in deterministic order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Api {
    /// Models by Rust type name.
    pub models: BTreeMap<String, Model>,
    /// Operations by Rust method name.
    pub operations: BTreeMap<String, Operation>,
    /// The service's facts the runtime reads.
    pub service: Service,
    /// The cargo features the operations are grouped into (`x-feature-groups`), by feature name;
    /// empty when the spec does not group them.
    pub groups: BTreeMap<String, Group>,
}

/// One cargo feature of the generated crate: a group of operations and the models they need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// The Rust module of the group's operations and models, such as `host_management`.
    pub module: String,
}

/// The facts of the service the runtime takes as data (`runtime::ServiceInfo`): from the spec's
/// `servers` and its `x-huaweicloud-service` extension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Service {
    /// The name in `HUAWEICLOUD_SDK_REGION_<NAME>_<ID>`; `None`: the generated crate's package name.
    pub name: Option<String>,
    /// The user-agent product name (the crate's version is appended); `None`: the package name.
    pub user_agent: Option<String>,
    /// The regions, in the spec's order.
    pub regions: Vec<ServiceRegion>,
    /// The URL of an operation's reference page, `{operationId}` standing for its id.
    pub api_reference: Option<String>,
}

/// One region of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceRegion {
    /// The Rust constant name, such as `CN_NORTH_4`.
    pub name: String,
    /// The region id, such as `cn-north-4`.
    pub id: String,
    /// The endpoint URL.
    pub endpoint: String,
}

/// A client setting that fills a parameter the call leaves unset (`x-client-default`), as the
/// runtime's `ClientDefault` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientDefault {
    /// The setting's name, such as `project_id`.
    pub setting: String,
    /// The `runtime::ClientDefault` variant, such as `ProjectId`.
    pub variant: String,
}

/// Documentation lines (plain Markdown, one entry per line, no leading `///`).
pub(crate) type Docs = Vec<String>;

/// A Rust type used by a field, parameter, body or response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Type {
    String,
    Bool,
    Integer(IntegerKind),
    Float(FloatKind),
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// Raw bytes of a non-JSON body (`Vec<u8>`).
    Bytes,
    /// An upload's bytes, read as they are sent: a raw binary body, or a multipart file part
    /// (the runtime's `ByteStream`, from memory, a file or a stream).
    Stream,
    /// A model, by its Rust name.
    Named(String),
    List(Box<Type>),
    /// A JSON object with arbitrary keys (`BTreeMap<String, T>`).
    Map(Box<Type>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum IntegerKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FloatKind {
    F32,
    F64,
}

/// One generated type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    pub name: String,
    /// Where it comes from in the spec (a JSON pointer), for messages and docs.
    pub source: String,
    pub docs: Docs,
    pub kind: ModelKind,
    /// The features that compile the model (any of them); `None`: always compiled.
    pub groups: Option<BTreeSet<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ModelKind {
    Struct(Struct),
    StringEnum(Vec<EnumVariant<String>>),
    IntegerEnum(Vec<EnumVariant<i64>>),
    Union(Union),
    /// `pub type Name = Type;`
    Alias(Type),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to named properties: a flattened map of the rest.
    pub additional: Option<Type>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub name: String,
    pub wire_name: String,
    pub ty: Type,
    pub presence: Presence,
    /// Set when the field's type contains its own struct without indirection.
    pub boxed: bool,
    pub docs: Docs,
    /// `deprecated: true`: the field carries `#[deprecated]`.
    pub deprecated: bool,
    /// A secret (an inline string with `format: password`): held in `runtime::Secret`, so the
    /// model's `Debug` never shows it.
    pub sensitive: bool,
}

/// Required/optional crossed with nullable: the four cases decode differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// `T`
    Required,
    /// `Option<T>`: always sent, may be `null`.
    RequiredNullable,
    /// `Option<T>`: may be absent; not sent when `None`.
    Optional,
    /// `Option<Option<T>>`: absent (`None`), `null` (`Some(None)`) or a value.
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EnumVariant<T> {
    pub name: String,
    pub value: T,
    pub docs: Docs,
}

/// `oneOf`/`anyOf`: one variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when the spec names one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnionVariant {
    pub name: String,
    pub ty: Type,
    pub boxed: bool,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
}

/// One client method and its request builder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Operation {
    /// The method name (`run_image_synchronize`).
    pub name: String,
    /// The request builder's type name (`RunImageSynchronize`).
    pub builder: String,
    /// The spec's `operationId` (or the name derived for it).
    pub operation_id: String,
    /// Upper case (`POST`).
    pub method: String,
    pub path: String,
    pub segments: Vec<Segment>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// The declared error bodies (statuses of 400 and more, `4XX`, `5XX`, `default`), when at
    /// least one has content: a per-operation type decoding them from an error.
    pub errors: Option<StatusResponses>,
    pub docs: Docs,
    /// `Some(note)` for a deprecated operation.
    pub deprecated: Option<String>,
    /// The headers the success responses declare, read by a per-operation type.
    pub response_headers: Option<ResponseHeaders>,
    /// The cargo feature that compiles the operation; `None`: always compiled.
    pub group: Option<String>,
    /// The `Content-Type` sent when the request has no body (`x-request-content-type`).
    pub content_type_without_body: Option<String>,
    /// An offset/limit list operation (`x-pagination`): its builder streams every page.
    pub pagination: Option<Pagination>,
}

/// How a list operation pages (`x-pagination`), checked against its parameters and answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pagination {
    /// The offset parameter's Rust name (an integer query parameter).
    pub offset: String,
    /// The page-size parameter's Rust name (an integer query parameter).
    pub limit: String,
    /// The page size when the call sets no `limit`.
    pub default_limit: u64,
    /// The success body's integer field with the number of items in all.
    pub total: PageField,
    /// The success body's array field with the page's items.
    pub items: PageField,
    /// The type of one item.
    pub item: Type,
}

/// A field of a list operation's success body that the pager reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageField {
    /// The field's Rust name.
    pub name: String,
    pub presence: Presence,
    /// The field is `#[deprecated]`, so reading it needs an allowance.
    pub deprecated: bool,
}

/// A per-operation struct of the success responses' declared headers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResponseHeaders {
    /// The struct's Rust name (unique among the operations file's types).
    pub name: String,
    pub headers: Vec<ResponseHeader>,
}

/// One declared response header: always optional, since a header may be missing or unparsable.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResponseHeader {
    pub name: String,
    /// As the spec writes it; matched case-insensitively.
    pub wire_name: String,
    /// `String`, `Bool`, `Integer` or `Float`: parsed from the header's text.
    pub ty: Type,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    /// A path parameter, by its Rust name.
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
    /// Sent in the one `Cookie` header the runtime assembles.
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: Location,
    pub required: bool,
    /// Filled by the client from this setting unless the call sets it (`x-client-default`).
    pub client_default: Option<ClientDefault>,
    pub ty: Type,
    /// The value (or each list item) has no `Display`: it is sent as the text of its JSON value.
    pub as_json: bool,
    /// How a list is sent: `None` repeats the pair (exploded), `Some(sep)` joins the values.
    pub list_separator: Option<String>,
    /// A `deepObject` query parameter: sent as `name[key]=value` pairs of its JSON value.
    pub deep_object: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// A secret (a string with `format: password`): stored in `runtime::Secret`, never shown by
    /// `Debug`.
    pub sensitive: bool,
    pub docs: Docs,
    /// `Some(note)` for a deprecated parameter: its setter carries `#[deprecated]`.
    pub deprecated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Body {
    pub ty: Type,
    pub required: bool,
    pub encoding: BodyEncoding,
    pub docs: Docs,
    /// The body holds a stream ([`Type::Stream`], itself or in a file part), so it and its
    /// builder can be neither cloned nor compared.
    pub streams: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BodyEncoding {
    /// Serialized with serde_json and sent with this media type.
    Json(String),
    /// Sent as given (`Vec<u8>` or `String`) with this media type.
    Raw(String),
    /// `application/x-www-form-urlencoded`, encoded by the runtime from the model's JSON value.
    Form,
    /// `multipart/form-data`: one part per field of the body's struct, built by the runtime.
    Multipart(Vec<MultipartField>),
}

/// One field of a `multipart/form-data` body and how it becomes parts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MultipartField {
    /// The struct field's Rust name.
    pub field: String,
    pub wire_name: String,
    pub presence: Presence,
    /// Whether the field is a list, sent as one part per item.
    pub list: bool,
    pub kind: PartKind,
    /// The struct field is `#[deprecated]`, so reading it needs an allowance.
    pub deprecated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// A text part of the value's `Display`.
    Text,
    /// A text part of the value's JSON text (objects, unions, anything without `Display`).
    Json,
    /// A file part of the value's bytes (`format: binary`).
    File,
}

/// How the success body is decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Response {
    Empty,
    Json(Type),
    Text,
    Bytes,
    /// Success responses with different bodies: a per-operation enum, decoded by status. The
    /// variants' bodies are never `ByStatus` themselves.
    ByStatus(StatusResponses),
}

/// A per-operation enum with one variant per declared status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatusResponses {
    /// The enum's Rust name (unique among the operations file's types).
    pub name: String,
    /// Exact statuses first, then ranges (`2XX`), then `default`; each in spec order.
    pub variants: Vec<StatusVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatusVariant {
    /// As the spec writes it: `200`, `4XX`, `default`.
    pub status: String,
    /// The variant's Rust name: `Status200`, `Status4xx`, `Default`.
    pub variant: String,
    /// Empty, JSON, text or bytes (never `ByStatus`).
    pub body: Response,
    pub docs: Docs,
}
