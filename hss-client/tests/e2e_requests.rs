//! End to end over loopback: the requests the client sends verify with an independent signer,
//! for every kind of credentials and with and without the optional parameters.

#![allow(deprecated)] // RunImageSynchronize is deprecated upstream; still the operation under test.

mod support;

use hss_client::models::{ImageType, RunImageSynchronizeRequestInfo};
use hss_client::{Credentials, ErrorKind};
use support::{Expect, Reply, TestServer};

const OK: &str = r#"{"error_code":0,"error_description":"success"}"#;

#[tokio::test]
async fn every_credential_kind_with_and_without_optional_parameters() {
    // (credentials the client uses, what the server expects)
    let kinds = [
        (
            Credentials::permanent("AK1", "SK1"),
            Expect::permanent("AK1", "SK1"),
        ),
        (
            Credentials::temporary("AK2", "SK2", "TOKEN2"),
            Expect::temporary("AK2", "SK2", "TOKEN2"),
        ),
        (
            Credentials::iam_token("IAM-TOKEN"),
            Expect::Token("IAM-TOKEN".into()),
        ),
    ];
    // (project id of the call, enterprise project id, region header, image type, wire path, wire query)
    type Options = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        ImageType,
        &'static str,
        &'static str,
    );
    let options: [Options; 3] = [
        (
            None,
            None,
            None,
            ImageType::PrivateImage,
            "/v5/project-1/image/synchronize",
            "",
        ),
        (
            Some("call project/ü"),
            Some("all_granted_eps"),
            Some("cn-north-4"),
            ImageType::SharedImage,
            "/v5/call%20project%2F%C3%BC/image/synchronize",
            "enterprise_project_id=all_granted_eps",
        ),
        (
            None,
            Some("a b&c=d~"),
            Some("ap-southeast-1"),
            ImageType::PrivateImage,
            "/v5/project-1/image/synchronize",
            "enterprise_project_id=a%20b%26c%3Dd~",
        ),
    ];
    for (credentials, expect) in kinds {
        for (project_id, eps, region, image_type, path, query) in options.clone() {
            let server = TestServer::start(
                expect.clone(),
                vec![Reply::json(200, OK).header("X-Request-Id", "rid-ok")],
            )
            .await;
            let client = support::client(&server.url, credentials.clone())
                .build()
                .expect("client");
            let mut call = client
                .run_image_synchronize(RunImageSynchronizeRequestInfo::new(image_type.clone()));
            if let Some(project_id) = project_id {
                call = call.project_id(project_id);
            }
            if let Some(eps) = eps {
                call = call.enterprise_project_id(eps);
            }
            if let Some(region) = region {
                call = call.region(region);
            }
            let response = call
                .send()
                .await
                .unwrap_or_else(|error| panic!("{credentials:?} {project_id:?}: {error}"));
            assert_eq!(response.body().error_code, Some(0));
            assert_eq!(
                response.body().error_description.as_deref(),
                Some("success")
            );
            assert_eq!(response.request_id(), Some("rid-ok"));

            server.assert_all_verified();
            let seen = &server.seen()[0];
            assert_eq!(seen.method, "POST");
            let expected_project = project_id.unwrap_or("project-1");
            assert_eq!(seen.header("x-project-id"), Some(expected_project));
            assert_eq!(seen.path, path);
            assert_eq!(seen.query, query);
            assert_eq!(seen.header("region"), region);
            let body = format!(r#"{{"image_type":"{}"}}"#, image_type.as_str());
            assert_eq!(String::from_utf8_lossy(&seen.body), body);
            assert_eq!(
                seen.header("host"),
                Some(server.url.trim_start_matches("http://"))
            );
        }
    }
}

#[tokio::test]
async fn a_wrong_secret_key_fails_the_servers_check() {
    // Guards the guard: the server's verifier really rejects a bad signature.
    let server =
        TestServer::start(Expect::permanent("AK", "RIGHT"), vec![Reply::json(200, OK)]).await;
    let client = support::client(&server.url, Credentials::permanent("AK", "WRONG"))
        .build()
        .expect("client");
    support::synchronize(&client)
        .await
        .expect("the server answers anyway");
    let verdict = &server.seen()[0].verdict;
    assert!(
        verdict
            .as_ref()
            .is_err_and(|problems| problems.iter().any(|p| p.contains("signature mismatch"))),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn user_agent_suffix_is_sent_and_signed() {
    let server = TestServer::start(Expect::permanent("AK", "SK"), vec![Reply::json(200, OK)]).await;
    let client = support::client(&server.url, Credentials::permanent("AK", "SK"))
        .user_agent_suffix("my-app/1.2")
        .build()
        .expect("client");
    support::synchronize(&client).await.expect("call");
    server.assert_all_verified();
    let user_agent = server.seen()[0].header("user-agent").map(str::to_owned);
    assert_eq!(
        user_agent,
        Some(format!(
            "hss-client-rust/{} my-app/1.2",
            env!("CARGO_PKG_VERSION")
        ))
    );
}

#[tokio::test]
async fn a_missing_project_id_is_an_argument_error_before_any_request() {
    let server = TestServer::start(Expect::permanent("AK", "SK"), vec![]).await;
    let client = hss_client::Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .endpoint(&server.url)
        .credentials(Credentials::permanent("AK", "SK"))
        .build()
        .expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error
            .to_string()
            .starts_with("invalid argument project_id: is not set"),
        "{error}"
    );
    assert_eq!(server.attempts(), 0);
}

#[test]
fn a_call_future_stays_small() {
    // A call's future is moved at each `.await` of the caller's and held in the caller's own
    // future: the IAM lookup (a whole call of its own, made once per client) and the reading of
    // a download are boxed rather than carried by every call. 5,272 bytes before they were.
    const LIMIT: usize = 4096;
    let client = support::client(
        "https://hss.example.com",
        Credentials::permanent("AK", "SK"),
    )
    .build()
    .expect("client");
    let json = client
        .run_image_synchronize(RunImageSynchronizeRequestInfo::new(ImageType::PrivateImage))
        .send();
    let stream = client.list_download_exported_file("file-1").send();
    for (name, size) in [
        ("JSON answer", std::mem::size_of_val(&json)),
        ("streamed answer", std::mem::size_of_val(&stream)),
    ] {
        assert!(size <= LIMIT, "{name}: {size} bytes");
    }
}
