//! HSS regions and endpoint resolution: an explicit URL, else the `HUAWEICLOUD_SDK_REGION_HSS_<ID>`
//! environment override, else the region table of the official SDK.

use std::fmt;

use reqwest::Url;

/// A region where HSS is offered, with its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    id: &'static str,
    endpoint: &'static str,
}

macro_rules! regions {
    ($($name:ident = $id:literal => $endpoint:literal,)*) => {
        impl Region {
            $(
                #[doc = concat!("`", $id, "`: <", $endpoint, ">")]
                pub const $name: Region = Region { id: $id, endpoint: $endpoint };
            )*

            /// Every region, in the official SDK's order.
            pub const ALL: &'static [Region] = &[$(Region::$name),*];
        }
    };
}

// The list and order of the official Python SDK 3.1.219 (`hss-api.md`).
regions! {
    CN_NORTH_9 = "cn-north-9" => "https://hss.cn-north-9.myhuaweicloud.com",
    CN_NORTH_1 = "cn-north-1" => "https://hss.cn-north-1.myhuaweicloud.com",
    CN_NORTH_4 = "cn-north-4" => "https://hss.cn-north-4.myhuaweicloud.com",
    CN_SOUTHWEST_2 = "cn-southwest-2" => "https://hss.cn-southwest-2.myhuaweicloud.com",
    CN_EAST_2 = "cn-east-2" => "https://hss.cn-east-2.myhuaweicloud.com",
    CN_EAST_3 = "cn-east-3" => "https://hss.cn-east-3.myhuaweicloud.com",
    CN_EAST_4 = "cn-east-4" => "https://hss.cn-east-4.myhuaweicloud.com",
    CN_SOUTH_1 = "cn-south-1" => "https://hss.cn-south-1.myhuaweicloud.com",
    CN_SOUTH_2 = "cn-south-2" => "https://hss.cn-south-2.myhuaweicloud.com",
    AP_SOUTHEAST_1 = "ap-southeast-1" => "https://hss.ap-southeast-1.myhuaweicloud.com",
    AP_SOUTHEAST_2 = "ap-southeast-2" => "https://hss.ap-southeast-2.myhuaweicloud.com",
    AP_SOUTHEAST_3 = "ap-southeast-3" => "https://hss.ap-southeast-3.myhuaweicloud.com",
    NA_MEXICO_1 = "na-mexico-1" => "https://hss.na-mexico-1.myhuaweicloud.com",
    AF_SOUTH_1 = "af-south-1" => "https://hss.af-south-1.myhuaweicloud.com",
    SA_BRAZIL_1 = "sa-brazil-1" => "https://hss.sa-brazil-1.myhuaweicloud.com",
    LA_SOUTH_2 = "la-south-2" => "https://hss.la-south-2.myhuaweicloud.com",
    CN_SOUTH_4 = "cn-south-4" => "https://hss.cn-south-4.myhuaweicloud.com",
    LA_NORTH_2 = "la-north-2" => "https://hss.la-north-2.myhuaweicloud.com",
    TR_WEST_1 = "tr-west-1" => "https://hss.tr-west-1.myhuaweicloud.com",
    CN_NORTH_2 = "cn-north-2" => "https://hss.cn-north-2.myhuaweicloud.com",
    AP_SOUTHEAST_4 = "ap-southeast-4" => "https://hss.ap-southeast-4.myhuaweicloud.com",
    AE_AD_1 = "ae-ad-1" => "https://hss.ae-ad-1.myhuaweicloud.com",
    ME_EAST_1 = "me-east-1" => "https://hss.me-east-1.myhuaweicloud.com",
    CN_EAST_5 = "cn-east-5" => "https://hss.cn-east-5.myhuaweicloud.com",
    MY_KUALALUMPUR_1 = "my-kualalumpur-1" => "https://hss.my-kualalumpur-1.myhuaweicloud.com",
    EU_WEST_101 = "eu-west-101" => "https://hss.eu-west-101.myhuaweicloud.eu",
    RU_MOSCOW_1 = "ru-moscow-1" => "https://hss.ru-moscow-1.myhuaweicloud.com",
    CN_NORTH_12 = "cn-north-12" => "https://hss.cn-north-12.myhuaweicloud.com",
    CN_SOUTHWEST_3 = "cn-southwest-3" => "https://hss.cn-southwest-3.myhuaweicloud.com",
    CN_NORTH_11 = "cn-north-11" => "https://hss.cn-north-11.myhuaweicloud.com",
    AF_NORTH_1 = "af-north-1" => "https://hss.af-north-1.myhuaweicloud.com",
    AP_SOUTHEAST_5 = "ap-southeast-5" => "https://hss.ap-southeast-5.myhuaweicloud.com",
}

impl Region {
    /// The region with this id (exact, as the official SDK looks it up).
    pub fn from_id(id: &str) -> Option<Region> {
        Self::ALL.iter().copied().find(|region| region.id == id)
    }

    /// The region id, such as `cn-north-4`.
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The HSS endpoint URL of the region.
    pub const fn endpoint(&self) -> &'static str {
        self.endpoint
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// The name of the environment variable that overrides the endpoint of `region_id`:
/// `HUAWEICLOUD_SDK_REGION_HSS_` and the id upper-cased with `-` turned into `_`.
pub fn region_override_variable(region_id: &str) -> String {
    let mut name = String::from("HUAWEICLOUD_SDK_REGION_HSS_");
    name.extend(region_id.chars().map(|c| {
        if c == '-' {
            '_'
        } else {
            c.to_ascii_uppercase()
        }
    }));
    name
}

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Plain HTTP, only when an endpoint URL says so.
    Http,
    /// HTTPS, the default.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

/// Where requests go: scheme, host, non-default port and base path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    base_path: String,
}

impl Endpoint {
    /// Parses an endpoint URL; without a scheme it is `https://`. Only `http` and `https` are
    /// accepted, with a host and without user name, password, query or fragment.
    pub fn parse(value: &str) -> Result<Endpoint, EndpointError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(EndpointError::Empty);
        }
        let with_scheme;
        let text = if trimmed.contains("://") {
            trimmed
        } else {
            // Without this, `host:8080` would parse as a URL whose scheme is `host`.
            with_scheme = format!("https://{trimmed}");
            &with_scheme
        };
        let url = Url::parse(text).map_err(|error| EndpointError::InvalidUrl {
            value: trimmed.to_owned(),
            reason: error.to_string(),
        })?;
        // Checked before anything echoes the value: a password must not reach an error message.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(EndpointError::UserInfo {
                host: url.host_str().unwrap_or_default().to_owned(),
            });
        }
        let scheme = match url.scheme() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            other => {
                return Err(EndpointError::UnsupportedScheme {
                    value: trimmed.to_owned(),
                    scheme: other.to_owned(),
                });
            }
        };
        let host = match url.host_str() {
            Some(host) if !host.is_empty() => host.to_owned(),
            _ => {
                return Err(EndpointError::MissingHost {
                    value: trimmed.to_owned(),
                });
            }
        };
        if url.query().is_some() || url.fragment().is_some() {
            return Err(EndpointError::QueryOrFragment {
                value: trimmed.to_owned(),
            });
        }
        Ok(Endpoint {
            scheme,
            host,
            port: url.port(),
            base_path: url.path().trim_end_matches('/').to_owned(),
        })
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host name or address (IPv6 in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, only when it is not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The `Host` header value: the host, with `:port` when the port is not the default.
    pub fn host_header(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// A path prefix to put before every operation path (empty, or starting with `/` and
    /// without a trailing `/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The path sent on the wire, and signed, for an operation path (percent-encoded, starting
    /// with `/`): the base path followed by it.
    pub fn request_path(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// The full URL of a request for an operation path: the endpoint with its base path, the
    /// operation path and the wire query (no `?` when it is empty).
    pub fn request_url(&self, path: &str, wire_query: &str) -> String {
        let mut url = format!("{self}{path}");
        if !wire_query.is_empty() {
            url.push('?');
            url.push_str(wire_query);
        }
        url
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme.as_str(),
            self.host_header(),
            self.base_path
        )
    }
}

/// Resolves where requests go: `explicit` (an endpoint URL) always wins; else the environment
/// variable [`region_override_variable`] of `region` (comma-separated URLs, the first is used;
/// works for ids missing from the table); else [`Region::from_id`].
pub fn resolve_endpoint(
    explicit: Option<&str>,
    region: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Endpoint, EndpointError> {
    if let Some(explicit) = explicit {
        return Endpoint::parse(explicit);
    }
    let Some(region) = region else {
        return Err(EndpointError::NoRegion);
    };
    let region = region.trim();
    if region.is_empty()
        || !region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(EndpointError::InvalidRegionId {
            region: region.to_owned(),
        });
    }
    let variable = region_override_variable(region);
    let first_override = env(&variable).and_then(|value| {
        value
            .split(',')
            .map(str::trim)
            .find(|url| !url.is_empty())
            .map(str::to_owned)
    });
    if let Some(url) = first_override {
        return Endpoint::parse(&url).map_err(|error| EndpointError::Override {
            variable,
            error: Box::new(error),
        });
    }
    match Region::from_id(region) {
        Some(known) => Endpoint::parse(known.endpoint()),
        None => Err(EndpointError::UnknownRegion {
            region: region.to_owned(),
            variable,
        }),
    }
}

/// Why no endpoint could be resolved. Messages name the bad value (never a password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// Neither an endpoint nor a region was given.
    #[error("no endpoint and no region given: set an endpoint URL or a region id")]
    NoRegion,
    /// The region id is empty or holds characters other than letters, digits, `-` and `_`.
    #[error("invalid region id {region:?}: expected letters, digits, '-' and '_'")]
    InvalidRegionId {
        /// The region id as given.
        region: String,
    },
    /// The region is not in the table and has no override.
    #[error(
        "unknown region {region:?} (set an endpoint URL or {variable}); known regions: {}",
        known_region_ids()
    )]
    UnknownRegion {
        /// The region id as given.
        region: String,
        /// The override variable that was not set.
        variable: String,
    },
    /// The endpoint URL is empty.
    #[error("endpoint URL is empty")]
    Empty,
    /// The endpoint is not a URL.
    #[error("invalid endpoint URL {value:?}: {reason}")]
    InvalidUrl {
        /// The endpoint as given.
        value: String,
        /// The URL parser's complaint.
        reason: String,
    },
    /// The scheme is neither `http` nor `https`.
    #[error("unsupported scheme {scheme:?} in endpoint URL {value:?}: expected https or http")]
    UnsupportedScheme {
        /// The endpoint as given.
        value: String,
        /// The scheme found.
        scheme: String,
    },
    /// The URL has no host.
    #[error("endpoint URL {value:?} has no host")]
    MissingHost {
        /// The endpoint as given.
        value: String,
    },
    /// The URL has a query or a fragment.
    #[error("endpoint URL {value:?} must not have a query or a fragment")]
    QueryOrFragment {
        /// The endpoint as given.
        value: String,
    },
    /// The URL holds a user name or password; the value is not repeated since it holds a secret.
    #[error("endpoint URL for host {host:?} must not contain a user name or password")]
    UserInfo {
        /// The URL's host.
        host: String,
    },
    /// The environment override holds a bad URL.
    #[error("{variable}: {error}")]
    Override {
        /// The environment variable.
        variable: String,
        /// What is wrong with its value.
        error: Box<EndpointError>,
    },
}

fn known_region_ids() -> String {
    Region::ALL
        .iter()
        .map(|region| region.id)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::credentials::env_of;

    #[test]
    fn regions_are_those_of_hss_api_md_in_order() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/reference/hss-api.md"
        );
        let text = std::fs::read_to_string(path).expect("read hss-api.md");
        let (_, after) = text
            .split_once("knows these 32 regions:")
            .expect("region list in hss-api.md");
        let list = after
            .trim_start()
            .split("\n\n")
            .next()
            .expect("a paragraph");
        let documented: Vec<&str> = list
            .split(',')
            .map(|id| id.trim().trim_end_matches('.'))
            .collect();
        let ours: Vec<&str> = Region::ALL.iter().map(|region| region.id()).collect();
        assert_eq!(ours, documented);
        assert_eq!(ours.len(), 32);
    }

    #[test]
    fn every_region_has_its_endpoint_and_is_found_by_id() {
        for region in Region::ALL {
            let domain = match region.id() {
                "eu-west-101" => "myhuaweicloud.eu",
                _ => "myhuaweicloud.com",
            };
            assert_eq!(
                region.endpoint(),
                format!("https://hss.{}.{domain}", region.id())
            );
            assert_eq!(Region::from_id(region.id()), Some(*region));
            assert_eq!(region.to_string(), region.id());
        }
        #[rustfmt::skip]
        let cases = [
            ("cn-north-4", Some(Region::CN_NORTH_4)),
            ("eu-west-101", Some(Region::EU_WEST_101)),
            ("ap-southeast-5", Some(Region::AP_SOUTHEAST_5)),
            ("CN-NORTH-4", None),
            ("cn-north-5", None),
            ("", None),
        ];
        for (id, expected) in cases {
            assert_eq!(Region::from_id(id), expected, "{id}");
        }
        assert_eq!(
            Region::EU_WEST_101.endpoint(),
            "https://hss.eu-west-101.myhuaweicloud.eu"
        );
    }

    #[test]
    fn override_variable_names() {
        #[rustfmt::skip]
        let cases = [
            ("cn-north-4", "HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4"),
            ("eu-west-101", "HUAWEICLOUD_SDK_REGION_HSS_EU_WEST_101"),
            ("my_region", "HUAWEICLOUD_SDK_REGION_HSS_MY_REGION"),
        ];
        for (id, expected) in cases {
            assert_eq!(region_override_variable(id), expected);
        }
    }

    /// Input, then what it parses to: scheme, host, port, `Host` header, base path, display.
    type ParseCase = (
        &'static str,
        Scheme,
        &'static str,
        Option<u16>,
        &'static str,
        &'static str,
        &'static str,
    );

    #[test]
    fn endpoint_urls_parse() {
        use Scheme::{Http, Https};
        #[rustfmt::skip]
        let cases: &[ParseCase] = &[
            ("https://hss.cn-north-4.myhuaweicloud.com", Https, "hss.cn-north-4.myhuaweicloud.com", None, "hss.cn-north-4.myhuaweicloud.com", "", "https://hss.cn-north-4.myhuaweicloud.com"),
            ("hss.example.com", Https, "hss.example.com", None, "hss.example.com", "", "https://hss.example.com"),
            ("hss.example.com:8443", Https, "hss.example.com", Some(8443), "hss.example.com:8443", "", "https://hss.example.com:8443"),
            ("https://h.example.com:443/", Https, "h.example.com", None, "h.example.com", "", "https://h.example.com"),
            ("http://127.0.0.1:8080", Http, "127.0.0.1", Some(8080), "127.0.0.1:8080", "", "http://127.0.0.1:8080"),
            ("http://localhost:80", Http, "localhost", None, "localhost", "", "http://localhost"),
            ("HTTP://LocalHost:8080/", Http, "localhost", Some(8080), "localhost:8080", "", "http://localhost:8080"),
            ("http://[::1]:8080", Http, "[::1]", Some(8080), "[::1]:8080", "", "http://[::1]:8080"),
            ("  https://gw.example.com/hss/api/  ", Https, "gw.example.com", None, "gw.example.com", "/hss/api", "https://gw.example.com/hss/api"),
        ];
        for &(input, scheme, host, port, host_header, base_path, display) in cases {
            let endpoint =
                Endpoint::parse(input).unwrap_or_else(|error| panic!("{input}: {error}"));
            assert_eq!(endpoint.scheme(), scheme, "{input}");
            assert_eq!(endpoint.host(), host, "{input}");
            assert_eq!(endpoint.port(), port, "{input}");
            assert_eq!(endpoint.host_header(), host_header, "{input}");
            assert_eq!(endpoint.base_path(), base_path, "{input}");
            assert_eq!(endpoint.to_string(), display, "{input}");
        }
    }

    #[test]
    fn bad_endpoint_urls_are_refused_by_name() {
        #[rustfmt::skip]
        let cases = [
            ("", "endpoint URL is empty"),
            ("   ", "endpoint URL is empty"),
            ("ftp://files.example.com", r#"unsupported scheme "ftp" in endpoint URL "ftp://files.example.com": expected https or http"#),
            ("file:///etc/passwd", r#"unsupported scheme "file" in endpoint URL "file:///etc/passwd": expected https or http"#),
            ("unix://sock", r#"unsupported scheme "unix" in endpoint URL "unix://sock": expected https or http"#),
            ("https://", r#"invalid endpoint URL "https://": empty host"#),
            ("https://:8080", r#"invalid endpoint URL "https://:8080": empty host"#),
            ("https://h.example.com:99999", r#"invalid endpoint URL "https://h.example.com:99999": invalid port number"#),
            ("https://h.example.com/?a=b", r#"endpoint URL "https://h.example.com/?a=b" must not have a query or a fragment"#),
            ("https://h.example.com?", r#"endpoint URL "https://h.example.com?" must not have a query or a fragment"#),
            ("https://h.example.com#top", r#"endpoint URL "https://h.example.com#top" must not have a query or a fragment"#),
            ("https://user:hunter2@h.example.com", r#"endpoint URL for host "h.example.com" must not contain a user name or password"#),
            ("https://user@h.example.com", r#"endpoint URL for host "h.example.com" must not contain a user name or password"#),
        ];
        for (input, expected) in cases {
            let error = Endpoint::parse(input).expect_err(input);
            assert_eq!(error.to_string(), expected, "{input}");
        }
    }

    /// Explicit endpoint, region, environment, then the resolved endpoint or the error text.
    type ResolveCase = (
        Option<&'static str>,
        Option<&'static str>,
        &'static [(&'static str, &'static str)],
        Result<&'static str, &'static str>,
    );

    #[test]
    fn resolution_order_and_errors() {
        const CN4: &str = "https://hss.cn-north-4.myhuaweicloud.com";
        const OVERRIDE: &str = "HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4";
        #[rustfmt::skip]
        let cases: &[ResolveCase] = &[
            // An explicit endpoint wins over the override, the table and unknown regions.
            (Some("http://127.0.0.1:1"), Some("cn-north-4"), &[(OVERRIDE, "https://o.example.com")], Ok("http://127.0.0.1:1")),
            (Some("http://127.0.0.1:1"), Some("nowhere-1"), &[], Ok("http://127.0.0.1:1")),
            (Some("http://127.0.0.1:1"), None, &[], Ok("http://127.0.0.1:1")),
            (Some(""), Some("cn-north-4"), &[], Err("endpoint URL is empty")),
            // The table.
            (None, Some("cn-north-4"), &[], Ok(CN4)),
            (None, Some(" cn-north-4 "), &[], Ok(CN4)),
            (None, Some("eu-west-101"), &[], Ok("https://hss.eu-west-101.myhuaweicloud.eu")),
            // The override: first non-empty URL; blank means unset; other regions' do not count.
            (None, Some("cn-north-4"), &[(OVERRIDE, "https://a.example.com, https://b.example.com")], Ok("https://a.example.com")),
            (None, Some("cn-north-4"), &[(OVERRIDE, " , b.example.com:8443")], Ok("https://b.example.com:8443")),
            (None, Some("cn-north-4"), &[(OVERRIDE, " ")], Ok(CN4)),
            (None, Some("cn-north-4"), &[("HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_1", "https://other.example.com")], Ok(CN4)),
            (None, Some("my-private-1"), &[("HUAWEICLOUD_SDK_REGION_HSS_MY_PRIVATE_1", "http://10.0.0.1:8080")], Ok("http://10.0.0.1:8080")),
            (None, Some("cn-north-4"), &[(OVERRIDE, "ftp://x")], Err(r#"HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4: unsupported scheme "ftp" in endpoint URL "ftp://x": expected https or http"#)),
            // Nothing usable.
            (None, None, &[], Err("no endpoint and no region given: set an endpoint URL or a region id")),
            (None, Some(""), &[], Err(r#"invalid region id "": expected letters, digits, '-' and '_'"#)),
            (None, Some("cn north=4"), &[], Err(r#"invalid region id "cn north=4": expected letters, digits, '-' and '_'"#)),
        ];
        for (explicit, region, vars, expected) in cases {
            let result = resolve_endpoint(*explicit, *region, env_of(vars));
            let result = result
                .as_ref()
                .map(ToString::to_string)
                .map_err(ToString::to_string);
            let expected = expected.map(str::to_owned).map_err(str::to_owned);
            assert_eq!(result, expected, "{explicit:?} {region:?} {vars:?}");
        }
    }

    #[test]
    fn unknown_region_lists_the_known_ones() {
        let error = resolve_endpoint(None, Some("xx-nowhere-1"), env_of(&[])).expect_err("unknown");
        let message = error.to_string();
        let start = "unknown region \"xx-nowhere-1\" (set an endpoint URL or \
                     HUAWEICLOUD_SDK_REGION_HSS_XX_NOWHERE_1); known regions: cn-north-9, cn-north-1, ";
        assert!(message.starts_with(start), "{message}");
        for region in Region::ALL {
            assert!(message.contains(region.id()), "{message} lacks {region}");
        }
        assert!(message.ends_with("af-north-1, ap-southeast-5"), "{message}");
    }

    #[test]
    fn request_paths_and_urls_include_the_base_path() {
        // Endpoint, operation path, wire query, then the request path and the full URL.
        #[rustfmt::skip]
        let cases = [
            ("https://h.example.com", "/v5/p/x", "", "/v5/p/x", "https://h.example.com/v5/p/x"),
            ("https://h.example.com/gw/", "/v5/p/x", "a=1", "/gw/v5/p/x", "https://h.example.com/gw/v5/p/x?a=1"),
            ("http://127.0.0.1:8080", "/v5/p%2Fq/x", "a=%20", "/v5/p%2Fq/x", "http://127.0.0.1:8080/v5/p%2Fq/x?a=%20"),
        ];
        for (endpoint, path, query, request_path, url) in cases {
            let endpoint = Endpoint::parse(endpoint).expect("parses");
            assert_eq!(endpoint.request_path(path), request_path);
            assert_eq!(endpoint.request_url(path, query), url);
        }
    }
}
