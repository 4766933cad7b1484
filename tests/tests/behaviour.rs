//! Runs generated code: crates generated from the behaviour-relevant fixtures plus the checks
//! in `tests/fixtures/behaviour/main.rs` (serde round trips of enums with unknown values, null
//! versus absent, nested objects, maps, keyword renames, oneOf/anyOf/allOf, recursion,
//! readOnly/writeOnly) are built and run by a nested `cargo run --offline` in one scratch
//! workspace (see `tests::scratch`).

use tests::fixtures;
use tests::scratch::{self, ScratchCrate};

/// The fixtures the checks use; each becomes a crate of the same name.
const FIXTURES: &[&str] = &[
    "all_of",
    "any_of",
    "awkward_names",
    "enum_integer",
    "enum_string",
    "map",
    "nested_object",
    "one_of_discriminator",
    "optional_nullable",
    "read_write_only",
    "recursive",
    "response_headers",
];

/// Every check of `main.rs`; each must print `ok: <name>`.
const CHECKS: &[&str] = &[
    "string_enum_known_and_unknown",
    "integer_enum_known_and_unknown",
    "nullable_and_absent_stay_apart",
    "nested_inline_objects",
    "maps_of_every_kind",
    "properties_beside_additional_ones",
    "struct_decoding_accepts_and_refuses",
    "keywords_and_renames",
    "one_of_by_discriminator",
    "any_of_untagged",
    "all_of_merged",
    "recursive_types",
    "read_only_and_write_only",
    "response_headers_typed",
];

#[test]
fn generated_models_behave() {
    let ok = fixtures::list(&fixtures::fixture_dir("ok")).expect("read the ok fixtures");
    let mut crates = Vec::new();
    let mut dependencies = vec![
        r#"serde = "1""#.to_owned(),
        r#"serde_json = "1""#.to_owned(),
    ];
    for name in FIXTURES {
        let fixture = ok
            .iter()
            .find(|f| f.name == *name)
            .unwrap_or_else(|| panic!("no fixture tests/fixtures/ok/{name}.yaml"));
        let config = fixtures::config(&format!("tests/fixtures/ok/{name}.yaml"));
        let generated = codegen::generate(&fixture.text, &config)
            .unwrap_or_else(|d| panic!("{name}: generation failed:\n{d}"));
        crates.push(scratch::generated_crate(name, &generated));
        dependencies.push(format!("{name} = {{ path = \"../{name}\" }}"));
    }
    let main = std::fs::read_to_string(fixtures::fixture_dir("behaviour").join("main.rs"))
        .expect("read tests/fixtures/behaviour/main.rs");
    crates.push(ScratchCrate {
        name: "behaviour".to_owned(),
        files: vec![("src/main.rs".to_owned(), main)],
        dependencies,
        features: Vec::new(),
        default_features: Vec::new(),
    });
    let dir = scratch::write_workspace("behaviour", &crates).expect("write the scratch workspace");
    let run =
        scratch::cargo(&dir, &["run", "--package", "behaviour", "--quiet"]).expect("run cargo");
    let missing: Vec<&str> = CHECKS
        .iter()
        .copied()
        .filter(|check| {
            !run.stdout
                .lines()
                .any(|line| line == format!("ok: {check}"))
        })
        .collect();
    assert!(
        run.success && missing.is_empty() && run.diagnostics.is_empty(),
        "checks that did not pass: {missing:?}\ncompiler warnings and errors in generated code:\n{}\n\
         program output:\n{}\ncargo's stderr:\n{}",
        run.diagnostics.join("\n"),
        run.stdout,
        run.stderr
    );
}
