//! The contract between the generator and the runtime on method names: the generator's lists of
//! the client types' own methods (`codegen::RUNTIME_CLIENT_METHODS` and friends) are those of
//! hss-client's `impl Client` blocks and of the generated standalone `lib.rs` (a tidy test
//! reading the source), and operationIds equal to every one of them generate code that compiles
//! in both the in-crate and the standalone mode.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use codegen::{
    CLIENT_DEFAULT_SETTINGS, CLIENT_TRAIT_METHODS, RUNTIME_CLIENT_METHODS, Runtime,
    SERVICE_CLIENT_METHODS, WRAPPER_CLIENT_METHODS,
};
use tests::fixtures;
use tests::scratch;

const FIXTURE: &str = "client_method_names";

fn fixture_text() -> String {
    fs::read_to_string(fixtures::fixture_dir("ok").join(format!("{FIXTURE}.yaml")))
        .expect("read the fixture")
}

fn generate(runtime: Runtime) -> codegen::Generated {
    let config = fixtures::config(&format!("tests/fixtures/ok/{FIXTURE}.yaml"), runtime);
    codegen::generate(&fixture_text(), &config).unwrap_or_else(|d| panic!("{d}"))
}

fn external() -> Runtime {
    Runtime::External {
        crate_name: "hss_client".to_owned(),
    }
}

/// The methods of the `impl Client` blocks of one file (nested inline modules included): the
/// public inherent ones, and those of trait impls.
#[derive(Debug, Default)]
struct ClientMethods {
    inherent: BTreeSet<String>,
    traits: BTreeSet<String>,
}

fn collect(items: &[syn::Item], methods: &mut ClientMethods) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect(items, methods);
                }
            }
            syn::Item::Impl(block) if is_client(&block.self_ty) => {
                for member in &block.items {
                    let syn::ImplItem::Fn(function) = member else {
                        continue;
                    };
                    let name = function.sig.ident.to_string();
                    if block.trait_.is_some() {
                        methods.traits.insert(name);
                    } else if matches!(function.vis, syn::Visibility::Public(_)) {
                        methods.inherent.insert(name);
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_client(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.path
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "Client")
}

fn collect_dir(dir: &Path, methods: &mut ClientMethods) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            // Generated code adds operation methods, never client methods of its own.
            if !path.ends_with("src/generated") {
                collect_dir(&path, methods);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("read a source file");
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            collect(&file.items, methods);
        }
    }
}

fn sorted(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// Fails when hss-client's `Client` gains (or loses) a public method the generator's list lacks
/// (or still names): every `impl Client` block of the hand-written source counts, in any file.
#[test]
fn runtime_client_methods_are_those_of_hss_client() {
    let mut methods = ClientMethods::default();
    collect_dir(
        &fixtures::workspace_root().join("hss-client/src"),
        &mut methods,
    );
    assert_eq!(
        methods.inherent,
        sorted(RUNTIME_CLIENT_METHODS),
        "update codegen::RUNTIME_CLIENT_METHODS (codegen/src/names.rs) to hss-client's `impl Client`"
    );
    let traits = sorted(CLIENT_TRAIT_METHODS);
    assert!(
        methods.traits.is_subset(&traits),
        "trait methods of hss-client's Client missing from CLIENT_TRAIT_METHODS: {:?}",
        methods.traits.difference(&traits).collect::<Vec<_>>()
    );
}

/// In-crate, the generated `service.rs` adds `SERVICE_CLIENT_METHODS` to the runtime's `Client`.
#[test]
fn service_client_methods_are_those_of_the_generated_service_rs() {
    let generated = generate(Runtime::InCrate);
    let service = generated
        .files
        .iter()
        .find(|file| file.path == "service.rs")
        .expect("a service.rs");
    let file = syn::parse_file(&service.contents).expect("service.rs parses");
    let mut methods = ClientMethods::default();
    collect(&file.items, &mut methods);
    assert_eq!(methods.inherent, sorted(SERVICE_CLIENT_METHODS));
    assert!(methods.traits.is_empty(), "{:?}", methods.traits);
}

/// `x-client-default` accepts exactly the settings the runtime's `ClientDefault` fills.
#[test]
fn client_default_settings_are_those_of_the_runtime() {
    let runtime: Vec<&str> = hss_client::runtime::ClientDefault::ALL
        .iter()
        .map(|default| default.setting())
        .collect();
    let generator: Vec<&str> = CLIENT_DEFAULT_SETTINGS
        .iter()
        .map(|(setting, _)| *setting)
        .collect();
    assert_eq!(generator, runtime);
    for (default, (_, variant)) in hss_client::runtime::ClientDefault::ALL
        .iter()
        .zip(CLIENT_DEFAULT_SETTINGS)
    {
        assert_eq!(format!("{default:?}"), *variant);
    }
}

/// The same for the standalone crate's wrapping `Client`, read from a generated `lib.rs`.
#[test]
fn wrapper_client_methods_are_those_of_the_generated_lib_rs() {
    let generated = generate(external());
    let lib = generated
        .files
        .iter()
        .find(|file| file.path == "lib.rs")
        .expect("a standalone crate has a lib.rs");
    let file = syn::parse_file(&lib.contents).expect("lib.rs parses");
    let mut methods = ClientMethods::default();
    collect(&file.items, &mut methods);
    assert_eq!(methods.inherent, sorted(WRAPPER_CLIENT_METHODS));
    let traits = sorted(CLIENT_TRAIT_METHODS);
    assert!(methods.traits.is_subset(&traits), "{:?}", methods.traits);
}

/// The fixture has an operationId for every reserved name, so the compile test covers them all.
#[test]
fn the_fixture_collides_with_every_client_method() {
    let text = fixture_text();
    let ids: BTreeSet<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("operationId: "))
        .map(str::to_owned)
        .collect();
    let reserved: BTreeSet<String> = RUNTIME_CLIENT_METHODS
        .iter()
        .chain(SERVICE_CLIENT_METHODS)
        .chain(WRAPPER_CLIENT_METHODS)
        .chain(CLIENT_TRAIT_METHODS)
        .map(|name| (*name).to_owned())
        .collect();
    assert_eq!(ids, reserved);
}

/// operationIds equal to every client method generate code that compiles without warnings in
/// the standalone mode (a crate on the runtime) and in-crate (inside a copy of hss-client).
#[test]
fn colliding_operation_ids_compile_in_both_modes() {
    let standalone = scratch::generated_crate(FIXTURE, &generate(external()));
    let dir = scratch::write_workspace("client_methods_standalone", &[standalone])
        .expect("write the standalone workspace");
    let run = scratch::cargo(&dir, &["build", "--package", FIXTURE]).expect("run cargo");
    assert!(
        run.success && run.diagnostics.is_empty(),
        "standalone:\n{}\n{}",
        run.diagnostics.join("\n"),
        run.stderr
    );

    let dir =
        scratch::write_in_crate_workspace("client_methods_in_crate", &generate(Runtime::InCrate))
            .expect("write the in-crate workspace");
    let run =
        scratch::cargo(&dir, &["build", "--package", "hss-client", "--lib"]).expect("run cargo");
    assert!(
        run.success && run.diagnostics.is_empty(),
        "in-crate:\n{}\n{}",
        run.diagnostics.join("\n"),
        run.stderr
    );
}
