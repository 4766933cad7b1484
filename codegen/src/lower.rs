//! Spec to IR: resolves `$ref`s, names every type and operation, and collects located diagnostics.
//!
//! Only this module (and its children) knows `openapiv3`.

mod boxing;
mod docs;
mod groups;
mod operation;
mod schema;
mod service;
mod uploads;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, ReferenceOr};

use crate::diagnostics::{Diagnostic, pointer, unescape_token, unique};
use crate::ir;
use crate::names::NameSet;

/// Lowers the whole spec; the diagnostics hold every problem found (errors and warnings).
pub(crate) fn lower(spec: &OpenAPI) -> (ir::Api, Vec<Diagnostic>) {
    let mut lowerer = Lowerer::new(spec);
    lowerer.lower_component_schemas();
    lowerer.lower_operations();
    let service = lowerer.lower_service();
    let Lowerer {
        diagnostics,
        models,
        operations,
        group_modules,
        ..
    } = lowerer;
    let mut api = ir::Api {
        models,
        operations,
        service,
        groups: group_modules
            .into_iter()
            .map(|(module, feature)| (feature, ir::Group { module }))
            .collect(),
    };
    boxing::box_recursive_fields(&mut api);
    uploads::stream_uploads(&mut api);
    groups::assign_model_groups(&mut api);
    (api, unique(diagnostics))
}

/// The state of one lowering run.
struct Lowerer<'a> {
    spec: &'a OpenAPI,
    components: Option<&'a Components>,
    diagnostics: Vec<Diagnostic>,
    models: BTreeMap<String, ir::Model>,
    /// Every type name handed out (component and inline schemas share one namespace).
    type_names: NameSet,
    /// Component schema key → its Rust name.
    schema_names: BTreeMap<String, String>,
    operations: BTreeMap<String, ir::Operation>,
    /// With `x-feature-groups`: each group's module name → its feature name.
    group_modules: BTreeMap<String, String>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI) -> Self {
        Self {
            spec,
            components: spec.components.as_ref(),
            diagnostics: Vec::new(),
            models: BTreeMap::new(),
            type_names: NameSet::default(),
            schema_names: BTreeMap::new(),
            operations: BTreeMap::new(),
            group_modules: BTreeMap::new(),
        }
    }

    fn error(&mut self, at: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(at, message));
    }

    fn warning(&mut self, at: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(at, message));
    }

    /// Follows `reference` (and any chain of references behind it) into `#/components/<section>`.
    /// Returns the item and its pointer; a reference elsewhere, to nothing, or in a cycle is
    /// reported at `at`.
    fn follow<T>(
        &mut self,
        reference: &'a str,
        at: &str,
        section: &str,
        pick: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        let mut chain: Vec<&'a str> = Vec::new();
        let mut current = reference;
        loop {
            if chain.contains(&current) {
                let mut names = chain.clone();
                names.push(current);
                self.error(at, format!("reference cycle: {}", names.join(" -> ")));
                return None;
            }
            chain.push(current);
            let Some(key) = component_key(current, section) else {
                self.error(
                    at,
                    format!(
                        "unsupported reference `{current}`: expected `#/components/{section}/<name>`"
                    ),
                );
                return None;
            };
            let found = self
                .components
                .and_then(|components| pick(components).get(&key));
            let Some(found) = found else {
                self.error(at, format!("reference `{current}` points to nothing"));
                return None;
            };
            match found {
                ReferenceOr::Reference { reference } => current = reference,
                ReferenceOr::Item(item) => {
                    let target = pointer(&format!("#/components/{section}"), &key);
                    return Some((item, target));
                }
            }
        }
    }

    /// Resolves an item that may be a reference; `at` is where it is written.
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        at: &str,
        section: &str,
        pick: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        match item {
            ReferenceOr::Item(item) => Some((item, at.to_owned())),
            ReferenceOr::Reference { reference } => self.follow(reference, at, section, pick),
        }
    }
}

/// The component key named by a local reference such as `#/components/schemas/Pet`.
fn component_key(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let name = rest.strip_prefix(section)?.strip_prefix('/')?;
    if name.is_empty() || name.contains('/') {
        return None;
    }
    Some(unescape_token(name))
}

#[cfg(test)]
mod tests;
