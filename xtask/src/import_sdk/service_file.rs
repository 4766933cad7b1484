//! The three facts of a service's facts file (`spec/services/<service>.yaml`) the Rust half
//! needs before any Python runs: the SDK package to install, the spec it writes and the
//! overlays directory. They are top-level plain scalars (`package: huaweicloudsdkhss`); the
//! whole file is read and checked by `xtask/import_sdk/service_facts.py`.

use std::path::{Path, PathBuf};

/// What `import-sdk` reads of a service's facts file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ServiceFile {
    /// The file itself, relative to the workspace root (for messages and the scripts).
    pub path: PathBuf,
    /// The SDK's PyPI package, such as `huaweicloudsdkhss`.
    pub package: String,
    /// The spec the importer writes, relative to the workspace root.
    pub spec: PathBuf,
    /// The directory of the overlays, relative to the workspace root.
    pub overlays: PathBuf,
}

/// The facts file of `service` under `root`, or an error naming the file and the missing key.
pub(crate) fn read(root: &Path, service: &str) -> Result<ServiceFile, String> {
    if service.is_empty()
        || !service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!(
            "`--service {service}` is not a service name such as hss or kms"
        ));
    }
    let path = Path::new("spec")
        .join("services")
        .join(format!("{service}.yaml"));
    let text = std::fs::read_to_string(root.join(&path)).map_err(|error| {
        format!(
            "no facts file for service `{service}`: cannot read {}: {error}",
            path.display()
        )
    })?;
    let value = |key: &str| {
        scalar(&text, key)
            .ok_or_else(|| format!("{}: no top-level `{key}: VALUE` line", path.display()))
    };
    let package = value("package")?;
    if !package
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "{}: `package: {package}` is not a package name",
            path.display()
        ));
    }
    Ok(ServiceFile {
        spec: PathBuf::from(value("spec")?),
        overlays: PathBuf::from(value("overlays")?),
        package,
        path,
    })
}

/// The value of a top-level `key: value` line (no quotes, no comment after it).
fn scalar(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
        (!value.is_empty() && !value.starts_with(['#', '"', '\'', '[', '{']))
            .then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_top_level_scalars() {
        let text = "# note\nservice: hss\npackage: huaweicloudsdkhss\npackage-x: no\ngroups:\n  spec: nested\nspec: spec/hss.yaml\n";
        assert_eq!(
            scalar(text, "package").as_deref(),
            Some("huaweicloudsdkhss")
        );
        assert_eq!(scalar(text, "spec").as_deref(), Some("spec/hss.yaml"));
        assert_eq!(scalar(text, "overlays"), None);
        assert_eq!(scalar("package:\n", "package"), None);
    }

    #[test]
    fn a_missing_file_or_key_is_named() {
        let root = std::env::temp_dir().join(format!("xtask-service-{}", std::process::id()));
        std::fs::create_dir_all(root.join("spec/services")).expect("temp dir");
        std::fs::write(
            root.join("spec/services/demo.yaml"),
            "package: sdkdemo\nspec: spec/demo.yaml\n",
        )
        .expect("write");
        let missing_key = read(&root, "demo").expect_err("no overlays");
        let missing_file = read(&root, "nope").expect_err("no file");
        let bad_name = read(&root, "../x").expect_err("bad name");
        std::fs::remove_dir_all(&root).ok();
        assert!(
            missing_key.ends_with("demo.yaml: no top-level `overlays: VALUE` line"),
            "{missing_key}"
        );
        assert!(
            missing_file.starts_with(
                "no facts file for service `nope`: cannot read spec/services/nope.yaml"
            ),
            "{missing_file}"
        );
        assert_eq!(
            bad_name,
            "`--service ../x` is not a service name such as hss or kms"
        );
    }
}
