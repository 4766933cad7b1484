//! `cargo xtask import-sdk`: writes `spec/hss.yaml` from the official Python SDK's facts and the
//! curated overlays in `spec/overlays/`.
//!
//! The Python half (`xtask/import_sdk/`) reads the SDK and builds the document; this half pins the
//! SDK version, installs it into a private virtual environment under `target/import-sdk/`, runs the
//! two scripts, and writes or (`--check`) compares the spec.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// PyYAML writes the spec; pinned so the same SDK version always gives the same bytes.
const PYYAML: &str = "PyYAML==6.0.4";

/// What `import-sdk` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImportOptions {
    /// The `huaweicloudsdkhss` (and `huaweicloudsdkcore`) version, such as `3.1.219`.
    pub version: String,
    /// An interpreter that already has that SDK and PyYAML, instead of the private environment.
    pub python: Option<PathBuf>,
    /// Compare with the committed spec instead of writing it.
    pub check: bool,
}

pub(crate) fn import_command(root: &Path, options: &ImportOptions) -> Result<(), String> {
    check_version(&options.version)?;
    let work = root.join("target").join("import-sdk");
    fs::create_dir_all(&work)
        .map_err(|error| format!("cannot create {}: {error}", work.display()))?;
    let python = match &options.python {
        Some(python) => python.clone(),
        None => private_environment(&work, &options.version)?,
    };
    let installed = installed_version(&python)?;
    if installed != options.version {
        return Err(format!(
            "{} has huaweicloudsdkhss {installed}, not {}",
            python.display(),
            options.version
        ));
    }
    let scripts = root.join("xtask").join("import_sdk");
    let facts = work.join(format!("facts-{}.json", options.version));
    let facts_json = run(
        Command::new(&python).arg(scripts.join("read_sdk.py")),
        "reading the SDK",
    )?;
    fs::write(&facts, facts_json)
        .map_err(|error| format!("cannot write {}: {error}", facts.display()))?;

    let built = work.join("hss.yaml");
    let overlays = overlay_files(&root.join("spec").join("overlays"))?;
    run(
        Command::new(&python)
            .arg(scripts.join("build_spec.py"))
            .arg("--sdk-version")
            .arg(&options.version)
            .arg(&facts)
            .arg(&built)
            .args(&overlays),
        "building the spec",
    )?;
    let new = fs::read_to_string(&built)
        .map_err(|error| format!("cannot read {}: {error}", built.display()))?;
    let spec = root.join("spec").join("hss.yaml");
    let old = fs::read_to_string(&spec).unwrap_or_default();
    let operations = new.matches("\n      operationId: ").count();
    if options.check {
        if old != new {
            return Err(format!(
                "spec/hss.yaml is not what `cargo xtask import-sdk --version {}` writes; run it and commit the result",
                options.version
            ));
        }
        println!(
            "spec/hss.yaml is what huaweicloudsdkhss {} gives ({operations} operations)",
            options.version
        );
        return Ok(());
    }
    if old == new {
        println!("spec/hss.yaml unchanged ({operations} operations)");
    } else {
        fs::write(&spec, &new)
            .map_err(|error| format!("cannot write {}: {error}", spec.display()))?;
        println!(
            "wrote spec/hss.yaml from huaweicloudsdkhss {} and {} overlays ({operations} operations); next: cargo xtask codegen",
            options.version,
            overlays.len()
        );
    }
    Ok(())
}

/// A version is digits and dots only: it goes into a pip requirement.
fn check_version(version: &str) -> Result<(), String> {
    let valid = !version.is_empty()
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`--version {version}` is not a version such as 3.1.219"
        ))
    }
}

/// The overlays in file-name order (the order they are applied in).
fn overlay_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        fs::read_dir(dir).map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("cannot read {}: {error}", dir.display()))?
            .path();
        if path
            .extension()
            .is_some_and(|extension| extension == "yaml")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The interpreter of `target/import-sdk/venv-<version>`, created and filled on first use.
fn private_environment(work: &Path, version: &str) -> Result<PathBuf, String> {
    let venv = work.join(format!("venv-{version}"));
    let python = venv.join("bin").join("python");
    if python.exists() && installed_version(&python).is_ok_and(|installed| installed == version) {
        return Ok(python);
    }
    let system_python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    run(
        Command::new(&system_python).args(["-m", "venv"]).arg(&venv),
        "creating the virtual environment",
    )?;
    println!(
        "installing huaweicloudsdkhss {version} into {}",
        venv.display()
    );
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg(format!("huaweicloudsdkhss=={version}"))
            .arg(format!("huaweicloudsdkcore=={version}"))
            .arg(PYYAML),
        "installing the SDK",
    )?;
    Ok(python)
}

fn installed_version(python: &Path) -> Result<String, String> {
    let output = run(
        Command::new(python).args([
            "-c",
            "import importlib.metadata as m; print(m.version('huaweicloudsdkhss'))",
        ]),
        "finding the installed SDK",
    )?;
    Ok(String::from_utf8_lossy(&output).trim().to_owned())
}

/// Runs a command and returns its standard output; a failure names the step and shows stderr.
fn run(command: &mut Command, step: &str) -> Result<Vec<u8>, String> {
    let output = command
        .output()
        .map_err(|error| format!("{step}: cannot run {:?}: {error}", command.get_program()))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "{step} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_digits_and_dots() {
        assert!(check_version("3.1.219").is_ok());
        for bad in ["", "3..1", "3.1.219; rm -rf", "latest", "3.1.219 "] {
            assert!(check_version(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn overlays_are_applied_in_file_name_order() {
        let dir = std::env::temp_dir().join(format!("xtask-overlays-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        for name in ["20-b.yaml", "00-a.yaml", "notes.md", "10-c.yaml"] {
            fs::write(dir.join(name), "").expect("write");
        }
        let names: Vec<String> = overlay_files(&dir)
            .expect("listing")
            .iter()
            .filter_map(|path| {
                path.file_name()
                    .map(|name| name.to_string_lossy().into_owned())
            })
            .collect();
        fs::remove_dir_all(&dir).ok();
        assert_eq!(names, ["00-a.yaml", "10-c.yaml", "20-b.yaml"]);
    }
}
