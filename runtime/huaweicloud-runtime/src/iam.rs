//! The project id found from the region through IAM, as the official SDKs find it: where IAM is
//! (the endpoint order), the errors of the lookup, and the placeholder that defers a path's
//! project id to the first call. The request itself is in `lookup`, the process-wide cache in
//! `cache`.

mod cache;
mod lookup;
mod regions;

use std::fmt;
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::OnceLock;

use crate::endpoint::Endpoint;
use crate::error::ConfigError;

pub(crate) use cache::project_id;
pub use lookup::OPERATION_ID;
pub use regions::{REGION_IAM_ENDPOINTS, region_iam_endpoint};

/// Environment variable naming the IAM endpoint, as the official SDKs read it.
pub const ENV_IAM_ENDPOINT: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";

/// The IAM endpoint of regions missing from [`REGION_IAM_ENDPOINTS`].
pub const DEFAULT_IAM_ENDPOINT: &str = "https://iam.myhuaweicloud.com";

/// The profile file's key for the IAM endpoint (section `[basic]`).
pub const PROFILE_IAM_ENDPOINT_KEY: &str = "iam_endpoint";

/// Where the lookup of `region_id` asks IAM: `explicit` (the builder's `iam_endpoint`), else
/// [`ENV_IAM_ENDPOINT`], else the profile file's `iam_endpoint` (`profile`: the file and the
/// value), else the region's endpoint in [`REGION_IAM_ENDPOINTS`], else
/// [`DEFAULT_IAM_ENDPOINT`]. A URL without a scheme is `https://`; plain `http://` only when
/// written out. A bad URL is an error naming where it came from.
pub(crate) fn resolve_iam_endpoint(
    explicit: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
    profile: Option<(&Path, &str)>,
    region_id: &str,
) -> Result<Endpoint, ConfigError> {
    if let Some(url) = explicit {
        return parse_setting("iam_endpoint", url, "");
    }
    let from_env = env(ENV_IAM_ENDPOINT)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty());
    if let Some(url) = from_env {
        return parse_setting(ENV_IAM_ENDPOINT, &url, "");
    }
    if let Some((path, url)) = profile.filter(|(_, url)| !url.trim().is_empty()) {
        let place = format!(
            "key {PROFILE_IAM_ENDPOINT_KEY} of profile file {}: ",
            path.display()
        );
        return parse_setting("iam_endpoint", url, &place);
    }
    let url = region_iam_endpoint(region_id).unwrap_or(DEFAULT_IAM_ENDPOINT);
    parse_setting("iam_endpoint", url, "the table's entry: ")
}

/// Checks the builder's `iam_endpoint` even when no lookup will need it.
pub(crate) fn check_iam_endpoint(url: &str) -> Result<(), ConfigError> {
    parse_setting("iam_endpoint", url, "").map(|_| ())
}

fn parse_setting(setting: &'static str, url: &str, place: &str) -> Result<Endpoint, ConfigError> {
    Endpoint::parse(url).map_err(|error| ConfigError::Setting {
        setting,
        message: format!("{place}{error}"),
    })
}

/// The value [`crate::Client::client_param`] gives a call's `project_id` when the client will
/// find it through IAM: a random token, fixed for the process, made only of characters a path
/// segment keeps as they are. [`crate::Client::execute`] sees it on the request, looks the project id
/// up and puts it in its place; the generated code (which builds a request synchronously) stays
/// unaware. Random, so that no project id a caller sets can be mistaken for it.
pub(crate) fn pending_project_id() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let state = std::hash::RandomState::new();
        format!(
            "pending-project-id-{:016x}{:016x}",
            state.hash_one(1_u8),
            state.hash_one(2_u8)
        )
    })
}

/// Why the project id could not be found through IAM (or cannot be looked up at all); the client
/// sends nothing to the service then. IAM's error answers are service errors (`ErrorKind::Service`) of the
/// operation [`OPERATION_ID`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectIdError {
    /// IAM knows no project named after the region for these credentials.
    #[error(
        "no project found through IAM for region {region:?} (X-IAM-Trace-Id {}): set the project id",
        trace_id.as_deref().unwrap_or("-")
    )]
    NoProject {
        /// The region id looked up.
        region: String,
        /// IAM's `X-IAM-Trace-Id`, if it sent one.
        trace_id: Option<String>,
    },
    /// IAM answered with more than one project for the region.
    #[error(
        "{} projects found through IAM for region {region:?} ({}; X-IAM-Trace-Id {}): set the project id to the one meant",
        ids.len(),
        IdList(ids),
        trace_id.as_deref().unwrap_or("-")
    )]
    SeveralProjects {
        /// The region id looked up.
        region: String,
        /// Every project id of the answer, in its order.
        ids: Vec<String>,
        /// IAM's `X-IAM-Trace-Id`, if it sent one.
        trace_id: Option<String>,
    },
    /// IAM-token credentials cannot sign the lookup (it needs AK/SK).
    #[error(
        "project id must be given: IAM-token credentials cannot sign the IAM request that finds it for region {region:?}"
    )]
    TokenCredentials {
        /// The client's region id.
        region: String,
    },
}

/// The ids of an answer, at most the first 20 in a message.
struct IdList<'a>(&'a [String]);

impl fmt::Display for IdList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 20;
        f.write_str("ids ")?;
        for (index, id) in self.0.iter().take(SHOWN).enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(id)?;
        }
        if self.0.len() > SHOWN {
            write!(f, " and {} more", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
