//! Regions and endpoint resolution: an explicit URL, else the
//! `HUAWEICLOUD_SDK_REGION_<SERVICE>_<ID>` environment override, else the service's region table.
//!
//! The runtime knows no service: the facts (region table, service name, user-agent product) are a
//! [`ServiceInfo`] that the generated code of each service defines from its spec.

use std::fmt;

use reqwest::Url;

/// A region where a service is offered, with its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    id: &'static str,
    endpoint: &'static str,
}

impl Region {
    /// A region: its id (such as `cn-north-4`) and the service's endpoint URL there.
    pub const fn new(id: &'static str, endpoint: &'static str) -> Region {
        Region { id, endpoint }
    }

    /// The region id, such as `cn-north-4`.
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The service's endpoint URL in the region.
    pub const fn endpoint(&self) -> &'static str {
        self.endpoint
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// What the runtime needs to know about one service, as plain data generated from its spec:
/// the name in the endpoint override variables, the user-agent product token and the regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceInfo {
    name: &'static str,
    user_agent: &'static str,
    regions: &'static [Region],
}

impl ServiceInfo {
    /// A service: `name` as in `HUAWEICLOUD_SDK_REGION_<NAME>_<ID>` (such as `HSS`; upper-cased,
    /// `-` read as `_`), the product token that starts every `User-Agent` (such as
    /// `hss-client-rust/0.1.0`), and its regions in order.
    pub const fn new(
        name: &'static str,
        user_agent: &'static str,
        regions: &'static [Region],
    ) -> ServiceInfo {
        ServiceInfo {
            name,
            user_agent,
            regions,
        }
    }

    /// The service's name in environment variables.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The product token that starts every `User-Agent`.
    pub const fn user_agent(&self) -> &'static str {
        self.user_agent
    }

    /// Every region, in the spec's order.
    pub const fn regions(&self) -> &'static [Region] {
        self.regions
    }

    /// The region with this id (exact, as the official SDKs look it up).
    pub fn region(&self, id: &str) -> Option<Region> {
        self.regions.iter().copied().find(|region| region.id == id)
    }

    /// The name of the environment variable that overrides the endpoint of `region_id`:
    /// `HUAWEICLOUD_SDK_REGION_`, the service name, `_` and the region id, upper-cased with `-`
    /// turned into `_` (`HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4`).
    pub fn region_override_variable(&self, region_id: &str) -> String {
        let mut name = String::from("HUAWEICLOUD_SDK_REGION_");
        let upper = |c: char| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        };
        name.extend(self.name.chars().map(upper));
        name.push('_');
        name.extend(region_id.chars().map(upper));
        name
    }

    fn known_region_ids(&self) -> String {
        if self.regions.is_empty() {
            return "none".to_owned();
        }
        self.regions
            .iter()
            .map(|region| region.id)
            .collect::<Vec<_>>()
            .join(", ")
    }
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
    /// The `Host` header value, made once rather than for every request.
    host_header: String,
    /// `scheme://host[:port]/`, parsed once: a request's URL is this with its path and query
    /// set, so the host is not parsed again for every request.
    origin: Url,
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
        let port = url.port();
        let base_path = url.path().trim_end_matches('/').to_owned();
        let host_header = match port {
            Some(port) => format!("{host}:{port}"),
            None => host.clone(),
        };
        let mut origin = url;
        origin.set_path("");
        Ok(Endpoint {
            scheme,
            host,
            port,
            base_path,
            host_header,
            origin,
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
        self.host_header.clone()
    }

    /// [`Endpoint::host_header`], borrowed.
    pub(crate) fn host_header_str(&self) -> &str {
        &self.host_header
    }

    /// A path prefix to put before every operation path (empty, or starting with `/` and
    /// without a trailing `/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The path sent on the wire, and signed, for an operation path (percent-encoded, starting
    /// with `/`): the base path followed by it.
    pub fn request_path(&self, path: &str) -> String {
        let mut joined = String::with_capacity(self.base_path.len() + path.len());
        joined.push_str(&self.base_path);
        joined.push_str(path);
        joined
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

impl Endpoint {
    /// [`Endpoint::request_url`] as a parsed URL, for a request path already made with
    /// [`Endpoint::request_path`]: the origin parsed once with the path and the query set, which
    /// parses only those.
    pub(crate) fn wire_url(&self, request_path: &str, wire_query: &str) -> Url {
        let mut url = self.origin.clone();
        url.set_path(request_path);
        if !wire_query.is_empty() {
            url.set_query(Some(wire_query));
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

/// Resolves where requests of `service` go: `explicit` (an endpoint URL) always wins; else the
/// environment variable [`ServiceInfo::region_override_variable`] of `region` (comma-separated
/// URLs, the first is used; works for ids missing from the table); else
/// [`ServiceInfo::region`].
pub fn resolve_endpoint(
    explicit: Option<&str>,
    region: Option<&str>,
    service: &ServiceInfo,
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
    let variable = service.region_override_variable(region);
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
    match service.region(region) {
        Some(known) => Endpoint::parse(known.endpoint()),
        None => Err(EndpointError::UnknownRegion {
            region: region.to_owned(),
            variable,
            known: service.known_region_ids(),
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
        "unknown region {region:?} (set an endpoint URL or {variable}); known regions: {known}"
    )]
    UnknownRegion {
        /// The region id as given.
        region: String,
        /// The override variable that was not set.
        variable: String,
        /// The service's region ids, comma-separated (`none` when it lists none).
        known: String,
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

#[cfg(test)]
mod tests {

    use super::*;
    use crate::credentials::env_of;

    /// A service of this test's own, with a region on another domain: the runtime takes any
    /// service's facts as data.
    const REGIONS: &[Region] = &[
        Region::new("xx-north-1", "https://svc.xx-north-1.example.com"),
        Region::new("cn-north-4", "https://svc.cn-north-4.example.com"),
        Region::new("eu-west-101", "https://svc.eu-west-101.example.eu"),
    ];
    const SERVICE: ServiceInfo = ServiceInfo::new("SVC", "svc-rust/1.0", REGIONS);

    #[test]
    fn a_service_finds_its_regions_by_exact_id() {
        assert_eq!(SERVICE.regions(), REGIONS);
        assert_eq!(SERVICE.name(), "SVC");
        assert_eq!(SERVICE.user_agent(), "svc-rust/1.0");
        #[rustfmt::skip]
        let cases = [
            ("cn-north-4", Some(REGIONS[1])),
            ("eu-west-101", Some(REGIONS[2])),
            ("CN-NORTH-4", None),
            ("cn-north-5", None),
            ("", None),
        ];
        for (id, expected) in cases {
            assert_eq!(SERVICE.region(id), expected, "{id}");
        }
        assert_eq!(REGIONS[2].to_string(), "eu-west-101");
        assert_eq!(REGIONS[2].endpoint(), "https://svc.eu-west-101.example.eu");
    }

    #[test]
    fn override_variable_names() {
        let dashed = ServiceInfo::new("my-svc", "", &[]);
        #[rustfmt::skip]
        let cases = [
            (SERVICE, "cn-north-4", "HUAWEICLOUD_SDK_REGION_SVC_CN_NORTH_4"),
            (SERVICE, "eu-west-101", "HUAWEICLOUD_SDK_REGION_SVC_EU_WEST_101"),
            (SERVICE, "my_region", "HUAWEICLOUD_SDK_REGION_SVC_MY_REGION"),
            (dashed, "ab-c-1", "HUAWEICLOUD_SDK_REGION_MY_SVC_AB_C_1"),
        ];
        for (service, id, expected) in cases {
            assert_eq!(service.region_override_variable(id), expected);
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
        const CN4: &str = "https://svc.cn-north-4.example.com";
        const OVERRIDE: &str = "HUAWEICLOUD_SDK_REGION_SVC_CN_NORTH_4";
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
            (None, Some("eu-west-101"), &[], Ok("https://svc.eu-west-101.example.eu")),
            // The override: first non-empty URL; blank means unset; other regions' do not count.
            (None, Some("cn-north-4"), &[(OVERRIDE, "https://a.example.com, https://b.example.com")], Ok("https://a.example.com")),
            (None, Some("cn-north-4"), &[(OVERRIDE, " , b.example.com:8443")], Ok("https://b.example.com:8443")),
            (None, Some("cn-north-4"), &[(OVERRIDE, " ")], Ok(CN4)),
            (None, Some("cn-north-4"), &[("HUAWEICLOUD_SDK_REGION_SVC_XX_NORTH_1", "https://other.example.com")], Ok(CN4)),
            (None, Some("my-private-1"), &[("HUAWEICLOUD_SDK_REGION_SVC_MY_PRIVATE_1", "http://10.0.0.1:8080")], Ok("http://10.0.0.1:8080")),
            (None, Some("cn-north-4"), &[(OVERRIDE, "ftp://x")], Err(r#"HUAWEICLOUD_SDK_REGION_SVC_CN_NORTH_4: unsupported scheme "ftp" in endpoint URL "ftp://x": expected https or http"#)),
            // Nothing usable.
            (None, None, &[], Err("no endpoint and no region given: set an endpoint URL or a region id")),
            (None, Some(""), &[], Err(r#"invalid region id "": expected letters, digits, '-' and '_'"#)),
            (None, Some("cn north=4"), &[], Err(r#"invalid region id "cn north=4": expected letters, digits, '-' and '_'"#)),
        ];
        for (explicit, region, vars, expected) in cases {
            let result = resolve_endpoint(*explicit, *region, &SERVICE, env_of(vars));
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
        let error = resolve_endpoint(None, Some("xx-nowhere-1"), &SERVICE, env_of(&[]))
            .expect_err("unknown");
        assert_eq!(
            error.to_string(),
            "unknown region \"xx-nowhere-1\" (set an endpoint URL or \
             HUAWEICLOUD_SDK_REGION_SVC_XX_NOWHERE_1); known regions: xx-north-1, cn-north-4, \
             eu-west-101"
        );
        let empty = ServiceInfo::new("NONE", "", &[]);
        let error = resolve_endpoint(None, Some("a-1"), &empty, env_of(&[])).expect_err("none");
        assert!(
            error.to_string().ends_with("known regions: none"),
            "{error}"
        );
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

    /// The URL a request is sent to, made from the origin parsed once, is the URL that parsing
    /// the whole text gives, whatever the host, port, base path and percent-encoding.
    #[test]
    fn wire_urls_equal_the_parsed_request_url() {
        let endpoints = [
            "https://h.example.com",
            "https://h.example.com/gw/",
            "http://127.0.0.1:8080",
            "http://[::1]:9000/a/b",
            "hss.cn-north-4.myhuaweicloud.com",
            "HTTPS://H.Example.COM:443/Gw",
        ];
        let requests = [
            ("/v5/p/x", ""),
            ("/v5/p%2Fq/x", "a=%20&b=%C3%A9"),
            // What `encode_path_segment` makes of the value `%2E%2E`: no dot segment.
            ("/v5/%252E%252E/x~_.-", "k=&k=a%2Fb"),
        ];
        for text in endpoints {
            let endpoint = Endpoint::parse(text).expect("parses");
            for (path, query) in requests {
                let request_path = endpoint.request_path(path);
                let expected = endpoint.request_url(path, query);
                let url = endpoint.wire_url(&request_path, query);
                assert_eq!(url.as_str(), expected, "{text} {path} {query}");
                assert_eq!(Some(url), Url::parse(&expected).ok(), "{text}");
            }
        }
    }
}
