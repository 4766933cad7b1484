//! The API manifest of a lowered API: what the emitters make public, read from the IR.
//!
//! The facts that decide compatibility mirror the emitters: every struct is `#[non_exhaustive]`
//! with a `new(required…)` constructor, string and integer enums and tagged unions are
//! `#[non_exhaustive]` with an `Unknown` variant, untagged unions are neither, a required
//! parameter without a client default is a positional argument and any other one a setter, and
//! the per-operation status enums and header structs are `#[non_exhaustive]`.

use super::manifest::{
    ApiManifest, BodyEntry, FORMAT, FieldEntry, HeaderEntry, HeadersEntry, ModelEntry,
    OperationEntry, ParameterEntry, Presence, Shape, StatusEnumEntry, StatusVariantEntry,
    UnionVariantEntry, VariantEntry,
};
use crate::ir::{
    self, Api, BodyEncoding, FloatKind, IntegerKind, Location, Model, ModelKind, Operation,
    Response, StatusResponses, Type,
};

/// The manifest of `api`; `generated` says who writes it (shown in the file, not compared).
pub(crate) fn manifest(api: &Api, generated: String) -> ApiManifest {
    ApiManifest {
        generated,
        format: FORMAT,
        features: api.groups.keys().cloned().collect(),
        operations: api
            .operations
            .values()
            .map(|operation| (operation.operation_id.clone(), operation_entry(operation)))
            .collect(),
        models: api
            .models
            .values()
            .map(|model| (model.name.clone(), model_entry(model)))
            .collect(),
    }
}

fn operation_entry(operation: &Operation) -> OperationEntry {
    let mut arguments = Vec::new();
    let parameters = operation
        .params
        .iter()
        .map(|param| {
            let argument = param.required && param.client_default.is_none();
            if argument {
                arguments.push(param.name.clone());
            }
            ParameterEntry {
                name: param.name.clone(),
                wire: param.wire_name.clone(),
                location: location(param.location).to_owned(),
                ty: type_text(&param.ty),
                argument,
                client_default: param
                    .client_default
                    .as_ref()
                    .map(|default| default.setting.clone()),
                min_length: param.min_length,
                max_length: param.max_length,
                deprecated: param.deprecated.clone(),
                docs: docs_hash(&param.docs),
            }
        })
        .collect();
    let body = operation.body.as_ref().map(|body| {
        if body.required {
            arguments.push("body".to_owned());
        }
        BodyEntry {
            ty: type_text(&body.ty),
            argument: body.required,
            encoding: match &body.encoding {
                BodyEncoding::Json(media) => format!("json {media}"),
                BodyEncoding::Raw(media) => format!("raw {media}"),
                BodyEncoding::Form => "form".to_owned(),
                BodyEncoding::Multipart(_) => "multipart".to_owned(),
            },
            docs: docs_hash(&body.docs),
        }
    });
    let responses = match &operation.response {
        Response::ByStatus(responses) => Some(status_enum(responses)),
        _ => None,
    };
    OperationEntry {
        method: operation.name.clone(),
        builder: operation.builder.clone(),
        http: format!("{} {}", operation.method, operation.path),
        feature: operation.group.clone(),
        deprecated: operation.deprecated.clone(),
        docs: docs_hash(&operation.docs),
        arguments,
        parameters,
        body,
        response: match &operation.response {
            // `send()` gives the body as a stream; a by-status variant holds its bytes whole.
            Response::Bytes => "stream".to_owned(),
            response => response_text(response),
        },
        responses,
        errors: operation.errors.as_ref().map(status_enum),
        response_headers: operation
            .response_headers
            .as_ref()
            .map(|headers| HeadersEntry {
                name: headers.name.clone(),
                non_exhaustive: true,
                headers: headers
                    .headers
                    .iter()
                    .map(|header| HeaderEntry {
                        name: header.name.clone(),
                        wire: header.wire_name.clone(),
                        ty: type_text(&header.ty),
                        docs: docs_hash(&header.docs),
                    })
                    .collect(),
            }),
    }
}

fn status_enum(responses: &StatusResponses) -> StatusEnumEntry {
    StatusEnumEntry {
        name: responses.name.clone(),
        non_exhaustive: true,
        variants: responses
            .variants
            .iter()
            .map(|variant| StatusVariantEntry {
                status: variant.status.clone(),
                variant: variant.variant.clone(),
                body: response_text(&variant.body),
            })
            .collect(),
    }
}

fn response_text(response: &Response) -> String {
    match response {
        Response::Empty => "empty".to_owned(),
        Response::Json(ty) => format!("json {}", type_text(ty)),
        Response::Text => "text".to_owned(),
        Response::Bytes => "bytes".to_owned(),
        Response::ByStatus(responses) => format!("by status {}", responses.name),
    }
}

fn model_entry(model: &Model) -> ModelEntry {
    let shape = match &model.kind {
        ModelKind::Struct(object) => Shape::Struct {
            non_exhaustive: true,
            constructor: object
                .fields
                .iter()
                .filter(|field| presence(field.presence).in_constructor())
                .map(|field| field.name.clone())
                .collect(),
            fields: object
                .fields
                .iter()
                .map(|field| FieldEntry {
                    name: field.name.clone(),
                    wire: field.wire_name.clone(),
                    ty: if field.boxed {
                        format!("Box<{}>", type_text(&field.ty))
                    } else {
                        type_text(&field.ty)
                    },
                    presence: presence(field.presence),
                    deprecated: field.deprecated,
                    docs: docs_hash(&field.docs),
                })
                .collect(),
            additional: object.additional.as_ref().map(type_text),
        },
        ModelKind::StringEnum(variants) => Shape::Enum {
            wire_type: "string".to_owned(),
            non_exhaustive: true,
            unknown: true,
            variants: variants
                .iter()
                .map(|variant| VariantEntry {
                    name: variant.name.clone(),
                    value: variant.value.clone(),
                    docs: docs_hash(&variant.docs),
                })
                .collect(),
        },
        ModelKind::IntegerEnum(variants) => Shape::Enum {
            wire_type: "integer".to_owned(),
            non_exhaustive: true,
            unknown: true,
            variants: variants
                .iter()
                .map(|variant| VariantEntry {
                    name: variant.name.clone(),
                    value: variant.value.to_string(),
                    docs: docs_hash(&variant.docs),
                })
                .collect(),
        },
        ModelKind::Union(union) => Shape::Union {
            discriminator: union.discriminator.clone(),
            // Only a tagged union can keep what it does not know, and only then is it open.
            non_exhaustive: union.discriminator.is_some(),
            unknown: union.discriminator.is_some(),
            variants: union
                .variants
                .iter()
                .map(|variant| UnionVariantEntry {
                    name: variant.name.clone(),
                    ty: if variant.boxed {
                        format!("Box<{}>", type_text(&variant.ty))
                    } else {
                        type_text(&variant.ty)
                    },
                    tags: variant.tags.clone(),
                })
                .collect(),
        },
        ModelKind::Alias(ty) => Shape::Alias { ty: type_text(ty) },
    };
    ModelEntry {
        source: model.source.clone(),
        features: model
            .groups
            .as_ref()
            .map(|groups| groups.iter().cloned().collect()),
        docs: docs_hash(&model.docs),
        shape,
    }
}

fn presence(presence: ir::Presence) -> Presence {
    match presence {
        ir::Presence::Required => Presence::Required,
        ir::Presence::RequiredNullable => Presence::RequiredNullable,
        ir::Presence::Optional => Presence::Optional,
        ir::Presence::OptionalNullable => Presence::OptionalNullable,
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

/// The Rust type as the generated code spells it, models by their bare name.
pub(crate) fn type_text(ty: &Type) -> String {
    match ty {
        Type::String => "String".to_owned(),
        Type::Bool => "bool".to_owned(),
        Type::Integer(kind) => match kind {
            IntegerKind::I8 => "i8",
            IntegerKind::I16 => "i16",
            IntegerKind::I32 => "i32",
            IntegerKind::I64 => "i64",
            IntegerKind::U8 => "u8",
            IntegerKind::U16 => "u16",
            IntegerKind::U32 => "u32",
            IntegerKind::U64 => "u64",
        }
        .to_owned(),
        Type::Float(FloatKind::F32) => "f32".to_owned(),
        Type::Float(FloatKind::F64) => "f64".to_owned(),
        Type::Json => "serde_json::Value".to_owned(),
        Type::Bytes => "Vec<u8>".to_owned(),
        Type::Stream => "ByteStream".to_owned(),
        Type::Named(name) => name.clone(),
        Type::List(item) => format!("Vec<{}>", type_text(item)),
        Type::Map(value) => format!("BTreeMap<String, {}>", type_text(value)),
    }
}

/// A short stable digest of doc lines (64-bit FNV-1a, hex): enough to notice that a text
/// changed without committing the text twice. Empty docs have none.
pub(crate) fn docs_hash(docs: &[String]) -> String {
    if docs.iter().all(|line| line.trim().is_empty()) {
        return String::new();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (index, line) in docs.iter().enumerate() {
        if index > 0 {
            hash = fnv_step(hash, b'\n');
        }
        for byte in line.bytes() {
            hash = fnv_step(hash, byte);
        }
    }
    format!("{hash:016x}")
}

fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}
