//! Federated identity: an OIDC id token in a file exchanged at IAM for an unscoped token
//! (`POST {iam}/v3.0/OS-AUTH/id-token/tokens`, header `X-Idp-Id`), then for temporary AK/SK
//! (`POST {iam}/v3.0/OS-CREDENTIAL/securitytokens`); both unsigned. Configured by
//! `HUAWEICLOUD_SDK_IDP_ID` + `HUAWEICLOUD_SDK_ID_TOKEN_FILE`, or the profile file's `idp_id` +
//! `id_token_file`; the file is read again at every refresh.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use serde_json::json;

use super::CredentialsError;
use super::answer::read_credentials;
use super::fetch::{Exchange, read_token_file, status_error};
use super::provider::{FetchContext, FetchedCredentials, ProvideCredentials, ProvideFuture};

/// The identity provider's id.
pub const ENV_IDP_ID: &str = "HUAWEICLOUD_SDK_IDP_ID";
/// The file holding the id token.
pub const ENV_ID_TOKEN_FILE: &str = "HUAWEICLOUD_SDK_ID_TOKEN_FILE";
/// The path of the first exchange (id token to unscoped token).
pub const ID_TOKEN_PATH: &str = "/v3.0/OS-AUTH/id-token/tokens";
/// The path of the second exchange (token to temporary AK/SK).
pub const SECURITY_TOKENS_PATH: &str = "/v3.0/OS-CREDENTIAL/securitytokens";
/// The lifetime asked for the temporary AK/SK, in seconds.
pub const DURATION_SECONDS: u64 = 21_600;

const NAME: &str = "federated identity";
const TIMEOUT: Duration = Duration::from_secs(10);
const SUBJECT_TOKEN: &str = "X-Subject-Token";

/// The federated-identity source.
#[derive(Debug, Clone)]
pub struct Federated {
    idp_id: String,
    id_token_file: PathBuf,
    /// The variable or profile key that named the file, for errors.
    file_setting: String,
    iam_endpoint: String,
}

impl Federated {
    /// The source for `idp_id` and the id token in `id_token_file` (named by `file_setting`), at
    /// the IAM endpoint `iam_endpoint`.
    pub fn new(
        idp_id: impl Into<String>,
        id_token_file: impl Into<PathBuf>,
        file_setting: impl Into<String>,
        iam_endpoint: impl Into<String>,
    ) -> Self {
        Self {
            idp_id: idp_id.into(),
            id_token_file: id_token_file.into(),
            file_setting: file_setting.into(),
            iam_endpoint: iam_endpoint.into(),
        }
    }

    /// The source the environment configures: `None` when neither variable is set, an error
    /// naming the missing one when only one is.
    pub(crate) fn from_env(
        get: &impl Fn(&str) -> Option<String>,
        iam_endpoint: String,
    ) -> Result<Option<Self>, CredentialsError> {
        match (get(ENV_IDP_ID), get(ENV_ID_TOKEN_FILE)) {
            (Some(idp), Some(file)) => {
                Ok(Some(Self::new(idp, file, ENV_ID_TOKEN_FILE, iam_endpoint)))
            }
            (None, None) => Ok(None),
            (set, _) => {
                let (set, missing) = if set.is_some() {
                    (ENV_IDP_ID, ENV_ID_TOKEN_FILE)
                } else {
                    (ENV_ID_TOKEN_FILE, ENV_IDP_ID)
                };
                Err(CredentialsError::Incomplete {
                    place: "the environment (federated identity)".to_owned(),
                    set: vec![set.to_owned()],
                    missing: vec![missing.to_owned()],
                })
            }
        }
    }

    async fn post(
        &self,
        context: FetchContext<'_>,
        url: &str,
        extra: Option<(&str, &str)>,
        body: serde_json::Value,
    ) -> Result<crate::transport::Received, CredentialsError> {
        let mut headers = vec![(
            "Content-Type".to_owned(),
            "application/json;charset=UTF-8".to_owned(),
        )];
        if let Some((name, value)) = extra {
            headers.insert(0, (name.to_owned(), value.to_owned()));
        }
        let received = Exchange {
            provider: NAME,
            method: Method::POST,
            url,
            headers,
            body: Bytes::from(body.to_string()),
            connect_timeout: TIMEOUT,
            read_timeout: TIMEOUT,
        }
        .send(context)
        .await
        .map_err(|failure| failure.into_error(NAME, url))?;
        if !received.status.is_success() {
            return Err(status_error(NAME, url, &received));
        }
        Ok(received)
    }

    async fn fetch(
        &self,
        context: FetchContext<'_>,
    ) -> Result<FetchedCredentials, CredentialsError> {
        let id_token = read_token_file(NAME, &self.file_setting, &self.id_token_file)?;
        let base = super::with_scheme(&self.iam_endpoint);
        let url = format!("{base}{ID_TOKEN_PATH}");
        let body = json!({"auth": {"id_token": {"id": id_token}}});
        let received = self
            .post(context, &url, Some(("X-Idp-Id", &self.idp_id)), body)
            .await?;
        let token = received
            .headers
            .get(SUBJECT_TOKEN)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| CredentialsError::BadAnswer {
                provider: NAME.to_owned(),
                endpoint: url.clone(),
                field: Some(SUBJECT_TOKEN.to_owned()),
                message: "is missing".to_owned(),
            })?
            .to_owned();
        let url = format!("{base}{SECURITY_TOKENS_PATH}");
        let body = json!({"auth": {"identity": {"methods": ["token"],
            "token": {"id": token, "duration_seconds": DURATION_SECONDS}}}});
        let received = self.post(context, &url, None, body).await?;
        read_credentials(NAME, &url, &received.body)
    }
}

impl ProvideCredentials for Federated {
    fn name(&self) -> &str {
        NAME
    }

    fn provide<'a>(&'a self, context: FetchContext<'a>) -> ProvideFuture<'a> {
        Box::pin(self.fetch(context))
    }
}
