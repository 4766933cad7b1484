//! The API report over fixture pairs: `tests/fixtures/api_changes/<pair>/before.yaml` and
//! `after.yaml` generate two API manifests; the report between them is snapshotted per pair, and
//! the classes and the suggested bump of each pair are asserted from the table below, so a
//! snapshot accepted by mistake still fails.
//!
//! Review a changed report with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p tests
//! --test api_changes` and read the diff).

use std::collections::BTreeSet;
use std::path::Path;

use codegen::{ApiChanges, ApiManifest, Bump, ChangeClass, Version};
use tests::fixtures;

use ChangeClass::{Additive, Breaking, Docs};

/// Each pair: the classes its report holds, and the bump from 0.1.0 and from 1.2.3.
#[rustfmt::skip]
const PAIRS: &[(&str, &[ChangeClass], Bump, Bump)] = &[
    ("additive_and_docs", &[Additive, Docs], Bump::Patch, Bump::Minor),
    ("description_only", &[Docs], Bump::Patch, Bump::Patch),
    ("enum_value_added", &[Additive], Bump::Patch, Bump::Minor),
    ("field_removed", &[Breaking], Bump::Minor, Bump::Major),
    ("no_change", &[], Bump::None, Bump::None),
    ("operation_added", &[Additive], Bump::Patch, Bump::Minor),
    ("operation_deprecated", &[Additive], Bump::Patch, Bump::Minor),
    ("operation_moved_to_another_feature", &[Breaking], Bump::Minor, Bump::Major),
    // Its models stay (every schema is generated), needed by no feature now: always compiled.
    ("operation_removed", &[Breaking, Additive], Bump::Minor, Bump::Major),
    ("optional_parameter_added", &[Additive], Bump::Patch, Bump::Minor),
    ("parameter_made_required", &[Breaking], Bump::Minor, Bump::Major),
    ("request_field_added_optional", &[Additive], Bump::Patch, Bump::Minor),
    ("request_field_added_required", &[Breaking], Bump::Minor, Bump::Major),
    ("response_field_added_optional", &[Additive], Bump::Patch, Bump::Minor),
    ("response_field_added_required", &[Breaking], Bump::Minor, Bump::Major),
    ("several_changes", &[Breaking, Additive, Docs], Bump::Minor, Bump::Major),
    ("type_changed", &[Breaking], Bump::Minor, Bump::Major),
];

/// Apart from the generated-code snapshots of `snapshots.rs`, which counts its own.
const SNAPSHOTS: &str = "snapshots/api_changes";

const ZERO: Version = Version {
    major: 0,
    minor: 1,
    patch: 0,
};
const ONE: Version = Version {
    major: 1,
    minor: 2,
    patch: 3,
};

fn manifest(path: &Path) -> ApiManifest {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let config = fixtures::config("spec.yaml");
    codegen::generate(&text, &config)
        .unwrap_or_else(|errors| panic!("{}: {errors}", path.display()))
        .api
}

fn changes(pair: &str) -> ApiChanges {
    let dir = fixtures::fixture_dir("api_changes").join(pair);
    ApiChanges::between(
        &manifest(&dir.join("before.yaml")),
        &manifest(&dir.join("after.yaml")),
    )
}

#[test]
fn every_pair_is_in_the_table() {
    let dir = fixtures::fixture_dir("api_changes");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = PAIRS.iter().map(|(pair, ..)| (*pair).to_owned()).collect();
    assert_eq!(on_disk, listed);
}

/// Every committed report snapshot belongs to a pair that still exists.
#[test]
fn no_orphan_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(SNAPSHOTS);
    let mut expected: BTreeSet<String> = PAIRS
        .iter()
        .map(|(pair, ..)| format!("api_changes__report@{pair}.snap"))
        .collect();
    expected.insert("api_changes__markdown.snap".to_owned());
    let committed: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    assert_eq!(committed, expected);
}

#[test]
fn each_pair_has_its_classes_and_bumps() {
    let mut failures = Vec::new();
    for (pair, classes, from_zero, from_one) in PAIRS {
        let changes = changes(pair);
        let found: BTreeSet<ChangeClass> = changes.changes.iter().map(|c| c.class).collect();
        let expected: BTreeSet<ChangeClass> = classes.iter().copied().collect();
        let bumps = (changes.suggest(ZERO).bump, changes.suggest(ONE).bump);
        if found != expected || bumps != (*from_zero, *from_one) {
            failures.push(format!(
                "{pair}: classes {found:?}, bumps {bumps:?}; expected {expected:?}, ({from_zero:?}, {from_one:?})\n{}",
                changes.text(ZERO)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_pairs_report_is_snapshotted() {
    for (pair, ..) in PAIRS {
        let report = changes(pair).text(ZERO);
        insta::with_settings!({
            snapshot_path => SNAPSHOTS,
            snapshot_suffix => *pair,
            description => format!("tests/fixtures/api_changes/{pair}: before.yaml -> after.yaml, from 0.1.0"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("report", report);
        });
    }
}

/// What `cargo xtask codegen --report FILE` writes, for the pair with every class.
#[test]
fn the_changelog_markdown_of_several_changes() {
    let markdown = changes("several_changes").markdown("hss-client 0.2.0", ZERO);
    insta::with_settings!({ snapshot_path => SNAPSHOTS }, {
        insta::assert_snapshot!("markdown", markdown);
    });
}

/// The issue's list, line by line: each change is reported at the item, with the wire name, as
/// the class it is.
#[test]
fn the_issues_changes_are_reported_as_their_class() {
    #[rustfmt::skip]
    let expectations: &[(&str, &str)] = &[
        ("field_removed", "breaking  struct Host: field agent_status (agent_status): removed"),
        ("request_field_added_optional", "additive  struct ProtectionRequest: field resource_id (resource_id): added, optional"),
        ("request_field_added_required", "breaking  struct ProtectionRequest: field policy_id (policy_id): added, required (`String`): `new()` takes it as a new argument"),
        ("response_field_added_optional", "additive  struct Host: field private_ip (private_ip): added, optional"),
        ("response_field_added_required", "breaking  struct Host: field region (region): added, required (`String`): `new()` takes it as a new argument"),
        ("enum_value_added", "additive  enum OsType: value macOS (MacOs): added"),
        ("parameter_made_required", "breaking  operation ListHosts (list_hosts): parameter query limit (limit): required now"),
        ("type_changed", "breaking  struct Host: field agent_status (agent_status): type `Option<i32>` now, was `Option<String>`"),
        ("operation_added", "additive  operation ShowHost (show_host): added: `show_host(host_id)`"),
        ("operation_removed", "breaking  operation SetHostProtection (set_host_protection): removed"),
        ("operation_deprecated", "additive  operation RunImageSynchronize (run_image_synchronize): deprecated"),
        ("description_only", "docs      operation ListHosts (list_hosts): description changed"),
    ];
    for (pair, line) in expectations {
        let text = changes(pair).text(ZERO);
        assert!(
            text.lines().any(|reported| reported.starts_with(line)),
            "{pair}: no line starting with\n{line}\nin\n{text}"
        );
    }
}
