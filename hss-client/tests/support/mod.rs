//! What the HSS end-to-end tests share: the loopback test server of `huaweicloud-test-server`,
//! a client for it, and the seed operation's call.

#![allow(dead_code)] // Each test file uses a different part of the support code.

use std::time::Duration;

pub use huaweicloud_test_server::*;

/// A client for `url` isolated from the process environment, with test-sized timeouts and a
/// retry backoff of a few milliseconds.
pub fn client(url: &str, credentials: hss_client::Credentials) -> hss_client::ClientBuilder {
    hss_client::Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint(url)
        .credentials(credentials)
        .project_id("project-1")
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_millis(200))
        .retry_policy(
            hss_client::RetryPolicy::default()
                .backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
}

/// Calls RunImageSynchronize with the private image type.
#[allow(deprecated)] // Deprecated upstream; still the operation under test.
pub async fn synchronize(
    client: &hss_client::Client,
) -> Result<
    hss_client::ApiResponse<hss_client::models::RunImageSynchronizeResponse>,
    hss_client::Error,
> {
    use hss_client::models::{ImageType, RunImageSynchronizeRequestInfo};
    client
        .run_image_synchronize(RunImageSynchronizeRequestInfo::new(ImageType::PrivateImage))
        .send()
        .await
}

/// The error of a call that must fail.
pub fn expect_error<T: std::fmt::Debug>(result: Result<T, hss_client::Error>) -> hss_client::Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error,
    }
}

/// An environment of these variables alone (and a `HOME` with no profile file), as the examples'
/// `run` functions take it.
pub fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let mut map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    map.insert("HOME".into(), "/nonexistent-home-for-tests".into());
    move |name| map.get(name).cloned()
}

/// Command-line arguments, as the examples' `run` functions take them.
pub fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|arg| (*arg).to_owned()).collect()
}
