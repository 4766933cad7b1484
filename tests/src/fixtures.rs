//! Finding fixture specs on disk and rendering the generator's answer as snapshot text.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codegen::{Config, Diagnostics, Generated};

/// One spec file read from a fixture directory.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// A stable name for snapshots: the file stem, plus `_<extension>` when the extension is not `yaml`.
    pub name: String,
    /// Where the file is.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// The workspace root (the parent of the `tests` crate).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `tests/fixtures/<kind>` (`ok`, `broken` or `behaviour`).
pub fn fixture_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind)
}

/// `spec/hss.yaml`, the spec of the real client.
pub fn hss_spec_path() -> PathBuf {
    workspace_root().join("spec/hss.yaml")
}

/// Every spec file (`.yaml`, `.yml`, `.json`, `.txt`) in `dir`, sorted by file name.
pub fn list(dir: &Path) -> io::Result<Vec<Fixture>> {
    let mut fixtures = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(extension, "yaml" | "yml" | "json" | "txt") || !path.is_file() {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let name = if extension == "yaml" {
            stem.to_owned()
        } else {
            format!("{stem}_{extension}")
        };
        let text = fs::read_to_string(&path)?;
        fixtures.push(Fixture { name, path, text });
    }
    fixtures.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(fixtures)
}

/// Every folder fixture in `dir` (a folder with its root document `openapi.yaml`, the files it
/// references beside it), sorted by name: the folder's name and the root's path.
pub fn list_folders(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let root = path.join("openapi.yaml");
        if root.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            folders.push((name, root));
        }
    }
    folders.sort();
    Ok(folders)
}

/// Generates the spec whose root document is `root`, reading the files it references from the
/// root's folder, as `cargo xtask generate` does.
pub fn generate_files(root: &Path, config: &Config) -> Result<Generated, Diagnostics> {
    let folder = root.parent().unwrap_or(Path::new(""));
    let root_file = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = |path: &str| fs::read_to_string(folder.join(path)).map_err(|e| e.to_string());
    codegen::generate_files(&root_file, &read, config)
}

/// A generator configuration whose header text does not depend on the machine.
pub fn config(spec_path: &str) -> Config {
    Config::new(
        spec_path,
        format!("cargo xtask generate --spec {spec_path} --out DIR"),
    )
}

/// All generated files, each after a `// ---- <path> ----` line, then the warnings, one per line.
pub fn render(generated: &Generated) -> String {
    let mut text = String::new();
    for file in &generated.files {
        text.push_str(&format!("// ---- {} ----\n", file.path));
        text.push_str(&file.contents);
        if !file.contents.ends_with('\n') {
            text.push('\n');
        }
    }
    text.push_str(&format!(
        "// ---- {} operations, {} models, {} warnings ----\n",
        generated.operations,
        generated.models,
        generated.warnings.len()
    ));
    for warning in &generated.warnings {
        text.push_str(&format!("{warning}\n"));
    }
    text
}

/// The generator's error text, as a user sees it.
pub fn render_errors(diagnostics: &Diagnostics) -> String {
    diagnostics.to_string()
}

/// Which lines of a diagnostics text break the format `error: <pointer>: <message>` (or `warning:`).
///
/// The pointer is `#` or starts with `#/`, or names another file of the spec first
/// (`paths/users.yaml#/get`); the message is not empty.
pub fn malformed_diagnostic_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !is_diagnostic_line(line))
        .map(str::to_owned)
        .collect()
}

fn is_diagnostic_line(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix("error: ")
        .or_else(|| line.strip_prefix("warning: "))
    else {
        return false;
    };
    let Some((pointer, message)) = rest.split_once(": ") else {
        return false;
    };
    let fragment = pointer.find('#').map_or("", |at| &pointer[at..]);
    (fragment == "#" || fragment.starts_with("#/")) && !message.trim().is_empty()
}
