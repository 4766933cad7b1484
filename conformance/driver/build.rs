//! Generates `dispatch.rs` (one arm per operation of spec/hss.yaml) into `OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec = manifest_dir.join("../../spec/hss.yaml");
    println!("cargo::rerun-if-changed={}", spec.display());
    let text = match std::fs::read_to_string(&spec) {
        Ok(text) => text,
        Err(error) => fail(&format!("cannot read {}: {error}", spec.display())),
    };
    let source = match codegen::generate_driver(&text, "spec/hss.yaml", "hss_client") {
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
