//! OIDC STS: an OIDC id token exchanged for temporary AK/SK at STS
//! (`POST {sts}/v5/agencies/assume-with-oidc`, unsigned), configured by the
//! `HUAWEICLOUD_OIDC_*` variables.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use serde_json::json;

use super::answer::read_credentials;
use super::fetch::{Exchange, read_token_file, status_error};
use super::provider::{FetchContext, ProvideCredentials, ProvideFuture};
use super::{CredentialsError, Secret};

/// The identity provider's URN (required).
pub const ENV_OIDC_PROVIDER_URN: &str = "HUAWEICLOUD_OIDC_PROVIDER_URN";
/// The agency's URN (required).
pub const ENV_OIDC_AGENCY_URN: &str = "HUAWEICLOUD_OIDC_AGENCY_URN";
/// The id token itself.
pub const ENV_OIDC_ID_TOKEN: &str = "HUAWEICLOUD_OIDC_ID_TOKEN";
/// A file holding the id token, read again at every refresh.
pub const ENV_OIDC_TOKEN_FILE: &str = "HUAWEICLOUD_OIDC_TOKEN_FILE";
/// The session name (default `oidc-sts-session`).
pub const ENV_OIDC_SESSION_NAME: &str = "HUAWEICLOUD_OIDC_SESSION_NAME";
/// The lifetime asked for, in seconds (default 3600).
pub const ENV_OIDC_DURATION_SECONDS: &str = "HUAWEICLOUD_OIDC_DURATION_SECONDS";
/// A policy document restricting the session.
pub const ENV_OIDC_POLICY: &str = "HUAWEICLOUD_OIDC_POLICY";
/// Policy ids restricting the session, comma-separated.
pub const ENV_OIDC_POLICY_IDS: &str = "HUAWEICLOUD_OIDC_POLICY_IDS";
/// The STS endpoint, as the official SDKs read it.
pub const ENV_STS_ENDPOINT: &str = "HUAWEICLOUD_SDK_STS_ENDPOINT";
/// The STS endpoint when [`ENV_STS_ENDPOINT`] is not set.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.cn-north-4.myhuaweicloud.com";
/// The path of the exchange.
pub const ASSUME_WITH_OIDC_PATH: &str = "/v5/agencies/assume-with-oidc";

const NAME: &str = "oidc sts";
const DEFAULT_SESSION_NAME: &str = "oidc-sts-session";
const DEFAULT_DURATION_SECONDS: u64 = 3600;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
enum IdToken {
    Inline(Secret),
    File(PathBuf),
}

/// The OIDC STS source.
#[derive(Debug, Clone)]
pub struct OidcSts {
    provider_urn: String,
    agency_urn: String,
    id_token: IdToken,
    session_name: String,
    duration_seconds: u64,
    policy: Option<String>,
    policy_ids: Option<Vec<String>>,
    sts_endpoint: String,
}

const VARIABLES: [&str; 8] = [
    ENV_OIDC_PROVIDER_URN,
    ENV_OIDC_AGENCY_URN,
    ENV_OIDC_ID_TOKEN,
    ENV_OIDC_TOKEN_FILE,
    ENV_OIDC_SESSION_NAME,
    ENV_OIDC_DURATION_SECONDS,
    ENV_OIDC_POLICY,
    ENV_OIDC_POLICY_IDS,
];

impl OidcSts {
    /// The source as the variables configure it; `None` when no `HUAWEICLOUD_OIDC_*` variable
    /// is set. Half-set (a URN or the token missing) or a bad duration is an error naming it.
    pub fn from_env(
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, CredentialsError> {
        let get = |name: &str| super::non_empty(env(name));
        let set: Vec<String> = VARIABLES
            .iter()
            .filter(|name| get(name).is_some())
            .map(|name| (*name).to_owned())
            .collect();
        if set.is_empty() {
            return Ok(None);
        }
        let mut missing = Vec::new();
        for name in [ENV_OIDC_PROVIDER_URN, ENV_OIDC_AGENCY_URN] {
            if get(name).is_none() {
                missing.push(name.to_owned());
            }
        }
        let id_token = match (get(ENV_OIDC_ID_TOKEN), get(ENV_OIDC_TOKEN_FILE)) {
            (Some(token), _) => Some(IdToken::Inline(Secret::new(token))),
            (None, Some(path)) => Some(IdToken::File(PathBuf::from(path))),
            (None, None) => {
                missing.push(format!("{ENV_OIDC_ID_TOKEN} (or {ENV_OIDC_TOKEN_FILE})"));
                None
            }
        };
        if !missing.is_empty() {
            return Err(CredentialsError::Incomplete {
                place: "the environment (oidc sts)".to_owned(),
                set,
                missing,
            });
        }
        let duration_seconds = match get(ENV_OIDC_DURATION_SECONDS) {
            None => DEFAULT_DURATION_SECONDS,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|seconds| *seconds > 0)
                .ok_or_else(|| CredentialsError::BadSetting {
                    provider: NAME.to_owned(),
                    variable: ENV_OIDC_DURATION_SECONDS.to_owned(),
                    message: "is not a positive whole number of seconds".to_owned(),
                })?,
        };
        let policy_ids = get(ENV_OIDC_POLICY_IDS).map(|ids| {
            ids.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        });
        Ok(Some(Self {
            provider_urn: get(ENV_OIDC_PROVIDER_URN).unwrap_or_default(),
            agency_urn: get(ENV_OIDC_AGENCY_URN).unwrap_or_default(),
            id_token: id_token.unwrap_or(IdToken::Inline(Secret::new(""))),
            session_name: get(ENV_OIDC_SESSION_NAME)
                .unwrap_or_else(|| DEFAULT_SESSION_NAME.to_owned()),
            duration_seconds,
            policy: get(ENV_OIDC_POLICY),
            policy_ids: policy_ids.filter(|ids| !ids.is_empty()),
            sts_endpoint: get(ENV_STS_ENDPOINT).unwrap_or_else(|| DEFAULT_STS_ENDPOINT.to_owned()),
        }))
    }

    async fn fetch(
        &self,
        context: FetchContext<'_>,
    ) -> Result<super::FetchedCredentials, CredentialsError> {
        let id_token = match &self.id_token {
            IdToken::Inline(token) => token.expose().to_owned(),
            IdToken::File(path) => read_token_file(NAME, ENV_OIDC_TOKEN_FILE, path)?,
        };
        let mut body = json!({
            "provider_urn": self.provider_urn,
            "agency_urn": self.agency_urn,
            "agency_session_name": self.session_name,
            "id_token": id_token,
            "duration_seconds": self.duration_seconds,
        });
        if let Some(policy) = &self.policy {
            body["policy"] = json!(policy);
        }
        if let Some(ids) = &self.policy_ids {
            body["policy_ids"] = json!(ids);
        }
        let url = format!(
            "{}{ASSUME_WITH_OIDC_PATH}",
            super::with_scheme(&self.sts_endpoint)
        );
        let received = Exchange {
            provider: NAME,
            method: Method::POST,
            url: &url,
            headers: vec![(
                "Content-Type".to_owned(),
                "application/json;charset=UTF-8".to_owned(),
            )],
            body: Bytes::from(body.to_string()),
            connect_timeout: TIMEOUT,
            read_timeout: TIMEOUT,
        }
        .send(context)
        .await
        .map_err(|failure| failure.into_error(NAME, &url))?;
        if !received.status.is_success() {
            return Err(status_error(NAME, &url, &received));
        }
        read_credentials(NAME, &url, &received.body)
    }
}

impl ProvideCredentials for OidcSts {
    fn name(&self) -> &str {
        NAME
    }

    fn provide<'a>(&'a self, context: FetchContext<'a>) -> ProvideFuture<'a> {
        Box::pin(self.fetch(context))
    }
}
