//! Marks fields and variants that hold their own type without indirection, so they are boxed
//! (a recursive struct would otherwise have infinite size).

use std::collections::BTreeSet;

use crate::ir::{Api, ModelKind, Type};

/// Boxes every field or union variant whose type leads back to its own model through direct
/// (not `Vec` or map) containment.
pub(crate) fn box_recursive_fields(api: &mut Api) {
    let names: Vec<String> = api.models.keys().cloned().collect();
    for name in names {
        let Some(model) = api.models.get(&name) else {
            continue;
        };
        let mut boxed_fields = Vec::new();
        let mut boxed_variants = Vec::new();
        match &model.kind {
            ModelKind::Struct(object) => {
                for (index, field) in object.fields.iter().enumerate() {
                    if reaches(api, &field.ty, &name) {
                        boxed_fields.push(index);
                    }
                }
            }
            ModelKind::Union(union) => {
                for (index, variant) in union.variants.iter().enumerate() {
                    if reaches(api, &variant.ty, &name) {
                        boxed_variants.push(index);
                    }
                }
            }
            _ => {}
        }
        let Some(model) = api.models.get_mut(&name) else {
            continue;
        };
        match &mut model.kind {
            ModelKind::Struct(object) => {
                for index in boxed_fields {
                    if let Some(field) = object.fields.get_mut(index) {
                        field.boxed = true;
                    }
                }
            }
            ModelKind::Union(union) => {
                for index in boxed_variants {
                    if let Some(variant) = union.variants.get_mut(index) {
                        variant.boxed = true;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a value of type `ty` contains a `target` inline (depth-first, each model once).
fn reaches(api: &Api, ty: &Type, target: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = direct_models(ty);
    while let Some(name) = pending.pop() {
        if name == target {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(model) = api.models.get(&name) else {
            continue;
        };
        match &model.kind {
            ModelKind::Struct(object) => {
                for field in object.fields.iter().filter(|f| !f.boxed) {
                    pending.extend(direct_models(&field.ty));
                }
            }
            ModelKind::Union(union) => {
                for variant in union.variants.iter().filter(|v| !v.boxed) {
                    pending.extend(direct_models(&variant.ty));
                }
            }
            ModelKind::Alias(ty) => pending.extend(direct_models(ty)),
            ModelKind::StringEnum(_) | ModelKind::IntegerEnum(_) => {}
        }
    }
    false
}

/// Models held inline by a value of `ty` (a `Vec` or map already puts them on the heap).
fn direct_models(ty: &Type) -> Vec<String> {
    match ty {
        Type::Named(name) => vec![name.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Model, Presence, Struct};

    fn model(name: &str, fields: &[(&str, Type)]) -> Model {
        Model {
            name: name.to_owned(),
            source: String::new(),
            docs: Vec::new(),
            kind: ModelKind::Struct(Struct {
                fields: fields
                    .iter()
                    .map(|(field, ty)| Field {
                        name: (*field).to_owned(),
                        wire_name: (*field).to_owned(),
                        ty: ty.clone(),
                        presence: Presence::Optional,
                        boxed: false,
                        docs: Vec::new(),
                        deprecated: false,
                        sensitive: false,
                    })
                    .collect(),
                additional: None,
            }),
            groups: None,
        }
    }

    fn boxed(api: &Api, name: &str) -> Vec<bool> {
        match api.models.get(name).map(|m| &m.kind) {
            Some(ModelKind::Struct(object)) => object.fields.iter().map(|f| f.boxed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn direct_self_and_mutual_recursion_is_boxed_but_lists_are_not() {
        let mut api = Api::default();
        let node = model(
            "Node",
            &[
                ("next", Type::Named("Node".to_owned())),
                (
                    "children",
                    Type::List(Box::new(Type::Named("Node".to_owned()))),
                ),
                ("other", Type::Named("Other".to_owned())),
            ],
        );
        let other = model("Other", &[("back", Type::Named("Node".to_owned()))]);
        api.models.insert("Node".to_owned(), node);
        api.models.insert("Other".to_owned(), other);
        box_recursive_fields(&mut api);
        assert_eq!(boxed(&api, "Node"), [true, false, true]);
        // `Node.other` is boxed already, so `Other.back` needs no box of its own.
        assert_eq!(boxed(&api, "Other"), [false]);
    }
}
