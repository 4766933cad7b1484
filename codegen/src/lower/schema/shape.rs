//! What a schema describes, whichever way openapiv3 parsed it (`Shape`), and the facts about it
//! that go into docs (limits, formats, defaults).

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, Schema, SchemaKind, StringFormat,
    Type as SpecType, VariantOrUnknownOrEmpty,
};

use super::super::docs;
use super::SchemaRef;
use crate::ir::{Docs, FloatKind, IntegerKind};

/// What a schema describes, whichever way openapiv3 parsed it (typed, or the catch-all `Any`).
pub(super) enum Shape<'a> {
    String {
        format: Option<&'a str>,
        values: Vec<&'a str>,
        min_length: Option<usize>,
        max_length: Option<usize>,
        pattern: Option<&'a str>,
    },
    Integer {
        format: Option<&'a str>,
        values: Vec<i64>,
        limits: NumberLimits,
    },
    Number {
        format: Option<&'a str>,
        limits: NumberLimits,
    },
    Boolean,
    Object(ObjectShape<'a>),
    Array {
        items: Option<SchemaRef<'a>>,
        min_items: Option<usize>,
        max_items: Option<usize>,
        unique: bool,
    },
    OneOf(Vec<SchemaRef<'a>>),
    AllOf {
        parts: Vec<SchemaRef<'a>>,
        own: ObjectShape<'a>,
    },
    /// No constraints: any JSON value.
    Any,
    /// Something the generator does not model; decoded as any JSON value.
    Unsupported(&'static str),
}

#[derive(Default)]
pub(super) struct ObjectShape<'a> {
    pub(super) properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub(super) required: &'a [String],
    pub(super) additional: Option<&'a AdditionalProperties>,
}

#[derive(Default)]
pub(super) struct NumberLimits {
    minimum: Option<String>,
    maximum: Option<String>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
    multiple_of: Option<String>,
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn integer_format(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn number_format(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Some("float"),
        VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => Some("double"),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(SpecType::String(string)) => Shape::String {
            format: string_format(&string.format),
            values: string
                .enumeration
                .iter()
                .flatten()
                .map(String::as_str)
                .collect(),
            min_length: string.min_length,
            max_length: string.max_length,
            pattern: string.pattern.as_deref(),
        },
        SchemaKind::Type(SpecType::Integer(integer)) => Shape::Integer {
            format: integer_format(&integer.format),
            values: integer.enumeration.iter().flatten().copied().collect(),
            limits: NumberLimits {
                minimum: integer.minimum.map(|v| v.to_string()),
                maximum: integer.maximum.map(|v| v.to_string()),
                exclusive_minimum: integer.exclusive_minimum,
                exclusive_maximum: integer.exclusive_maximum,
                multiple_of: integer.multiple_of.map(|v| v.to_string()),
            },
        },
        SchemaKind::Type(SpecType::Number(number)) => Shape::Number {
            format: number_format(&number.format),
            limits: NumberLimits {
                minimum: number.minimum.map(|v| v.to_string()),
                maximum: number.maximum.map(|v| v.to_string()),
                exclusive_minimum: number.exclusive_minimum,
                exclusive_maximum: number.exclusive_maximum,
                multiple_of: number.multiple_of.map(|v| v.to_string()),
            },
        },
        SchemaKind::Type(SpecType::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(SpecType::Object(object)) => Shape::Object(ObjectShape {
            properties: object
                .properties
                .iter()
                .map(|(key, schema)| (key.as_str(), SchemaRef::of_boxed(schema)))
                .collect(),
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        }),
        SchemaKind::Type(SpecType::Array(array)) => Shape::Array {
            items: array.items.as_ref().map(SchemaRef::of_boxed),
            min_items: array.min_items,
            max_items: array.max_items,
            unique: array.unique_items,
        },
        SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
            Shape::OneOf(parts.iter().map(SchemaRef::of).collect())
        }
        SchemaKind::AllOf { all_of } => Shape::AllOf {
            parts: all_of.iter().map(SchemaRef::of).collect(),
            own: ObjectShape::default(),
        },
        SchemaKind::Not { .. } => Shape::Unsupported("`not` schemas are not supported"),
        SchemaKind::Any(any) => any_shape(any),
    }
}

/// openapiv3 keeps schemas that mix keywords (say `properties` without `type`, or `allOf` next
/// to `properties`) as `Any`; they still mean something.
fn any_shape(any: &openapiv3::AnySchema) -> Shape<'_> {
    let own = ObjectShape {
        properties: any
            .properties
            .iter()
            .map(|(key, schema)| (key.as_str(), SchemaRef::of_boxed(schema)))
            .collect(),
        required: &any.required,
        additional: any.additional_properties.as_ref(),
    };
    if !any.all_of.is_empty() {
        return Shape::AllOf {
            parts: any.all_of.iter().map(SchemaRef::of).collect(),
            own,
        };
    }
    if !any.one_of.is_empty() || !any.any_of.is_empty() {
        let parts = any
            .one_of
            .iter()
            .chain(&any.any_of)
            .map(SchemaRef::of)
            .collect();
        return Shape::OneOf(parts);
    }
    let typ = any.typ.as_deref();
    if typ == Some("object") || !own.properties.is_empty() || own.additional.is_some() {
        return Shape::Object(own);
    }
    if typ == Some("array") || any.items.is_some() {
        return Shape::Array {
            items: any.items.as_ref().map(SchemaRef::of_boxed),
            min_items: any.min_items,
            max_items: any.max_items,
            unique: any.unique_items.unwrap_or(false),
        };
    }
    let limits = || NumberLimits {
        minimum: any.minimum.map(|v| v.to_string()),
        maximum: any.maximum.map(|v| v.to_string()),
        exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
        exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
        multiple_of: any.multiple_of.map(|v| v.to_string()),
    };
    let strings: Option<Vec<&str>> = any.enumeration.iter().map(|v| v.as_str()).collect();
    match typ {
        Some("string") => match strings {
            Some(values) => Shape::String {
                format: any.format.as_deref(),
                values,
                min_length: any.min_length,
                max_length: any.max_length,
                pattern: any.pattern.as_deref(),
            },
            None => Shape::Unsupported("a string enum with non-string values is not supported"),
        },
        Some("integer") => {
            let integers: Option<Vec<i64>> = any.enumeration.iter().map(|v| v.as_i64()).collect();
            match integers {
                Some(values) => Shape::Integer {
                    format: any.format.as_deref(),
                    values,
                    limits: limits(),
                },
                None => Shape::Unsupported("an integer schema with non-integer values"),
            }
        }
        Some("number") => Shape::Number {
            format: any.format.as_deref(),
            limits: limits(),
        },
        Some("boolean") => Shape::Boolean,
        Some(_) => Shape::Unsupported("unknown `type`"),
        None => match strings {
            Some(values) if !values.is_empty() => Shape::String {
                format: any.format.as_deref(),
                values,
                min_length: any.min_length,
                max_length: any.max_length,
                pattern: any.pattern.as_deref(),
            },
            Some(_) => Shape::Any,
            None => Shape::Unsupported("an enum of mixed or non-string values is not supported"),
        },
    }
}

pub(super) fn integer_kind(format: Option<&str>) -> Option<IntegerKind> {
    Some(match format {
        None | Some("int64") => IntegerKind::I64,
        Some("int32") => IntegerKind::I32,
        Some("int16") => IntegerKind::I16,
        Some("int8") => IntegerKind::I8,
        Some("uint64") => IntegerKind::U64,
        Some("uint32") => IntegerKind::U32,
        Some("uint16") => IntegerKind::U16,
        Some("uint8") => IntegerKind::U8,
        Some(_) => return None,
    })
}

pub(super) fn float_kind(format: Option<&str>) -> FloatKind {
    match format {
        Some("float") => FloatKind::F32,
        _ => FloatKind::F64,
    }
}

/// Why a string of this format is still a `String` (the runtime stays free of chrono and uuid).
fn format_note(format: &str) -> String {
    match format {
        "date-time" => "Format: `date-time` (RFC 3339), kept as a string.".to_owned(),
        "date" => "Format: `date` (RFC 3339 full-date), kept as a string.".to_owned(),
        "uuid" => "Format: `uuid`, kept as a string.".to_owned(),
        "byte" => "Format: `byte` (base64), kept as a string.".to_owned(),
        "binary" => "Format: `binary`, kept as a string.".to_owned(),
        other => format!("Format: `{other}`."),
    }
}

fn number_facts(limits: &NumberLimits) -> Vec<String> {
    let mut facts = Vec::new();
    let bound = |label: &str, value: &Option<String>, exclusive: bool| {
        value.as_ref().map(|value| {
            let kind = if exclusive { " (exclusive)" } else { "" };
            format!("{label}: {value}{kind}.")
        })
    };
    facts.extend(bound("Minimum", &limits.minimum, limits.exclusive_minimum));
    facts.extend(bound("Maximum", &limits.maximum, limits.exclusive_maximum));
    facts.extend(
        limits
            .multiple_of
            .as_ref()
            .map(|m| format!("A multiple of {m}.")),
    );
    facts
}

/// The limits, format and flags of a schema as one line of sentences (empty when none).
pub(in crate::lower) fn facts(schema: &Schema) -> Vec<String> {
    let mut facts = Vec::new();
    match shape(schema) {
        Shape::String {
            format,
            min_length,
            max_length,
            pattern,
            ..
        } => {
            facts.extend(docs::range(
                "Length",
                min_length.map(|v| v.to_string()),
                max_length.map(|v| v.to_string()),
            ));
            facts.extend(pattern.map(|p| format!("Pattern: `{p}`.")));
            facts.extend(format.map(format_note));
        }
        Shape::Integer { format, limits, .. } | Shape::Number { format, limits } => {
            facts.extend(number_facts(&limits));
            facts.extend(format.map(|f| format!("Format: `{f}`.")));
        }
        Shape::Array {
            min_items,
            max_items,
            unique,
            ..
        } => {
            facts.extend(docs::range(
                "Items",
                min_items.map(|v| v.to_string()),
                max_items.map(|v| v.to_string()),
            ));
            if unique {
                facts.push("Items are unique.".to_owned());
            }
        }
        _ => {}
    }
    let data = &schema.schema_data;
    if let Some(default) = &data.default {
        facts.push(format!("Default: `{default}`."));
    }
    if data.read_only {
        facts.push("Read-only: set by the service, not sent in requests.".to_owned());
    }
    if data.write_only {
        facts.push("Write-only: sent in requests, never returned.".to_owned());
    }
    if data.deprecated {
        facts.push("Deprecated.".to_owned());
    }
    if facts.is_empty() {
        Vec::new()
    } else {
        vec![facts.join(" ")]
    }
}

/// Description plus facts: the docs of a field, parameter or model.
pub(in crate::lower) fn schema_docs(schema: &Schema) -> Docs {
    let mut lines = Vec::new();
    if let Some(title) = &schema.schema_data.title {
        lines = docs::description(title);
    }
    if let Some(description) = &schema.schema_data.description {
        docs::push_paragraph(&mut lines, docs::description(description));
    }
    docs::push_paragraph(&mut lines, facts(schema));
    lines
}

/// The lines before the first blank line.
pub(super) fn first_paragraph(docs: Docs) -> Docs {
    docs.into_iter()
        .take_while(|line| !line.is_empty())
        .collect()
}
