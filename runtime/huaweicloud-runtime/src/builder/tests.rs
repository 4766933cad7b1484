//! What `build()` resolves and what it refuses.

use std::collections::HashMap;

use super::*;
use crate::Client;
use crate::credentials::CredentialSource;
use crate::error::ErrorKind;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

/// A builder isolated from the process environment and the real home directory.
fn isolated(pairs: &[(&str, &str)]) -> ClientBuilder {
    Client::builder()
        .env_lookup(env(pairs))
        .home_dir("/nonexistent-home-for-tests")
}

/// A service of the tests' own: the builder takes any service's facts as data.
static SERVICE: ServiceInfo = ServiceInfo::new(
    "SVC",
    "svc-rust/1.0",
    &[Region::new("xx-1", "https://svc.xx-1.example.com")],
);

#[test]
fn the_service_gives_the_regions_and_the_user_agent() {
    let client = ClientBuilder::<Client>::for_service(&SERVICE)
        .env_lookup(env(&[]))
        .home_dir("/nonexistent-home-for-tests")
        .credentials(Credentials::permanent("A", "S"))
        .region_id("xx-1")
        .build()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        client.endpoint().to_string(),
        "https://svc.xx-1.example.com"
    );
    assert_eq!(client.user_agent(), "svc-rust/1.0");
    let error = build_error(
        ClientBuilder::<Client>::for_service(&SERVICE)
            .env_lookup(env(&[]))
            .credentials(Credentials::permanent("A", "S"))
            .region_id("cn-north-4"),
    );
    assert!(
        error
            .to_string()
            .contains("HUAWEICLOUD_SDK_REGION_SVC_CN_NORTH_4); known regions: xx-1"),
        "{error}"
    );
}

fn build_error(builder: ClientBuilder) -> Error {
    match builder.build() {
        Ok(client) => panic!("expected an error, built {client:?}"),
        Err(error) => error,
    }
}

#[test]
fn credentials_and_project_id_come_from_the_chain_unless_set() {
    let from_env = [
        ("HUAWEICLOUD_SDK_AK", "ENVAK"),
        ("HUAWEICLOUD_SDK_SK", "ENVSK"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ];
    // (builder, expected project id, expected source)
    let cases = [
        (
            isolated(&from_env).endpoint("http://127.0.0.1:1"),
            Some("env-project"),
            CredentialSource::Environment,
        ),
        (
            isolated(&from_env)
                .endpoint("http://127.0.0.1:1")
                .project_id("mine"),
            Some("mine"),
            CredentialSource::Environment,
        ),
        (
            isolated(&[])
                .endpoint("http://127.0.0.1:1")
                .credentials(Credentials::permanent("A", "S")),
            None,
            CredentialSource::Explicit,
        ),
    ];
    for (builder, project_id, source) in cases {
        let client = builder.build().unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(client.project_id(), project_id);
        assert_eq!(client.credential_source(), &source);
    }
}

#[test]
fn missing_credentials_name_what_is_missing() {
    let error =
        build_error(isolated(&[("HUAWEICLOUD_SDK_AK", "AK")]).endpoint("http://127.0.0.1:1"));
    assert_eq!(error.kind(), ErrorKind::InvalidConfig);
    let text = error.to_string();
    assert!(
        text.starts_with("incomplete credentials in the environment: "),
        "{text}"
    );
    assert!(text.contains("HUAWEICLOUD_SDK_SK"), "{text}");
}

#[test]
fn region_endpoint_and_overrides() {
    let creds = || Credentials::permanent("A", "S");
    let cases = [
        (
            isolated(&[]).region(Region::CN_NORTH_4),
            "https://hss.cn-north-4.myhuaweicloud.com",
        ),
        (
            isolated(&[]).region_id("eu-west-101"),
            "https://hss.eu-west-101.myhuaweicloud.eu",
        ),
        (
            isolated(&[("HUAWEICLOUD_SDK_REGION_HSS_XX_TEST_1", "http://10.0.0.1:81")])
                .region_id("xx-test-1"),
            "http://10.0.0.1:81",
        ),
        (
            isolated(&[])
                .region(Region::CN_NORTH_4)
                .endpoint("http://127.0.0.1:9"),
            "http://127.0.0.1:9",
        ),
    ];
    for (builder, expected) in cases {
        let client = builder
            .credentials(creds())
            .build()
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(client.endpoint().to_string(), expected);
    }
    let unknown = build_error(isolated(&[]).credentials(creds()).region_id("xx-nowhere-1"));
    assert_eq!(unknown.kind(), ErrorKind::InvalidConfig);
    assert!(unknown.to_string().contains("cn-north-4"), "{unknown}");
}

#[test]
fn invalid_settings_are_named() {
    let base = || {
        isolated(&[])
            .credentials(Credentials::permanent("A", "S"))
            .endpoint("http://127.0.0.1:1")
    };
    let cases = [
        (
            base().proxy("http://user:pa ss@bad host"),
            "invalid proxy: is not a valid proxy URL",
        ),
        (
            base().add_ca_certificates_pem("no pem here"),
            "invalid ca_certificates: the PEM text holds no certificate",
        ),
        (
            base().user_agent_suffix("bad\nsuffix"),
            "invalid user_agent_suffix: must be visible ASCII text",
        ),
        (base().project_id(" "), "invalid project_id: is empty"),
    ];
    for (builder, expected) in cases {
        let error = build_error(builder);
        assert_eq!(error.kind(), ErrorKind::InvalidConfig);
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn user_agent_is_the_product_token_and_the_suffix() {
    let base = || {
        isolated(&[])
            .credentials(Credentials::permanent("A", "S"))
            .endpoint("http://127.0.0.1:1")
    };
    // The product token is the service's (from spec/hss.yaml's `x-huaweicloud-service`).
    let product = concat!("hss-client-rust/", env!("CARGO_PKG_VERSION"));
    let plain = base().build().unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(plain.user_agent(), product);
    let suffixed = base()
        .user_agent_suffix("my-app/2.0")
        .build()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(suffixed.user_agent(), format!("{product} my-app/2.0"));
}

#[test]
fn valid_tls_and_proxy_settings_build() {
    let client = isolated(&[])
        .credentials(Credentials::permanent("A", "S"))
        .endpoint("https://127.0.0.1:1")
        .proxy("http://user:proxy-password@127.0.0.1:3128")
        .danger_accept_invalid_certs(true)
        .deadline(Duration::from_secs(5))
        .build();
    assert!(client.is_ok(), "{client:?}");
}

#[test]
fn debug_shows_no_secret() {
    let builder = isolated(&[])
        .credentials(Credentials::temporary("AK", "SECRET-SK", "SECRET-TOKEN"))
        .endpoint("http://127.0.0.1:1")
        .proxy("http://user:SECRET-PROXY@127.0.0.1:3128");
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains("SECRET"), "{builder_debug}");
    let client = builder.build().unwrap_or_else(|error| panic!("{error}"));
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains("SECRET"), "{client_debug}");
    assert!(
        client_debug.contains("temporary AK/SK (access key AK)"),
        "{client_debug}"
    );
    let token = isolated(&[])
        .credentials(Credentials::iam_token("SECRET-IAM"))
        .endpoint("http://127.0.0.1:1");
    let builder_debug = format!("{token:?}");
    let token_debug = format!(
        "{builder_debug} {:?}",
        token.build().unwrap_or_else(|error| panic!("{error}"))
    );
    assert!(!token_debug.contains("SECRET"), "{token_debug}");
}

#[test]
fn defaults() {
    let builder = ClientBuilder::<Client>::for_service(&SERVICE);
    assert_eq!(builder.connect_timeout, Duration::from_secs(60));
    assert_eq!(builder.read_timeout, Duration::from_secs(120));
    assert_eq!(builder.deadline, None);
    assert_eq!(builder.max_response_body, 10 * 1024 * 1024);
    assert_eq!(builder.retry, RetryPolicy::default());
    assert!(!builder.danger_accept_invalid_certs);
}
