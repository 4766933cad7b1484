//! The service's facts for the runtime: regions and their endpoints (from `servers` and the
//! `x-huaweicloud-service` extension), the name in the endpoint override variables, and the
//! user-agent product.
//!
//! ```yaml
//! servers:
//!   - url: https://hss.{region_id}.myhuaweicloud.com    # one variable: the region id
//! x-huaweicloud-service:
//!   name: HSS                        # HUAWEICLOUD_SDK_REGION_HSS_<REGION_ID>
//!   user-agent: hss-client-rust      # product token, the crate's version appended
//!   regions: [cn-north-4, eu-west-101]
//!   endpoints:                       # regions the server template does not fit
//!     eu-west-101: https://hss.eu-west-101.myhuaweicloud.eu
//!   api-reference: https://console.huaweicloud.com/apiexplorer/#/openapi/HSS/doc?api={operationId}
//! ```
//!
//! `api-reference` is the URL of an operation's reference page with `{operationId}` for its
//! operation id; each operation's documentation then links to its page.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Lowerer;
use crate::diagnostics::pointer;
use crate::ir::{Service, ServiceRegion};
use crate::names::{self, NameSet};

/// The extension's key at the root of the spec.
const EXTENSION: &str = "x-huaweicloud-service";
const KEYS: &[&str] = &[
    "name",
    "user-agent",
    "regions",
    "endpoints",
    "api-reference",
];
/// What `api-reference` holds in place of an operation's id.
const OPERATION_ID: &str = "{operationId}";

impl Lowerer<'_> {
    /// The service's facts; without the extension, a service without regions named after the
    /// generated crate (an endpoint URL is then the only way to reach it).
    pub(super) fn lower_service(&mut self) -> Service {
        let Some(extension) = self.spec.extensions.get(EXTENSION) else {
            return Service::default();
        };
        let at = pointer("#", EXTENSION);
        let Value::Object(fields) = extension else {
            self.error(
                &at,
                "expected a mapping with `name`, `regions` and `endpoints`",
            );
            return Service::default();
        };
        for key in fields.keys().filter(|key| !KEYS.contains(&key.as_str())) {
            self.error(
                &pointer(&at, key),
                format!("unknown key `{key}`; expected one of: {}", KEYS.join(", ")),
            );
        }
        let name = self.token(
            fields.get("name"),
            &pointer(&at, "name"),
            is_name_char,
            "letters, digits, `-` and `_`",
        );
        let user_agent = self.token(
            fields.get("user-agent"),
            &pointer(&at, "user-agent"),
            is_product_char,
            "letters, digits, `-`, `_` and `.`",
        );
        let api_reference =
            self.api_reference(fields.get("api-reference"), &pointer(&at, "api-reference"));
        let ids = self.region_ids(fields.get("regions"), &pointer(&at, "regions"));
        let endpoints = self.explicit_endpoints(fields.get("endpoints"), &at, &ids);
        let mut regions = Vec::new();
        let mut constant_names = NameSet::default();
        constant_names.reserve("ALL");
        let mut template = None;
        for id in ids {
            let endpoint = match endpoints.iter().find(|(known, _)| *known == id) {
                Some((_, endpoint)) => endpoint.clone(),
                None => {
                    let template = template.get_or_insert_with(|| self.server_template());
                    match template {
                        Some((before, after)) => format!("{before}{id}{after}"),
                        None => continue,
                    }
                }
            };
            let constant = names::snake(&id).to_ascii_uppercase();
            let (name, _) = constant_names.claim(&constant, "_");
            regions.push(ServiceRegion { name, id, endpoint });
        }
        Service {
            name,
            user_agent,
            regions,
            api_reference,
        }
    }

    /// The reference page URL template: an `https://` URL holding `{operationId}` once, with no
    /// space or other brace (it becomes a Markdown link in every operation's docs).
    fn api_reference(&mut self, value: Option<&Value>, at: &str) -> Option<String> {
        let text = match value? {
            Value::String(text) => text,
            other => {
                self.error(
                    at,
                    format!("expected a URL with `{OPERATION_ID}`, found {other}"),
                );
                return None;
            }
        };
        let rest = text.replacen(OPERATION_ID, "", 1);
        let problem = if !text.starts_with("https://") {
            Some("is not an https:// URL")
        } else if !text.contains(OPERATION_ID) {
            Some("holds no `{operationId}`")
        } else if rest.contains(['{', '}', ' ', '(', ')', '<', '>'])
            || text.chars().any(char::is_control)
        {
            Some("holds a space, a bracket or a second placeholder")
        } else {
            None
        };
        match problem {
            Some(problem) => {
                self.error(at, format!("`{text}` {problem}"));
                None
            }
            None => Some(text.clone()),
        }
    }

    /// An optional string made only of `allowed` characters.
    fn token(
        &mut self,
        value: Option<&Value>,
        at: &str,
        allowed: fn(char) -> bool,
        what: &str,
    ) -> Option<String> {
        match value? {
            Value::String(text) if !text.is_empty() && text.chars().all(allowed) => {
                Some(text.clone())
            }
            other => {
                self.error(
                    at,
                    format!("expected a non-empty name of {what}, found {other}"),
                );
                None
            }
        }
    }

    /// The region ids, in order; each a valid, unique id.
    fn region_ids(&mut self, value: Option<&Value>, at: &str) -> Vec<String> {
        let Some(value) = value else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.error(at, "expected a list of region ids");
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        let mut ids = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_at = format!("{at}/{index}");
            match item.as_str() {
                Some(id) if is_region_id(id) => {
                    if seen.insert(id) {
                        ids.push(id.to_owned());
                    } else {
                        self.error(&item_at, format!("region `{id}` is listed twice"));
                    }
                }
                _ => self.error(
                    &item_at,
                    format!("expected a region id of letters, digits, `-` and `_`, found {item}"),
                ),
            }
        }
        ids
    }

    /// The endpoints given per region, each for a listed region and an `http(s)` URL.
    fn explicit_endpoints(
        &mut self,
        value: Option<&Value>,
        at: &str,
        ids: &[String],
    ) -> Vec<(String, String)> {
        let Some(value) = value else {
            return Vec::new();
        };
        let at = pointer(at, "endpoints");
        let Value::Object(entries) = value else {
            self.error(&at, "expected a mapping of region ids to endpoint URLs");
            return Vec::new();
        };
        let mut endpoints = Vec::new();
        for (id, url) in entries {
            let entry_at = pointer(&at, id);
            if !ids.contains(id) {
                self.error(
                    &entry_at,
                    format!("region `{id}` is not in `regions`; add it there or remove this"),
                );
                continue;
            }
            match url.as_str() {
                Some(url) if is_endpoint_url(url) => endpoints.push((id.clone(), url.to_owned())),
                _ => self.error(
                    &entry_at,
                    format!(
                        "expected an endpoint URL starting with https:// or http://, found {url}"
                    ),
                ),
            }
        }
        endpoints
    }

    /// The first server's URL split around its one variable (the region id), for the regions
    /// without an endpoint of their own.
    fn server_template(&mut self) -> Option<(String, String)> {
        let Some(server) = self.spec.servers.first() else {
            self.error(
                "#/servers",
                format!(
                    "`{EXTENSION}` lists regions without an endpoint, so a server URL with the region \
                     as its variable is needed, such as https://svc.{{region_id}}.example.com"
                ),
            );
            return None;
        };
        let url = &server.url;
        let template = url.split_once('{').and_then(|(before, rest)| {
            let (variable, after) = rest.split_once('}')?;
            let single = !variable.is_empty() && !after.contains('{');
            single.then(|| (before.to_owned(), after.to_owned()))
        });
        match template {
            Some((before, after)) if is_endpoint_url(&format!("{before}x{after}")) => {
                Some((before, after))
            }
            _ => {
                self.error(
                    "#/servers/0/url",
                    format!(
                        "`{url}` must be an https:// or http:// URL with exactly one variable, \
                         the region id, for the regions of `{EXTENSION}` without an endpoint"
                    ),
                );
                None
            }
        }
    }
}

/// A name in environment variables: letters, digits, `-` and `_` (read as `_`).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A user-agent product name: a token without `/` or spaces (the version follows a `/`).
fn is_product_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// As the runtime accepts region ids.
fn is_region_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_endpoint_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && rest
                .chars()
                .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
    })
}
