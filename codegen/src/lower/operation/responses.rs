//! An operation's responses: the success body (or one per status), the typed error bodies and
//! the declared response headers.

use super::super::schema::{SchemaRef, facts};
use super::super::{Lowerer, docs};
use super::{MediaKind, media_kind, pick_media_type};
use crate::diagnostics::pointer;
use crate::ir::{self, Response, StatusResponses, StatusVariant, Type};
use crate::names::{self, NameSet};
use openapiv3::{Operation, ParameterSchemaOrContent, ReferenceOr, StatusCode};

impl<'a> Lowerer<'a> {
    /// The success response and the error bodies; every response and its headers are resolved
    /// so that broken references are reported even where no code is generated for them.
    pub(super) fn responses(
        &mut self,
        operation: &'a Operation,
        at: &str,
        builder: &str,
    ) -> (
        Response,
        Option<StatusResponses>,
        Option<ir::ResponseHeaders>,
    ) {
        let responses_at = format!("{at}/responses");
        let mut all: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| (status_text(status), response))
            .collect();
        if let Some(default) = &operation.responses.default {
            all.push(("default".to_owned(), default));
        }
        // Match arms go from the most to the least specific status; spec order breaks ties.
        all.sort_by_key(|(status, _)| status_rank(status));
        let success_count = all.iter().filter(|(status, _)| is_success(status)).count();
        let mut successes: Vec<StatusVariant> = Vec::new();
        let mut errors: Vec<StatusVariant> = Vec::new();
        let mut header_names = NameSet::default();
        let mut headers = Vec::new();
        for (status, response) in all {
            let response_at = pointer(&responses_at, &status);
            let Some((response, _)) =
                self.resolve(response, &response_at, "responses", |c| &c.responses)
            else {
                continue;
            };
            let success = is_success(&status);
            for (name, header) in &response.headers {
                let header_at = pointer(&format!("{response_at}/headers"), name);
                let resolved = self.resolve(header, &header_at, "headers", |c| &c.headers);
                if let (true, Some((header, _))) = (success, resolved) {
                    self.response_header(name, header, &header_at, &mut header_names, &mut headers);
                }
            }
            let (hint, list) = if success {
                let hint = if success_count > 1 {
                    format!("{builder}Response{status}")
                } else {
                    format!("{builder}Response")
                };
                (hint, &mut successes)
            } else if is_error(&status) {
                (
                    format!("{builder}Error{}", names::pascal(&status)),
                    &mut errors,
                )
            } else {
                continue;
            };
            let body = self.success_body(response, &response_at, &hint);
            let mut docs = docs::description(&response.description);
            if docs.iter().all(String::is_empty) {
                docs.clear();
            }
            docs.insert(0, format!("`{status}`"));
            if docs.len() > 1 {
                docs.insert(1, String::new());
            }
            list.push(StatusVariant {
                variant: status_variant(&status),
                status,
                body,
                docs,
            });
        }
        let mut distinct: Vec<&Response> = Vec::new();
        for variant in &successes {
            if !distinct.contains(&&variant.body) {
                distinct.push(&variant.body);
            }
        }
        let response = match distinct.as_slice() {
            [] => Response::Empty,
            // Statuses with one body decode alike; the status stays readable on `ApiResponse`.
            [one] => (*one).clone(),
            _ => Response::ByStatus(StatusResponses {
                name: format!("{builder}Response"),
                variants: successes,
            }),
        };
        let errors = errors
            .iter()
            .any(|variant| variant.body != Response::Empty)
            .then(|| StatusResponses {
                name: format!("{builder}ErrorBody"),
                variants: errors,
            });
        let headers = (!headers.is_empty()).then(|| ir::ResponseHeaders {
            name: format!("{builder}ResponseHeaders"),
            headers,
        });
        (response, errors, headers)
    }

    /// One header of a success response, for the per-operation headers struct; a header whose
    /// name (case-insensitively) is already there is left out: the first declaration, in status
    /// order, wins. Headers that are not scalars are read as their text.
    fn response_header(
        &mut self,
        wire_name: &str,
        header: &'a openapiv3::Header,
        header_at: &str,
        field_names: &mut NameSet,
        headers: &mut Vec<ir::ResponseHeader>,
    ) {
        if headers
            .iter()
            .any(|known| known.wire_name.eq_ignore_ascii_case(wire_name))
        {
            return;
        }
        let (ty, schema) = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.header_type(SchemaRef::of(schema), &format!("{header_at}/schema"))
            }
            ParameterSchemaOrContent::Content(_) => (None, None),
        };
        let ty = ty.unwrap_or_else(|| {
            self.warning(
                header_at,
                format!("response header `{wire_name}` is not a string, integer, number or boolean; it is read as text"),
            );
            Type::String
        });
        let mut docs = header
            .description
            .as_deref()
            .map(docs::description)
            .unwrap_or_default();
        if let Some(schema) = schema {
            docs::push_paragraph(&mut docs, facts(schema));
        }
        let mut wire_line = format!("The `{wire_name}` header");
        if header.required {
            wire_line.push_str(", which the spec marks as always sent");
        }
        wire_line.push('.');
        docs::push_paragraph(&mut docs, vec![wire_line]);
        if header.deprecated == Some(true) {
            docs::push_paragraph(&mut docs, vec!["Deprecated.".to_owned()]);
        }
        let wanted = names::value_name(wire_name);
        let (name, renamed) = field_names.claim(&wanted, "_");
        if renamed {
            self.warning(
                header_at,
                format!("response header `{wire_name}` maps to the taken field name `{wanted}`; it is named `{name}`"),
            );
        }
        headers.push(ir::ResponseHeader {
            name,
            wire_name: wire_name.to_owned(),
            ty,
            docs,
        });
    }

    fn success_body(
        &mut self,
        response: &'a openapiv3::Response,
        at: &str,
        hint: &str,
    ) -> Response {
        let Some((media_type, content)) = pick_media_type(&response.content) else {
            return Response::Empty;
        };
        match media_kind(media_type) {
            MediaKind::Json => match &content.schema {
                Some(schema) => {
                    let schema_at =
                        format!("{}/schema", pointer(&format!("{at}/content"), media_type));
                    Response::Json(self.type_of(SchemaRef::of(schema), &schema_at, hint))
                }
                None => Response::Json(Type::Json),
            },
            MediaKind::Text => Response::Text,
            MediaKind::Form | MediaKind::Multipart | MediaKind::Bytes | MediaKind::Unsupported => {
                Response::Bytes
            }
        }
    }
}

fn status_text(status: &StatusCode) -> String {
    status.to_string()
}

/// `2XX` or a code from 200 to 299.
fn is_success(status: &str) -> bool {
    status.starts_with('2') && status.len() == 3
}

/// `4XX`, `5XX`, a code from 400 to 599, or `default` (which the client sees only as an error,
/// since an undeclared success status is reported as one).
fn is_error(status: &str) -> bool {
    status == "default"
        || (status.len() == 3 && (status.starts_with('4') || status.starts_with('5')))
}

/// Exact codes first, then ranges (`2XX`), then `default`.
fn status_rank(status: &str) -> u8 {
    if status == "default" {
        2
    } else if status.ends_with("XX") {
        1
    } else {
        0
    }
}

/// `Status200`, `Status4xx`, `Default`.
fn status_variant(status: &str) -> String {
    if status == "default" {
        "Default".to_owned()
    } else {
        format!("Status{}", status.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_statuses() {
        assert!(is_success("200"));
        assert!(is_success("2XX"));
        assert!(!is_success("default"));
        assert!(!is_success("4XX"));
    }
}
