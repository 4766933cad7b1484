//! The API manifest describes the code generated beside it: read back from the generated files
//! with `syn`, every model's `#[non_exhaustive]` and constructor arguments, every client method's
//! positional arguments and every builder's setters are what the manifest says. The API report
//! classifies changes by these facts, so a change of the emitters that the manifest does not
//! follow fails here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tests::fixtures;

/// What the generated code declares.
#[derive(Debug, Default)]
struct Declared {
    /// Struct and enum names, with whether they are `#[non_exhaustive]`.
    types: BTreeMap<String, bool>,
    /// `new`'s argument names by type.
    constructors: BTreeMap<String, Vec<String>>,
    /// Client methods' argument names (without `self`).
    methods: BTreeMap<String, Vec<String>>,
    /// The setters of each request builder.
    setters: BTreeMap<String, BTreeSet<String>>,
    /// Type aliases (an operation's error body of an enum several operations share) → the
    /// name of the type they stand for.
    aliases: BTreeMap<String, String>,
}

fn arguments(signature: &syn::Signature) -> Vec<String> {
    signature
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => match typed.pat.as_ref() {
                syn::Pat::Ident(ident) => Some(ident.ident.unraw_name()),
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

trait Unraw {
    fn unraw_name(&self) -> String;
}

impl Unraw for syn::Ident {
    fn unraw_name(&self) -> String {
        let text = self.to_string();
        text.strip_prefix("r#").map_or(text.clone(), str::to_owned)
    }
}

/// `fn name(mut self, value: T) -> Self`: a builder's setter, as opposed to `send` or any other
/// method a builder has.
fn is_setter(signature: &syn::Signature) -> bool {
    let returns_self = matches!(
        &signature.output,
        syn::ReturnType::Type(_, ty) if type_name(ty).as_deref() == Some("Self")
    );
    let takes_self_and_a_value = matches!(
        signature.inputs.iter().collect::<Vec<_>>().as_slice(),
        [syn::FnArg::Receiver(_), syn::FnArg::Typed(_)]
    );
    returns_self && takes_self_and_a_value
}

fn type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    path.path
        .segments
        .last()
        .map(|segment| segment.ident.unraw_name())
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| attr.path().is_ident("non_exhaustive"))
}

fn collect(items: &[syn::Item], declared: &mut Declared) {
    for item in items {
        match item {
            syn::Item::Struct(item) => {
                declared
                    .types
                    .insert(item.ident.unraw_name(), non_exhaustive(&item.attrs));
            }
            syn::Item::Enum(item) => {
                declared
                    .types
                    .insert(item.ident.unraw_name(), non_exhaustive(&item.attrs));
            }
            syn::Item::Type(item) => {
                if let Some(target) = type_name(&item.ty) {
                    declared.aliases.insert(item.ident.unraw_name(), target);
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let Some(name) = type_name(&block.self_ty) else {
                    continue;
                };
                for member in &block.items {
                    let syn::ImplItem::Fn(function) = member else {
                        continue;
                    };
                    if !matches!(function.vis, syn::Visibility::Public(_)) {
                        continue;
                    }
                    let method = function.sig.ident.unraw_name();
                    if name == "Client" {
                        declared.methods.insert(method, arguments(&function.sig));
                    } else if method == "new" {
                        declared
                            .constructors
                            .insert(name.clone(), arguments(&function.sig));
                    } else if !block.generics.params.is_empty() && is_setter(&function.sig) {
                        declared
                            .setters
                            .entry(name.clone())
                            .or_default()
                            .insert(method);
                    }
                }
            }
            _ => {}
        }
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Every disagreement between the manifest and the files of one generation.
fn disagreements(generated: &codegen::Generated) -> Vec<String> {
    let mut declared = Declared::default();
    for file in &generated.files {
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.path));
        collect(&parsed.items, &mut declared);
    }
    let manifest: Value = serde_json::from_str(&generated.api.to_json())
        .unwrap_or_else(|error| panic!("the manifest is not JSON: {error}"));
    let mut problems = Vec::new();
    let mut expect = |what: String, manifest: String, code: String| {
        if manifest != code {
            problems.push(format!("{what}: manifest {manifest}, code {code}"));
        }
    };
    let empty = serde_json::Map::new();
    for (name, model) in manifest["models"].as_object().unwrap_or(&empty) {
        let Some((shape, facts)) = model["shape"].as_object().and_then(|s| s.iter().next()) else {
            expect(
                format!("model {name}"),
                "no shape".to_owned(),
                String::new(),
            );
            continue;
        };
        if shape == "alias" {
            continue;
        }
        expect(
            format!("model {name} #[non_exhaustive]"),
            format!("{:?}", facts["non_exhaustive"].as_bool()),
            format!("{:?}", declared.types.get(name).copied()),
        );
        if shape == "struct" {
            expect(
                format!("model {name} new()"),
                format!("{:?}", strings(&facts["constructor"])),
                format!(
                    "{:?}",
                    declared.constructors.get(name).cloned().unwrap_or_default()
                ),
            );
        }
    }
    for (id, operation) in manifest["operations"].as_object().unwrap_or(&empty) {
        let method = operation["method"].as_str().unwrap_or_default();
        let builder = operation["builder"].as_str().unwrap_or_default();
        expect(
            format!("operation {id} arguments"),
            format!("{:?}", strings(&operation["arguments"])),
            format!(
                "{:?}",
                declared.methods.get(method).cloned().unwrap_or_default()
            ),
        );
        let mut setters: BTreeSet<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|param| !param["argument"].as_bool().unwrap_or(false))
            .filter_map(|param| param["name"].as_str().map(str::to_owned))
            .collect();
        if operation["body"].is_object()
            && !operation["body"]["argument"].as_bool().unwrap_or(false)
        {
            setters.insert("body".to_owned());
        }
        expect(
            format!("operation {id} setters"),
            format!("{setters:?}"),
            format!(
                "{:?}",
                declared.setters.get(builder).cloned().unwrap_or_default()
            ),
        );
        for part in ["responses", "errors", "response_headers"] {
            let Some(name) = operation[part]["name"].as_str() else {
                continue;
            };
            let name = declared.aliases.get(name).map_or(name, String::as_str);
            expect(
                format!("operation {id} {part} #[non_exhaustive]"),
                format!("{:?}", operation[part]["non_exhaustive"].as_bool()),
                format!("{:?}", declared.types.get(name).copied()),
            );
        }
    }
    problems
}

#[test]
fn the_manifest_of_every_ok_fixture_describes_its_code() {
    let fixtures = fixtures::list(&fixtures::fixture_dir("ok")).expect("read tests/fixtures/ok");
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let config = fixtures::config(&fixture.name);
        let Ok(generated) = codegen::generate(&fixture.text, &config) else {
            failures.push(format!("{}: does not generate", fixture.name));
            continue;
        };
        for problem in disagreements(&generated) {
            failures.push(format!("{}: {problem}", fixture.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_manifest_of_the_whole_service_describes_its_code() {
    let text = std::fs::read_to_string(fixtures::hss_spec_path()).expect("read spec/hss.yaml");
    let config = fixtures::config("spec/hss.yaml");
    let generated = codegen::generate(&text, &config).unwrap_or_else(|errors| panic!("{errors}"));
    let problems = disagreements(&generated);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
