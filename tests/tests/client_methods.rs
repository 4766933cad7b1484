//! The contract on method names: the generator's list of the generated `Client`'s own methods
//! (`codegen::CLIENT_METHODS`, `CLIENT_TRAIT_METHODS`) is what the generated `lib.rs` defines (a
//! tidy test reading the source), and operationIds equal to every one of them generate code that
//! compiles.

use std::collections::BTreeSet;
use std::fs;

use codegen::{CLIENT_DEFAULT_SETTINGS, CLIENT_METHODS, CLIENT_TRAIT_METHODS};
use tests::fixtures;
use tests::scratch;

const FIXTURE: &str = "client_method_names";

fn fixture_text() -> String {
    fs::read_to_string(fixtures::fixture_dir("ok").join(format!("{FIXTURE}.yaml")))
        .expect("read the fixture")
}

fn generate() -> codegen::Generated {
    let config = fixtures::config(&format!("tests/fixtures/ok/{FIXTURE}.yaml"));
    codegen::generate(&fixture_text(), &config).unwrap_or_else(|d| panic!("{d}"))
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

fn sorted(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// `x-client-default` accepts exactly the settings the runtime's `ClientDefault` fills.
#[test]
fn client_default_settings_are_those_of_the_runtime() {
    let runtime: Vec<&str> = hss_client::runtime::__private::ClientDefault::ALL
        .iter()
        .map(|default| default.setting())
        .collect();
    let generator: Vec<&str> = CLIENT_DEFAULT_SETTINGS
        .iter()
        .map(|(setting, _)| *setting)
        .collect();
    assert_eq!(generator, runtime);
    for (default, (_, variant)) in hss_client::runtime::__private::ClientDefault::ALL
        .iter()
        .zip(CLIENT_DEFAULT_SETTINGS)
    {
        assert_eq!(format!("{default:?}"), *variant);
    }
}

/// The generated `Client`'s own methods, read from a generated `lib.rs`, are the generator's list.
#[test]
fn client_methods_are_those_of_the_generated_lib_rs() {
    let generated = generate();
    let lib = generated
        .files
        .iter()
        .find(|file| file.path == "lib.rs")
        .expect("a generated crate has a lib.rs");
    let file = syn::parse_file(&lib.contents).expect("lib.rs parses");
    let mut methods = ClientMethods::default();
    collect(&file.items, &mut methods);
    assert_eq!(methods.inherent, sorted(CLIENT_METHODS));
    let traits = sorted(CLIENT_TRAIT_METHODS);
    assert!(methods.traits.is_subset(&traits), "{:?}", methods.traits);
}

/// The fixture has an operationId for every reserved name, so the compile test covers them all
/// (and for names that were reserved before, which now are ordinary operation names).
#[test]
fn the_fixture_collides_with_every_client_method() {
    let text = fixture_text();
    let ids: BTreeSet<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("operationId: "))
        .map(str::to_owned)
        .collect();
    let reserved: BTreeSet<String> = CLIENT_METHODS
        .iter()
        .chain(CLIENT_TRAIT_METHODS)
        .map(|name| (*name).to_owned())
        .collect();
    assert!(
        reserved.is_subset(&ids),
        "no operationId for {:?}",
        reserved.difference(&ids).collect::<Vec<_>>()
    );
}

/// operationIds equal to every client method generate code that compiles without warnings.
#[test]
fn colliding_operation_ids_compile() {
    let generated = scratch::generated_crate(FIXTURE, &generate());
    let dir = scratch::write_workspace("client_methods", &[generated])
        .expect("write the scratch workspace");
    let run = scratch::cargo(&dir, &["build", "--package", FIXTURE]).expect("run cargo");
    assert!(
        run.success && run.diagnostics.is_empty(),
        "{}\n{}",
        run.diagnostics.join("\n"),
        run.stderr
    );
}
