//! OpenAPI 3.1 brought into the 3.0 shape `openapiv3` parses, on the plain value, in place.
//!
//! Every schema keeps its place, so diagnostics point into the original document. What 3.1
//! writes differently becomes its 3.0 spelling (`type: [string, "null"]` → `nullable`, `const` →
//! a one-value `enum`, numeric `exclusiveMinimum` → `minimum` with the flag, `examples` →
//! `example`, `contentMediaType`/`contentEncoding` → `format: binary`/`byte`, `anyOf` with a
//! `null` member → `nullable`). What no Rust type says (`if`/`then`/`else`, `dependentSchemas`,
//! `unevaluatedProperties`, `$dynamicRef`, tuples) is dropped with a located warning saying what
//! was lost. `webhooks` generate nothing (one note); a non-default `jsonSchemaDialect` is an error.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, pointer};

/// The dialect every 3.1 document has unless it says otherwise.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Keywords that only annotate: beside a `$ref` they change nothing the generator reads.
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "$comment",
    "externalDocs",
];

/// Keywords of no type the generator can express, dropped with a warning saying what was lost.
const DROPPED: &[(&str, &str)] = &[
    (
        "if",
        "the conditional schema (`if`/`then`/`else`) is not checked",
    ),
    (
        "then",
        "the conditional schema (`if`/`then`/`else`) is not checked",
    ),
    (
        "else",
        "the conditional schema (`if`/`then`/`else`) is not checked",
    ),
    ("dependentSchemas", "`dependentSchemas` is not checked"),
    ("dependentRequired", "`dependentRequired` is not checked"),
    (
        "unevaluatedProperties",
        "`unevaluatedProperties` is not checked: unknown properties are accepted",
    ),
    ("unevaluatedItems", "`unevaluatedItems` is not checked"),
    ("contains", "`contains` is not checked"),
    (
        "propertyNames",
        "`propertyNames` is not checked: keys are plain strings",
    ),
];

/// Keywords without meaning for the generated code, dropped silently.
const IGNORED: &[&str] = &[
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$defs",
    "definitions",
    "$vocabulary",
    "minContains",
    "maxContains",
    "contentSchema",
];

/// Whether the document is OpenAPI 3.1 (its `openapi` is `3.1` or `3.1.x`).
pub(crate) fn is_v31(version: &str) -> bool {
    version == "3.1" || version.starts_with("3.1.")
}

/// Converts the 3.1 `document` into its 3.0 shape; returns the warnings and errors.
pub(crate) fn convert(document: &mut Mapping) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    document.insert(Value::from("openapi"), Value::from("3.0.3"));
    if let Some(dialect) = document.remove("jsonSchemaDialect")
        && dialect.as_str() != Some(DEFAULT_DIALECT)
    {
        diagnostics.push(Diagnostic::error(
            "#/jsonSchemaDialect",
            format!(
                "the json schema dialect {} is not supported: only {DEFAULT_DIALECT} is",
                describe(&dialect)
            ),
        ));
    }
    if let Some(webhooks) = document.remove("webhooks") {
        let count = webhooks.as_mapping().map_or(0, Mapping::len);
        diagnostics.push(Diagnostic::warning(
            "#/webhooks",
            format!("webhooks generate nothing: {count} webhook(s) skipped"),
        ));
    }
    if let Some(Value::Mapping(info)) = document.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Mapping(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    if !document.contains_key("paths") {
        document.insert(Value::from("paths"), Value::Mapping(Mapping::new()));
    }
    let mut converter = Converter {
        diagnostics: &mut diagnostics,
    };
    if let Some(Value::Mapping(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = pointer("#/paths", path.as_str().unwrap_or_default());
            converter.path_item(item, &at);
        }
    }
    if let Some(Value::Mapping(components)) = document.get_mut("components") {
        // Path items referenced from `paths` were put in place by the bundler.
        components.remove("pathItems");
        let at = "#/components";
        for (section, kind) in [
            ("schemas", Part::Schema),
            ("responses", Part::Response),
            ("parameters", Part::Parameter),
            ("headers", Part::Parameter),
            ("requestBodies", Part::Body),
            ("callbacks", Part::Callback),
        ] {
            if let Some(Value::Mapping(entries)) = components.get_mut(section) {
                let at = pointer(at, section);
                for (name, entry) in entries.iter_mut() {
                    let at = pointer(&at, name.as_str().unwrap_or_default());
                    converter.part(entry, &at, kind);
                }
            }
        }
    }
    diagnostics
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Null => "null".to_owned(),
        _ => "of a non-scalar value".to_owned(),
    }
}

#[derive(Clone, Copy)]
enum Part {
    Schema,
    Response,
    Parameter,
    Body,
    Callback,
}

struct Converter<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Converter<'_> {
    fn warning(&mut self, at: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(at, message));
    }

    fn part(&mut self, value: &mut Value, at: &str, part: Part) {
        match part {
            Part::Schema => self.schema(value, at),
            Part::Response => self.response(value, at),
            Part::Parameter => self.parameter(value, at),
            Part::Body => self.body(value, at),
            Part::Callback => {
                if let Value::Mapping(callback) = value {
                    for (expression, item) in callback.iter_mut() {
                        let at = pointer(at, expression.as_str().unwrap_or_default());
                        self.path_item(item, &at);
                    }
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Value::Mapping(item) = item else { return };
        self.parameters(item, at);
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(Value::Mapping(operation)) = item.get_mut(method) else {
                continue;
            };
            let at = pointer(at, method);
            self.parameters(operation, &at);
            if let Some(body) = operation.get_mut("requestBody") {
                self.body(body, &pointer(&at, "requestBody"));
            }
            if let Some(Value::Mapping(responses)) = operation.get_mut("responses") {
                let at = pointer(&at, "responses");
                for (status, response) in responses.iter_mut() {
                    let status = match status {
                        Value::Number(number) => number.to_string(),
                        other => other.as_str().unwrap_or_default().to_owned(),
                    };
                    self.response(response, &pointer(&at, &status));
                }
            }
            if let Some(Value::Mapping(callbacks)) = operation.get_mut("callbacks") {
                let at = pointer(&at, "callbacks");
                for (name, callback) in callbacks.iter_mut() {
                    let at = pointer(&at, name.as_str().unwrap_or_default());
                    self.part(callback, &at, Part::Callback);
                }
            }
        }
    }

    fn parameters(&mut self, object: &mut Mapping, at: &str) {
        if let Some(Value::Sequence(parameters)) = object.get_mut("parameters") {
            let at = pointer(at, "parameters");
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{at}/{index}"));
            }
        }
    }

    fn parameter(&mut self, parameter: &mut Value, at: &str) {
        let Value::Mapping(parameter) = parameter else {
            return;
        };
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &pointer(at, "schema"));
        }
        self.content(parameter, at);
    }

    fn body(&mut self, body: &mut Value, at: &str) {
        if let Value::Mapping(body) = body {
            self.content(body, at);
        }
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        let Value::Mapping(response) = response else {
            return;
        };
        if response.contains_key("$ref") {
            return;
        }
        // 3.1 allows a response without a description; 3.0 requires one.
        if !response.contains_key("description") {
            response.insert(Value::from("description"), Value::from(""));
        }
        if let Some(Value::Mapping(headers)) = response.get_mut("headers") {
            let at = pointer(at, "headers");
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &pointer(&at, name.as_str().unwrap_or_default()));
            }
        }
        self.content(response, at);
    }

    fn content(&mut self, object: &mut Mapping, at: &str) {
        let Some(Value::Mapping(content)) = object.get_mut("content") else {
            return;
        };
        let at = pointer(at, "content");
        for (media_type, entry) in content.iter_mut() {
            let Value::Mapping(entry) = entry else {
                continue;
            };
            let at = pointer(&at, media_type.as_str().unwrap_or_default());
            if let Some(schema) = entry.get_mut("schema") {
                self.schema(schema, &pointer(&at, "schema"));
            }
            if let Some(Value::Mapping(encodings)) = entry.get_mut("encoding") {
                let at = pointer(&at, "encoding");
                for (name, encoding) in encodings.iter_mut() {
                    let at = pointer(&at, name.as_str().unwrap_or_default());
                    if let Value::Mapping(encoding) = encoding
                        && let Some(Value::Mapping(headers)) = encoding.get_mut("headers")
                    {
                        let at = pointer(&at, "headers");
                        for (name, header) in headers.iter_mut() {
                            self.parameter(
                                header,
                                &pointer(&at, name.as_str().unwrap_or_default()),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Converts one schema and everything nested in it.
    fn schema(&mut self, value: &mut Value, at: &str) {
        let object = match value {
            Value::Bool(true) => {
                *value = Value::Mapping(Mapping::new());
                return;
            }
            Value::Bool(false) => {
                let mut never = Mapping::new();
                never.insert(Value::from("not"), Value::Mapping(Mapping::new()));
                *value = Value::Mapping(never);
                return;
            }
            Value::Mapping(object) => object,
            _ => return,
        };
        if object.contains_key("$ref") {
            self.reference_siblings(object);
            if object.len() == 1 {
                return;
            }
        }
        for dynamic in ["$dynamicRef", "$recursiveRef"] {
            if object.contains_key(dynamic) {
                object.clear();
                self.warning(
                    at,
                    format!("`{dynamic}` is not supported; using serde_json::Value"),
                );
                return;
            }
        }
        self.nullable_members(object, at);
        self.types(object, at);
        self.keywords(object, at);
        for key in ["properties", "patternProperties"] {
            if let Some(Value::Mapping(properties)) = object.get_mut(key) {
                let at = pointer(at, key);
                for (name, property) in properties.iter_mut() {
                    self.schema(property, &pointer(&at, name.as_str().unwrap_or_default()));
                }
            }
        }
        self.pattern_properties(object, at);
        for key in ["items", "not"] {
            if let Some(child) = object.get_mut(key) {
                self.schema(child, &pointer(at, key));
            }
        }
        if let Some(additional @ Value::Mapping(_)) = object.get_mut("additionalProperties") {
            self.schema(additional, &pointer(at, "additionalProperties"));
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Sequence(parts)) = object.get_mut(key) {
                let at = pointer(at, key);
                for (index, part) in parts.iter_mut().enumerate() {
                    self.schema(part, &format!("{at}/{index}"));
                }
            }
        }
    }

    /// A `$ref` with other keywords: annotations are dropped (the referenced schema is the
    /// type); anything else makes it `allOf: [{$ref}]` beside those keywords.
    fn reference_siblings(&mut self, object: &mut Mapping) {
        // A plain `type` beside a `$ref` repeats what the referenced schema says.
        let constrains = object.iter().any(|(key, value)| {
            key.as_str().is_some_and(|key| {
                let plain_type = key == "type" && value.as_str().is_some_and(|typ| typ != "null");
                !(key == "$ref"
                    || ANNOTATIONS.contains(&key)
                    || key.starts_with("x-")
                    || plain_type)
            })
        });
        let Some(reference) = object.remove("$ref") else {
            return;
        };
        let mut only = Mapping::new();
        only.insert(Value::from("$ref"), reference);
        if constrains {
            object.insert(
                Value::from("allOf"),
                Value::Sequence(vec![Value::Mapping(only)]),
            );
        } else {
            *object = only;
        }
    }

    /// `anyOf`/`oneOf` with a `{type: "null"}` member (and `enum` with a `null` value): the
    /// member goes, and the schema is `nullable`.
    fn nullable_members(&mut self, object: &mut Mapping, _at: &str) {
        let mut nullable = false;
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Sequence(parts)) = object.get_mut(key) {
                let before = parts.len();
                parts.retain(|part| !is_null_schema(part));
                nullable |= parts.len() != before;
            }
        }
        if let Some(Value::Sequence(values)) = object.get_mut("enum") {
            let before = values.len();
            values.retain(|value| !value.is_null());
            nullable |= values.len() != before;
        }
        if nullable {
            object.insert(Value::from("nullable"), Value::Bool(true));
        }
    }

    /// `type` as a list or `"null"`: one non-null type (nullable when `null` is listed), or an
    /// untagged union of several.
    fn types(&mut self, object: &mut Mapping, at: &str) {
        let members = match object.get("type") {
            Some(Value::Sequence(members)) => members.clone(),
            Some(Value::String(single)) if single == "null" => vec![Value::from("null")],
            _ => return,
        };
        object.remove("type");
        let mut types: Vec<String> = Vec::new();
        let mut nullable = false;
        for (index, member) in members.iter().enumerate() {
            match member.as_str() {
                Some("null") => nullable = true,
                Some(name) if !types.iter().any(|known| known == name) => {
                    types.push(name.to_owned());
                }
                Some(_) => {}
                None => self.warning(
                    &format!("{}/{index}", pointer(at, "type")),
                    format!(
                        "a type must be a string, found {}; ignored",
                        describe(member)
                    ),
                ),
            }
        }
        if nullable {
            object.insert(Value::from("nullable"), Value::Bool(true));
        }
        match types.as_slice() {
            [] => {}
            [single] => {
                object.insert(Value::from("type"), Value::from(single.as_str()));
            }
            several => {
                if object.contains_key("oneOf") || object.contains_key("anyOf") {
                    self.warning(
                        &pointer(at, "type"),
                        "a list of types beside `oneOf`/`anyOf` is not checked",
                    );
                    return;
                }
                let parts = several
                    .iter()
                    .map(|name| {
                        let mut part = Mapping::new();
                        part.insert(Value::from("type"), Value::from(name.as_str()));
                        let carried: &[&str] = match name.as_str() {
                            "array" => &["items", "minItems", "maxItems", "uniqueItems"],
                            "object" => &["properties", "required", "additionalProperties"],
                            "string" => &["format", "pattern", "minLength", "maxLength"],
                            _ => &[],
                        };
                        for key in carried {
                            if let Some(value) = object.get(*key) {
                                part.insert(Value::from(*key), value.clone());
                            }
                        }
                        Value::Mapping(part)
                    })
                    .collect();
                for key in [
                    "items",
                    "minItems",
                    "maxItems",
                    "uniqueItems",
                    "properties",
                    "required",
                    "additionalProperties",
                    "format",
                    "pattern",
                    "minLength",
                    "maxLength",
                ] {
                    object.remove(key);
                }
                object.insert(Value::from("oneOf"), Value::Sequence(parts));
            }
        }
    }

    /// The keywords 3.1 spells differently, and those dropped with or without a warning.
    fn keywords(&mut self, object: &mut Mapping, at: &str) {
        if let Some(value) = object.remove("const") {
            if !object.contains_key("type") {
                let typ = match &value {
                    Value::String(_) => Some("string"),
                    Value::Bool(_) => Some("boolean"),
                    Value::Number(number) if number.is_i64() || number.is_u64() => Some("integer"),
                    Value::Number(_) => Some("number"),
                    _ => None,
                };
                if let Some(typ) = typ {
                    object.insert(Value::from("type"), Value::from(typ));
                }
            }
            if value.is_null() {
                object.insert(Value::from("nullable"), Value::Bool(true));
            } else {
                object.insert(Value::from("enum"), Value::Sequence(vec![value]));
            }
        }
        if let Some(examples) = object.remove("examples")
            && !object.contains_key("example")
            && let Value::Sequence(examples) = examples
            && let Some(first) = examples.into_iter().next()
        {
            object.insert(Value::from("example"), first);
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(limit @ Value::Number(_)) = object.get(exclusive).cloned() {
                object.insert(Value::from(bound), limit);
                object.insert(Value::from(exclusive), Value::Bool(true));
            }
        }
        let encoding = object.remove("contentEncoding");
        let media_type = object.remove("contentMediaType");
        let is_string = matches!(
            object.get("type").and_then(Value::as_str),
            Some("string") | None
        );
        if is_string && !object.contains_key("format") {
            let format = match (encoding.as_ref().and_then(Value::as_str), &media_type) {
                (Some("base64" | "base64url"), _) => Some("byte"),
                (None, Some(_)) => Some("binary"),
                _ => None,
            };
            if let Some(format) = format {
                object.insert(Value::from("type"), Value::from("string"));
                object.insert(Value::from("format"), Value::from(format));
            }
        }
        if object.remove("prefixItems").is_some() {
            self.warning(
                &pointer(at, "prefixItems"),
                "tuples are not supported: the items are typed as serde_json::Value",
            );
            object.remove("items");
            if !object.contains_key("type") {
                object.insert(Value::from("type"), Value::from("array"));
            }
        }
        if matches!(object.get("items"), Some(Value::Bool(_))) {
            object.remove("items");
        }
        for (key, lost) in DROPPED {
            if object.remove(*key).is_some() {
                self.warning(&pointer(at, key), format!("{lost}; ignored"));
            }
        }
        for key in IGNORED {
            object.remove(*key);
        }
    }

    /// `patternProperties`: one pattern is a map of its schema (the keys unchecked); several
    /// are a map of serde_json::Value.
    fn pattern_properties(&mut self, object: &mut Mapping, at: &str) {
        let Some(patterns) = object.remove("patternProperties") else {
            return;
        };
        let at = pointer(at, "patternProperties");
        let open = matches!(
            object.get("additionalProperties"),
            None | Some(Value::Bool(true))
        );
        let patterns = match patterns {
            Value::Mapping(patterns) if open => patterns,
            _ => {
                self.warning(
                    &at,
                    "`patternProperties` beside `additionalProperties` is not checked; ignored",
                );
                return;
            }
        };
        if !object.contains_key("type") && !object.contains_key("properties") {
            object.insert(Value::from("type"), Value::from("object"));
        }
        let mut entries = patterns.into_iter();
        match (entries.next(), entries.next()) {
            (Some((pattern, schema)), None) => {
                self.warning(
                    &at,
                    format!(
                        "keys are not checked against the pattern {}; the values keep their type",
                        describe(&pattern)
                    ),
                );
                object.insert(Value::from("additionalProperties"), schema);
            }
            (Some(_), Some(_)) => {
                self.warning(
                    &at,
                    "several key patterns: the values are typed as serde_json::Value",
                );
                object.insert(Value::from("additionalProperties"), Value::Bool(true));
            }
            _ => {}
        }
    }
}

/// A schema that allows only `null`: `{type: "null"}` (or `["null"]`), maybe with annotations.
fn is_null_schema(value: &Value) -> bool {
    let Value::Mapping(object) = value else {
        return false;
    };
    let null_type = match object.get("type") {
        Some(Value::String(single)) => single == "null",
        Some(Value::Sequence(members)) => {
            members.len() == 1 && members.first().and_then(Value::as_str) == Some("null")
        }
        _ => false,
    };
    null_type
        && object.keys().all(|key| {
            key.as_str()
                .is_some_and(|key| key == "type" || ANNOTATIONS.contains(&key))
        })
}

#[cfg(test)]
mod tests;
