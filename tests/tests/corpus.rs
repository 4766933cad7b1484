//! `spec/hss.yaml` and every `tests/fixtures/ok/` spec, and every spec of the public corpus,
//! generate standalone crates that compile without warnings, and generating twice gives
//! byte-identical files.
//!
//! The corpus is not in the repository (`../shared/specs/progenitor/` beside the checkout, or
//! `HSS_CORPUS_DIR`), so its tests are ignored by default; `.ci/run` runs them with
//! `cargo test -p tests --test corpus -- --ignored`. The crates of one test go into one scratch
//! workspace built by one nested `cargo build --workspace --offline` (see `tests::scratch`); the
//! corpus specs are used as-is.

use codegen::Generated;
use tests::fixtures::{self, Fixture};
use tests::scratch::{self, ScratchCrate};

const CORPUS: &[&str] = &[
    "buildomat.json",
    "keeper.json",
    "nexus.json",
    "param-overrides.yaml",
    "propolis-server.json",
];

/// Generates `fixture` on the external runtime, twice, and fails unless both runs are identical.
fn generate_twice(fixture: &Fixture, spec_path: &str) -> Result<Generated, String> {
    let config = fixtures::config(spec_path);
    let first = codegen::generate(&fixture.text, &config)
        .map_err(|d| format!("{}: generation failed:\n{d}", fixture.name))?;
    let second = codegen::generate(&fixture.text, &config)
        .map_err(|d| format!("{}: the second run failed:\n{d}", fixture.name))?;
    if first != second {
        return Err(format!("{}: two runs gave different files", fixture.name));
    }
    Ok(first)
}

/// The public spec corpus, which the repository cannot carry: `HSS_CORPUS_DIR` when set, else
/// `../shared/specs/progenitor/` beside the checkout.
fn corpus_dir() -> std::path::PathBuf {
    std::env::var_os("HSS_CORPUS_DIR").map_or_else(
        || fixtures::workspace_root().join("../shared/specs/progenitor"),
        std::path::PathBuf::from,
    )
}

fn corpus() -> Vec<Fixture> {
    let dir = corpus_dir();
    let corpus = fixtures::list(&dir)
        .unwrap_or_else(|e| panic!("read the corpus in {}: {e}", dir.display()));
    let names: Vec<String> = corpus
        .iter()
        .filter_map(|f| f.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(names, CORPUS, "the corpus in {}", dir.display());
    corpus
}

#[test]
#[ignore = "needs the spec corpus in ../shared/specs/progenitor (or HSS_CORPUS_DIR); run with `cargo test -p tests --test corpus -- --ignored`"]
fn corpus_is_deterministic_and_reports_its_size() {
    let mut failures = Vec::new();
    for fixture in corpus() {
        match generate_twice(&fixture, &fixture.name) {
            Ok(generated) if generated.operations == 0 => {
                failures.push(format!("{}: no operations", fixture.name))
            }
            Ok(generated) => {
                for warning in &generated.warnings {
                    eprintln!("{}: {warning}", fixture.name);
                }
            }
            Err(message) => {
                // The first errors are enough to tell what is wrong.
                let errors: Vec<&str> = message
                    .lines()
                    .filter(|l| !l.starts_with("warning: "))
                    .take(6)
                    .collect();
                failures.push(errors.join("\n"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The operation counts of the corpus as its README gives them.
#[test]
#[ignore = "needs the spec corpus in ../shared/specs/progenitor (or HSS_CORPUS_DIR); run with `cargo test -p tests --test corpus -- --ignored`"]
fn corpus_operation_counts() {
    let expected = [
        ("nexus_json", 193),
        ("buildomat_json", 21),
        ("propolis_server_json", 7),
        ("keeper_json", 6),
    ];
    for fixture in corpus() {
        let Some((_, operations)) = expected
            .iter()
            .find(|(name, _)| *name == fixture.name.replace('-', "_"))
        else {
            continue;
        };
        let generated = generate_twice(&fixture, &fixture.name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(generated.operations, *operations, "{}", fixture.name);
    }
}

/// `spec/hss.yaml` and the ok fixtures as standalone crates: always run.
#[test]
fn fixture_crates_compile_without_warnings() {
    let hss = Fixture {
        name: "hss".to_owned(),
        text: std::fs::read_to_string(fixtures::hss_spec_path()).expect("read spec/hss.yaml"),
        path: fixtures::hss_spec_path(),
    };
    let ok = fixtures::list(&fixtures::fixture_dir("ok")).expect("read the ok fixtures");
    let sources = [("spec_", hss)]
        .into_iter()
        .chain(ok.into_iter().map(|f| ("fixture_", f)));
    compile_without_warnings("fixtures", sources);
}

#[test]
#[ignore = "needs the spec corpus in ../shared/specs/progenitor (or HSS_CORPUS_DIR); run with `cargo test -p tests --test corpus -- --ignored`"]
fn corpus_crates_compile_without_warnings() {
    compile_without_warnings("corpus", corpus().into_iter().map(|f| ("corpus_", f)));
}

/// The one feature group the standalone build of `spec/hss.yaml` compiles: a group alone must
/// build (its models gated right), and the whole service is compiled in-crate anyway.
const HSS_STANDALONE_GROUP: &str = "host-management";

/// Generates each `(package prefix, spec)` twice into one scratch workspace `name` and builds it
/// (with every feature group, except `spec/hss.yaml`'s: with [`HSS_STANDALONE_GROUP`] alone).
fn compile_without_warnings(name: &str, sources: impl Iterator<Item = (&'static str, Fixture)>) {
    let mut crates: Vec<ScratchCrate> = Vec::new();
    let mut failures = Vec::new();
    for (prefix, fixture) in sources {
        match generate_twice(&fixture, &fixture.path.display().to_string()) {
            Ok(generated) => {
                let mut krate = scratch::generated_crate(
                    &scratch::package_name(prefix, &fixture.name),
                    &generated,
                );
                if prefix == "spec_" {
                    assert!(
                        krate.features.iter().any(|f| f == HSS_STANDALONE_GROUP),
                        "spec/hss.yaml has no feature group {HSS_STANDALONE_GROUP}"
                    );
                    krate.default_features = vec![HSS_STANDALONE_GROUP.to_owned()];
                }
                crates.push(krate);
            }
            Err(message) => failures.push(message),
        }
    }
    let dir = scratch::write_workspace(name, &crates).expect("write the scratch workspace");
    let run = scratch::cargo(&dir, &["build", "--workspace"]).expect("run cargo");
    if !run.success && run.diagnostics.is_empty() {
        failures.push(format!("cargo build failed:\n{}", run.stderr));
    }
    failures.extend(run.diagnostics);
    assert!(
        failures.is_empty(),
        "{} problems in {} (the generated crates are kept there):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
}
