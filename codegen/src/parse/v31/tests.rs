//! Tests of the 3.1 conversion: each 3.1 spelling of a schema next to the 3.0 one it becomes,
//! with the diagnostics it gives (none for a lossless one).

use super::*;

/// Converts a 3.1 document whose only schema is `S` (given as YAML); returns `S` afterwards, as
/// YAML, and the diagnostics as text.
fn convert_schema(schema: &str) -> (Value, Vec<String>) {
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n    S:\n{}",
        indent(schema, 6)
    );
    let mut document: Mapping =
        serde_yaml::from_str(&text).unwrap_or_else(|error| panic!("{text}: {error}"));
    let diagnostics = convert(&mut document);
    let schema = document
        .get("components")
        .and_then(|components| components.get("schemas"))
        .and_then(|schemas| schemas.get("S"))
        .cloned()
        .unwrap_or(Value::Null);
    (
        schema,
        diagnostics.iter().map(ToString::to_string).collect(),
    )
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|line| format!("{}{line}\n", " ".repeat(by)))
        .collect()
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[test]
fn each_31_spelling_becomes_its_30_one() {
    // (case, 3.1 schema, 3.0 schema, diagnostics)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "a type list with null",
            "type: [string, 'null']",
            "{type: string, nullable: true}",
            &[],
        ),
        (
            "const",
            "{type: string, const: fixed}",
            "{type: string, enum: [fixed]}",
            &[],
        ),
        (
            "numeric exclusive bounds",
            "{type: integer, exclusiveMinimum: 1, exclusiveMaximum: 9}",
            "{type: integer, minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: true}",
            &[],
        ),
        (
            "examples",
            "{type: string, examples: [first, second]}",
            "{type: string, example: first}",
            &[],
        ),
        (
            "base64 content",
            "{type: string, contentEncoding: base64}",
            "{type: string, format: byte}",
            &[],
        ),
        (
            "binary content",
            "{type: string, contentMediaType: application/octet-stream}",
            "{type: string, format: binary}",
            &[],
        ),
        (
            "ids and anchors are dropped silently",
            "{type: string, $id: 'https://example.com/s', $anchor: s, $comment: note}",
            "{type: string}",
            &[],
        ),
        ("true schema", "true", "{}", &[]),
        ("false schema", "false", "{not: {}}", &[]),
        (
            "a conditional schema is dropped with what was lost",
            "{type: object, if: {required: [a]}, then: {required: [b]}}",
            "{type: object}",
            &[
                "warning: #/components/schemas/S/if: the conditional schema (`if`/`then`/`else`) is not checked; ignored",
                "warning: #/components/schemas/S/then: the conditional schema (`if`/`then`/`else`) is not checked; ignored",
            ],
        ),
        (
            "a dynamic reference becomes any value",
            "{$dynamicRef: '#node'}",
            "{}",
            &[
                "warning: #/components/schemas/S: `$dynamicRef` is not supported; using serde_json::Value",
            ],
        ),
        (
            "nested schemas are converted too",
            "{type: object, properties: {a: {type: [integer, 'null']}}, items: {const: 1}}",
            // A `const` without a type gets its value's.
            "{type: object, properties: {a: {type: integer, nullable: true}}, items: {type: integer, enum: [1]}}",
            &[],
        ),
    ];
    let mut failures = Vec::new();
    for (case, from, to, diagnostics) in cases {
        let (converted, said) = convert_schema(from);
        if converted != yaml(to) || said != *diagnostics {
            failures.push(format!(
                "{case}: got {} and {said:?}",
                serde_yaml::to_string(&converted).unwrap_or_default().trim()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_document_becomes_30_with_its_webhooks_and_dialect_said() {
    let mut document: Mapping = serde_yaml::from_str(
        "openapi: 3.1.0\n\
         info: {title: t, version: '1', summary: short, license: {name: MIT, identifier: MIT}}\n\
         jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema'\n\
         webhooks: {newPet: {post: {responses: {'200': {description: ok}}}}}\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let said: Vec<String> = convert(&mut document)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        said,
        [
            "error: #/jsonSchemaDialect: the json schema dialect `https://json-schema.org/draft/2020-12/schema` is not supported: only https://spec.openapis.org/oas/3.1/dialect/base is",
            "warning: #/webhooks: webhooks generate nothing: 1 webhook(s) skipped",
        ]
    );
    assert_eq!(document.get("openapi"), Some(&Value::from("3.0.3")));
    assert!(!document.contains_key("webhooks"));
    // 3.0 has neither an info summary nor a license identifier; a missing `paths` is added.
    assert_eq!(
        document.get("info"),
        Some(&yaml("{title: t, version: '1', license: {name: MIT}}"))
    );
    assert_eq!(document.get("paths"), Some(&yaml("{}")));

    let mut plain: Mapping = serde_yaml::from_str(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\njsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base'\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        convert(&mut plain).is_empty(),
        "the default dialect is fine"
    );
}

#[test]
fn responses_get_the_description_30_requires_and_their_schemas_converted() {
    let mut document: Mapping = serde_yaml::from_str(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {type: [string, 'null']}\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert!(convert(&mut document).is_empty());
    let response = document
        .get("paths")
        .and_then(|paths| paths.get("/a"))
        .and_then(|item| item.get("get"))
        .and_then(|operation| operation.get("responses"))
        .and_then(|responses| responses.get("200"))
        .cloned();
    assert_eq!(
        response,
        Some(yaml(
            "{content: {application/json: {schema: {type: string, nullable: true}}}, description: ''}"
        ))
    );
}
