//! The operations file: a client method and a request builder per IR operation.
//!
//! Every method an operation has is `#[inline]`. A non-generic function is otherwise compiled to
//! machine code in the crate that defines it, together with everything it instantiates (the
//! answer's whole serde tree): across the whole HSS API that was most of the client's code
//! generation. Inline, a function is compiled in the crate that calls it, so a dependent crate
//! compiles the operations it calls and no others.

mod pagination;
mod shared_errors;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{EmittedFile, RuntimePaths, doc_attrs, group_module, ident, rust_type};
use crate::ir::{
    Api, Body, BodyEncoding, Location, MultipartField, Operation, Param, PartKind, Presence,
    Response, ResponseHeaders, Segment, StatusResponses, Type,
};

/// The operations file, and with feature groups one file per group (`operations/<module>.rs`).
pub(crate) fn emit<'a>(
    api: &'a Api,
    paths: &RuntimePaths,
    spec_path: &str,
) -> Vec<EmittedFile<'a>> {
    let file_doc = format!(
        " The operations of `{spec_path}`: one method on the client and one request builder each."
    );
    if api.operations.is_empty() {
        return vec![EmittedFile::new(
            "operations.rs",
            quote!(#![doc = #file_doc]),
        )];
    }
    let krate = &paths.krate;
    let reference = api.service.api_reference.as_deref();
    let shared_errors = shared_errors::SharedErrors::plan(api);
    let ungrouped: Vec<&Operation> = api
        .operations
        .values()
        .filter(|operation| operation.group.is_none())
        .collect();
    let json_text = api.operations.values().any(uses_json_text).then(|| {
        quote! {
            /// The text of a parameter whose type has no `Display` (a union or an object): its JSON
            /// value, without quotes for a string. Generated models always serialize to JSON, so
            /// the error arm is never taken.
            fn json_text<T: serde::Serialize>(value: &T) -> String {
                match serde_json::to_value(value) {
                    Ok(serde_json::Value::String(text)) => text,
                    Ok(other) => other.to_string(),
                    Err(_) => String::new(),
                }
            }
        }
    });
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for (feature, group) in &api.groups {
        let operations: Vec<&Operation> = api
            .operations
            .values()
            .filter(|operation| operation.group.as_ref() == Some(feature))
            .collect();
        modules.push(group_module(feature, &group.module));
        let doc = format!(" The operations of the `{feature}` feature.");
        let json_text_import = operations
            .iter()
            .any(|operation| uses_json_text(operation))
            .then(|| {
                quote!(
                    use super::json_text;
                )
            });
        files.push(EmittedFile::with_items(
            &format!("operations/{}.rs", group.module),
            quote! {
                #![doc = #doc]

                use #krate::__private as runtime;
                #json_text_import
            },
            items(
                operations,
                reference,
                paths.clone(),
                shared_errors.aliases.clone(),
            ),
        ));
    }
    let runtime_import = (!ungrouped.is_empty()).then(|| quote!(use #krate::__private as runtime;));
    files.insert(
        0,
        EmittedFile::with_items(
            "operations.rs",
            quote! {
                #![doc = #file_doc]
                #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

                #runtime_import

                #(#modules)*
            },
            items(ungrouped, reference, paths.clone(), shared_errors.aliases.clone())
                .chain(json_text)
                .chain(shared_errors.items(paths)),
        ),
    );
    files
}

/// The client methods (one `impl` block) and the request builders of `operations`, emitted one
/// item at a time; `shared_errors` maps an error-body name to the shared enum it is an alias of.
fn items<'a>(
    operations: Vec<&'a Operation>,
    reference: Option<&'a str>,
    paths: RuntimePaths,
    shared_errors: BTreeMap<String, String>,
) -> impl Iterator<Item = TokenStream> + 'a {
    let methods = (!operations.is_empty()).then(|| {
        let client = &paths.client;
        let methods = operations
            .iter()
            .map(|operation| method(operation, reference));
        quote! {
            impl #client {
                #(#methods)*
            }
        }
    });
    methods.into_iter().chain(
        operations
            .into_iter()
            .map(move |operation| builder(operation, &paths, &shared_errors)),
    )
}

/// Whether the operation sends a value as the text of its JSON (through `json_text`).
fn uses_json_text(operation: &Operation) -> bool {
    operation.params.iter().any(|param| param.as_json)
        || matches!(
            operation.body.as_ref().map(|body| &body.encoding),
            Some(BodyEncoding::Multipart(fields))
                if fields.iter().any(|field| field.kind == PartKind::Json)
        )
}

fn models_prefix() -> TokenStream {
    quote!(crate::models::)
}

/// Whether the builder holds `Option<T>` (set by a setter) rather than `T` (a method argument).
fn is_argument(param: &Param) -> bool {
    param.required && param.client_default.is_none()
}

/// The stored type: a secret (`format: password`) is kept in `runtime::Secret`, so the builder's
/// `Debug` never shows it.
fn param_type(param: &Param) -> TokenStream {
    if param.sensitive {
        return quote!(runtime::Secret);
    }
    rust_type(&param.ty, &models_prefix())
}

/// The expression that stores an accepted argument `value` in the builder.
fn store(param: &Param, value: TokenStream, converts: bool) -> TokenStream {
    if param.sensitive {
        quote!(runtime::Secret::new(#value))
    } else if converts {
        quote!(#value.into())
    } else {
        value
    }
}

fn body_type(body: &Body) -> TokenStream {
    rust_type(&body.ty, &models_prefix())
}

/// The argument type and the conversion into the stored value: strings take `impl Into<String>`,
/// models `impl Into<Model>` (so an enum takes its wire value as text: `.os_type("Linux")`).
fn accepted(ty: &Type, stored: TokenStream) -> (TokenStream, TokenStream, bool) {
    match ty {
        Type::String => (quote!(impl Into<String>), stored, true),
        Type::Named(_) | Type::Stream => (quote!(impl Into<#stored>), stored, true),
        _ => (stored.clone(), stored, false),
    }
}

/// The client method of `operation`; `reference` is the service's reference page URL template
/// (`{operationId}` for the operation's id), linked from the docs.
fn method(operation: &Operation, reference: Option<&str>) -> TokenStream {
    let name = ident(&operation.name);
    let builder = ident(&operation.builder);
    let mut docs = operation.docs.clone();
    if let Some(feature) = &operation.group {
        docs.push(String::new());
        docs.push(format!("Needs the cargo feature `{feature}`."));
    }
    if let Some(reference) = reference {
        let id: String = operation
            .operation_id
            .bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    char::from(byte).to_string()
                }
                _ => format!("%{byte:02X}"),
            })
            .collect();
        let url = reference.replacen("{operationId}", &id, 1);
        docs.push(String::new());
        docs.push("API reference:".to_owned());
        docs.push(format!("<{url}>"));
    }
    let docs = doc_attrs(&docs);
    let deprecated = operation
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let mut arguments = Vec::new();
    let mut initializers = Vec::new();
    for param in &operation.params {
        let field = ident(&param.name);
        if is_argument(param) {
            let (accepted_type, _, converts) = accepted(&param.ty, param_type(param));
            arguments.push(quote!(#field: #accepted_type));
            initializers.push(if param.sensitive || converts {
                let stored = store(param, quote!(#field), converts);
                quote!(#field: #stored)
            } else {
                quote!(#field)
            });
        } else {
            initializers.push(quote!(#field: None));
        }
    }
    if let Some(body) = &operation.body {
        if body.required && body.ty == Type::Stream {
            let ty = body_type(body);
            arguments.push(quote!(body: impl Into<#ty>));
            initializers.push(quote!(body: body.into()));
        } else if body.required {
            let ty = body_type(body);
            arguments.push(quote!(body: #ty));
            initializers.push(quote!(body));
        } else {
            initializers.push(quote!(body: None));
        }
    }
    let allow = (arguments.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #docs
        #deprecated
        #allow
        #[inline]
        pub fn #name(&self, #(#arguments),*) -> #builder<'_> {
            #builder {
                client: self.as_runtime(),
                #(#initializers,)*
            }
        }
    }
}

fn builder(
    operation: &Operation,
    paths: &RuntimePaths,
    shared_errors: &BTreeMap<String, String>,
) -> TokenStream {
    let krate = &paths.krate;
    let builder = ident(&operation.builder);
    let method_name = &operation.name;
    let doc = format!(
        " The request builder of [`crate::Client::{method_name}`]; finish with [`{}::send`].",
        operation.builder
    );
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for param in &operation.params {
        let field = ident(&param.name);
        let ty = param_type(param);
        if is_argument(param) {
            fields.push(quote!(#field: #ty));
            continue;
        }
        fields.push(quote!(#field: Option<#ty>));
        let docs = doc_attrs(&param.docs);
        let (accepted_type, _, converts) = accepted(&param.ty, ty);
        let value = store(param, quote!(value), converts);
        let deprecated = param
            .deprecated
            .as_ref()
            .map(|note| quote!(#[deprecated(note = #note)]));
        setters.push(quote! {
            #docs
            #deprecated
            #[inline]
            pub fn #field(mut self, value: #accepted_type) -> Self {
                self.#field = Some(#value);
                self
            }
        });
    }
    if let Some(body) = &operation.body {
        let ty = body_type(body);
        if body.required {
            fields.push(quote!(body: #ty));
        } else {
            fields.push(quote!(body: Option<#ty>));
            let docs = if body.docs.is_empty() {
                doc_attrs(&["The request body.".to_owned()])
            } else {
                doc_attrs(&body.docs)
            };
            let (accepts, value) = if body.ty == Type::Stream {
                (quote!(impl Into<#ty>), quote!(value.into()))
            } else {
                (quote!(#ty), quote!(value))
            };
            setters.push(quote! {
                #docs
                #[inline]
                pub fn body(mut self, value: #accepts) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
        }
    }
    let send = send(operation, paths);
    let paging = pagination::methods(operation);
    let response_enum = match &operation.response {
        Response::ByStatus(responses) => {
            let doc = format!(
                " The success answers of [`crate::Client::{method_name}`], by status: their bodies differ."
            );
            Some(status_enum(responses, &ident(&responses.name), &doc))
        }
        _ => None,
    };
    let error_body = operation.errors.as_ref().map(|errors| {
        let name = ident(&errors.name);
        match shared_errors.get(&errors.name) {
            Some(shared) => {
                // The shared enum is in the root module, a group's module's parent.
                let link = if operation.group.is_some() {
                    format!("[`{shared}::from_error`](super::{shared}::from_error)")
                } else {
                    format!("[`{shared}::from_error`]")
                };
                let doc = format!(
                    " The error bodies the spec declares for [`crate::Client::{method_name}`], by \
                     status: the enum every operation with the same error responses shares; read \
                     one from an error with {link}."
                );
                let shared = ident(shared);
                let path = if operation.group.is_some() {
                    quote!(super::#shared)
                } else {
                    quote!(#shared)
                };
                quote! {
                    #[doc = #doc]
                    pub type #name = #path;
                }
            }
            None => {
                let doc = format!(
                    " The error bodies the spec declares for [`crate::Client::{method_name}`], by \
                     status; read one from an error with [`{}::from_error`].",
                    errors.name
                );
                error_body(errors, &name, &doc, paths)
            }
        }
    });
    let headers = operation
        .response_headers
        .as_ref()
        .map(|headers| response_headers(headers, method_name));
    // A body holding a stream (an upload) cannot be cloned, nor can its builder.
    let clone =
        (!operation.body.as_ref().is_some_and(|body| body.streams)).then(|| quote!(, Clone));
    quote! {
        #[doc = #doc]
        #[derive(Debug #clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a #krate::Client,
            #(#fields,)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #send
            #paging
        }

        #response_enum
        #error_body
        #headers
    }
}

/// The struct of an operation's declared response headers, read from a response's header map.
/// Every field is optional: a header may be missing, and one that does not parse as its type is
/// `None` rather than an error, since the body has already been decoded by then.
fn response_headers(headers: &ResponseHeaders, method_name: &str) -> TokenStream {
    let name = ident(&headers.name);
    let doc = format!(
        " The response headers the spec declares for [`crate::Client::{method_name}`]; read them \
         with [`{}::from_headers`] from [`ApiResponse::headers`](runtime::ApiResponse::headers).",
        headers.name
    );
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    for header in &headers.headers {
        let docs = doc_attrs(&header.docs);
        let field = ident(&header.name);
        let ty = rust_type(&header.ty, &models_prefix());
        fields.push(quote!(#docs pub #field: Option<#ty>,));
        // `HeaderMap` matches names case-insensitively only when the key is lower case.
        let key = header.wire_name.to_ascii_lowercase();
        let parse = match &header.ty {
            Type::String => quote!(.map(str::to_owned)),
            _ => quote!(.and_then(|text| text.trim().parse().ok())),
        };
        reads.push(quote! {
            #field: headers
                .get(#key)
                .and_then(|value| std::str::from_utf8(value.as_bytes()).ok())
                #parse,
        });
    }
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Reads the declared headers; a header that is missing or does not parse is `None`.
            #[inline]
            pub fn from_headers(headers: &runtime::HeaderMap) -> Self {
                Self {
                    #(#reads)*
                }
            }
        }
    }
}

/// The local variable holding a client-filled parameter; renamed where it would shadow one of
/// the locals of `send`.
fn local_name(param: &Param) -> Ident {
    match param.name.as_str() {
        "path" | "request" | "value" | "values" => ident(&format!("{}_value", param.name)),
        _ => ident(&param.name),
    }
}

/// The expression reading a parameter's value inside `send` (a reference for setters' options
/// is taken by the caller).
fn value_expression(param: &Param) -> TokenStream {
    if param.client_default.is_some() {
        let local = local_name(param);
        quote!(#local)
    } else {
        let field = ident(&param.name);
        quote!(self.#field)
    }
}

fn length_check(param: &Param, value: &TokenStream) -> Option<TokenStream> {
    if param.ty != Type::String || (param.min_length.is_none() && param.max_length.is_none()) {
        return None;
    }
    let wire = &param.wire_name;
    let bound = |limit: Option<usize>| match limit {
        Some(limit) => {
            let limit = Literal::usize_unsuffixed(limit);
            quote!(Some(#limit))
        }
        None => quote!(None),
    };
    let min = bound(param.min_length);
    let max = bound(param.max_length);
    Some(quote!(runtime::check_length(#wire, #value, #min, #max)?;))
}

fn send(operation: &Operation, paths: &RuntimePaths) -> TokenStream {
    let krate = &paths.krate;
    let mut statements = Vec::new();
    for param in &operation.params {
        let Some(default) = &param.client_default else {
            continue;
        };
        let wire = &param.wire_name;
        let field = ident(&param.name);
        let local = local_name(param);
        let variant = ident(&default.variant);
        statements.push(quote! {
            let #local = runtime::client_param(
                self.client,
                #wire,
                runtime::ClientDefault::#variant,
                self.#field,
            )?;
        });
    }
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == Location::Path)
    {
        let value = value_expression(param);
        statements.extend(length_check(param, &quote!(&#value)));
    }
    statements.push(path_statement(operation));
    let operation_id = &operation.operation_id;
    let http_method = ident(method_constant(&operation.method));
    let mut additions = Vec::new();
    for param in &operation.params {
        let Some(default) = &param.client_default else {
            continue;
        };
        let setting = &default.setting;
        let local = local_name(param);
        additions.push(quote!(request.client_param(#setting, &#local);));
    }
    if let Some(content_type) = &operation.content_type_without_body {
        additions.push(quote!(request.content_type_without_body(#content_type);));
    }
    for param in &operation.params {
        additions.extend(query_or_header(param));
    }
    if let Some(body) = &operation.body {
        additions.push(body_statement(body));
    }
    let request_binding = if additions.is_empty() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    // Sending is one generic runtime function per kind of answer: each operation only builds
    // its request (a plain function), so the compiler checks one async state machine, not one
    // per operation.
    let client = quote!(self.client);
    let request = quote!(self.operation_request());
    let (return_type, finish) = match &operation.response {
        Response::Json(ty) => {
            let ty = rust_type(ty, &models_prefix());
            (ty, quote!(runtime::send_json(#client, #request)))
        }
        Response::Text => (
            quote!(String),
            quote!(runtime::send_text(#client, #request)),
        ),
        // A binary answer is read as the caller reads it: no size limit but its own, nothing
        // held whole unless the caller collects it.
        Response::Bytes => (
            quote!(#krate::ByteStream),
            quote!(runtime::send_stream(#client, #request)),
        ),
        Response::Empty => (quote!(()), quote!(runtime::send_empty(#client, #request))),
        Response::ByStatus(responses) => {
            let decode = decode_by_status(responses);
            let name = ident(&responses.name);
            (
                quote!(#name),
                quote! {
                    let client = #client;
                    let request = #request;
                    async move {
                        let request = request?;
                        #decode
                    }
                },
            )
        }
    };
    // Exact statuses come before the spec's ranges, which then stand for the rest of their class.
    let overlapping = match &operation.response {
        Response::ByStatus(responses) => has_range(responses),
        _ => false,
    }
    .then(|| quote!(#[allow(clippy::match_overlapping_arm)]));
    // A multipart body is taken apart field by field, deprecated fields included.
    let reads_deprecated = matches!(
        operation.body.as_ref().map(|body| &body.encoding),
        Some(BodyEncoding::Multipart(fields)) if fields.iter().any(|field| field.deprecated)
    )
    .then(|| quote!(#[allow(deprecated)]));
    quote! {
        /// Sends the request.
        #overlapping
        #[inline]
        pub fn send(self) -> impl std::future::Future<
            Output = Result<#krate::ApiResponse<#return_type>, #krate::Error>,
        > + Send + 'a {
            #finish
        }

        /// The request as the runtime sends it, or the error of an argument.
        #reads_deprecated
        #[inline]
        fn operation_request(self) -> Result<runtime::OperationRequest, #krate::Error> {
            #(#statements)*
            let #request_binding = runtime::OperationRequest::new(#operation_id, runtime::Method::#http_method, path);
            #(#additions)*
            Ok(request)
        }
    }
}

/// Decodes a success answer by its status into the operation's response enum; a success status
/// the spec does not declare is an error, since no body type can be assumed for it.
fn decode_by_status(responses: &StatusResponses) -> TokenStream {
    let name = ident(&responses.name);
    let arms = responses.variants.iter().filter_map(|variant| {
        let pattern = status_pattern(&variant.status)?;
        let constructor = ident(&variant.variant);
        let decoded = match &variant.body {
            Response::Json(_) => quote!(response.json()?.map(#name::#constructor)),
            Response::Text => quote!(response.text()?.map(#name::#constructor)),
            Response::Bytes => quote!(response.bytes().map(#name::#constructor)),
            Response::Empty | Response::ByStatus(_) => {
                quote!(response.empty().map(|()| #name::#constructor))
            }
        };
        Some(quote!(#pattern => Ok(#decoded),))
    });
    quote! {
        let response = runtime::execute(client, request).await?;
        match response.status().as_u16() {
            #(#arms)*
            _ => Err(response.unexpected_status()),
        }
    }
}

/// Whether a range (`4XX`) follows an exact status of its class (`404`), so their match arms
/// overlap on purpose.
fn has_range(responses: &StatusResponses) -> bool {
    responses.variants.iter().any(|range| {
        range.status.ends_with("XX")
            && responses.variants.iter().any(|exact| {
                !exact.status.ends_with("XX") && exact.status.get(..1) == range.status.get(..1)
            })
    })
}

/// The match pattern of a status as the spec writes it: `200`, `200..=299` for `2XX`, `_` for
/// `default`; `None` for anything else, which lowering never produces.
fn status_pattern(status: &str) -> Option<TokenStream> {
    if status == "default" {
        return Some(quote!(_));
    }
    let first = status.chars().next()?.to_digit(10)?;
    if status.len() == 3 && status.ends_with("XX") {
        let low = Literal::u32_unsuffixed(first * 100);
        let high = Literal::u32_unsuffixed(first * 100 + 99);
        return Some(quote!(#low..=#high));
    }
    let code: u16 = status.parse().ok()?;
    let code = Literal::u16_unsuffixed(code);
    Some(quote!(#code))
}

/// An enum named `name` with a variant per declared status, holding the decoded body.
fn status_enum(responses: &StatusResponses, name: &Ident, doc: &str) -> TokenStream {
    let variants = responses.variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.docs);
        let constructor = ident(&variant.variant);
        let body = match &variant.body {
            Response::Json(ty) => Some(rust_type(ty, &models_prefix())),
            Response::Text => Some(quote!(String)),
            Response::Bytes => Some(quote!(bytes::Bytes)),
            Response::Empty | Response::ByStatus(_) => None,
        };
        match body {
            Some(body) => quote!(#docs #constructor(#body),),
            None => quote!(#docs #constructor,),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// An error-body enum named `name` (an operation's own, or one several share) and its
/// constructor from an error.
fn error_body(
    errors: &StatusResponses,
    name: &Ident,
    doc: &str,
    paths: &RuntimePaths,
) -> TokenStream {
    let krate = &paths.krate;
    let declaration = status_enum(errors, name, doc);
    let mut arms: Vec<TokenStream> = errors
        .variants
        .iter()
        .filter_map(|variant| {
            let pattern = status_pattern(&variant.status)?;
            let constructor = ident(&variant.variant);
            let decoded = match &variant.body {
                Response::Json(_) => {
                    quote!(serde_json::from_slice(body).ok().map(Self::#constructor))
                }
                Response::Text => {
                    quote!(String::from_utf8(body.to_vec()).ok().map(Self::#constructor))
                }
                Response::Bytes => quote!(Some(Self::#constructor(body.clone()))),
                Response::Empty | Response::ByStatus(_) => quote!(Some(Self::#constructor)),
            };
            Some(quote!(#pattern => #decoded,))
        })
        .collect();
    if !errors
        .variants
        .iter()
        .any(|variant| variant.status == "default")
    {
        arms.push(quote!(_ => None,));
    }
    let overlapping = has_range(errors).then(|| quote!(#[allow(clippy::match_overlapping_arm)]));
    quote! {
        #declaration

        impl #name {
            /// The body of a service error (a status of 400 or more) decoded as the spec declares
            /// it for that status. `None` for other failures, for a status the spec does not
            /// declare, and for a body that does not decode as declared; the error's own
            /// accessors (`error_code`, `error_message`, `raw_body`) still hold what arrived.
            #overlapping
            #[inline]
            pub fn from_error(error: &#krate::Error) -> Option<Self> {
                let service = error.as_service()?;
                let body = service.body();
                match service.status().as_u16() {
                    #(#arms)*
                }
            }
        }
    }
}

/// `http::Method` has constants for the standard methods only; the IR holds nothing else.
fn method_constant(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "HEAD" => "HEAD",
        "PATCH" => "PATCH",
        "TRACE" => "TRACE",
        _ => "POST",
    }
}

/// The path: each parameter percent-encoded into a `<name>_segment` local first, so the
/// `format!` holds only a string literal (prettyplease does not format macro arguments).
fn path_statement(operation: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut locals = Vec::new();
    for segment in &operation.segments {
        match segment {
            Segment::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            Segment::Param(name) => {
                let Some(param) = operation.params.iter().find(|p| &p.name == name) else {
                    continue;
                };
                let local = ident(&format!("{}_segment", param.name));
                template.push_str(&format!("{{{local}}}"));
                let value = value_expression(param);
                let wire = &param.wire_name;
                let encoded = if param.as_json {
                    quote!(runtime::encode_path_segment(#wire, &json_text(&#value))?)
                } else if param.ty == Type::String {
                    quote!(runtime::encode_path_segment(#wire, &#value)?)
                } else if matches!(param.ty, Type::Named(_)) {
                    // An enum's text by its `Display`; `to_string()` of a string enum, which has
                    // `AsRef<str>`, would trip `clippy::unnecessary_to_owned`.
                    quote!(runtime::encode_path_segment(#wire, &format!("{}", #value))?)
                } else {
                    quote!(runtime::encode_path_segment(#wire, &#value.to_string())?)
                };
                locals.push(quote!(let #local = #encoded;));
            }
        }
    }
    if locals.is_empty() {
        let literal = template.replace("{{", "{").replace("}}", "}");
        quote!(let path = String::from(#literal);)
    } else {
        quote! {
            #(#locals)*
            let path = format!(#template);
        }
    }
}

fn query_or_header(param: &Param) -> Option<TokenStream> {
    let kind = match param.location {
        Location::Path => return None,
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    };
    let add = ident(kind);
    let wire = &param.wire_name;
    let field = ident(&param.name);
    // `place` is the value itself (moved when required, a reference when optional), so scalars
    // are passed without a needless borrow.
    let one = |place: TokenStream, reference: TokenStream| -> TokenStream {
        if param.deep_object {
            return quote!(request.deep_object_query(#wire, #reference)?;);
        }
        match (&param.ty, &param.list_separator) {
            (Type::List(_), None) => {
                let item = if param.as_json {
                    quote!(json_text(item))
                } else {
                    quote!(item)
                };
                quote! {
                    for item in #reference {
                        request.#add(#wire, #item);
                    }
                }
            }
            (Type::List(_), Some(separator)) => {
                let text = if param.as_json {
                    quote!(json_text)
                } else {
                    quote!(ToString::to_string)
                };
                quote! {
                    request.#add(#wire, #place.iter().map(#text).collect::<Vec<_>>().join(#separator));
                }
            }
            _ if param.as_json => quote! {
                request.#add(#wire, json_text(#reference));
            },
            _ => {
                let check = length_check(param, &reference);
                quote! {
                    #check
                    request.#add(#wire, #place);
                }
            }
        }
    };
    // A secret is sent as its text, read out only here.
    let (required_place, required_reference, optional_value) = if param.sensitive {
        (
            quote!(self.#field.expose()),
            quote!(self.#field.expose()),
            quote!(value.expose()),
        )
    } else {
        (quote!(self.#field), quote!(&self.#field), quote!(value))
    };
    let plain = !param.sensitive
        && !param.deep_object
        && !param.as_json
        && !matches!(param.ty, Type::List(_));
    Some(if is_argument(param) {
        one(required_place, required_reference)
    } else if plain {
        // An optional scalar: one line, its length limits checked by the runtime.
        let limited =
            param.ty == Type::String && (param.min_length.is_some() || param.max_length.is_some());
        if limited {
            let optional = ident(&format!("{kind}_opt_len"));
            let min = param.min_length.map(Literal::usize_unsuffixed);
            let max = param.max_length.map(Literal::usize_unsuffixed);
            let range = match max {
                Some(max) => quote!(#min..=#max),
                None => quote!(#min..),
            };
            quote!(request.#optional(#wire, &self.#field, #range)?;)
        } else {
            let optional = ident(&format!("{kind}_opt"));
            quote!(request.#optional(#wire, &self.#field);)
        }
    } else {
        let statements = one(optional_value.clone(), optional_value);
        quote! {
            if let Some(value) = &self.#field {
                #statements
            }
        }
    })
}

fn body_statement(body: &Body) -> TokenStream {
    if let BodyEncoding::Multipart(fields) = &body.encoding {
        return multipart_statement(body.required, fields);
    }
    let send_one = |value: TokenStream| match &body.encoding {
        BodyEncoding::Json(media_type) if media_type == "application/json" => {
            quote!(request.json_body(#value)?;)
        }
        BodyEncoding::Json(media_type) => quote!(request.json_body_as(#media_type, #value)?;),
        BodyEncoding::Raw(media_type) if body.ty == Type::Stream => {
            quote!(request.stream_body(#media_type, #value);)
        }
        BodyEncoding::Raw(media_type) => quote!(request.bytes_body(#media_type, #value);),
        BodyEncoding::Form => quote!(request.form_body(#value)?;),
        BodyEncoding::Multipart(_) => quote!(request.multipart_body(#value);),
    };
    let by_reference = matches!(body.encoding, BodyEncoding::Json(_) | BodyEncoding::Form);
    match (body.required, by_reference) {
        (true, true) => send_one(quote!(&self.body)),
        (true, false) => send_one(quote!(self.body)),
        (false, true) => {
            let statement = send_one(quote!(body));
            quote! {
                if let Some(body) = &self.body {
                    #statement
                }
            }
        }
        (false, false) => {
            let statement = send_one(quote!(body));
            quote! {
                if let Some(body) = self.body {
                    #statement
                }
            }
        }
    }
}

/// A `multipart/form-data` body: the body struct is moved apart into one part per field (a list
/// gives one part per item; an unset optional field gives none).
fn multipart_statement(required: bool, fields: &[MultipartField]) -> TokenStream {
    let parts = fields.iter().map(|field| {
        let wire = &field.wire_name;
        let member = ident(&field.field);
        let part = |value: TokenStream| match field.kind {
            PartKind::Text => quote!(form.text(#wire, #value);),
            PartKind::Json => quote!(form.text(#wire, json_text(&#value));),
            PartKind::File => quote!(form.file(#wire, #value);),
        };
        let each = if field.list {
            let one = part(quote!(item));
            quote! {
                for item in value {
                    #one
                }
            }
        } else {
            part(quote!(value))
        };
        match field.presence {
            Presence::Required => quote! {
                let value = body.#member;
                #each
            },
            Presence::RequiredNullable | Presence::Optional => quote! {
                if let Some(value) = body.#member {
                    #each
                }
            },
            Presence::OptionalNullable => quote! {
                if let Some(Some(value)) = body.#member {
                    #each
                }
            },
        }
    });
    let binding = if fields.is_empty() {
        quote!(form)
    } else {
        quote!(mut form)
    };
    let build = quote! {
        let #binding = runtime::Multipart::new();
        #(#parts)*
        request.multipart_body(form);
    };
    if required {
        quote! {
            let body = self.body;
            #build
        }
    } else {
        quote! {
            if let Some(body) = self.body {
                #build
            }
        }
    }
}
