//! Keep-alive over loopback: connections are reused, an idle connection the server closed
//! never fails a call, and the pool's settings hold. The server counts connections and
//! requests, so each test also proves that no request reached the server twice.

#![allow(deprecated)] // RunImageSynchronize is deprecated upstream; still the operation under test.

mod support;

use std::time::Duration;

use hss_client::{Client, Credentials, RetryPolicy};
use support::{Expect, Mode, Reply, TestServer};

const OK: &str = r#"{"error_code":0,"error_description":"success"}"#;

async fn server(mode: Mode) -> TestServer {
    TestServer::start_with(
        Expect::permanent("AK", "SK"),
        Vec::new(),
        Reply::json(200, OK),
        mode,
    )
    .await
}

/// A client that never retries: every success below is the first attempt's (or its one resend
/// after a pooled connection closed).
fn builder(server: &TestServer) -> hss_client::ClientBuilder {
    support::client(&server.url, Credentials::permanent("AK", "SK"))
        .read_timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::never())
}

/// `lanes` tasks each make `calls` calls one after another, waiting `spacing(lane, call)`
/// before each; returns the failures.
async fn run(
    client: &Client,
    lanes: usize,
    calls: usize,
    spacing: fn(usize, usize) -> Duration,
) -> Vec<String> {
    let mut tasks = Vec::new();
    for lane in 0..lanes {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for call in 0..calls {
                tokio::time::sleep(spacing(lane, call)).await;
                if let Err(error) = support::synchronize(&client).await {
                    failures.push(format!("lane {lane} call {call}: {error}"));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.expect("lane"));
    }
    failures
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = server(Mode::KeepAlive {
        idle: Duration::from_secs(10),
    })
    .await;
    let client = builder(&server).build().expect("client");
    let failures = run(&client, 1, 20, |_, _| Duration::ZERO).await;
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(server.attempts(), 20);
    assert_eq!(server.connections(), 1);
    server.assert_all_verified();
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_is_replaced() {
    let server = server(Mode::KeepAlive {
        idle: Duration::from_millis(20),
    })
    .await;
    let client = builder(&server).build().expect("client");
    let failures = run(&client, 1, 3, |_, call| {
        Duration::from_millis(if call == 0 { 0 } else { 80 })
    })
    .await;
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(server.attempts(), 3);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn calls_spaced_around_the_idle_timeout_all_succeed() {
    // The server closes a connection idle for 4 ms; calls come 2 to 6 ms apart, so many are
    // sent just as the server closes the connection they were given.
    let server = server(Mode::KeepAlive {
        idle: Duration::from_millis(4),
    })
    .await;
    let client = builder(&server).build().expect("client");
    let failures = run(&client, 20, 50, |lane, call| {
        Duration::from_micros(2_000 + ((lane * 7919 + call * 104_729) % 4_000) as u64)
    })
    .await;
    assert!(
        failures.is_empty(),
        "{} failed: {failures:#?}",
        failures.len()
    );
    assert_eq!(
        server.attempts(),
        1000,
        "a request reached the server twice"
    );
    server.assert_all_verified();
}

#[tokio::test]
async fn back_to_back_calls_to_a_server_closing_after_each_answer_all_succeed() {
    // The server closes each connection a moment after answering on it, without saying so; the
    // next call, sent at once, often goes out on it just before it closes.
    let server = server(Mode::CloseAfterAnswer {
        after: Duration::from_micros(300),
    })
    .await;
    let client = builder(&server).build().expect("client");
    let failures = run(&client, 10, 100, |_, _| Duration::ZERO).await;
    assert!(
        failures.is_empty(),
        "{} failed: {failures:#?}",
        failures.len()
    );
    assert_eq!(
        server.attempts(),
        1000,
        "a request reached the server twice"
    );
}

#[tokio::test]
async fn concurrent_calls_share_the_pool() {
    let server = server(Mode::KeepAlive {
        idle: Duration::from_secs(10),
    })
    .await;
    let client = builder(&server).build().expect("client");
    // Two rounds of 50 concurrent calls: the second finds the first round's connections idle.
    for _ in 0..2 {
        let failures = run(&client, 50, 1, |_, _| Duration::ZERO).await;
        assert!(failures.is_empty(), "{failures:#?}");
    }
    assert_eq!(server.attempts(), 100);
    assert!(
        server.connections() <= 50,
        "{} connections",
        server.connections()
    );
}

#[tokio::test]
async fn the_client_lets_an_idle_connection_go_after_its_idle_timeout() {
    let server = server(Mode::KeepAlive {
        idle: Duration::from_secs(10),
    })
    .await;
    let client = builder(&server)
        .pool_idle_timeout(Duration::from_millis(20))
        .build()
        .expect("client");
    let failures = run(&client, 1, 2, |_, call| {
        Duration::from_millis(if call == 0 { 0 } else { 100 })
    })
    .await;
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn without_idle_connections_each_call_connects() {
    let server = server(Mode::KeepAlive {
        idle: Duration::from_secs(10),
    })
    .await;
    for client in [
        builder(&server).pool_max_idle_per_host(0),
        builder(&server).pool_idle_timeout(Duration::ZERO),
    ] {
        let before = server.connections();
        let client = client.build().expect("client");
        let failures = run(&client, 1, 5, |_, _| Duration::ZERO).await;
        assert!(failures.is_empty(), "{failures:#?}");
        assert_eq!(server.connections() - before, 5);
    }
}

#[tokio::test]
async fn a_request_is_sent_again_at_most_once_and_only_after_a_pooled_connection() {
    // The second call goes out on the first call's connection, which the server closes without
    // answering: indistinguishable from an idle close, so it is sent once more on a new
    // connection, where the same failure is reported as it is.
    let server = TestServer::start_with(
        Expect::permanent("AK", "SK"),
        vec![Reply::json(200, OK), Reply::Drop, Reply::Drop],
        Reply::json(200, OK),
        Mode::KeepAlive {
            idle: Duration::from_secs(10),
        },
    )
    .await;
    let client = builder(&server).build().expect("client");
    support::synchronize(&client).await.expect("first call");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(
        error.kind(),
        hss_client::ErrorKind::ConnectionDropped,
        "{error}"
    );
    assert_eq!(server.attempts(), 3);
    assert_eq!(server.connections(), 2);

    // On a new connection, closing without an answer is never followed by a resend.
    let server = TestServer::start_with(
        Expect::permanent("AK", "SK"),
        vec![Reply::Drop],
        Reply::json(200, OK),
        Mode::KeepAlive {
            idle: Duration::from_secs(10),
        },
    )
    .await;
    let client = builder(&server).build().expect("client");
    let error = support::expect_error(support::synchronize(&client).await);
    assert_eq!(
        error.kind(),
        hss_client::ErrorKind::ConnectionDropped,
        "{error}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn concurrent_calls_are_capped_per_client() {
    let slow = Reply::Delay(Duration::from_millis(20), Box::new(Reply::json(200, OK)));
    let server = TestServer::start_with(
        Expect::permanent("AK", "SK"),
        Vec::new(),
        slow,
        Mode::KeepAlive {
            idle: Duration::from_secs(10),
        },
    )
    .await;
    let client = builder(&server)
        .max_concurrent_requests(8)
        .build()
        .expect("client");
    let failures = run(&client, 200, 1, |_, _| Duration::ZERO).await;
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(server.attempts(), 200);
    assert!(server.most_busy() <= 8, "{} at once", server.most_busy());
    assert!(
        server.connections() < 50,
        "{} connections",
        server.connections()
    );

    // Without a cap, the same calls all go out at once.
    let uncapped = builder(&server)
        .max_concurrent_requests(usize::MAX)
        .build()
        .expect("client");
    let failures = run(&uncapped, 100, 1, |_, _| Duration::ZERO).await;
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(server.most_busy() > 8, "{} at once", server.most_busy());
}
