//! Each source on a mock transport: the requests it sends (method, URL, headers, JSON body as
//! values, as the official SDK sends them), the call signed with the key it fetched, and every
//! bad input refused with an error naming the source and the variable or field.

use std::sync::atomic::{AtomicUsize, Ordering};

use http::Method;
use serde_json::{Value, json};

use super::answer::{parse_iso8601, read_credentials};
use super::*;
use crate::request::OperationRequest;
use crate::test_util::{MockReply, MockTransport};
use crate::{Client, ErrorKind};

const EXPIRES: &str = "2099-01-01T00:00:00.000000Z";

fn answer(ak: &str) -> String {
    json!({"credential": {"access": ak, "secret": "fetched-sk", "securitytoken": "fetched-token",
        "expires_at": EXPIRES}})
    .to_string()
}

fn temp_file(text: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "hss-credential-source-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, text).expect("write temp file");
    path
}

fn client(env: &[(&str, &str)], mock: &MockTransport) -> Result<Client, crate::Error> {
    let env = env_of(env);
    Client::builder()
        .endpoint("http://127.0.0.1:9")
        .project_id("p")
        .home_dir(std::env::temp_dir().join("hss-no-home"))
        .env_lookup(move |name| env(name))
        .mock_transport(mock.clone())
        .build()
}

async fn call(client: &Client) -> Result<(), crate::Error> {
    let request = OperationRequest::new("Op", Method::GET, "/v5/p/x".to_owned());
    client.execute(request).await.map(|_| ())
}

fn json_body(request: &crate::transport::SignedRequest) -> Value {
    serde_json::from_slice(request.body()).expect("JSON body")
}

/// The last request is the service call, signed with the fetched temporary key.
fn assert_signed_with_fetched(requests: &[crate::transport::SignedRequest], ak: &str) {
    let call = requests.last().expect("the call");
    assert_eq!(call.header("X-Security-Token"), Some("fetched-token"));
    let authorization = call.header("Authorization").expect("signed");
    assert!(
        authorization.contains(&format!("Access={ak},")),
        "{authorization}"
    );
    assert!(
        authorization.contains("x-security-token"),
        "{authorization}"
    );
}

#[tokio::test]
async fn ecs_metadata_with_and_without_a_session_token() {
    for (token_reply, token_header) in [
        (MockReply::json(200, "session-1"), Some("session-1")),
        (MockReply::status(404), None),
        (MockReply::status(405), None),
        (MockReply::status(503), None),
    ] {
        let mock = MockTransport::new();
        mock.push(token_reply)
            .push(MockReply::json(200, answer("ecs-ak")))
            .push(MockReply::json(200, "{}"));
        let client = client(&[(ENV_METADATA_ENDPOINT, "http://meta.test")], &mock).expect("build");
        assert_eq!(client.credential_source(), &CredentialSource::EcsMetadata);
        call(&client).await.expect("call");
        let requests = mock.requests();
        assert_eq!(requests[0].method(), Method::PUT);
        assert_eq!(
            requests[0].url(),
            "http://meta.test/meta-data/latest/api/token"
        );
        assert_eq!(
            requests[0].header("X-Metadata-Token-Ttl-Seconds"),
            Some("21600")
        );
        assert_eq!(requests[1].method(), Method::GET);
        assert_eq!(
            requests[1].url(),
            "http://meta.test/openstack/latest/securitykey"
        );
        assert_eq!(requests[1].header("X-Metadata-Token"), token_header);
        assert!(requests[1].header("Authorization").is_none());
        assert_signed_with_fetched(&requests, "ecs-ak");
    }
}

#[tokio::test]
async fn ecs_metadata_refetches_the_session_token_once_on_401() {
    let mock = MockTransport::new();
    mock.push(MockReply::json(200, "old"))
        .push(MockReply::status(401))
        .push(MockReply::json(200, "new"))
        .push(MockReply::json(200, answer("ecs-ak")))
        .push(MockReply::json(200, "{}"));
    let client = client(&[], &mock).expect("build");
    call(&client).await.expect("call");
    let requests = mock.requests();
    assert_eq!(requests[1].header("X-Metadata-Token"), Some("old"));
    assert_eq!(requests[3].header("X-Metadata-Token"), Some("new"));
    assert_eq!(
        requests[0].url(),
        "http://169.254.169.254/meta-data/latest/api/token"
    );
}

#[tokio::test]
async fn ecs_metadata_absent_lists_every_source_tried() {
    for replies in [
        vec![MockReply::ConnectFailed],
        vec![MockReply::ConnectTimeout],
        vec![MockReply::ReadTimeout],
        vec![MockReply::status(404), MockReply::ReadTimeout],
        vec![MockReply::status(404), MockReply::status(404)],
    ] {
        let mock = MockTransport::new();
        for reply in replies {
            mock.push(reply);
        }
        let client = client(&[], &mock).expect("build");
        let error = call(&client).await.expect_err("no credentials");
        assert_eq!(error.kind(), ErrorKind::Credentials);
        let text = error.to_string();
        for place in [
            "no credentials found",
            "oidc sts",
            "federated identity",
            "HUAWEICLOUD_SDK_AK",
            "CLOUD_SDK_AK",
            "profile file",
            "cce pod identity",
            "ECS metadata at http://169.254.169.254",
        ] {
            assert!(text.contains(place), "{place} missing from {text}");
        }
    }
}

#[tokio::test]
async fn a_configured_source_that_fails_says_so() {
    struct Case {
        name: &'static str,
        replies: Vec<MockReply>,
        expected: &'static str,
    }
    let cases = [
        Case {
            name: "metadata 500",
            replies: vec![
                MockReply::status(404),
                MockReply::json(500, r#"{"error":"down","secret":"leak-me"}"#),
            ],
            expected: "credential source ecs metadata: http://169.254.169.254/openstack/latest/securitykey answered 500: {\"error\":\"down\",\"secret\":\"***\"}",
        },
        Case {
            name: "not JSON",
            replies: vec![MockReply::status(404), MockReply::json(200, "<html>")],
            expected: "credential source ecs metadata: the answer of http://169.254.169.254/openstack/latest/securitykey: it is not JSON",
        },
    ];
    for case in cases {
        let mock = MockTransport::new();
        for reply in case.replies {
            mock.push(reply);
        }
        let client = client(&[], &mock).expect("build");
        let error = call(&client).await.expect_err(case.name);
        assert_eq!(error.kind(), ErrorKind::Credentials, "{}", case.name);
        assert_eq!(error.to_string(), case.expected, "{}", case.name);
        assert!(!format!("{error:?}").contains("leak-me"), "{}", case.name);
    }
}

#[tokio::test]
async fn oidc_sts_sends_what_the_official_sdk_sends() {
    let token_file = temp_file(" id-token-from-file \n");
    let file = token_file.to_str().expect("utf-8");
    let cases: [(&[(&str, &str)], Value); 2] = [
        (
            &[
                (ENV_OIDC_PROVIDER_URN, "urn:p"),
                (ENV_OIDC_AGENCY_URN, "urn:a"),
                (ENV_OIDC_TOKEN_FILE, file),
                (ENV_STS_ENDPOINT, "http://sts.test/"),
            ],
            json!({"provider_urn": "urn:p", "agency_urn": "urn:a",
                "agency_session_name": "oidc-sts-session", "id_token": "id-token-from-file",
                "duration_seconds": 3600}),
        ),
        (
            &[
                (ENV_OIDC_PROVIDER_URN, "urn:p"),
                (ENV_OIDC_AGENCY_URN, "urn:a"),
                (ENV_OIDC_ID_TOKEN, "inline"),
                (ENV_OIDC_SESSION_NAME, "s"),
                (ENV_OIDC_DURATION_SECONDS, "900"),
                (ENV_OIDC_POLICY, "{\"Version\":\"5.0\"}"),
                (ENV_OIDC_POLICY_IDS, "a, b,,"),
                (ENV_STS_ENDPOINT, "http://sts.test"),
                // OIDC comes first in the chain.
                (ENV_AK, "ak"),
                (ENV_SK, "sk"),
            ],
            json!({"provider_urn": "urn:p", "agency_urn": "urn:a", "agency_session_name": "s",
                "id_token": "inline", "duration_seconds": 900,
                "policy": "{\"Version\":\"5.0\"}", "policy_ids": ["a", "b"]}),
        ),
    ];
    for (env, body) in cases {
        let mock = MockTransport::new();
        mock.push(MockReply::json(200, answer("sts-ak")))
            .push(MockReply::json(200, "{}"));
        let client = client(env, &mock).expect("build");
        assert_eq!(client.credential_source(), &CredentialSource::OidcSts);
        call(&client).await.expect("call");
        let requests = mock.requests();
        assert_eq!(requests[0].method(), Method::POST);
        assert_eq!(
            requests[0].url(),
            "http://sts.test/v5/agencies/assume-with-oidc"
        );
        assert_eq!(
            requests[0].header("Content-Type"),
            Some("application/json;charset=UTF-8")
        );
        assert!(requests[0].header("Authorization").is_none());
        assert_eq!(json_body(&requests[0]), body);
        assert_signed_with_fetched(&requests, "sts-ak");
    }
}

#[tokio::test]
async fn federated_identity_exchanges_the_file_then_the_token() {
    let token_file = temp_file("fed-id-token\n");
    let file = token_file.to_str().expect("utf-8");
    let mock = MockTransport::new();
    mock.push(MockReply::json(201, "{}").with_header("X-Subject-Token", "unscoped"))
        .push(MockReply::json(201, answer("fed-ak")))
        .push(MockReply::json(200, "{}"));
    let env = [
        (ENV_IDP_ID, "idp-1"),
        (ENV_ID_TOKEN_FILE, file),
        (crate::iam::ENV_IAM_ENDPOINT, "http://iam.test"),
        (ENV_AK, "ak"),
        (ENV_SK, "sk"),
    ];
    let client = client(&env, &mock).expect("build");
    assert_eq!(
        client.credential_source(),
        &CredentialSource::FederatedEnvironment
    );
    call(&client).await.expect("call");
    let requests = mock.requests();
    assert_eq!(
        requests[0].url(),
        "http://iam.test/v3.0/OS-AUTH/id-token/tokens"
    );
    assert_eq!(requests[0].header("X-Idp-Id"), Some("idp-1"));
    assert_eq!(
        json_body(&requests[0]),
        json!({"auth": {"id_token": {"id": "fed-id-token"}}})
    );
    assert_eq!(
        requests[1].url(),
        "http://iam.test/v3.0/OS-CREDENTIAL/securitytokens"
    );
    assert_eq!(
        json_body(&requests[1]),
        json!({"auth": {"identity": {"methods": ["token"],
            "token": {"id": "unscoped", "duration_seconds": 21600}}}})
    );
    for request in &requests[..2] {
        assert_eq!(request.method(), Method::POST);
        assert!(request.header("Authorization").is_none());
    }
    assert_signed_with_fetched(&requests, "fed-ak");
}

#[tokio::test]
async fn federated_identity_from_the_profile_file_and_its_official_section() {
    let token_file = temp_file("fed-id-token");
    let profile = temp_file(&format!(
        "[basiccredentials]\nidp_id = idp-2\nid_token_file = {}\nak = a\nsk = s\niam_endpoint = http://iam.profile\n",
        token_file.display()
    ));
    let mock = MockTransport::new();
    mock.push(MockReply::json(201, "{}").with_header("X-Subject-Token", "t"))
        .push(MockReply::json(201, answer("fed-ak")))
        .push(MockReply::json(200, "{}"));
    let env = [(ENV_CREDENTIALS_FILE, profile.to_str().expect("utf-8"))];
    let client = client(&env, &mock).expect("build");
    assert_eq!(
        client.credential_source(),
        &CredentialSource::FederatedProfileFile(profile.clone())
    );
    call(&client).await.expect("call");
    let requests = mock.requests();
    assert_eq!(
        requests[0].url(),
        "http://iam.profile/v3.0/OS-AUTH/id-token/tokens"
    );
    assert_eq!(requests[0].header("X-Idp-Id"), Some("idp-2"));
    assert_signed_with_fetched(&requests, "fed-ak");
}

#[tokio::test]
async fn cce_pod_identity_wins_over_metadata_and_reads_its_file_each_time() {
    let token_file = temp_file("pod-token-1");
    let env = [
        (ENV_POD_CREDENTIALS_URI, "http://pod.test/credentials"),
        (ENV_POD_TOKEN_FILE, token_file.to_str().expect("utf-8")),
    ];
    let mock = MockTransport::new();
    mock.push(MockReply::json(200, answer("pod-ak")))
        .push(MockReply::json(200, "{}"));
    let client = client(&env, &mock).expect("build");
    assert_eq!(client.credential_source(), &CredentialSource::CcePod);
    call(&client).await.expect("call");
    let requests = mock.requests();
    assert_eq!(requests[0].method(), Method::POST);
    assert_eq!(requests[0].url(), "http://pod.test/credentials");
    assert_eq!(requests[0].header("Authorization"), Some("pod-token-1"));
    assert_eq!(json_body(&requests[0]), json!({}));
    assert_signed_with_fetched(&requests, "pod-ak");
    assert!(!format!("{client:?}").contains("pod-token"));
}

#[tokio::test]
async fn bad_settings_are_refused_naming_the_source_and_the_variable() {
    let empty = temp_file("  \n");
    let empty = empty.to_str().expect("utf-8");
    let missing = "/nonexistent/hss-token";
    struct Case<'a> {
        env: Vec<(&'a str, &'a str)>,
        /// At build time (`true`) or at the first call.
        at_build: bool,
        expected: &'a str,
    }
    let cases = [
        Case {
            env: vec![(ENV_OIDC_PROVIDER_URN, "urn:p")],
            at_build: true,
            expected: "incomplete credentials in the environment (oidc sts): HUAWEICLOUD_OIDC_PROVIDER_URN is set but HUAWEICLOUD_OIDC_AGENCY_URN and HUAWEICLOUD_OIDC_ID_TOKEN (or HUAWEICLOUD_OIDC_TOKEN_FILE) are missing",
        },
        Case {
            env: vec![
                (ENV_OIDC_PROVIDER_URN, "p"),
                (ENV_OIDC_AGENCY_URN, "a"),
                (ENV_OIDC_ID_TOKEN, "t"),
                (ENV_OIDC_DURATION_SECONDS, "1h"),
            ],
            at_build: true,
            expected: "credential source oidc sts: HUAWEICLOUD_OIDC_DURATION_SECONDS is not a positive whole number of seconds",
        },
        Case {
            env: vec![(ENV_POD_CREDENTIALS_URI, "http://pod.test")],
            at_build: true,
            expected: "incomplete credentials in the environment (cce pod identity): HC_CONTAINER_CREDENTIALS_FULL_URI is set but HC_CONTAINER_AUTHORIZATION_TOKEN_FILE is missing",
        },
        Case {
            env: vec![(ENV_IDP_ID, "idp")],
            at_build: true,
            expected: "incomplete credentials in the environment (federated identity): HUAWEICLOUD_SDK_IDP_ID is set but HUAWEICLOUD_SDK_ID_TOKEN_FILE is missing",
        },
        Case {
            env: vec![
                (ENV_POD_CREDENTIALS_URI, "http://pod.test"),
                (ENV_POD_TOKEN_FILE, empty),
            ],
            at_build: false,
            expected: "credential source cce pod identity: HC_CONTAINER_AUTHORIZATION_TOKEN_FILE names file {empty} which is empty",
        },
        Case {
            env: vec![
                (ENV_OIDC_PROVIDER_URN, "p"),
                (ENV_OIDC_AGENCY_URN, "a"),
                (ENV_OIDC_TOKEN_FILE, missing),
            ],
            at_build: false,
            expected: "credential source oidc sts: HUAWEICLOUD_OIDC_TOKEN_FILE names file /nonexistent/hss-token which cannot be read",
        },
        Case {
            env: vec![(ENV_IDP_ID, "idp"), (ENV_ID_TOKEN_FILE, empty)],
            at_build: false,
            expected: "credential source federated identity: HUAWEICLOUD_SDK_ID_TOKEN_FILE names file {empty} which is empty",
        },
    ];
    for case in cases {
        let mock = MockTransport::new();
        let expected = case.expected.replace("{empty}", empty);
        let error = match client(&case.env, &mock) {
            Ok(client) => {
                assert!(!case.at_build, "{expected}: built");
                let error = call(&client).await.expect_err(&expected);
                assert_eq!(error.kind(), ErrorKind::Credentials, "{expected}");
                error
            }
            Err(error) => {
                assert!(case.at_build, "{expected}: {error}");
                assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{expected}");
                error
            }
        };
        assert!(
            error.to_string().starts_with(&expected),
            "{error} vs {expected}"
        );
        assert!(mock.requests().is_empty(), "{expected}: sent nothing");
    }
}

#[test]
fn answers_that_are_not_credentials_are_refused_naming_the_field() {
    let cases = [
        ("<html>", "the answer of u: it is not JSON"),
        (
            "[1]",
            "the answer of u: field `credential` is not a JSON object of credentials",
        ),
        (
            r#"{"credential":{"access":"a","secret":"s","securitytoken":"t"}}"#,
            "the answer of u: field `expires_at` is missing",
        ),
        (
            r#"{"credential":{"access":"a","secret":"s","expires_at":"tomorrow"}}"#,
            "the answer of u: field `expires_at` is not an ISO 8601 UTC time",
        ),
        (
            r#"{"credentials":{"secret":"s","expires_at":"2030-01-01T00:00:00Z"}}"#,
            "the answer of u: field `access` is missing",
        ),
        (
            r#"{"credential":{"access":"a","secret":7,"expires_at":"2030-01-01T00:00:00Z"}}"#,
            "the answer of u: field `secret` is empty or not text",
        ),
    ];
    for (body, expected) in cases {
        let error = read_credentials("src", "u", body.as_bytes()).expect_err(body);
        let text = error.to_string();
        assert!(
            text.starts_with(&format!("credential source src: {expected}")),
            "{text}"
        );
        assert!(
            !text.contains("\"s\"") && !format!("{error:?}").contains("secret\":"),
            "{text}"
        );
    }
    for body in [
        r#"{"credential":{"accessKeyId":"a","secretAccessKey":"s","securityToken":"t","expiration":"2030-01-01T00:00:00Z"}}"#,
        r#"{"credentials":{"access_key_id":"a","secret_access_key":"s","security_token":"t","expires_at":"2030-01-01T00:00:00.123Z"}}"#,
    ] {
        let fetched = read_credentials("src", "u", body.as_bytes()).expect(body);
        assert_eq!(fetched.credentials, Credentials::temporary("a", "s", "t"));
    }
}

#[test]
fn iso8601_with_and_without_fractional_seconds() {
    let at = |seconds: u64, nanos: u32| Some(UNIX_EPOCH + Duration::new(seconds, nanos));
    let cases = [
        ("1970-01-01T00:00:00Z", at(0, 0)),
        ("2024-02-29T12:34:56Z", at(1_709_210_096, 0)),
        ("2024-02-29T12:34:56.5Z", at(1_709_210_096, 500_000_000)),
        (
            "2024-02-29T12:34:56.123456Z",
            at(1_709_210_096, 123_456_000),
        ),
        (
            "2024-02-29T12:34:56.123456789123Z",
            at(1_709_210_096, 123_456_789),
        ),
        ("2024-02-29T12:34:56+00:00", at(1_709_210_096, 0)),
        ("2023-02-29T12:34:56Z", None),
        ("2024-02-29T12:34:56", None),
        ("2024-02-29T12:34:56+08:00", None),
        ("2024-02-29T24:00:00Z", None),
        ("2024-02-29T12:34:56.Z", None),
        ("2024-2-29T12:34:56Z", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_iso8601(text), expected, "{text}");
    }
}

use std::time::{Duration, UNIX_EPOCH};
