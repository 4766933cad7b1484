//! The conformance driver's dispatch: one match arm per operation that makes the call a case
//! describes through the same public builders users call (the method with its required
//! arguments, then one setter per optional parameter the case sets), sends it and gives back the
//! decoded answer as JSON.
//!
//! The case type and the helpers it calls (`Case::required`, `Case::optional`, `Case::body`,
//! `answer_json`, `answer_bytes`) are the driver crate's own; this file only names them.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_type};
use crate::ir::{
    Api, BodyEncoding, Location, Model, ModelKind, Operation, PartKind, Response, Type,
};

pub(crate) fn emit(api: &Api, krate: &str) -> TokenStream {
    let krate = ident(krate);
    let mut arms = Vec::new();
    let mut functions = Vec::new();
    for operation in api.operations.values() {
        let Some(body) = call(api, operation, &krate) else {
            continue;
        };
        let operation_id = &operation.operation_id;
        let function = ident(&format!("call_{}", operation.name));
        arms.push(quote!(#operation_id => Box::pin(#function(client, case)),));
        functions.push(quote! {
            // An operation without parameters or body reads nothing of its case.
            #[allow(deprecated, unused_variables)]
            async fn #function(client: &#krate::Client, case: &Case) -> Result<serde_json::Value, String> {
                #body
            }
        });
    }
    // One small async function per operation, chosen by a plain `match`: a single async body
    // holding every call would be one huge state machine for the compiler to check.
    quote! {
        use std::future::Future;
        use std::pin::Pin;

        use crate::case::{answer_bytes, answer_json, Case};

        /// The call of one case, boxed: each operation's future has its own type.
        pub type Call<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value, String>> + Send + 'a>>;

        /// The call of `case` with `client`: its decoded answer as JSON, or the error's text.
        pub fn dispatch<'a>(client: &'a #krate::Client, case: &'a Case) -> Call<'a> {
            match case.operation_id.as_str() {
                #(#arms)*
                other => {
                    let message = format!("no operation `{other}` in the spec");
                    Box::pin(async move { Err(message) })
                }
            }
        }

        #(#functions)*
    }
}

fn location(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// The body of one operation's call; `None` for shapes the driver cannot describe (several
/// success bodies by status), which the HSS spec does not have.
fn call(api: &Api, operation: &Operation, krate: &proc_macro2::Ident) -> Option<TokenStream> {
    let models = quote!(#krate::models::);
    let method = ident(&operation.name);
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    for param in &operation.params {
        if param.client_default.is_some() {
            continue;
        }
        let wire = &param.wire_name;
        let place = location(param.location);
        let field = ident(&param.name);
        let ty = rust_type(&param.ty, &models);
        if param.required {
            arguments.push(quote!(case.required::<#ty>(#place, #wire)?));
        } else {
            setters.push(quote! {
                if let Some(value) = case.optional::<#ty>(#place, #wire)? {
                    call = call.#field(value);
                }
            });
        }
    }
    if let Some(body) = &operation.body {
        let ty = rust_type(&body.ty, &models);
        // A multipart file part travels in the case as text; a model field of bytes (rather
        // than a string) holds the bytes of that text.
        let byte_fields = match (&body.ty, &body.encoding) {
            (Type::Named(name), BodyEncoding::Multipart(fields)) => match api.models.get(name) {
                Some(Model {
                    kind: ModelKind::Struct(structure),
                    ..
                }) => fields
                    .iter()
                    .filter(|field| field.kind == PartKind::File)
                    .filter(|field| {
                        structure.fields.iter().any(|f| {
                            f.wire_name == field.wire_name
                                && matches!(&f.ty, Type::Bytes | Type::List(_))
                        })
                    })
                    .map(|field| field.wire_name.as_str())
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let files = byte_fields;
        if body.required {
            arguments
                .push(quote!(case.body::<#ty>(&[#(#files),*])?.ok_or("the case has no body")?));
        } else {
            setters.push(quote! {
                if let Some(body) = case.body::<#ty>(&[#(#files),*])? {
                    call = call.body(body);
                }
            });
        }
    }
    let answer = match &operation.response {
        Response::Json(_) | Response::Text => quote!(answer_json(response.body())),
        Response::Bytes => quote!(answer_bytes(
            &response
                .into_body()
                .collect()
                .await
                .map_err(|error| error.to_string())?
        )),
        Response::Empty => quote!({
            let _ = response;
            Ok(serde_json::Value::Null)
        }),
        Response::ByStatus(_) => return None,
    };
    let binding = if setters.is_empty() {
        quote!(call)
    } else {
        quote!(mut call)
    };
    Some(quote! {
        let #binding = client.#method(#(#arguments),*);
        #(#setters)*
        let response = call.send().await.map_err(|error| error.to_string())?;
        #answer
    })
}
