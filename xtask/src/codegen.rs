//! Generating code: `hss-client`'s own generated modules (written, or checked for drift by both
//! `--check` and the `generated_code_is_fresh` test) and standalone crates for any spec.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::{Config, Diagnostic, Generated, Runtime};

/// The spec of `hss-client`, relative to the workspace root.
const SPEC: &str = "spec/hss.yaml";
/// Where `hss-client`'s generated files live, relative to the workspace root.
const GENERATED_DIR: &str = "hss-client/src/generated";
/// The command that regenerates them (shown in headers and in stale-file errors).
const REGENERATE: &str = "cargo xtask codegen";

/// The workspace root of the checkout `cargo xtask` runs in, found at run time from the current
/// directory. Not `env!("CARGO_MANIFEST_DIR")`: with a target directory shared between checkouts,
/// cargo reuses the xtask binary built for another checkout, which would then work on that one.
pub(crate) fn workspace_root() -> Result<PathBuf, String> {
    let current = std::env::current_dir()
        .map_err(|error| format!("error: cannot read the current directory: {error}"))?;
    find_workspace_root(&current)
}

/// The nearest ancestor of `start` (itself included) whose `Cargo.toml` declares a
/// `[workspace]` and which holds `xtask/Cargo.toml`: the root of this repository's workspace,
/// not of a generated crate (whose manifest has an empty `[workspace]` of its own) nor of a
/// member crate.
pub(crate) fn find_workspace_root(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let Ok(manifest) = fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let declares_workspace = manifest.lines().any(|line| line.trim() == "[workspace]");
        if declares_workspace && dir.join("xtask/Cargo.toml").is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "error: no workspace with an xtask crate in {} or its parents; run `cargo xtask` inside the checkout",
        start.display()
    ))
}

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Write,
    Check,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileOutcome {
    Unchanged,
    Written,
    /// Check mode: the file differs; the unified diff from the file to the expected text.
    Stale(String),
}

/// The result of generating `hss-client`'s files.
#[derive(Debug)]
pub(crate) struct Report {
    pub files: Vec<(String, FileOutcome)>,
    pub generated: Generated,
}

impl Report {
    /// The stale files' error text (naming each file, its diff and the command), if any.
    pub(crate) fn stale_error(&self) -> Option<String> {
        let mut message = String::new();
        for (path, outcome) in &self.files {
            if let FileOutcome::Stale(diff) = outcome {
                let _ = writeln!(message, "error: {path} is stale\n{diff}");
            }
        }
        if message.is_empty() {
            return None;
        }
        let _ = write!(message, "run `{REGENERATE}` to update the generated code");
        Some(message)
    }
}

/// Generates `hss-client`'s files from the spec and writes or checks them. This one function
/// serves `cargo xtask codegen`, `--check` and the freshness test.
pub(crate) fn hss_client_codegen(root: &Path, mode: Mode) -> Result<Report, String> {
    let spec_path = root.join(SPEC);
    let spec = read(&spec_path)?;
    let config = Config {
        runtime: Runtime::InCrate,
        spec_path: SPEC.to_owned(),
        regenerate_command: REGENERATE.to_owned(),
    };
    let generated = codegen::generate(&spec, &config).map_err(|errors| errors.to_string())?;
    let mut files = Vec::new();
    for file in &generated.files {
        let relative = format!("{GENERATED_DIR}/{}", file.path);
        let outcome = ensure_file_contents(&root.join(&relative), &relative, &file.contents, mode)?;
        files.push((relative, outcome));
    }
    Ok(Report { files, generated })
}

/// Makes `path` hold `contents` (write mode) or reports how it differs (check mode).
pub(crate) fn ensure_file_contents(
    path: &Path,
    shown: &str,
    contents: &str,
    mode: Mode,
) -> Result<FileOutcome, String> {
    let current = match fs::read_to_string(path) {
        Ok(current) => Some(current),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(format!("error: cannot read {}: {error}", path.display())),
    };
    if current.as_deref() == Some(contents) {
        return Ok(FileOutcome::Unchanged);
    }
    match mode {
        Mode::Check => {
            let diff =
                similar::TextDiff::from_lines(current.as_deref().unwrap_or_default(), contents)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{shown} (on disk)"),
                        &format!("{shown} (generated)"),
                    )
                    .to_string();
            Ok(FileOutcome::Stale(diff))
        }
        Mode::Write => {
            write(path, contents)?;
            Ok(FileOutcome::Written)
        }
    }
}

/// `cargo xtask codegen [--check]`.
pub(crate) fn codegen_command(root: &Path, check: bool) -> Result<(), String> {
    let started = Instant::now();
    let mode = if check { Mode::Check } else { Mode::Write };
    let report = hss_client_codegen(root, mode)?;
    print_warnings(&report.generated.warnings);
    if let Some(error) = report.stale_error() {
        return Err(error);
    }
    for (path, outcome) in &report.files {
        let verb = match outcome {
            FileOutcome::Written => "wrote",
            FileOutcome::Unchanged | FileOutcome::Stale(_) => "unchanged",
        };
        println!("{verb} {path}");
    }
    println!(
        "{} operations, {} models in {} ms",
        report.generated.operations,
        report.generated.models,
        started.elapsed().as_millis()
    );
    Ok(())
}

/// `cargo xtask generate --spec FILE --out DIR`: a standalone crate on the `hss-client` runtime.
pub(crate) fn generate_command(root: &Path, spec: &Path, out: &Path) -> Result<(), String> {
    let started = Instant::now();
    let text = read(spec)?;
    let config = Config {
        runtime: Runtime::External {
            crate_name: "hss_client".to_owned(),
        },
        spec_path: spec.display().to_string(),
        regenerate_command: format!(
            "cargo xtask generate --spec {} --out {}",
            spec.display(),
            out.display()
        ),
    };
    let generated = codegen::generate(&text, &config).map_err(|errors| errors.to_string())?;
    print_warnings(&generated.warnings);
    let runtime = runtime_path(out, &root.join("hss-client"))?;
    let manifest = cargo_toml(&crate_name(out), &runtime);
    let mut files = vec![(out.join("Cargo.toml"), manifest)];
    for file in &generated.files {
        files.push((out.join("src").join(&file.path), file.contents.clone()));
    }
    for (path, contents) in files {
        let shown = path.display().to_string();
        let outcome = ensure_file_contents(&path, &shown, &contents, Mode::Write)?;
        let verb = if outcome == FileOutcome::Written {
            "wrote"
        } else {
            "unchanged"
        };
        println!("{verb} {shown}");
    }
    println!(
        "{} operations, {} models in {} ms",
        generated.operations,
        generated.models,
        started.elapsed().as_millis()
    );
    Ok(())
}

fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("{warning}");
    }
}

/// A package name from the output directory's name: lower case, `-` for anything else, never
/// starting with a digit, never empty.
pub(crate) fn crate_name(out: &Path) -> String {
    let base = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_owned();
    if name.is_empty() {
        "generated-client".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    }
}

/// The path from the output directory (created here) to the runtime crate, as the generated
/// manifest names it: relative, so that it names no directory of this machine and holds as long
/// as the output and the checkout keep their places relative to each other.
pub(crate) fn runtime_path(out: &Path, hss_client: &Path) -> Result<PathBuf, String> {
    fs::create_dir_all(out)
        .map_err(|error| format!("error: cannot create {}: {error}", out.display()))?;
    let canonical = |path: &Path| {
        fs::canonicalize(path)
            .map_err(|error| format!("error: cannot resolve {}: {error}", path.display()))
    };
    Ok(relative_path(&canonical(out)?, &canonical(hss_client)?))
}

/// `to` relative to the directory `from` (both absolute and normalised); `to` itself when they
/// share no root (another drive).
pub(crate) fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_path_buf();
    }
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for part in &to_parts[common..] {
        relative.push(part);
    }
    relative
}

/// The standalone crate's manifest. The empty `[workspace]` keeps it out of any enclosing
/// workspace, so it builds wherever it is written.
pub(crate) fn cargo_toml(name: &str, hss_client: &Path) -> String {
    let path = hss_client.display().to_string().replace('\\', "/");
    format!(
        r#"# @generated by `cargo xtask generate`.
[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
hss-client = {{ path = "{path}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
bytes = "1"

[workspace]
"#
    )
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path)
        .map_err(|error| format!("error: cannot read {}: {error}", path.display()))
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|error| format!("error: cannot create {}: {error}", parent.display()))?;
    }
    fs::write(path, contents)
        .map_err(|error| format!("error: cannot write {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test --workspace` fails when the committed generated code is stale.
    #[test]
    fn generated_code_is_fresh() {
        let root = workspace_root().unwrap_or_else(|error| panic!("{error}"));
        let report =
            hss_client_codegen(&root, Mode::Check).unwrap_or_else(|error| panic!("{error}"));
        if let Some(error) = report.stale_error() {
            panic!("{error}");
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn check_mode_reports_a_diff_and_writes_nothing() {
        let dir = scratch("check");
        let path = dir.join("a.rs");
        write(&path, "one\ntwo\n").unwrap_or_else(|e| panic!("{e}"));
        let outcome = ensure_file_contents(&path, "a.rs", "one\nthree\n", Mode::Check);
        let Ok(FileOutcome::Stale(diff)) = outcome else {
            panic!("expected a stale file, got {outcome:?}");
        };
        assert!(diff.contains("-two\n+three\n"), "{diff}");
        assert!(diff.contains("a.rs (on disk)"), "{diff}");
        assert_eq!(
            fs::read_to_string(&path).ok().as_deref(),
            Some("one\ntwo\n")
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn write_mode_writes_once_then_reports_unchanged() {
        let dir = scratch("write");
        let path = dir.join("sub/a.rs");
        assert_eq!(
            ensure_file_contents(&path, "a", "x\n", Mode::Write),
            Ok(FileOutcome::Written)
        );
        assert_eq!(
            ensure_file_contents(&path, "a", "x\n", Mode::Write),
            Ok(FileOutcome::Unchanged)
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn stale_error_names_the_file_and_the_command() {
        let report = Report {
            files: vec![
                (
                    "g/models.rs".to_owned(),
                    FileOutcome::Stale("DIFF\n".to_owned()),
                ),
                ("g/operations.rs".to_owned(), FileOutcome::Unchanged),
            ],
            generated: Generated {
                files: Vec::new(),
                warnings: Vec::new(),
                operations: 0,
                models: 0,
            },
        };
        assert_eq!(
            report.stale_error().as_deref(),
            Some(
                "error: g/models.rs is stale\nDIFF\n\nrun `cargo xtask codegen` to update the generated code"
            )
        );
    }

    /// The root is found from where xtask runs, not where it was compiled: a copy of the
    /// workspace's skeleton elsewhere is found from itself and from any directory inside it, and
    /// an enclosing generated crate's own `[workspace]` is passed over.
    #[test]
    fn the_workspace_root_is_found_from_the_current_checkout() {
        let dir = scratch("root");
        let root = dir.join("checkout");
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"xtask\"]\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        write(
            &root.join("xtask/Cargo.toml"),
            "[package]\nname = \"xtask\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let generated = root.join("target/out/pets");
        write(&generated.join("Cargo.toml"), "[package]\n\n[workspace]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        for start in [root.clone(), root.join("xtask"), generated.join("src")] {
            assert_eq!(
                find_workspace_root(&start),
                Ok(root.clone()),
                "from {start:?}"
            );
        }
        let outside = dir.join("elsewhere");
        let error = find_workspace_root(&outside).expect_err("no workspace above a bare dir");
        assert!(
            error.starts_with("error: no workspace with an xtask crate in"),
            "{error}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    /// Run from this crate's directory (as `cargo test` does), the root is this checkout.
    #[test]
    fn the_workspace_root_of_the_test_run_is_this_checkout() {
        let expected = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf);
        assert_eq!(workspace_root().ok(), expected);
    }

    #[test]
    fn crate_names_are_sanitised() {
        assert_eq!(crate_name(Path::new("/tmp/My Client")), "my-client");
        assert_eq!(crate_name(Path::new("out/2fa")), "api-2fa");
        assert_eq!(crate_name(Path::new("/")), "generated-client");
    }

    #[test]
    fn manifest_depends_on_hss_client_by_path_and_stands_alone() {
        let manifest = cargo_toml("pets", Path::new("../../w/hss-client"));
        assert!(manifest.contains("name = \"pets\""));
        assert!(manifest.contains("hss-client = { path = \"../../w/hss-client\" }"));
        assert!(manifest.trim_end().ends_with("[workspace]"));
    }

    #[test]
    fn relative_paths_lead_from_the_output_to_the_runtime() {
        #[rustfmt::skip]
        let cases = [
            ("/tmp/out", "/work/repo/hss-client", "../../work/repo/hss-client"),
            ("/work/repo/target/out/pets", "/work/repo/hss-client", "../../../hss-client"),
            ("/work/repo", "/work/repo/hss-client", "hss-client"),
            ("/work/repo/hss-client/x", "/work/repo/hss-client", ".."),
        ];
        for (from, to, expected) in cases {
            assert_eq!(
                relative_path(Path::new(from), Path::new(to)),
                PathBuf::from(expected),
                "{from} -> {to}"
            );
        }
    }

    /// The done-when of a service of its own: `generate` writes a crate outside the workspace
    /// (a temp dir) that builds there and whose client resolves that service's endpoints, its
    /// override variable and its user-agent product (the check is an example run in the crate).
    #[test]
    fn a_generated_service_builds_outside_the_workspace_and_resolves_its_endpoints() {
        let root = workspace_root().unwrap_or_else(|error| panic!("{error}"));
        let dir = scratch("generate");
        let out = dir.join("vpc-client");
        let spec = root.join("tests/fixtures/ok/service_regions.yaml");
        generate_command(&root, &spec, &out).unwrap_or_else(|error| panic!("{error}"));
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
        assert!(
            manifest.contains("hss-client = { path = \"../"),
            "{manifest}"
        );
        assert!(!manifest.contains("path = \"/"), "{manifest}");
        fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .unwrap_or_else(|error| panic!("{error}"));
        write(&out.join("examples/check.rs"), CHECK).unwrap_or_else(|e| panic!("{e}"));
        let run = ::tests::scratch::cargo(&out, &["run", "--quiet", "--example", "check"])
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(
            run.success && run.diagnostics.is_empty() && run.stdout.trim() == "ok",
            "{}\n{}\n{}",
            run.diagnostics.join("\n"),
            run.stdout,
            run.stderr
        );
        let _ = fs::remove_dir_all(&dir);
    }

    const CHECK: &str = r#"
use hss_client::Credentials;
use vpc_client::{Client, regions};

fn builder() -> hss_client::ClientBuilder {
    Client::builder()
        .credentials(Credentials::permanent("AK", "SK"))
        .project_id("p")
        .home_dir("/nonexistent-home")
        .env_lookup(|name| {
            (name == "HUAWEICLOUD_SDK_REGION_VPC_XX_SOUTH_2").then(|| "http://127.0.0.1:9".to_owned())
        })
}

fn main() {
    let endpoint = |builder: hss_client::ClientBuilder| match builder.build() {
        Ok(client) => Client::from(client).as_runtime().endpoint().to_string(),
        Err(error) => error.to_string(),
    };
    assert_eq!(endpoint(builder().region(regions::XX_NORTH_1)), "https://vpc.xx-north-1.example-cloud.com/api");
    assert_eq!(endpoint(builder().region(regions::EU_FAR_1)), "https://vpc.eu-far-1.example-cloud.eu");
    assert_eq!(endpoint(builder().region_id("xx-south-2")), "http://127.0.0.1:9");
    let unknown = endpoint(builder().region_id("cn-north-4"));
    assert!(unknown.contains("HUAWEICLOUD_SDK_REGION_VPC_CN_NORTH_4"), "{unknown}");
    assert!(unknown.ends_with("known regions: xx-north-1, xx-south-2, eu-far-1, all, xx_north_1"), "{unknown}");
    assert_eq!(regions::from_id("eu-far-1"), Some(regions::EU_FAR_1));
    assert_eq!(regions::ALL.len(), 5);
    let client = builder().region(regions::XX_NORTH_1).build().expect("builds");
    assert_eq!(client.user_agent(), concat!("vpc-client-rust/", env!("CARGO_PKG_VERSION")));
    println!("ok");
}
"#;
}
