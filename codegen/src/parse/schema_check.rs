//! A structural check of every schema object on the plain YAML value, before the typed parse.
//!
//! openapiv3 deserializes schemas through untagged enums that retry each alternative at every
//! level, so one mistyped keyword deep in a schema costs exponential time and yields an
//! unlocated message. Checking the keywords' value types first makes such errors fast and
//! located.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, pointer};

const BOOLEANS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];
const COUNTS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];
const NUMBERS: &[&str] = &["minimum", "maximum", "multipleOf"];
const STRINGS: &[&str] = &["type", "format", "pattern", "title", "description"];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// Checks every schema in the document; all problems are returned together.
pub(crate) fn check(document: &Mapping) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    walk_mapping(document, "#", &mut errors);
    errors
}

/// Finds schema positions anywhere in the document: values of `schema` keys and the entries of
/// `components.schemas`.
fn walk_mapping(mapping: &Mapping, at: &str, errors: &mut Vec<Diagnostic>) {
    for (key, child) in mapping {
        let Some(key) = key.as_str() else { continue };
        // Example payloads and extensions are free-form: a `schema` key there is data.
        if matches!(key, "example" | "examples") || key.starts_with("x-") {
            continue;
        }
        let child_at = pointer(at, key);
        if key == "schema" {
            schema(child, &child_at, errors);
        } else if key == "schemas" && at == "#/components" {
            if let Value::Mapping(schemas) = child {
                for (name, entry) in schemas {
                    let name = name.as_str().unwrap_or_default();
                    schema(entry, &pointer(&child_at, name), errors);
                }
            }
        } else {
            walk(child, &child_at, errors);
        }
    }
}

fn walk(value: &Value, at: &str, errors: &mut Vec<Diagnostic>) {
    match value {
        Value::Mapping(mapping) => walk_mapping(mapping, at, errors),
        Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{at}/{index}"), errors);
            }
        }
        _ => {}
    }
}

fn schema(value: &Value, at: &str, errors: &mut Vec<Diagnostic>) {
    let Value::Mapping(mapping) = value else {
        errors.push(Diagnostic::error(at, "a schema must be a mapping"));
        return;
    };
    if mapping.contains_key("$ref") {
        return;
    }
    for (key, child) in mapping {
        let Some(key) = key.as_str() else { continue };
        let child_at = pointer(at, key);
        if let Some(expected) = keyword(key, child, &child_at, errors) {
            errors.push(Diagnostic::error(&child_at, format!("expected {expected}")));
        }
    }
}

/// Checks one keyword of a schema (recursing into sub-schemas); returns what was expected
/// when the value has the wrong type.
fn keyword(
    key: &str,
    child: &Value,
    child_at: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'static str> {
    if BOOLEANS.contains(&key) {
        return (!child.is_bool()).then_some("a boolean");
    }
    if COUNTS.contains(&key) {
        return (!child.is_u64()).then_some("a non-negative integer");
    }
    if NUMBERS.contains(&key) {
        return (!child.is_number()).then_some("a number");
    }
    if STRINGS.contains(&key) {
        return (!child.is_string()).then_some("a string");
    }
    if SCHEMA_LISTS.contains(&key) {
        let Value::Sequence(parts) = child else {
            return Some("a list of schemas");
        };
        for (index, part) in parts.iter().enumerate() {
            schema(part, &format!("{child_at}/{index}"), errors);
        }
        return None;
    }
    match key {
        "required" => (!child
            .as_sequence()
            .is_some_and(|items| items.iter().all(Value::is_string)))
        .then_some("a list of strings"),
        "enum" => (!child.is_sequence()).then_some("a list"),
        "properties" => {
            let Value::Mapping(properties) = child else {
                return Some("a mapping of schemas");
            };
            for (name, property) in properties {
                let name = name.as_str().unwrap_or_default();
                schema(property, &pointer(child_at, name), errors);
            }
            None
        }
        "items" | "not" => {
            schema(child, child_at, errors);
            None
        }
        "additionalProperties" => {
            if !child.is_bool() {
                schema(child, child_at, errors);
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(yaml: &str) -> Vec<String> {
        let value: Value = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"));
        let Value::Mapping(document) = value else {
            panic!("not a mapping");
        };
        check(&document).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn mistyped_keywords_are_located_at_any_depth() {
        let found = errors(
            r#"
components:
  schemas:
    A:
      type: object
      required: [1]
      properties:
        b: {type: 5, maxLength: -1, nullable: 'yes'}
        c: {additionalProperties: {items: {minimum: x}}}
paths:
  /p:
    get:
      parameters:
        - {name: q, in: query, schema: {allOf: {}}}
"#,
        );
        assert_eq!(
            found,
            [
                "error: #/components/schemas/A/required: expected a list of strings",
                "error: #/components/schemas/A/properties/b/type: expected a string",
                "error: #/components/schemas/A/properties/b/maxLength: expected a non-negative integer",
                "error: #/components/schemas/A/properties/b/nullable: expected a boolean",
                "error: #/components/schemas/A/properties/c/additionalProperties/items/minimum: expected a number",
                "error: #/paths/~1p/get/parameters/0/schema/allOf: expected a list of schemas",
            ]
        );
    }

    #[test]
    fn valid_schemas_and_references_pass() {
        let found = errors(
            r#"
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {type: object, additionalProperties: true, properties: {x: {type: integer, minimum: 1.5}}}
"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn examples_and_extensions_are_not_checked() {
        let found = errors(
            "paths: {/p: {get: {x-a: {schema: 5}, responses: {'200': {content: {a/b: {example: {schema: 5}}}}}}}}",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_schema_that_is_not_a_mapping_is_an_error() {
        assert_eq!(
            errors("components: {schemas: {A: 5}}"),
            ["error: #/components/schemas/A: a schema must be a mapping"]
        );
    }
}
