//! CCE pod identity: `POST <HC_CONTAINER_CREDENTIALS_FULL_URI>` with the content of
//! `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again each time) as `Authorization`, body `{}`.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::Method;

use super::CredentialsError;
use super::answer::read_credentials;
use super::fetch::{Exchange, read_token_file, status_error};
use super::provider::{FetchContext, FetchedCredentials, ProvideCredentials, ProvideFuture};

/// The URL the pod's credentials come from.
pub const ENV_POD_CREDENTIALS_URI: &str = "HC_CONTAINER_CREDENTIALS_FULL_URI";
/// The file holding the pod's authorization token.
pub const ENV_POD_TOKEN_FILE: &str = "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE";

const NAME: &str = "cce pod identity";
const TIMEOUT: Duration = Duration::from_secs(5);

/// The CCE pod-identity source.
#[derive(Debug, Clone)]
pub struct CcePod {
    uri: String,
    token_file: PathBuf,
}

impl CcePod {
    /// The source at `uri` with the token in `token_file`.
    pub fn new(uri: impl Into<String>, token_file: impl Into<PathBuf>) -> Self {
        Self {
            uri: uri.into(),
            token_file: token_file.into(),
        }
    }

    /// The source the environment configures: `None` when neither variable is set, an error
    /// naming the missing one when only one is.
    pub fn from_env(
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, CredentialsError> {
        let get = |name: &str| super::non_empty(env(name));
        match (get(ENV_POD_CREDENTIALS_URI), get(ENV_POD_TOKEN_FILE)) {
            (Some(uri), Some(file)) => Ok(Some(Self::new(uri, file))),
            (None, None) => Ok(None),
            (uri, _) => {
                let (set, missing) = if uri.is_some() {
                    (ENV_POD_CREDENTIALS_URI, ENV_POD_TOKEN_FILE)
                } else {
                    (ENV_POD_TOKEN_FILE, ENV_POD_CREDENTIALS_URI)
                };
                Err(CredentialsError::Incomplete {
                    place: "the environment (cce pod identity)".to_owned(),
                    set: vec![set.to_owned()],
                    missing: vec![missing.to_owned()],
                })
            }
        }
    }

    async fn fetch(
        &self,
        context: FetchContext<'_>,
    ) -> Result<FetchedCredentials, CredentialsError> {
        let token = read_token_file(NAME, ENV_POD_TOKEN_FILE, &self.token_file)?;
        let received = Exchange {
            provider: NAME,
            method: Method::POST,
            url: &self.uri,
            headers: vec![
                ("Authorization".to_owned(), token),
                ("Content-Type".to_owned(), "application/json".to_owned()),
            ],
            body: Bytes::from_static(b"{}"),
            connect_timeout: TIMEOUT,
            read_timeout: TIMEOUT,
        }
        .send(context)
        .await
        .map_err(|failure| failure.into_error(NAME, &self.uri))?;
        if !received.status.is_success() {
            return Err(status_error(NAME, &self.uri, &received));
        }
        read_credentials(NAME, &self.uri, &received.body)
    }
}

impl ProvideCredentials for CcePod {
    fn name(&self) -> &str {
        NAME
    }

    fn provide<'a>(&'a self, context: FetchContext<'a>) -> ProvideFuture<'a> {
        Box::pin(self.fetch(context))
    }
}
