//! Real documents as their vendors publish them: OpenAI's (OpenAPI 3.1, one file of about 3 MB)
//! and DigitalOcean's (OpenAPI 3.0 across about 2,900 files) generate standalone crates that
//! `cargo check` without a warning, twice alike, and every generator warning is located. The
//! repository's own folder fixtures (`tests/fixtures/ok_multi/`) compile the same way.
//!
//! The vendor specs are not in the repository (`../shared/specs/` beside the checkout, or
//! `HSS_VENDOR_SPECS_DIR`), so their tests are ignored by default; `.ci/run` runs them with
//! `cargo test -p tests --test vendor_specs -- --ignored`.

use std::path::{Path, PathBuf};

use codegen::Generated;
use tests::fixtures;
use tests::scratch::{self, ScratchCrate};

fn specs_dir() -> PathBuf {
    std::env::var_os("HSS_VENDOR_SPECS_DIR").map_or_else(
        || fixtures::workspace_root().join("../shared/specs"),
        PathBuf::from,
    )
}

/// Generates the spec rooted at `root` twice on the external runtime; both runs must agree and
/// every warning must name a place (`#/...` or `file#/...`).
fn generate_twice(root: &Path) -> Generated {
    let spec_path = root.display().to_string();
    let config = fixtures::config(&spec_path);
    let first = fixtures::generate_files(root, &config)
        .unwrap_or_else(|errors| panic!("{spec_path}: generation failed:\n{errors}"));
    let second = fixtures::generate_files(root, &config)
        .unwrap_or_else(|errors| panic!("{spec_path}: the second run failed:\n{errors}"));
    assert!(
        first == second,
        "{spec_path}: two runs gave different files"
    );
    let unlocated: Vec<String> = fixtures::malformed_diagnostic_lines(
        &first
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert!(unlocated.is_empty(), "unlocated warnings: {unlocated:?}");
    first
}

/// Builds the generated crates in one scratch workspace `name` with `cargo check`; no rustc
/// warning or error.
fn check_without_warnings(name: &str, crates: &[ScratchCrate]) {
    let dir = scratch::write_workspace(name, crates).expect("write the scratch workspace");
    let run = scratch::cargo(&dir, &["check", "--workspace"]).expect("run cargo");
    let mut failures = run.diagnostics;
    if !run.success && failures.is_empty() {
        failures.push(format!("cargo check failed:\n{}", run.stderr));
    }
    assert!(
        failures.is_empty(),
        "{} problems in {} (the generated crates are kept there):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
}

fn vendor_crate(name: &str, root: &Path, min_operations: usize) -> ScratchCrate {
    let generated = generate_twice(root);
    assert!(
        generated.operations >= min_operations,
        "{name}: {} operations",
        generated.operations
    );
    for warning in &generated.warnings {
        eprintln!("{name}: {warning}");
    }
    scratch::generated_crate(&scratch::package_name("vendor_", name), &generated)
}

#[test]
#[ignore = "needs ../shared/specs/openai (or HSS_VENDOR_SPECS_DIR); run with `cargo test -p tests --test vendor_specs -- --ignored`"]
fn openai_generates_and_checks_without_warnings() {
    let root = specs_dir().join("openai/openapi.yaml");
    let krate = vendor_crate("openai", &root, 200);
    check_without_warnings("vendor_openai", &[krate]);
}

#[test]
#[ignore = "needs ../shared/specs/digitalocean (or HSS_VENDOR_SPECS_DIR); run with `cargo test -p tests --test vendor_specs -- --ignored`"]
fn digitalocean_generates_and_checks_without_warnings() {
    let root = specs_dir().join("digitalocean/specification/DigitalOcean-public.v2.yaml");
    let krate = vendor_crate("digitalocean", &root, 500);
    check_without_warnings("vendor_digitalocean", &[krate]);
}

/// The folder fixtures, whose snapshots `tests/tests/snapshots.rs` keeps, compile.
#[test]
fn multi_file_fixture_crates_check_without_warnings() {
    let folders = fixtures::list_folders(&fixtures::fixture_dir("ok_multi"))
        .expect("read tests/fixtures/ok_multi");
    let crates: Vec<ScratchCrate> = folders
        .iter()
        .map(|(name, root)| {
            let generated = generate_twice(root);
            scratch::generated_crate(&scratch::package_name("multi_", name), &generated)
        })
        .collect();
    check_without_warnings("multi_file_fixtures", &crates);
}
