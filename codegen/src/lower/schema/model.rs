//! The named models: structs (with `allOf` merged), string and integer enums, and unions
//! (`oneOf`/`anyOf`, tagged by a discriminator or untagged).

use openapiv3::{
    AdditionalProperties, Schema, SchemaKind, StringFormat, Type as SpecType,
    VariantOrUnknownOrEmpty,
};

use super::super::{Lowerer, docs};
use super::SchemaRef;
use super::shape::{ObjectShape, Shape, first_paragraph, schema_docs, shape};
use crate::diagnostics::pointer;
use crate::ir::{EnumVariant, Field, ModelKind, Presence, Struct, Type, Union, UnionVariant};
use crate::names::{self, NameSet};

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
    /// The model for a schema that gets a name (a component, or an inline object/enum/union).
    pub(super) fn model_kind(&mut self, schema: &'a Schema, at: &str, name: &str) -> ModelKind {
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
        let mut wanted = names::variant_name(value);
        if wanted == "Unknown" {
            // Every enum is open, and its catch-all is `Unknown`: a listed value `unknown` is
            // expected, not a clash in the spec, so it takes a fixed name without a warning.
            wanted = "UnknownValue".to_owned();
        }
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
            let sensitive = ty == Type::String
                && matches!(
                    property.schema,
                    SchemaRef::Item(Schema {
                        schema_kind: SchemaKind::Type(SpecType::String(string)),
                        ..
                    }) if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
                );
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
                sensitive,
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
                (Some(discriminator), SchemaRef::Item(schema)) => self
                    .fixed_tag(schema, &discriminator.property_name, &part_at)
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
            if discriminator.is_some() && tags.is_empty() {
                self.warning(
                    &part_at,
                    "a discriminated alternative that is neither a reference nor fixes its tag with a one-value enum (or `const`) has no tag; it is never selected",
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

impl<'a> Lowerer<'a> {
    /// The tag an inline alternative fixes: its discriminator property (its own, or one of
    /// its `allOf` parts') is a one-value string enum (OpenAPI 3.1 writes `const`).
    fn fixed_tag(&mut self, schema: &'a Schema, property: &str, at: &str) -> Option<String> {
        let mut pending = vec![schema];
        // A bound on the parts looked at, since `allOf` references may cycle.
        for _ in 0..32 {
            let schema = pending.pop()?;
            let (own, parts) = match shape(schema) {
                Shape::Object(object) => (object, Vec::new()),
                Shape::AllOf { parts, own } => (own, parts),
                _ => continue,
            };
            if let Some((_, tag)) = own.properties.iter().find(|(key, _)| *key == property) {
                let (tag, _) = self.resolve_schema(*tag, at)?;
                return match shape(tag) {
                    Shape::String { values, .. } if values.len() == 1 => {
                        values.first().map(|value| (*value).to_owned())
                    }
                    _ => None,
                };
            }
            for part in parts.into_iter().rev() {
                if let Some((part, _)) = self.resolve_schema(part, at) {
                    pending.push(part);
                }
            }
        }
        None
    }
}

fn primitive_variant_name(ty: &Type) -> &'static str {
    match ty {
        Type::String => "String",
        Type::Bool => "Boolean",
        Type::Integer(_) => "Integer",
        Type::Float(_) => "Number",
        Type::Json => "Json",
        Type::Bytes | Type::Stream => "Bytes",
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

pub(super) fn component_key_of_schema(reference: &str) -> Option<String> {
    super::super::component_key(reference, "schemas")
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
