//! Generates `dispatch.rs` (one arm per operation) into `OUT_DIR`, from spec/hss.yaml or, when
//! `CONFORMANCE_SPEC` is set (conformance/run-all-operations --service S sets it for the scratch
//! crate it builds), from that spec. The calls go through the dependency named `service`.

use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo::rerun-if-env-changed=CONFORMANCE_SPEC");
    let (spec, shown) = match std::env::var("CONFORMANCE_SPEC") {
        Ok(path) if !path.is_empty() => (PathBuf::from(&path), path),
        _ => (
            manifest_dir.join("../../spec/hss.yaml"),
            "spec/hss.yaml".to_owned(),
        ),
    };
    println!("cargo::rerun-if-changed={}", spec.display());
    let text = match std::fs::read_to_string(&spec) {
        Ok(text) => text,
        Err(error) => fail(&format!("cannot read {}: {error}", spec.display())),
    };
    let source = match codegen::generate_driver(&text, &shown, "service") {
        Ok(source) => source,
        Err(errors) => fail(&errors.to_string()),
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("dispatch.rs");
    if let Err(error) = std::fs::write(&out, source) {
        fail(&format!("cannot write {}: {error}", out.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
