//! Snapshots of the generated files for every spec in `tests/fixtures/ok/` and of `spec/hss.yaml`
//! in the standalone mode (in-crate, its files are committed and guarded by the freshness test),
//! and of the error text for every spec in `tests/fixtures/broken/`.
//!
//! Snapshots live in `tests/tests/snapshots/` and are committed. Review a change with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p tests --test snapshots` and read
//! the diff); under `CI=true` a changed or missing snapshot fails the test.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use tests::fixtures::{self, Fixture};

/// Runs one snapshot assertion, turning a mismatch into an entry of `failures` so that every
/// fixture is checked (and, locally, every `.snap.new` written) before the test fails.
fn check(failures: &mut Vec<String>, name: &str, assertion: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(assertion)).is_err() {
        failures.push(name.to_owned());
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Generates, checks determinism and that every file parses as Rust, and returns the rendering.
fn generate_ok(text: &str, spec_path: &str) -> Result<String, String> {
    let config = fixtures::config(spec_path);
    let generated =
        codegen::generate(text, &config).map_err(|d| format!("generation failed:\n{d}"))?;
    let again = codegen::generate(text, &config).map_err(|d| format!("second run failed:\n{d}"))?;
    let rendered = fixtures::render(&generated);
    if rendered != fixtures::render(&again) {
        return Err("two runs gave different output".to_owned());
    }
    for file in &generated.files {
        if let Err(error) = syn::parse_file(&file.contents) {
            return Err(format!("{} does not parse as Rust: {error}", file.path));
        }
        if !file.contents.starts_with("// @generated") && !file.contents.starts_with("//") {
            return Err(format!(
                "{} does not start with a header comment",
                file.path
            ));
        }
        if !file.contents.contains(&config.regenerate_command) {
            return Err(format!(
                "{} does not name the command that regenerates it",
                file.path
            ));
        }
    }
    // Feature groups add a file per group under models/ and operations/.
    let mut paths: Vec<&str> = generated
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|path| !path.starts_with("models/") && !path.starts_with("operations/"))
        .collect();
    paths.sort_unstable();
    let expected: &[&str] = &["lib.rs", "models.rs", "operations.rs", "service.rs"];
    if paths != expected {
        return Err(format!("files {paths:?}, expected {expected:?}"));
    }
    Ok(rendered)
}

#[test]
fn ok_fixtures() {
    let fixtures = fixtures::list(&fixtures::fixture_dir("ok")).expect("read tests/fixtures/ok");
    assert!(
        fixtures.len() >= 25,
        "expected the fixture specs, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for Fixture { name, path, text } in &fixtures {
        let spec_path = format!("tests/fixtures/ok/{}", file_name(path));
        match generate_ok(text, &spec_path) {
            Ok(rendered) => check(&mut failures, name, || {
                insta::with_settings!({
                    snapshot_suffix => name.as_str(),
                    description => spec_path.as_str(),
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!("ok", rendered);
                });
            }),
            Err(message) => failures.push(format!("{name}: {message}")),
        }
    }
    assert!(
        failures.is_empty(),
        "failing ok fixtures:\n{}",
        failures.join("\n")
    );
}

/// The whole service: it generates, every file parses, and every operationId of the spec
/// becomes an operation, without a warning. No snapshot: the generated files are committed as
/// hss-client/src/ and the freshness test guards them, and a snapshot of megabytes of code
/// would only duplicate them.
#[test]
fn hss_spec() {
    let path = fixtures::hss_spec_path();
    let text = std::fs::read_to_string(&path).expect("read spec/hss.yaml");
    generate_ok(&text, "spec/hss.yaml").unwrap_or_else(|message| panic!("{message}"));
    let generated = codegen::generate(&text, &fixtures::config("spec/hss.yaml"))
        .unwrap_or_else(|errors| panic!("{errors}"));
    let operation_ids = text.matches("\n      operationId: ").count();
    assert_eq!(generated.operations, operation_ids);
    assert!(
        generated.warnings.is_empty(),
        "warnings: {:?}",
        generated.warnings
    );
}

/// What the error text of each broken fixture must contain besides its snapshot: the places
/// (JSON pointers) and names a user needs to find the problem.
const BROKEN_EXPECTATIONS: &[(&str, &[&str])] = &[
    (
        "dangling_ref",
        &[
            "#/components/parameters/Missing",
            "#/components/schemas/Nowhere",
            "#/components/schemas/AlsoNowhere",
        ],
    ),
    ("duplicate_operation_id", &["GetThing", "#/paths/~1b/get"]),
    ("feature_groups_mode", &["#/x-feature-groups", "`tags`"]),
    (
        "feature_groups_tags",
        &[
            "#/paths/~1a/get",
            "#/paths/~1b/get/tags/0",
            "Pet Store",
            "#/paths/~1c/get/tags/0",
            "#/paths/~1e/get/tags/0",
            "pet_care",
        ],
    ),
    ("external_ref", &["other.yaml"]),
    ("invalid_json_json", &["line"]),
    ("invalid_yaml", &["line"]),
    (
        "openapi31_dialect",
        &["#/jsonSchemaDialect", "draft/2020-12"],
    ),
    ("openapi32", &["#/openapi", "3.2.0"]),
    (
        "subschema_ref_to_nothing",
        &[
            "#/components/schemas/A/properties/b",
            "#/components/schemas/B/allOf/3",
            "#/components/schemas/A/properties/c",
            "network",
        ],
    ),
    (
        "pagination",
        &[
            "#/paths/~1a/get/x-pagination",
            "#/paths/~1b/get/x-pagination/totl",
            "#/paths/~1b/get/x-pagination/limit",
            "#/paths/~1c/get/x-pagination/offset",
            "#/paths/~1d/get/x-pagination/limit",
            "#/paths/~1e/get/x-pagination/offset",
            "#/paths/~1f/get/x-pagination/total",
            "#/paths/~1f/get/x-pagination/items",
            "#/paths/~1g/get/x-pagination/total",
            "#/paths/~1h/get/x-pagination",
            "#/paths/~1i/get/x-pagination",
            "#/paths/~1j/get/parameters/1/schema",
            "#/paths/~1k/get/x-pagination/limit",
        ],
    ),
    (
        "path_param_not_in_template",
        &["host_id", "#/paths/~1hosts/get"],
    ),
    ("ref_cycle", &["#/components/schemas/"]),
    ("several_errors", &["Same", "Missing", "other", "{id}"]),
    ("swagger_2_0", &["2.0"]),
    ("swagger_2_0_json", &["2.0"]),
    (
        "template_var_without_param",
        &["host_id", "#/paths/~1v5~1{project_id}~1hosts~1{host_id}"],
    ),
    ("wrong_type", &["#/paths"]),
    ("wrong_type_nested", &["#/paths/~1a/get"]),
];

/// Broken fixtures whose problems are all reported in one run: at least this many error lines.
const MIN_ERRORS: &[(&str, usize)] = &[
    ("dangling_ref", 3),
    ("several_errors", 4),
    ("pagination", 14),
    ("feature_groups_tags", 4),
];

#[test]
fn broken_fixtures() {
    let fixtures =
        fixtures::list(&fixtures::fixture_dir("broken")).expect("read tests/fixtures/broken");
    assert!(
        fixtures.len() >= 10,
        "expected the broken specs, found {}",
        fixtures.len()
    );
    let names: BTreeSet<&str> = fixtures.iter().map(|f| f.name.as_str()).collect();
    for (name, _) in BROKEN_EXPECTATIONS {
        assert!(names.contains(name), "no broken fixture {name}");
    }
    let mut failures = Vec::new();
    for Fixture { name, path, text } in &fixtures {
        let spec_path = format!("tests/fixtures/broken/{}", file_name(path));
        let config = fixtures::config(&spec_path);
        let diagnostics = match codegen::generate(text, &config) {
            Ok(generated) => {
                failures.push(format!(
                    "{name}: generated {} files instead of an error; warnings: {:?}",
                    generated.files.len(),
                    generated
                        .warnings
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                ));
                continue;
            }
            Err(diagnostics) => diagnostics,
        };
        let message = fixtures::render_errors(&diagnostics);
        let mut problems = Vec::new();
        if message.trim().is_empty() {
            problems.push("the error message is empty".to_owned());
        }
        for line in fixtures::malformed_diagnostic_lines(&message) {
            problems.push(format!("not `error: <pointer>: <message>`: {line:?}"));
        }
        if !message.lines().any(|line| line.starts_with("error: ")) {
            problems.push("no line starts with `error: `".to_owned());
        }
        if message.lines().count() != diagnostics.0.len() {
            problems.push(format!(
                "{} diagnostics but {} lines",
                diagnostics.0.len(),
                message.lines().count()
            ));
        }
        let expected = BROKEN_EXPECTATIONS
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[][..], |(_, e)| e);
        for needle in expected {
            if !message.contains(needle) {
                problems.push(format!("does not mention {needle:?}"));
            }
        }
        if let Some((_, min)) = MIN_ERRORS.iter().find(|(n, _)| n == name) {
            let errors = message.lines().filter(|l| l.starts_with("error: ")).count();
            if errors < *min {
                problems.push(format!(
                    "{errors} errors, expected all {min} problems reported in one run"
                ));
            }
        }
        let again = codegen::generate(text, &config);
        if again.as_ref().err().map(ToString::to_string).as_deref() != Some(message.as_str()) {
            problems.push("two runs gave different errors".to_owned());
        }
        for problem in problems {
            failures.push(format!("{name}: {problem}\n    text: {message:?}"));
        }
        check(&mut failures, name, || {
            insta::with_settings!({
                snapshot_suffix => name.as_str(),
                description => spec_path.as_str(),
                omit_expression => true,
            }, {
                insta::assert_snapshot!("broken", message);
            });
        });
    }
    assert!(
        failures.is_empty(),
        "failing broken fixtures:\n{}",
        failures.join("\n")
    );
}

/// Folder fixtures (`tests/fixtures/ok_multi/<name>/openapi.yaml` and the files it references):
/// each generates, twice alike, every file parses, and the output is a snapshot.
#[test]
fn ok_multi_file_fixtures() {
    let folders = fixtures::list_folders(&fixtures::fixture_dir("ok_multi"))
        .expect("read tests/fixtures/ok_multi");
    assert!(!folders.is_empty(), "expected the folder fixtures");
    let mut failures = Vec::new();
    for (name, root) in &folders {
        let spec_path = format!("tests/fixtures/ok_multi/{name}/openapi.yaml");
        let config = fixtures::config(&spec_path);
        let generated = match fixtures::generate_files(root, &config) {
            Ok(generated) => generated,
            Err(errors) => {
                failures.push(format!("{name}: generation failed:\n{errors}"));
                continue;
            }
        };
        let rendered = fixtures::render(&generated);
        let again = fixtures::generate_files(root, &config).map(|g| fixtures::render(&g));
        if again.as_ref() != Ok(&rendered) {
            failures.push(format!("{name}: two runs gave different output"));
        }
        for file in &generated.files {
            if let Err(error) = syn::parse_file(&file.contents) {
                failures.push(format!("{name}: {} does not parse: {error}", file.path));
            }
        }
        check(&mut failures, name, || {
            insta::with_settings!({
                snapshot_suffix => name.as_str(),
                description => spec_path.as_str(),
                omit_expression => true,
            }, {
                insta::assert_snapshot!("ok_multi", rendered);
            });
        });
    }
    assert!(
        failures.is_empty(),
        "failing folder fixtures:\n{}",
        failures.join("\n")
    );
}

/// What the error text of each broken folder fixture must name: the file and the pointer.
const BROKEN_MULTI_EXPECTATIONS: &[(&str, &[&str])] = &[
    (
        "cycles",
        &[
            "b.yaml#: reference cycle: a.yaml# -> b.yaml# -> a.yaml#",
            "#/components/schemas/X: reference cycle: x.yaml# -> y.yaml# -> x.yaml#",
        ],
    ),
    (
        "missing_file",
        &["#/components/schemas/A", "schemas/nope.yaml"],
    ),
    (
        "outside",
        &["#/components/schemas/A", "outside the spec's folder"],
    ),
];

#[test]
fn broken_multi_file_fixtures() {
    let folders = fixtures::list_folders(&fixtures::fixture_dir("broken_multi"))
        .expect("read tests/fixtures/broken_multi");
    let names: Vec<&str> = folders.iter().map(|(name, _)| name.as_str()).collect();
    let expected: Vec<&str> = BROKEN_MULTI_EXPECTATIONS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, expected);
    let mut failures = Vec::new();
    for ((name, root), (_, needles)) in folders.iter().zip(BROKEN_MULTI_EXPECTATIONS) {
        let spec_path = format!("tests/fixtures/broken_multi/{name}/openapi.yaml");
        let config = fixtures::config(&spec_path);
        let message = match fixtures::generate_files(root, &config) {
            Ok(_) => {
                failures.push(format!("{name}: generated instead of an error"));
                continue;
            }
            Err(errors) => fixtures::render_errors(&errors),
        };
        for line in fixtures::malformed_diagnostic_lines(&message) {
            failures.push(format!(
                "{name}: not `error: <pointer>: <message>`: {line:?}"
            ));
        }
        for needle in *needles {
            if !message.contains(needle) {
                failures.push(format!(
                    "{name}: does not mention {needle:?}\n    text: {message:?}"
                ));
            }
        }
        check(&mut failures, name, || {
            insta::with_settings!({
                snapshot_suffix => name.as_str(),
                description => spec_path.as_str(),
                omit_expression => true,
            }, {
                insta::assert_snapshot!("broken_multi", message);
            });
        });
    }
    assert!(
        failures.is_empty(),
        "failing broken folder fixtures:\n{}",
        failures.join("\n")
    );
}

/// Every committed snapshot belongs to a fixture that still exists (no orphans after a rename).
#[test]
fn no_orphan_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let ok: BTreeSet<String> = fixtures::list(&fixtures::fixture_dir("ok"))
        .expect("read ok fixtures")
        .into_iter()
        .map(|f| f.name)
        .collect();
    let broken: BTreeSet<String> = fixtures::list(&fixtures::fixture_dir("broken"))
        .expect("read broken fixtures")
        .into_iter()
        .map(|f| f.name)
        .collect();
    let folders = |kind: &str| -> BTreeSet<String> {
        fixtures::list_folders(&fixtures::fixture_dir(kind))
            .expect("read folder fixtures")
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    };
    let (ok_multi, broken_multi) = (folders("ok_multi"), folders("broken_multi"));
    let mut snapshots = 0;
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read tests/tests/snapshots") {
        let file = file_name(&entry.expect("snapshot entry").path());
        let Some(stem) = file.strip_suffix(".snap") else {
            continue;
        };
        snapshots += 1;
        let known = match stem.split_once('@') {
            Some(("snapshots__ok", name)) => ok.contains(name),
            Some(("snapshots__broken", name)) => broken.contains(name),
            Some(("snapshots__ok_multi", name)) => ok_multi.contains(name),
            Some(("snapshots__broken_multi", name)) => broken_multi.contains(name),
            _ => false,
        };
        if !known {
            orphans.push(file);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture: {orphans:?}"
    );
    assert_eq!(
        snapshots,
        ok.len() + broken.len() + ok_multi.len() + broken_multi.len(),
        "one snapshot per fixture"
    );
}
