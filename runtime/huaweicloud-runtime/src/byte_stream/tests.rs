use std::io::Write as _;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::AsyncReadExt as _;

use super::*;
use crate::ErrorKind;

fn chunks(parts: &[&'static str]) -> Vec<Result<Bytes, io::Error>> {
    parts
        .iter()
        .map(|part| Ok(Bytes::from_static(part.as_bytes())))
        .collect()
}

async fn all_chunks(mut stream: ByteStream) -> Result<Vec<Bytes>, Error> {
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.push(chunk?);
    }
    Ok(out)
}

fn temp_file(content: &[u8]) -> (tempfile_path::TempPath, PathBuf) {
    let temp = tempfile_path::TempPath::new();
    let mut file = std::fs::File::create(temp.path()).expect("create a temporary file");
    file.write_all(content).expect("write the temporary file");
    let path = temp.path().to_path_buf();
    (temp, path)
}

/// A file under the system's temporary directory, removed when dropped.
mod tempfile_path {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    static NEXT: AtomicUsize = AtomicUsize::new(0);

    pub(super) struct TempPath(PathBuf);

    impl TempPath {
        pub(super) fn new() -> Self {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            Self(std::env::temp_dir().join(format!(
                "huaweicloud-byte-stream-{}-{n}",
                std::process::id()
            )))
        }

        pub(super) fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[tokio::test]
async fn bytes_in_memory_are_one_chunk_and_collect_without_a_copy() {
    let bytes = Bytes::from_static(b"hello");
    let stream = ByteStream::from(bytes.clone());
    assert_eq!(stream.length(), Some(5));
    let collected = stream.collect().await.expect("collects");
    assert_eq!(collected, bytes);
    // The same buffer, not a copy of it.
    assert_eq!(collected.as_ptr(), bytes.as_ptr());

    let mut stream = ByteStream::from("hello");
    assert_eq!(
        stream.next().await.transpose().expect("a chunk"),
        Some(bytes)
    );
    assert!(stream.next().await.is_none());
    assert_eq!(stream.bytes_read(), 5);

    // An empty body has no chunk at all.
    assert!(ByteStream::default().next().await.is_none());
    assert_eq!(
        ByteStream::default().collect().await.expect("empty"),
        Bytes::new()
    );
}

#[tokio::test]
async fn a_stream_keeps_its_chunks_in_order_and_collects_them_whole() {
    let stream = ByteStream::from_stream(stream_of(chunks(&["ab", "cd", "e"])));
    assert_eq!(stream.length(), None);
    assert_eq!(
        all_chunks(stream).await.expect("chunks"),
        vec![Bytes::from("ab"), Bytes::from("cd"), Bytes::from("e")]
    );
    let stream = ByteStream::from_stream(stream_of(chunks(&["ab", "cd", "e"])));
    assert_eq!(stream.collect().await.expect("whole"), Bytes::from("abcde"));
}

#[tokio::test]
async fn a_failing_stream_says_so_and_how_far_it_got() {
    let mut items = chunks(&["abc"]);
    items.push(Err(io::Error::other("disk on fire")));
    let error = ByteStream::from_stream(stream_of(items))
        .collect()
        .await
        .expect_err("the stream fails");
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(error.invalid_argument_name(), Some("body"));
    assert_eq!(error.body_bytes_received(), Some(3));
    let text = error.to_string();
    assert!(text.contains("disk on fire"), "{text}");
    assert!(text.contains("after 3 bytes of the body"), "{text}");

    // The client's own error passes through as it is, with the count added.
    let items: Vec<Result<Bytes, Error>> = vec![
        Ok(Bytes::from_static(b"12345")),
        Err(Error::timeout(
            "Download",
            crate::TimeoutPhase::Read,
            Duration::from_secs(2),
        )),
    ];
    let error = ByteStream::from_body_chunks(stream_of(items), Some(10))
        .collect()
        .await
        .expect_err("the body times out");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.timeout_phase(), Some(crate::TimeoutPhase::Read));
    assert_eq!(error.operation_id(), Some("Download"));
    assert_eq!(error.body_bytes_received(), Some(5));
    assert_eq!(
        error.to_string(),
        "Download: timed out waiting for the response (read timeout 2s) (after 5 bytes of the body of 10)"
    );
}

#[tokio::test]
async fn a_file_is_read_in_chunks_as_it_is_asked_for_and_again_from_its_start() {
    let content: Vec<u8> = (0..(3 * FILE_CHUNK + 17))
        .map(|i| (i % 251) as u8)
        .collect();
    let (_temp, path) = temp_file(&content);
    let stream = ByteStream::from_path(&path).await.expect("a file");
    assert_eq!(stream.length(), Some(content.len() as u64));
    let replay = stream.replay().expect("a file can be read again");
    let parts = all_chunks(stream).await.expect("the file's chunks");
    assert!(parts.len() >= 4, "{} chunks", parts.len());
    assert!(parts.iter().all(|part| part.len() <= FILE_CHUNK));
    assert_eq!(parts.concat(), content);
    assert_eq!(replay.collect().await.expect("again").to_vec(), content);
}

#[tokio::test]
async fn a_file_that_changes_while_it_is_sent_fails_rather_than_going_out_short_or_long() {
    let (_temp, path) = temp_file(b"0123456789");
    let stream = ByteStream::from_path(&path).await.expect("a file");
    std::fs::write(&path, b"01234").expect("shrink the file");
    let error = stream.collect().await.expect_err("shorter than declared");
    assert_eq!(error.invalid_argument_name(), Some("body"));
    assert!(
        error.to_string().contains("changed while it was sent"),
        "{error}"
    );

    let stream = ByteStream::from_path(&path).await.expect("a file");
    std::fs::write(&path, b"0123456789abcdef").expect("grow the file");
    let error = stream.collect().await.expect_err("longer than declared");
    assert!(error.to_string().contains("it was 5 bytes long"), "{error}");
}

#[tokio::test]
async fn a_path_that_is_no_readable_file_is_an_argument_error_naming_it() {
    let missing = std::env::temp_dir().join("huaweicloud-byte-stream-no-such-file");
    let error = ByteStream::from_path(&missing).await.expect_err("missing");
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error
            .to_string()
            .contains("huaweicloud-byte-stream-no-such-file"),
        "{error}"
    );

    let error = ByteStream::from_path(std::env::temp_dir())
        .await
        .expect_err("a directory");
    assert!(error.to_string().contains("is not a file"), "{error}");
}

#[tokio::test]
async fn a_reader_gives_the_bytes_and_fails_with_the_clients_error_inside() {
    let stream = ByteStream::from_stream(stream_of(chunks(&["abc", "", "defg"])));
    let mut reader = stream.into_async_read();
    let mut small = [0_u8; 2];
    let n = reader.read(&mut small).await.expect("reads");
    assert_eq!(&small[..n], b"ab");
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).await.expect("reads the rest");
    assert_eq!(rest, b"cdefg");

    let mut items = chunks(&["abc"]);
    items.push(Err(io::Error::other("gone")));
    let mut reader = ByteStream::from_stream(stream_of(items)).into_async_read();
    let mut all = Vec::new();
    let error = reader.read_to_end(&mut all).await.expect_err("fails");
    let inner = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Error>())
        .expect("the client's error inside");
    assert_eq!(inner.body_bytes_received(), Some(3));
    assert_eq!(all, b"abc");
}

#[tokio::test]
async fn parts_follow_one_another_with_their_lengths_summed() {
    let (_temp, path) = temp_file(b"FILE");
    let file = ByteStream::from_path(&path).await.expect("a file");
    let whole = ByteStream::concat(vec![
        ByteStream::from("head:"),
        file,
        ByteStream::from(":tail"),
    ]);
    assert_eq!(whole.length(), Some(14));
    let again = whole.replay().expect("bytes and files replay");
    assert_eq!(
        whole.collect().await.expect("whole"),
        Bytes::from("head:FILE:tail")
    );
    assert_eq!(
        again.collect().await.expect("again"),
        Bytes::from("head:FILE:tail")
    );

    let once = ByteStream::from_stream(stream_of(chunks(&["x"])));
    let mixed = ByteStream::concat(vec![ByteStream::from("a"), once]);
    assert_eq!(mixed.length(), None);
    assert!(mixed.replay().is_none(), "a stream is sent once");
}

#[tokio::test]
async fn an_upload_body_tells_hyper_its_exact_length() {
    use http_body::Body as _;
    let stream = ByteStream::from("12345");
    assert_eq!(http_body::Body::size_hint(&stream).exact(), Some(5));
    assert!(!stream.is_end_stream());
    assert!(ByteStream::default().is_end_stream());
    let stream = ByteStream::from_stream(stream_of(chunks(&["1"])));
    assert_eq!(http_body::Body::size_hint(&stream).exact(), None);
}

#[test]
fn debug_names_the_source_and_never_the_bytes() {
    let text = format!("{:?}", ByteStream::from("secret bytes"));
    assert_eq!(
        text,
        r#"ByteStream { source: "memory", length: Some(12), read: 0 }"#
    );
}

fn stream_of<T: Send + 'static>(items: Vec<T>) -> impl Stream<Item = T> + Send + 'static {
    futures_util::stream::iter(items)
}

#[tokio::test]
async fn only_bytes_and_files_not_yet_read_can_be_sent_again() {
    let (_temp, path) = temp_file(b"FILE");
    let file = ByteStream::from_path(&path).await.expect("a file");
    assert!(file.replayable() && file.replay().is_some());
    let mut memory = ByteStream::from("bytes");
    assert!(memory.replayable());
    let _ = memory.next().await;
    assert!(
        !memory.replayable() && memory.replay().is_none(),
        "partly read"
    );
    let once = ByteStream::from_stream(stream_of(chunks(&["x"])));
    assert!(!once.replayable() && once.replay().is_none());
    let parts = ByteStream::concat(vec![ByteStream::from("a"), file]);
    assert!(parts.replayable());
}
