//! An operation's request body: its media type picks the encoding (JSON, text, bytes, form,
//! multipart with its parts).

use super::super::schema::SchemaRef;
use super::super::{Lowerer, docs};
use super::{MediaKind, media_kind, pick_media_type};
use crate::diagnostics::pointer;
use crate::ir::{self, Body, BodyEncoding, ModelKind, MultipartField, PartKind, Type};
use openapiv3::{MediaType, Operation};

impl<'a> Lowerer<'a> {
    pub(super) fn request_body(
        &mut self,
        operation: &'a Operation,
        at: &str,
        builder: &str,
    ) -> Option<Body> {
        let body_at = format!("{at}/requestBody");
        let body = operation.request_body.as_ref()?;
        let (body, _) = self.resolve(body, &body_at, "requestBodies", |c| &c.request_bodies)?;
        let Some((media_type, content)) = pick_media_type(&body.content) else {
            self.warning(&body_at, "the request body has no content; no body is sent");
            return None;
        };
        let content_at = pointer(&format!("{body_at}/content"), media_type);
        let (ty, encoding) = match media_kind(media_type) {
            MediaKind::Json => {
                let ty = match &content.schema {
                    Some(schema) => self.type_of(
                        SchemaRef::of(schema),
                        &format!("{content_at}/schema"),
                        &format!("{builder}RequestBody"),
                    ),
                    None => Type::Json,
                };
                (ty, BodyEncoding::Json(media_type.to_owned()))
            }
            MediaKind::Form => {
                let ty = match &content.schema {
                    Some(schema) => self.type_of(
                        SchemaRef::of(schema),
                        &format!("{content_at}/schema"),
                        &format!("{builder}RequestBody"),
                    ),
                    None => Type::Json,
                };
                (ty, BodyEncoding::Form)
            }
            MediaKind::Multipart => match self.multipart(content, &content_at, builder) {
                Some(lowered) => lowered,
                None => {
                    self.warning(
                        &content_at,
                        "a multipart body without an object schema is not encoded by the generator; the caller passes the encoded bytes",
                    );
                    (Type::Bytes, BodyEncoding::Raw(media_type.to_owned()))
                }
            },
            MediaKind::Text => (Type::String, BodyEncoding::Raw(media_type.to_owned())),
            MediaKind::Bytes => (Type::Bytes, BodyEncoding::Raw(media_type.to_owned())),
            MediaKind::Unsupported => {
                self.warning(
                    &content_at,
                    format!("request bodies of type `{media_type}` are not encoded by the generator; the caller passes the encoded bytes"),
                );
                (Type::Bytes, BodyEncoding::Raw(media_type.to_owned()))
            }
        };
        // A model with required fields cannot be left out either: without it the call could
        // only fail at the service, so the body is a positional argument like a required one.
        let required = body.required || self.has_required_fields(&ty);
        Some(Body {
            ty,
            required,
            encoding,
            docs: body
                .description
                .as_deref()
                .map(docs::description)
                .unwrap_or_default(),
            streams: false,
        })
    }

    /// Whether `ty` is a struct model with a field the service requires.
    fn has_required_fields(&self, ty: &Type) -> bool {
        let Type::Named(name) = ty else {
            return false;
        };
        self.models
            .get(name)
            .is_some_and(|model| match &model.kind {
                ModelKind::Struct(structure) => structure.fields.iter().any(|field| {
                    matches!(
                        field.presence,
                        ir::Presence::Required | ir::Presence::RequiredNullable
                    )
                }),
                _ => false,
            })
    }

    /// A `multipart/form-data` body: the struct of its object schema, one part per field.
    /// `format: binary` fields become file parts; in a schema written inline (whose struct
    /// serves only this body) they are also typed as bytes, where a component schema keeps the
    /// string the rest of the spec sees.
    fn multipart(
        &mut self,
        content: &'a MediaType,
        content_at: &str,
        builder: &str,
    ) -> Option<(Type, BodyEncoding)> {
        let schema = content.schema.as_ref()?;
        let schema_at = format!("{content_at}/schema");
        let ty = self.type_of(
            SchemaRef::of(schema),
            &schema_at,
            &format!("{builder}RequestBody"),
        );
        let binary = self.binary_properties(SchemaRef::of(schema), &schema_at);
        let Type::Named(name) = &ty else {
            return None;
        };
        let model = self.models.get_mut(name)?;
        let inline = model.source == schema_at;
        let ModelKind::Struct(structure) = &mut model.kind else {
            return None;
        };
        if inline {
            for field in &mut structure.fields {
                if binary.contains(&field.wire_name) {
                    field.ty = match &field.ty {
                        Type::List(_) => Type::List(Box::new(Type::Bytes)),
                        _ => Type::Bytes,
                    };
                    for line in &mut field.docs {
                        if line.starts_with("Format: `binary`") {
                            *line = "Format: `binary`: sent as a file part.".to_owned();
                        }
                    }
                }
            }
        }
        let has_additional = structure.additional.is_some();
        let fields: Vec<(String, String, ir::Presence, Type, bool)> = structure
            .fields
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    f.wire_name.clone(),
                    f.presence,
                    f.ty.clone(),
                    f.deprecated,
                )
            })
            .collect();
        if has_additional {
            self.warning(
                &schema_at,
                "additional properties of a multipart body are not sent; only the named fields are",
            );
        }
        let parts = fields
            .into_iter()
            .map(|(field, wire_name, presence, ty, deprecated)| {
                let (list, item) = match &ty {
                    Type::List(item) => (true, item.as_ref()),
                    other => (false, other),
                };
                let kind = if binary.contains(&wire_name) || *item == Type::Bytes {
                    PartKind::File
                } else if self.has_display(item) {
                    PartKind::Text
                } else {
                    PartKind::Json
                };
                MultipartField {
                    field,
                    wire_name,
                    presence,
                    list,
                    kind,
                    deprecated,
                }
            })
            .collect();
        Some((ty, BodyEncoding::Multipart(parts)))
    }
}
