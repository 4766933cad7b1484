//! The wire request of one attempt: headers, their order, the signature's coverage, the query.

use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::credentials::CredentialSource;
use crate::endpoint::Endpoint;
use crate::retry::RetryPolicy;
use http::Method;

const JAN_2024: u64 = 1_704_067_200;

fn config(credentials: Credentials, project_id: Option<&str>) -> Config {
    Config {
        credentials: crate::credentials::cache::CredentialCache::new(credentials, Duration::ZERO),
        credential_source: CredentialSource::Explicit,
        project_id: project_id.map(str::to_owned),
        endpoint: Endpoint::parse("http://127.0.0.1:8080")
            .unwrap_or_else(|error| panic!("{error}")),
        region_id: None,
        iam_endpoint: None,
        user_agent: "hss-client-rust/0.1.0 app/1".to_owned(),
        retry: RetryPolicy::default(),
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_secs(1),
        deadline: None,
        max_response_body: 1024,
        max_streamed_body: u64::MAX,
    }
}

fn request(
    region: Option<&str>,
    eps: Option<&str>,
    call_project: Option<&str>,
) -> OperationRequest {
    let mut request = OperationRequest::new(
        "RunImageSynchronize",
        Method::POST,
        "/v5/p%2F1/image/synchronize".to_owned(),
    );
    if let Some(project) = call_project {
        request.client_param("project_id", project);
    }
    if let Some(eps) = eps {
        request.query("enterprise_project_id", eps);
    }
    if let Some(region) = region {
        request.header("region", region);
    }
    let body = serde_json::json!({"image_type": "private_image"});
    request
        .json_body(&body)
        .unwrap_or_else(|error| panic!("{error}"));
    request
}

/// The header names in the order sent, as the official SDKs spell them (the map keeps them lower
/// case, as HTTP/1.1 sends them).
fn names(request: &SignedRequest) -> Vec<String> {
    request
        .headers()
        .keys()
        .map(|name| name.as_str().to_owned())
        .collect()
}

fn signed_headers(request: &SignedRequest) -> &str {
    request
        .header("Authorization")
        .and_then(|value| value.split("SignedHeaders=").nth(1))
        .and_then(|rest| rest.split(',').next())
        .unwrap_or("")
}

fn build_at(config: &Config, request: &OperationRequest, seconds: u64) -> SignedRequest {
    build(config, request, UNIX_EPOCH + Duration::from_secs(seconds))
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn headers_per_credential_kind() {
    // (credentials, header names in order, signed headers or "" when unsigned)
    let cases = [
        (
            Credentials::permanent("AK", "SK"),
            vec![
                "Content-Type",
                "User-Agent",
                "X-Project-Id",
                "X-Sdk-Date",
                "Host",
                "region",
                "Authorization",
            ],
            "content-type;host;region;user-agent;x-project-id;x-sdk-date",
        ),
        (
            Credentials::temporary("AK", "SK", "TOKEN"),
            vec![
                "Content-Type",
                "User-Agent",
                "X-Project-Id",
                "X-Sdk-Date",
                "Host",
                "region",
                "X-Security-Token",
                "Authorization",
            ],
            "content-type;host;region;user-agent;x-project-id;x-sdk-date;x-security-token",
        ),
        (
            Credentials::iam_token("IAMTOKEN"),
            vec![
                "Content-Type",
                "User-Agent",
                "X-Project-Id",
                "X-Sdk-Date",
                "Host",
                "region",
                "X-Auth-Token",
            ],
            "",
        ),
    ];
    for (credentials, expected_names, expected_signed) in cases {
        let config = config(credentials.clone(), Some("client-project"));
        let signed = build_at(
            &config,
            &request(Some("cn-north-4"), None, Some("p/1")),
            JAN_2024,
        );
        let expected_names: Vec<String> = expected_names
            .iter()
            .map(|name| name.to_ascii_lowercase())
            .collect();
        assert_eq!(names(&signed), expected_names, "{credentials:?}");
        assert_eq!(signed_headers(&signed), expected_signed, "{credentials:?}");
        assert_eq!(signed.header("X-Sdk-Date"), Some("20240101T000000Z"));
        assert_eq!(signed.header("Host"), Some("127.0.0.1:8080"));
        assert_eq!(
            signed.header("User-Agent"),
            Some("hss-client-rust/0.1.0 app/1")
        );
        assert_eq!(signed.header("Content-Type"), Some("application/json"));
        assert_eq!(signed.header("region"), Some("cn-north-4"));
        assert_eq!(signed.body().as_ref(), br#"{"image_type":"private_image"}"#);
    }
    let temporary = build_at(
        &config(Credentials::temporary("AK", "SK", "TOKEN"), None),
        &request(None, None, None),
        JAN_2024,
    );
    assert_eq!(temporary.header("X-Security-Token"), Some("TOKEN"));
    let token = build_at(
        &config(Credentials::iam_token("IAMTOKEN"), None),
        &request(None, None, None),
        JAN_2024,
    );
    assert_eq!(token.header("X-Auth-Token"), Some("IAMTOKEN"));
    assert_eq!(token.header("Authorization"), None);
}

#[test]
fn authorization_names_the_access_key_and_algorithm() {
    let signed = build_at(
        &config(Credentials::permanent("MYAK", "SK"), None),
        &request(None, None, None),
        JAN_2024,
    );
    let authorization = signed.header("Authorization").unwrap_or_default();
    assert!(
        authorization.starts_with("SDK-HMAC-SHA256 Access=MYAK, SignedHeaders="),
        "{authorization}"
    );
    let signature = authorization
        .rsplit("Signature=")
        .next()
        .unwrap_or_default();
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
}

#[test]
fn the_project_id_header_follows_the_call_then_the_client() {
    // (client setting, call value, expected X-Project-Id)
    let cases = [
        (Some("client"), Some("call"), Some("call")),
        (Some("client"), None, Some("client")),
        (None, Some("call"), Some("call")),
        (None, None, None),
    ];
    for (client, call, expected) in cases {
        let config = config(Credentials::permanent("AK", "SK"), client);
        let signed = build_at(&config, &request(None, None, call), JAN_2024);
        assert_eq!(
            signed.header("X-Project-Id"),
            expected,
            "client {client:?}, call {call:?}"
        );
        let signed_list = signed_headers(&signed);
        assert_eq!(
            signed_list.contains("x-project-id"),
            expected.is_some(),
            "{signed_list}"
        );
    }
}

#[test]
fn url_path_and_canonical_query() {
    // (enterprise project id, expected query)
    let cases = [
        (None, ""),
        (
            Some("all_granted_eps"),
            "enterprise_project_id=all_granted_eps",
        ),
        (Some("a b/ü"), "enterprise_project_id=a%20b%2F%C3%BC"),
    ];
    for (eps, query) in cases {
        let signed = build_at(
            &config(Credentials::permanent("AK", "SK"), None),
            &request(None, eps, None),
            JAN_2024,
        );
        assert_eq!(signed.query(), query);
        assert_eq!(signed.path(), "/v5/p%2F1/image/synchronize");
        let expected_url = if query.is_empty() {
            "http://127.0.0.1:8080/v5/p%2F1/image/synchronize".to_owned()
        } else {
            format!("http://127.0.0.1:8080/v5/p%2F1/image/synchronize?{query}")
        };
        assert_eq!(signed.url(), expected_url);
        assert_eq!(signed.method(), &Method::POST);
    }
}

#[test]
fn each_attempt_is_signed_with_its_own_time() {
    let config = config(Credentials::permanent("AK", "SK"), Some("p"));
    let request = request(None, None, None);
    let first = build_at(&config, &request, JAN_2024);
    let again = build_at(&config, &request, JAN_2024);
    let later = build_at(&config, &request, JAN_2024 + 1);
    assert_eq!(first, again, "signing is deterministic for one time");
    assert_eq!(later.header("X-Sdk-Date"), Some("20240101T000001Z"));
    assert_ne!(first.header("Authorization"), later.header("Authorization"));
}

#[test]
fn debug_masks_credentials() {
    let cases = [
        Credentials::temporary("AK", "SECRET-SK", "SECRET-TOKEN"),
        Credentials::iam_token("SECRET-IAM"),
    ];
    for credentials in cases {
        let signed = build_at(
            &config(credentials, None),
            &request(None, None, None),
            JAN_2024,
        );
        let debug = format!("{signed:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(!debug.contains("Signature="), "{debug}");
        assert!(debug.contains("***"), "{debug}");
        // Marked in the map itself, so the map's own Debug (and HTTP/2's tables) keep them out.
        let map = format!("{:?}", signed.headers());
        assert!(!map.contains("SECRET"), "{map}");
        for (name, value) in signed.headers() {
            let credential =
                ["authorization", "x-security-token", "x-auth-token"].contains(&name.as_str());
            assert_eq!(value.is_sensitive(), credential, "{name}");
        }
    }
}

#[test]
fn header_values_http_cannot_carry_are_argument_errors() {
    let config = config(Credentials::permanent("AK", "SK"), None);
    let cases = [
        (request(Some("bad\nregion"), None, None), "region"),
        (request(None, None, Some("bad\rproject")), "project_id"),
    ];
    for (request, argument) in cases {
        match build(&config, &request, UNIX_EPOCH) {
            Err(error) => assert_eq!(error.invalid_argument_name(), Some(argument)),
            other => panic!("expected an invalid {argument}, got {other:?}"),
        }
    }
}

/// The account operations take an `X-Security-Token` parameter. With permanent credentials the
/// parameter's value is sent (and signed); with temporary ones the credentials' token replaces it,
/// as in the official SDK, so the request carries one token: the one the signature belongs to.
#[test]
fn the_credentials_token_replaces_an_x_security_token_parameter() {
    let mut request = OperationRequest::new(
        "ListAccounts",
        Method::GET,
        "/v5/setting/account/accounts".to_owned(),
    );
    request.header("X-Security-Token", "PARAMETER-TOKEN");
    let tokens = |signed: &SignedRequest| -> Vec<String> {
        signed
            .headers()
            .get_all("x-security-token")
            .iter()
            .map(|value| value.to_str().unwrap_or_default().to_owned())
            .collect()
    };
    let permanent = build_at(
        &config(Credentials::permanent("AK", "SK"), None),
        &request,
        JAN_2024,
    );
    assert_eq!(tokens(&permanent), ["PARAMETER-TOKEN"]);
    assert!(signed_headers(&permanent).contains("x-security-token"));
    let temporary = build_at(
        &config(
            Credentials::temporary("AK", "SK", "CREDENTIALS-TOKEN"),
            None,
        ),
        &request,
        JAN_2024,
    );
    assert_eq!(tokens(&temporary), ["CREDENTIALS-TOKEN"]);
    assert!(signed_headers(&temporary).contains("x-security-token"));
}

/// The check before sending accepts exactly what `http::HeaderValue` accepts, character by
/// character (every ASCII character and a few beyond).
#[test]
fn the_header_value_check_is_http_s_own_rule() {
    let beyond = ['\u{80}', '\u{e9}', '\u{fffd}', '\u{1f600}'];
    for c in (0..=127_u8).map(char::from).chain(beyond) {
        let value = format!("a{c}b");
        assert_eq!(
            check_header_value("p", &value).is_ok(),
            http::HeaderValue::from_str(&value).is_ok(),
            "{:?}",
            c
        );
    }
}

/// A body that is not JSON is signed as the official SDKs sign it: `X-Sdk-Content-Sha256:
/// UNSIGNED-PAYLOAD`, signed, in place of the body's hash; a JSON body keeps its hash.
#[test]
fn a_body_that_is_not_json_is_left_out_of_the_signature() {
    let config = config(Credentials::permanent("AK", "SK"), None);
    let mut multipart = OperationRequest::new(
        "UploadReportLogo",
        Method::POST,
        "/v5/p/report/logo".to_owned(),
    );
    let mut form = crate::request::Multipart::new();
    form.file("file", b"PNG".to_vec());
    multipart.multipart_body(form);
    let signed = build_at(&config, &multipart, JAN_2024);
    assert_eq!(
        signed.header("X-Sdk-Content-Sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert!(signed_headers(&signed).contains("x-sdk-content-sha256"));

    // A token request is not signed, so nothing stands for its body.
    let token = self::config(Credentials::iam_token("IAMTOKEN"), None);
    let unsigned = build_at(&token, &multipart, JAN_2024);
    assert_eq!(unsigned.header("X-Sdk-Content-Sha256"), None);

    let json = build_at(&config, &request(None, None, None), JAN_2024);
    assert_eq!(json.header("X-Sdk-Content-Sha256"), None);
    assert!(!signed_headers(&json).contains("x-sdk-content-sha256"));
}
