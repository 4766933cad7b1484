//! Feature groups: with `x-feature-groups: tags` at the root of the spec, each operation belongs to
//! the cargo feature named by its first tag, and each model to the features of the operations that
//! reach it, so a crate depending on the client compiles only the groups it enables.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Lowerer;
use crate::diagnostics::pointer;
use crate::ir::{Api, ModelKind, Response, Type};
use crate::names;

/// The extension's key at the root of the spec.
const EXTENSION: &str = "x-feature-groups";

/// Feature names the generated crate defines itself.
const RESERVED_FEATURES: &[&str] = &["default", "full", "test-util"];

impl Lowerer<'_> {
    /// Whether the spec asks for feature groups (`x-feature-groups: tags`); anything else under
    /// the key is a located error.
    pub(super) fn feature_groups_enabled(&mut self) -> bool {
        match self.spec.extensions.get(EXTENSION) {
            None => false,
            Some(Value::String(mode)) if mode == "tags" => true,
            Some(_) => {
                self.error(
                    &pointer("#", EXTENSION),
                    "expected `tags` (one cargo feature per operation tag)",
                );
                false
            }
        }
    }

    /// The group of an operation: its first tag, checked to be a usable cargo feature name.
    pub(super) fn operation_group(&mut self, tags: &[String], at: &str) -> Option<String> {
        let Some(tag) = tags.first() else {
            self.error(
                at,
                format!("with `{EXTENSION}: tags` every operation needs a tag (its cargo feature)"),
            );
            return None;
        };
        let at = format!("{at}/tags/0");
        let valid = tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && tag
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            self.error(
                &at,
                format!(
                    "tag `{tag}` cannot name a cargo feature: use lower-case letters, digits, `-` and `_`"
                ),
            );
            return None;
        }
        if RESERVED_FEATURES.contains(&tag.as_str()) {
            self.error(
                &at,
                format!("tag `{tag}` is a feature the generated crate defines itself"),
            );
            return None;
        }
        let module = names::value_name(tag);
        match self.group_modules.get(&module) {
            Some(other) if other != tag => {
                let message =
                    format!("tags `{other}` and `{tag}` would share the module name `{module}`");
                self.error(&at, message);
                return None;
            }
            Some(_) => {}
            None => {
                self.group_modules.insert(module, tag.clone());
            }
        }
        Some(tag.clone())
    }
}

/// Sets each model's features: the groups of the operations that reach it, or none (always
/// compiled) when an operation without a group reaches it, every group does, or nothing does.
pub(super) fn assign_model_groups(api: &mut Api) {
    if api.groups.is_empty() {
        return;
    }
    let mut reached: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for operation in api.operations.values() {
        let mut roots = Vec::new();
        for param in &operation.params {
            roots.push(&param.ty);
        }
        if let Some(body) = &operation.body {
            roots.push(&body.ty);
        }
        response_types(&operation.response, &mut roots);
        if let Some(errors) = &operation.errors {
            for variant in &errors.variants {
                response_types(&variant.body, &mut roots);
            }
        }
        let mut seen = BTreeSet::new();
        let mut pending: Vec<String> = Vec::new();
        for ty in roots {
            named_types(ty, &mut pending);
        }
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(model) = api.models.get(&name) {
                model_references(&model.kind, &mut pending);
            }
        }
        for name in seen {
            reached
                .entry(name)
                .or_default()
                .insert(operation.group.clone());
        }
    }
    let all: BTreeSet<Option<String>> = api.groups.keys().cloned().map(Some).collect();
    for (name, model) in &mut api.models {
        model.groups = match reached.get(name) {
            Some(groups) if !groups.contains(&None) && *groups != all => {
                Some(groups.iter().flatten().cloned().collect())
            }
            _ => None,
        };
    }
}

pub(super) fn response_types<'a>(response: &'a Response, out: &mut Vec<&'a Type>) {
    match response {
        Response::Json(ty) => out.push(ty),
        Response::ByStatus(responses) => {
            for variant in &responses.variants {
                response_types(&variant.body, out);
            }
        }
        Response::Empty | Response::Text | Response::Bytes => {}
    }
}

pub(super) fn named_types(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Named(name) => out.push(name.clone()),
        Type::List(inner) | Type::Map(inner) => named_types(inner, out),
        Type::String
        | Type::Bool
        | Type::Integer(_)
        | Type::Float(_)
        | Type::Json
        | Type::Bytes
        | Type::Stream => {}
    }
}

pub(super) fn model_references(kind: &ModelKind, out: &mut Vec<String>) {
    match kind {
        ModelKind::Struct(object) => {
            for field in &object.fields {
                named_types(&field.ty, out);
            }
            if let Some(additional) = &object.additional {
                named_types(additional, out);
            }
        }
        ModelKind::Union(union) => {
            for variant in &union.variants {
                named_types(&variant.ty, out);
            }
        }
        ModelKind::Alias(ty) => named_types(ty, out),
        ModelKind::StringEnum(_) | ModelKind::IntegerEnum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{self, Group, Model, Operation};

    fn model(name: &str, fields: &[&str]) -> Model {
        Model {
            name: name.to_owned(),
            source: String::new(),
            docs: Vec::new(),
            kind: ModelKind::Struct(ir::Struct {
                fields: fields
                    .iter()
                    .map(|field| ir::Field {
                        name: field.to_lowercase(),
                        wire_name: field.to_lowercase(),
                        ty: Type::List(Box::new(Type::Named((*field).to_owned()))),
                        presence: ir::Presence::Optional,
                        boxed: false,
                        docs: Vec::new(),
                        deprecated: false,
                        sensitive: false,
                    })
                    .collect(),
                additional: None,
            }),
            groups: None,
        }
    }

    fn operation(name: &str, group: Option<&str>, response: &str) -> Operation {
        Operation {
            name: name.to_owned(),
            builder: name.to_owned(),
            operation_id: name.to_owned(),
            method: "GET".to_owned(),
            path: "/".to_owned(),
            segments: Vec::new(),
            params: Vec::new(),
            body: None,
            response: Response::Json(Type::Named(response.to_owned())),
            errors: None,
            docs: Vec::new(),
            deprecated: None,
            response_headers: None,
            group: group.map(str::to_owned),
            content_type_without_body: None,
            pagination: None,
        }
    }

    fn api(operations: Vec<Operation>, models: Vec<Model>) -> Api {
        let mut api = Api {
            models: models.into_iter().map(|m| (m.name.clone(), m)).collect(),
            operations: operations
                .into_iter()
                .map(|o| (o.name.clone(), o))
                .collect(),
            ..Api::default()
        };
        for operation in api.operations.values() {
            if let Some(group) = &operation.group {
                let module = group.replace('-', "_");
                api.groups.insert(group.clone(), Group { module });
            }
        }
        assign_model_groups(&mut api);
        api
    }

    fn groups_of<'a>(api: &'a Api, model: &str) -> Option<Vec<&'a str>> {
        api.models[model]
            .groups
            .as_ref()
            .map(|groups| groups.iter().map(String::as_str).collect())
    }

    #[test]
    fn models_follow_the_operations_that_reach_them_through_fields() {
        let api = api(
            vec![
                operation("a", Some("image"), "AResponse"),
                operation("b", Some("host"), "BResponse"),
                operation("c", Some("vul"), "CResponse"),
            ],
            vec![
                model("AResponse", &["Shared", "OnlyA"]),
                model("BResponse", &["Shared"]),
                model("CResponse", &[]),
                model("Shared", &["Deep"]),
                model("Deep", &[]),
                model("OnlyA", &[]),
                model("Unused", &[]),
            ],
        );
        assert_eq!(groups_of(&api, "AResponse"), Some(vec!["image"]));
        assert_eq!(groups_of(&api, "OnlyA"), Some(vec!["image"]));
        assert_eq!(groups_of(&api, "Shared"), Some(vec!["host", "image"]));
        assert_eq!(groups_of(&api, "Deep"), Some(vec!["host", "image"]));
        assert_eq!(groups_of(&api, "Unused"), None);
        assert_eq!(api.groups["image"].module, "image");
    }

    #[test]
    fn a_model_every_group_or_an_ungrouped_operation_reaches_is_always_compiled() {
        let api = api(
            vec![
                operation("a", Some("image"), "Common"),
                operation("b", Some("host"), "Common"),
                operation("c", Some("host"), "Mixed"),
                operation("d", None, "Mixed"),
            ],
            vec![model("Common", &[]), model("Mixed", &[])],
        );
        assert_eq!(groups_of(&api, "Common"), None);
        assert_eq!(groups_of(&api, "Mixed"), None);
    }
}
