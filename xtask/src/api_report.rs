//! The API report of a regeneration: the classed changes from the previous API manifest to the
//! one being written, the suggested version bump, and the same as changelog Markdown.

use std::fs;
use std::path::Path;

use codegen::{ApiChanges, ApiManifest, Version};

/// The manifest's file name, beside the generated files (`hss-client/src/generated/`) or the
/// generated crate's `Cargo.toml` (`cargo xtask generate`).
pub(crate) const FILE_NAME: &str = "api.json";

/// The manifest a regeneration is compared with.
#[derive(Debug)]
pub(crate) enum Previous {
    Manifest(Box<ApiManifest>),
    /// No manifest yet: the first generation, or one from before manifests.
    Missing,
    /// A file that is not a manifest this generator reads (the reason).
    Unreadable(String),
}

/// The manifest at `path`, read before it is overwritten.
pub(crate) fn read_previous(path: &Path) -> Previous {
    match fs::read_to_string(path) {
        Ok(text) => match ApiManifest::from_json(&text) {
            Ok(manifest) => Previous::Manifest(Box::new(manifest)),
            Err(error) => Previous::Unreadable(error),
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Previous::Missing,
        Err(error) => Previous::Unreadable(format!("cannot read it: {error}")),
    }
}

/// The manifest given with `--since FILE`: the maintainer asked for it, so anything but a
/// readable manifest is an error.
pub(crate) fn read_since(path: &Path) -> Result<Previous, String> {
    let text = fs::read_to_string(path)
        .map_err(|error| format!("error: --since {}: cannot read it: {error}", path.display()))?;
    ApiManifest::from_json(&text)
        .map(|manifest| Previous::Manifest(Box::new(manifest)))
        .map_err(|error| format!("error: --since {}: {error}", path.display()))
}

/// What to print and what `--report FILE` gets.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ApiReport {
    /// For the terminal (stdout).
    pub text: String,
    /// A warning for stderr: the previous manifest could not be read.
    pub warning: Option<String>,
    /// The changelog section, or why there is none.
    pub markdown: Result<String, String>,
}

/// The report of `new` against `previous` (shown as `against`), for the crate `package` at
/// `version`. A version that cannot be read does not stop the regeneration: the changes are
/// still listed, and the bump line says why there is none.
pub(crate) fn api_report(
    previous: &Previous,
    against: &str,
    new: &ApiManifest,
    package: &str,
    version: Result<Version, String>,
) -> ApiReport {
    match previous {
        Previous::Manifest(old) => {
            let changes = ApiChanges::between(old, new);
            match version {
                Ok(version) => {
                    let next = changes.suggest(version).next;
                    ApiReport {
                        text: format!("API changes against {against}:\n{}", changes.text(version)),
                        warning: None,
                        markdown: Ok(changes.markdown(&format!("{package} {next}"), version)),
                    }
                }
                Err(error) => {
                    let error = error.trim_start_matches("error: ");
                    ApiReport {
                        text: format!(
                            "API changes against {against}:\n{}suggested version bump: unknown, the current version is not readable\n",
                            changes.lines()
                        ),
                        warning: Some(format!("warning: {error}")),
                        markdown: Err(format!("{error}, so no bump can be suggested")),
                    }
                }
            }
        }
        Previous::Missing => ApiReport {
            text: format!(
                "no API manifest at {against} yet, so no API report: the next regeneration compares with the one written now\n"
            ),
            warning: None,
            markdown: Err("no previous API manifest to compare with".to_owned()),
        },
        Previous::Unreadable(error) => ApiReport {
            text: String::new(),
            warning: Some(format!(
                "warning: {against}: {error}; no API report this time (the regeneration writes a new manifest)"
            )),
            markdown: Err(format!("{against} is not a readable API manifest")),
        },
    }
}

/// Writes the Markdown of `report` to `path` (`--report FILE`); without a report there is
/// nothing to write, which is said rather than leaving an empty or stale file.
pub(crate) fn write_markdown(report: &ApiReport, path: &Path) -> Result<(), String> {
    let markdown = report.markdown.as_ref().map_err(|why| {
        format!(
            "error: --report {}: {why}, so no report was written",
            path.display()
        )
    })?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|error| format!("error: cannot create {}: {error}", parent.display()))?;
    }
    fs::write(path, markdown).map_err(|error| {
        format!(
            "error: --report {}: cannot write it: {error}",
            path.display()
        )
    })
}

/// The version of the package whose manifest is `manifest` (relative to `root`): its own
/// `version = "…"`, or with `version.workspace = true` the workspace's `[workspace.package]` one.
pub(crate) fn package_version(root: &Path, manifest: &str) -> Result<Version, String> {
    let read = |relative: &str| {
        fs::read_to_string(root.join(relative))
            .map_err(|error| format!("error: cannot read {relative}: {error}"))
    };
    let text = read(manifest)?;
    let (source, version) = match table_value(&text, "package", "version") {
        Some(version) => (manifest.to_owned(), version),
        None if table_value(&text, "package", "version.workspace").as_deref() == Some("true") => {
            let workspace = read("Cargo.toml")?;
            let version = table_value(&workspace, "workspace.package", "version").ok_or(
                format!("error: Cargo.toml: no `version` in [workspace.package], which {manifest} inherits"),
            )?;
            ("Cargo.toml".to_owned(), version)
        }
        None => return Err(format!("error: {manifest}: no `version` in [package]")),
    };
    Version::parse(&version).map_err(|error| format!("error: {source}: {error}"))
}

/// The value of `key = value` in `[table]` of a Cargo manifest, unquoted: enough TOML for the
/// `version` lines cargo itself accepts there.
fn table_value(text: &str, table: &str, key: &str) -> Option<String> {
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line.trim_start_matches('[').trim_end_matches(']').trim() == table;
            continue;
        }
        if !inside {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if name.trim() == key {
            let value = value.split('#').next().unwrap_or_default().trim();
            return Some(value.trim_matches('"').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-api-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let _ = fs::create_dir_all(&dir);
        dir
    }

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            let _ = fs::create_dir_all(parent);
        }
        fs::write(path, text).unwrap_or_else(|error| panic!("{error}"));
    }

    #[test]
    fn the_version_is_the_packages_or_the_workspaces() {
        let dir = scratch("version");
        write(
            &dir.join("Cargo.toml"),
            "[workspace]\n[workspace.package]\nversion = \"0.4.2\" # the release\n",
        );
        write(
            &dir.join("a/Cargo.toml"),
            "[package]\nname = \"a\"\nversion.workspace = true\n",
        );
        write(
            &dir.join("b/Cargo.toml"),
            "[package]\nname = \"b\"\nversion = \"1.0.0\"\n[dependencies]\nversion = \"9\"\n",
        );
        write(&dir.join("c/Cargo.toml"), "[package]\nname = \"c\"\n");
        write(&dir.join("d/Cargo.toml"), "[package]\nversion = \"1.0\"\n");
        assert_eq!(
            package_version(&dir, "a/Cargo.toml"),
            Ok(Version {
                major: 0,
                minor: 4,
                patch: 2
            })
        );
        assert_eq!(
            package_version(&dir, "b/Cargo.toml"),
            Ok(Version {
                major: 1,
                minor: 0,
                patch: 0
            })
        );
        assert_eq!(
            package_version(&dir, "c/Cargo.toml"),
            Err("error: c/Cargo.toml: no `version` in [package]".to_owned())
        );
        assert_eq!(
            package_version(&dir, "d/Cargo.toml"),
            Err(
                "error: d/Cargo.toml: version `1.0` is not of the form MAJOR.MINOR.PATCH"
                    .to_owned()
            )
        );
        assert!(
            package_version(&dir, "e/Cargo.toml")
                .is_err_and(|e| e.starts_with("error: cannot read e/Cargo.toml"))
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// This workspace's own client: the version the report starts from.
    #[test]
    fn hss_clients_version_is_read() {
        let root = crate::codegen::workspace_root().unwrap_or_else(|error| panic!("{error}"));
        assert!(package_version(&root, "hss-client/Cargo.toml").is_ok());
    }

    #[test]
    fn previous_manifests_are_read_or_explained() {
        let dir = scratch("previous");
        assert!(matches!(
            read_previous(&dir.join("none.json")),
            Previous::Missing
        ));
        write(&dir.join("bad.json"), "{\"format\": 7}");
        assert!(matches!(
            read_previous(&dir.join("bad.json")),
            Previous::Unreadable(error) if error == "API manifest format 7 is not the format 1 this generator reads"
        ));
        assert_eq!(
            read_since(&dir.join("bad.json")).err(),
            Some(format!(
                "error: --since {}: API manifest format 7 is not the format 1 this generator reads",
                dir.join("bad.json").display()
            ))
        );
        assert!(read_since(&dir.join("none.json")).is_err_and(|e| e.contains("cannot read it")));
        let _ = fs::remove_dir_all(&dir);
    }

    fn manifest(spec: &str) -> ApiManifest {
        let config = codegen::Config::new("s.yaml", "cargo xtask codegen");
        codegen::generate(spec, &config)
            .unwrap_or_else(|errors| panic!("{errors}"))
            .api
    }

    const BEFORE: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: GetA, responses: {'204': {description: none}}}\n";

    #[test]
    fn the_report_compares_writes_markdown_or_says_why_not() {
        let after = format!(
            "{BEFORE}  /b:\n    get: {{operationId: GetB, responses: {{'204': {{description: none}}}}}}\n"
        );
        let version = || {
            Ok(Version {
                major: 0,
                minor: 1,
                patch: 0,
            })
        };
        let previous = Previous::Manifest(Box::new(manifest(BEFORE)));
        let new = manifest(&after);
        let report = api_report(&previous, "g/api.json", &new, "pets", version());
        assert_eq!(
            report.text,
            "API changes against g/api.json:\n\
             additive  operation GetB (get_b): added: `get_b()`\n\
             1 change: 0 breaking, 1 additive, 0 docs\n\
             suggested version bump: patch (0.1.0 -> 0.1.1): no breaking change; cargo's semver rule makes 0.y.z compatible with every 0.y.z' of the same 0.y, so additions and fixes bump z\n"
        );
        let dir = scratch("markdown");
        let path = dir.join("notes/CHANGES.md");
        assert_eq!(write_markdown(&report, &path), Ok(()));
        let written = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            written.starts_with("## pets 0.1.1\n\nSuggested version bump: **patch**"),
            "{written}"
        );
        assert!(
            written.contains("### Additions\n\n- `operation GetB (get_b)`: added: `get_b()`\n"),
            "{written}"
        );

        let missing = api_report(&Previous::Missing, "g/api.json", &new, "pets", version());
        assert!(
            missing
                .text
                .starts_with("no API manifest at g/api.json yet"),
            "{}",
            missing.text
        );
        let nowhere = dir.join("x.md");
        assert_eq!(
            write_markdown(&missing, &nowhere),
            Err(format!(
                "error: --report {}: no previous API manifest to compare with, so no report was written",
                nowhere.display()
            ))
        );
        assert!(!nowhere.exists());

        // A version the bump cannot start from: the changes are still listed.
        let unversioned = Err(
            "error: Cargo.toml: version `1.0.0-rc.1` has a pre-release or build part".to_owned(),
        );
        let no_version = api_report(&previous, "g/api.json", &new, "pets", unversioned);
        assert_eq!(
            no_version.text,
            "API changes against g/api.json:\n\
             additive  operation GetB (get_b): added: `get_b()`\n\
             1 change: 0 breaking, 1 additive, 0 docs\n\
             suggested version bump: unknown, the current version is not readable\n"
        );
        assert_eq!(
            no_version.warning.as_deref(),
            Some("warning: Cargo.toml: version `1.0.0-rc.1` has a pre-release or build part")
        );
        assert!(
            write_markdown(&no_version, &nowhere).is_err_and(
                |e| e.ends_with("so no bump can be suggested, so no report was written")
            )
        );

        let unreadable = Previous::Unreadable("not an API manifest: EOF".to_owned());
        let report = api_report(&unreadable, "g/api.json", &new, "pets", version());
        assert_eq!(
            report.warning.as_deref(),
            Some(
                "warning: g/api.json: not an API manifest: EOF; no API report this time (the regeneration writes a new manifest)"
            )
        );
        assert_eq!(report.text, "");
        let _ = fs::remove_dir_all(&dir);
    }
}
