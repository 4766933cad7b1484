//! `$ref`s to other files and to any pointer, brought into the one document the lowerer reads.
//!
//! The lowerer follows only `#/components/<section>/<name>`. Here every other reference is
//! rewritten before the typed parse: a schema, response, parameter, request body or header
//! reached through another file or a deeper pointer (`#/components/schemas/Tag/allOf/0`,
//! `#/paths/~1users/get/responses/200`) is copied into `components` under a stable name derived
//! from where it lives; a path item, example, link, callback or security scheme, and a `$ref`
//! where a strict reading allows none (a `description: {$ref: ...}`), is replaced by what it
//! points to. Relative paths resolve against the referring file, inside the spec's folder; no
//! network. [`Origins`] maps the places of the bundled document back to the original files, so
//! every later diagnostic names the file and pointer the user wrote.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_yaml::{Mapping, Value};

use super::wide_integers;
use crate::diagnostics::{Diagnostic, pointer, unescape_token};

/// Reads a file of the spec by its path relative to the root file's folder (`/`-separated).
pub type Loader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Component sections whose single-name references the lowerer follows.
const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
];

/// How deep replacing references may nest before it is reported as too deep.
const MAX_INLINE_DEPTH: usize = 64;

/// Where the parts of a bundled document were written: its places (pointers into the bundled
/// document) mapped to `file#pointer` of the original (`#pointer` for the root file).
#[derive(Debug, Default, Clone)]
pub(crate) struct Origins(Vec<(String, String)>);

impl Origins {
    fn add(&mut self, at: String, origin: String) {
        if at != origin {
            self.0.push((at, origin));
        }
    }

    /// Whether nothing was copied or replaced.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The original place of `at`: the longest recorded place that is `at` or contains it.
    pub(crate) fn locate(&self, at: &str) -> Option<String> {
        self.0
            .iter()
            .filter(|(place, _)| {
                at.strip_prefix(place.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(place, _)| place.len())
            .map(|(place, origin)| format!("{origin}{}", &at[place.len()..]))
    }

    /// Rewrites the pointers of `diagnostics` to the places the user wrote.
    pub(crate) fn relocate(&self, diagnostics: &mut [Diagnostic]) {
        if self.0.is_empty() {
            return;
        }
        for diagnostic in diagnostics {
            if let Some(origin) = self.locate(&diagnostic.pointer) {
                diagnostic.pointer = origin;
            }
        }
    }
}

/// What a place of the document holds, which decides what a `$ref` there becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Response,
    Parameter,
    RequestBody,
    Header,
    PathItem,
    /// An operation, which some documents write as a `$ref` to a file of its own.
    Operation,
    Example,
    Link,
    Callback,
    SecurityScheme,
    /// A mapping of schemas (`properties`) that some documents write as a `$ref`.
    SchemaMap,
    /// A text (`description`, `summary`) that some documents write as a `$ref`.
    Text,
}

impl Kind {
    /// The component section an item of this kind is copied into; `None`: replaced in place.
    fn section(self) -> Option<&'static str> {
        match self {
            Kind::Schema => Some("schemas"),
            Kind::Response => Some("responses"),
            Kind::Parameter => Some("parameters"),
            Kind::RequestBody => Some("requestBodies"),
            Kind::Header => Some("headers"),
            _ => None,
        }
    }

    /// The section a root-document reference of this kind may keep pointing into.
    fn own_section(self) -> Option<&'static str> {
        match self {
            Kind::Example => Some("examples"),
            Kind::Link => Some("links"),
            Kind::Callback => Some("callbacks"),
            Kind::SecurityScheme => Some("securitySchemes"),
            other => other.section(),
        }
    }
}

/// A place in one file: its path (relative to the root's folder) and a decoded JSON pointer.
type Key = (String, String);

/// Whether the document holds a `$ref` the lowerer would not follow as written (to another
/// file, a deeper pointer, a path item). Cheap: documents without one are left untouched.
pub(crate) fn needed(value: &Value) -> bool {
    match value {
        Value::Mapping(mapping) => mapping.iter().any(|(key, child)| {
            if key.as_str() == Some("$ref")
                && let Value::String(reference) = child
                && !is_plain_component_ref(reference)
            {
                return true;
            }
            needed(child)
        }),
        Value::Sequence(items) => items.iter().any(needed),
        _ => false,
    }
}

fn is_plain_component_ref(reference: &str) -> bool {
    let Some(rest) = reference.strip_prefix("#/components/") else {
        return false;
    };
    let Some((section, name)) = rest.split_once('/') else {
        return false;
    };
    SECTIONS.contains(&section) && !name.is_empty() && !name.contains('/')
}

/// Rewrites the references of `root` (the document of the file `root_path`) in place; returns
/// where the copied and replaced parts came from, and the problems found.
pub(crate) fn bundle(
    root: &mut Value,
    root_path: &str,
    load: Loader<'_>,
) -> (Origins, Vec<Diagnostic>) {
    let mut bundler = Bundler {
        load,
        root: root_path.to_owned(),
        files: BTreeMap::new(),
        memo: BTreeMap::new(),
        taken: BTreeMap::new(),
        queue: VecDeque::new(),
        hoisted: Vec::new(),
        inlining: Vec::new(),
        origins: Origins::default(),
        diagnostics: Vec::new(),
    };
    if let Value::Mapping(document) = &*root {
        for section in SECTIONS {
            let names = document
                .get("components")
                .and_then(|components| components.get(*section))
                .and_then(Value::as_mapping)
                .map(|entries| entries.keys().filter_map(key_text).collect())
                .unwrap_or_default();
            bundler.taken.insert(section, names);
        }
    }
    bundler.files.insert(root_path.to_owned(), Ok(root.clone()));
    let root_file = root_path.to_owned();
    bundler.document(root, &root_file);
    while let Some((key, kind, name)) = bundler.queue.pop_front() {
        let Some(section) = kind.section() else {
            continue;
        };
        let at = pointer(&format!("#/components/{section}"), &name);
        let Some(mut value) = bundler.target(&key).cloned() else {
            continue;
        };
        bundler.origins.add(at.clone(), bundler.display(&key));
        bundler.node(&mut value, &key.0, &at, kind, 0);
        bundler.hoisted.push((section, name, value));
    }
    if !bundler.hoisted.is_empty()
        && let Value::Mapping(document) = root
    {
        let components = document
            .entry(Value::from("components"))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if !components.is_mapping() {
            *components = Value::Mapping(Mapping::new());
        }
        if let Value::Mapping(components) = components {
            for (section, name, value) in std::mem::take(&mut bundler.hoisted) {
                let entries = components
                    .entry(Value::from(section))
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                if !entries.is_mapping() {
                    *entries = Value::Mapping(Mapping::new());
                }
                if let Value::Mapping(entries) = entries {
                    entries.insert(Value::from(name), value);
                }
            }
        }
    }
    (bundler.origins, bundler.diagnostics)
}

struct Bundler<'a> {
    load: Loader<'a>,
    root: String,
    /// Every file read, by path: its document or why it could not be read.
    files: BTreeMap<String, Result<Value, String>>,
    /// Places already copied into `components`: their component name.
    memo: BTreeMap<Key, String>,
    /// Each section's component names in use.
    taken: BTreeMap<&'static str, BTreeSet<String>>,
    /// Places to copy into `components`, with their kind and name, in the order found.
    queue: VecDeque<(Key, Kind, String)>,
    hoisted: Vec<(&'static str, String, Value)>,
    /// The places being replaced in place, outermost first (to report cycles).
    inlining: Vec<Key>,
    origins: Origins,
    diagnostics: Vec<Diagnostic>,
}

impl Bundler<'_> {
    fn error(&mut self, at: &str, message: String) {
        self.diagnostics.push(Diagnostic::error(at, message));
    }

    /// `file#pointer` as a user writes it (`#pointer` in the root file).
    fn display(&self, (file, at): &Key) -> String {
        if *file == self.root {
            format!("#{at}")
        } else {
            format!("{file}#{at}")
        }
    }

    fn document(&mut self, root: &mut Value, file: &str) {
        let Value::Mapping(document) = root else {
            return;
        };
        self.texts(document, file, "#");
        if let Some(Value::Mapping(info)) = document.get_mut("info") {
            self.texts(info, file, "#/info");
        }
        if let Some(Value::Sequence(tags)) = document.get_mut("tags") {
            for (index, tag) in tags.iter_mut().enumerate() {
                if let Value::Mapping(tag) = tag {
                    self.texts(tag, file, &format!("#/tags/{index}"));
                }
            }
        }
        self.map_of(document, "paths", file, "#", Kind::PathItem, 0);
        if let Some(Value::Mapping(components)) = document.get_mut("components") {
            let at = "#/components";
            for (section, kind) in [
                ("schemas", Kind::Schema),
                ("responses", Kind::Response),
                ("parameters", Kind::Parameter),
                ("requestBodies", Kind::RequestBody),
                ("headers", Kind::Header),
                ("examples", Kind::Example),
                ("links", Kind::Link),
                ("callbacks", Kind::Callback),
                ("securitySchemes", Kind::SecurityScheme),
            ] {
                self.map_of(components, section, file, at, kind, 0);
            }
        }
    }

    /// Walks every entry of the mapping under `key` as an item of `kind`.
    fn map_of(
        &mut self,
        parent: &mut Mapping,
        key: &str,
        file: &str,
        at: &str,
        kind: Kind,
        depth: usize,
    ) {
        let Some(value @ Value::Mapping(_)) = parent.get_mut(key) else {
            return;
        };
        let at = pointer(at, key);
        if kind == Kind::Schema
            && let Value::Mapping(entries) = &*value
            && entries.get("$ref").is_some_and(Value::is_string)
        {
            self.node(value, file, &at, Kind::SchemaMap, depth);
            return;
        }
        let Value::Mapping(entries) = value else {
            return;
        };
        for (name, entry) in entries.iter_mut() {
            let name = key_text(name).unwrap_or_default();
            self.node(entry, file, &pointer(&at, &name), kind, depth);
        }
    }

    /// Walks every entry of the list under `key` as an item of `kind`.
    fn list_of(
        &mut self,
        parent: &mut Mapping,
        key: &str,
        file: &str,
        at: &str,
        kind: Kind,
        depth: usize,
    ) {
        let Some(Value::Sequence(items)) = parent.get_mut(key) else {
            return;
        };
        let at = pointer(at, key);
        for (index, item) in items.iter_mut().enumerate() {
            self.node(item, file, &format!("{at}/{index}"), kind, depth);
        }
    }

    fn one(
        &mut self,
        parent: &mut Mapping,
        key: &str,
        file: &str,
        at: &str,
        kind: Kind,
        depth: usize,
    ) {
        if let Some(child) = parent.get_mut(key) {
            self.node(child, file, &pointer(at, key), kind, depth);
        }
    }

    /// `description` and `summary` written as a `$ref`.
    fn texts(&mut self, object: &mut Mapping, file: &str, at: &str) {
        for key in ["description", "summary"] {
            if let Some(text @ Value::Mapping(_)) = object.get_mut(key) {
                self.node(text, file, &pointer(at, key), Kind::Text, 0);
            }
        }
    }

    /// Walks one item of `kind` written in `file`, now at `at` of the bundled document.
    fn node(&mut self, value: &mut Value, file: &str, at: &str, kind: Kind, depth: usize) {
        let Value::Mapping(object) = value else {
            return;
        };
        if let Some(Value::String(reference)) = object.get("$ref") {
            let reference = reference.clone();
            if kind.section().is_some() {
                if let Some(local) = self.hoist(&reference, file, at, kind) {
                    object.insert(Value::from("$ref"), Value::String(local));
                }
                if kind != Kind::Schema {
                    return;
                }
            } else {
                self.inline(value, &reference, file, at, kind, depth);
                return;
            }
        }
        let Value::Mapping(object) = value else {
            return;
        };
        match kind {
            Kind::Schema => self.schema(object, file, at, depth),
            Kind::Text => {}
            Kind::PathItem => {
                self.texts(object, file, at);
                for method in [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ] {
                    self.one(object, method, file, at, Kind::Operation, depth);
                }
                self.list_of(object, "parameters", file, at, Kind::Parameter, depth);
            }
            Kind::Operation => self.operation(object, file, at, depth),
            Kind::SchemaMap => {
                for (name, entry) in object.iter_mut() {
                    let name = key_text(name).unwrap_or_default();
                    self.node(entry, file, &pointer(at, &name), Kind::Schema, depth);
                }
            }
            Kind::Callback => {
                for (expression, item) in object.iter_mut() {
                    let expression = key_text(expression).unwrap_or_default();
                    self.node(item, file, &pointer(at, &expression), Kind::PathItem, depth);
                }
            }
            Kind::Response => {
                self.texts(object, file, at);
                self.map_of(object, "headers", file, at, Kind::Header, depth);
                self.content(object, file, at, depth);
                self.map_of(object, "links", file, at, Kind::Link, depth);
            }
            Kind::Parameter | Kind::Header => {
                self.texts(object, file, at);
                self.one(object, "schema", file, at, Kind::Schema, depth);
                self.content(object, file, at, depth);
                self.map_of(object, "examples", file, at, Kind::Example, depth);
            }
            Kind::RequestBody => {
                self.texts(object, file, at);
                self.content(object, file, at, depth);
            }
            Kind::Example | Kind::Link | Kind::SecurityScheme => self.texts(object, file, at),
        }
    }

    fn operation(&mut self, operation: &mut Mapping, file: &str, at: &str, depth: usize) {
        self.texts(operation, file, at);
        self.list_of(operation, "parameters", file, at, Kind::Parameter, depth);
        self.one(operation, "requestBody", file, at, Kind::RequestBody, depth);
        self.map_of(operation, "responses", file, at, Kind::Response, depth);
        self.map_of(operation, "callbacks", file, at, Kind::Callback, depth);
    }

    fn content(&mut self, object: &mut Mapping, file: &str, at: &str, depth: usize) {
        let Some(Value::Mapping(content)) = object.get_mut("content") else {
            return;
        };
        let at = pointer(at, "content");
        for (media_type, entry) in content.iter_mut() {
            let Value::Mapping(entry) = entry else {
                continue;
            };
            let at = pointer(&at, &key_text(media_type).unwrap_or_default());
            self.one(entry, "schema", file, &at, Kind::Schema, depth);
            self.map_of(entry, "examples", file, &at, Kind::Example, depth);
            if let Some(Value::Mapping(encodings)) = entry.get_mut("encoding") {
                let at = pointer(&at, "encoding");
                for (name, encoding) in encodings.iter_mut() {
                    if let Value::Mapping(encoding) = encoding {
                        let at = pointer(&at, &key_text(name).unwrap_or_default());
                        self.map_of(encoding, "headers", file, &at, Kind::Header, depth);
                    }
                }
            }
        }
    }

    fn schema(&mut self, object: &mut Mapping, file: &str, at: &str, depth: usize) {
        for key in [
            "properties",
            "patternProperties",
            "$defs",
            "definitions",
            "dependentSchemas",
        ] {
            self.map_of(object, key, file, at, Kind::Schema, depth);
        }
        for key in [
            "items",
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedProperties",
            "unevaluatedItems",
            "contentSchema",
        ] {
            self.one(object, key, file, at, Kind::Schema, depth);
        }
        for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
            self.list_of(object, key, file, at, Kind::Schema, depth);
        }
    }

    /// The place `reference` (written in `file`) names, or an error at `at`.
    fn resolve(&mut self, reference: &str, file: &str, at: &str) -> Option<Key> {
        match resolve(reference, file) {
            Ok(key) => Some(key),
            Err(message) => {
                self.error(at, message);
                None
            }
        }
    }

    /// The value at `key`, reading its file on first use; `None` after reporting nothing (the
    /// caller reports).
    fn target(&mut self, key: &Key) -> Option<&Value> {
        let document = self.file(&key.0).ok()?;
        lookup(document, &key.1)
    }

    fn file(&mut self, path: &str) -> Result<&Value, String> {
        if !self.files.contains_key(path) {
            let read = (self.load)(path).and_then(|text| {
                wide_integers::read(&text)
                    .map(|(value, _)| value)
                    .map_err(|error| format!("invalid yaml: {error}"))
            });
            self.files.insert(path.to_owned(), read);
        }
        match self.files.get(path) {
            Some(Ok(value)) => Ok(value),
            Some(Err(message)) => Err(message.clone()),
            None => Err("not read".to_owned()),
        }
    }

    /// The value at `key`, or an error at `at` naming the reference, the file and the pointer.
    fn checked_target(&mut self, key: &Key, reference: &str, at: &str) -> Option<Value> {
        let shown = self.display(key);
        match self.file(&key.0) {
            Err(message) => {
                let message = format!(
                    "reference `{reference}`: cannot read `{}`: {message}",
                    key.0
                );
                self.error(at, message);
                None
            }
            Ok(document) => match lookup(document, &key.1) {
                Some(value) => Some(value.clone()),
                None => {
                    self.error(
                        at,
                        format!("reference `{reference}` points to nothing ({shown})"),
                    );
                    None
                }
            },
        }
    }

    /// Copies the item `reference` names into `components` (once) and returns the local
    /// reference to use instead; `None` when the reference can stay or is broken (reported).
    fn hoist(&mut self, reference: &str, file: &str, at: &str, kind: Kind) -> Option<String> {
        let section = kind.section()?;
        if file == self.root && local_component(reference, section).is_some() {
            return None;
        }
        let mut key = self.resolve(reference, file, at)?;
        let mut chain: Vec<Key> = Vec::new();
        let mut written = reference.to_owned();
        let name = loop {
            if let Some(name) = self.memo.get(&key) {
                break name.clone();
            }
            if key.0 == self.root
                && let Some(name) = component_name(&key.1, section)
                && self.target(&key).is_some()
            {
                break name;
            }
            if chain.contains(&key) {
                chain.push(key);
                let cycle: Vec<String> = chain.iter().map(|key| self.display(key)).collect();
                self.error(at, format!("reference cycle: {}", cycle.join(" -> ")));
                return None;
            }
            let target = self.checked_target(&key, &written, at)?;
            chain.push(key.clone());
            // A target that is itself only a reference is followed, so an alias chain across
            // files ends at one copy.
            let next = match &target {
                Value::Mapping(object) if object.len() == 1 => object
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                _ => None,
            };
            match next {
                Some(next) => {
                    key = self.resolve(&next, &key.0, at)?;
                    written = next;
                }
                None => {
                    let name = self.claim(section, &derived_name(&key));
                    self.queue.push_back((key, kind, name.clone()));
                    break name;
                }
            }
        };
        for key in chain {
            self.memo.insert(key, name.clone());
        }
        Some(pointer(&format!("#/components/{section}"), &name))
    }

    /// A free component name in `section` for `wanted`.
    fn claim(&mut self, section: &'static str, wanted: &str) -> String {
        let taken = self.taken.entry(section).or_default();
        let mut name = wanted.to_owned();
        let mut number = 2;
        while taken.contains(&name) {
            name = format!("{wanted}_{number}");
            number += 1;
        }
        taken.insert(name.clone());
        name
    }

    /// Replaces the reference object `value` by what `reference` names, walked in its own file.
    fn inline(
        &mut self,
        value: &mut Value,
        reference: &str,
        file: &str,
        at: &str,
        kind: Kind,
        depth: usize,
    ) {
        if file == self.root
            && let Some(section) = kind.own_section()
            && local_component(reference, section).is_some()
        {
            return;
        }
        let Some(key) = self.resolve(reference, file, at) else {
            return;
        };
        if self.inlining.contains(&key) {
            let mut cycle: Vec<String> =
                self.inlining.iter().map(|key| self.display(key)).collect();
            cycle.push(self.display(&key));
            self.error(at, format!("reference cycle: {}", cycle.join(" -> ")));
            return;
        }
        if depth >= MAX_INLINE_DEPTH {
            self.error(
                at,
                format!(
                    "reference `{reference}`: references nest more than {MAX_INLINE_DEPTH} deep"
                ),
            );
            return;
        }
        let Some(mut target) = self.checked_target(&key, reference, at) else {
            return;
        };
        self.origins.add(at.to_owned(), self.display(&key));
        self.inlining.push(key.clone());
        self.node(&mut target, &key.0, at, kind, depth + 1);
        self.inlining.pop();
        // Keywords written beside the reference (a path item's `summary`) are kept.
        if let (Value::Mapping(siblings), Value::Mapping(object)) = (&*value, &mut target) {
            for (name, sibling) in siblings {
                if name.as_str() != Some("$ref") && !object.contains_key(name) {
                    object.insert(name.clone(), sibling.clone());
                }
            }
        }
        *value = target;
    }
}

/// A mapping key as text (YAML allows numbers, such as a response's `200`).
fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The component name of a root-document reference `#/components/<section>/<name>`.
fn local_component(reference: &str, section: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    component_name(&decode_pointer(fragment).ok()?, section)
}

/// The name in a decoded pointer `/components/<section>/<name>`.
fn component_name(at: &str, section: &str) -> Option<String> {
    let tokens: Vec<&str> = at.split('/').collect();
    match tokens.as_slice() {
        ["", "components", found, name] if *found == section && !name.is_empty() => {
            Some(unescape_token(name))
        }
        _ => None,
    }
}

/// A name for an item reached only through `key`, derived from where it lives: the owner and
/// the path to it (`Tag/allOf/0` → `Tag_allOf_0`), or the file's stem for a whole file.
fn derived_name(key: &Key) -> String {
    const STRUCTURE: &[&str] = &[
        "components",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "paths",
        "properties",
        "content",
        "schema",
        "$defs",
        "definitions",
    ];
    let tokens: Vec<String> = key
        .1
        .split('/')
        .skip(1)
        .map(unescape_token)
        .filter(|token| !STRUCTURE.contains(&token.as_str()))
        // A media type (`application/json`) says nothing about the item.
        .filter(|token| token.starts_with('/') || !token.contains('/'))
        .map(|token| {
            token
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect::<String>()
                .trim_matches('_')
                .to_owned()
        })
        .filter(|token| !token.is_empty())
        .collect();
    if let Some(name) = component_name(&key.1, "schemas")
        .or_else(|| component_name(&key.1, "responses"))
        .or_else(|| component_name(&key.1, "parameters"))
        .or_else(|| component_name(&key.1, "requestBodies"))
        .or_else(|| component_name(&key.1, "headers"))
    {
        return name;
    }
    if tokens.is_empty() {
        let file = key.0.rsplit('/').next().unwrap_or_default();
        let stem = file.split('.').next().unwrap_or_default();
        return if stem.is_empty() {
            "Unnamed".to_owned()
        } else {
            stem.to_owned()
        };
    }
    tokens.join("_")
}

/// The place a reference written in `file` names: the file's path relative to the root's
/// folder and the decoded pointer. Network, absolute and escaping references are errors.
fn resolve(reference: &str, file: &str) -> Result<Key, String> {
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if path.contains("://") {
        return Err(format!(
            "reference `{reference}`: references to the network are not followed; save the file beside the spec"
        ));
    }
    let at = decode_pointer(fragment)
        .map_err(|problem| format!("reference `{reference}`: {problem}"))?;
    if path.is_empty() {
        return Ok((file.to_owned(), at));
    }
    let path = percent_decode(path);
    if path.starts_with('/') {
        return Err(format!(
            "reference `{reference}`: an absolute path; write it relative to the referring file"
        ));
    }
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "reference `{reference}` points outside the spec's folder"
                    ));
                }
            }
            part => parts.push(part),
        }
    }
    Ok((parts.join("/"), at))
}

/// A URI fragment as a decoded JSON pointer (`""` for the whole document).
fn decode_pointer(fragment: &str) -> Result<String, String> {
    let fragment = percent_decode(fragment);
    if fragment.is_empty() || fragment.starts_with('/') {
        Ok(fragment)
    } else {
        Err(format!(
            "`#{fragment}` is not a JSON pointer (anchors are not supported)"
        ))
    }
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The value at the decoded pointer `at` (tokens still `~`-escaped).
fn lookup<'v>(value: &'v Value, at: &str) -> Option<&'v Value> {
    let mut current = value;
    for token in at.split('/').skip(1) {
        let token = unescape_token(token);
        current = match current {
            Value::Mapping(mapping) => mapping.get(token.as_str()).or_else(|| {
                mapping
                    .iter()
                    .find(|(key, _)| key_text(key).as_deref() == Some(token.as_str()))
                    .map(|(_, value)| value)
            })?,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests;
