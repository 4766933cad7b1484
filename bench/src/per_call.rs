//! Per-call overhead: the same POST, sent sequentially to a loopback server, through
//!
//! - (a) bare `reqwest`: a fixed body and `Content-Type`, nothing else;
//! - (c) `reqwest` with the client's own headers (signed once, up front), which isolates what the
//!   larger request costs on the wire and in the server from what the client computes;
//! - (b) the full client: build the request, date and sign it, send, read, decode the JSON;
//! - (e) (c) plus one signature computed per call, as the client computes it (date, canonical
//!   request, HMAC into a reused buffer) and sent: what signing alone costs a call in place, the
//!   floor of any client that signs;
//! - (d) the full client with a sender that answers at once, in memory: the client's own work
//!   per call (build, sign, decode, the attempt loop), with no HTTP stack and no server.
//!
//! All three use one reqwest configuration (the client's timeouts, no redirects) and keep their
//! connection alive. They run interleaved in rounds so that a change in machine load hits all of
//! them alike; the figures are per call, median and p99 over every timed call.

#![allow(deprecated)] // RunImageSynchronize is deprecated upstream; it is the operation we have.

use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use hss_client::models::{ImageType, RunImageSynchronizeRequestInfo};
use hss_client::runtime::signing::{
    SigningBuffer, SigningInput, SigningKey, format_sdk_date, sign, sign_into,
};
use hss_client::runtime::transport::{Limits, Received, SendFuture};
use hss_client::runtime::{HttpSend, SignedRequest, http};
use hss_client::{Client, Credentials};

use crate::stats::{Summary, summarize, us};
use crate::{Effort, alloc, server};

const ACCESS_KEY: &str = "BENCHACCESSKEY000000";
const SECRET_KEY: &str = "bench-secret-key-0123456789abcdef0123";
const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
const BODY: &str = r#"{"image_type":"private_image"}"#;

/// The Python script run with `--python`, against the same server.
const PYTHON_SCRIPT: &str = include_str!("python_sdk.py");

pub fn run(effort: Effort, python: Option<&str>) -> Result<(), String> {
    let (rounds, per_round, warm_up) = match effort {
        Effort::Full => (10, 200, 200),
        Effort::Quick => (4, 50, 50),
    };
    let server = server::start()?;
    let runtime = crate::client_runtime()?;
    let (samples, allocations) = runtime.block_on(measure(&server, rounds, per_round, warm_up))?;
    let expected = u64::try_from(3 * (warm_up + rounds * per_round)).unwrap_or(u64::MAX);
    if server.requests() < expected {
        return Err(format!(
            "the server answered {} requests, expected {expected}",
            server.requests()
        ));
    }

    println!(
        "## Per-call overhead (loopback HTTP/1.1 keep-alive, sequential, {} calls each after {warm_up} warm-up, {rounds} interleaved rounds)",
        rounds * per_round
    );
    println!();
    println!("| path | median | p99 | mean | median vs (a) | allocations per call |");
    println!("|---|---:|---:|---:|---:|---:|");
    let [bare, same_headers, client, signing] = samples;
    let base = bare.median;
    for ((name, summary), allocations) in [
        ("(a) bare reqwest POST, fixed body", bare),
        ("(c) reqwest, the client's headers pre-signed", same_headers),
        ("(e) (c) plus a signature computed per call", signing),
        ("(b) hss-client: build, sign, send, decode", client),
    ]
    .into_iter()
    .zip([
        allocations[0],
        allocations[1],
        allocations[3],
        allocations[2],
    ]) {
        println!(
            "| {name} | {} | {} | {} | {:.3} | {allocations:.1} |",
            us(summary.median),
            us(summary.p99),
            us(summary.mean),
            ratio(summary.median, base)
        );
    }
    println!();
    println!(
        "full client / bare reqwest (median): {:.3} ({:+.1} µs per call); p99 ratio {:.3}",
        ratio(client.median, base),
        (client.median.as_secs_f64() - base.as_secs_f64()) * 1e6,
        ratio(client.p99, bare.p99)
    );
    println!(
        "full client / pre-signed reqwest (median): {:.3} ({:+.1} µs per call)",
        ratio(client.median, same_headers.median),
        (client.median.as_secs_f64() - same_headers.median.as_secs_f64()) * 1e6,
    );
    println!(
        "signature alone, (e) / (c) (median): {:.3} ({:+.1} µs per call); full client / (e): {:.3}",
        ratio(signing.median, same_headers.median),
        (signing.median.as_secs_f64() - same_headers.median.as_secs_f64()) * 1e6,
        ratio(client.median, signing.median),
    );
    println!(
        "(allocations per call count the whole process, the in-process server's included, which are the same for each path)"
    );
    println!();
    let own = runtime.block_on(own_work(rounds * per_round, warm_up))?;
    println!(
        "the client's own work, (d) a sender answering in memory: median {}, p99 {}, {:.1} allocations per call",
        us(own.0.median),
        us(own.0.p99),
        own.1
    );
    println!();
    if let Some(python) = python {
        python_sdk(python, &server, rounds * per_round, warm_up, base)?;
    }
    Ok(())
}

fn ratio(value: Duration, base: Duration) -> f64 {
    value.as_secs_f64() / base.as_secs_f64().max(f64::MIN_POSITIVE)
}

async fn measure(
    server: &server::Server,
    rounds: usize,
    per_round: usize,
    warm_up: usize,
) -> Result<([Summary; 4], [f64; 4]), String> {
    let url = format!("{}/v5/{PROJECT_ID}/image/synchronize", server.url());
    let (http, client) = clients(server)?;
    let signed_headers = client_headers(server)?;
    let mut signer = Signer::new()?;

    let mut samples: [Vec<Duration>; 4] = Default::default();
    let mut allocations = [0_usize; 4];
    for round in 0..=rounds {
        // Round 0 is the warm-up and is not kept.
        let calls = if round == 0 { warm_up } else { per_round };
        for (index, kept) in samples.iter_mut().enumerate() {
            let allocated_before = alloc::allocations();
            for _ in 0..calls {
                let started = Instant::now();
                call(index, &http, &url, &signed_headers, &client, &mut signer).await?;
                if round > 0 {
                    kept.push(started.elapsed());
                }
            }
            if round > 0 {
                allocations[index] += alloc::allocations() - allocated_before;
            }
        }
    }
    let [a, c, b, e] = samples;
    let summary = |mut samples: Vec<Duration>| summarize(&mut samples).ok_or("no samples");
    let calls = (rounds * per_round).max(1) as f64;
    Ok((
        [summary(a)?, summary(c)?, summary(b)?, summary(e)?],
        allocations.map(|count| count as f64 / calls),
    ))
}

/// One call of path 0 (a), 1 (c), 2 (b) or 3 (e).
async fn call(
    path: usize,
    http: &reqwest::Client,
    url: &str,
    signed_headers: &[(String, String)],
    client: &Client,
    signer: &mut Signer,
) -> Result<(), String> {
    match path {
        0 => bare(http, url, &[]).await,
        1 => bare(http, url, &borrowed(signed_headers)).await,
        3 => {
            let headers = signer.sign(&borrowed(signed_headers))?;
            bare(http, url, &signer.with_signature(headers)).await
        }
        _ => full(client).await,
    }
}

fn borrowed(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}

/// Path (e)'s signature: the key state made once, the text built in one reused buffer, as the
/// client signs.
struct Signer {
    key: SigningKey,
    buffer: SigningBuffer,
    date: String,
}

impl Signer {
    fn new() -> Result<Self, String> {
        Ok(Self {
            key: SigningKey::new(SECRET_KEY).map_err(|error| error.to_string())?,
            buffer: SigningBuffer::new(),
            date: String::new(),
        })
    }

    /// Dates and signs the pre-signed request's headers afresh; returns them without the old
    /// date and signature.
    fn sign<'a>(
        &mut self,
        signed: &[(&'a str, &'a str)],
    ) -> Result<Vec<(&'a str, &'a str)>, String> {
        self.date = format_sdk_date(SystemTime::now());
        let kept: Vec<(&str, &str)> = signed
            .iter()
            .filter(|(name, _)| *name != "X-Sdk-Date" && *name != "Authorization")
            .copied()
            .collect();
        let mut to_sign = kept.clone();
        to_sign.push(("X-Sdk-Date", &self.date));
        to_sign.push(("Content-Type", "application/json"));
        let path = format!("/v5/{PROJECT_ID}/image/synchronize");
        sign_into(
            &mut self.buffer,
            "POST",
            &path,
            &[],
            &to_sign,
            BODY.as_bytes(),
            ACCESS_KEY,
            &self.key,
        )
        .map_err(|error| error.to_string())?;
        Ok(kept)
    }

    /// The headers with the new date and signature.
    fn with_signature<'a>(
        &'a self,
        mut headers: Vec<(&'a str, &'a str)>,
    ) -> Vec<(&'a str, &'a str)> {
        headers.push(("X-Sdk-Date", &self.date));
        headers.push(("Authorization", self.buffer.authorization()));
        headers
    }
}

/// Only one path, `calls` times after 200 warm-up calls, and nothing printed but the count: for
/// `valgrind --tool=callgrind`, whose instructions per call are the difference between two
/// runs with different counts, divided by the difference in calls.
pub fn only(path: &str, calls: usize) -> Result<(), String> {
    let index = match path {
        "a" => 0,
        "c" => 1,
        "b" => 2,
        "e" => 3,
        "d" => return own_work_only(calls),
        other => return Err(format!("unknown path `{other}`: a, b, c, d or e")),
    };
    let server = server::start()?;
    let runtime = crate::client_runtime()?;
    runtime.block_on(async {
        let (http, client) = clients(&server)?;
        let url = format!("{}/v5/{PROJECT_ID}/image/synchronize", server.url());
        let signed_headers = client_headers(&server)?;
        let mut signer = Signer::new()?;
        for _ in 0..200 + calls {
            call(index, &http, &url, &signed_headers, &client, &mut signer).await?;
        }
        Ok::<(), String>(())
    })?;
    println!("{} requests answered", server.requests());
    Ok(())
}

fn clients(server: &server::Server) -> Result<(reqwest::Client, Client), String> {
    let http = reqwest::Client::builder()
        .connect_timeout(hss_client::runtime::DEFAULT_CONNECT_TIMEOUT)
        .read_timeout(hss_client::runtime::DEFAULT_READ_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|error| format!("cannot build the reqwest client: {error}"))?;
    let client = Client::builder()
        .credentials(Credentials::permanent(ACCESS_KEY, SECRET_KEY))
        .project_id(PROJECT_ID)
        .endpoint(server.url())
        // No profile file or environment variable may change what is measured.
        .env_lookup(|_| None)
        .build()
        .map_err(|error| format!("cannot build the client: {error}"))?;
    Ok((http, client))
}

/// The headers hss-client sends for this call, signed once now.
fn client_headers(server: &server::Server) -> Result<Vec<(String, String)>, String> {
    let mut headers = vec![
        (
            "User-Agent".to_owned(),
            hss_client::service::SERVICE.user_agent().to_owned(),
        ),
        ("X-Project-Id".to_owned(), PROJECT_ID.to_owned()),
        ("X-Sdk-Date".to_owned(), format_sdk_date(SystemTime::now())),
        ("Host".to_owned(), server.address.to_string()),
    ];
    let path = format!("/v5/{PROJECT_ID}/image/synchronize");
    let mut with_type = headers.clone();
    with_type.push(("Content-Type".to_owned(), "application/json".to_owned()));
    let signature = sign(
        &SigningInput {
            method: "POST",
            path: &path,
            query: &[],
            headers: &with_type,
            body: BODY.as_bytes(),
        },
        ACCESS_KEY,
        SECRET_KEY,
    )
    .map_err(|error| error.to_string())?;
    headers.push(("Authorization".to_owned(), signature.authorization));
    Ok(headers)
}

async fn bare(http: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> Result<(), String> {
    let mut request = http
        .post(url)
        .header("Content-Type", "application/json")
        .body(BODY);
    for &(name, value) in headers {
        request = request.header(name, value);
    }
    let response = request
        .send()
        .await
        .map_err(|error| format!("bare reqwest: {error}"))?;
    if !response.status().is_success() {
        return Err(format!("bare reqwest: status {}", response.status()));
    }
    let body = response
        .bytes()
        .await
        .map_err(|error| format!("bare reqwest: {error}"))?;
    std::hint::black_box(body);
    Ok(())
}

async fn full(client: &Client) -> Result<(), String> {
    let response = client
        .run_image_synchronize(RunImageSynchronizeRequestInfo::new(ImageType::PrivateImage))
        .send()
        .await
        .map_err(|error| format!("hss-client: {error}"))?;
    if response.body().error_description.as_deref() != Some("success") {
        return Err("hss-client: the body did not decode as expected".to_owned());
    }
    std::hint::black_box(response);
    Ok(())
}

/// Runs the official Python SDK (`huaweicloudsdkhss`) against the same server with `python`.
fn python_sdk(
    python: &str,
    server: &server::Server,
    calls: usize,
    warm_up: usize,
    bare_median: Duration,
) -> Result<(), String> {
    let output = Command::new(python)
        .args(["-c", PYTHON_SCRIPT])
        .args([
            server.url(),
            PROJECT_ID.to_owned(),
            calls.to_string(),
            warm_up.to_string(),
        ])
        .env("BENCH_AK", ACCESS_KEY)
        .env("BENCH_SK", SECRET_KEY)
        .output()
        .map_err(|error| format!("cannot run {python}: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "the Python SDK benchmark failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut samples: Vec<Duration> = text
        .lines()
        .filter_map(|line| line.trim().parse::<u64>().ok())
        .map(Duration::from_nanos)
        .collect();
    let summary = summarize(&mut samples).ok_or("the Python SDK printed no timings")?;
    println!(
        "## Official Python SDK (huaweicloudsdkhss, sequential, {} calls after {warm_up} warm-up, same server)",
        summary.count
    );
    println!();
    println!("| path | median | p99 | mean | median vs (a) |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| Python SDK run_image_synchronize | {} | {} | {} | {:.3} |",
        us(summary.median),
        us(summary.p99),
        us(summary.mean),
        ratio(summary.median, bare_median)
    );
    println!();
    Ok(())
}

/// A sender that answers every request at once with the server's answer, from memory: what is
/// left of a call is the client's own work.
#[derive(Debug)]
struct AnswersInMemory {
    headers: http::HeaderMap,
}

impl AnswersInMemory {
    fn new() -> Self {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        headers.insert(
            "x-request-id",
            http::HeaderValue::from_static("bench-request-id"),
        );
        Self { headers }
    }
}

impl HttpSend for AnswersInMemory {
    fn send<'a>(
        &'a self,
        request: SignedRequest,
        _limits: &'a Limits,
        _operation_id: &'static str,
    ) -> SendFuture<'a> {
        std::hint::black_box(request);
        let received = Received::new(
            http::StatusCode::OK,
            self.headers.clone(),
            bytes::Bytes::from_static(server::RESPONSE_BODY.as_bytes()),
        );
        Box::pin(std::future::ready(Ok(received)))
    }
}

fn in_memory_client() -> Result<Client, String> {
    Client::builder()
        .credentials(Credentials::permanent(ACCESS_KEY, SECRET_KEY))
        .project_id(PROJECT_ID)
        .endpoint("https://hss.example.com")
        .env_lookup(|_| None)
        .sender(AnswersInMemory::new())
        .build()
        .map_err(|error| format!("cannot build the client: {error}"))
}

/// Path (d): `calls` timed calls after `warm_up`, their summary and allocations per call.
async fn own_work(calls: usize, warm_up: usize) -> Result<(Summary, f64), String> {
    let client = in_memory_client()?;
    for _ in 0..warm_up {
        full(&client).await?;
    }
    let mut samples = Vec::with_capacity(calls);
    let allocated_before = alloc::allocations();
    for _ in 0..calls {
        let started = Instant::now();
        full(&client).await?;
        samples.push(started.elapsed());
    }
    let allocations = (alloc::allocations() - allocated_before) as f64 / calls.max(1) as f64;
    Ok((summarize(&mut samples).ok_or("no samples")?, allocations))
}

fn own_work_only(calls: usize) -> Result<(), String> {
    let runtime = crate::client_runtime()?;
    let (summary, _) = runtime.block_on(own_work(calls, 200))?;
    println!("{} calls, median {}", summary.count, us(summary.median));
    Ok(())
}

/// Memory under load: `calls` calls through one client, at most `in_flight` at a time, on a
/// current-thread runtime; prints the resident memory (`VmRSS`) after each tenth of the calls,
/// so that growth after the warm-up shows.
pub fn load(calls: usize, in_flight: usize) -> Result<(), String> {
    let server = server::start()?;
    let runtime = crate::client_runtime()?;
    runtime.block_on(async {
        let (_, client) = clients(&server)?;
        let step = (calls / 10).max(1);
        println!("## Memory under load ({calls} calls, {in_flight} in flight, one client)");
        println!();
        println!("| calls done | resident memory | heap live |");
        println!("|---:|---:|---:|");
        let mut running = tokio::task::JoinSet::new();
        let mut started = 0;
        let mut done = 0;
        while done < calls {
            while started < calls && running.len() < in_flight {
                let client = client.clone();
                running.spawn(async move { full(&client).await });
                started += 1;
            }
            match running.join_next().await {
                Some(Ok(result)) => result?,
                Some(Err(error)) => return Err(format!("a call panicked: {error}")),
                None => break,
            }
            done += 1;
            if done % step == 0 {
                println!(
                    "| {done} | {} | {:.1} MB |",
                    resident().unwrap_or_else(|| "?".to_owned()),
                    alloc::current() as f64 / 1e6
                );
            }
        }
        Ok::<(), String>(())
    })?;
    println!();
    Ok(())
}

/// `VmRSS` of this process, as `/proc/self/status` gives it.
fn resident() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    Some(line.trim_start_matches("VmRSS:").trim().to_owned())
}
