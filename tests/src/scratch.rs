//! Scratch workspaces of generated crates, compiled by a nested `cargo` to prove that the
//! generated code builds (without warnings) and behaves.
//!
//! Scratch workspaces live under `<target>/scratch/<name>/`. The nested cargo builds into the
//! outer target directory itself (or `HSS_SCRATCH_TARGET_DIR` when set), so repeated runs are
//! incremental; cargo releases its lock on the target directory before it runs test binaries.
//! Files are written only when their contents change, which keeps cargo's fingerprints fresh.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fixtures::workspace_root;

/// The dependencies of a generated crate besides the runtime crate, as `cargo xtask generate`
/// writes them into its `Cargo.toml`.
pub const GENERATED_DEPENDENCIES: &[&str] = &[
    r#"serde = { version = "1", features = ["derive"] }"#,
    r#"serde_json = "1""#,
    r#"bytes = "1""#,
];

/// One crate of a scratch workspace.
#[derive(Debug, Clone, Default)]
pub struct ScratchCrate {
    /// The package name (also its directory).
    pub name: String,
    /// Files relative to the crate directory (such as `src/lib.rs`) and their contents.
    pub files: Vec<(String, String)>,
    /// Extra lines for `[dependencies]`, such as `serde_json = "1"`.
    pub dependencies: Vec<String>,
    /// The generated crate's feature groups (`x-feature-groups`); each becomes a feature.
    pub features: Vec<String>,
    /// The features a plain `cargo build` compiles.
    pub default_features: Vec<String>,
}

/// What a nested cargo reported.
#[derive(Debug, Clone)]
pub struct CargoRun {
    /// Whether cargo exited with success.
    pub success: bool,
    /// Compiler warnings and errors about files of the scratch workspace, rendered.
    pub diagnostics: Vec<String>,
    /// Standard output that is not a JSON message (the program's own output for `cargo run`).
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// The target directory the running test binary was built into (`<target>/debug/deps/<bin>`).
pub fn outer_target_dir() -> PathBuf {
    let fallback = workspace_root().join("target");
    let Ok(exe) = std::env::current_exe() else {
        return fallback;
    };
    exe.ancestors()
        .find(|dir| {
            dir.file_name()
                .is_some_and(|name| name == "debug" || name == "release")
        })
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or(fallback)
}

/// `<target>/scratch`, the parent of all scratch workspaces and of their shared target dir.
pub fn scratch_root() -> PathBuf {
    outer_target_dir().join("scratch")
}

/// A crate of generated files (`src/lib.rs`, `src/models.rs`, `src/operations.rs`) with the
/// dependencies `cargo xtask generate` gives it.
pub fn generated_crate(name: &str, generated: &codegen::Generated) -> ScratchCrate {
    ScratchCrate {
        name: name.to_owned(),
        files: generated
            .files
            .iter()
            .map(|file| (format!("src/{}", file.path), file.contents.clone()))
            .collect(),
        dependencies: GENERATED_DEPENDENCIES
            .iter()
            .map(|d| (*d).to_owned())
            .collect(),
        features: generated.features.clone(),
        default_features: generated.features.clone(),
    }
}

/// A package name for a spec file name: lower case ASCII letters, digits and `_`.
pub fn package_name(prefix: &str, name: &str) -> String {
    let mut package = String::from(prefix);
    for c in name.chars() {
        package.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    package
}

/// The target directory of the nested cargo: `HSS_SCRATCH_TARGET_DIR` when set, else the
/// outer target directory itself, so the runtime's dependencies are not compiled twice.
pub fn scratch_target_dir() -> PathBuf {
    std::env::var_os("HSS_SCRATCH_TARGET_DIR").map_or_else(outer_target_dir, PathBuf::from)
}

/// Writes `contents` to `path` unless it already holds exactly that.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)
}

/// No debug info and no incremental state: the scratch builds share no artifacts with the outer
/// build anyway (features unify differently), and these settings make a cold build much faster.
const PROFILE: &str = "[profile.dev]\ndebug = 0\nincremental = false\n";

/// Lays out a workspace named `name` with `crates` under [`scratch_root`] and returns its directory.
///
/// Crates of an earlier run that are not in `crates` are removed. The workspace starts from a
/// copy of the project's `Cargo.lock`, so it resolves to the same dependency versions offline.
pub fn write_workspace(name: &str, crates: &[ScratchCrate]) -> io::Result<PathBuf> {
    let dir = scratch_root().join(name);
    fs::create_dir_all(&dir)?;
    let runtime = workspace_root().join("runtime/huaweicloud-runtime");
    let members: Vec<String> = crates.iter().map(|c| format!("{:?}", c.name)).collect();
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{PROFILE}",
            members.join(", ")
        ),
    )?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        fs::copy(workspace_root().join("Cargo.lock"), &lock)?;
    }
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let stale = path.is_dir()
            && path.join("Cargo.toml").exists()
            && !crates
                .iter()
                .any(|c| path.file_name().is_some_and(|n| n == c.name.as_str()));
        if stale {
            fs::remove_dir_all(&path)?;
        }
    }
    for krate in crates {
        let crate_dir = dir.join(&krate.name);
        let mut manifest = format!(
            "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nhuaweicloud-runtime = {{ path = {:?} }}\n",
            krate.name,
            runtime.display().to_string()
        );
        for dependency in &krate.dependencies {
            manifest.push_str(dependency);
            manifest.push('\n');
        }
        if !krate.features.is_empty() || !krate.default_features.is_empty() {
            let quoted = |features: &[String]| {
                features
                    .iter()
                    .map(|feature| format!("{feature:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            manifest.push_str(&format!(
                "\n[features]\ndefault = [{}]\n",
                quoted(&krate.default_features)
            ));
            for feature in &krate.features {
                manifest.push_str(&format!("{feature:?} = []\n"));
            }
        } else {
            manifest.push_str("\n[features]\n");
        }
        manifest.push_str("test-util = [\"huaweicloud-runtime/test-util\"]\n");
        write_if_changed(&crate_dir.join("Cargo.toml"), &manifest)?;
        let mut wanted = Vec::new();
        for (path, contents) in &krate.files {
            let path = crate_dir.join(path);
            write_if_changed(&path, contents)?;
            wanted.push(path);
        }
        remove_unlisted(&crate_dir.join("src"), &wanted)?;
    }
    Ok(dir)
}

fn remove_unlisted(dir: &Path, wanted: &[PathBuf]) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            remove_unlisted(&path, wanted)?;
        } else if !wanted.contains(&path) {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Runs `cargo <args> --offline --message-format=json` in the scratch workspace `dir`, with the
/// shared scratch target directory, and collects the compiler's messages about `dir`'s files.
pub fn cargo(dir: &Path, args: &[&str]) -> io::Result<CargoRun> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .args(["--offline", "--message-format=json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .output()?;
    let dir_text = dir.display().to_string();
    let mut diagnostics = Vec::new();
    let mut stdout = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            stdout.push_str(line);
            stdout.push('\n');
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let ours = message["manifest_path"]
            .as_str()
            .is_some_and(|manifest| manifest.starts_with(&dir_text));
        let level = message["message"]["level"].as_str().unwrap_or_default();
        if ours && matches!(level, "warning" | "error") {
            let rendered = message["message"]["rendered"]
                .as_str()
                .or_else(|| message["message"]["message"].as_str())
                .unwrap_or_default();
            diagnostics.push(rendered.to_owned());
        }
    }
    Ok(CargoRun {
        success: output.status.success(),
        diagnostics,
        stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}
