//! Paths and operations to IR operations: names, and the parts each child module lowers —
//! `parameters` (merged parameters and the path template), `request_body`, `responses`.

mod pagination;
mod parameters;
mod request_body;
mod responses;

use std::collections::BTreeMap;

use openapiv3::{MediaType, Operation, PathItem, ReferenceOr};

use super::Lowerer;
use super::docs;
use crate::diagnostics::pointer;
use crate::ir::{self, ModelKind, Response, Type};
use crate::names::{self, NameSet};

/// How many aliases a parameter type may go through to reach a scalar.
const MAX_ALIAS_DEPTH: usize = 32;

/// The default deprecation note when the spec gives none in `x-deprecation-note`.
const DEFAULT_DEPRECATION_NOTE: &str = "this operation is deprecated by the API";

/// One operation found in the spec, before lowering.
struct Found<'a> {
    path: &'a str,
    method: &'static str,
    item: &'a PathItem,
    operation: &'a Operation,
    at: String,
}

impl<'a> Lowerer<'a> {
    /// Lowers every operation, in path order then method order.
    pub(super) fn lower_operations(&mut self) {
        let spec = self.spec;
        let mut paths: Vec<(&'a String, &'a ReferenceOr<PathItem>)> = spec.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut found = Vec::new();
        for (path, item) in paths {
            let path_at = pointer("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(&path_at, "path item references are not supported");
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let method = match method {
                    "get" => "get",
                    "put" => "put",
                    "post" => "post",
                    "delete" => "delete",
                    "options" => "options",
                    "head" => "head",
                    "patch" => "patch",
                    _ => "trace",
                };
                found.push(Found {
                    path,
                    method,
                    item,
                    operation,
                    at: format!("{path_at}/{method}"),
                });
            }
        }
        self.check_duplicate_operation_ids(&found);
        let mut method_names = NameSet::default();
        for name in names::client_method_names() {
            method_names.reserve(name);
        }
        let mut builder_names = NameSet::default();
        let grouped = self.feature_groups_enabled();
        for found in &found {
            let mut operation = self.lower_operation(found, &mut method_names, &mut builder_names);
            if grouped {
                operation.group = self.operation_group(&found.operation.tags, &found.at);
            }
            self.operations.insert(operation.name.clone(), operation);
        }
        self.name_operation_types(builder_names);
    }

    /// The per-operation response and error-body types share the operations file with
    /// the builders: each gets a unique name, claimed in method-name order so that the result
    /// does not depend on the spec's path order.
    fn name_operation_types(&mut self, mut type_names: NameSet) {
        for operation in self.operations.values_mut() {
            if let Response::ByStatus(responses) = &mut operation.response {
                responses.name = type_names.claim(&responses.name, "").0;
            }
            if let Some(errors) = &mut operation.errors {
                errors.name = type_names.claim(&errors.name, "").0;
            }
            if let Some(headers) = &mut operation.response_headers {
                headers.name = type_names.claim(&headers.name, "").0;
            }
        }
    }

    fn check_duplicate_operation_ids(&mut self, found: &[Found<'a>]) {
        let mut first: BTreeMap<&str, &str> = BTreeMap::new();
        for found in found {
            let Some(id) = found.operation.operation_id.as_deref() else {
                continue;
            };
            match first.get(id) {
                Some(earlier) => {
                    let message = format!("duplicate operationId `{id}`, first used at {earlier}");
                    self.error(&format!("{}/operationId", found.at), message);
                }
                None => {
                    first.insert(id, &found.at);
                }
            }
        }
    }

    fn lower_operation(
        &mut self,
        found: &Found<'a>,
        method_names: &mut NameSet,
        builder_names: &mut NameSet,
    ) -> ir::Operation {
        let at = found.at.as_str();
        let operation = found.operation;
        let operation_id = match operation.operation_id.as_deref() {
            Some(id) => id.to_owned(),
            None => {
                let derived = names::value_name(&format!("{} {}", found.method, found.path));
                self.warning(
                    at,
                    format!("missing operationId; the operation is named `{derived}`"),
                );
                derived
            }
        };
        let (name, builder) = self.operation_names(&operation_id, at, method_names, builder_names);
        let params = self.parameters(found, &builder);
        let segments = self.path_segments(found, &params);
        let body = self.request_body(operation, at, &builder);
        let (response, errors, response_headers) = self.responses(operation, at, &builder);
        let pagination = self.pagination(found, &params, &response);
        let deprecated = operation.deprecated.then(|| {
            operation
                .extensions
                .get("x-deprecation-note")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(DEFAULT_DEPRECATION_NOTE)
                .to_owned()
        });
        let mut docs = operation
            .summary
            .as_deref()
            .map(docs::description)
            .unwrap_or_default();
        if let Some(description) = &operation.description {
            docs::push_paragraph(&mut docs, docs::description(description));
        }
        docs::push_paragraph(
            &mut docs,
            vec![format!(
                "`{} {}`",
                found.method.to_ascii_uppercase(),
                found.path
            )],
        );
        ir::Operation {
            name,
            builder,
            operation_id,
            method: found.method.to_ascii_uppercase(),
            path: found.path.to_owned(),
            segments,
            params,
            body,
            response,
            errors,
            docs,
            deprecated,
            response_headers,
            group: None,
            content_type_without_body: self.content_type_without_body(operation, at),
            pagination,
        }
    }

    /// `x-request-content-type`: the media type an operation sends as `Content-Type` when it has
    /// no body (the official Huawei Cloud SDKs send one on every request).
    fn content_type_without_body(&mut self, operation: &Operation, at: &str) -> Option<String> {
        let value = operation.extensions.get("x-request-content-type")?;
        let at = format!("{at}/x-request-content-type");
        let media_type = value.as_str().filter(|text| {
            let (kind, subtype) = text.split_once('/').unwrap_or_default();
            !kind.is_empty()
                && !subtype.is_empty()
                && text.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        });
        if media_type.is_none() {
            self.error(&at, "expected a media type such as `application/json`");
        }
        media_type.map(str::to_owned)
    }

    /// The method name and builder type name, both unique.
    fn operation_names(
        &mut self,
        operation_id: &str,
        at: &str,
        method_names: &mut NameSet,
        builder_names: &mut NameSet,
    ) -> (String, String) {
        let wanted = names::value_name(operation_id);
        let mut suffix = 1_usize;
        loop {
            let name = if suffix == 1 {
                wanted.clone()
            } else {
                format!("{wanted}_{suffix}")
            };
            let builder = names::type_name(&name);
            if !method_names.contains(&name) && !builder_names.contains(&builder) {
                method_names.reserve(&name);
                builder_names.reserve(&builder);
                if suffix > 1 {
                    self.warning(
                        at,
                        format!("the method name `{wanted}` is already taken; this operation is named `{name}`"),
                    );
                }
                return (name, builder);
            }
            suffix += 1;
        }
    }

    /// Whether a type's values have `Display` (scalars and enums, through aliases).
    fn has_display(&self, ty: &Type) -> bool {
        match self.resolve_aliases(ty) {
            Type::String | Type::Bool | Type::Integer(_) | Type::Float(_) => true,
            Type::Named(model) => matches!(
                self.models.get(model).map(|m| &m.kind),
                Some(ModelKind::StringEnum(_) | ModelKind::IntegerEnum(_))
            ),
            _ => false,
        }
    }

    /// The type an alias chain (`$ref` to a component that is itself another type) ends at.
    /// Bounded: alias cycles are reported elsewhere and must not hang this loop; a chain that
    /// long ends at the alias where the bound stopped it.
    fn resolve_aliases<'t>(&'t self, ty: &'t Type) -> &'t Type {
        let mut current = ty;
        for _ in 0..MAX_ALIAS_DEPTH {
            let Type::Named(model) = current else { break };
            match self.models.get(model).map(|m| &m.kind) {
                Some(ModelKind::Alias(target)) => current = target,
                _ => break,
            }
        }
        current
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
    Unsupported,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else if essence == "application/octet-stream" || essence.starts_with("image/") {
        MediaKind::Bytes
    } else {
        MediaKind::Unsupported
    }
}

/// The media type to generate for: JSON first, then text, bytes, anything; ties in spec order.
fn pick_media_type(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let rank = |media_type: &str| match media_kind(media_type) {
        MediaKind::Json => 0,
        MediaKind::Form => 1,
        MediaKind::Multipart => 2,
        MediaKind::Bytes => 3,
        MediaKind::Text => 4,
        MediaKind::Unsupported => 5,
    };
    content
        .iter()
        .min_by_key(|(media_type, _)| rank(media_type))
        .map(|(media_type, content)| (media_type.as_str(), content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_kinds() {
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("application/merge-patch+json"), MediaKind::Json);
        assert_eq!(media_kind("text/plain"), MediaKind::Text);
        assert_eq!(media_kind("application/octet-stream"), MediaKind::Bytes);
        assert_eq!(media_kind("multipart/form-data"), MediaKind::Multipart);
        assert_eq!(
            media_kind("application/x-www-form-urlencoded; charset=utf-8"),
            MediaKind::Form
        );
        assert_eq!(media_kind("application/xml"), MediaKind::Unsupported);
    }
}
