//! The example `run_image_synchronize` against the loopback server: its flags, its output on
//! success, its one `error:` line on failure. The example's file is compiled in here as a module.

mod support;

#[path = "../examples/run_image_synchronize.rs"]
#[allow(dead_code)] // Its `main` is the example's, not ours.
mod example;

use std::collections::HashMap;

use support::{Expect, Reply, TestServer, args, env};

const SAMPLE_ENV: &[(&str, &str)] = &[("CLOUD_SDK_AK", "SAMPLEAK"), ("CLOUD_SDK_SK", "SAMPLESK")];

#[tokio::test]
async fn success_prints_the_body_as_json() {
    let server = TestServer::start(
        Expect::permanent("SAMPLEAK", "SAMPLESK"),
        vec![Reply::json(
            200,
            r#"{"error_code":0,"error_description":"success"}"#,
        )],
    )
    .await;
    let outcome = example::run(
        &args(&[
            "--endpoint",
            &server.url,
            "--project-id",
            "p-9",
            "--image-type",
            "shared_image",
            "--enterprise-project-id=all_granted_eps",
            "--region-header",
            "cn-north-4",
        ]),
        env(SAMPLE_ENV),
    )
    .await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    assert_eq!(
        outcome.stdout,
        r#"{"error_code":0,"error_description":"success"}"#
    );
    assert_eq!(outcome.stderr, "");
    server.assert_all_verified();
    let seen = &server.seen()[0];
    assert_eq!(seen.path, "/v5/p-9/image/synchronize");
    assert_eq!(seen.query, "enterprise_project_id=all_granted_eps");
    assert_eq!(seen.header("region"), Some("cn-north-4"));
    assert_eq!(
        String::from_utf8_lossy(&seen.body),
        r#"{"image_type":"shared_image"}"#
    );
}

#[tokio::test]
async fn temporary_credentials_and_project_id_from_the_environment() {
    let server = TestServer::start(
        Expect::temporary("AK", "SK", "STS"),
        vec![Reply::json(200, r#"{"error_code":0}"#)],
    )
    .await;
    let environment = env(&[
        ("HUAWEICLOUD_SDK_AK", "AK"),
        ("HUAWEICLOUD_SDK_SK", "SK"),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "STS"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ]);
    let outcome = example::run(&args(&["--endpoint", &server.url]), environment).await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    server.assert_all_verified();
    assert_eq!(server.seen()[0].path, "/v5/env-project/image/synchronize");
    assert_eq!(
        String::from_utf8_lossy(&server.seen()[0].body),
        r#"{"image_type":"private_image"}"#
    );
}

#[tokio::test]
async fn a_service_error_is_one_error_line_with_every_field() {
    let server = TestServer::start(
        Expect::permanent("SAMPLEAK", "SAMPLESK"),
        vec![Reply::json(401, r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#)
            .header("X-Request-Id", "0f7b2a5c")],
    )
    .await;
    let outcome = example::run(
        &args(&["--endpoint", &server.url, "--project-id", "p"]),
        env(SAMPLE_ENV),
    )
    .await;
    assert_eq!(outcome.exit_code, 1);
    assert_eq!(outcome.stdout, "");
    assert_eq!(
        outcome.stderr,
        "error: RunImageSynchronize: status 401, request id 0f7b2a5c, error code APIGW.0301, \
         error message Incorrect IAM authentication information"
    );
}

#[tokio::test]
async fn other_failures_are_one_error_line() {
    let refused = support::refused_url().await;
    // (arguments, environment, exit code, start of stderr)
    type Case<'a> = (Vec<String>, &'a [(&'a str, &'a str)], u8, &'a str);
    // No credentials anywhere, and the metadata service of the chain's end on loopback.
    let no_credentials = [("HUAWEICLOUD_SDK_METADATA_ENDPOINT", refused.as_str())];
    let cases: Vec<Case<'_>> = vec![
        (
            args(&["--endpoint", &refused, "--project-id", "p"]),
            SAMPLE_ENV,
            1,
            "error: RunImageSynchronize: could not connect: ",
        ),
        (
            args(&["--endpoint", &refused, "--project-id", "p"]),
            &no_credentials,
            1,
            "error: no credentials found",
        ),
        (
            args(&["--region", "xx-nowhere-1", "--project-id", "p"]),
            SAMPLE_ENV,
            1,
            "error: unknown region",
        ),
        (
            args(&["--endpoint", &refused]),
            SAMPLE_ENV,
            1,
            "error: invalid argument project_id: is not set",
        ),
        (
            args(&["--project-id", "p"]),
            SAMPLE_ENV,
            2,
            "error: give --region or --endpoint",
        ),
        (
            args(&["--region"]),
            SAMPLE_ENV,
            2,
            "error: --region needs a value",
        ),
        (
            args(&["--region", "--endpoint", "x"]),
            SAMPLE_ENV,
            2,
            "error: --region needs a value",
        ),
        (
            args(&["--colour", "red"]),
            SAMPLE_ENV,
            2,
            "error: unknown argument \"--colour\"",
        ),
        (
            args(&["--region", "a", "--region", "b"]),
            SAMPLE_ENV,
            2,
            "error: --region is given twice",
        ),
        (
            args(&["--region", "cn-north-4", "--image-type", "public"]),
            SAMPLE_ENV,
            2,
            "error: --image-type \"public\" is not one of",
        ),
        (
            args(&["--help"]),
            SAMPLE_ENV,
            2,
            "error: usage: run_image_synchronize",
        ),
    ];
    for (arguments, environment, exit_code, start) in cases {
        let outcome = example::run(&arguments, env(environment)).await;
        assert_eq!(outcome.exit_code, exit_code, "{arguments:?}: {outcome:?}");
        assert!(
            outcome.stderr.starts_with(start),
            "{arguments:?}: {:?}",
            outcome.stderr
        );
        assert!(!outcome.stderr.contains('\n'), "{:?}", outcome.stderr);
        assert_eq!(outcome.stdout, "");
    }
}

/// `--project-id ..` would post to `/image/synchronize` after URL normalisation: it is refused
/// with one `error:` line naming the parameter, and nothing reaches the server. Encoded dots
/// are sent as the literal text they are.
#[tokio::test]
async fn dot_segments_in_path_parameters_are_refused_before_sending() {
    let server = TestServer::start(Expect::permanent("SAMPLEAK", "SAMPLESK"), Vec::new()).await;
    for project_id in ["..", "."] {
        let outcome = example::run(
            &args(&["--project-id", project_id, "--endpoint", &server.url]),
            env(SAMPLE_ENV),
        )
        .await;
        assert_eq!(outcome.exit_code, 1, "{outcome:?}");
        assert_eq!(outcome.stdout, "");
        assert_eq!(
            outcome.stderr,
            format!(
                "error: invalid argument project_id: is {project_id:?}, a dot segment that would \
                 change the request's path"
            )
        );
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());

    let server = TestServer::start(
        Expect::permanent("SAMPLEAK", "SAMPLESK"),
        vec![Reply::json(200, r#"{"error_code":0}"#)],
    )
    .await;
    let outcome = example::run(
        &args(&["--project-id", "%2E%2E", "--endpoint", &server.url]),
        env(SAMPLE_ENV),
    )
    .await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    server.assert_all_verified();
    assert_eq!(server.seen()[0].path, "/v5/%252E%252E/image/synchronize");
}

/// The environment of a run with `--region cn-north-4` whose HSS and IAM are on loopback.
fn loopback_env(ak: &str, hss: &TestServer, iam: &TestServer) -> Vec<(String, String)> {
    vec![
        ("HUAWEICLOUD_SDK_AK".into(), ak.into()),
        ("HUAWEICLOUD_SDK_SK".into(), "IAMSK".into()),
        (
            "HUAWEICLOUD_SDK_REGION_HSS_CN_NORTH_4".into(),
            hss.url.clone(),
        ),
        ("HUAWEICLOUD_SDK_IAM_ENDPOINT".into(), iam.url.clone()),
    ]
}

fn owned_env(
    pairs: Vec<(String, String)>,
) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let mut map: HashMap<String, String> = pairs.into_iter().collect();
    map.insert("HOME".into(), "/nonexistent-home-for-tests".into());
    move |name| map.get(name).cloned()
}

fn iam_projects(ids: &[&str], trace: &str) -> Reply {
    let list: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":"{id}"}}"#)).collect();
    Reply::json(200, &format!(r#"{{"projects":[{}]}}"#, list.join(",")))
        .header("X-IAM-Trace-Id", trace)
}

#[tokio::test]
async fn a_region_without_a_project_id_finds_it_through_iam() {
    let ak = "EXAMPLE-IAM-FOUND";
    let iam = TestServer::start_iam(
        Expect::permanent(ak, "IAMSK"),
        vec![iam_projects(&["0a1b2c3d4e5f"], "trace-1")],
    )
    .await;
    let hss = TestServer::start(
        Expect::permanent(ak, "IAMSK"),
        vec![Reply::json(200, r#"{"error_code":0}"#)],
    )
    .await;
    let outcome = example::run(
        &args(&["--region", "cn-north-4"]),
        owned_env(loopback_env(ak, &hss, &iam)),
    )
    .await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    iam.assert_all_verified();
    assert_eq!(iam.attempts(), 1);
    assert_eq!(iam.seen()[0].query, "name=cn-north-4");
    hss.assert_all_verified();
    assert_eq!(hss.seen()[0].path, "/v5/0a1b2c3d4e5f/image/synchronize");
    assert_eq!(hss.seen()[0].header("x-project-id"), Some("0a1b2c3d4e5f"));
}

#[tokio::test]
async fn a_failed_lookup_is_one_error_line_and_hss_sees_nothing() {
    // (access key, IAM's answer, the error line)
    let cases = [
        (
            "EXAMPLE-IAM-NONE",
            iam_projects(&[], "trace-none"),
            "error: no project found through IAM for region \"cn-north-4\" \
             (X-IAM-Trace-Id trace-none): set the project id",
        ),
        (
            "EXAMPLE-IAM-TWO",
            iam_projects(&["p-1", "p-2"], "trace-two"),
            "error: 2 projects found through IAM for region \"cn-north-4\" \
             (ids p-1, p-2; X-IAM-Trace-Id trace-two): set the project id to the one meant",
        ),
        (
            "EXAMPLE-IAM-401",
            Reply::json(
                401,
                r#"{"error":{"code":"IAM.0001","message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
            )
            .header("X-IAM-Trace-Id", "trace-401"),
            "error: KeystoneListProjects: status 401, request id trace-401, error code IAM.0001, \
             error message The request you have made requires authentication.",
        ),
    ];
    for (ak, answer, line) in cases {
        let iam = TestServer::start_iam(Expect::permanent(ak, "IAMSK"), vec![answer]).await;
        let hss = TestServer::start(Expect::permanent(ak, "IAMSK"), Vec::new()).await;
        let outcome = example::run(
            &args(&["--region", "cn-north-4"]),
            owned_env(loopback_env(ak, &hss, &iam)),
        )
        .await;
        assert_eq!(outcome.exit_code, 1, "{ak}: {outcome:?}");
        assert_eq!(outcome.stdout, "");
        assert_eq!(outcome.stderr, line, "{ak}");
        assert_eq!(iam.attempts(), 1, "{ak}");
        iam.assert_all_verified();
        assert_eq!(hss.attempts(), 0, "{ak}: HSS saw a request");
    }
}

#[tokio::test]
async fn an_explicit_project_id_makes_no_lookup() {
    let ak = "EXAMPLE-IAM-EXPLICIT";
    let iam = TestServer::start_iam(Expect::permanent(ak, "IAMSK"), Vec::new()).await;
    let hss = TestServer::start(
        Expect::permanent(ak, "IAMSK"),
        vec![Reply::json(200, r#"{"error_code":0}"#)],
    )
    .await;
    let outcome = example::run(
        &args(&["--region", "cn-north-4", "--project-id", "p-explicit"]),
        owned_env(loopback_env(ak, &hss, &iam)),
    )
    .await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    assert_eq!(iam.attempts(), 0);
    assert_eq!(hss.seen()[0].path, "/v5/p-explicit/image/synchronize");
}

#[test]
fn flags_parse_in_both_forms() {
    let parsed = example::parse_args(&args(&[
        "--region=cn-north-4",
        "--project-id",
        "p",
        "--region-header",
        "r",
    ]));
    assert_eq!(
        parsed,
        Ok(example::Options {
            region: Some("cn-north-4".into()),
            project_id: Some("p".into()),
            region_header: Some("r".into()),
            ..example::Options::default()
        })
    );
}
