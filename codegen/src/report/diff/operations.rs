//! Changes of client methods and request builders: required parameters are positional
//! arguments of the method, optional ones setters of the builder.

use std::collections::BTreeMap;

use super::{Found, common_order, feature_move};
use crate::report::manifest::{
    BodyEntry, HeadersEntry, OperationEntry, ParameterEntry, StatusEnumEntry,
};

pub(super) fn compare(
    found: &mut Found,
    old: &BTreeMap<String, OperationEntry>,
    new: &BTreeMap<String, OperationEntry>,
) {
    for (id, before) in old {
        let item = format!("operation {id} ({})", before.method);
        match new.get(id) {
            None => found.breaking(&item, format!("removed: `{}` is gone", before.method)),
            Some(after) => operation(found, id, before, after),
        }
    }
    for (id, after) in new.iter().filter(|(id, _)| !old.contains_key(*id)) {
        let item = format!("operation {id} ({})", after.method);
        let feature = after
            .feature
            .as_ref()
            .map(|feature| format!(", feature `{feature}`"))
            .unwrap_or_default();
        found.additive(
            &item,
            format!(
                "added: `{}({})`{feature}",
                after.method,
                after.arguments.join(", ")
            ),
        );
    }
}

fn operation(found: &mut Found, id: &str, before: &OperationEntry, after: &OperationEntry) {
    let item = &format!("operation {id} ({})", after.method);
    if before.method != after.method {
        found.breaking(
            item,
            format!(
                "method renamed from `{}` to `{}`",
                before.method, after.method
            ),
        );
    }
    if before.builder != after.builder {
        found.breaking(
            item,
            format!(
                "builder renamed from `{}` to `{}`",
                before.builder, after.builder
            ),
        );
    }
    if before.http != after.http {
        found.breaking(
            item,
            format!("sent as `{}`, was `{}`", after.http, before.http),
        );
    }
    feature_move(
        found,
        item,
        before.feature.as_ref().map(std::slice::from_ref),
        after.feature.as_ref().map(std::slice::from_ref),
    );
    match (&before.deprecated, &after.deprecated) {
        (None, Some(_)) => found.additive(item, "deprecated: calls warn, and still compile"),
        (Some(_), None) => found.additive(item, "no longer deprecated"),
        (Some(old), Some(new)) if old != new => found.docs(item, "deprecation note changed"),
        _ => {}
    }
    found.docs_of(item, "description", &before.docs, &after.docs);
    parameters(found, item, &before.parameters, &after.parameters);
    body(found, item, before.body.as_ref(), after.body.as_ref());
    if common_order(&before.arguments, &after.arguments)
        != common_order(&after.arguments, &before.arguments)
    {
        found.breaking(
            item,
            format!(
                "positional arguments reordered: `({})`, was `({})`",
                after.arguments.join(", "),
                before.arguments.join(", ")
            ),
        );
    }
    if before.response != after.response {
        found.breaking(
            item,
            format!(
                "`send()` decodes `{}`, was `{}`",
                after.response, before.response
            ),
        );
    }
    status_enum(
        found,
        item,
        before.responses.as_ref(),
        after.responses.as_ref(),
    );
    status_enum(found, item, before.errors.as_ref(), after.errors.as_ref());
    headers(
        found,
        item,
        before.response_headers.as_ref(),
        after.response_headers.as_ref(),
    );
}

fn parameter_name(param: &ParameterEntry) -> String {
    format!(
        "parameter {} {} ({})",
        param.location, param.wire, param.name
    )
}

/// Parameters are matched by where they go and their wire name: that is what the spec names.
fn parameters(found: &mut Found, item: &str, old: &[ParameterEntry], new: &[ParameterEntry]) {
    let key = |param: &ParameterEntry| (param.location.clone(), param.wire.clone());
    let new_by_key: BTreeMap<_, &ParameterEntry> = new.iter().map(|p| (key(p), p)).collect();
    let old_by_key: BTreeMap<_, &ParameterEntry> = old.iter().map(|p| (key(p), p)).collect();
    for before in old {
        let name = parameter_name(before);
        let Some(after) = new_by_key.get(&key(before)) else {
            let what = if before.argument {
                "a positional argument"
            } else {
                "a setter"
            };
            found.breaking(item, format!("{name}: removed ({what} is gone)"));
            continue;
        };
        parameter(found, item, before, after);
    }
    for after in new.iter().filter(|p| !old_by_key.contains_key(&key(p))) {
        let name = parameter_name(after);
        if after.argument {
            found.breaking(
                item,
                format!(
                    "{name}: added, required: a new positional argument of type `{}`",
                    after.ty
                ),
            );
        } else {
            found.additive(
                item,
                format!(
                    "{name}: added, optional: a new setter `.{}(..)`",
                    after.name
                ),
            );
        }
    }
}

fn parameter(found: &mut Found, item: &str, before: &ParameterEntry, after: &ParameterEntry) {
    let name = parameter_name(after);
    let mark = found.mark();
    if before.name != after.name {
        found.breaking(
            item,
            format!("{name}: Rust name changed from `{}`", before.name),
        );
    }
    if before.ty != after.ty {
        found.breaking(
            item,
            format!("{name}: type `{}` now, was `{}`", after.ty, before.ty),
        );
    }
    match (before.argument, after.argument) {
        (false, true) => found.breaking(
            item,
            format!("{name}: required now: a new positional argument, the setter is gone"),
        ),
        (true, false) => found.breaking(
            item,
            format!("{name}: optional now: the positional argument became a setter"),
        ),
        _ => {}
    }
    if !before.argument && !after.argument {
        match (&before.client_default, &after.client_default) {
            (None, Some(setting)) => found.additive(
                item,
                format!("{name}: filled from the client's `{setting}` when not set"),
            ),
            (Some(setting), None) => found.breaking(
                item,
                format!("{name}: no longer filled from the client's `{setting}`"),
            ),
            _ => {}
        }
    }
    let tighter = |old: Option<usize>, new: Option<usize>, minimum: bool| match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(old), Some(new)) => {
            if minimum {
                new > old
            } else {
                new < old
            }
        }
    };
    if (before.min_length, before.max_length) != (after.min_length, after.max_length) {
        let range = |min: Option<usize>, max: Option<usize>| {
            format!(
                "{}..{}",
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| format!("={m}")).unwrap_or_default()
            )
        };
        let detail = format!(
            "{name}: length checked as `{}`, was `{}`",
            range(after.min_length, after.max_length),
            range(before.min_length, before.max_length)
        );
        if tighter(before.min_length, after.min_length, true)
            || tighter(before.max_length, after.max_length, false)
        {
            found.breaking(
                item,
                format!("{detail}: values accepted before are refused"),
            );
        } else {
            found.additive(item, format!("{detail}: looser"));
        }
    }
    match (&before.deprecated, &after.deprecated) {
        (None, Some(_)) => found.additive(item, format!("{name}: deprecated")),
        (Some(_), None) => found.additive(item, format!("{name}: no longer deprecated")),
        (Some(old), Some(new)) if old != new => {
            found.docs(item, format!("{name}: deprecation note changed"));
        }
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

fn body(found: &mut Found, item: &str, before: Option<&BodyEntry>, after: Option<&BodyEntry>) {
    match (before, after) {
        (None, None) => {}
        (Some(before), None) => {
            let what = if before.argument {
                "the positional argument `body` is gone"
            } else {
                "the setter `.body(..)` is gone"
            };
            found.breaking(item, format!("request body removed: {what}"));
        }
        (None, Some(after)) if after.argument => found.breaking(
            item,
            format!(
                "request body added, required: a new positional argument `body: {}`",
                after.ty
            ),
        ),
        (None, Some(after)) => found.additive(
            item,
            format!(
                "request body added, optional: a new setter `.body({})`",
                after.ty
            ),
        ),
        (Some(before), Some(after)) => {
            if before.ty != after.ty {
                found.breaking(
                    item,
                    format!("request body: type `{}` now, was `{}`", after.ty, before.ty),
                );
            }
            match (before.argument, after.argument) {
                (false, true) => found.breaking(
                    item,
                    "request body: required now: a new positional argument `body`, the setter is gone",
                ),
                (true, false) => found.breaking(
                    item,
                    "request body: optional now: the positional argument became the setter `.body(..)`",
                ),
                _ => {}
            }
            if before.encoding != after.encoding {
                found.breaking(
                    item,
                    format!(
                        "request body: sent as `{}`, was `{}`",
                        after.encoding, before.encoding
                    ),
                );
            }
            found.docs_of(item, "request body: description", &before.docs, &after.docs);
        }
    }
}

/// A per-operation enum of bodies by status (success answers or errors).
fn status_enum(
    found: &mut Found,
    item: &str,
    before: Option<&StatusEnumEntry>,
    after: Option<&StatusEnumEntry>,
) {
    match (before, after) {
        (None, None) => {}
        (Some(before), None) => found.breaking(item, format!("enum `{}` removed", before.name)),
        (None, Some(after)) => found.additive(item, format!("enum `{}` added", after.name)),
        (Some(before), Some(after)) => {
            let name = &after.name;
            if before.name != after.name {
                found.breaking(item, format!("enum `{}` renamed to `{name}`", before.name));
            }
            for old in &before.variants {
                match after.variants.iter().find(|v| v.status == old.status) {
                    None => found.breaking(
                        item,
                        format!(
                            "enum `{name}`: status {} ({}) removed",
                            old.status, old.variant
                        ),
                    ),
                    Some(new) => {
                        if new.variant != old.variant {
                            found.breaking(
                                item,
                                format!(
                                    "enum `{name}`: status {} variant renamed from `{}` to `{}`",
                                    old.status, old.variant, new.variant
                                ),
                            );
                        }
                        if new.body != old.body {
                            found.breaking(
                                item,
                                format!(
                                    "enum `{name}`: status {} ({}) holds `{}`, was `{}`",
                                    old.status, new.variant, new.body, old.body
                                ),
                            );
                        }
                    }
                }
            }
            for new in &after.variants {
                if before.variants.iter().any(|v| v.status == new.status) {
                    continue;
                }
                let detail = format!(
                    "enum `{name}`: status {} ({}) added",
                    new.status, new.variant
                );
                if before.non_exhaustive {
                    found.additive(item, format!("{detail}: the enum is #[non_exhaustive]"));
                } else {
                    found.breaking(item, format!("{detail}: exhaustive matches break"));
                }
            }
        }
    }
}

fn headers(
    found: &mut Found,
    item: &str,
    before: Option<&HeadersEntry>,
    after: Option<&HeadersEntry>,
) {
    match (before, after) {
        (None, None) => {}
        (Some(before), None) => found.breaking(item, format!("struct `{}` removed", before.name)),
        (None, Some(after)) => found.additive(item, format!("struct `{}` added", after.name)),
        (Some(before), Some(after)) => {
            let name = &after.name;
            if before.name != after.name {
                found.breaking(
                    item,
                    format!("struct `{}` renamed to `{name}`", before.name),
                );
            }
            for old in &before.headers {
                let label = format!("struct `{name}`: header {} ({})", old.wire, old.name);
                match after.headers.iter().find(|h| h.wire == old.wire) {
                    None => found.breaking(item, format!("{label} removed")),
                    Some(new) => {
                        if new.name != old.name {
                            found.breaking(
                                item,
                                format!("{label}: Rust name changed to `{}`", new.name),
                            );
                        }
                        if new.ty != old.ty {
                            found.breaking(
                                item,
                                format!("{label}: type `{}` now, was `{}`", new.ty, old.ty),
                            );
                        }
                        found.docs_of(item, &format!("{label}: description"), &old.docs, &new.docs);
                    }
                }
            }
            for new in &after.headers {
                if before.headers.iter().any(|h| h.wire == new.wire) {
                    continue;
                }
                let detail = format!("struct `{name}`: header {} ({}) added", new.wire, new.name);
                if before.non_exhaustive {
                    found.additive(item, format!("{detail}: the struct is #[non_exhaustive]"));
                } else {
                    found.breaking(item, format!("{detail}: struct literals break"));
                }
            }
        }
    }
}
