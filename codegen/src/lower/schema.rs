//! Schemas to IR types and models: primitives map to Rust types, and objects, enums and unions
//! become named models (inline ones named after where they appear). What a schema describes is
//! read in `shape`; the named models are built in `model`.

mod model;
mod shape;

use model::component_key_of_schema;
use shape::{Shape, float_kind, integer_kind, shape};
pub(super) use shape::{facts, schema_docs};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::Lowerer;
use crate::diagnostics::pointer;
use crate::ir::{self, IntegerKind, ModelKind, Type};
use crate::names;

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
                        groups: None,
                    }
                }
                ReferenceOr::Item(schema) => {
                    let kind = self.model_kind(schema, &at, &name);
                    ir::Model {
                        name: name.clone(),
                        source: at,
                        docs: schema_docs(schema),
                        kind,
                        groups: None,
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
            groups: None,
        };
        self.models.insert(name.clone(), model);
        Type::Named(name)
    }
}
