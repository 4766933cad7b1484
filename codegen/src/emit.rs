//! IR to token streams, one per generated file. Only the emitters and the formatter know `quote`.

pub(crate) mod driver;
mod lib_rs;
mod models;
mod operations;
mod service;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::Config;
use crate::ir::{Api, FloatKind, IntegerKind, Type};
use crate::names::KEYWORDS;

/// A file's path and its unformatted tokens: the preamble (inner attributes, `use`s, module
/// declarations) at once, then the items one at a time, emitted only when the formatter asks for
/// them, so that a file of thousands of items never exists as one token stream.
pub(crate) struct EmittedFile<'a> {
    pub path: String,
    pub preamble: TokenStream,
    pub items: Box<dyn Iterator<Item = TokenStream> + 'a>,
}

impl<'a> EmittedFile<'a> {
    /// A small file, emitted whole.
    fn new(path: &str, tokens: TokenStream) -> Self {
        Self::whole(path, tokens)
    }

    /// A file emitted whole: everything is preamble.
    pub(crate) fn whole(path: &str, tokens: TokenStream) -> Self {
        Self::with_items(path, tokens, std::iter::empty())
    }

    /// A file whose items are emitted one at a time, after the preamble.
    pub(crate) fn with_items(
        path: &str,
        preamble: TokenStream,
        items: impl Iterator<Item = TokenStream> + 'a,
    ) -> Self {
        Self {
            path: path.to_owned(),
            preamble,
            items: Box::new(items),
        }
    }
}

/// Declares a feature group's module and re-exports its items, both behind the feature: the
/// compiler does not even read the file of a group that is not enabled.
fn group_module(feature: &str, module: &str) -> TokenStream {
    let module = ident(module);
    quote! {
        #[cfg(feature = #feature)]
        mod #module;
        #[cfg(feature = #feature)]
        pub use #module::*;
    }
}

/// `tokens`' items, each compiled when any of `features` is enabled: the `cfg` goes on every
/// item (a struct or enum and each of its `impl`s), for what several groups share.
pub(crate) fn gated(tokens: TokenStream, features: &BTreeSet<String>) -> TokenStream {
    let features = features.iter().map(|feature| quote!(feature = #feature));
    let cfg = quote!(#[cfg(any(#(#features),*))]);
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!(#(#cfg #items)*)
        }
        // The formatter reports tokens that do not parse, at the file; keep them as they are.
        Err(_) => tokens,
    }
}

/// The paths generated code uses to reach the runtime crate.
#[derive(Clone)]
pub(crate) struct RuntimePaths {
    /// The runtime crate, such as `huaweicloud_runtime`: its public types are `#krate::Error`,
    /// what only generated code calls is under `#krate::__private`.
    pub krate: TokenStream,
    /// The type whose `impl` gets the operation methods: the crate's own `Client`.
    pub client: TokenStream,
}

impl RuntimePaths {
    fn new(config: &Config) -> Self {
        let krate = ident(&config.runtime_crate);
        Self {
            krate: quote!(#krate),
            client: quote!(crate::Client),
        }
    }
}

/// Every file, in a fixed order, in two halves of comparable work that the
/// caller may emit and format on two threads (tokens cannot cross threads): the first `lib.rs`
/// and the models, the second the operations and `service.rs`. Each half is emitted by the
/// thread that formats it.
pub(crate) const HALVES: [for<'a> fn(&'a Api, &'a Config) -> Vec<EmittedFile<'a>>; 2] =
    [emit_models, emit_operations];

/// `lib.rs` and the models files.
fn emit_models<'a>(api: &'a Api, config: &'a Config) -> Vec<EmittedFile<'a>> {
    let mut files = vec![EmittedFile::new("lib.rs", lib_rs::emit(api, config))];
    files.extend(models::emit(
        api,
        &RuntimePaths::new(config).krate,
        &config.spec_path,
    ));
    files
}

/// The operations files and `service.rs`.
fn emit_operations<'a>(api: &'a Api, config: &'a Config) -> Vec<EmittedFile<'a>> {
    let paths = RuntimePaths::new(config);
    let mut files = operations::emit(api, &paths, &config.spec_path);
    files.push(EmittedFile::new(
        "service.rs",
        service::emit(&api.service, &paths, &config.spec_path),
    ));
    files
}

/// An identifier for a name from the IR: keywords become raw identifiers (`r#type`). Names are
/// repaired during lowering; anything still invalid becomes `invalid_name` (and fails to compile
/// visibly) rather than panicking here.
pub(crate) fn ident(name: &str) -> Ident {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !matches!(name, "self" | "Self" | "super" | "crate");
    if !valid {
        return Ident::new("invalid_name", Span::call_site());
    }
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `#[doc = "..."]` attributes, one per line (prettyplease prints them as `///` lines); blank
/// lines at the start and the end are left out.
pub(crate) fn doc_attrs(docs: &[String]) -> TokenStream {
    let start = docs.iter().position(|line| !line.trim().is_empty());
    let end = docs.iter().rposition(|line| !line.trim().is_empty());
    let docs = match (start, end) {
        (Some(start), Some(end)) => &docs[start..=end],
        _ => &[],
    };
    let lines = docs.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// The Rust type for an IR type; `models` is the path prefix of model names (empty inside the
/// models module).
pub(crate) fn rust_type(ty: &Type, models: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::Integer(kind) => match kind {
            IntegerKind::I8 => quote!(i8),
            IntegerKind::I16 => quote!(i16),
            IntegerKind::I32 => quote!(i32),
            IntegerKind::I64 => quote!(i64),
            IntegerKind::U8 => quote!(u8),
            IntegerKind::U16 => quote!(u16),
            IntegerKind::U32 => quote!(u32),
            IntegerKind::U64 => quote!(u64),
        },
        Type::Float(FloatKind::F32) => quote!(f32),
        Type::Float(FloatKind::F64) => quote!(f64),
        Type::Json => quote!(serde_json::Value),
        Type::Bytes => quote!(Vec<u8>),
        // Re-exported at the root of every generated crate (`lib.rs`).
        Type::Stream => quote!(crate::ByteStream),
        Type::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        Type::List(item) => {
            let item = rust_type(item, models);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(value, models);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_escape_keywords_and_never_panic() {
        assert_eq!(ident("image_type").to_string(), "image_type");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("gen").to_string(), "r#gen");
        for bad in ["", "_", "self", "1a", "a-b", "名称"] {
            assert_eq!(ident(bad).to_string(), "invalid_name", "{bad}");
        }
    }

    #[test]
    fn doc_lines_get_a_leading_space_except_blank_ones() {
        let docs = doc_attrs(&["a".to_owned(), String::new(), "b".to_owned()]);
        assert_eq!(
            docs.to_string(),
            r#"# [doc = " a"] # [doc = ""] # [doc = " b"]"#
        );
    }

    #[test]
    fn blank_doc_lines_at_the_start_and_the_end_are_left_out() {
        let lines = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
        let docs = doc_attrs(&lines(&["", " ", "a", "", "b", ""]));
        assert_eq!(
            docs.to_string(),
            r#"# [doc = " a"] # [doc = ""] # [doc = " b"]"#
        );
        assert!(doc_attrs(&lines(&["", ""])).is_empty());
    }

    #[test]
    fn types_map_to_rust() {
        let models = quote!(crate::models::);
        let ty = Type::Map(Box::new(Type::List(Box::new(Type::Named(
            "Pet".to_owned(),
        )))));
        assert_eq!(
            rust_type(&ty, &models).to_string(),
            "std :: collections :: BTreeMap < String , Vec < crate :: models :: Pet > >"
        );
        assert_eq!(
            rust_type(&Type::Integer(IntegerKind::U32), &quote!()).to_string(),
            "u32"
        );
    }
}
