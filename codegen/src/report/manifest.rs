//! The API manifest: the public Rust items of one generation with their wire names, as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest format this generator writes and reads; a change of its meaning bumps it.
pub(crate) const FORMAT: u32 = 1;

/// The public Rust API one generation gives, item by item, each with the spec name it comes
/// from: what a later generation is compared with. Written beside the generated files as
/// deterministic JSON (sorted maps, items in declaration order), so it reviews like code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApiManifest {
    /// Who writes the file; not compared.
    #[serde(
        rename = "@generated",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub(crate) generated: String,
    pub(crate) format: u32,
    /// The cargo features of the operation groups.
    #[serde(default)]
    pub(crate) features: Vec<String>,
    /// By operation id.
    #[serde(default)]
    pub(crate) operations: BTreeMap<String, OperationEntry>,
    /// By Rust type name.
    #[serde(default)]
    pub(crate) models: BTreeMap<String, ModelEntry>,
}

impl ApiManifest {
    /// The manifest as JSON ending in a newline, one item per line (see [`layout`]): the same
    /// API always gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = String::new();
        let _ = self.write_json(&mut |piece| {
            text.push_str(piece);
            Ok(())
        });
        text
    }

    /// [`ApiManifest::to_json`] given to `out` piece by piece, an operation or a model at a
    /// time, so that the whole text is never in memory at once; an error of `out` stops it.
    pub fn write_json(
        &self,
        out: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> Result<(), String> {
        // Plain data of strings, numbers, vectors and string-keyed maps always serializes.
        let holds_containers =
            !(self.features.is_empty() && self.operations.is_empty() && self.models.is_empty());
        if !holds_containers {
            // Every member on one line: small.
            let mut text = layout(&serde_json::to_string(self).unwrap_or_default());
            text.push('\n');
            return out(&text);
        }
        out("{")?;
        let mut members = Vec::new();
        if !self.generated.is_empty() {
            members.push(("@generated", serde_json::to_string(&self.generated)));
        }
        members.push(("format", serde_json::to_string(&self.format)));
        members.push(("features", serde_json::to_string(&self.features)));
        for (index, (name, value)) in members.iter().enumerate() {
            let comma = if index == 0 { "" } else { "," };
            let value = value.as_deref().unwrap_or_default();
            out(&format!("{comma}\n  \"{name}\": {}", layout_at(value, 1)))?;
        }
        write_map(out, "operations", &self.operations)?;
        write_map(out, "models", &self.models)?;
        out("\n}\n")
    }

    /// Reads a manifest written by [`ApiManifest::to_json`]; the error names the line and
    /// column, or the format version this generator does not know.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let manifest: Self =
            serde_json::from_str(text).map_err(|error| format!("not an API manifest: {error}"))?;
        if manifest.format != FORMAT {
            return Err(format!(
                "API manifest format {} is not the format {FORMAT} this generator reads",
                manifest.format
            ));
        }
        Ok(manifest)
    }

    /// How many operations and models the manifest holds.
    pub fn counts(&self) -> (usize, usize) {
        (self.operations.len(), self.models.len())
    }
}

/// `,\n  "name": {...}` for a member map of the manifest, one entry at a time; each entry is an
/// object holding members (so the map opens one line per entry, as [`layout`] gives).
fn write_map<T: Serialize>(
    out: &mut dyn FnMut(&str) -> Result<(), String>,
    name: &str,
    map: &BTreeMap<String, T>,
) -> Result<(), String> {
    if map.is_empty() {
        return out(&format!(",\n  \"{name}\": {{}}"));
    }
    out(&format!(",\n  \"{name}\": {{"))?;
    for (index, (key, value)) in map.iter().enumerate() {
        let comma = if index == 0 { "" } else { "," };
        let key = serde_json::to_string(key).unwrap_or_default();
        let value = serde_json::to_string(value).unwrap_or_default();
        out(&format!("{comma}\n    {key}: {}", layout_at(&value, 2)))?;
    }
    out("\n  }")
}

/// One client method and its request builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OperationEntry {
    /// The client method.
    pub method: String,
    /// The request builder type.
    pub builder: String,
    /// `GET /v5/{project_id}/hosts`.
    pub http: String,
    /// The cargo feature compiling it; `None`: always compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The `#[deprecated]` note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
    /// The client method's positional arguments in order: parameter Rust names and `body`.
    #[serde(default)]
    pub arguments: Vec<String>,
    #[serde(default)]
    pub parameters: Vec<ParameterEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyEntry>,
    /// What `send()` decodes: `empty`, `text`, `bytes`, `json <type>` or `by status <enum>`.
    pub response: String,
    /// The per-operation enum of success bodies by status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses: Option<StatusEnumEntry>,
    /// The per-operation enum of error bodies by status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<StatusEnumEntry>,
    /// The per-operation struct of declared response headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_headers: Option<HeadersEntry>,
}

/// One parameter: a positional argument of the client method or a setter of the builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ParameterEntry {
    pub name: String,
    pub wire: String,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in")]
    pub location: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// A positional argument of the client method; otherwise a setter.
    #[serde(default, skip_serializing_if = "is_false")]
    pub argument: bool,
    /// The client setting that fills it when the call does not (`x-client-default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_default: Option<String>,
    /// The length limits the builder checks before sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

/// The request body: the positional argument `body`, or the setter `body`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BodyEntry {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub argument: bool,
    /// `json <media type>`, `raw <media type>`, `form` or `multipart`.
    pub encoding: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

/// A per-operation enum with one variant per declared status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatusEnumEntry {
    pub name: String,
    pub non_exhaustive: bool,
    pub variants: Vec<StatusVariantEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatusVariantEntry {
    pub status: String,
    pub variant: String,
    /// As [`OperationEntry::response`].
    pub body: String,
}

/// A per-operation struct of declared response headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HeadersEntry {
    pub name: String,
    pub non_exhaustive: bool,
    pub headers: Vec<HeaderEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HeaderEntry {
    pub name: String,
    pub wire: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

/// One generated type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ModelEntry {
    /// The schema it comes from (a JSON pointer into the spec): the model's wire identity.
    pub source: String,
    /// The cargo features compiling it (any of them); `None`: always compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
    pub shape: Shape,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Shape {
    /// A struct with pub fields and a `new(required…)` constructor.
    Struct {
        non_exhaustive: bool,
        /// The constructor's arguments in order (field Rust names).
        constructor: Vec<String>,
        fields: Vec<FieldEntry>,
        /// The value type of the flattened `additional_properties` map.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<String>,
    },
    /// A string or integer enum (`wire_type`), with an `Unknown` variant when `unknown`.
    Enum {
        wire_type: String,
        non_exhaustive: bool,
        unknown: bool,
        variants: Vec<VariantEntry>,
    },
    /// `oneOf`/`anyOf`: tagged by `discriminator` (with an `Unknown` variant) or untagged.
    Union {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discriminator: Option<String>,
        non_exhaustive: bool,
        unknown: bool,
        variants: Vec<UnionVariantEntry>,
    },
    /// `pub type Name = Type;`
    Alias {
        #[serde(rename = "type")]
        ty: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FieldEntry {
    pub name: String,
    pub wire: String,
    /// The value's type, without the `Option` that `presence` adds.
    #[serde(rename = "type")]
    pub ty: String,
    pub presence: Presence,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

/// As `ir::Presence`: required or optional, crossed with nullable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Presence {
    Required,
    RequiredNullable,
    Optional,
    OptionalNullable,
}

impl Presence {
    /// A constructor argument (required, even if nullable), rather than a field starting `None`.
    pub(crate) fn in_constructor(self) -> bool {
        matches!(self, Self::Required | Self::RequiredNullable)
    }

    /// The field's declared type around `ty`.
    pub(crate) fn wrap(self, ty: &str) -> String {
        match self {
            Self::Required => ty.to_owned(),
            Self::RequiredNullable | Self::Optional => format!("Option<{ty}>"),
            Self::OptionalNullable => format!("Option<Option<{ty}>>"),
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::RequiredNullable => "required, nullable",
            Self::Optional => "optional",
            Self::OptionalNullable => "optional, nullable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct VariantEntry {
    pub name: String,
    /// The wire value (an integer enum's as decimal text).
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UnionVariantEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The discriminator values selecting it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Lays out compact JSON for review: a container holding other containers opens one line per
/// member, indented by two spaces; a container of plain values (a field, a parameter, an enum
/// value) stays on one line. A manifest of the whole service is then a third of its
/// pretty-printed size, and a changed item is a changed line in a diff.
pub(crate) fn layout(compact: &str) -> String {
    layout_at(compact, 0)
}

/// [`layout`] for a value that starts `depth` containers deep.
fn layout_at(compact: &str, depth: usize) -> String {
    // Structural characters are ASCII, and no byte of a multi-byte UTF-8 character is: working
    // on bytes and copying the text between structural characters as `&str` slices is exact.
    let bytes = compact.as_bytes();
    let holds_containers = containers_holding_containers(bytes);
    let mut out = String::with_capacity(compact.len() + compact.len() / 2);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 2));
    };
    let mut depth = depth;
    let mut inline = false;
    let mut in_string = false;
    let mut escaped = false;
    // The start of the text not yet copied.
    let mut pending = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        index += 1;
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if byte == b'"' {
            in_string = true;
            continue;
        }
        if !matches!(byte, b'{' | b'[' | b'}' | b']' | b',' | b':') {
            continue;
        }
        out.push_str(&compact[pending..index - 1]);
        pending = index;
        match byte {
            b'{' | b'[' => {
                out.push(char::from(byte));
                if let Some(&closer @ (b'}' | b']')) = bytes.get(index) {
                    // An empty container: `{}` or `[]`.
                    out.push(char::from(closer));
                    index += 1;
                    pending = index;
                } else if holds_containers[index - 1] {
                    depth += 1;
                    newline(&mut out, depth);
                } else {
                    inline = true;
                }
            }
            b'}' | b']' => {
                if inline {
                    inline = false;
                } else {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(char::from(byte));
            }
            b',' if inline => out.push_str(", "),
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            _ => out.push_str(": "),
        }
    }
    out.push_str(&compact[pending..]);
    out
}

/// For each byte position, whether a container opening there holds non-empty containers.
fn containers_holding_containers(bytes: &[u8]) -> Vec<bool> {
    let mut holds = vec![false; bytes.len()];
    let mut open = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        index += 1;
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            // `{}` and `[]` count as plain values.
            b'{' | b'[' if matches!(bytes.get(index), Some(b'}' | b']')) => index += 1,
            b'{' | b'[' => {
                if let Some(&outer) = open.last() {
                    holds[outer] = true;
                }
                open.push(index - 1);
            }
            b'}' | b']' => {
                open.pop();
            }
            _ => {}
        }
    }
    holds
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(method: &str) -> OperationEntry {
        OperationEntry {
            method: method.to_owned(),
            builder: format!("{method}Builder"),
            http: "GET /a".to_owned(),
            feature: None,
            deprecated: None,
            docs: String::new(),
            arguments: vec!["id".to_owned()],
            parameters: Vec::new(),
            body: None,
            response: "empty".to_owned(),
            responses: None,
            errors: None,
            response_headers: None,
        }
    }

    /// Piece by piece, the manifest is what laying out its compact JSON whole gives, whichever
    /// members are empty; and the pieces are small (one entry each).
    #[test]
    fn written_piece_by_piece_is_the_whole_layout() {
        let full = ApiManifest {
            generated: "by `x`; do not edit by hand".to_owned(),
            format: FORMAT,
            features: vec!["a".to_owned(), "b-c".to_owned()],
            operations: [
                ("Op\"1".to_owned(), operation("op1")),
                ("Op2".to_owned(), operation("op2")),
            ]
            .into_iter()
            .collect(),
            models: [(
                "Pet".to_owned(),
                ModelEntry {
                    source: "#/components/schemas/Pet".to_owned(),
                    features: Some(vec!["a".to_owned()]),
                    docs: "A pet: {\"x\": [1]}".to_owned(),
                    shape: Shape::Alias {
                        ty: "String".to_owned(),
                    },
                },
            )]
            .into_iter()
            .collect(),
        };
        let variants = [
            full.clone(),
            ApiManifest::default(),
            ApiManifest {
                features: Vec::new(),
                models: BTreeMap::new(),
                ..full.clone()
            },
            ApiManifest {
                operations: BTreeMap::new(),
                generated: String::new(),
                ..full.clone()
            },
            ApiManifest {
                features: vec!["only".to_owned()],
                ..ApiManifest::default()
            },
        ];
        for manifest in variants {
            let whole = format!(
                "{}\n",
                layout(&serde_json::to_string(&manifest).unwrap_or_default())
            );
            let mut pieces = Vec::new();
            let written = manifest.write_json(&mut |piece| {
                pieces.push(piece.to_owned());
                Ok(())
            });
            assert_eq!(written, Ok(()));
            assert_eq!(pieces.concat(), whole, "{manifest:?}");
            assert_eq!(manifest.to_json(), whole);
        }
        assert!(
            full.to_json()
                .contains("\n    \"Op2\": {\n      \"method\": \"op2\","),
            "{}",
            full.to_json()
        );
    }

    #[test]
    fn an_error_of_the_receiver_stops_the_manifest() {
        let manifest = ApiManifest {
            operations: [("Op".to_owned(), operation("op"))].into_iter().collect(),
            ..ApiManifest::default()
        };
        let mut calls = 0;
        let result = manifest.write_json(&mut |_| {
            calls += 1;
            Err("disk full".to_owned())
        });
        assert_eq!((result, calls), (Err("disk full".to_owned()), 1));
    }
}
