//! The comparing sink of `cargo xtask codegen --check`: each file is compared with the current one
//! as it is formatted, a changed or missing file is named, and only the first that differs keeps
//! its texts (for the diff).

use std::collections::BTreeMap;

use codegen::{CompareSink, Comparison, Config, Differs, MemorySink, Sink};

fn config() -> Config {
    Config::new(
        "tests/fixtures/ok/feature_groups.yaml",
        "cargo xtask codegen",
    )
}

fn spec() -> String {
    let path = tests::fixtures::fixture_dir("ok").join("feature_groups.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The files as written, by path.
fn current() -> BTreeMap<String, String> {
    let generated =
        codegen::generate(&spec(), &config()).unwrap_or_else(|errors| panic!("{errors}"));
    generated
        .files
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect()
}

/// Generates into a comparing sink over `files`.
fn compare(files: &BTreeMap<String, String>) -> Comparison {
    let read = |path: &str| Ok(files.get(path).cloned());
    let sink = CompareSink::new(read);
    codegen::generate_into(&spec(), &config(), &sink).unwrap_or_else(|errors| panic!("{errors}"));
    sink.into_comparison()
}

#[test]
fn unchanged_files_compare_equal() {
    let files = current();
    assert!(files.len() > 4, "{:?}", files.keys());
    assert_eq!(compare(&files), Comparison::default());
}

#[test]
fn a_changed_file_is_named_with_its_texts() {
    let mut files = current();
    let original = files["operations.rs"].clone();
    let changed = original.replacen("pub fn ", "pub fn changed_", 1);
    files.insert("operations.rs".to_owned(), changed.clone());
    let comparison = compare(&files);
    assert_eq!(comparison.differing, ["operations.rs"]);
    assert_eq!(
        comparison.first,
        Some(Differs {
            path: "operations.rs".to_owned(),
            current: Some(changed),
            generated: original,
        })
    );
}

/// Several files differ: all are named in the files' order, the first (a missing one here) with
/// its texts; a file that is longer than the generated one differs too.
#[test]
fn the_first_of_several_differing_files_keeps_its_texts() {
    let mut files = current();
    let paths: Vec<String> = files.keys().cloned().collect();
    let order = codegen::generate(&spec(), &config())
        .unwrap_or_else(|errors| panic!("{errors}"))
        .files
        .into_iter()
        .map(|file| file.path)
        .collect::<Vec<_>>();
    assert_eq!(order.len(), paths.len());
    let first = order[1].clone();
    let last = order[order.len() - 1].clone();
    let removed = files.remove(&first).unwrap_or_default();
    if let Some(text) = files.get_mut(&last) {
        text.push_str("// more\n");
    }
    let comparison = compare(&files);
    assert_eq!(comparison.differing, [first.clone(), last]);
    assert_eq!(
        comparison.first,
        Some(Differs {
            path: first,
            current: None,
            generated: removed,
        })
    );
}

/// The memory sink gives `generate`'s files, in the same order.
#[test]
fn the_memory_sink_is_what_generate_returns() {
    let sink = MemorySink::new();
    let written = codegen::generate_into(&spec(), &config(), &sink as &dyn Sink)
        .unwrap_or_else(|errors| panic!("{errors}"));
    let files = sink.into_files();
    let generated =
        codegen::generate(&spec(), &config()).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(files, generated.files);
    let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(written.paths, paths);
}
