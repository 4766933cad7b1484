//! Paths and operations to IR operations: names, merged parameters, path templates, bodies and
//! the success response.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Operation, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr,
    StatusCode,
};

use super::Lowerer;
use super::docs;
use super::schema::{SchemaRef, facts, schema_docs};
use crate::diagnostics::pointer;
use crate::ir::{
    self, Body, BodyEncoding, Location, ModelKind, MultipartField, Param, PartKind, Response,
    Segment, StatusResponses, StatusVariant, Type,
};
use crate::names::{self, NameSet};

/// Builder members that a parameter must not shadow.
const BUILDER_MEMBERS: &[&str] = &["body", "client", "send"];

/// How many aliases a parameter type may go through to reach a scalar.
const MAX_ALIAS_DEPTH: usize = 32;

/// The default deprecation note when the spec gives none in `x-deprecation-note`.
const DEFAULT_DEPRECATION_NOTE: &str = "this operation is deprecated by the API";

/// The default deprecation note of a parameter's setter.
const DEFAULT_PARAMETER_DEPRECATION_NOTE: &str = "this parameter is deprecated by the API";

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
        for found in &found {
            let operation = self.lower_operation(found, &mut method_names, &mut builder_names);
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
        }
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

    /// Path-level parameters, overridden by operation-level ones with the same name and location.
    fn parameters(&mut self, found: &Found<'a>, builder: &str) -> Vec<Param> {
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
    fn path_segments(&mut self, found: &Found<'a>, params: &[Param]) -> Vec<Segment> {
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

    fn request_body(&mut self, operation: &'a Operation, at: &str, builder: &str) -> Option<Body> {
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
        Some(Body {
            ty,
            required: body.required,
            encoding,
            docs: body
                .description
                .as_deref()
                .map(docs::description)
                .unwrap_or_default(),
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

    /// The success response and the error bodies; every response and its headers are resolved
    /// so that broken references are reported even where no code is generated for them.
    fn responses(
        &mut self,
        operation: &'a Operation,
        at: &str,
        builder: &str,
    ) -> (
        Response,
        Option<StatusResponses>,
        Option<ir::ResponseHeaders>,
    ) {
        let responses_at = format!("{at}/responses");
        let mut all: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| (status_text(status), response))
            .collect();
        if let Some(default) = &operation.responses.default {
            all.push(("default".to_owned(), default));
        }
        // Match arms go from the most to the least specific status; spec order breaks ties.
        all.sort_by_key(|(status, _)| status_rank(status));
        let success_count = all.iter().filter(|(status, _)| is_success(status)).count();
        let mut successes: Vec<StatusVariant> = Vec::new();
        let mut errors: Vec<StatusVariant> = Vec::new();
        let mut header_names = NameSet::default();
        let mut headers = Vec::new();
        for (status, response) in all {
            let response_at = pointer(&responses_at, &status);
            let Some((response, _)) =
                self.resolve(response, &response_at, "responses", |c| &c.responses)
            else {
                continue;
            };
            let success = is_success(&status);
            for (name, header) in &response.headers {
                let header_at = pointer(&format!("{response_at}/headers"), name);
                let resolved = self.resolve(header, &header_at, "headers", |c| &c.headers);
                if let (true, Some((header, _))) = (success, resolved) {
                    self.response_header(name, header, &header_at, &mut header_names, &mut headers);
                }
            }
            let (hint, list) = if success {
                let hint = if success_count > 1 {
                    format!("{builder}Response{status}")
                } else {
                    format!("{builder}Response")
                };
                (hint, &mut successes)
            } else if is_error(&status) {
                (
                    format!("{builder}Error{}", names::pascal(&status)),
                    &mut errors,
                )
            } else {
                continue;
            };
            let body = self.success_body(response, &response_at, &hint);
            let mut docs = docs::description(&response.description);
            if docs.iter().all(String::is_empty) {
                docs.clear();
            }
            docs.insert(0, format!("`{status}`"));
            if docs.len() > 1 {
                docs.insert(1, String::new());
            }
            list.push(StatusVariant {
                variant: status_variant(&status),
                status,
                body,
                docs,
            });
        }
        let mut distinct: Vec<&Response> = Vec::new();
        for variant in &successes {
            if !distinct.contains(&&variant.body) {
                distinct.push(&variant.body);
            }
        }
        let response = match distinct.as_slice() {
            [] => Response::Empty,
            // Statuses with one body decode alike; the status stays readable on `ApiResponse`.
            [one] => (*one).clone(),
            _ => Response::ByStatus(StatusResponses {
                name: format!("{builder}Response"),
                variants: successes,
            }),
        };
        let errors = errors
            .iter()
            .any(|variant| variant.body != Response::Empty)
            .then(|| StatusResponses {
                name: format!("{builder}ErrorBody"),
                variants: errors,
            });
        let headers = (!headers.is_empty()).then(|| ir::ResponseHeaders {
            name: format!("{builder}ResponseHeaders"),
            headers,
        });
        (response, errors, headers)
    }

    /// One header of a success response, for the per-operation headers struct; a header whose
    /// name (case-insensitively) is already there is left out: the first declaration, in status
    /// order, wins. Headers that are not scalars are read as their text.
    fn response_header(
        &mut self,
        wire_name: &str,
        header: &'a openapiv3::Header,
        header_at: &str,
        field_names: &mut NameSet,
        headers: &mut Vec<ir::ResponseHeader>,
    ) {
        if headers
            .iter()
            .any(|known| known.wire_name.eq_ignore_ascii_case(wire_name))
        {
            return;
        }
        let (ty, schema) = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.header_type(SchemaRef::of(schema), &format!("{header_at}/schema"))
            }
            ParameterSchemaOrContent::Content(_) => (None, None),
        };
        let ty = ty.unwrap_or_else(|| {
            self.warning(
                header_at,
                format!("response header `{wire_name}` is not a string, integer, number or boolean; it is read as text"),
            );
            Type::String
        });
        let mut docs = header
            .description
            .as_deref()
            .map(docs::description)
            .unwrap_or_default();
        if let Some(schema) = schema {
            docs::push_paragraph(&mut docs, facts(schema));
        }
        let mut wire_line = format!("The `{wire_name}` header");
        if header.required {
            wire_line.push_str(", which the spec marks as always sent");
        }
        wire_line.push('.');
        docs::push_paragraph(&mut docs, vec![wire_line]);
        if header.deprecated == Some(true) {
            docs::push_paragraph(&mut docs, vec!["Deprecated.".to_owned()]);
        }
        let wanted = names::value_name(wire_name);
        let (name, renamed) = field_names.claim(&wanted, "_");
        if renamed {
            self.warning(
                header_at,
                format!("response header `{wire_name}` maps to the taken field name `{wanted}`; it is named `{name}`"),
            );
        }
        headers.push(ir::ResponseHeader {
            name,
            wire_name: wire_name.to_owned(),
            ty,
            docs,
        });
    }

    fn success_body(
        &mut self,
        response: &'a openapiv3::Response,
        at: &str,
        hint: &str,
    ) -> Response {
        let Some((media_type, content)) = pick_media_type(&response.content) else {
            return Response::Empty;
        };
        match media_kind(media_type) {
            MediaKind::Json => match &content.schema {
                Some(schema) => {
                    let schema_at =
                        format!("{}/schema", pointer(&format!("{at}/content"), media_type));
                    Response::Json(self.type_of(SchemaRef::of(schema), &schema_at, hint))
                }
                None => Response::Json(Type::Json),
            },
            MediaKind::Text => Response::Text,
            MediaKind::Form | MediaKind::Multipart | MediaKind::Bytes | MediaKind::Unsupported => {
                Response::Bytes
            }
        }
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

fn status_text(status: &StatusCode) -> String {
    status.to_string()
}

/// `2XX` or a code from 200 to 299.
fn is_success(status: &str) -> bool {
    status.starts_with('2') && status.len() == 3
}

/// `4XX`, `5XX`, a code from 400 to 599, or `default` (which the client sees only as an error,
/// since an undeclared success status is reported as one).
fn is_error(status: &str) -> bool {
    status == "default"
        || (status.len() == 3 && (status.starts_with('4') || status.starts_with('5')))
}

/// Exact codes first, then ranges (`2XX`), then `default`.
fn status_rank(status: &str) -> u8 {
    if status == "default" {
        2
    } else if status.ends_with("XX") {
        1
    } else {
        0
    }
}

/// `Status200`, `Status4xx`, `Default`.
fn status_variant(status: &str) -> String {
    if status == "default" {
        "Default".to_owned()
    } else {
        format!("Status{}", status.to_ascii_lowercase())
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

    #[test]
    fn success_statuses() {
        assert!(is_success("200"));
        assert!(is_success("2XX"));
        assert!(!is_success("default"));
        assert!(!is_success("4XX"));
    }
}
