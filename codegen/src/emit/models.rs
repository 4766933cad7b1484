//! The models file: a struct, enum or alias per IR model, in name order.
//!
//! Constructors and the enums' conversions are `#[inline]`, for the reason the operations'
//! methods are (`emit/operations.rs`): their machine code is made where they are used.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{EmittedFile, doc_attrs, gated, group_module, ident, rust_type};
use crate::ir::{Api, EnumVariant, Field, Model, ModelKind, Presence, Struct, Type, Union};

/// More constructor arguments than this trip `clippy::too_many_arguments`.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// The models file, and with feature groups one file per group (`models/<module>.rs`) for the
/// models only that group needs; a model several groups need stays in the models file, compiled
/// when any of them is enabled.
pub(crate) fn emit<'a>(api: &'a Api, krate: &TokenStream, spec_path: &str) -> Vec<EmittedFile<'a>> {
    let file_doc = format!(" The request and response models of `{spec_path}`.");
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for (feature, group) in &api.groups {
        let only_this = move |model: &&Model| {
            model
                .groups
                .as_ref()
                .is_some_and(|groups| groups.len() == 1 && groups.contains(feature))
        };
        if !api.models.values().any(|model| only_this(&model)) {
            continue;
        }
        modules.push(group_module(feature, &group.module));
        let doc = format!(" The models only the `{feature}` feature needs.");
        files.push(EmittedFile::with_items(
            &format!("models/{}.rs", group.module),
            quote! {
                #![doc = #doc]

                #[allow(unused_imports)]
                use super::*;
            },
            {
                let krate = krate.clone();
                api.models
                    .values()
                    .filter(only_this)
                    .map(move |item| model(item, &krate))
            },
        ));
    }
    let krate = krate.clone();
    let items = api
        .models
        .values()
        .filter_map(move |item| match &item.groups {
            None => Some(model(item, &krate)),
            Some(groups) if groups.len() > 1 => Some(gated(model(item, &krate), groups)),
            Some(_) => None,
        });
    // Descriptions are the spec author's Markdown and enum values the service's words: the doc
    // and naming lints below cannot be satisfied for every spec, so they are allowed here.
    let root = quote! {
        #![doc = #file_doc]
        #![allow(
            clippy::doc_lazy_continuation,
            clippy::enum_variant_names,
            clippy::large_enum_variant,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags
        )]
        #(#modules)*
    };
    files.insert(0, EmittedFile::with_items("models.rs", root, items));
    files
}

fn model(model: &Model, krate: &TokenStream) -> TokenStream {
    let docs = doc_attrs(&model.docs);
    let name = ident(&model.name);
    match &model.kind {
        ModelKind::Struct(object) => structure(&docs, &name, object, krate),
        ModelKind::StringEnum(variants) => string_enum(&docs, &name, variants),
        ModelKind::IntegerEnum(variants) => integer_enum(&docs, &name, variants),
        ModelKind::Union(union) => union_enum(&docs, &name, union),
        ModelKind::Alias(ty) => {
            let ty = rust_type(ty, &quote!());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// A field's type; a secret is held in the runtime's `Secret`, whose `Debug` prints `***`.
fn field_type(field: &Field, krate: &TokenStream) -> TokenStream {
    let inner = if field.sensitive {
        quote!(#krate::Secret)
    } else {
        rust_type(&field.ty, &quote!())
    };
    let inner = if field.boxed {
        quote!(Box<#inner>)
    } else {
        inner
    };
    match field.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#inner>),
        Presence::OptionalNullable => quote!(Option<Option<#inner>>),
    }
}

fn structure(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    object: &Struct,
    krate: &TokenStream,
) -> TokenStream {
    let fields = object.fields.iter().map(|field| {
        let docs = doc_attrs(&field.docs);
        let field_name = ident(&field.name);
        let ty = field_type(field, krate);
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            pub #field_name: #ty,
        }
    });
    let additional = object.additional.as_ref().map(|value| {
        let value = rust_type(value, &quote!());
        quote! {
            /// The properties not named above.
            pub additional_properties: std::collections::BTreeMap<String, #value>,
        }
    });
    let required: Vec<&Field> = object
        .fields
        .iter()
        .filter(|field| {
            matches!(
                field.presence,
                Presence::Required | Presence::RequiredNullable
            )
        })
        .collect();
    let all_optional = required.is_empty();
    let default = all_optional.then(|| quote!(Default,));
    let constructor = if all_optional {
        quote! {
            /// A value with every field unset.
            #[inline]
            pub fn new() -> Self {
                Self::default()
            }
        }
    } else {
        // As the setters take them: text as anything that turns into a `String` (or a
        // `Secret`), a model as anything that turns into it (an enum from its wire value).
        let takes_into = |field: &Field| {
            field.presence == Presence::Required
                && matches!(field.ty, Type::String | Type::Named(_) | Type::Stream)
                && !field.boxed
        };
        let arguments = required.iter().map(|field| {
            let field_name = ident(&field.name);
            if takes_into(field) {
                let target = field_type(field, krate);
                return quote!(#field_name: impl Into<#target>);
            }
            let ty = field_type(field, krate);
            quote!(#field_name: #ty)
        });
        let initializers = object.fields.iter().map(|field| {
            let field_name = ident(&field.name);
            match field.presence {
                Presence::Required if takes_into(field) => quote!(#field_name: #field_name.into()),
                Presence::Required | Presence::RequiredNullable => quote!(#field_name),
                Presence::Optional | Presence::OptionalNullable => quote!(#field_name: None),
            }
        });
        let additional_init = object
            .additional
            .as_ref()
            .map(|_| quote!(additional_properties: std::collections::BTreeMap::new(),));
        let allow = (required.len() > CLIPPY_MAX_ARGUMENTS)
            .then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            /// A value with the required fields; optional fields start as `None`.
            #allow
            #[inline]
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#initializers,)*
                    #additional_init
                }
            }
        }
    };
    // The constructor (and the derives) touch every field, deprecated ones included.
    let allow = object
        .fields
        .iter()
        .any(|field| field.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let serde = serde_impls(name, object, krate, allow.as_ref());
    // A stream (an upload's file part) can be neither cloned nor compared.
    let compare = (!object.fields.iter().any(|field| holds_stream(&field.ty)))
        .then(|| quote!(Clone, PartialEq,));
    quote! {
        #docs
        #[derive(Debug, #compare #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #allow
        impl #name {
            #constructor
        }

        #serde
    }
}

/// `Serialize` and `Deserialize` for a struct: one `json_struct!` line per field (its Rust name,
/// presence and wire name), which the runtime expands to what serde's derive does for these
/// fields in a fraction of the code the compiler has to check (see the runtime's
/// `__private/json_struct.rs`). Unset optional fields are left out; a struct with additional
/// properties keeps the other keys in `additional_properties`.
fn serde_impls(
    name: &proc_macro2::Ident,
    object: &Struct,
    krate: &TokenStream,
    allow: Option<&TokenStream>,
) -> TokenStream {
    let fields = object.fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let wire = &field.wire_name;
        let presence = ident(match field.presence {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::RequiredNullable => "required_nullable",
            Presence::OptionalNullable => "optional_nullable",
        });
        quote!(#field_name: #presence #wire,)
    });
    let additional = object
        .additional
        .is_some()
        .then(|| quote!(additional_properties));
    quote! {
        #krate::__private::json_struct! {
            #allow
            #name {
                #(#fields)*
            }
            #additional
        }
    }
}

fn string_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    variants: &[EnumVariant<String>],
) -> TokenStream {
    let declarations = variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.docs);
        let variant_name = ident(&variant.name);
        quote!(#docs #variant_name,)
    });
    let to_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        quote!(Self::#variant_name => #value,)
    });
    let from_wire: Vec<TokenStream> = variants
        .iter()
        .map(|variant| {
            let variant_name = ident(&variant.name);
            let value = &variant.value;
            quote!(#value => Self::#variant_name,)
        })
        .collect();
    let values = variants.iter().map(|variant| &variant.value);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value this version of the client does not know; kept as received.
            Unknown(String),
        }

        impl #name {
            /// The value on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the client knows, in the spec's order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl AsRef<str> for #name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    #(#from_wire)*
                    _ => Self::Unknown(value),
                })
            }
        }
    }
}

/// An `i64` literal; negative values as `-` and a positive literal, which is how Rust spells them.
fn integer_literal(value: i64) -> TokenStream {
    let magnitude = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}

fn integer_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    variants: &[EnumVariant<i64>],
) -> TokenStream {
    let declarations = variants.iter().map(|variant| {
        let docs = doc_attrs(&variant.docs);
        let variant_name = ident(&variant.name);
        quote!(#docs #variant_name,)
    });
    let to_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = integer_literal(variant.value);
        quote!(Self::#variant_name => #value,)
    });
    let from_wire = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = integer_literal(variant.value);
        quote!(#value => Self::#variant_name,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value this version of the client does not know; kept as received.
            Unknown(i64),
        }

        impl #name {
            /// The value on the wire.
            #[inline]
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(#to_wire)*
                    Self::Unknown(value) => *value,
                }
            }
        }

        impl From<i64> for #name {
            #[inline]
            fn from(value: i64) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn union_enum(docs: &TokenStream, name: &proc_macro2::Ident, union: &Union) -> TokenStream {
    let declarations: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|variant| {
            let variant_name = ident(&variant.name);
            let ty = rust_type(&variant.ty, &quote!());
            let ty = if variant.boxed { quote!(Box<#ty>) } else { ty };
            quote!(#variant_name(#ty),)
        })
        .collect();
    let Some(property) = &union.discriminator else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#declarations)*
            }
        };
    };
    // Decoded through `serde_json::Value` rather than `#[serde(tag)]`: serde's internal tagging
    // removes the tag from the content, but the variant structs declare the property themselves.
    let arms = union
        .variants
        .iter()
        .filter(|v| !v.tags.is_empty())
        .map(|variant| {
            let variant_name = ident(&variant.name);
            let tags = &variant.tags;
            quote! {
                Some(#(#tags)|*) => serde_json::from_value(value)
                    .map(Self::#variant_name)
                    .map_err(serde::de::Error::custom),
            }
        });
    let serialize_arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        quote!(Self::#variant_name(value) => serde::Serialize::serialize(value, serializer),)
    });
    let doc_note = format!(
        " Selected by the `{property}` property; an unknown value is kept as [`{name}::Unknown`]."
    );
    quote! {
        #docs
        ///
        #[doc = #doc_note]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value with a discriminator this version of the client does not know; kept as received.
            Unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// Whether a value of `ty` holds a stream.
pub(crate) fn holds_stream(ty: &Type) -> bool {
    match ty {
        Type::Stream => true,
        Type::List(item) | Type::Map(item) => holds_stream(item),
        _ => false,
    }
}
