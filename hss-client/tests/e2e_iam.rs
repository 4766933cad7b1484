//! The project id found from the region through IAM: a loopback IAM checks every lookup's
//! signature and headers with the tests' own verifier, a loopback HSS the calls after it. The
//! cache is process-wide and keyed by (access key, region), so each test signs with an access
//! key of its own.

mod support;

use std::time::Duration;

use hss_client::runtime::iam::ProjectIdError;
use hss_client::{ConfigError, Credentials, ErrorKind};
use support::{Expect, Reply, TestServer, expect_error, synchronize};

const SK: &str = "IAMTESTSK";
const OK: &str = r#"{"error_code":0,"error_description":"success"}"#;

fn projects(ids: &[&str]) -> Reply {
    let list: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id":"{id}","name":"cn-north-4","enabled":true}}"#))
        .collect();
    Reply::json(
        200,
        &format!(r#"{{"projects":[{}],"links":{{}}}}"#, list.join(",")),
    )
    .header("X-IAM-Trace-Id", "trace-ok")
}

/// A client of region `region` sending HSS calls to `hss` and the lookup to `iam`, with no
/// project id anywhere and test-sized timeouts.
fn client(
    hss: &TestServer,
    iam: &TestServer,
    region: &str,
    credentials: Credentials,
) -> hss_client::ClientBuilder {
    hss_client::Client::builder()
        .env_lookup(|_| None)
        .home_dir("/nonexistent-home-for-tests")
        .region_id(region)
        .endpoint(&hss.url)
        .iam_endpoint(&iam.url)
        .credentials(credentials)
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_millis(500))
        .retry_policy(
            hss_client::RetryPolicy::default()
                .backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
}

fn build(builder: hss_client::ClientBuilder) -> hss_client::Client {
    builder.build().unwrap_or_else(|error| panic!("{error}"))
}

#[tokio::test]
async fn the_project_id_is_found_through_iam_then_used_in_the_path_and_header() {
    let ak = "IAMAK-FOUND";
    let iam =
        TestServer::start_iam(Expect::permanent(ak, SK), vec![projects(&["p-found-1"])]).await;
    let hss = TestServer::start(
        Expect::permanent(ak, SK),
        vec![Reply::json(200, OK), Reply::json(200, OK)],
    )
    .await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    assert_eq!(client.as_runtime().project_id(), None);
    synchronize(&client).await.expect("the call succeeds");
    synchronize(&client)
        .await
        .expect("the second call succeeds");

    iam.assert_all_verified();
    let lookups = iam.seen();
    assert_eq!(lookups.len(), 1, "one lookup for both calls");
    assert_eq!(lookups[0].query, "name=cn-north-4");
    assert!(lookups[0].header("x-security-token").is_none());
    hss.assert_all_verified();
    for call in hss.seen() {
        assert_eq!(call.path, "/v5/p-found-1/image/synchronize");
        assert_eq!(call.header("x-project-id"), Some("p-found-1"));
    }
}

#[tokio::test]
async fn temporary_credentials_sign_the_security_token_in_the_lookup() {
    let ak = "IAMAK-TEMPORARY";
    let expect = Expect::temporary(ak, SK, "STS-TOKEN");
    let iam = TestServer::start_iam(expect.clone(), vec![projects(&["p-temp"])]).await;
    let hss = TestServer::start(expect, vec![Reply::json(200, OK)]).await;
    let credentials = Credentials::temporary(ak, SK, "STS-TOKEN");
    let client = build(client(&hss, &iam, "cn-north-4", credentials));
    synchronize(&client).await.expect("the call succeeds");
    iam.assert_all_verified();
    assert_eq!(iam.seen()[0].header("x-security-token"), Some("STS-TOKEN"));
    hss.assert_all_verified();
    assert_eq!(hss.seen()[0].path, "/v5/p-temp/image/synchronize");
}

#[tokio::test]
async fn clients_share_the_cache_per_access_key_and_region() {
    let ak = "IAMAK-SHARED";
    let iam = TestServer::start_iam(
        Expect::permanent(ak, SK),
        vec![projects(&["p-north"]), projects(&["p-south"])],
    )
    .await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK); 3]).await;
    let first = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    let second = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    let other_region = build(client(
        &hss,
        &iam,
        "ap-southeast-1",
        Credentials::permanent(ak, SK),
    ));
    synchronize(&first).await.expect("first client");
    synchronize(&second).await.expect("second client");
    assert_eq!(iam.attempts(), 1, "the second client asks no one");
    synchronize(&other_region).await.expect("another region");
    assert_eq!(iam.attempts(), 2, "another region is another lookup");
    assert_eq!(iam.seen()[1].query, "name=ap-southeast-1");
    iam.assert_all_verified();
    hss.assert_all_verified();
    let paths: Vec<String> = hss.seen().into_iter().map(|seen| seen.path).collect();
    assert_eq!(
        paths,
        [
            "/v5/p-north/image/synchronize",
            "/v5/p-north/image/synchronize",
            "/v5/p-south/image/synchronize"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_calls_make_one_lookup() {
    let ak = "IAMAK-CONCURRENT";
    const CALLS: usize = 24;
    // The answer waits a little so that every call is waiting for the one lookup; the count
    // holds however the calls interleave.
    let slow = Reply::Delay(Duration::from_millis(50), Box::new(projects(&["p-many"])));
    let iam = TestServer::start_iam(Expect::permanent(ak, SK), vec![slow]).await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK); CALLS]).await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { synchronize(&client).await.map(|_| ()) })
        })
        .collect();
    for call in calls {
        call.await
            .expect("the task ends")
            .expect("the call succeeds");
    }
    assert_eq!(iam.attempts(), 1);
    assert_eq!(hss.attempts(), CALLS);
    iam.assert_all_verified();
    hss.assert_all_verified();
}

/// What a failed lookup must report; HSS must see nothing.
struct ErrorCase {
    name: &'static str,
    answers: Vec<Reply>,
    kind: ErrorKind,
    status: Option<u16>,
    request_id: Option<&'static str>,
    code: Option<&'static str>,
    message: Option<&'static str>,
    /// Text the error's `Display` holds.
    text: &'static str,
}

#[tokio::test]
async fn every_failed_lookup_is_reported_and_nothing_reaches_hss() {
    let cases = vec![
        ErrorCase {
            name: "no project",
            answers: vec![projects(&[])],
            kind: ErrorKind::InvalidConfig,
            status: None,
            request_id: None,
            code: None,
            message: None,
            text: "no project found through IAM for region \"cn-north-4\" (X-IAM-Trace-Id trace-ok",
        },
        ErrorCase {
            name: "two projects",
            answers: vec![projects(&["p-a", "p-b"])],
            kind: ErrorKind::InvalidConfig,
            status: None,
            request_id: None,
            code: None,
            message: None,
            text: "2 projects found through IAM for region \"cn-north-4\" (ids p-a, p-b; X-IAM-Trace-Id trace-ok)",
        },
        ErrorCase {
            name: "401, keystone's nested error",
            answers: vec![
                Reply::json(
                    401,
                    r#"{"error":{"code":"IAM.0001","message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
                )
                .header("X-IAM-Trace-Id", "trace-401"),
            ],
            kind: ErrorKind::Service,
            status: Some(401),
            request_id: Some("trace-401"),
            code: Some("IAM.0001"),
            message: Some("The request you have made requires authentication."),
            text: "KeystoneListProjects: status 401, request id trace-401, error code IAM.0001",
        },
        ErrorCase {
            name: "403, error_code and error_msg",
            answers: vec![
                Reply::json(403, r#"{"error_code":"IAM.0002","error_msg":"no permission"}"#)
                    .header("X-IAM-Trace-Id", "trace-403"),
            ],
            kind: ErrorKind::Service,
            status: Some(403),
            request_id: Some("trace-403"),
            code: Some("IAM.0002"),
            message: Some("no permission"),
            text: "status 403, request id trace-403, error code IAM.0002, error message no permission",
        },
        ErrorCase {
            name: "500 with an HTML body, not retried by default",
            answers: vec![Reply::Respond {
                status: 500,
                headers: vec![("X-IAM-Trace-Id".into(), "trace-500".into())],
                body: b"<html>oops</html>".to_vec(),
            }],
            kind: ErrorKind::Service,
            status: Some(500),
            request_id: Some("trace-500"),
            code: Some("500"),
            message: Some("<html>oops</html>"),
            text: "status 500",
        },
        ErrorCase {
            name: "a success that is not a project list",
            answers: vec![Reply::json(200, r#"{"token":{}}"#).header("X-IAM-Trace-Id", "trace-200")],
            kind: ErrorKind::Decode,
            status: Some(200),
            request_id: Some("trace-200"),
            code: None,
            message: None,
            text: "IAM's answer has no list `projects`",
        },
        ErrorCase {
            name: "a redirect is not followed",
            answers: vec![Reply::Respond {
                status: 302,
                headers: vec![("Location".into(), "http://elsewhere.example/".into())],
                body: Vec::new(),
            }],
            kind: ErrorKind::UnexpectedStatus,
            status: Some(302),
            request_id: None,
            code: None,
            message: None,
            text: "redirected to http://elsewhere.example/",
        },
        ErrorCase {
            name: "a dropped connection",
            answers: vec![Reply::Drop],
            kind: ErrorKind::ConnectionDropped,
            status: None,
            request_id: None,
            code: None,
            message: None,
            text: "KeystoneListProjects: the connection was dropped",
        },
    ];
    for (index, case) in cases.into_iter().enumerate() {
        let ak = format!("IAMAK-ERROR-{index}");
        let iam = TestServer::start_iam(Expect::permanent(&ak, SK), case.answers).await;
        let hss = TestServer::start(Expect::permanent(&ak, SK), vec![]).await;
        let client = build(client(
            &hss,
            &iam,
            "cn-north-4",
            Credentials::permanent(&ak, SK),
        ));
        let error = expect_error(synchronize(&client).await);
        let name = case.name;
        assert_eq!(error.kind(), case.kind, "{name}: {error}");
        assert_eq!(error.status().map(|s| s.as_u16()), case.status, "{name}");
        assert_eq!(error.request_id(), case.request_id, "{name}");
        assert_eq!(error.error_code(), case.code, "{name}");
        assert_eq!(error.error_message(), case.message, "{name}");
        assert!(error.to_string().contains(case.text), "{name}: {error}");
        assert_eq!(iam.attempts(), 1, "{name}");
        iam.assert_all_verified();
        assert_eq!(hss.attempts(), 0, "{name}: HSS saw a request");
    }
}

#[tokio::test]
async fn the_errors_are_typed() {
    let ak = "IAMAK-TYPED";
    let iam = TestServer::start_iam(
        Expect::permanent(ak, SK),
        vec![projects(&["p-1", "p-2", "p-3"])],
    )
    .await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![]).await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    let error = expect_error(synchronize(&client).await);
    match error.config_error() {
        Some(ConfigError::ProjectId(ProjectIdError::SeveralProjects {
            region,
            ids,
            trace_id,
        })) => {
            assert_eq!(region, "cn-north-4");
            assert_eq!(*ids, ["p-1", "p-2", "p-3"]);
            assert_eq!(trace_id.as_deref(), Some("trace-ok"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_lookup_is_not_cached() {
    let ak = "IAMAK-RETRY-LATER";
    let iam = TestServer::start_iam(
        Expect::permanent(ak, SK),
        vec![
            Reply::json(401, r#"{"error":{"code":"IAM.0001","message":"expired"}}"#),
            projects(&["p-later"]),
        ],
    )
    .await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK)]).await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    let error = expect_error(synchronize(&client).await);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(hss.attempts(), 0);
    synchronize(&client)
        .await
        .expect("the next call asks again");
    assert_eq!(iam.attempts(), 2);
    assert_eq!(hss.seen()[0].path, "/v5/p-later/image/synchronize");
}

#[tokio::test]
async fn the_lookup_follows_the_retry_policy() {
    let ak = "IAMAK-THROTTLED";
    let iam = TestServer::start_iam(
        Expect::permanent(ak, SK),
        vec![
            Reply::json(503, r#"{"error":{"code":"IAM.9999","message":"busy"}}"#),
            projects(&["p-after-503"]),
        ],
    )
    .await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK)]).await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    synchronize(&client).await.expect("the 503 is retried");
    assert_eq!(iam.attempts(), 2);
    iam.assert_all_verified();
    assert_eq!(hss.seen()[0].path, "/v5/p-after-503/image/synchronize");
}

#[tokio::test]
async fn an_unreachable_iam_is_a_connect_error_and_nothing_reaches_hss() {
    let ak = "IAMAK-REFUSED";
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![]).await;
    let refused = support::refused_url().await;
    let client = build(
        hss_client::Client::builder()
            .env_lookup(|_| None)
            .home_dir("/nonexistent-home-for-tests")
            .region_id("cn-north-4")
            .endpoint(&hss.url)
            .iam_endpoint(&refused)
            .credentials(Credentials::permanent(ak, SK))
            .retry_policy(hss_client::RetryPolicy::never()),
    );
    let error = expect_error(synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    assert_eq!(error.operation_id(), Some("KeystoneListProjects"));
    assert_eq!(hss.attempts(), 0);
}

#[tokio::test]
async fn a_given_project_id_makes_no_lookup() {
    let ak = "IAMAK-GIVEN";
    let iam = TestServer::start_iam(Expect::permanent(ak, SK), vec![]).await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK); 2]).await;
    // On the client.
    let with_id = build(
        client(&hss, &iam, "cn-north-4", Credentials::permanent(ak, SK)).project_id("p-given"),
    );
    synchronize(&with_id).await.expect("client project id");
    // On the call, for a client that would otherwise look it up.
    let without = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    #[allow(deprecated)]
    without
        .run_image_synchronize(hss_client::models::RunImageSynchronizeRequestInfo::new(
            hss_client::models::ImageType::PrivateImage,
        ))
        .project_id("p-call")
        .send()
        .await
        .expect("call project id");
    assert_eq!(iam.attempts(), 0);
    let paths: Vec<String> = hss.seen().into_iter().map(|seen| seen.path).collect();
    assert_eq!(
        paths,
        [
            "/v5/p-given/image/synchronize",
            "/v5/p-call/image/synchronize"
        ]
    );
    hss.assert_all_verified();
}

#[tokio::test]
async fn operations_without_a_project_id_make_no_lookup() {
    let ak = "IAMAK-ACCOUNT";
    let iam = TestServer::start_iam(Expect::permanent(ak, SK), vec![]).await;
    let hss = TestServer::start(
        Expect::permanent(ak, SK),
        vec![Reply::json(200, r#"{"total_num":0,"data_list":[]}"#)],
    )
    .await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::permanent(ak, SK),
    ));
    client
        .list_accounts()
        .send()
        .await
        .expect("the account call succeeds");
    assert_eq!(iam.attempts(), 0);
    let seen = hss.seen();
    assert_eq!(seen[0].path, "/v5/setting/account/accounts");
    assert!(seen[0].header("x-project-id").is_none());
}

#[tokio::test]
async fn iam_token_credentials_cannot_look_the_project_id_up() {
    let iam = TestServer::start_iam(Expect::Token("TOKEN".into()), vec![]).await;
    let hss = TestServer::start(Expect::Token("TOKEN".into()), vec![]).await;
    let client = build(client(
        &hss,
        &iam,
        "cn-north-4",
        Credentials::iam_token("TOKEN"),
    ));
    let error = expect_error(synchronize(&client).await);
    assert_eq!(error.kind(), ErrorKind::InvalidConfig);
    assert_eq!(
        error.to_string(),
        "project id must be given: IAM-token credentials cannot sign the IAM request that finds it for region \"cn-north-4\""
    );
    assert!(!error.to_string().contains("TOKEN"));
    assert_eq!(iam.attempts(), 0);
    assert_eq!(hss.attempts(), 0);
}

#[tokio::test]
async fn without_a_region_there_is_nothing_to_look_up() {
    let ak = "IAMAK-NO-REGION";
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![]).await;
    let client = build(
        hss_client::Client::builder()
            .env_lookup(|_| None)
            .home_dir("/nonexistent-home-for-tests")
            .endpoint(&hss.url)
            .credentials(Credentials::permanent(ak, SK)),
    );
    let error = expect_error(synchronize(&client).await);
    assert!(
        error
            .to_string()
            .starts_with("invalid argument project_id: is not set"),
        "{error}"
    );
    assert_eq!(hss.attempts(), 0);
}

#[tokio::test]
async fn the_iam_endpoint_comes_from_the_environment_or_the_profile_file() {
    // The environment variable, read through the client's environment lookup.
    let ak = "IAMAK-ENV";
    let iam = TestServer::start_iam(Expect::permanent(ak, SK), vec![projects(&["p-env"])]).await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK)]).await;
    let iam_url = iam.url.clone();
    let hss_url = hss.url.clone();
    let client = build(
        hss_client::Client::builder()
            .env_lookup(move |name| match name {
                "HUAWEICLOUD_SDK_AK" => Some(ak.to_owned()),
                "HUAWEICLOUD_SDK_SK" => Some(SK.to_owned()),
                "HUAWEICLOUD_SDK_IAM_ENDPOINT" => Some(iam_url.clone()),
                "HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4" => Some(hss_url.clone()),
                _ => None,
            })
            .home_dir("/nonexistent-home-for-tests")
            .region_id("cn-north-4"),
    );
    synchronize(&client).await.expect("the call succeeds");
    iam.assert_all_verified();
    assert_eq!(hss.seen()[0].path, "/v5/p-env/image/synchronize");

    // The profile file's `iam_endpoint`, beside the credentials it holds.
    let ak = "IAMAK-PROFILE";
    let iam = TestServer::start_iam(Expect::permanent(ak, SK), vec![projects(&["p-file"])]).await;
    let hss = TestServer::start(Expect::permanent(ak, SK), vec![Reply::json(200, OK)]).await;
    let home = std::env::temp_dir().join(format!("hss-client-e2e-iam-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".huaweicloud")).expect("create the home");
    std::fs::write(
        home.join(".huaweicloud/credentials"),
        format!(
            "[basic]\nak = {ak}\nsk = {SK}\niam_endpoint = {}\n",
            iam.url
        ),
    )
    .expect("write the profile");
    let client = build(
        hss_client::Client::builder()
            .env_lookup(|_| None)
            .home_dir(&home)
            .region_id("cn-north-4")
            .endpoint(&hss.url),
    );
    synchronize(&client).await.expect("the call succeeds");
    iam.assert_all_verified();
    assert_eq!(hss.seen()[0].path, "/v5/p-file/image/synchronize");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_bad_iam_endpoint_is_refused_by_build_naming_it() {
    let cases: &[(&str, Option<&str>, Option<&str>, &str)] = &[
        (
            "builder",
            Some("ftp://iam.example"),
            None,
            "invalid iam_endpoint: ",
        ),
        (
            "environment",
            None,
            Some("https://iam.example/?x=1"),
            "invalid HUAWEICLOUD_SDK_IAM_ENDPOINT: ",
        ),
    ];
    for (name, explicit, variable, expected) in cases {
        let variable = variable.map(str::to_owned);
        let mut builder = hss_client::Client::builder()
            .env_lookup(move |name| {
                (name == "HUAWEICLOUD_SDK_IAM_ENDPOINT")
                    .then(|| variable.clone())
                    .flatten()
            })
            .home_dir("/nonexistent-home-for-tests")
            .region_id("cn-north-4")
            .credentials(Credentials::permanent("AK", "SK"));
        if let Some(url) = explicit {
            builder = builder.iam_endpoint(*url);
        }
        let error = builder.build().expect_err(name);
        assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{name}");
        assert!(error.to_string().starts_with(expected), "{name}: {error}");
    }
    // The environment is only read when a lookup may be needed.
    let built = hss_client::Client::builder()
        .env_lookup(|name| (name == "HUAWEICLOUD_SDK_IAM_ENDPOINT").then(|| "ftp://x".to_owned()))
        .home_dir("/nonexistent-home-for-tests")
        .region_id("cn-north-4")
        .project_id("p")
        .credentials(Credentials::permanent("AK", "SK"))
        .build();
    assert!(built.is_ok(), "{built:?}");
}

/// A provider whose every fetch is a new temporary key (`ak1`, `ak2`, ...), valid two seconds.
#[derive(Debug, Default)]
struct RotatingKeys {
    fetches: std::sync::atomic::AtomicUsize,
}

impl hss_client::runtime::credentials::ProvideCredentials for RotatingKeys {
    fn name(&self) -> &str {
        "rotating test keys"
    }

    fn provide<'a>(
        &'a self,
        _context: hss_client::runtime::credentials::FetchContext<'a>,
    ) -> hss_client::runtime::credentials::ProvideFuture<'a> {
        let n = self
            .fetches
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        Box::pin(async move {
            Ok(hss_client::runtime::credentials::FetchedCredentials::new(
                Credentials::temporary(format!("ak{n}"), "sk", "token"),
                Some(std::time::SystemTime::now() + Duration::from_secs(2)),
            ))
        })
    }
}

#[tokio::test]
async fn a_refreshed_key_keeps_the_project_id_its_client_found() {
    use hss_client::test_util::{MockReply, MockTransport};
    let mock = MockTransport::new();
    let ok = r#"{"error_code":0,"error_description":"success"}"#;
    mock.push(MockReply::json(200, r#"{"projects":[{"id":"p-found"}]}"#))
        .push(MockReply::json(200, ok))
        .push(MockReply::json(200, ok));
    let client = build(
        hss_client::Client::builder()
            .env_lookup(|_| None)
            .home_dir("/nonexistent-home-for-tests")
            .region_id("cn-north-4")
            .credentials(Credentials::provider(RotatingKeys::default()))
            .credentials_refresh_margin(Duration::from_secs(1))
            .mock_transport(mock.clone()),
    );
    synchronize(&client).await.expect("the first call");
    // Inside the margin: the next call refreshes the key first.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    synchronize(&client)
        .await
        .expect("the second call, with a new key and no second lookup");
    let requests = mock.requests();
    assert_eq!(requests.len(), 3, "one lookup and two calls: {requests:#?}");
    let second = &requests[2];
    assert!(
        second.path().starts_with("/v5/p-found/"),
        "{}",
        second.path()
    );
    let authorization = second.header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("Access=ak2"),
        "signed with the new key"
    );
}
