//! Credentials (permanent or temporary AK/SK, IAM token, or a provider that fetches temporary
//! ones) and the default chain that finds them: explicit values, OIDC STS, the environment
//! (federated identity, then AK/SK), the profile file (likewise), CCE pod identity, ECS metadata.
//!
//! The chain is a function of an environment lookup and a home directory, so tests never touch the
//! process environment; [`ResolvedCredentials::default_chain`] plugs in the real ones.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod answer;
pub(crate) mod cache;
mod cce_pod;
mod ecs_metadata;
mod federated;
mod fetch;
mod oidc_sts;
mod profile;
mod provider;

use std::sync::Arc;

pub use cce_pod::{CcePod, ENV_POD_CREDENTIALS_URI, ENV_POD_TOKEN_FILE};
pub use ecs_metadata::{DEFAULT_METADATA_ENDPOINT, ENV_METADATA_ENDPOINT, EcsMetadata};
pub use federated::{ENV_ID_TOKEN_FILE, ENV_IDP_ID, Federated};
pub use oidc_sts::{
    DEFAULT_STS_ENDPOINT, ENV_OIDC_AGENCY_URN, ENV_OIDC_DURATION_SECONDS, ENV_OIDC_ID_TOKEN,
    ENV_OIDC_POLICY, ENV_OIDC_POLICY_IDS, ENV_OIDC_PROVIDER_URN, ENV_OIDC_SESSION_NAME,
    ENV_OIDC_TOKEN_FILE, ENV_STS_ENDPOINT, OidcSts,
};
use profile::{ProfileRead, read_profile};
pub use provider::{
    FetchContext, FetchedCredentials, ProvideCredentials, ProvideFuture, SharedProvider,
};

use crate::signing::{SigningError, SigningKey};

/// Environment variable for the access key id, as read by the official SDKs.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable for the secret key.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable for the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable for the project id.
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Access key id as Huawei's published sample code reads it.
pub const ENV_SAMPLE_AK: &str = "CLOUD_SDK_AK";
/// Secret key as Huawei's published sample code reads it.
pub const ENV_SAMPLE_SK: &str = "CLOUD_SDK_SK";
/// Environment variable naming the profile file instead of `~/.huaweicloud/credentials`.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The profile file's location under the home directory.
pub const DEFAULT_PROFILE_FILE: &str = ".huaweicloud/credentials";
/// The profile file's section that holds the credentials.
pub const PROFILE_SECTION: &str = "basic";
/// The section the official SDKs' profile builder reads, used when `[basic]` has no credentials.
pub const PROFILE_SECTION_OFFICIAL: &str = "basiccredentials";

/// A secret string (secret key, security token, IAM token, a password in a model): `Debug` and
/// `Display` print `***`. Serde reads and writes the plain string, since that is what goes on
/// the wire.
#[derive(Clone)]
pub struct Secret {
    value: String,
    /// The HMAC state keyed with this secret, set up the first time it signs a request and kept
    /// for every request after (see [`SigningKey`]).
    signing_key: OnceLock<Box<SigningKey>>,
}

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            signing_key: OnceLock::new(),
        }
    }

    /// The secret value, for the few places that must use it (signing, the token header).
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The HMAC state of this secret as a secret key, set up on first use.
    pub(crate) fn signing_key(&self) -> Result<&SigningKey, SigningError> {
        if let Some(key) = self.signing_key.get() {
            return Ok(key);
        }
        let key = Box::new(SigningKey::new(&self.value)?);
        Ok(self.signing_key.get_or_init(|| key))
    }
}

// Two secrets are equal when their values are; whether one has signed yet does not matter.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How a request authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// Signed with SDK-HMAC-SHA256; a security token (sent and signed as `X-Security-Token`)
    /// makes them temporary credentials.
    AkSk {
        /// The access key id (not secret: it appears in every `Authorization` header).
        access_key: String,
        /// The secret key, the HMAC key.
        secret_key: Secret,
        /// The security token of temporary credentials.
        security_token: Option<Secret>,
    },
    /// An IAM token sent as `X-Auth-Token`; requests are not signed.
    Token(Secret),
    /// Fetched from a provider (a temporary-credential source, or a user's own), cached by the
    /// client and refreshed before they expire.
    Provider(SharedProvider),
}

impl Credentials {
    /// Permanent AK/SK.
    pub fn permanent(access_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::AkSk {
            access_key: access_key.into(),
            secret_key: Secret::new(secret_key),
            security_token: None,
        }
    }

    /// Temporary AK/SK with their security token.
    pub fn temporary(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Self::AkSk {
            access_key: access_key.into(),
            secret_key: Secret::new(secret_key),
            security_token: Some(Secret::new(security_token)),
        }
    }

    /// IAM token authentication.
    pub fn iam_token(token: impl Into<String>) -> Self {
        Self::Token(Secret::new(token))
    }

    /// Credentials fetched from `provider` (a vault, a secrets manager), cached and refreshed.
    pub fn provider(provider: impl ProvideCredentials + 'static) -> Self {
        Self::Provider(SharedProvider::new(provider))
    }

    /// ECS metadata at `HUAWEICLOUD_SDK_METADATA_ENDPOINT`, else `http://169.254.169.254`.
    pub fn from_ecs_metadata() -> Self {
        Self::provider(EcsMetadata::from_env(process_env))
    }

    /// OIDC STS as the `HUAWEICLOUD_OIDC_*` variables configure it.
    pub fn from_oidc_sts() -> Result<Self, CredentialsError> {
        OidcSts::from_env(process_env)?
            .map(Self::provider)
            .ok_or_else(|| not_set("oidc sts", &[ENV_OIDC_PROVIDER_URN, ENV_OIDC_AGENCY_URN]))
    }

    /// CCE pod identity as `HC_CONTAINER_CREDENTIALS_FULL_URI` and
    /// `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE` configure it.
    pub fn from_cce_pod() -> Result<Self, CredentialsError> {
        CcePod::from_env(process_env)?
            .map(Self::provider)
            .ok_or_else(|| {
                not_set(
                    "cce pod identity",
                    &[ENV_POD_CREDENTIALS_URI, ENV_POD_TOKEN_FILE],
                )
            })
    }

    /// Federated identity as `HUAWEICLOUD_SDK_IDP_ID` and `HUAWEICLOUD_SDK_ID_TOKEN_FILE`
    /// configure it, at `HUAWEICLOUD_SDK_IAM_ENDPOINT` or the global IAM endpoint.
    pub fn from_federated_env() -> Result<Self, CredentialsError> {
        let get = |name: &str| non_empty(process_env(name));
        Federated::from_env(&get, federated_iam_endpoint(&get, None))?
            .map(Self::provider)
            .ok_or_else(|| not_set("federated identity", &[ENV_IDP_ID, ENV_ID_TOKEN_FILE]))
    }

    /// Runs the default chain with the process environment, see
    /// [`ResolvedCredentials::default_chain`].
    pub fn from_env() -> Result<ResolvedCredentials, CredentialsError> {
        ResolvedCredentials::default_chain()
    }

    /// Runs the chain without explicit credentials on the given environment and home directory.
    pub fn from_env_with(
        env: impl Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<ResolvedCredentials, CredentialsError> {
        ResolvedCredentials::resolve(None, env, home)
    }
}

/// Where the credentials were found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// Given by the caller.
    Explicit,
    /// Environment variables.
    Environment,
    /// The profile file at this path.
    ProfileFile(PathBuf),
    /// Federated identity configured by the environment.
    FederatedEnvironment,
    /// Federated identity configured by the profile file at this path.
    FederatedProfileFile(PathBuf),
    /// OIDC STS, configured by the environment.
    OidcSts,
    /// CCE pod identity.
    CcePod,
    /// The ECS metadata service.
    EcsMetadata,
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Explicit => f.write_str("explicit settings"),
            Self::Environment => f.write_str("the environment"),
            Self::ProfileFile(path) => write!(f, "profile file {}", path.display()),
            Self::FederatedEnvironment => f.write_str("federated identity (the environment)"),
            Self::FederatedProfileFile(path) => {
                write!(f, "federated identity (profile file {})", path.display())
            }
            Self::OidcSts => f.write_str("oidc sts"),
            Self::CcePod => f.write_str("cce pod identity"),
            Self::EcsMetadata => f.write_str("ecs metadata"),
        }
    }
}

/// Credentials found by the chain, with the project id that came along and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// `HUAWEICLOUD_SDK_PROJECT_ID` if set, else the profile file's `project_id` when the
    /// credentials came from that file. A project id set on the client wins over both.
    pub project_id: Option<String>,
    /// Where the credentials were found.
    pub source: CredentialSource,
    /// The profile file's `iam_endpoint` when the credentials came from that file (where the
    /// project id is looked up when none is set).
    pub iam_endpoint: Option<String>,
}

impl ResolvedCredentials {
    /// The default chain on the process environment, the home directory taken from `HOME`
    /// (`USERPROFILE` on Windows).
    pub fn default_chain() -> Result<Self, CredentialsError> {
        let home = process_env("HOME")
            .or_else(|| process_env("USERPROFILE"))
            .map(PathBuf::from);
        Self::resolve(None, process_env, home.as_deref())
    }

    /// The chain: `explicit` credentials if given, else OIDC STS (`HUAWEICLOUD_OIDC_*`), else
    /// the environment (federated identity, then AK/SK), else the profile file
    /// (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`, or `.huaweicloud/credentials` under `home`; federated
    /// identity, then AK/SK), else CCE pod identity, else ECS metadata, which is tried at the
    /// first call and, when absent there, fails it with every source looked at.
    ///
    /// Empty or blank values count as unset; values are trimmed. A source that is half set or
    /// unusable is an error rather than a reason to look further, so a typo is not papered over
    /// by other credentials.
    pub fn resolve(
        explicit: Option<Credentials>,
        env: impl Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<Self, CredentialsError> {
        let get = |name: &str| non_empty(env(name));
        let env_project_id = get(ENV_PROJECT_ID);
        let found = |credentials, source, project_id, iam_endpoint| Self {
            credentials,
            project_id,
            source,
            iam_endpoint,
        };
        if let Some(credentials) = explicit {
            return Ok(found(
                credentials,
                CredentialSource::Explicit,
                env_project_id,
                None,
            ));
        }
        if let Some(oidc) = OidcSts::from_env(&env)? {
            let credentials = Credentials::provider(oidc);
            return Ok(found(
                credentials,
                CredentialSource::OidcSts,
                env_project_id,
                None,
            ));
        }
        if let Some(federated) = Federated::from_env(&get, federated_iam_endpoint(&get, None))? {
            let credentials = Credentials::provider(federated);
            let source = CredentialSource::FederatedEnvironment;
            return Ok(found(credentials, source, env_project_id, None));
        }
        if let Some(credentials) = credentials_from_env(&get)? {
            let source = CredentialSource::Environment;
            return Ok(found(credentials, source, env_project_id, None));
        }
        let (path, named_by_env) = match get(ENV_CREDENTIALS_FILE) {
            Some(path) => (Some(PathBuf::from(path)), true),
            None => (home.map(|home| home.join(DEFAULT_PROFILE_FILE)), false),
        };
        let profile_looked = match &path {
            Some(path) => match read_profile(path, named_by_env)? {
                ProfileRead::Found(profile) => {
                    let project_id = env_project_id.or(profile.project_id);
                    let iam = profile.iam_endpoint;
                    return Ok(match profile.federated {
                        Some((idp_id, file)) => {
                            let endpoint = federated_iam_endpoint(&get, iam.as_deref());
                            let federated = Federated::new(idp_id, file, "id_token_file", endpoint);
                            let source = CredentialSource::FederatedProfileFile(path.clone());
                            found(Credentials::provider(federated), source, project_id, iam)
                        }
                        None => {
                            let source = CredentialSource::ProfileFile(path.clone());
                            found(profile.credentials, source, project_id, iam)
                        }
                    });
                }
                ProfileRead::Absent => format!("profile file {} (does not exist)", path.display()),
                ProfileRead::Empty => format!(
                    "profile file {} (no ak and sk, nor idp_id and id_token_file, in section [{PROFILE_SECTION}] or [{PROFILE_SECTION_OFFICIAL}])",
                    path.display()
                ),
            },
            None => format!(
                "profile file ~/{DEFAULT_PROFILE_FILE} (no home directory known, {ENV_CREDENTIALS_FILE} not set)"
            ),
        };
        if let Some(pod) = CcePod::from_env(&env)? {
            let credentials = Credentials::provider(pod);
            return Ok(found(
                credentials,
                CredentialSource::CcePod,
                env_project_id,
                None,
            ));
        }
        let looked = vec![
            "explicit settings (none given)".to_owned(),
            format!("oidc sts ({ENV_OIDC_PROVIDER_URN} and {ENV_OIDC_AGENCY_URN} not set)"),
            format!("federated identity ({ENV_IDP_ID} and {ENV_ID_TOKEN_FILE} not set)"),
            format!("environment variables {ENV_AK} and {ENV_SK}"),
            format!("environment variables {ENV_SAMPLE_AK} and {ENV_SAMPLE_SK}"),
            profile_looked,
            format!(
                "cce pod identity ({ENV_POD_CREDENTIALS_URI} and {ENV_POD_TOKEN_FILE} not set)"
            ),
        ];
        let metadata = EcsMetadata::from_env(&env).ending_chain(looked);
        Ok(found(
            Credentials::provider(metadata),
            CredentialSource::EcsMetadata,
            env_project_id,
            None,
        ))
    }
}

/// Where federated identity exchanges its token: the profile file's `iam_endpoint`, else
/// `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else the global IAM endpoint.
fn federated_iam_endpoint(get: &impl Fn(&str) -> Option<String>, profile: Option<&str>) -> String {
    profile
        .map(str::to_owned)
        .or_else(|| get(crate::iam::ENV_IAM_ENDPOINT))
        .unwrap_or_else(|| crate::iam::DEFAULT_IAM_ENDPOINT.to_owned())
}

/// A URL with `https://` when it has no scheme, without a trailing `/`.
fn with_scheme(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    if url.contains("://") {
        url.to_owned()
    } else {
        format!("https://{url}")
    }
}

fn not_set(provider: &str, variables: &[&str]) -> CredentialsError {
    CredentialsError::BadSetting {
        provider: provider.to_owned(),
        variable: variables.join(" and "),
        message: "not set".to_owned(),
    }
}

/// Reads a variable of the process environment (unset or not Unicode: `None`).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

fn credentials_from_env(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let token = get(ENV_SECURITY_TOKEN);
    // The two naming schemes are never mixed: an AK of one with the SK of the other is more
    // likely a leftover than a pair.
    for (ak_name, sk_name) in [(ENV_AK, ENV_SK), (ENV_SAMPLE_AK, ENV_SAMPLE_SK)] {
        let missing = match (get(ak_name), get(sk_name)) {
            (Some(access_key), Some(secret_key)) => {
                return Ok(Some(Credentials::AkSk {
                    access_key,
                    secret_key: Secret::new(secret_key),
                    security_token: token.map(Secret::new),
                }));
            }
            (Some(_), None) => (ak_name, sk_name),
            (None, Some(_)) => (sk_name, ak_name),
            (None, None) => continue,
        };
        return Err(CredentialsError::Incomplete {
            place: "the environment".to_owned(),
            set: vec![missing.0.to_owned()],
            missing: vec![missing.1.to_owned()],
        });
    }
    match token {
        Some(_) => Err(CredentialsError::Incomplete {
            place: "the environment".to_owned(),
            set: vec![ENV_SECURITY_TOKEN.to_owned()],
            missing: vec![ENV_AK.to_owned(), ENV_SK.to_owned()],
        }),
        None => Ok(None),
    }
}

/// Why no usable credentials were found. Messages name variables, keys and files, never values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Part of a credential set is present in one place, part is missing.
    #[error(
        "incomplete credentials in {place}: {} set but {} missing",
        names(set),
        names(missing)
    )]
    Incomplete {
        /// Where: `the environment` or `profile file <path>, section [basic]`.
        place: String,
        /// The variables or keys that are set.
        set: Vec<String>,
        /// The variables or keys that are missing.
        missing: Vec<String>,
    },
    /// No credentials anywhere.
    #[error("no credentials found; looked in: {}", looked.join("; "))]
    NotFound {
        /// Every place looked, with what was found there.
        looked: Vec<String>,
    },
    /// The profile file exists (or was named) but could not be read; the I/O error is the
    /// [`source`](std::error::Error::source).
    #[error("could not read credentials file {}", path.display())]
    ReadProfile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A source's variable, profile key or token file is unusable; names the source and it.
    #[error("credential source {provider}: {variable} {message}")]
    BadSetting {
        /// The source (`oidc sts`, `cce pod identity`, ...).
        provider: String,
        /// The environment variable or profile key.
        variable: String,
        /// What is wrong with it.
        message: String,
    },
    /// A source's endpoint could not be reached, or answered an error; names the endpoint, the
    /// status and an excerpt of the body (secret-looking values masked).
    #[error("credential source {provider}: {endpoint} {message}")]
    Fetch {
        /// The source.
        provider: String,
        /// The URL asked.
        endpoint: String,
        /// The status of the answer, if one came.
        status: Option<u16>,
        /// What happened.
        message: String,
    },
    /// A source answered with something that is not credentials; names the field.
    #[error(
        "credential source {provider}: the answer of {endpoint}: {}{message}",
        field.as_ref().map(|field| format!("field `{field}` ")).unwrap_or_default()
    )]
    BadAnswer {
        /// The source.
        provider: String,
        /// The URL asked.
        endpoint: String,
        /// The field at fault, if it is one.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The credentials fetched expired and the source could not give new ones; the last
    /// failure is the [`source`](std::error::Error::source).
    #[error("credentials from {provider} expired and could not be refreshed")]
    Expired {
        /// The source.
        provider: String,
        /// The last failure.
        #[source]
        last: Arc<CredentialsError>,
    },
    /// The failure of a fetch shared by every call that waited for it.
    #[error(transparent)]
    Shared(Arc<CredentialsError>),
    /// A line of the profile file is neither a section, a `key = value` pair nor a comment.
    #[error("credentials file {}, line {line}: expected `[section]`, `key = value` or a comment", path.display())]
    ParseProfile {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
    },
}

fn names(names: &[String]) -> String {
    let verb = if names.len() == 1 { "is" } else { "are" };
    format!("{} {verb}", names.join(" and "))
}

/// An environment over fixed pairs, for tests that must not touch the process environment.
#[cfg(test)]
pub(crate) fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod source_tests;

#[cfg(test)]
mod cache_tests;
