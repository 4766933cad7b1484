//! Schemas to IR types and models: primitives map to Rust types, and objects, enums and unions
//! become named models (inline ones named after where they appear).

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type as SpecType, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::docs;
use crate::diagnostics::pointer;
use crate::ir::{
    self, Docs, EnumVariant, Field, FloatKind, IntegerKind, ModelKind, Presence, Struct, Type,
    Union, UnionVariant,
};
use crate::names::{self, NameSet};

/// A schema or a reference to one, whether the spec boxed it or not.
#[derive(Debug, Clone, Copy)]
pub(super) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> SchemaRef<'a> {
    pub(super) fn of(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(item) => Self::Item(item),
        }
    }

    fn of_boxed(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(item) => Self::Item(item),
        }
    }
}

/// What a schema describes, whichever way openapiv3 parsed it (typed, or the catch-all `Any`).
enum Shape<'a> {
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
struct ObjectShape<'a> {
    properties: Vec<(&'a str, SchemaRef<'a>)>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
}

#[derive(Default)]
struct NumberLimits {
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

fn shape(schema: &Schema) -> Shape<'_> {
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

fn integer_kind(format: Option<&str>) -> Option<IntegerKind> {
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

fn float_kind(format: Option<&str>) -> FloatKind {
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
pub(super) fn facts(schema: &Schema) -> Vec<String> {
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
pub(super) fn schema_docs(schema: &Schema) -> Docs {
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
fn first_paragraph(docs: Docs) -> Docs {
    docs.into_iter()
        .take_while(|line| !line.is_empty())
        .collect()
}

/// What the parts of an `allOf` add up to.
struct Merged<'a> {
    properties: Vec<Property<'a>>,
    required: Vec<&'a str>,
    additional: Option<&'a AdditionalProperties>,
}

/// One property of a struct being built, with where it is written.
struct Property<'a> {
    key: &'a str,
    schema: SchemaRef<'a>,
    at: String,
    required: bool,
}

impl<'a> Lowerer<'a> {
    /// Resolves a schema reference to the schema and its pointer.
    pub(super) fn resolve_schema(
        &mut self,
        schema: SchemaRef<'a>,
        at: &str,
    ) -> Option<(&'a Schema, String)> {
        match schema {
            SchemaRef::Item(item) => Some((item, at.to_owned())),
            SchemaRef::Ref(reference) => {
                self.follow(reference, at, "schemas", |components| &components.schemas)
            }
        }
    }

    /// The wire names of an object schema's properties that are `format: binary` strings (or
    /// arrays of them): the file parts of a `multipart/form-data` body. Only direct properties
    /// are looked at; anything else is sent as text.
    pub(super) fn binary_properties(&mut self, schema: SchemaRef<'a>, at: &str) -> Vec<String> {
        let Some((schema, at)) = self.resolve_schema(schema, at) else {
            return Vec::new();
        };
        let Shape::Object(object) = shape(schema) else {
            return Vec::new();
        };
        let mut binary = Vec::new();
        for (key, property) in object.properties {
            let property_at = pointer(&format!("{at}/properties"), key);
            let Some((property, property_at)) = self.resolve_schema(property, &property_at) else {
                continue;
            };
            let is_binary = match shape(property) {
                Shape::String { format, .. } => format == Some("binary"),
                Shape::Array {
                    items: Some(items), ..
                } => self
                    .resolve_schema(items, &format!("{property_at}/items"))
                    .is_some_and(|(item, _)| {
                        matches!(
                            shape(item),
                            Shape::String {
                                format: Some("binary"),
                                ..
                            }
                        )
                    }),
                _ => false,
            };
            if is_binary {
                binary.push(key.to_owned());
            }
        }
        binary
    }

    /// Lowers every `#/components/schemas` entry into a model, in key order. Names are handed out
    /// first, so references between components resolve regardless of order.
    pub(super) fn lower_component_schemas(&mut self) {
        let Some(components) = self.components else {
            return;
        };
        let mut keys: Vec<&'a String> = components.schemas.keys().collect();
        keys.sort();
        for key in &keys {
            let at = pointer("#/components/schemas", key);
            let name = self.claim_type_name(&names::type_name(key), &at);
            self.schema_names.insert((*key).clone(), name);
        }
        for key in keys {
            let at = pointer("#/components/schemas", key);
            let (Some(schema), Some(name)) = (
                components.schemas.get(key),
                self.schema_names.get(key).cloned(),
            ) else {
                continue;
            };
            let model = match schema {
                ReferenceOr::Reference { reference } => {
                    // Resolving checks the chain for cycles and dangling ends.
                    if self
                        .follow(reference, &at, "schemas", |components| &components.schemas)
                        .is_none()
                    {
                        continue;
                    }
                    let target = self.type_of(SchemaRef::Ref(reference), &at, &name);
                    ir::Model {
                        name: name.clone(),
                        source: at,
                        docs: Vec::new(),
                        kind: ModelKind::Alias(target),
                    }
                }
                ReferenceOr::Item(schema) => {
                    let kind = self.model_kind(schema, &at, &name);
                    ir::Model {
                        name: name.clone(),
                        source: at,
                        docs: schema_docs(schema),
                        kind,
                    }
                }
            };
            self.models.insert(name, model);
        }
    }

    /// Claims a type name, warning when it had to change.
    fn claim_type_name(&mut self, wanted: &str, at: &str) -> String {
        let (name, renamed) = self.type_names.claim(wanted, "");
        if renamed {
            self.warning(
                at,
                format!("the type name `{wanted}` is already taken; this schema is named `{name}`"),
            );
        }
        name
    }

    /// The type of a response header's schema: a scalar (an enum is read as its scalar), or
    /// `None` for anything else; and the resolved schema, for its docs.
    pub(super) fn header_type(
        &mut self,
        schema: SchemaRef<'a>,
        at: &str,
    ) -> (Option<Type>, Option<&'a Schema>) {
        let Some((schema, at)) = self.resolve_schema(schema, at) else {
            return (None, None);
        };
        let ty = match shape(schema) {
            Shape::String { .. } => Some(Type::String),
            Shape::Boolean => Some(Type::Bool),
            Shape::Number { format, .. } => Some(Type::Float(float_kind(format))),
            Shape::Integer { format, .. } => Some(match integer_kind(format) {
                Some(kind) => Type::Integer(kind),
                None => {
                    let format = format.unwrap_or_default();
                    self.warning(&at, format!("unknown integer format `{format}`; using i64"));
                    Type::Integer(IntegerKind::I64)
                }
            }),
            _ => None,
        };
        (ty, Some(schema))
    }

    /// The Rust type of a schema written at `at`; an inline schema that needs a model of its
    /// own (object, enum, union) gets one named after `hint`.
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, at: &str, hint: &str) -> Type {
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                let name = component_key_of_schema(reference)
                    .and_then(|key| self.schema_names.get(&key).cloned());
                return match name {
                    Some(name) => Type::Named(name),
                    None => {
                        // Reports the dangling or unsupported reference.
                        let _ = self.resolve_schema(SchemaRef::Ref(reference), at);
                        Type::Json
                    }
                };
            }
            SchemaRef::Item(schema) => schema,
        };
        match shape(schema) {
            Shape::String { values, .. } if !values.is_empty() => {
                self.inline_model(schema, at, hint)
            }
            Shape::Integer { values, .. } if !values.is_empty() => {
                self.inline_model(schema, at, hint)
            }
            Shape::Object(object) if !object.properties.is_empty() => {
                self.inline_model(schema, at, hint)
            }
            Shape::OneOf(parts) if parts.len() > 1 => self.inline_model(schema, at, hint),
            Shape::AllOf { parts, own } if parts.len() > 1 || !own.properties.is_empty() => {
                self.inline_model(schema, at, hint)
            }
            shape => self.plain_type(shape, at, hint),
        }
    }

    /// The type of a shape that needs no model of its own (or a single-part composition).
    fn plain_type(&mut self, shape: Shape<'a>, at: &str, hint: &str) -> Type {
        match shape {
            Shape::String { .. } => Type::String,
            Shape::Integer { format, .. } => match integer_kind(format) {
                Some(kind) => Type::Integer(kind),
                None => {
                    let format = format.unwrap_or_default();
                    self.warning(at, format!("unknown integer format `{format}`; using i64"));
                    Type::Integer(IntegerKind::I64)
                }
            },
            Shape::Number { format, .. } => Type::Float(float_kind(format)),
            Shape::Boolean => Type::Bool,
            Shape::Object(object) => match object.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_at = format!("{at}/additionalProperties");
                    let value =
                        self.type_of(SchemaRef::of(value), &value_at, &format!("{hint}Value"));
                    Type::Map(Box::new(value))
                }
                _ => Type::Map(Box::new(Type::Json)),
            },
            Shape::Array { items, .. } => match items {
                Some(items) => {
                    let items_at = format!("{at}/items");
                    Type::List(Box::new(self.type_of(
                        items,
                        &items_at,
                        &format!("{hint}Item"),
                    )))
                }
                None => Type::List(Box::new(Type::Json)),
            },
            Shape::OneOf(parts) => match parts.first() {
                Some(part) => self.type_of(*part, &format!("{at}/oneOf/0"), hint),
                None => Type::Json,
            },
            Shape::AllOf { parts, .. } => match parts.first() {
                Some(part) => self.type_of(*part, &format!("{at}/allOf/0"), hint),
                None => Type::Json,
            },
            Shape::Any => Type::Json,
            Shape::Unsupported(reason) => {
                self.warning(at, format!("{reason}; using serde_json::Value"));
                Type::Json
            }
        }
    }

    fn inline_model(&mut self, schema: &'a Schema, at: &str, hint: &str) -> Type {
        let name = self.claim_type_name(&names::type_name(hint), at);
        let kind = self.model_kind(schema, at, &name);
        let model = ir::Model {
            name: name.clone(),
            source: at.to_owned(),
            docs: schema_docs(schema),
            kind,
        };
        self.models.insert(name.clone(), model);
        Type::Named(name)
    }

    /// The model for a schema that gets a name (a component, or an inline object/enum/union).
    fn model_kind(&mut self, schema: &'a Schema, at: &str, name: &str) -> ModelKind {
        let description = schema
            .schema_data
            .description
            .as_deref()
            .unwrap_or_default();
        match shape(schema) {
            Shape::String { values, .. } if !values.is_empty() => {
                let mut names = NameSet::default();
                names.reserve("Unknown");
                let variants = self
                    .distinct_values(values, at)
                    .into_iter()
                    .map(|value| EnumVariant {
                        name: self.claim_variant(&mut names, value, at),
                        value: value.to_owned(),
                        docs: docs::enum_value(description, value),
                    })
                    .collect();
                ModelKind::StringEnum(variants)
            }
            Shape::Integer { values, .. } if !values.is_empty() => {
                let mut names = NameSet::default();
                names.reserve("Unknown");
                let variants = self
                    .distinct_values(values, at)
                    .into_iter()
                    .map(|value| EnumVariant {
                        name: self.claim_variant(&mut names, &value.to_string(), at),
                        value,
                        docs: docs::enum_value(description, &value.to_string()),
                    })
                    .collect();
                ModelKind::IntegerEnum(variants)
            }
            Shape::Object(object) if !object.properties.is_empty() => {
                let properties = object_properties(&object, at);
                ModelKind::Struct(self.struct_of(properties, object.additional, at, name))
            }
            Shape::OneOf(parts) if parts.len() > 1 => {
                let discriminator = schema.schema_data.discriminator.as_ref();
                ModelKind::Union(self.union_of(&parts, discriminator, at, name))
            }
            Shape::AllOf { parts, own } if parts.len() > 1 || !own.properties.is_empty() => {
                let mut stack = vec![at.to_owned()];
                let mut merged = Merged {
                    properties: Vec::new(),
                    required: own.required.iter().map(String::as_str).collect(),
                    additional: own.additional,
                };
                for (index, part) in parts.iter().enumerate() {
                    let part_at = format!("{at}/allOf/{index}");
                    self.collect_all_of(*part, &part_at, &mut stack, &mut merged);
                }
                merge_properties(&mut merged.properties, object_properties(&own, at));
                let Merged {
                    mut properties,
                    required,
                    additional,
                } = merged;
                // A part may require a property that another part declares.
                for property in &mut properties {
                    property.required |= required.contains(&property.key);
                }
                ModelKind::Struct(self.struct_of(properties, additional, at, name))
            }
            // A single-part wrapper (often there only to add a description) is its part.
            Shape::OneOf(parts) | Shape::AllOf { parts, .. } if parts.len() == 1 => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::AllOf { .. } => "allOf",
                    SchemaKind::Any(any) if !any.all_of.is_empty() => "allOf",
                    _ => "oneOf",
                };
                let part_at = format!("{at}/{keyword}/0");
                match parts.first() {
                    Some(SchemaRef::Item(part)) => self.model_kind(part, &part_at, name),
                    Some(part) => ModelKind::Alias(self.type_of(*part, &part_at, name)),
                    None => ModelKind::Alias(Type::Json),
                }
            }
            shape => ModelKind::Alias(self.plain_type(shape, at, name)),
        }
    }

    /// The enum values without repeats (`+1` and `1` are one integer): a repeated value would
    /// be a second variant with an unreachable match arm, so it is dropped with a warning.
    fn distinct_values<T: Ord + Copy + std::fmt::Display>(
        &mut self,
        values: Vec<T>,
        at: &str,
    ) -> Vec<T> {
        // A set, since the no-panic tests feed huge enums.
        let mut seen = std::collections::BTreeSet::new();
        let mut distinct: Vec<T> = Vec::with_capacity(values.len());
        for value in values {
            if !seen.insert(value) {
                self.warning(
                    &format!("{at}/enum"),
                    format!("enum value `{value}` is repeated; the repeat is ignored"),
                );
            } else {
                distinct.push(value);
            }
        }
        distinct
    }

    fn claim_variant(&mut self, names: &mut NameSet, value: &str, at: &str) -> String {
        let wanted = names::variant_name(value);
        let (name, renamed) = names.claim(&wanted, names::variant_separator(&wanted));
        if renamed {
            self.warning(
                at,
                format!("enum value `{value}` maps to the taken variant name `{wanted}`; it is named `{name}`"),
            );
        }
        name
    }

    /// Gathers the properties of one `allOf` part (recursing into nested `allOf`s).
    fn collect_all_of(
        &mut self,
        part: SchemaRef<'a>,
        at: &str,
        stack: &mut Vec<String>,
        merged: &mut Merged<'a>,
    ) {
        let Some((schema, target)) = self.resolve_schema(part, at) else {
            return;
        };
        if stack.contains(&target) {
            self.error(
                at,
                format!("allOf cycle: {} -> {target}", stack.join(" -> ")),
            );
            return;
        }
        stack.push(target.clone());
        match shape(schema) {
            Shape::Object(object) => {
                if object.additional.is_some() {
                    merged.additional = object.additional;
                }
                merged
                    .required
                    .extend(object.required.iter().map(String::as_str));
                merge_properties(&mut merged.properties, object_properties(&object, &target));
            }
            Shape::AllOf { parts, own } => {
                for (index, inner) in parts.iter().enumerate() {
                    let inner_at = format!("{target}/allOf/{index}");
                    self.collect_all_of(*inner, &inner_at, stack, merged);
                }
                merged
                    .required
                    .extend(own.required.iter().map(String::as_str));
                merge_properties(&mut merged.properties, object_properties(&own, &target));
            }
            // `{required: [...]}` alone parses as a schema without a type.
            Shape::Any => {
                if let SchemaKind::Any(any) = &schema.schema_kind {
                    merged
                        .required
                        .extend(any.required.iter().map(String::as_str));
                }
            }
            _ => self.warning(at, "an allOf part that is not an object is ignored"),
        }
        stack.pop();
    }

    fn struct_of(
        &mut self,
        properties: Vec<Property<'a>>,
        additional: Option<&'a AdditionalProperties>,
        at: &str,
        name: &str,
    ) -> Struct {
        let mut field_names = NameSet::default();
        let additional = match additional {
            Some(AdditionalProperties::Schema(value)) => {
                field_names.reserve("additional_properties");
                let value_at = format!("{at}/additionalProperties");
                Some(self.type_of(SchemaRef::of(value), &value_at, &format!("{name}Value")))
            }
            Some(AdditionalProperties::Any(true)) => {
                field_names.reserve("additional_properties");
                Some(Type::Json)
            }
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        let mut fields = Vec::new();
        for property in properties {
            let wanted = names::value_name(property.key);
            let (field_name, renamed) = field_names.claim(&wanted, "_");
            if renamed {
                self.warning(
                    &property.at,
                    format!("property `{}` maps to the taken field name `{wanted}`; it is named `{field_name}`", property.key),
                );
            }
            let hint = format!("{name}{}", names::pascal(property.key));
            let ty = self.type_of(property.schema, &property.at, &hint);
            let resolved = self
                .resolve_schema(property.schema, &property.at)
                .map(|(schema, _)| schema);
            let nullable = resolved.is_some_and(|schema| schema.schema_data.nullable);
            // One struct serves both directions, and OpenAPI makes a read-only (write-only)
            // property required in responses (requests) only: it must decode when absent.
            let one_way = resolved.is_some_and(|schema| {
                schema.schema_data.read_only || schema.schema_data.write_only
            });
            let required = property.required && !one_way;
            let presence = match (required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let mut docs = match property.schema {
                SchemaRef::Item(schema) => schema_docs(schema),
                // The referenced type carries the full docs; the field repeats their summary.
                SchemaRef::Ref(_) => self
                    .resolve_schema(property.schema, &property.at)
                    .map(|(schema, _)| first_paragraph(schema_docs(schema)))
                    .unwrap_or_default(),
            };
            if property.required && one_way {
                let direction = match resolved {
                    Some(schema) if schema.schema_data.read_only => "responses",
                    _ => "requests",
                };
                docs::push_paragraph(
                    &mut docs,
                    vec![format!("Required in {direction} only, so optional here.")],
                );
            }
            fields.push(Field {
                name: field_name,
                wire_name: property.key.to_owned(),
                ty,
                presence,
                boxed: false,
                docs,
                // `$ref` siblings are ignored in OpenAPI 3.0, and a deprecated component schema
                // deprecates its type, not every field using it: only an inline flag counts.
                deprecated: matches!(property.schema, SchemaRef::Item(schema) if schema.schema_data.deprecated),
            });
        }
        Struct { fields, additional }
    }

    fn union_of(
        &mut self,
        parts: &[SchemaRef<'a>],
        discriminator: Option<&'a openapiv3::Discriminator>,
        at: &str,
        name: &str,
    ) -> Union {
        let mut variant_names = NameSet::default();
        if discriminator.is_some() {
            variant_names.reserve("Unknown");
        }
        let mut variants = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let part_at = format!("{at}/oneOf/{index}");
            let ty = self.type_of(*part, &part_at, &format!("{name}Variant{}", index + 1));
            let title = match part {
                SchemaRef::Item(schema) => schema.schema_data.title.as_deref(),
                SchemaRef::Ref(_) => None,
            };
            let wanted = match (&ty, part) {
                _ if title.is_some() => names::variant_name(title.unwrap_or_default()),
                (Type::Named(model), SchemaRef::Ref(_)) => model.clone(),
                (Type::Named(_), SchemaRef::Item(_)) => format!("Variant{}", index + 1),
                (other, _) => primitive_variant_name(other).to_owned(),
            };
            let (variant, _) = variant_names.claim(&wanted, "");
            let tags = match (discriminator, part) {
                (Some(discriminator), SchemaRef::Ref(reference)) => {
                    discriminator_tags(discriminator, reference)
                }
                _ => Vec::new(),
            };
            if discriminator.is_some() && tags.is_empty() {
                self.warning(
                    &part_at,
                    "a discriminated alternative that is not a reference has no tag; it is never selected",
                );
            }
            variants.push(UnionVariant {
                name: variant,
                ty,
                boxed: false,
                tags,
            });
        }
        Union {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
        }
    }
}

fn primitive_variant_name(ty: &Type) -> &'static str {
    match ty {
        Type::String => "String",
        Type::Bool => "Boolean",
        Type::Integer(_) => "Integer",
        Type::Float(_) => "Number",
        Type::Json => "Json",
        Type::Bytes => "Bytes",
        Type::List(_) => "List",
        Type::Map(_) => "Map",
        Type::Named(_) => "Variant",
    }
}

/// The discriminator values selecting the schema `reference`: its `mapping` entries, or else
/// the schema's own name (the OpenAPI default).
fn discriminator_tags(discriminator: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let key = component_key_of_schema(reference);
    let mut tags: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| {
            target.as_str() == reference || key.as_deref() == Some(target.as_str())
        })
        .map(|(tag, _)| tag.clone())
        .collect();
    if tags.is_empty() {
        tags.extend(key);
    }
    tags
}

fn component_key_of_schema(reference: &str) -> Option<String> {
    super::component_key(reference, "schemas")
}

fn object_properties<'a>(object: &ObjectShape<'a>, at: &str) -> Vec<Property<'a>> {
    object
        .properties
        .iter()
        .map(|(key, schema)| Property {
            key,
            schema: *schema,
            at: pointer(&format!("{at}/properties"), key),
            required: object.required.iter().any(|r| r == key),
        })
        .collect()
}

/// Adds `more` to `properties`; a property named again replaces the earlier one in place, and
/// stays required if either said so.
fn merge_properties<'a>(properties: &mut Vec<Property<'a>>, more: Vec<Property<'a>>) {
    for property in more {
        match properties.iter_mut().find(|p| p.key == property.key) {
            Some(existing) => {
                let required = existing.required || property.required;
                *existing = Property {
                    required,
                    ..property
                };
            }
            None => properties.push(property),
        }
    }
}
