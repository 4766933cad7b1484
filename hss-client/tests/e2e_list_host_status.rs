//! The example `list_host_status` against the loopback server: 23 hosts at 10 a page in exactly
//! three signed requests (offsets 0, 10, 20, the same query otherwise), each host printed once
//! in order; `--max-items` fetches no page beyond the last host it prints; one `error:` line on
//! failure. The example's file is compiled in here as a module.

mod support;

#[path = "../examples/list_host_status.rs"]
#[allow(dead_code)] // Its `main` is the example's, not ours.
mod example;

use serde_json::json;
use support::{Expect, Reply, TestServer, args, env};

const SAMPLE_ENV: &[(&str, &str)] = &[("CLOUD_SDK_AK", "SAMPLEAK"), ("CLOUD_SDK_SK", "SAMPLESK")];

fn host(id: usize) -> serde_json::Value {
    json!({"host_id": format!("h-{id}"), "host_name": format!("host {id}"), "private_ip": format!("10.0.0.{id}")})
}

fn page(ids: std::ops::Range<usize>, total: usize) -> Reply {
    let hosts: Vec<_> = ids.map(host).collect();
    Reply::json(
        200,
        &json!({"total_num": total, "data_list": hosts}).to_string(),
    )
}

/// The server's three pages of 23 hosts.
async fn server_with_23_hosts() -> TestServer {
    TestServer::start(
        Expect::permanent("SAMPLEAK", "SAMPLESK"),
        vec![page(0..10, 23), page(10..20, 23), page(20..23, 23)],
    )
    .await
}

/// Runs the example; its exit code, stdout and stderr.
async fn run(list: &[&str]) -> (u8, String, String) {
    let mut stdout = Vec::new();
    let outcome = example::run(&args(list), env(SAMPLE_ENV), &mut stdout).await;
    (
        outcome.exit_code,
        String::from_utf8(stdout).expect("utf-8 output"),
        outcome.stderr,
    )
}

/// Each request's query without its `offset`, and the offsets, in order; every request's
/// signature verified.
fn offsets_and_rest(server: &TestServer) -> (Vec<String>, Vec<String>) {
    server.assert_all_verified();
    let mut offsets = Vec::new();
    let mut rest = Vec::new();
    for seen in server.seen() {
        assert_eq!(seen.method, "GET");
        assert_eq!(seen.path, "/v5/p-1/host-management/hosts");
        let mut others = Vec::new();
        for pair in seen.query.split('&') {
            match pair.strip_prefix("offset=") {
                Some(offset) => offsets.push(offset.to_owned()),
                None => others.push(pair),
            }
        }
        rest.push(others.join("&"));
    }
    (offsets, rest)
}

/// The printed lines must be these hosts' JSON objects, one a line, in order.
fn assert_hosts(stdout: &str, ids: std::ops::Range<usize>) {
    let printed: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect();
    let expected: Vec<serde_json::Value> = ids.map(host).collect();
    assert_eq!(printed, expected);
}

#[tokio::test]
async fn twenty_three_hosts_at_ten_a_page_take_three_signed_requests() {
    let server = server_with_23_hosts().await;
    let (code, stdout, stderr) = run(&[
        "--endpoint",
        &server.url,
        "--project-id",
        "p-1",
        "--page-size",
        "10",
    ])
    .await;
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_hosts(&stdout, 0..23);
    let (offsets, rest) = offsets_and_rest(&server);
    assert_eq!(offsets, ["0", "10", "20"]);
    assert_eq!(rest, ["limit=10", "limit=10", "limit=10"]);
}

#[tokio::test]
async fn max_items_fetches_no_page_beyond_the_last_host_printed() {
    // (--max-items, hosts printed, requests)
    for (max, printed, requests) in [("12", 12, 2), ("10", 10, 1), ("0", 0, 0), ("99", 23, 3)] {
        let server = server_with_23_hosts().await;
        let (code, stdout, stderr) = run(&[
            "--endpoint",
            &server.url,
            "--project-id=p-1",
            "--page-size=10",
            "--max-items",
            max,
        ])
        .await;
        assert_eq!((code, stderr.as_str()), (0, ""), "--max-items {max}");
        assert_hosts(&stdout, 0..printed);
        let (offsets, _) = offsets_and_rest(&server);
        let expected: Vec<String> = (0..requests).map(|n| (n * 10).to_string()).collect();
        assert_eq!(offsets, expected, "--max-items {max}");
    }
}

#[tokio::test]
async fn a_service_error_on_a_later_page_is_one_error_line_after_the_hosts_before_it() {
    let server = TestServer::start(
        Expect::permanent("SAMPLEAK", "SAMPLESK"),
        vec![
            page(0..10, 23),
            Reply::json(
                403,
                r#"{"error_code":"HSS.0004","error_msg":"no permission for this project"}"#,
            )
            .header("X-Request-Id", "5e1f00aa"),
        ],
    )
    .await;
    let (code, stdout, stderr) = run(&[
        "--endpoint",
        &server.url,
        "--project-id",
        "p-1",
        "--page-size",
        "10",
    ])
    .await;
    assert_eq!(code, 1);
    assert_hosts(&stdout, 0..10);
    assert_eq!(
        stderr,
        "error: ListHostStatus: status 403, request id 5e1f00aa, error code HSS.0004, \
         error message no permission for this project"
    );
    assert_eq!(offsets_and_rest(&server).0, ["0", "10"]);
}

#[tokio::test]
async fn bad_flags_exit_2_and_configuration_errors_exit_1_without_a_request() {
    let server = server_with_23_hosts().await;
    let cases: &[(&[&str], u8, &str)] = &[
        (
            &["--project-id", "p"],
            2,
            "error: give --region or --endpoint",
        ),
        (
            &["--endpoint", &server.url, "--page-size", "0"],
            2,
            "error: --page-size \"0\" is not a whole number of at least 1",
        ),
        (
            &["--endpoint", &server.url, "--page-size", "ten"],
            2,
            "error: --page-size \"ten\"",
        ),
        (
            &["--endpoint", &server.url, "--max-items", "-1"],
            2,
            "error: --max-items \"-1\" is not a whole number",
        ),
        (
            &[
                "--endpoint",
                &server.url,
                "--max-items",
                "1",
                "--max-items",
                "2",
            ],
            2,
            "error: --max-items is given twice",
        ),
        (
            &["--endpoint", &server.url, "--limit", "5"],
            2,
            "error: unknown argument \"--limit\"",
        ),
        (
            &["--endpoint", &server.url, "--page-size"],
            2,
            "error: --page-size needs a value",
        ),
        (
            &["--region", "xx-nowhere-1", "--project-id", "p"],
            1,
            "error: ",
        ),
    ];
    for (list, code, start) in cases {
        let (exit_code, stdout, stderr) = run(list).await;
        assert_eq!(exit_code, *code, "{list:?}: {stderr}");
        assert_eq!(stdout, "", "{list:?}");
        assert!(stderr.starts_with(start), "{list:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{list:?}: {stderr}");
    }
    assert_eq!(server.attempts(), 0);
}
