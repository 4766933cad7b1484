//! The default credential chain end to end, with no AK/SK anywhere: the example against a
//! loopback fake of ECS metadata and of CCE pod identity, the HSS call verified by the test
//! server's own signer with the fetched temporary key; a silent metadata service failing the
//! chain within 10 s; 1,000 concurrent calls across a refresh making one fetch.

mod support;

#[path = "../examples/run_image_synchronize.rs"]
#[allow(dead_code)] // Its `main` is the example's, not ours.
mod example;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::{Expect, Reply, TestServer, args, env};

const AK: &str = "TEMPAK";
const SK: &str = "temporary-secret-key";
const TOKEN: &str = "temporary-security-token";

/// `time` as ISO 8601 UTC with microseconds, as the services write it.
fn iso8601(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).expect("after 1970");
    let (days, rest) = (since.as_secs() / 86_400, since.as_secs() % 86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_micros()
    )
}

fn credentials_answer(expires_in: Duration) -> Reply {
    let body = serde_json::json!({"credential": {"access": AK, "secret": SK,
        "securitytoken": TOKEN, "expires_at": iso8601(SystemTime::now() + expires_in)}});
    Reply::json(200, &body.to_string())
}

fn success() -> Reply {
    Reply::json(200, r#"{"error_code":0,"error_description":"success"}"#)
}

#[tokio::test]
async fn the_example_runs_on_a_tokenless_metadata_service() {
    let metadata = TestServer::start(
        Expect::permanent("unused", "unused"),
        vec![
            Reply::json(404, "{}"),
            credentials_answer(Duration::from_secs(6 * 3600)),
        ],
    )
    .await;
    let hss = TestServer::start(Expect::temporary(AK, SK, TOKEN), vec![success()]).await;
    let outcome = example::run(
        &args(&["--endpoint", &hss.url, "--project-id", "p-1"]),
        env(&[("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.url)]),
    )
    .await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    hss.assert_all_verified();
    let seen = metadata.seen();
    let requests: Vec<(&str, &str)> = seen
        .iter()
        .map(|seen| (seen.method.as_str(), seen.path.as_str()))
        .collect();
    assert_eq!(
        requests,
        [
            ("PUT", "/meta-data/latest/api/token"),
            ("GET", "/openstack/latest/securitykey")
        ]
    );
    assert_eq!(
        seen[0].header("X-Metadata-Token-Ttl-Seconds"),
        Some("21600")
    );
    assert_eq!(seen[1].header("X-Metadata-Token"), None);
    assert!(!outcome.stdout.contains(SK) && !outcome.stderr.contains(SK));
}

#[tokio::test]
async fn the_pod_identity_signs_when_metadata_answers_too() {
    let dir = std::env::temp_dir().join(format!("hss-e2e-pod-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "pod-authorization-token\n").expect("write token");
    let pod = TestServer::start(
        Expect::permanent("unused", "unused"),
        vec![credentials_answer(Duration::from_secs(6 * 3600))],
    )
    .await;
    let metadata = TestServer::start(Expect::permanent("unused", "unused"), vec![]).await;
    let hss = TestServer::start(Expect::temporary(AK, SK, TOKEN), vec![success()]).await;
    let pod_uri = format!("{}/v1/credentials", pod.url);
    let outcome = example::run(
        &args(&["--endpoint", &hss.url, "--project-id", "p-1"]),
        env(&[
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.url),
            ("HC_CONTAINER_CREDENTIALS_FULL_URI", &pod_uri),
            (
                "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.to_str().expect("utf-8"),
            ),
        ]),
    )
    .await;
    assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    hss.assert_all_verified();
    assert_eq!(metadata.attempts(), 0);
    let seen = pod.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/v1/credentials");
    assert_eq!(
        seen[0].header("Authorization"),
        Some("pod-authorization-token")
    );
    assert_eq!(seen[0].body, b"{}");
}

#[tokio::test]
async fn a_silent_metadata_service_fails_the_chain_within_ten_seconds() {
    let silent = support::silent_url().await.replace("https://", "http://");
    let hss = TestServer::start(Expect::temporary(AK, SK, TOKEN), vec![success()]).await;
    let started = Instant::now();
    let outcome = example::run(
        &args(&["--endpoint", &hss.url, "--project-id", "p-1"]),
        env(&[("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &silent)]),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(outcome.exit_code, 1, "{outcome:?}");
    for place in [
        "no credentials found",
        "oidc sts",
        "federated identity",
        "HUAWEICLOUD_SDK_AK",
        "CLOUD_SDK_AK",
        "profile file",
        "cce pod identity",
        "ECS metadata at",
    ] {
        assert!(
            outcome.stderr.contains(place),
            "{place}: {}",
            outcome.stderr
        );
    }
    assert_eq!(hss.attempts(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_across_a_refresh_make_one_fetch() {
    // The first key enters the 40-minute margin two seconds after it is fetched.
    let metadata = TestServer::start(
        Expect::permanent("unused", "unused"),
        vec![
            Reply::json(404, "{}"),
            credentials_answer(Duration::from_secs(40 * 60 + 2)),
            Reply::json(404, "{}"),
            credentials_answer(Duration::from_secs(6 * 3600)),
        ],
    )
    .await;
    let hss = TestServer::start(
        Expect::temporary(AK, SK, TOKEN),
        (0..1001).map(|_| success()).collect(),
    )
    .await;
    let metadata_url = metadata.url.clone();
    let client = hss_client::Client::builder()
        .env_lookup(move |name| {
            (name == "HUAWEICLOUD_SDK_METADATA_ENDPOINT").then(|| metadata_url.clone())
        })
        .home_dir("/nonexistent-home-for-tests")
        .endpoint(&hss.url)
        .project_id("p-1")
        .build()
        .expect("build");
    support::synchronize(&client).await.expect("first call");
    assert_eq!(metadata.attempts(), 2);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { support::synchronize(&client).await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.expect("task").expect("call");
    }
    // One more session-token PUT and one credentials GET: a single refresh.
    assert_eq!(metadata.attempts(), 4);
    hss.assert_all_verified();
}
