//! A minimal loopback HTTP/1.1 server with keep-alive, on its own thread and runtime: reads each
//! request (headers and `Content-Length` body) and answers 200 with a fixed HSS success body and
//! an `X-Request-Id`. Fast and fixed, so that the client side is what gets measured.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const RESPONSE_BODY: &str = r#"{"error_code":0,"error_description":"success"}"#;

/// A running server; it lives until the process ends.
#[derive(Debug, Clone)]
pub struct Server {
    pub address: SocketAddr,
    requests: Arc<AtomicU64>,
}

impl Server {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Requests answered so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
}

/// A non-blocking listener on a free loopback port, and its address.
pub fn loopback_listener() -> Result<(std::net::TcpListener, SocketAddr), String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|error| format!("cannot bind a loopback port: {error}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|error| format!("cannot set the listener non-blocking: {error}"))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("no local address: {error}"))?;
    Ok((listener, address))
}

/// Starts the server on a new thread with a single-threaded runtime.
pub fn start() -> Result<Server, String> {
    let (listener, address) = loopback_listener()?;
    let requests = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&requests);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|error| format!("cannot start the server runtime: {error}"))?;
    std::thread::Builder::new()
        .name("bench-server".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(listener) else {
                    return;
                };
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, Arc::clone(&counter)));
                }
            });
        })
        .map_err(|error| format!("cannot start the server thread: {error}"))?;
    Ok(Server { address, requests })
}

/// Answers the requests of one connection until the peer closes it.
async fn serve(mut stream: TcpStream, requests: Arc<AtomicU64>) {
    let _ = stream.set_nodelay(true);
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0_u8; 8192];
    let mut id: u64 = 0;
    loop {
        // Read up to the end of the headers.
        let head_end = loop {
            if let Some(at) = find(&buffer, b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        };
        let length = content_length(&buffer[..head_end]);
        while buffer.len() < head_end + length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        }
        buffer.drain(..head_end + length);
        id += 1;
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n\
             X-Request-Id: bench-{id:016x}\r\nContent-Length: {}\r\n\r\n{RESPONSE_BODY}",
            RESPONSE_BODY.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
        requests.fetch_add(1, Ordering::Relaxed);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The `Content-Length` of a request head, 0 when absent or unreadable.
fn content_length(head: &[u8]) -> usize {
    let head = String::from_utf8_lossy(head);
    head.split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}
