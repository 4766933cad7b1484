//! The synthetic HSS-style spec at scale: 200 operations generate, every one of them and its
//! models is there, the output parses as Rust, and two runs are byte-identical.

use tests::fixtures;
use tests::synthetic::{MODELS_PER_OPERATION, synthetic_spec};

#[test]
fn two_hundred_operations_generate_deterministically() {
    let spec = synthetic_spec(200);
    let config = fixtures::config("synthetic.yaml");
    let first = codegen::generate(&spec, &config)
        .unwrap_or_else(|d| panic!("synthetic spec rejected:\n{d}"));
    assert_eq!(first.operations, 200);
    assert!(
        first.models > 200 * MODELS_PER_OPERATION,
        "{} models for 200 operations",
        first.models
    );
    let second =
        codegen::generate(&spec, &config).unwrap_or_else(|d| panic!("second run rejected:\n{d}"));
    assert_eq!(first, second, "two runs differ");
    let operations = first
        .files
        .iter()
        .find(|f| f.path == "operations.rs")
        .expect("operations.rs");
    for n in [0, 99, 199] {
        assert!(
            operations
                .contents
                .contains(&format!("fn list_kind{n}_hosts(")),
            "no method for ListKind{n}Hosts"
        );
    }
    for file in &first.files {
        syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path));
    }
}

#[test]
fn sizes_scale_linearly() {
    let config = fixtures::config("synthetic.yaml");
    let one = codegen::generate(&synthetic_spec(1), &config).unwrap_or_else(|d| panic!("{d}"));
    let ten = codegen::generate(&synthetic_spec(10), &config).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!((one.operations, ten.operations), (1, 10));
    // The shared error body is one model however many operations there are.
    assert_eq!(ten.models - one.models, 9 * (one.models - 1));
}
