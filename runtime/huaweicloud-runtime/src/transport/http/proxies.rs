//! Which proxy a request goes through: the builder's `.proxy(url)`, else the standard proxy
//! variables read through the client's own environment lookup (so `env_lookup` governs them as
//! it governs every other setting), and never one for this machine or its link.

use std::fmt;

use crate::error::Error;

/// Where a proxy cannot reach and requests go direct: this machine (loopback) and its link
/// (link-local: the ECS metadata service at 169.254.169.254 and a pod's credential agent), whose
/// credentials a proxy would fetch for itself, or not at all.
const DIRECT: &str = "localhost, 127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10";

/// A proxy URL and the setting it came from, named in errors.
#[derive(Clone, PartialEq, Eq)]
struct Source {
    setting: &'static str,
    url: String,
}

/// Makes reqwest's proxy for a URL, for one scheme or for all.
type MakeProxy = fn(&str) -> reqwest::Result<reqwest::Proxy>;

/// The proxies of one client.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Proxies {
    /// For `https://` requests (`HTTPS_PROXY`), or for all (`.proxy(url)`, `ALL_PROXY`).
    https: Option<Source>,
    /// For `http://` requests (`HTTP_PROXY`).
    http: Option<Source>,
    /// For any request the two above do not cover.
    all: Option<Source>,
    /// Hosts that go direct besides this machine and its link (`NO_PROXY`).
    no_proxy: Option<String>,
}

impl Proxies {
    /// Every request through `url`, except those to this machine and its link.
    pub(crate) fn explicit(url: &str) -> Self {
        Self {
            all: Some(Source {
                setting: "proxy",
                url: url.to_owned(),
            }),
            ..Self::default()
        }
    }

    /// The proxies the environment asks for, as curl and the official SDKs' HTTP libraries read
    /// them: `HTTPS_PROXY`, `HTTP_PROXY` and `ALL_PROXY` (each also in lower case, upper case
    /// first), and `NO_PROXY` for hosts that go direct. An empty value is no value.
    /// `HTTP_PROXY` in upper case is ignored when `REQUEST_METHOD` is set: a CGI program gets a
    /// request's `Proxy` header in that variable.
    pub(crate) fn from_env(env: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: &'static str| {
            env(name)
                .filter(|value| !value.trim().is_empty())
                .map(|url| Source {
                    setting: name,
                    url: url.trim().to_owned(),
                })
        };
        let cgi = env("REQUEST_METHOD").is_some();
        let http_upper = if cgi { None } else { read("HTTP_PROXY") };
        Self {
            https: read("HTTPS_PROXY").or_else(|| read("https_proxy")),
            http: http_upper.or_else(|| read("http_proxy")),
            all: read("ALL_PROXY").or_else(|| read("all_proxy")),
            no_proxy: read("NO_PROXY")
                .or_else(|| read("no_proxy"))
                .map(|source| source.url),
        }
    }

    /// `builder` with these proxies and no other: reqwest's own reading of the process
    /// environment is turned off. A URL reqwest refuses is an error naming its setting.
    pub(crate) fn apply(
        &self,
        mut builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, Error> {
        builder = builder.no_proxy();
        let direct = match &self.no_proxy {
            Some(more) => format!("{DIRECT}, {more}"),
            None => DIRECT.to_owned(),
        };
        let schemes: [(&Option<Source>, MakeProxy); 3] = [
            (&self.https, |url| reqwest::Proxy::https(url)),
            (&self.http, |url| reqwest::Proxy::http(url)),
            (&self.all, |url| reqwest::Proxy::all(url)),
        ];
        // reqwest asks the proxies in this order: a scheme's own before the one for all.
        for (source, proxy) in schemes {
            let Some(source) = source else { continue };
            // The reason is left out: it may quote the URL, and with it a password.
            let proxy = proxy(&source.url)
                .map_err(|_| Error::setting(source.setting, "is not a valid proxy URL"))?
                .no_proxy(reqwest::NoProxy::from_string(&direct));
            builder = builder.proxy(proxy);
        }
        Ok(builder)
    }
}

// By hand: a proxy URL may hold a password.
impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |source: &Option<Source>| source.as_ref().map(|source| source.setting);
        f.debug_struct("Proxies")
            .field("https", &shown(&self.https))
            .field("http", &shown(&self.http))
            .field("all", &shown(&self.all))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Proxies {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        Proxies::from_env(move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        })
    }

    /// (setting, URL) of each slot, for comparing.
    fn slots(proxies: &Proxies) -> [Option<(&'static str, &str)>; 3] {
        [&proxies.https, &proxies.http, &proxies.all].map(|slot| {
            slot.as_ref()
                .map(|source| (source.setting, source.url.as_str()))
        })
    }

    #[test]
    fn the_environment_is_read_as_curl_reads_it() {
        type Slots = [Option<(&'static str, &'static str)>; 3];
        // (environment, the https, http and all slots, NO_PROXY)
        type Case<'a> = (&'a [(&'a str, &'a str)], Slots, Option<&'a str>);
        let cases: [Case<'_>; 7] = [
            (&[], [None, None, None], None),
            (
                &[
                    ("HTTPS_PROXY", "http://p:1"),
                    ("https_proxy", "http://lower:1"),
                ],
                [Some(("HTTPS_PROXY", "http://p:1")), None, None],
                None,
            ),
            (
                &[("https_proxy", " http://lower:1 "), ("HTTPS_PROXY", "  ")],
                [Some(("https_proxy", "http://lower:1")), None, None],
                None,
            ),
            (
                &[("HTTP_PROXY", "http://h:1"), ("all_proxy", "socks5://a:1")],
                [
                    None,
                    Some(("HTTP_PROXY", "http://h:1")),
                    Some(("all_proxy", "socks5://a:1")),
                ],
                None,
            ),
            // In a CGI program, HTTP_PROXY is a request's header: only the lower case counts.
            (
                &[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")],
                [None, None, None],
                None,
            ),
            (
                &[("REQUEST_METHOD", "GET"), ("http_proxy", "http://h:1")],
                [None, Some(("http_proxy", "http://h:1")), None],
                None,
            ),
            (
                &[
                    ("NO_PROXY", ".internal, 10.0.0.0/8"),
                    ("no_proxy", "ignored"),
                ],
                [None, None, None],
                Some(".internal, 10.0.0.0/8"),
            ),
        ];
        for (env, expected, no_proxy) in cases {
            let proxies = from(env);
            assert_eq!(slots(&proxies), expected, "{env:?}");
            assert_eq!(proxies.no_proxy.as_deref(), no_proxy, "{env:?}");
        }
    }

    #[test]
    fn a_bad_url_names_its_setting_and_a_good_one_builds() {
        let cases = [
            (
                from(&[("HTTPS_PROXY", "http://a b")]),
                Some("invalid HTTPS_PROXY: is not a valid proxy URL"),
            ),
            (
                from(&[("all_proxy", "::")]),
                Some("invalid all_proxy: is not a valid proxy URL"),
            ),
            (
                Proxies::explicit("http://x y"),
                Some("invalid proxy: is not a valid proxy URL"),
            ),
            (
                from(&[
                    ("HTTP_PROXY", "http://user:pw@127.0.0.1:3128"),
                    ("NO_PROXY", "*.example"),
                ]),
                None,
            ),
            (Proxies::default(), None),
        ];
        for (proxies, expected) in cases {
            let outcome = proxies.apply(reqwest::Client::builder()).map(|_| ());
            assert_eq!(
                outcome.err().map(|error| error.to_string()).as_deref(),
                expected
            );
        }
    }

    #[test]
    fn debug_shows_where_a_proxy_came_from_not_its_url() {
        let proxies = from(&[("HTTPS_PROXY", "http://user:SECRET@p:1")]);
        let shown = format!("{proxies:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("HTTPS_PROXY"), "{shown}");
    }
}
