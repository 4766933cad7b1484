//! Tests of the bundler: references to other files and to deeper pointers brought into the one
//! document, their origins kept, and every bad reference a located error.

use std::collections::HashMap;

use super::*;

/// Bundles the root file `openapi.yaml` of `files` (path, YAML text); returns the bundled
/// document, its origins and the diagnostics as text.
fn run(files: &[(&str, &str)]) -> (Value, Origins, Vec<String>) {
    let files: HashMap<String, String> = files
        .iter()
        .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
        .collect();
    let load = |path: &str| {
        files
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_owned())
    };
    let root_text = files.get("openapi.yaml").cloned().unwrap_or_default();
    let mut root: Value =
        serde_yaml::from_str(&root_text).unwrap_or_else(|error| panic!("{error}"));
    let (origins, diagnostics) = bundle(&mut root, "openapi.yaml", &load);
    let said = diagnostics.iter().map(ToString::to_string).collect();
    (root, origins, said)
}

/// The root file with one operation whose 200 answer's schema is `{$ref: reference}`.
fn answering(reference: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{reference}'}}\n"
    )
}

fn answer_schema(document: &Value) -> Option<&Value> {
    document
        .get("paths")?
        .get("/a")?
        .get("get")?
        .get("responses")?
        .get("200")?
        .get("content")?
        .get("application/json")?
        .get("schema")
}

#[test]
fn a_schema_in_another_file_becomes_a_component_that_remembers_its_file() {
    let root = answering("models/pet.yaml#/Pet");
    let (document, origins, said) = run(&[
        ("openapi.yaml", &root),
        (
            "models/pet.yaml",
            "Pet:\n  type: object\n  properties:\n    owner: {$ref: 'owner.yaml'}\n",
        ),
        ("models/owner.yaml", "type: string\n"),
    ]);
    assert!(said.is_empty(), "{said:?}");
    let reference = answer_schema(&document)
        .and_then(|schema| schema.get("$ref"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let name = reference
        .strip_prefix("#/components/schemas/")
        .unwrap_or_else(|| panic!("not a component: {reference}"));
    let pet = document
        .get("components")
        .and_then(|components| components.get("schemas"))
        .and_then(|schemas| schemas.get(name))
        .unwrap_or_else(|| panic!("no component {name}"));
    // The nested file's reference, relative to its own folder, is a component too.
    let owner = pet
        .get("properties")
        .and_then(|properties| properties.get("owner"))
        .and_then(|owner| owner.get("$ref"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(owner.starts_with("#/components/schemas/"), "{owner}");
    // A diagnostic inside the copy is told where the user wrote it.
    assert_eq!(
        origins
            .locate(&format!("{reference}/properties"))
            .as_deref(),
        Some("models/pet.yaml#/Pet/properties")
    );
}

#[test]
fn a_pointer_into_a_schema_is_hoisted_as_a_component() {
    let root = format!(
        "{}components:\n  schemas:\n    Tag:\n      allOf:\n        - {{type: object, properties: {{id: {{type: integer}}}}}}\n",
        answering("#/components/schemas/Tag/allOf/0")
    );
    let (document, _, said) = run(&[("openapi.yaml", &root)]);
    assert!(said.is_empty(), "{said:?}");
    let reference = answer_schema(&document)
        .and_then(|schema| schema.get("$ref"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = reference
        .strip_prefix("#/components/schemas/")
        .filter(|name| !name.contains('/'))
        .unwrap_or_else(|| panic!("not a plain component: {reference}"));
    assert_ne!(name, "Tag");
}

#[test]
fn every_bad_reference_is_an_error_at_its_place() {
    let at = "#/paths/~1a/get/responses/200/content/application~1json/schema";
    /// (case, reference, the other files, text the error holds)
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case<'_>] = &[
        ("a missing file", "gone.yaml#/X", &[], "gone.yaml"),
        (
            "a missing pointer",
            "other.yaml#/Nowhere",
            &[("other.yaml", "Somewhere: {type: string}\n")],
            "Nowhere",
        ),
        (
            "a file outside the spec's folder",
            "../secret.yaml",
            &[],
            "secret.yaml",
        ),
        (
            "the network",
            "https://example.com/schemas.yaml#/X",
            &[],
            "https://example.com/schemas.yaml",
        ),
        (
            "a file that is not YAML",
            "broken.yaml",
            &[("broken.yaml", "a: [unclosed\n")],
            "broken.yaml",
        ),
    ];
    let mut failures = Vec::new();
    for (case, reference, others, holds) in cases {
        let root = answering(reference);
        let mut files = vec![("openapi.yaml", root.as_str())];
        files.extend_from_slice(others);
        let (_, _, said) = run(&files);
        let located = said
            .iter()
            .any(|line| line.starts_with(&format!("error: {at}")) && line.contains(holds));
        if !located {
            failures.push(format!("{case}: {said:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_cycle_of_references_is_an_error_naming_it() {
    let root = answering("a.yaml");
    let (_, _, said) = run(&[
        ("openapi.yaml", &root),
        ("a.yaml", "$ref: 'b.yaml'\n"),
        ("b.yaml", "$ref: 'a.yaml'\n"),
    ]);
    assert!(
        said.iter()
            .any(|line| line.starts_with("error: ") && line.contains("reference cycle")),
        "{said:?}"
    );
}

#[test]
fn documents_with_only_plain_component_references_need_no_bundling() {
    assert!(!needed(
        &serde_yaml::from_str::<Value>(&answering("#/components/schemas/S")).unwrap_or(Value::Null)
    ));
    assert!(needed(
        &serde_yaml::from_str::<Value>(&answering("s.yaml")).unwrap_or(Value::Null)
    ));
    assert!(needed(
        &serde_yaml::from_str::<Value>(&answering("#/components/schemas/S/items"))
            .unwrap_or(Value::Null)
    ));
}
