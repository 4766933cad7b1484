//! OpenAPI 3.0 and 3.1 to Rust: spec text in, formatted files out, with located diagnostics.
//!
//! The pipeline is [`generate`] ([`generate_files`] for a spec split across files): parse
//! (`openapiv3` through `serde_yaml`, after bundling `$ref`s to other files and to deeper
//! pointers, and bringing 3.1 into the 3.0 shape) → lower into the plain
//! data of [`ir`] → emit tokens with `quote` → format with `syn` and `prettyplease`. Pure: no file
//! system, no clock, and the same input always gives byte-identical output.

mod diagnostics;
mod emit;
mod format;
mod ir;
mod lower;
mod names;
mod parse;
mod report;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use names::{
    CLIENT_DEFAULT_SETTINGS, CLIENT_TRAIT_METHODS, RUNTIME_CLIENT_METHODS, SERVICE_CLIENT_METHODS,
    WRAPPER_CLIENT_METHODS,
};
pub use report::{
    ApiChanges, ApiManifest, Bump, Change, ChangeClass, Suggestion, Version, suggest,
};

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
    /// The cargo features the crate needs, one per group of operations (`x-feature-groups`), in
    /// name order; empty when the spec does not group its operations.
    pub features: Vec<String>,
    /// The public Rust API of the files, item by item with the spec names they come from: kept
    /// beside the files, it is what the next generation's [`ApiChanges`] are computed against.
    pub api: ApiManifest,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the output directory: `models.rs`, `operations.rs`, `service.rs`, and `lib.rs` for
    /// [`Runtime::External`].
    pub path: String,
    /// The formatted source, starting with the `@generated` header.
    pub contents: String,
}

/// Generates Rust code from an OpenAPI 3.0 or 3.1 document (YAML or JSON text). On failure, the
/// diagnostics hold every error found, and the warnings too. A `$ref` to another file is an
/// error: see [`generate_files`].
pub fn generate(spec_text: &str, config: &Config) -> Result<Generated, Diagnostics> {
    let (spec, diagnostics) = parse::parse(spec_text).map_err(Diagnostics)?;
    generate_parsed(&spec, diagnostics, &parse::Origins::default(), config)
}

/// Generates Rust code from a spec split across files: `root_path` names the root document
/// (relative to the spec's folder, such as `openapi.yaml`), and `read` returns the text of a
/// file by its `/`-separated path relative to that folder (the root's among them), or why it
/// cannot. `$ref`s resolve against the referring file and must stay inside the folder; a
/// diagnostic in another file names it (`paths/users.yaml#/get`). Otherwise as [`generate`].
pub fn generate_files(
    root_path: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
    config: &Config,
) -> Result<Generated, Diagnostics> {
    let text = read(root_path).map_err(|message| {
        Diagnostics(vec![Diagnostic::error(
            "#",
            format!("cannot read `{root_path}`: {message}"),
        )])
    })?;
    let parsed = parse::parse_files(&text, root_path, read).map_err(Diagnostics)?;
    generate_parsed(&parsed.spec, parsed.warnings, &parsed.origins, config)
}

/// Lowers, emits and formats a parsed spec; `origins` locates the lowerer's diagnostics in the
/// files the user wrote.
fn generate_parsed(
    spec: &openapiv3::OpenAPI,
    mut diagnostics: Vec<Diagnostic>,
    origins: &parse::Origins,
    config: &Config,
) -> Result<Generated, Diagnostics> {
    let (api, mut lowered) = lower::lower(spec);
    origins.relocate(&mut lowered);
    diagnostics.extend(lowered);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let manifest = report::manifest(
        &api,
        format!(
            "by `{}` from {}; do not edit by hand",
            config.regenerate_command, config.spec_path
        ),
    );
    let header = format::header(&config.regenerate_command, &config.spec_path);
    let mut files = Vec::new();
    for half in emit_and_format(&api, config, &header) {
        for file in half {
            match file {
                Ok(file) => files.push(file),
                Err(error) => diagnostics.push(error),
            }
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
        features: api.groups.keys().cloned().collect(),
        api: manifest,
    })
}

/// Emits and formats every file, the two halves of [`emit::HALVES`] on two threads when the
/// machine has two cores (each thread emits what it formats: tokens cannot cross threads). The
/// order of the files does not depend on the threads.
fn emit_and_format(
    api: &ir::Api,
    config: &Config,
    header: &str,
) -> Vec<Vec<Result<GeneratedFile, Diagnostic>>> {
    let half = |emit: for<'a> fn(&'a ir::Api, &'a Config) -> Vec<emit::EmittedFile<'a>>| {
        emit(api, config)
            .into_iter()
            .map(|file| {
                let path = file.path.clone();
                format::format_file(file, header).map(|contents| GeneratedFile { path, contents })
            })
            .collect::<Vec<_>>()
    };
    let parallel = std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1);
    if !parallel {
        return emit::HALVES.into_iter().map(half).collect();
    }
    let [first, second] = emit::HALVES;
    std::thread::scope(|scope| {
        let other = scope.spawn(move || half(second));
        let first = half(first);
        // A panic on the other thread is a bug in the emitters: reported, not passed on.
        let second = other.join().unwrap_or_else(|_| {
            vec![Err(Diagnostic::error(
                "#",
                "internal error: emitting the operations panicked",
            ))]
        });
        vec![first, second]
    })
}

/// Generates the dispatch function of the conformance driver (`conformance/driver`): for every
/// operation of the spec, the call a case describes made through the client's public builders of
/// the runtime crate `runtime_crate` (such as `hss_client`). Errors as for [`generate`].
pub fn generate_driver(
    spec_text: &str,
    spec_path: &str,
    runtime_crate: &str,
) -> Result<String, Diagnostics> {
    let (spec, mut diagnostics) = parse::parse(spec_text).map_err(Diagnostics)?;
    let (api, lowered) = lower::lower(&spec);
    diagnostics.extend(lowered);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(diagnostics));
    }
    let header = format::header("conformance/driver/build.rs", spec_path);
    format::format(
        emit::driver::emit(&api, runtime_crate),
        &header,
        "dispatch.rs",
    )
    .map_err(|error| Diagnostics(vec![error]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
"#;

    fn config(runtime: Runtime) -> Config {
        Config {
            runtime,
            spec_path: "spec/pets.yaml".to_owned(),
            regenerate_command: "cargo xtask codegen".to_owned(),
        }
    }

    fn generated(runtime: Runtime) -> Generated {
        generate(SPEC, &config(runtime)).unwrap_or_else(|errors| panic!("{errors}"))
    }

    fn file<'a>(generated: &'a Generated, path: &str) -> &'a str {
        generated
            .files
            .iter()
            .find(|file| file.path == path)
            .map(|file| file.contents.as_str())
            .unwrap_or_else(|| panic!("no {path}"))
    }

    #[test]
    fn in_crate_output_has_three_files_with_headers_and_counts() {
        let generated = generated(Runtime::InCrate);
        let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["models.rs", "operations.rs", "service.rs"]);
        for file in &generated.files {
            assert!(
                file.contents.starts_with(
                    "// @generated by `cargo xtask codegen` from spec/pets.yaml. Do not edit by hand.\n//! "
                ),
                "{}",
                file.contents
            );
        }
        assert_eq!((generated.operations, generated.models), (1, 2));
        assert!(file(&generated, "operations.rs").contains("use crate::runtime;"));
        assert!(
            file(&generated, "operations.rs").contains("crate::ApiResponse<crate::models::Pet>")
        );
    }

    #[test]
    fn external_output_adds_lib_rs_and_uses_the_runtime_crate() {
        let generated = generated(Runtime::External {
            crate_name: "hss_client".to_owned(),
        });
        let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["lib.rs", "models.rs", "operations.rs", "service.rs"]
        );
        let lib = file(&generated, "lib.rs");
        assert!(
            lib.contains("pub mod models;\npub mod operations;\npub mod service;"),
            "{lib}"
        );
        assert!(
            lib.contains("hss_client::ClientBuilder::for_service(&service::SERVICE)"),
            "{lib}"
        );
        assert!(lib.contains("inner: hss_client::Client"), "{lib}");
        assert!(
            lib.contains("impl From<hss_client::Client> for Client"),
            "{lib}"
        );
        let operations = file(&generated, "operations.rs");
        assert!(
            operations.contains("use hss_client::runtime;"),
            "{operations}"
        );
        assert!(operations.contains("impl crate::Client {"), "{operations}");
        assert!(
            operations.contains("client: &'a hss_client::Client,"),
            "{operations}"
        );
    }

    #[test]
    fn output_is_byte_identical_run_to_run() {
        assert_eq!(generated(Runtime::InCrate), generated(Runtime::InCrate));
    }

    #[test]
    fn all_errors_of_a_run_are_reported_together_with_warnings() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get: {responses: {'200': {$ref: '#/components/responses/Nope'}}}
  /b:
    get:
      operationId: b
      requestBody: {$ref: '#/components/requestBodies/Nope'}
      responses: {}
"#;
        let errors = generate(spec, &config(Runtime::InCrate))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            errors.as_deref(),
            Some(
                "warning: #/paths/~1a/get: missing operationId; the operation is named `get_a`\n\
                 error: #/paths/~1a/get/responses/200: reference `#/components/responses/Nope` points to nothing\n\
                 error: #/paths/~1b/get/requestBody: reference `#/components/requestBodies/Nope` points to nothing"
            )
        );
    }

    #[test]
    fn parse_errors_come_back_as_diagnostics() {
        let errors = generate("swagger: '2.0'\n", &config(Runtime::InCrate)).err();
        assert_eq!(
            errors.map(|e| e.0),
            Some(vec![Diagnostic::error(
                "#/swagger",
                "swagger 2.0 is not supported: convert the document to openapi 3.0"
            )])
        );
    }

    #[test]
    fn warnings_accompany_successful_output() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {responses: {'204': {description: none}}}\n";
        let generated = generate(spec, &config(Runtime::InCrate)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            generated.warnings,
            [Diagnostic::warning(
                "#/paths/~1a/get",
                "missing operationId; the operation is named `get_a`"
            )]
        );
        assert!(file(&generated, "operations.rs").contains("pub fn get_a(&self) -> GetA<'_>"));
    }

    #[test]
    fn an_empty_spec_generates_empty_modules() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let generated = generate(spec, &config(Runtime::InCrate)).unwrap_or_else(|e| panic!("{e}"));
        let operations = file(&generated, "operations.rs");
        assert!(!operations.contains("use crate::runtime"), "{operations}");
        assert_eq!((generated.operations, generated.models), (0, 0));
    }
}
