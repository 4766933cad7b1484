//! An operation's parameters: path-level and operation-level ones merged, each lowered with its
//! location, encoding, limits and `x-client-default`, and the path template checked against them.

use super::super::schema::{SchemaRef, facts, schema_docs};
use super::super::{Lowerer, docs};
use super::Found;
use crate::diagnostics::pointer;
use crate::ir::{self, Location, ModelKind, Param, Segment, Type};
use crate::names::{self, NameSet};
use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle};

/// Builder members that a parameter must not shadow.
const BUILDER_MEMBERS: &[&str] = &[
    "body",
    "client",
    "into_pages",
    "into_stream",
    "operation_request",
    "send",
];

/// The default deprecation note of a parameter's setter.
const DEFAULT_PARAMETER_DEPRECATION_NOTE: &str = "this parameter is deprecated by the API";

impl<'a> Lowerer<'a> {
    /// Path-level parameters, overridden by operation-level ones with the same name and location.
    pub(super) fn parameters(&mut self, found: &Found<'a>, builder: &str) -> Vec<Param> {
        let path_at = pointer("#/paths", found.path);
        let mut merged: Vec<(&'a Parameter, String)> = Vec::new();
        let levels = [
            (&found.item.parameters, format!("{path_at}/parameters")),
            (
                &found.operation.parameters,
                format!("{}/parameters", found.at),
            ),
        ];
        for (list, list_at) in levels {
            for (index, parameter) in list.iter().enumerate() {
                let at = format!("{list_at}/{index}");
                let Some((parameter, _)) =
                    self.resolve(parameter, &at, "parameters", |c| &c.parameters)
                else {
                    continue;
                };
                let key = parameter_key(parameter);
                match merged.iter_mut().find(|(p, _)| parameter_key(p) == key) {
                    Some(slot) => *slot = (parameter, at),
                    None => merged.push((parameter, at)),
                }
            }
        }
        let mut param_names = NameSet::default();
        for member in BUILDER_MEMBERS {
            param_names.reserve(member);
        }
        merged
            .into_iter()
            .filter_map(|(parameter, at)| self.parameter(parameter, &at, builder, &mut param_names))
            .collect()
    }

    fn parameter(
        &mut self,
        parameter: &'a Parameter,
        at: &str,
        builder: &str,
        param_names: &mut NameSet,
    ) -> Option<Param> {
        let data = parameter.parameter_data_ref();
        let mut deep_object = false;
        let (location, separator) = match parameter {
            Parameter::Path { .. } => (Location::Path, Some(",".to_owned())),
            Parameter::Header { .. } => (Location::Header, Some(",".to_owned())),
            Parameter::Query { style, .. } => {
                let explode = data.explode.unwrap_or(matches!(style, QueryStyle::Form));
                let separator = match style {
                    QueryStyle::Form if explode => None,
                    QueryStyle::Form => Some(","),
                    QueryStyle::SpaceDelimited => Some(" "),
                    QueryStyle::PipeDelimited => Some("|"),
                    QueryStyle::DeepObject => {
                        deep_object = true;
                        None
                    }
                };
                (Location::Query, separator.map(str::to_owned))
            }
            // The `form` style, not exploded (the only one OpenAPI defines for cookies): a list
            // is one cookie of comma-joined values.
            Parameter::Cookie { .. } => (Location::Cookie, Some(",".to_owned())),
        };
        let hint = format!("{builder}{}", names::pascal(&data.name));
        let (ty, schema) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let schema_at = format!("{at}/schema");
                let ty = self.type_of(SchemaRef::of(schema), &schema_at, &hint);
                let resolved = self.resolve_schema(SchemaRef::of(schema), &schema_at);
                (ty, resolved.map(|(schema, _)| schema))
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warning(
                    at,
                    format!("parameter `{}` uses `content`, which is not supported; it is sent as a string", data.name),
                );
                (Type::String, None)
            }
        };
        // A deepObject parameter is sent through its JSON value, member by member.
        let as_json = !deep_object && self.parameter_as_json(&ty, location, at, &data.name);
        let required = data.required || location == Location::Path;
        if location == Location::Path && !data.required {
            self.warning(
                at,
                format!(
                    "path parameter `{}` must be required; it is treated as required",
                    data.name
                ),
            );
        }
        let client_default = self.client_default(data, at, location, &ty);
        let (min_length, max_length) = match (schema.map(|s| &s.schema_kind), &ty) {
            (Some(openapiv3::SchemaKind::Type(openapiv3::Type::String(string))), Type::String) => {
                (string.min_length, string.max_length)
            }
            _ => (None, None),
        };
        let mut docs = data
            .description
            .as_deref()
            .map(docs::description)
            .unwrap_or_default();
        if let Some(schema) = schema {
            docs::push_paragraph(&mut docs, facts(schema));
            if docs.is_empty() {
                docs = schema_docs(schema);
            }
        }
        if data.deprecated == Some(true) {
            docs::push_paragraph(&mut docs, vec!["Deprecated.".to_owned()]);
        }
        if let Some(default) = &client_default {
            docs::push_paragraph(
                &mut docs,
                vec![format!(
                    "Defaults to the client's `{}` setting.",
                    default.setting
                )],
            );
        }
        let sensitive = ty == Type::String
            && client_default.is_none()
            && matches!(
                schema.map(|s| &s.schema_kind),
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::String(string)))
                    if string.format == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password)
            );
        let (name, _) = param_names.claim(&names::value_name(&data.name), "_");
        Some(Param {
            name,
            wire_name: data.name.clone(),
            location,
            required,
            client_default,
            ty,
            as_json,
            list_separator: separator,
            deep_object,
            min_length,
            max_length,
            sensitive,
            docs,
            deprecated: (data.deprecated == Some(true)).then(|| {
                data.extensions
                    .get("x-deprecation-note")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(DEFAULT_PARAMETER_DEPRECATION_NOTE)
                    .to_owned()
            }),
        })
    }

    /// Whether a parameter's value (each item, for a list in query or header) has `Display`;
    /// anything else is sent as the text of its JSON value, which is exact for unions of strings
    /// and a guess for objects (so those get a warning).
    /// The client setting `x-client-default` names: `true` names the setting of the
    /// parameter's own name, a string names one. Only settings the runtime can fill
    /// (`CLIENT_DEFAULT_SETTINGS`) and string path parameters are accepted; anything else would
    /// compile and then fail on every call, so it is an error.
    fn client_default(
        &mut self,
        data: &openapiv3::ParameterData,
        at: &str,
        location: Location,
        ty: &Type,
    ) -> Option<ir::ClientDefault> {
        let value = data.extensions.get("x-client-default")?;
        let at = format!("{at}/x-client-default");
        let setting = match value {
            serde_json::Value::Bool(false) => return None,
            serde_json::Value::Bool(true) => data.name.as_str(),
            serde_json::Value::String(setting) => setting.as_str(),
            _ => {
                self.error(
                    &at,
                    "`x-client-default` must be `true` or the name of a client setting",
                );
                return None;
            }
        };
        let known = names::CLIENT_DEFAULT_SETTINGS
            .iter()
            .map(|(setting, _)| format!("`{setting}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let Some((setting, variant)) = names::CLIENT_DEFAULT_SETTINGS
            .iter()
            .find(|(known, _)| *known == setting)
        else {
            self.error(
                &at,
                format!(
                    "the client has no setting `{setting}` to fill parameter `{}` with; \
                     it can fill: {known}",
                    data.name
                ),
            );
            return None;
        };
        if location != Location::Path || *ty != Type::String {
            self.error(
                &at,
                format!(
                    "`x-client-default` applies only to string path parameters, and `{}` is not one",
                    data.name
                ),
            );
            return None;
        }
        Some(ir::ClientDefault {
            setting: (*setting).to_owned(),
            variant: (*variant).to_owned(),
        })
    }

    fn parameter_as_json(&mut self, ty: &Type, location: Location, at: &str, name: &str) -> bool {
        let item = match ty {
            Type::List(item) if location != Location::Path => item.as_ref(),
            other => other,
        };
        // Through aliases (`$ref` to a component string schema): scalars and enums go as text,
        // unions as JSON without a warning, anything else as JSON with one.
        let known = match self.resolve_aliases(item) {
            Type::String | Type::Bool | Type::Integer(_) | Type::Float(_) => Some(false),
            Type::Named(model) => match self.models.get(model).map(|m| &m.kind) {
                Some(ModelKind::StringEnum(_) | ModelKind::IntegerEnum(_)) => Some(false),
                Some(ModelKind::Union(_)) => Some(true),
                _ => None,
            },
            _ => None,
        };
        if let Some(as_json) = known {
            return as_json;
        }
        self.warning(
            at,
            format!("parameter `{name}` is not a scalar; it is sent as JSON text"),
        );
        true
    }

    /// Splits the path template into literals and parameters, checking both directions.
    pub(super) fn path_segments(&mut self, found: &Found<'a>, params: &[Param]) -> Vec<Segment> {
        let at = found.at.as_str();
        let mut segments = Vec::new();
        let mut rest = found.path;
        let mut used = Vec::new();
        while let Some(open) = rest.find('{') {
            let (literal, after) = rest.split_at(open);
            let Some(close) = after.find('}') else {
                self.error(
                    at,
                    format!("unclosed `{{` in path template `{}`", found.path),
                );
                return segments;
            };
            let variable = after.get(1..close).unwrap_or_default();
            rest = after.get(close + 1..).unwrap_or_default();
            if !literal.is_empty() {
                segments.push(Segment::Literal(literal.to_owned()));
            }
            match params
                .iter()
                .find(|p| p.location == Location::Path && p.wire_name == variable)
            {
                Some(param) => {
                    used.push(variable);
                    segments.push(Segment::Param(param.name.clone()));
                }
                None => self.error(
                    at,
                    format!("path template variable `{{{variable}}}` has no path parameter"),
                ),
            }
        }
        if rest.contains('}') {
            self.error(
                at,
                format!("unmatched `}}` in path template `{}`", found.path),
            );
        }
        if !rest.is_empty() {
            segments.push(Segment::Literal(rest.to_owned()));
        }
        for param in params.iter().filter(|p| p.location == Location::Path) {
            if !used.contains(&param.wire_name.as_str()) {
                self.error(
                    at,
                    format!(
                        "path parameter `{}` does not appear in the path template",
                        param.wire_name
                    ),
                );
            }
        }
        segments
    }
}

fn parameter_key(parameter: &Parameter) -> (u8, &str) {
    let location = match parameter {
        Parameter::Path { .. } => 0,
        Parameter::Query { .. } => 1,
        Parameter::Header { .. } => 2,
        Parameter::Cookie { .. } => 3,
    };
    (location, parameter.parameter_data_ref().name.as_str())
}
