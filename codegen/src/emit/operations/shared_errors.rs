//! Error-body enums shared by the operations that declare the same error responses.
//!
//! Every HSS operation declares the same `4XX` and `5XX` bodies; one enum per operation made 582
//! identical enums, each with its derives and `from_error`, about a seventh of the code the
//! compiler checked for the whole API. An error-response set that two or more operations declare
//! becomes one enum in the operations root module, and each operation's `<Operation>ErrorBody`
//! is a type alias of it: its variants and `from_error` are reached through the operation's own
//! name as before.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;

use super::{RuntimePaths, error_body};
use crate::emit::{gated, ident};
use crate::ir::{Api, Operation, Response, StatusResponses};

/// Which operations' error bodies are shared, and under which name.
#[derive(Debug, Default)]
pub(super) struct SharedErrors<'a> {
    /// An operation's error-body name (`<Operation>ErrorBody`) → the shared enum's name.
    pub aliases: BTreeMap<String, String>,
    /// The shared enums, in the order their first operation comes.
    shared: Vec<Shared<'a>>,
}

#[derive(Debug)]
struct Shared<'a> {
    name: String,
    errors: &'a StatusResponses,
    /// The features of the operations that use it; `None` when one of them is in no group.
    features: Option<BTreeSet<String>>,
    users: usize,
}

impl<'a> SharedErrors<'a> {
    /// Finds the error-response sets two or more operations declare, and names each. Two sets
    /// are the same when their variants are (statuses, names, bodies, docs): then they generate
    /// the same enum and `from_error`.
    pub fn plan(api: &'a Api) -> Self {
        let mut sets: Vec<(&'a StatusResponses, Vec<&'a Operation>)> = Vec::new();
        for operation in api.operations.values() {
            let Some(errors) = &operation.errors else {
                continue;
            };
            match sets
                .iter_mut()
                .find(|(set, _)| set.variants == errors.variants)
            {
                Some((_, users)) => users.push(operation),
                None => sets.push((errors, vec![operation])),
            }
        }
        let mut taken: BTreeSet<String> = api
            .operations
            .values()
            .flat_map(|operation| {
                let mut names = vec![operation.builder.clone()];
                names.extend(operation.errors.as_ref().map(|errors| errors.name.clone()));
                names.extend(operation.response_headers.as_ref().map(|h| h.name.clone()));
                if let Response::ByStatus(responses) = &operation.response {
                    names.push(responses.name.clone());
                }
                names
            })
            .collect();
        let mut plan = SharedErrors::default();
        for (errors, users) in sets {
            if users.len() < 2 {
                continue;
            }
            let name = shared_name(errors, &taken);
            taken.insert(name.clone());
            let features = users
                .iter()
                .map(|operation| operation.group.clone())
                .collect::<Option<BTreeSet<String>>>();
            for operation in &users {
                if let Some(own) = &operation.errors {
                    plan.aliases.insert(own.name.clone(), name.clone());
                }
            }
            plan.shared.push(Shared {
                name,
                errors,
                features,
                users: users.len(),
            });
        }
        plan
    }

    /// The shared enums with their `from_error`, for the operations root module; each is
    /// compiled when a feature of one of its operations is.
    pub fn items(&self, paths: &RuntimePaths) -> Vec<TokenStream> {
        self.shared
            .iter()
            .map(|shared| {
                let name = ident(&shared.name);
                let doc = format!(
                    " The error bodies, by status, of the {} operations that declare these error \
                     responses (each names this enum `<Operation>ErrorBody`); read one from an \
                     error with [`{}::from_error`].",
                    shared.users, shared.name
                );
                let tokens = error_body(shared.errors, &name, &doc, paths);
                match &shared.features {
                    Some(features) => gated(tokens, features),
                    None => tokens,
                }
            })
            .collect()
    }
}

/// The shared enum's name, from what it holds: `<Model>ByStatus` when every body is one JSON
/// model (`ErrorResponseByStatus`), else `ErrorBodyByStatus`; the statuses are appended, then a
/// number, when a name is taken.
fn shared_name(errors: &StatusResponses, taken: &BTreeSet<String>) -> String {
    let mut models = errors
        .variants
        .iter()
        .filter_map(|variant| match &variant.body {
            Response::Json(crate::ir::Type::Named(model)) => Some(model.as_str()),
            _ => None,
        });
    let base = match models.next() {
        Some(first)
            if models.all(|other| other == first)
                && errors
                    .variants
                    .iter()
                    .all(|variant| matches!(variant.body, Response::Json(_))) =>
        {
            format!("{first}ByStatus")
        }
        _ => "ErrorBodyByStatus".to_owned(),
    };
    let statuses: String = errors
        .variants
        .iter()
        .map(|variant| {
            let status = variant.status.to_ascii_lowercase();
            let mut chars = status.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    let candidates = [base.clone(), format!("{base}{statuses}")];
    if let Some(free) = candidates.into_iter().find(|name| !taken.contains(name)) {
        return free;
    }
    (2..)
        .map(|n| format!("{base}{statuses}{n}"))
        .find(|name| !taken.contains(name))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{StatusVariant, Type};

    fn variant(status: &str, body: Response) -> StatusVariant {
        StatusVariant {
            status: status.to_owned(),
            variant: format!("Status{status}"),
            body,
            docs: Vec::new(),
        }
    }

    fn json(model: &str) -> Response {
        Response::Json(Type::Named(model.to_owned()))
    }

    #[test]
    fn names_come_from_what_the_enum_holds() {
        let taken: BTreeSet<String> =
            ["ErrorByStatus", "ErrorBodyByStatus", "ErrorBodyByStatus404"]
                .into_iter()
                .map(str::to_owned)
                .collect();
        let cases = [
            (
                vec![
                    variant("4XX", json("Huawei")),
                    variant("5XX", json("Huawei")),
                ],
                "HuaweiByStatus",
            ),
            (vec![variant("default", json("Huawei"))], "HuaweiByStatus"),
            (
                vec![variant("4XX", json("Error")), variant("5XX", json("Error"))],
                "ErrorByStatus4xx5xx",
            ),
            (
                vec![variant("400", json("A")), variant("500", json("B"))],
                "ErrorBodyByStatus400500",
            ),
            (
                vec![variant("404", json("A")), variant("409", Response::Text)],
                "ErrorBodyByStatus404409",
            ),
            (
                vec![variant("404", Response::Empty)],
                "ErrorBodyByStatus4042",
            ),
        ];
        for (variants, expected) in cases {
            let errors = StatusResponses {
                name: "Unused".to_owned(),
                variants,
            };
            assert_eq!(shared_name(&errors, &taken), expected);
        }
    }
}
