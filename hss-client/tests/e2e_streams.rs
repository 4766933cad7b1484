//! Binary downloads end to end over loopback: the body arrives as the caller reads it, past the
//! JSON size limit, under its own limit and the read timeout between chunks; a failure part-way
//! says how many bytes had arrived; the request's turn is held until the stream is done.

mod support;

use std::time::Duration;

use hss_client::{Credentials, ErrorKind, TimeoutPhase};
use support::{Expect, Reply, TestServer};
use tokio::io::AsyncReadExt as _;

fn creds() -> Credentials {
    Credentials::permanent("AK", "SK")
}

async fn server(script: Vec<Reply>) -> TestServer {
    TestServer::start(Expect::permanent("AK", "SK"), script).await
}

/// A client of `server` with the support's test-sized settings.
fn client(server: &TestServer) -> hss_client::ClientBuilder {
    support::client(&server.url, creds())
}

async fn download(
    client: &hss_client::Client,
) -> Result<hss_client::ApiResponse<hss_client::ByteStream>, hss_client::Error> {
    client.list_download_exported_file("f").send().await
}

fn content(length: usize) -> Vec<u8> {
    (0..length).map(|i| (i % 253) as u8).collect()
}

fn binary(body: Vec<u8>) -> Reply {
    Reply::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "application/octet-stream".into())],
        body,
    }
}

/// The head of a 200 answer declaring `length` bytes, and the first `sent` of them.
fn head_and_part(length: usize, sent: usize) -> Vec<u8> {
    let mut raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\nX-Request-Id: rid-stream\r\n\r\n"
    )
    .into_bytes();
    raw.extend(content(sent));
    raw
}

#[tokio::test]
async fn a_download_larger_than_the_json_limit_streams_to_a_reader() {
    let body = content(3 * 1024 * 1024 + 5);
    let server = server(vec![binary(body.clone())]).await;
    let client = client(&server)
        .max_response_body(1024)
        .build()
        .expect("client");
    let response = client
        .list_download_exported_file("file-1")
        .send()
        .await
        .expect("the head arrives");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body().length(), Some(body.len() as u64));
    let mut reader = response.into_body().into_async_read();
    let mut read = Vec::new();
    reader.read_to_end(&mut read).await.expect("the whole body");
    assert!(read == body, "the body arrived changed");
    let seen = server.seen();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/v5/project-1/download/file-1");
    server.assert_all_verified();
}

#[tokio::test]
async fn chunks_come_as_they_arrive_and_collect_whole() {
    let body = content(200_000);
    let server = server(vec![binary(body.clone())]).await;
    let client = client(&server).build().expect("client");
    let mut stream = client
        .show_script_file("linux")
        .send()
        .await
        .expect("the head arrives")
        .into_body();
    let first = stream.next().await.expect("a chunk").expect("not an error");
    assert!(!first.is_empty() && first.len() <= body.len());
    assert_eq!(stream.bytes_read(), first.len() as u64);
    let rest = stream.collect().await.expect("the rest");
    assert!([&first[..], &rest[..]].concat() == body);
}

#[tokio::test]
async fn a_declared_length_over_the_stream_limit_fails_before_reading() {
    let server = server(vec![binary(content(5000))]).await;
    let client = client(&server)
        .max_streamed_body(4096)
        .build()
        .expect("client");
    let error = support::expect_error(download(&client).await);
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    assert!(error.to_string().contains("limit of 4096 bytes"), "{error}");
}

#[tokio::test]
async fn an_undeclared_length_over_the_stream_limit_fails_part_way() {
    let server = server(vec![Reply::RespondUntilClose {
        status: 200,
        body: content(100_000),
    }])
    .await;
    let client = client(&server)
        .max_streamed_body(10_000)
        .build()
        .expect("client");
    let stream = download(&client)
        .await
        .expect("no length declared: the head passes")
        .into_body();
    assert_eq!(stream.length(), None);
    let error = stream.collect().await.expect_err("over the limit");
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
    let received = error.body_bytes_received().expect("a count");
    assert!(received <= 10_000, "{received}");
}

#[tokio::test]
async fn a_body_that_stalls_times_out_between_chunks_saying_how_far_it_got() {
    let server = server(vec![Reply::Stall(
        head_and_part(100, 10),
        Duration::from_secs(3),
    )])
    .await;
    let client = client(&server).build().expect("client");
    let response = download(&client).await.expect("the head arrives");
    assert_eq!(response.request_id(), Some("rid-stream"));
    let error = response
        .into_body()
        .collect()
        .await
        .expect_err("the body stalls");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.timeout_phase(), Some(TimeoutPhase::Read));
    assert_eq!(error.body_bytes_received(), Some(10));
    assert!(
        error
            .to_string()
            .ends_with("(after 10 bytes of the body of 100)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_connection_that_drops_part_way_is_a_dropped_connection_with_the_count() {
    let server = server(vec![Reply::Raw(head_and_part(1000, 300))]).await;
    let client = client(&server).build().expect("client");
    let stream = download(&client)
        .await
        .expect("the head arrives")
        .into_body();
    let error = stream.collect().await.expect_err("cut short");
    assert_eq!(error.kind(), ErrorKind::ConnectionDropped, "{error}");
    assert_eq!(error.body_bytes_received(), Some(300));
    assert_eq!(error.operation_id(), Some("ListDownloadExportedFile"));
}

#[tokio::test]
async fn an_error_status_on_a_download_is_the_services_error() {
    let server = server(vec![
        Reply::json(
            404,
            r#"{"error_code":"HSS.1404","error_msg":"no such file"}"#,
        )
        .header("X-Request-Id", "rid-404"),
    ])
    .await;
    let client = client(&server).build().expect("client");
    let error = support::expect_error(download(&client).await);
    assert_eq!(error.kind(), ErrorKind::Service, "{error}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    assert_eq!(error.error_code(), Some("HSS.1404"));
    assert_eq!(error.error_message(), Some("no such file"));
    assert_eq!(error.request_id(), Some("rid-404"));
}

#[tokio::test]
async fn a_stream_holds_its_turn_until_it_is_dropped() {
    let server = server(vec![
        Reply::Stall(head_and_part(100, 10), Duration::from_secs(5)),
        binary(b"second".to_vec()),
    ])
    .await;
    let client = client(&server)
        .max_concurrent_requests(1)
        .read_timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let first = client
        .list_download_exported_file("one")
        .send()
        .await
        .expect("the first head arrives");
    let second = client.list_download_exported_file("two").send();
    tokio::pin!(second);
    let waited = tokio::time::timeout(Duration::from_millis(300), &mut second).await;
    assert!(
        waited.is_err(),
        "the second call ran while the first stream was open"
    );
    drop(first);
    let second = tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("runs once the first stream is dropped")
        .expect("answers");
    assert_eq!(
        second.into_body().collect().await.expect("body").as_ref(),
        b"second"
    );
}

/// A file under the system's temporary directory with `content`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, content: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("hss-e2e-{}-{name}", std::process::id()));
        std::fs::write(&path, content).expect("write the temporary file");
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const LOGO_OK: &str = r#"{"logo_id":"logo-1"}"#;

/// The boundary of a multipart request, from its `Content-Type`.
fn boundary(seen: &support::Seen) -> String {
    let content_type = seen.header("content-type").expect("a content type");
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .to_owned()
}

/// The multipart body of one file part named `file`, as the client writes it.
fn one_file_part(boundary: &str, content: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn a_file_uploads_as_a_multipart_part_read_as_it_is_sent_and_signed() {
    let content = content(1024 * 1024 + 3);
    let file = TempFile::new("logo.png", &content);
    let server = server(vec![Reply::json(200, LOGO_OK)]).await;
    let client = client(&server).build().expect("client");
    let logo = hss_client::ByteStream::from_path(&file.0)
        .await
        .expect("a file");
    let response = client
        .upload_report_logo(hss_client::models::UploadReportLogoRequestBody::new(logo))
        .send()
        .await
        .expect("uploads");
    assert_eq!(response.body().logo_id.as_deref(), Some("logo-1"));
    let seen = &server.seen()[0];
    let boundary = boundary(seen);
    assert_eq!(
        boundary.len(),
        "hss-client-boundary-".len() + 32,
        "{boundary}"
    );
    let expected = one_file_part(&boundary, &content);
    assert!(seen.body == expected, "the multipart body differs");
    // The length was known in advance, so the body went with it rather than chunked.
    assert_eq!(
        seen.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
    assert_eq!(
        seen.header("x-sdk-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    server.assert_all_verified();
}

#[tokio::test]
async fn a_stream_of_unknown_length_uploads_chunked() {
    let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(b"first ".to_vec()),
        Ok(b"second ".to_vec()),
        Ok(b"third".to_vec()),
    ];
    let stream = hss_client::ByteStream::from_stream(futures_util::stream::iter(parts));
    let server = server(vec![Reply::json(200, LOGO_OK)]).await;
    let client = client(&server).build().expect("client");
    client
        .upload_report_logo(hss_client::models::UploadReportLogoRequestBody::new(stream))
        .send()
        .await
        .expect("uploads");
    let seen = &server.seen()[0];
    assert_eq!(seen.header("transfer-encoding"), Some("chunked"));
    assert!(seen.body == one_file_part(&boundary(seen), b"first second third"));
    server.assert_all_verified();
}

/// A server answering 503 and then success, and a client for it.
async fn busy_then_ok() -> (TestServer, hss_client::Client) {
    let busy = Reply::json(503, r#"{"error_code":"HSS.0503","error_msg":"busy"}"#);
    let server = server(vec![busy, Reply::json(200, LOGO_OK)]).await;
    let client = client(&server).build().expect("client");
    (server, client)
}

async fn upload_logo(
    client: &hss_client::Client,
    logo: hss_client::ByteStream,
) -> Result<(), hss_client::Error> {
    client
        .upload_report_logo(hss_client::models::UploadReportLogoRequestBody::new(logo))
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn a_file_is_sent_again_from_its_start_when_the_call_is_retried() {
    let content = content(300_000);
    let file = TempFile::new("retry.png", &content);
    let (server, client) = busy_then_ok().await;
    let logo = hss_client::ByteStream::from_path(&file.0)
        .await
        .expect("a file");
    upload_logo(&client, logo)
        .await
        .expect("the second attempt succeeds");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for attempt in &seen {
        assert!(attempt.body == one_file_part(&boundary(attempt), &content));
    }
    server.assert_all_verified();
}

#[tokio::test]
async fn a_stream_is_sent_once_so_its_call_is_not_retried() {
    let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"once".to_vec())];
    let stream = hss_client::ByteStream::from_stream(futures_util::stream::iter(parts));
    let (server, client) = busy_then_ok().await;
    let error = support::expect_error(upload_logo(&client, stream).await);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn a_stream_that_fails_part_way_is_the_callers_error_not_the_connections() {
    let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(b"the first chunk".to_vec()),
        Err(std::io::Error::other("the source went away")),
    ];
    let stream = hss_client::ByteStream::from_stream(futures_util::stream::iter(parts));
    let (server, client) = busy_then_ok().await;
    let error = support::expect_error(upload_logo(&client, stream).await);
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert_eq!(error.invalid_argument_name(), Some("body"));
    assert!(
        error.to_string().contains("the source went away"),
        "{error}"
    );
    assert!(!error.is_retryable());
    assert!(server.attempts() <= 1);
}

#[tokio::test]
async fn an_encoded_download_is_a_decode_error_at_its_head() {
    let encoded = Reply::Respond {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "application/octet-stream".into()),
            ("Content-Encoding".into(), "gzip".into()),
        ],
        body: content(1000),
    };
    let server = server(vec![encoded]).await;
    let client = client(&server).build().expect("client");
    let error = support::expect_error(download(&client).await);
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert!(error.to_string().contains("\"gzip\""), "{error}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
}
