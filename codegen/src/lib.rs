//! OpenAPI 3.0 to Rust: spec text in, formatted files out, with located diagnostics.
//!
//! The pipeline is [`generate`]: parse (`openapiv3` through `serde_yaml`) → lower into the plain
//! data of [`ir`] → emit tokens with `quote` → format with `syn` and `prettyplease`. Pure: no file
//! system, no clock, and the same input always gives byte-identical output.

mod diagnostics;
mod emit;
mod format;
mod ir;
mod lower;
mod names;
mod parse;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};

/// What to generate and how to label it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where the generated code finds the runtime.
    pub runtime: Runtime,
    /// The spec's path as shown in the header of every file, such as `spec/hss.yaml`.
    pub spec_path: String,
    /// The command shown in the header, such as `cargo xtask codegen`.
    pub regenerate_command: String,
}

/// Where the generated code lives relative to the `hss-client` runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// Inside `hss-client` (paths `crate::Client`, `crate::runtime`).
    InCrate,
    /// In a standalone crate depending on the runtime crate `crate_name` (such as `hss_client`);
    /// a `lib.rs` with a wrapping `Client` is generated too.
    External {
        /// The runtime crate's name as written in Rust paths.
        crate_name: String,
    },
}

/// The generated files and what the run noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The files, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Things generated with a loss or a guess.
    pub warnings: Vec<Diagnostic>,
    /// How many operations were generated.
    pub operations: usize,
    /// How many models were generated.
    pub models: usize,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the output directory: `models.rs`, `operations.rs`, and `lib.rs` for
    /// [`Runtime::External`].
    pub path: String,
    /// The formatted source, starting with the `@generated` header.
    pub contents: String,
}

/// Generates Rust code from an OpenAPI 3.0 document (YAML or JSON text). On failure, the
/// diagnostics hold every error found, and the warnings too.
pub fn generate(spec_text: &str, config: &Config) -> Result<Generated, Diagnostics> {
    let spec = parse::parse(spec_text).map_err(|error| Diagnostics(vec![error]))?;
    let (api, found) = lower::lower(&spec);
    let mut diagnostics = unique(found);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let header = format::header(&config.regenerate_command, &config.spec_path);
    let mut files = Vec::new();
    for file in emit::emit(&api, config) {
        match format::format(file.tokens, &header, &file.path) {
            Ok(contents) => files.push(GeneratedFile {
                path: file.path,
                contents,
            }),
            Err(error) => diagnostics.push(error),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    Ok(Generated {
        files,
        warnings: diagnostics,
        operations: api.operations.len(),
        models: api.models.len(),
    })
}

/// Drops repeats (one broken `$ref` can be reached twice from the same place), keeping the
/// order of first appearance.
fn unique(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    diagnostics
        .into_iter()
        .filter(|diagnostic| seen.insert(diagnostic.clone()))
        .collect()
}
