//! What changed between two API manifests, each change classed by what it does to code using
//! the generated crate: `breaking`, `additive` or `docs`.

mod models;
mod operations;

use std::collections::BTreeSet;
use std::fmt;

use super::manifest::ApiManifest;

/// How a change affects code written against the previous generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeClass {
    /// Code that compiled may not compile, or may send or decode something else.
    Breaking,
    /// New API; code that compiled still compiles and behaves the same.
    Additive,
    /// Documentation only (descriptions, examples, deprecation notes).
    Docs,
}

impl ChangeClass {
    /// `breaking`, `additive` or `docs`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Additive => "additive",
            Self::Docs => "docs",
        }
    }
}

impl fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One change of the Rust API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    pub class: ChangeClass,
    /// The item with its spec name and its Rust name: `operation ListHosts (list_hosts)`,
    /// `struct Host`, `feature image`.
    pub item: String,
    /// What changed, naming the part (field, parameter, value) with its wire and Rust names.
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<9} {}: {}", self.class, self.item, self.detail)
    }
}

/// Every change from one manifest to the next, sorted: breaking first, then additive, then docs,
/// each by item and detail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiChanges {
    pub changes: Vec<Change>,
}

impl ApiChanges {
    /// The changes from `old` to `new`.
    pub fn between(old: &ApiManifest, new: &ApiManifest) -> Self {
        let mut found = Found::default();
        features(&mut found, &old.features, &new.features);
        operations::compare(&mut found, &old.operations, &new.operations);
        models::compare(&mut found, &old.models, &new.models);
        let mut changes = found.0;
        changes.sort();
        changes.dedup();
        Self { changes }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The most severe class present; `None` without changes.
    pub fn worst(&self) -> Option<ChangeClass> {
        self.changes.iter().map(|change| change.class).min()
    }

    /// How many changes of `class` there are.
    pub fn count(&self, class: ChangeClass) -> usize {
        self.changes
            .iter()
            .filter(|change| change.class == class)
            .count()
    }
}

/// The changes found so far.
#[derive(Debug, Default)]
pub(crate) struct Found(pub Vec<Change>);

impl Found {
    pub(crate) fn push(&mut self, class: ChangeClass, item: &str, detail: impl Into<String>) {
        self.0.push(Change {
            class,
            item: item.to_owned(),
            detail: detail.into(),
        });
    }

    pub(crate) fn breaking(&mut self, item: &str, detail: impl Into<String>) {
        self.push(ChangeClass::Breaking, item, detail);
    }

    pub(crate) fn additive(&mut self, item: &str, detail: impl Into<String>) {
        self.push(ChangeClass::Additive, item, detail);
    }

    pub(crate) fn docs(&mut self, item: &str, detail: impl Into<String>) {
        self.push(ChangeClass::Docs, item, detail);
    }

    /// Where the changes found from now on start.
    pub(crate) fn mark(&self) -> usize {
        self.0.len()
    }

    /// Whether a breaking change was found since `mark`: the docs of a part whose type changed
    /// change with it (they state formats and limits), so that part's docs are not reported too.
    pub(crate) fn broke_since(&self, mark: usize) -> bool {
        self.0
            .get(mark..)
            .is_some_and(|found| found.iter().any(|c| c.class == ChangeClass::Breaking))
    }

    /// A docs change when the digests differ.
    pub(crate) fn docs_of(&mut self, item: &str, what: &str, old: &str, new: &str) {
        if old != new {
            self.docs(item, format!("{what} changed"));
        }
    }
}

fn features(found: &mut Found, old: &[String], new: &[String]) {
    let old: BTreeSet<&String> = old.iter().collect();
    let new: BTreeSet<&String> = new.iter().collect();
    for gone in old.difference(&new) {
        found.breaking(
            &format!("feature {gone}"),
            "removed: a crate enabling it no longer resolves",
        );
    }
    for added in new.difference(&old) {
        found.additive(&format!("feature {added}"), "added");
    }
}

/// The change of the features compiling an item (`None`: always compiled): it stays available
/// only if every feature that compiled it still does.
pub(crate) fn feature_move(
    found: &mut Found,
    item: &str,
    old: Option<&[String]>,
    new: Option<&[String]>,
) {
    let list = |features: &[&String]| {
        features
            .iter()
            .map(|feature| format!("`{feature}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (old, new) {
        (None, None) => {}
        (None, Some(new)) => found.breaking(
            item,
            format!(
                "compiled only with feature {} now, was always compiled",
                list(&new.iter().collect::<Vec<_>>())
            ),
        ),
        (Some(old), None) => found.additive(
            item,
            format!(
                "always compiled now, was only with feature {}",
                list(&old.iter().collect::<Vec<_>>())
            ),
        ),
        (Some(old), Some(new)) => {
            let old: BTreeSet<&String> = old.iter().collect();
            let new: BTreeSet<&String> = new.iter().collect();
            let lost: Vec<&String> = old.difference(&new).copied().collect();
            let gained: Vec<&String> = new.difference(&old).copied().collect();
            if !lost.is_empty() {
                let mut detail = format!("no longer compiled with feature {}", list(&lost));
                if !gained.is_empty() {
                    detail.push_str(&format!(" (now with {})", list(&gained)));
                }
                found.breaking(item, detail);
            } else if !gained.is_empty() {
                found.additive(
                    item,
                    format!("also compiled with feature {}", list(&gained)),
                );
            }
        }
    }
}

/// `a`'s items that are also in `b`, in `a`'s order.
pub(crate) fn common_order<'a>(a: &'a [String], b: &[String]) -> Vec<&'a String> {
    a.iter().filter(|name| b.contains(name)).collect()
}
