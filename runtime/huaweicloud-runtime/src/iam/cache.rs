//! The process-wide cache of project ids found through IAM, keyed by (access key, region) and
//! shared by every client, as the official SDKs keep theirs; one lookup in flight per key,
//! whatever the number of callers. A client whose credentials come from a provider keeps its
//! own (each refresh brings a new access key, which would look the id up again and grow the
//! map at every refresh).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use tokio::sync::OnceCell;

use super::{ProjectIdError, lookup};
use crate::credentials::Credentials;
use crate::error::{ConfigError, Error};
use crate::retry::jitter::JitterSource;
use crate::settings::Config;
use crate::transport::HttpSend;

type Key = (String, String);

/// One cell per key: `OnceCell` lets one caller run the lookup while the others wait for it,
/// and stays empty when the lookup fails, so that a later call asks again (a failure is never
/// cached; callers already waiting try in turn).
static CACHE: LazyLock<Mutex<HashMap<Key, Arc<OnceCell<String>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn cell(key: Key) -> Arc<OnceCell<String>> {
    // The map is only read and inserted into; a panic elsewhere cannot leave it half-changed.
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(cache.entry(key).or_default())
}

/// The project id of the client's region for its access key: from the cache, else from IAM.
pub(crate) async fn project_id(
    config: &Config,
    sender: &dyn HttpSend,
    jitter: &JitterSource,
) -> Result<String, Error> {
    let region = config.region_id.as_deref().unwrap_or_default();
    // Fetched (and refreshed) by the caller just before: the lookup signs with this key.
    let credentials = config.credentials.current();
    let access_key = match credentials.as_deref() {
        Some(Credentials::AkSk { access_key, .. }) => access_key,
        _ => {
            return Err(ConfigError::ProjectId(ProjectIdError::TokenCredentials {
                region: region.to_owned(),
            })
            .into());
        }
    };
    let Some(iam) = &config.iam_endpoint else {
        return Err(Error::invalid_argument(
            "project_id",
            "is not set, and the client has no region to find it from",
        ));
    };
    let cell = match config.credentials.project_id_cell() {
        Some(own) => own,
        None => cell((access_key.clone(), region.to_owned())),
    };
    let id = cell
        .get_or_try_init(|| lookup::find_project_id(config, iam, region, sender, jitter))
        .await?;
    Ok(id.clone())
}
