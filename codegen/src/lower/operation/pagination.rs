//! `x-pagination`: an offset/limit list operation's paging shape, checked against its lowered
//! parameters and success body, and its default page size read from the `limit` schema.
//!
//! ```yaml
//! x-pagination: {offset: offset, limit: limit, total: total_num, items: data_list}
//! ```
//!
//! The generator never guesses the shape from names: only this extension makes an operation
//! paged, and every name in it must fit (an integer query parameter, an integer field and an
//! array field of a JSON object answer), else a located error.

use openapiv3::{Parameter, ParameterSchemaOrContent, SchemaKind};

use super::super::Lowerer;
use super::super::schema::SchemaRef;
use super::Found;
use crate::diagnostics::pointer;
use crate::ir::{self, Location, ModelKind, PageField, Pagination, Param, Response, Type};

/// The page size when the `limit` parameter's schema says nothing about it: inside every range
/// the HSS documentation gives (10–200, 10–1000, 1–200).
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 10;

/// The largest default page size taken from a schema's `maximum`: a page of 200 list entries
/// stays far below the client's 10 MiB answer limit, where a larger documented maximum (1000)
/// of wide records might not.
pub(crate) const MAX_DEFAULT_PAGE_SIZE: u64 = 200;

const KEYS: [&str; 4] = ["offset", "limit", "total", "items"];

impl<'a> Lowerer<'a> {
    /// The operation's `x-pagination`, checked; `None` without the extension or with any
    /// mistake in it (each reported at its place).
    pub(super) fn pagination(
        &mut self,
        found: &Found<'a>,
        params: &[Param],
        response: &Response,
    ) -> Option<Pagination> {
        let value = found.operation.extensions.get("x-pagination")?;
        let at = format!("{}/x-pagination", found.at);
        let serde_json::Value::Object(map) = value else {
            self.error(
                &at,
                "`x-pagination` must be a mapping of `offset`, `limit`, `total` and `items`",
            );
            return None;
        };
        let mut ok = true;
        for key in map.keys().filter(|key| !KEYS.contains(&key.as_str())) {
            self.error(
                &pointer(&at, key),
                format!(
                    "unknown key `{key}`; `x-pagination` has `offset`, `limit`, `total` and `items`"
                ),
            );
            ok = false;
        }
        let mut names = Vec::new();
        for key in KEYS {
            match map.get(key) {
                Some(serde_json::Value::String(name)) if !name.is_empty() => {
                    names.push(name.as_str())
                }
                Some(_) => {
                    self.error(
                        &pointer(&at, key),
                        format!("`{key}` must be the name of a {}", what_names(key)),
                    );
                    ok = false;
                }
                None => {
                    self.error(
                        &at,
                        format!("`{key}` is missing: the name of a {}", what_names(key)),
                    );
                    ok = false;
                }
            }
        }
        let [offset, limit, total, items] = names.as_slice() else {
            return None;
        };
        let offset_param = self.page_parameter(params, offset, &pointer(&at, "offset"));
        let limit_param = self.page_parameter(params, limit, &pointer(&at, "limit"));
        if offset == limit {
            self.error(
                &pointer(&at, "limit"),
                format!("`offset` and `limit` both name parameter `{offset}`"),
            );
            ok = false;
        }
        let fields = self.page_fields(response, total, items, &at);
        let (offset_param, limit_param, (total, items, item)) =
            (offset_param?, limit_param?, fields?);
        let default_limit = self.default_page_size(found, limit_param)?;
        ok.then(|| Pagination {
            offset: offset_param.name.clone(),
            limit: limit_param.name.clone(),
            default_limit,
            total,
            items,
            item,
        })
    }

    /// The integer query parameter `name` names.
    fn page_parameter<'p>(
        &mut self,
        params: &'p [Param],
        name: &str,
        at: &str,
    ) -> Option<&'p Param> {
        let Some(param) = params
            .iter()
            .find(|param| param.wire_name == name && param.location == Location::Query)
        else {
            let elsewhere = params.iter().find(|param| param.wire_name == name);
            let message = match elsewhere.map(|param| param.location) {
                Some(location) => format!(
                    "parameter `{name}` is in the {}, not the query",
                    location_name(location)
                ),
                None => format!("the operation has no query parameter `{name}`"),
            };
            self.error(at, message);
            return None;
        };
        if !matches!(self.resolve_aliases(&param.ty), Type::Integer(_)) {
            self.error(
                at,
                format!(
                    "parameter `{name}` must be an integer, not {}",
                    self.describe(&param.ty)
                ),
            );
            return None;
        }
        Some(param)
    }

    /// The total and items fields of the success body, and the items' type.
    fn page_fields(
        &mut self,
        response: &Response,
        total: &str,
        items: &str,
        at: &str,
    ) -> Option<(PageField, PageField, Type)> {
        let model = match response {
            Response::Json(ty) => match self.resolve_aliases(ty) {
                Type::Named(name) => match self.models.get(name).map(|model| &model.kind) {
                    Some(ModelKind::Struct(object)) => Some((name.clone(), object.clone())),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some((model, object)) = model else {
            let answer = match response {
                Response::Json(ty) => self.describe(ty),
                Response::Empty => "an answer without a body".to_owned(),
                Response::Text => "text".to_owned(),
                Response::Bytes => "bytes".to_owned(),
                Response::ByStatus(_) => "a different body per status".to_owned(),
            };
            self.error(
                at,
                format!("the success answer must be a JSON object model holding the list and its total, not {answer}"),
            );
            return None;
        };
        let find = |wire: &str| object.fields.iter().find(|field| field.wire_name == wire);
        let total_field = match find(total) {
            Some(field) if matches!(self.resolve_aliases(&field.ty), Type::Integer(_)) => {
                Some(page_field(field))
            }
            Some(field) => {
                let ty = self.describe(&field.ty);
                self.error(
                    &pointer(at, "total"),
                    format!("field `{total}` of `{model}` must be an integer, not {ty}"),
                );
                None
            }
            None => {
                self.error(
                    &pointer(at, "total"),
                    format!("the response model `{model}` has no field `{total}`"),
                );
                None
            }
        };
        let items_field = match find(items) {
            Some(field) => match self.resolve_aliases(&field.ty) {
                Type::List(item) => Some((page_field(field), item.as_ref().clone())),
                _ => {
                    let ty = self.describe(&field.ty);
                    self.error(
                        &pointer(at, "items"),
                        format!("field `{items}` of `{model}` must be an array, not {ty}"),
                    );
                    None
                }
            },
            None => {
                self.error(
                    &pointer(at, "items"),
                    format!("the response model `{model}` has no field `{items}`"),
                );
                None
            }
        };
        let (total, (items, item)) = (total_field?, items_field?);
        Some((total, items, item))
    }

    /// The page size of a call that sets no `limit`: the schema's `maximum` (up to
    /// [`MAX_DEFAULT_PAGE_SIZE`]: fewer round trips than the service's own small default), else
    /// its `default`, else [`DEFAULT_PAGE_SIZE`]; never below its `minimum`. A range with no
    /// page size of at least 1 in it is an error at the schema.
    fn default_page_size(&mut self, found: &Found<'a>, limit: &Param) -> Option<u64> {
        let Some((schema, at)) = self.limit_schema(found, &limit.wire_name) else {
            return Some(DEFAULT_PAGE_SIZE);
        };
        let SchemaKind::Type(openapiv3::Type::Integer(integer)) = &schema.schema_kind else {
            return Some(DEFAULT_PAGE_SIZE);
        };
        let exclusive = |bound: Option<i64>, exclusive: bool, step: i64| {
            bound.map(|bound| {
                if exclusive {
                    bound.saturating_add(step)
                } else {
                    bound
                }
            })
        };
        let minimum = exclusive(integer.minimum, integer.exclusive_minimum, 1);
        let maximum = exclusive(integer.maximum, integer.exclusive_maximum, -1);
        let default = schema
            .schema_data
            .default
            .as_ref()
            .and_then(serde_json::Value::as_i64);
        let cap = i64::try_from(MAX_DEFAULT_PAGE_SIZE).unwrap_or(i64::MAX);
        let fallback = i64::try_from(DEFAULT_PAGE_SIZE).unwrap_or(i64::MAX);
        let mut size = match (maximum, default) {
            (Some(maximum), _) => maximum.min(cap),
            (None, Some(default)) => default,
            (None, None) => fallback,
        };
        if let Some(minimum) = minimum {
            size = size.max(minimum);
        }
        let fits = size >= 1 && maximum.is_none_or(|maximum| size <= maximum);
        match u64::try_from(size).ok().filter(|_| fits) {
            Some(size) => Some(size),
            None => {
                let range = |bound: Option<i64>| bound.map_or("none".to_owned(), |b| b.to_string());
                self.error(
                    &at,
                    format!(
                        "the page size `{}` allows no value of at least 1 (minimum {}, maximum {})",
                        limit.wire_name,
                        range(minimum),
                        range(maximum)
                    ),
                );
                None
            }
        }
    }

    /// The schema of the query parameter `name` as the spec writes it (operation level over
    /// path level), with its pointer.
    fn limit_schema(
        &mut self,
        found: &Found<'a>,
        name: &str,
    ) -> Option<(&'a openapiv3::Schema, String)> {
        let path_at = pointer("#/paths", found.path);
        let levels = [
            (
                &found.operation.parameters,
                format!("{}/parameters", found.at),
            ),
            (&found.item.parameters, format!("{path_at}/parameters")),
        ];
        for (list, list_at) in levels {
            for (index, parameter) in list.iter().enumerate() {
                let at = format!("{list_at}/{index}");
                let Some((parameter, at)) =
                    self.resolve(parameter, &at, "parameters", |c| &c.parameters)
                else {
                    continue;
                };
                let Parameter::Query { parameter_data, .. } = parameter else {
                    continue;
                };
                if parameter_data.name != name {
                    continue;
                }
                let ParameterSchemaOrContent::Schema(schema) = &parameter_data.format else {
                    return None;
                };
                return self.resolve_schema(SchemaRef::of(schema), &format!("{at}/schema"));
            }
        }
        None
    }

    /// A type as an error message names it.
    fn describe(&self, ty: &Type) -> String {
        match self.resolve_aliases(ty) {
            Type::String => "a string".to_owned(),
            Type::Bool => "a boolean".to_owned(),
            Type::Integer(_) => "an integer".to_owned(),
            Type::Float(_) => "a number".to_owned(),
            Type::Json => "any JSON value".to_owned(),
            Type::Bytes | Type::Stream => "bytes".to_owned(),
            Type::List(_) => "an array".to_owned(),
            Type::Map(_) => "a map".to_owned(),
            Type::Named(name) => match self.models.get(name).map(|model| &model.kind) {
                Some(ModelKind::StringEnum(_)) => format!("the string enum `{name}`"),
                Some(ModelKind::IntegerEnum(_)) => format!("the integer enum `{name}`"),
                Some(ModelKind::Union(_)) => format!("the union `{name}`"),
                _ => format!("the model `{name}`"),
            },
        }
    }
}

fn page_field(field: &ir::Field) -> PageField {
    PageField {
        name: field.name.clone(),
        presence: field.presence,
        deprecated: field.deprecated,
    }
}

fn what_names(key: &str) -> &'static str {
    match key {
        "offset" => "query parameter (the offset of the first item)",
        "limit" => "query parameter (the page size)",
        "total" => "response field (the number of items in all)",
        _ => "response field (the array of the page's items)",
    }
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}
