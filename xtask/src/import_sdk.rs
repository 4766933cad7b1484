//! `cargo xtask import-sdk`: writes a service's spec (`spec/hss.yaml` for HSS) from the official
//! Python SDK's facts, the service's facts file (`spec/services/<service>.yaml`) and the curated
//! overlays it names.
//!
//! The Python half (`xtask/import_sdk/`) reads the SDK and builds the document; this half pins the
//! SDK version, installs it into a private virtual environment under `target/import-sdk/`, runs the
//! two scripts, and writes or (`--check`) compares the spec.

mod service_file;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// PyYAML writes the spec; pinned so the same SDK version always gives the same bytes.
const PYYAML: &str = "PyYAML==6.0.4";

/// The SDK core every service package runs on; released with the same version numbers.
const CORE: &str = "huaweicloudsdkcore";

/// What `import-sdk` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImportOptions {
    /// The service, whose facts are `spec/services/<service>.yaml` (`hss` unless given).
    pub service: String,
    /// The SDK package's (and `huaweicloudsdkcore`'s) version, such as `3.1.219`.
    pub version: String,
    /// An interpreter that already has that SDK and PyYAML, instead of the private environment.
    pub python: Option<PathBuf>,
    /// Compare with the committed spec instead of writing it.
    pub check: bool,
    /// Write `<service>.yaml` into this directory instead of the committed spec.
    pub out: Option<PathBuf>,
    /// Report overlay actions whose target the version lacks as warnings, not errors.
    pub allow_stale_overlays: bool,
}

pub(crate) fn import_command(root: &Path, options: &ImportOptions) -> Result<(), String> {
    check_version(&options.version)?;
    if options.check && options.out.is_some() {
        return Err("`--check` compares with the committed spec; it takes no `--out`".to_owned());
    }
    let service = service_file::read(root, &options.service)?;
    let work = root.join("target").join("import-sdk");
    fs::create_dir_all(&work)
        .map_err(|error| format!("cannot create {}: {error}", work.display()))?;
    let python = match &options.python {
        Some(python) => python.clone(),
        None => private_environment(&work, &service.package, &options.version)?,
    };
    for package in [service.package.as_str(), CORE] {
        let installed = installed_version(&python, package)?;
        if installed != options.version {
            return Err(format!(
                "{} has {package} {installed}, not {}",
                python.display(),
                options.version
            ));
        }
    }
    let scripts = root.join("xtask").join("import_sdk");
    let facts = work.join(format!(
        "facts-{}-{}.json",
        options.service, options.version
    ));
    let facts_json = run(
        Command::new(&python)
            .current_dir(root)
            .arg(scripts.join("read_sdk.py"))
            .arg(&service.path),
        "reading the SDK",
    )?;
    fs::write(&facts, facts_json)
        .map_err(|error| format!("cannot write {}: {error}", facts.display()))?;

    let built = work.join(format!("{}.yaml", options.service));
    // Relative to the root (where the script runs), so that messages name them as the user sees them.
    let overlays: Vec<PathBuf> = overlay_files(&root.join(&service.overlays))?
        .into_iter()
        .map(|path| {
            path.strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(path)
        })
        .collect();
    let mut build = Command::new(&python);
    build
        .current_dir(root)
        .arg(scripts.join("build_spec.py"))
        .arg("--service")
        .arg(&service.path)
        .arg("--sdk-version")
        .arg(&options.version);
    if options.allow_stale_overlays {
        build.arg("--allow-stale-overlays");
    }
    run(
        build.arg(&facts).arg(&built).args(&overlays),
        "building the spec",
    )?;
    let new = fs::read_to_string(&built)
        .map_err(|error| format!("cannot read {}: {error}", built.display()))?;
    let operations = new.matches("\n      operationId: ").count();
    let (spec, shown) = match &options.out {
        Some(dir) => {
            fs::create_dir_all(dir)
                .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
            let spec = dir.join(format!("{}.yaml", options.service));
            let shown = spec.display().to_string();
            (spec, shown)
        }
        None => (root.join(&service.spec), service.spec.display().to_string()),
    };
    let old = fs::read_to_string(&spec).unwrap_or_default();
    if options.check {
        if old != new {
            return Err(format!(
                "{shown} is not what `cargo xtask import-sdk --service {} --version {}` writes; run it and commit the result",
                options.service, options.version
            ));
        }
        println!(
            "{shown} is what {} {} gives ({operations} operations)",
            service.package, options.version
        );
        return Ok(());
    }
    if old == new {
        println!("{shown} unchanged ({operations} operations)");
    } else {
        fs::write(&spec, &new)
            .map_err(|error| format!("cannot write {}: {error}", spec.display()))?;
        println!(
            "wrote {shown} from {} {} and {} overlays ({operations} operations); next: cargo xtask {}",
            service.package,
            options.version,
            overlays.len(),
            if options.out.is_some() {
                format!("generate --spec {shown} --out DIR")
            } else {
                "codegen".to_owned()
            }
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

/// The interpreter of `target/import-sdk/venv-<package>-<version>`, created and filled on first
/// use.
fn private_environment(work: &Path, package: &str, version: &str) -> Result<PathBuf, String> {
    let venv = work.join(format!("venv-{package}-{version}"));
    let python = venv.join("bin").join("python");
    if python.exists()
        && installed_version(&python, package).is_ok_and(|installed| installed == version)
    {
        return Ok(python);
    }
    let system_python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    run(
        Command::new(&system_python).args(["-m", "venv"]).arg(&venv),
        "creating the virtual environment",
    )?;
    println!("installing {package} {version} into {}", venv.display());
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg(format!("{package}=={version}"))
            .arg(format!("{CORE}=={version}"))
            .arg(PYYAML),
        "installing the SDK",
    )?;
    Ok(python)
}

/// The installed version of `package`, or an error naming the package and the interpreter.
fn installed_version(python: &Path, package: &str) -> Result<String, String> {
    let output = run(
        Command::new(python).args([
            "-c",
            "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))",
            package,
        ]),
        &format!("finding the installed {package}"),
    )?;
    Ok(String::from_utf8_lossy(&output).trim().to_owned())
}

/// Runs a command and returns its standard output; its standard error (the scripts' notes and
/// warnings) is shown; a failure names the step.
fn run(command: &mut Command, step: &str) -> Result<Vec<u8>, String> {
    let output = command
        .output()
        .map_err(|error| format!("{step}: cannot run {:?}: {error}", command.get_program()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        if !stderr.trim().is_empty() {
            eprintln!("{}", stderr.trim_end());
        }
        Ok(output.stdout)
    } else {
        Err(format!(
            "{step} failed ({}):\n{}",
            output.status,
            stderr.trim_end()
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
