//! Checks the signer against every case of the SDK-HMAC-SHA256 vectors, stage by stage: the
//! project's copy in `tests/data/signing-vectors.json` (computed with the official signer), or the
//! file named by `HSS_SIGNING_VECTORS`.

use std::path::{Path, PathBuf};

use huaweicloud_signing::{self as signing, SigningInput};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    inputs: Inputs,
    expected: Expected,
}

#[derive(Deserialize)]
struct Inputs {
    ak: String,
    sk: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Deserialize)]
struct Expected {
    wire_query: String,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    signed_headers: String,
    authorization: String,
}

/// The committed copy of the vectors.
fn committed_vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/signing-vectors.json")
}

/// The reference the committed copy was taken from, outside the repository:
/// `HSS_SIGNING_VECTORS_REFERENCE`, else `../shared/reference/signing-vectors.json` beside the
/// checkout.
fn reference_vectors() -> PathBuf {
    match std::env::var_os("HSS_SIGNING_VECTORS_REFERENCE") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/reference/signing-vectors.json"),
    }
}

fn vectors_path() -> PathBuf {
    match std::env::var_os("HSS_SIGNING_VECTORS") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => committed_vectors(),
    }
}

/// The first stage whose value differs, with both values; `None` when the case passes.
fn first_difference(case: &Case) -> Option<String> {
    let inputs = &case.inputs;
    let input = SigningInput {
        method: &inputs.method,
        path: &inputs.path,
        query: &inputs.query,
        headers: &inputs.headers,
        body: inputs.body.as_bytes(),
    };
    let signature = match signing::sign(&input, &inputs.ak, &inputs.sk) {
        Ok(signature) => signature,
        Err(error) => return Some(format!("sign failed: {error}")),
    };
    let expected = &case.expected;
    let stages = [
        ("wire_query", &expected.wire_query, &signature.wire_query),
        (
            "canonical_request",
            &expected.canonical_request,
            &signature.canonical_request,
        ),
        (
            "string_to_sign",
            &expected.string_to_sign,
            &signature.string_to_sign,
        ),
        ("signature", &expected.signature, &signature.signature),
        (
            "signed_headers",
            &expected.signed_headers,
            &signature.signed_headers,
        ),
        (
            "authorization",
            &expected.authorization,
            &signature.authorization,
        ),
    ];
    stages
        .into_iter()
        .find(|(_, expected, actual)| expected != actual)
        .map(|(stage, expected, actual)| {
            format!("stage {stage}:\n  expected {expected:?}\n  actual   {actual:?}")
        })
}

#[test]
fn signing_vectors() {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read signing vectors {}: {error}", path.display()));
    let cases: Vec<Case> = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("cannot parse signing vectors {}: {error}", path.display()));
    assert!(!cases.is_empty(), "{} holds no cases", path.display());

    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            first_difference(case).map(|difference| format!("case {}: {difference}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} signing vectors in {} fail:\n{}",
        failures.len(),
        cases.len(),
        path.display(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs ../shared/reference beside the checkout; run with `cargo test -p huaweicloud-signing --test signing_vectors -- --ignored`"]
fn committed_vectors_equal_the_reference() {
    let reference = reference_vectors();
    let read = |path: &Path| {
        std::fs::read(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    };
    assert!(
        read(&committed_vectors()) == read(&reference),
        "tests/data/signing-vectors.json differs from {}: copy the reference over it",
        reference.display()
    );
}
