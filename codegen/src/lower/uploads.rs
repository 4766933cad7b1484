//! Uploads read as they are sent: a raw binary request body, and the file parts of a multipart
//! body whose model serves only such bodies, become the runtime's `ByteStream` ([`Type::Stream`]),
//! so a large file goes out without being read into memory first.

use std::collections::BTreeSet;

use super::groups::{model_references, named_types, response_types};
use crate::ir::{Api, BodyEncoding, ModelKind, PartKind, Type};

/// The docs line of a file part after the change.
const FILE_PART_DOC: &str =
    "Format: `binary`: a file part, read as it is sent (from memory, a file or a stream).";

/// Makes upload bodies streams. A model that is also used anywhere else (a field of another
/// model, a JSON body, a response) keeps its types: a stream is neither cloned nor compared.
pub(super) fn stream_uploads(api: &mut Api) {
    let elsewhere = referenced_elsewhere(api);
    let Api {
        models, operations, ..
    } = api;
    for operation in operations.values_mut() {
        let Some(body) = &mut operation.body else {
            continue;
        };
        match (&mut body.ty, &body.encoding) {
            (ty @ Type::Bytes, BodyEncoding::Raw(_)) => {
                *ty = Type::Stream;
                body.streams = true;
            }
            (Type::Named(name), BodyEncoding::Multipart(fields)) if !elsewhere.contains(name) => {
                let files: BTreeSet<&str> = fields
                    .iter()
                    .filter(|field| field.kind == PartKind::File)
                    .map(|field| field.wire_name.as_str())
                    .collect();
                let Some(ModelKind::Struct(object)) = models.get_mut(name).map(|m| &mut m.kind)
                else {
                    continue;
                };
                for field in &mut object.fields {
                    if !files.contains(field.wire_name.as_str()) {
                        continue;
                    }
                    field.ty = match &field.ty {
                        Type::List(_) => Type::List(Box::new(Type::Stream)),
                        _ => Type::Stream,
                    };
                    for line in &mut field.docs {
                        if line.starts_with("Format: `binary`") {
                            FILE_PART_DOC.clone_into(line);
                        }
                    }
                    body.streams = true;
                }
            }
            _ => {}
        }
    }
}

/// The models named anywhere but as the type of a multipart body.
fn referenced_elsewhere(api: &Api) -> BTreeSet<String> {
    let mut names = Vec::new();
    for model in api.models.values() {
        model_references(&model.kind, &mut names);
    }
    for operation in api.operations.values() {
        let mut roots = Vec::new();
        for param in &operation.params {
            roots.push(&param.ty);
        }
        if let Some(body) = &operation.body
            && !matches!(body.encoding, BodyEncoding::Multipart(_))
        {
            roots.push(&body.ty);
        }
        response_types(&operation.response, &mut roots);
        if let Some(errors) = &operation.errors {
            for variant in &errors.variants {
                response_types(&variant.body, &mut roots);
            }
        }
        for ty in roots {
            named_types(ty, &mut names);
        }
    }
    names.into_iter().collect()
}
