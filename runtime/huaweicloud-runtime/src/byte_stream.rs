//! A body that moves in chunks: a binary answer read as it arrives, and an upload taken from
//! memory, a file or a stream without being read whole first.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use tokio::io::{AsyncRead, ReadBuf};

use crate::error::Error;

/// The chunks of a stream, boxed. Behind a `Mutex` so that the body is `Sync` (what an HTTP
/// body must be) whatever the stream is; the lock is never taken: it is reached through
/// `&mut` only (`Mutex::get_mut`).
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// How large a chunk read from a file is.
const FILE_CHUNK: usize = 256 * 1024;

/// A body in chunks: what a binary download returns, and what an upload takes.
///
/// A download's body arrives as the caller reads it: [`ByteStream::next`] gives it chunk by
/// chunk, [`ByteStream::into_async_read`] as a Tokio reader (to `tokio::io::copy` into a file),
/// [`ByteStream::collect`] whole, when it is known to be small. It is not held to the client's
/// `max_response_body` but to `max_streamed_body` (unlimited unless set), and each chunk must
/// arrive within the read timeout. A failure part-way is an [`Error`] of the transport's kind
/// (a timeout, a dropped connection) whose [`Error::body_bytes_received`] says how many bytes
/// had arrived.
///
/// An upload is made from bytes in memory (`From<Bytes>`, `From<Vec<u8>>`, ...), a file
/// ([`ByteStream::from_path`], read as it is sent) or any stream of chunks
/// ([`ByteStream::from_stream`]). Bytes and files are sent again when a call is retried; a
/// stream can be sent once, so a call with one is not retried.
pub struct ByteStream {
    source: Source,
    /// The whole length, when it is known in advance.
    length: Option<u64>,
    /// The bytes handed out so far.
    read: u64,
}

enum Source {
    Memory(Option<Bytes>),
    Chunks {
        chunks: Mutex<Chunks>,
        /// The file the chunks come from: read again from its start for another attempt.
        file: Option<PathBuf>,
    },
    /// Bodies one after another (a multipart body's heads and parts).
    Parts(VecDeque<ByteStream>),
}

impl ByteStream {
    /// A stream of the chunks `stream` yields, of unknown length, to upload; it can be sent once
    /// (a call with it is not retried). An error of the stream ends the upload with an
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error (argument `body`)
    /// that quotes it, unless the stream's error is the client's own [`Error`].
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let stream = Box::pin(stream);
        Self::from_chunks(Box::pin(MapChunks { stream }), None)
    }

    /// The chunks of a body as a sender receives them, each failure already the client's error;
    /// `length` is the length the answer declared, if it did. For an
    /// [`HttpSend`](crate::HttpSend) that streams answers.
    pub fn from_body_chunks(
        chunks: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
        length: Option<u64>,
    ) -> Self {
        Self::from_chunks(Box::pin(chunks), length)
    }

    fn from_chunks(chunks: Chunks, length: Option<u64>) -> Self {
        Self {
            source: Source::Chunks {
                chunks: Mutex::new(chunks),
                file: None,
            },
            length,
            read: 0,
        }
    }

    /// The file at `path`, to upload: its length is read now, its bytes as they are sent (and
    /// again from the start when a call is retried). A file that cannot be read is an
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming the path.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref().to_path_buf();
        let metadata = tokio::fs::metadata(&path)
            .await
            .map_err(|error| unreadable(&path, &error))?;
        if !metadata.is_file() {
            return Err(Error::invalid_argument(
                "body",
                format!("{} is not a file", path.display()),
            ));
        }
        Ok(Self::file(path, metadata.len()))
    }

    fn file(path: PathBuf, length: u64) -> Self {
        Self {
            source: Source::Chunks {
                chunks: Mutex::new(Box::pin(FileChunks::new(path.clone()))),
                file: Some(path),
            },
            length: Some(length),
            read: 0,
        }
    }

    /// The bodies one after another, as one.
    pub(crate) fn concat(parts: Vec<ByteStream>) -> Self {
        let length = parts
            .iter()
            .try_fold(0_u64, |sum, part| sum.checked_add(part.length?));
        Self {
            source: Source::Parts(parts.into()),
            length,
            read: 0,
        }
    }

    /// The whole length, when it is known in advance: the length of bytes in memory, of a file,
    /// or the `Content-Length` of an answer.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// How many bytes have been read from the stream so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The rest of the body in memory. For bodies known to be small: the whole body is held.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let Some(first) = self.next().await.transpose()? else {
            return Ok(Bytes::new());
        };
        let Some(second) = self.next().await.transpose()? else {
            // One chunk (any small body, or bytes in memory): kept without a copy.
            return Ok(first);
        };
        let expected = self
            .length
            .and_then(|length| usize::try_from(length.saturating_sub(self.read)).ok())
            .unwrap_or(0);
        let mut whole = BytesMut::with_capacity(first.len() + second.len() + expected);
        whole.extend_from_slice(&first);
        whole.extend_from_slice(&second);
        while let Some(chunk) = self.next().await.transpose()? {
            whole.extend_from_slice(&chunk);
        }
        Ok(whole.freeze())
    }

    /// The body as a Tokio reader, to `tokio::io::copy` into a file or socket. A failure of the
    /// body is an `io::Error` whose inner error is the client's [`Error`].
    pub fn into_async_read(self) -> ByteStreamReader {
        ByteStreamReader {
            stream: self,
            chunk: Bytes::new(),
        }
    }

    /// The same body from its start, for another attempt: bytes in memory and files can be sent
    /// again, a stream cannot.
    pub(crate) fn replay(&self) -> Option<Self> {
        match &self.source {
            Source::Memory(bytes) if self.read == 0 => Some(Self {
                source: Source::Memory(bytes.clone()),
                length: self.length,
                read: 0,
            }),
            Source::Chunks {
                file: Some(path), ..
            } => Some(Self::file(path.clone(), self.length.unwrap_or(0))),
            Source::Parts(parts) if self.read == 0 => Some(Self {
                source: Source::Parts(parts.iter().map(Self::replay).collect::<Option<_>>()?),
                length: self.length,
                read: 0,
            }),
            Source::Memory(_) | Source::Chunks { file: None, .. } | Source::Parts(_) => None,
        }
    }

    /// Whether [`ByteStream::replay`] gives the body again, without making the copy.
    pub(crate) fn replayable(&self) -> bool {
        match &self.source {
            Source::Memory(_) => self.read == 0,
            Source::Chunks { file, .. } => file.is_some(),
            Source::Parts(parts) => self.read == 0 && parts.iter().all(Self::replayable),
        }
    }

    /// The bytes, when the body is held in memory and nothing of it was read yet.
    pub(crate) fn as_memory(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Memory(Some(bytes)) if self.read == 0 => Some(bytes),
            _ => None,
        }
    }

    /// Counts a chunk, and holds a source of declared length to it: a file that grew or shrank
    /// while it was sent would otherwise go out cut short or too long for its `Content-Length`.
    fn count(&mut self, chunk: Bytes) -> Result<Bytes, Error> {
        self.read = self.read.saturating_add(chunk.len() as u64);
        match (self.length, &self.source) {
            (
                Some(length),
                Source::Chunks {
                    file: Some(path), ..
                },
            ) if self.read > length => Err(changed(path, length)),
            _ => Ok(chunk),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let polled = match &mut this.source {
            Source::Memory(bytes) => bytes.take().filter(|bytes| !bytes.is_empty()).map(Ok),
            Source::Chunks { chunks, .. } => {
                let chunks = chunks
                    .get_mut()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                ready!(chunks.as_mut().poll_next(cx))
            }
            Source::Parts(parts) => loop {
                let Some(part) = parts.front_mut() else {
                    break None;
                };
                match ready!(Pin::new(part).poll_next(cx)) {
                    // Each part's own failures already say how far that part got.
                    Some(chunk) => break Some(chunk),
                    None => {
                        parts.pop_front();
                    }
                }
            },
        };
        Poll::Ready(match polled {
            Some(Ok(chunk)) => Some(this.count(chunk)),
            Some(Err(error)) => Some(Err(error.with_body_bytes(this.read, this.length))),
            None => match (&this.source, this.length) {
                (
                    Source::Chunks {
                        file: Some(path), ..
                    },
                    Some(length),
                ) if this.read != length => Some(Err(changed(path, length))),
                _ => None,
            },
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.length {
            Some(length) => {
                let left = usize::try_from(length.saturating_sub(self.read)).unwrap_or(usize::MAX);
                (usize::from(left > 0), Some(left))
            }
            None => (0, None),
        }
    }
}

/// An upload's body, as hyper sends it: chunks as they come, the length when known (then sent
/// as `Content-Length`, else the body goes chunked).
impl http_body::Body for ByteStream {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Error>>> {
        self.poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.length {
            Some(length) => http_body::SizeHint::with_exact(length.saturating_sub(self.read)),
            None => http_body::SizeHint::default(),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.source {
            Source::Memory(bytes) => bytes.as_ref().is_none_or(Bytes::is_empty),
            // A stream says it has ended by ending; a file is checked against its length then.
            Source::Chunks { .. } => false,
            Source::Parts(parts) => parts.is_empty(),
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Memory(_) => "memory",
            Source::Chunks { file: Some(_), .. } => "file",
            Source::Chunks { file: None, .. } => "stream",
            Source::Parts(_) => "parts",
        };
        f.debug_struct("ByteStream")
            .field("source", &source)
            .field("length", &self.length)
            .field("read", &self.read)
            .finish()
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self {
            length: Some(bytes.len() as u64),
            source: Source::Memory(Some(bytes)),
            read: 0,
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from(Bytes::from_static(text.as_bytes()))
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        Self::from(Bytes::new())
    }
}

/// A model's file part written as JSON: its bytes, when they are in memory. A file or a stream
/// is never read to be written as JSON: that is an error of the serializer.
impl serde::Serialize for ByteStream {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.source {
            Source::Memory(Some(bytes)) if self.read == 0 => serializer.serialize_bytes(bytes),
            _ => Err(serde::ser::Error::custom(
                "a body read from a file or a stream cannot be written as JSON",
            )),
        }
    }
}

/// A model's file part read from JSON: bytes, an array of byte values, or text (its UTF-8
/// bytes), held in memory.
impl<'de> serde::Deserialize<'de> for ByteStream {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ByteStream;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("bytes, an array of byte values or a string")
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<ByteStream, E> {
                Ok(ByteStream::from(bytes.to_vec()))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ByteStream, E> {
                Ok(ByteStream::from(text.as_bytes().to_vec()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ByteStream, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(ByteStream::from(bytes))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// A [`ByteStream`] as a Tokio reader ([`ByteStream::into_async_read`]).
#[derive(Debug)]
pub struct ByteStreamReader {
    stream: ByteStream,
    /// What is left of the chunk being read.
    chunk: Bytes,
}

impl ByteStreamReader {
    /// The stream, with what is left of the chunk being read lost.
    pub fn into_inner(self) -> ByteStream {
        self.stream
    }
}

impl AsyncRead for ByteStreamReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while this.chunk.is_empty() {
            match ready!(Pin::new(&mut this.stream).poll_next(cx)) {
                Some(Ok(chunk)) => this.chunk = chunk,
                Some(Err(error)) => return Poll::Ready(Err(io::Error::other(error))),
                None => return Poll::Ready(Ok(())),
            }
        }
        let n = this.chunk.len().min(buf.remaining());
        buf.put_slice(&this.chunk.split_to(n));
        Poll::Ready(Ok(()))
    }
}

/// A user's stream with its chunks and errors made the client's; boxed, so that any stream is
/// polled pinned without `unsafe`.
struct MapChunks<S> {
    stream: Pin<Box<S>>,
}

impl<S, B, E> Stream for MapChunks<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx).map(|item| {
            item.map(|chunk| {
                chunk.map(Into::into).map_err(|error| {
                    let error: Box<dyn std::error::Error + Send + Sync> = error.into();
                    match error.downcast::<Error>() {
                        Ok(error) => *error,
                        Err(error) => Error::invalid_argument(
                            "body",
                            format!("the body's stream failed: {error}"),
                        ),
                    }
                })
            })
        })
    }
}

/// A file's chunks, read as they are asked for.
struct FileChunks {
    path: PathBuf,
    state: FileState,
    buffer: BytesMut,
}

enum FileState {
    Opening(Pin<Box<dyn Future<Output = io::Result<tokio::fs::File>> + Send>>),
    Reading(tokio::fs::File),
    Done,
}

impl FileChunks {
    fn new(path: PathBuf) -> Self {
        let open = tokio::fs::File::open(path.clone());
        Self {
            path,
            state: FileState::Opening(Box::pin(open)),
            buffer: BytesMut::new(),
        }
    }
}

impl Stream for FileChunks {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                FileState::Opening(open) => match ready!(open.as_mut().poll(cx)) {
                    Ok(file) => this.state = FileState::Reading(file),
                    Err(error) => {
                        this.state = FileState::Done;
                        return Poll::Ready(Some(Err(unreadable(&this.path, &error))));
                    }
                },
                FileState::Reading(file) => {
                    if this.buffer.is_empty() {
                        // Zeroed once per chunk: a safe `ReadBuf` needs initialised bytes.
                        this.buffer = BytesMut::zeroed(FILE_CHUNK);
                    }
                    let mut read = ReadBuf::new(&mut this.buffer);
                    match ready!(Pin::new(file).poll_read(cx, &mut read)) {
                        Ok(()) => {
                            let n = read.filled().len();
                            if n == 0 {
                                this.state = FileState::Done;
                                return Poll::Ready(None);
                            }
                            return Poll::Ready(Some(Ok(this.buffer.split_to(n).freeze())));
                        }
                        Err(error) => {
                            this.state = FileState::Done;
                            return Poll::Ready(Some(Err(unreadable(&this.path, &error))));
                        }
                    }
                }
                FileState::Done => return Poll::Ready(None),
            }
        }
    }
}

fn unreadable(path: &Path, error: &io::Error) -> Error {
    Error::invalid_argument("body", format!("cannot read {}: {error}", path.display()))
}

fn changed(path: &Path, length: u64) -> Error {
    Error::invalid_argument(
        "body",
        format!(
            "{} changed while it was sent: it was {length} bytes long when the body was made",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests;
