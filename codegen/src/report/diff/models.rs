//! Changes of models: `#[non_exhaustive]` structs with a `new(required…)` constructor, enums
//! with an `Unknown` variant, unions and aliases.

use std::collections::BTreeMap;

use super::{Found, common_order, feature_move};
use crate::report::manifest::{FieldEntry, ModelEntry, Shape, UnionVariantEntry, VariantEntry};

/// `struct Host`, `enum ImageType`, `union Pet`, `type Tags`.
fn item(name: &str, model: &ModelEntry) -> String {
    let kind = match model.shape {
        Shape::Struct { .. } => "struct",
        Shape::Enum { .. } => "enum",
        Shape::Union { .. } => "union",
        Shape::Alias { .. } => "type",
    };
    format!("{kind} {name}")
}

pub(super) fn compare(
    found: &mut Found,
    old: &BTreeMap<String, ModelEntry>,
    new: &BTreeMap<String, ModelEntry>,
) {
    let added: Vec<(&String, &ModelEntry)> = new
        .iter()
        .filter(|(name, _)| !old.contains_key(*name))
        .collect();
    let mut renamed_to = Vec::new();
    for (name, before) in old {
        if let Some(after) = new.get(name) {
            model(found, &item(name, after), before, after);
            continue;
        }
        // The same schema under another Rust name: a rename, then compared as one model.
        let successor = added.iter().find(|(new_name, after)| {
            after.source == before.source && !renamed_to.contains(new_name)
        });
        match successor {
            Some((new_name, after)) => {
                let label = item(new_name, after);
                found.breaking(
                    &label,
                    format!(
                        "Rust name changed from `{name}` (schema `{}`)",
                        after.source
                    ),
                );
                model(found, &label, before, after);
                renamed_to.push(*new_name);
            }
            None => found.breaking(&item(name, before), "removed"),
        }
    }
    for (name, after) in added {
        if !renamed_to.contains(&name) {
            found.additive(&item(name, after), "added");
        }
    }
}

fn model(found: &mut Found, item: &str, before: &ModelEntry, after: &ModelEntry) {
    feature_move(
        found,
        item,
        before.features.as_deref(),
        after.features.as_deref(),
    );
    found.docs_of(item, "description", &before.docs, &after.docs);
    match (&before.shape, &after.shape) {
        (
            Shape::Struct {
                constructor: old_constructor,
                fields: old_fields,
                additional: old_additional,
                non_exhaustive,
            },
            Shape::Struct {
                constructor: new_constructor,
                fields: new_fields,
                additional: new_additional,
                ..
            },
        ) => {
            fields(
                found,
                item,
                *non_exhaustive,
                old_constructor,
                old_fields,
                new_fields,
            );
            if common_order(old_constructor, new_constructor)
                != common_order(new_constructor, old_constructor)
            {
                found.breaking(
                    item,
                    format!(
                        "`new({})` takes its arguments in another order, was `new({})`",
                        new_constructor.join(", "),
                        old_constructor.join(", ")
                    ),
                );
            }
            match (old_additional, new_additional) {
                (None, Some(ty)) => found.additive(
                    item,
                    format!("field additional_properties (BTreeMap<String, {ty}>) added"),
                ),
                (Some(_), None) => found.breaking(item, "field additional_properties removed"),
                (Some(old), Some(new)) if old != new => found.breaking(
                    item,
                    format!("field additional_properties holds `{new}` now, was `{old}`"),
                ),
                _ => {}
            }
        }
        (
            Shape::Enum {
                wire_type: old_type,
                variants: old_variants,
                unknown,
                ..
            },
            Shape::Enum {
                wire_type: new_type,
                variants: new_variants,
                ..
            },
        ) => {
            if old_type != new_type {
                found.breaking(
                    item,
                    format!("values are {new_type}s now, were {old_type}s"),
                );
            }
            variants(found, item, *unknown, old_variants, new_variants);
        }
        (
            Shape::Union {
                discriminator: old_discriminator,
                variants: old_variants,
                non_exhaustive,
                ..
            },
            Shape::Union {
                discriminator: new_discriminator,
                variants: new_variants,
                ..
            },
        ) => {
            if old_discriminator != new_discriminator {
                let show = |d: &Option<String>| {
                    d.as_ref()
                        .map_or_else(|| "none".to_owned(), |d| format!("`{d}`"))
                };
                found.breaking(
                    item,
                    format!(
                        "discriminator {} now, was {}",
                        show(new_discriminator),
                        show(old_discriminator)
                    ),
                );
            }
            union_variants(found, item, *non_exhaustive, old_variants, new_variants);
        }
        (Shape::Alias { ty: old }, Shape::Alias { ty: new }) => {
            if old != new {
                found.breaking(item, format!("stands for `{new}` now, was `{old}`"));
            }
        }
        (old, _) => found.breaking(
            item,
            format!(
                "is a {} now, was a {}",
                shape_name(&after.shape),
                shape_name(old)
            ),
        ),
    }
}

fn shape_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct { .. } => "struct",
        Shape::Enum { .. } => "enum",
        Shape::Union { .. } => "union",
        Shape::Alias { .. } => "type alias",
    }
}

fn field_name(field: &FieldEntry) -> String {
    format!("field {} ({})", field.wire, field.name)
}

/// Fields are matched by wire name. A `#[non_exhaustive]` struct cannot be built by a literal
/// nor matched exhaustively outside the crate, so only the constructor's arguments and the
/// existing fields' types decide.
fn fields(
    found: &mut Found,
    item: &str,
    non_exhaustive: bool,
    old_constructor: &[String],
    old: &[FieldEntry],
    new: &[FieldEntry],
) {
    for before in old {
        let name = field_name(before);
        let Some(after) = new.iter().find(|field| field.wire == before.wire) else {
            found.breaking(item, format!("{name}: removed"));
            continue;
        };
        let mark = found.mark();
        if before.name != after.name {
            found.breaking(
                item,
                format!(
                    "{}: Rust name changed from `{}`",
                    field_name(after),
                    before.name
                ),
            );
        }
        let (old_type, new_type) = (
            before.presence.wrap(&before.ty),
            after.presence.wrap(&after.ty),
        );
        if before.presence != after.presence {
            let constructor = match (
                before.presence.in_constructor(),
                after.presence.in_constructor(),
            ) {
                (false, true) => ": `new()` takes it as a new argument",
                (true, false) => ": `new()` no longer takes it",
                _ => "",
            };
            // Even a presence change keeping the Rust type (optional to required-nullable)
            // changes the constructor or what is sent for `None`.
            found.breaking(
                item,
                format!(
                    "{name}: {} now, was {} (`{new_type}`, was `{old_type}`){constructor}",
                    after.presence.describe(),
                    before.presence.describe()
                ),
            );
        } else if old_type != new_type {
            found.breaking(
                item,
                format!("{name}: type `{new_type}` now, was `{old_type}`"),
            );
        }
        match (before.deprecated, after.deprecated) {
            (false, true) => found.additive(item, format!("{name}: deprecated")),
            (true, false) => found.additive(item, format!("{name}: no longer deprecated")),
            _ => {}
        }
        if !found.broke_since(mark) {
            found.docs_of(
                item,
                &format!("{name}: description"),
                &before.docs,
                &after.docs,
            );
        }
    }
    for after in new.iter().filter(|f| !old.iter().any(|o| o.wire == f.wire)) {
        let name = field_name(after);
        let ty = after.presence.wrap(&after.ty);
        if after.presence.in_constructor() {
            let default = if old_constructor.is_empty() {
                ", and the struct no longer implements `Default`"
            } else {
                ""
            };
            found.breaking(
                item,
                format!(
                    "{name}: added, {} (`{ty}`): `new()` takes it as a new argument{default}",
                    after.presence.describe()
                ),
            );
        } else if non_exhaustive {
            found.additive(
                item,
                format!(
                    "{name}: added, {} (`{ty}`): the struct is #[non_exhaustive] and `new()` keeps its arguments",
                    after.presence.describe()
                ),
            );
        } else {
            found.breaking(
                item,
                format!("{name}: added (`{ty}`): struct literals and patterns break"),
            );
        }
    }
}

fn variant_name(variant: &VariantEntry) -> String {
    format!("value {} ({})", variant.value, variant.name)
}

/// Enum variants are matched by wire value.
fn variants(found: &mut Found, item: &str, open: bool, old: &[VariantEntry], new: &[VariantEntry]) {
    for before in old {
        let Some(after) = new.iter().find(|v| v.value == before.value) else {
            found.breaking(item, format!("{}: removed", variant_name(before)));
            continue;
        };
        if before.name != after.name {
            found.breaking(
                item,
                format!(
                    "{}: Rust name changed from `{}`",
                    variant_name(after),
                    before.name
                ),
            );
        }
        found.docs_of(
            item,
            &format!("{}: description", variant_name(after)),
            &before.docs,
            &after.docs,
        );
    }
    for after in new
        .iter()
        .filter(|v| !old.iter().any(|o| o.value == v.value))
    {
        let name = variant_name(after);
        if open {
            found.additive(
                item,
                format!(
                    "{name}: added: the enum is #[non_exhaustive] and kept it as `Unknown` before"
                ),
            );
        } else {
            found.breaking(item, format!("{name}: added: exhaustive matches break"));
        }
    }
}

/// Union variants are matched by Rust name (an alternative has no wire name of its own).
fn union_variants(
    found: &mut Found,
    item: &str,
    non_exhaustive: bool,
    old: &[UnionVariantEntry],
    new: &[UnionVariantEntry],
) {
    for before in old {
        let name = format!("variant {}", before.name);
        let Some(after) = new.iter().find(|v| v.name == before.name) else {
            found.breaking(item, format!("{name}: removed"));
            continue;
        };
        if before.ty != after.ty {
            found.breaking(
                item,
                format!("{name}: holds `{}` now, was `{}`", after.ty, before.ty),
            );
        }
        if before.tags != after.tags {
            let dropped = before.tags.iter().any(|tag| !after.tags.contains(tag));
            let detail = format!(
                "{name}: selected by [{}] now, was [{}]",
                after.tags.join(", "),
                before.tags.join(", ")
            );
            if dropped {
                found.breaking(item, detail);
            } else {
                found.additive(item, detail);
            }
        }
    }
    for after in new.iter().filter(|v| !old.iter().any(|o| o.name == v.name)) {
        let name = format!("variant {} (`{}`)", after.name, after.ty);
        if non_exhaustive {
            found.additive(
                item,
                format!("{name}: added: the union is #[non_exhaustive]"),
            );
        } else {
            found.breaking(
                item,
                format!("{name}: added: the union is untagged and exhaustive, so matches break"),
            );
        }
    }
}
