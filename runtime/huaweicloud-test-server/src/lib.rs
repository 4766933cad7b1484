//! A loopback HTTP/1.1 server for end-to-end tests of Huawei Cloud clients: answers from a
//! script (faults included), records every request, and checks each one's SDK-HMAC-SHA256
//! signature with its own implementation, written from the signing reference without the
//! client's signer (so a bug shared by both cannot hide). Dev-only: never published.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// What the server expects the client to authenticate with.
#[derive(Debug, Clone)]
pub enum Expect {
    /// An SDK-HMAC-SHA256 signature by this AK/SK, with `X-Security-Token` when `token` is set.
    AkSk {
        ak: String,
        sk: String,
        token: Option<String>,
    },
    /// `X-Auth-Token` with this value and no signature.
    Token(String),
}

impl Expect {
    pub fn permanent(ak: &str, sk: &str) -> Self {
        Self::AkSk {
            ak: ak.to_owned(),
            sk: sk.to_owned(),
            token: None,
        }
    }

    pub fn temporary(ak: &str, sk: &str, token: &str) -> Self {
        Self::AkSk {
            ak: ak.to_owned(),
            sk: sk.to_owned(),
            token: Some(token.to_owned()),
        }
    }
}

/// One scripted answer, to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Status, extra headers, body; sent with `Content-Length`.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Status and body without `Content-Length`: the body ends when the connection closes.
    RespondUntilClose { status: u16, body: Vec<u8> },
    /// Reads the request, then writes these bytes as they are and closes the connection.
    Raw(Vec<u8>),
    /// Writes these bytes, then stalls for this long before closing (a trickled answer).
    Stall(Vec<u8>, Duration),
    /// Writes these parts one by one, pausing this long before each after the first, then
    /// closes (an answer arriving slowly, each part in time).
    Trickle(Vec<Vec<u8>>, Duration),
    /// Reads the request, then closes the connection without answering.
    Drop,
    /// Waits, then answers.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Self::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

/// A request as it arrived, with the server's verdict on it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `Ok` when the authentication and the standard headers check out, else every problem.
    pub verdict: Result<(), Vec<String>>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a connection after answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Answers with `Connection: close` and closes: no connection is ever reused.
    Close,
    /// Keeps the connection for the next request, and closes it after `idle` without one, as
    /// servers and gateways do (a request arriving as it closes is never read). The first
    /// request of a connection is waited for without that limit.
    KeepAlive { idle: Duration },
    /// Answers as if keeping the connection (no `Connection: close`), then closes it `after`
    /// that long without reading another request (the client may have sent one meanwhile).
    CloseAfterAnswer { after: Duration },
}

/// Which kind of request the server checks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Service calls: `Content-Type: application/json` (or an upload's: `application/octet-stream`,
    /// `multipart/form-data`), `X-Project-Id` equal to the path's
    /// project id (`/v<N>/{project_id}/...`).
    Service,
    /// The IAM project lookup: `GET /v3/projects?name=...` with no body, no `Content-Type`, no
    /// `X-Project-Id`, signing exactly `host;user-agent;x-sdk-date` (+ `x-security-token`), as
    /// the official SDKs do.
    Iam,
}

#[derive(Debug)]
struct State {
    role: Role,
    /// What every `User-Agent` must start with, when set (the service's product token).
    user_agent_prefix: Option<String>,
    expect: Expect,
    script: VecDeque<Reply>,
    /// The answer once the script is used up.
    otherwise: Reply,
    seen: Vec<Seen>,
    /// Requests read and not yet answered, now and at most.
    busy: usize,
    most_busy: usize,
}

/// A server on 127.0.0.1 running until the test's runtime ends.
#[derive(Debug, Clone)]
pub struct TestServer {
    pub url: String,
    state: Arc<Mutex<State>>,
    connections: Arc<AtomicUsize>,
    open: Arc<AtomicUsize>,
    most_open: Arc<AtomicUsize>,
}

impl TestServer {
    pub async fn start(expect: Expect, script: Vec<Reply>) -> Self {
        let exhausted = Reply::json(
            599,
            r#"{"error_code":"TEST.0000","error_msg":"script exhausted"}"#,
        );
        Self::start_with(expect, script, exhausted, Mode::Close).await
    }

    /// An IAM answering the project lookups from `script`, checking each as the official SDKs
    /// send it.
    pub async fn start_iam(expect: Expect, script: Vec<Reply>) -> Self {
        let exhausted = Reply::json(
            599,
            r#"{"error":{"code":"TEST.0000","message":"script exhausted"}}"#,
        );
        let server = Self::start_with(expect, script, exhausted, Mode::Close).await;
        server
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .role = Role::Iam;
        server
    }

    /// Makes every request's `User-Agent` start with `prefix` (a service's product token, such
    /// as `hss-client-rust/`); without it, any `User-Agent` passes, but one must be sent.
    pub fn expect_user_agent(self, prefix: &str) -> Self {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .user_agent_prefix = Some(prefix.to_owned());
        self
    }

    /// A server answering from `script`, then always with `otherwise`, keeping connections as
    /// `mode` says.
    pub async fn start_with(
        expect: Expect,
        script: Vec<Reply>,
        otherwise: Reply,
        mode: Mode,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(Mutex::new(State {
            role: Role::Service,
            user_agent_prefix: None,
            expect,
            script: script.into(),
            otherwise,
            seen: Vec::new(),
            busy: 0,
            most_busy: 0,
        }));
        let server = Self {
            url,
            state,
            connections: Arc::default(),
            open: Arc::default(),
            most_open: Arc::default(),
        };
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepting.connections.fetch_add(1, Ordering::SeqCst);
                let open = accepting.open.fetch_add(1, Ordering::SeqCst) + 1;
                accepting.most_open.fetch_max(open, Ordering::SeqCst);
                let serving = accepting.clone();
                tokio::spawn(async move {
                    serve(stream, Arc::clone(&serving.state), mode).await;
                    serving.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        server
    }

    /// How many connections the server accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The most requests the server was handling at once.
    pub fn most_busy(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .most_busy
    }

    /// The most connections open at once.
    pub fn most_open(&self) -> usize {
        self.most_open.load(Ordering::SeqCst)
    }

    /// Every request that arrived, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .seen
            .clone()
    }

    /// How many requests arrived (the client's attempts that reached the server).
    pub fn attempts(&self) -> usize {
        self.seen().len()
    }

    /// Panics with every problem unless every request passed the checks.
    pub fn assert_all_verified(&self) {
        for (index, seen) in self.seen().iter().enumerate() {
            if let Err(problems) = &seen.verdict {
                panic!(
                    "request {} failed verification: {problems:#?}\n{seen:#?}",
                    index + 1
                );
            }
        }
    }
}

/// A URL where a server accepts connections and never says anything: a TLS handshake with it
/// never completes.
pub async fn silent_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    format!("https://{address}")
}

/// A URL where nothing listens: the port of a listener that was bound and closed.
pub async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>, mode: Mode) {
    let mut answered = false;
    loop {
        let read = match mode {
            Mode::KeepAlive { idle } if answered => {
                match tokio::time::timeout(idle, read_request(&mut stream)).await {
                    Ok(read) => read,
                    // Idle too long: close, unread bytes and all (the peer sees a reset).
                    Err(_) => return,
                }
            }
            _ => read_request(&mut stream).await,
        };
        answered = true;
        let Some((head, body)) = read else {
            return;
        };
        let (method, target, headers) = parse_head(&head);
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path.to_owned(), query.to_owned()),
            None => (target.clone(), String::new()),
        };
        let reply = {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            let verdict = verify(&state, &method, &path, &query, &headers, &body);
            state.seen.push(Seen {
                method,
                path,
                query,
                headers,
                body,
                verdict,
            });
            state.busy += 1;
            state.most_busy = state.most_busy.max(state.busy);
            match state.script.pop_front() {
                Some(reply) => reply,
                None => state.otherwise.clone(),
            }
        };
        let keep = matches!(mode, Mode::KeepAlive { .. }) && reply.keeps_connection();
        answer(&mut stream, reply, mode == Mode::Close).await;
        state.lock().unwrap_or_else(PoisonError::into_inner).busy -= 1;
        if let Mode::CloseAfterAnswer { after } = mode {
            tokio::time::sleep(after).await;
        }
        if !keep {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

impl Reply {
    /// Whether the connection can carry another request after this answer.
    fn keeps_connection(&self) -> bool {
        match self {
            Self::Respond { .. } => true,
            Self::RespondUntilClose { .. }
            | Self::Raw(_)
            | Self::Stall(..)
            | Self::Trickle(..)
            | Self::Drop => false,
            Self::Delay(_, inner) => inner.keeps_connection(),
        }
    }
}

async fn answer(stream: &mut TcpStream, mut reply: Reply, say_close: bool) {
    while let Reply::Delay(wait, inner) = reply {
        tokio::time::sleep(wait).await;
        reply = *inner;
    }
    let close = if say_close {
        "Connection: close\r\n"
    } else {
        ""
    };
    let bytes = match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\n{close}",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            [head.into_bytes(), body].concat()
        }
        Reply::RespondUntilClose { status, body } => {
            let head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n\r\n");
            [head.into_bytes(), body].concat()
        }
        Reply::Raw(bytes) => bytes,
        Reply::Stall(bytes, wait) => {
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(wait).await;
            Vec::new()
        }
        Reply::Trickle(parts, gap) => {
            for (index, part) in parts.iter().enumerate() {
                if index > 0 {
                    tokio::time::sleep(gap).await;
                }
                if stream.write_all(part).await.is_err() {
                    break;
                }
            }
            Vec::new()
        }
        Reply::Drop | Reply::Delay(..) => Vec::new(),
    };
    // The client may be gone (it timed out); that is part of the test, not a failure.
    let _ = stream.write_all(&bytes).await;
}

async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break position;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let chunked = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .any(|(name, value)| {
            name.trim().eq_ignore_ascii_case("transfer-encoding")
                && value.trim().eq_ignore_ascii_case("chunked")
        });
    if chunked {
        let rest = buffer[head_end + 4..].to_vec();
        let body = read_chunked(stream, rest).await?;
        return Some((head, body));
    }
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some((head, body))
}

/// A `Transfer-Encoding: chunked` body (an upload of unknown length): each chunk's size line in
/// hex, its bytes and CRLF, until a chunk of size zero (no trailers expected).
async fn read_chunked(stream: &mut TcpStream, mut buffer: Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut chunk = [0u8; 16384];
    let mut at = 0;
    loop {
        let line_end = loop {
            if let Some(position) = buffer[at..].windows(2).position(|w| w == b"\r\n") {
                break at + position;
            }
            let read = stream.read(&mut chunk).await.ok()?;
            if read == 0 {
                return None;
            }
            buffer.extend_from_slice(&chunk[..read]);
        };
        let size_text = std::str::from_utf8(&buffer[at..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        let data_end = line_end + 2 + size;
        while buffer.len() < data_end + 2 {
            let read = stream.read(&mut chunk).await.ok()?;
            if read == 0 {
                return None;
            }
            buffer.extend_from_slice(&chunk[..read]);
        }
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(&buffer[line_end + 2..data_end]);
        at = data_end + 2;
    }
}

fn parse_head(head: &str) -> (String, String, Vec<(String, String)>) {
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    (method, target, headers)
}

fn verify(
    state: &State,
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), Vec<String>> {
    let (role, expect) = (state.role, &state.expect);
    let user_agent_prefix = state.user_agent_prefix.as_deref();
    let mut problems = Vec::new();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let mut check = |ok: bool, problem: String| {
        if !ok {
            problems.push(problem);
        }
    };
    match role {
        Role::Service => {
            // JSON, or the two kinds of upload.
            let content_type = header("content-type").unwrap_or_default();
            check(
                content_type == "application/json"
                    || content_type == "application/octet-stream"
                    || content_type.starts_with("multipart/form-data; boundary="),
                format!("content-type {content_type:?} is not JSON nor an upload's"),
            );
            let path_project = path
                .split('/')
                .nth(2)
                .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned());
            check(
                header("x-project-id").map(str::to_owned) == path_project,
                "x-project-id differs from the path's project id".into(),
            );
        }
        Role::Iam => {
            check(method == "GET", format!("method {method}"));
            check(path == "/v3/projects", format!("path {path}"));
            check(
                query.starts_with("name=") && !query.contains('&'),
                format!("query {query:?}"),
            );
            check(body.is_empty(), "a body".into());
            check(
                header("content-type").is_none(),
                "content-type is sent".into(),
            );
            check(
                header("x-project-id").is_none(),
                "x-project-id is sent".into(),
            );
            let signed = header("authorization")
                .and_then(|value| value.split("SignedHeaders=").nth(1))
                .and_then(|rest| rest.split(',').next());
            let expected = match expect {
                Expect::AkSk { token: Some(_), .. } => {
                    "host;user-agent;x-sdk-date;x-security-token"
                }
                _ => "host;user-agent;x-sdk-date",
            };
            check(
                signed == Some(expected),
                format!("signed headers {signed:?}, expected {expected}"),
            );
        }
    }
    check(
        header("user-agent")
            .is_some_and(|ua| ua.starts_with(user_agent_prefix.unwrap_or_default())),
        format!("user-agent {:?}", header("user-agent")),
    );
    check(header("host").is_some(), "no host header".into());
    let date_ok = header("x-sdk-date")
        .and_then(parse_sdk_date)
        .is_some_and(|date| {
            let now = SystemTime::now();
            let skew = now
                .duration_since(date)
                .or_else(|error| Ok::<_, ()>(error.duration()))
                .unwrap_or_default();
            skew < Duration::from_secs(15 * 60)
        });
    check(
        date_ok,
        format!(
            "x-sdk-date {:?} missing or off by more than 15 minutes",
            header("x-sdk-date")
        ),
    );
    match expect {
        Expect::Token(token) => {
            check(
                header("x-auth-token") == Some(token.as_str()),
                "x-auth-token is not the expected token".into(),
            );
            check(
                header("authorization").is_none(),
                "token authentication must not sign".into(),
            );
        }
        Expect::AkSk { ak, sk, token } => {
            check(
                header("x-security-token") == token.as_deref(),
                "x-security-token is not the expected one".into(),
            );
            match header("authorization")
                .map(|value| check_signature(value, ak, sk, method, path, query, headers, body))
            {
                Some(Ok(())) => {}
                Some(Err(problem)) => problems.push(problem),
                None => problems.push("no authorization header".into()),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[allow(clippy::too_many_arguments)]
fn check_signature(
    authorization: &str,
    ak: &str,
    sk: &str,
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), String> {
    let rest = authorization
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or("wrong algorithm")?;
    let mut access = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Access", value)) => access = Some(value),
            Some(("SignedHeaders", value)) => signed = Some(value),
            Some(("Signature", value)) => signature = Some(value),
            _ => return Err(format!("unexpected authorization part {part:?}")),
        }
    }
    let (access, signed, signature) = (
        access.ok_or("no Access")?,
        signed.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    if access != ak {
        return Err(format!("signed by access key {access:?}"));
    }
    let names: Vec<&str> = signed.split(';').collect();
    // Every header that matters must be covered by the signature.
    for (name, _) in headers {
        let lower = name.to_ascii_lowercase();
        let must = [
            "content-type",
            "host",
            "x-sdk-date",
            "x-project-id",
            "region",
            "x-security-token",
            "x-auth-token",
        ];
        if must.contains(&lower.as_str()) && !names.contains(&lower.as_str()) {
            return Err(format!("header {lower} is sent but not signed"));
        }
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let value = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .ok_or_else(|| format!("signed header {name} was not sent"))?;
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    // As the official signer: `X-Sdk-Content-Sha256` (`UNSIGNED-PAYLOAD`), when signed, stands
    // for a body that is not empty; only a body that is not JSON may go unsigned.
    let declared = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-sdk-content-sha256"))
        .map(|(_, v)| v.as_str());
    let payload = match declared {
        Some(declared) if !body.is_empty() && names.contains(&"x-sdk-content-sha256") => {
            let json = headers.iter().any(|(n, v)| {
                n.eq_ignore_ascii_case("content-type") && v.starts_with("application/json")
            });
            if json || declared != "UNSIGNED-PAYLOAD" {
                return Err(format!(
                    "a JSON body or an unknown payload hash {declared:?} left unsigned"
                ));
            }
            declared.to_owned()
        }
        _ => hex(&Sha256::digest(body)),
    };
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical_headers}\n{signed}\n{payload}",
        canonical_uri(path),
        canonical_query(query),
    );
    let date = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-sdk-date"))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let string_to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).map_err(|_| "bad key")?;
    mac.update(string_to_sign.as_bytes());
    let expected = hex(&mac.finalize().into_bytes());
    if expected != signature {
        return Err(format!(
            "signature mismatch; canonical request as received:\n{canonical_request}"
        ));
    }
    // The query on the wire must already be the canonical one.
    if canonical_query(query) != query {
        return Err(format!("query {query:?} is not in canonical form"));
    }
    Ok(())
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// signing.md step 4: decode the whole path first, then split (so an encoded `/` splits too).
fn canonical_uri(path: &str) -> String {
    let mut uri: String = decode(path)
        .split('/')
        .map(encode)
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYYMMDDTHHMMSSZ` to a time.
fn parse_sdk_date(text: &str) -> Option<SystemTime> {
    if text.len() != 16 || &text[8..9] != "T" || !text.ends_with('Z') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hh, mm, ss) = (number(9..11)?, number(11..13)?, number(13..15)?);
    // Days from civil (Hinnant), independent of the client's date code.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}
