//! Large bodies: a download and an upload of SIZE MiB (1 GiB by default) through hss-client's
//! public API and through bare reqwest, against a loopback server that streams its answers from
//! one fixed buffer and throws uploads away, so that only the client holds memory. Each run is a
//! child process of its own (`bench stream-one ...`), so its peak resident memory (`VmHWM`) is
//! that run's alone.
//!
//! - download: hss-client `list_download_exported_file(..).send()` and `tokio::io::copy` of the
//!   body's reader into a sink; bare reqwest `get(..).send()` and `chunk()` until the end.
//! - upload: hss-client `upload_report_logo` with `ByteStream::from_path` (a multipart file part);
//!   bare reqwest a POST of the same file read by the same reader (`ByteStream` is an
//!   `http_body::Body`), so the difference is the client's own work: signing, the multipart
//!   framing, the attempt loop.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::Effort;

/// What one child run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Download,
    Upload,
}

/// Whose client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Through {
    Hss,
    Reqwest,
}

/// The bytes the server streams a download from, repeated.
const BLOCK: usize = 1024 * 1024;

/// `bench streams [SIZE_MIB]`: every case in child processes, interleaved, medians printed.
pub fn run(effort: Effort, size_mib: u64) -> Result<(), String> {
    let rounds = match effort {
        Effort::Full => 5,
        Effort::Quick => 1,
    };
    let file = upload_file(size_mib)?;
    let exe =
        std::env::current_exe().map_err(|error| format!("cannot find this program: {error}"))?;
    println!("\n## Large bodies: {size_mib} MiB through one client, {rounds} interleaved rounds\n");
    let cases = [
        (Direction::Download, Through::Reqwest),
        (Direction::Download, Through::Hss),
        (Direction::Upload, Through::Reqwest),
        (Direction::Upload, Through::Hss),
    ];
    let mut throughput: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut peak: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for _ in 0..rounds {
        for (index, (direction, through)) in cases.iter().enumerate() {
            let output = std::process::Command::new(&exe)
                .arg("stream-one")
                .arg(direction_name(*direction))
                .arg(through_name(*through))
                .arg(size_mib.to_string())
                .arg(&file.0)
                .output()
                .map_err(|error| format!("cannot run a child: {error}"))?;
            if !output.status.success() {
                return Err(format!(
                    "the {} {} run failed: {}",
                    direction_name(*direction),
                    through_name(*through),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            let text = String::from_utf8_lossy(&output.stdout);
            let (mib_s, peak_kib) = parse_child(&text)?;
            throughput[index].push(mib_s);
            peak[index].push(peak_kib / 1024.0);
        }
    }
    println!("| case | throughput (MiB/s, median) | peak resident memory (MB, max) |");
    println!("|---|---:|---:|");
    for (index, (direction, through)) in cases.iter().enumerate() {
        let max_peak = peak[index].iter().copied().fold(0.0_f64, f64::max);
        println!(
            "| {} via {} | {:.0} | {:.1} |",
            direction_name(*direction),
            through_name(*through),
            median(&mut throughput[index].clone()),
            max_peak
        );
    }
    let ratio = |hss: usize, bare: usize| {
        median(&mut throughput[hss].clone()) / median(&mut throughput[bare].clone())
    };
    println!(
        "\ndownload hss-client / bare reqwest throughput (median): {:.3}",
        ratio(1, 0)
    );
    println!(
        "upload hss-client / bare reqwest throughput (median): {:.3}",
        ratio(3, 2)
    );
    Ok(())
}

/// `bench stream-one DIRECTION THROUGH SIZE_MIB FILE`: one run; prints `MiB/s` and `VmHWM`.
pub fn one(direction: &str, through: &str, size_mib: &str, file: &str) -> Result<(), String> {
    let direction = match direction {
        "download" => Direction::Download,
        "upload" => Direction::Upload,
        other => return Err(format!("unknown direction {other:?}")),
    };
    let through = match through {
        "hss" => Through::Hss,
        "reqwest" => Through::Reqwest,
        other => return Err(format!("unknown client {other:?}")),
    };
    let size_mib: u64 = size_mib
        .parse()
        .map_err(|_| format!("not a size in MiB: {size_mib:?}"))?;
    let bytes = size_mib * BLOCK as u64;
    let address = start_server(bytes)?;
    let runtime = crate::client_runtime()?;
    let elapsed = runtime.block_on(async {
        let url = format!("http://{address}");
        let started = Instant::now();
        let moved = match (direction, through) {
            (Direction::Download, Through::Hss) => hss_download(&url).await?,
            (Direction::Download, Through::Reqwest) => reqwest_download(&url).await?,
            (Direction::Upload, Through::Hss) => hss_upload(&url, Path::new(file)).await?,
            (Direction::Upload, Through::Reqwest) => reqwest_upload(&url, Path::new(file)).await?,
        };
        if moved < bytes {
            return Err(format!("moved {moved} bytes of {bytes}"));
        }
        Ok::<_, String>(started.elapsed())
    })?;
    let mib_s = size_mib as f64 / elapsed.as_secs_f64();
    let peak = peak_kib().ok_or("no VmHWM in /proc/self/status")?;
    println!("{mib_s:.1} {peak}");
    Ok(())
}

fn hss_client(url: &str) -> Result<hss_client::Client, String> {
    hss_client::Client::builder()
        .env_lookup(|_| None)
        .endpoint(url)
        .credentials(hss_client::Credentials::permanent("AK", "SK"))
        .project_id("project-1")
        .build()
        .map_err(|error| error.to_string())
}

async fn hss_download(url: &str) -> Result<u64, String> {
    let client = hss_client(url)?;
    let response = client
        .list_download_exported_file("file-1")
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let mut reader = response.into_body().into_async_read();
    tokio::io::copy(&mut reader, &mut tokio::io::sink())
        .await
        .map_err(|error| error.to_string())
}

async fn reqwest_download(url: &str) -> Result<u64, String> {
    let client = reqwest::Client::new();
    let mut response = client
        .get(format!("{url}/v5/project-1/download/file-1"))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let mut moved = 0;
    while let Some(chunk) = response.chunk().await.map_err(|error| error.to_string())? {
        moved += chunk.len() as u64;
    }
    Ok(moved)
}

async fn hss_upload(url: &str, file: &Path) -> Result<u64, String> {
    let client = hss_client(url)?;
    let body = hss_client::ByteStream::from_path(file)
        .await
        .map_err(|error| error.to_string())?;
    let length = body.length().unwrap_or(0);
    client
        .upload_report_logo(hss_client::models::UploadReportLogoRequestBody::new(body))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    Ok(length)
}

async fn reqwest_upload(url: &str, file: &Path) -> Result<u64, String> {
    let body = hss_client::ByteStream::from_path(file)
        .await
        .map_err(|error| error.to_string())?;
    let length = body.length().unwrap_or(0);
    let response = reqwest::Client::new()
        .post(format!("{url}/v5/project-1/report/logo/upload"))
        .header("Content-Type", "application/octet-stream")
        .body(reqwest::Body::wrap(body))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    response.bytes().await.map_err(|error| error.to_string())?;
    Ok(length)
}

/// The upload's file of `size_mib` MiB under the temporary directory, made once per run of
/// `bench streams` and removed after.
struct UploadFile(PathBuf);

impl Drop for UploadFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn upload_file(size_mib: u64) -> Result<UploadFile, String> {
    use std::io::Write as _;
    let path = std::env::temp_dir().join(format!("hss-bench-upload-{}", std::process::id()));
    let file = UploadFile(path);
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&file.0)
            .map_err(|error| format!("cannot create {:?}: {error}", file.0))?,
    );
    let block: Vec<u8> = (0..BLOCK).map(|i| (i % 251) as u8).collect();
    for _ in 0..size_mib {
        out.write_all(&block)
            .map_err(|error| format!("cannot write {:?}: {error}", file.0))?;
    }
    out.flush()
        .map_err(|error| format!("cannot write {:?}: {error}", file.0))?;
    Ok(file)
}

fn parse_child(text: &str) -> Result<(f64, f64), String> {
    let mut fields = text.split_whitespace();
    let mib_s = fields.next().and_then(|field| field.parse().ok());
    let peak = fields.next().and_then(|field| field.parse().ok());
    match (mib_s, peak) {
        (Some(mib_s), Some(peak)) => Ok((mib_s, peak)),
        _ => Err(format!("unexpected child output {text:?}")),
    }
}

/// The peak resident memory of this process in KiB (`VmHWM`).
fn peak_kib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Download => "download",
        Direction::Upload => "upload",
    }
}

fn through_name(through: Through) -> &'static str {
    match through {
        Through::Hss => "hss",
        Through::Reqwest => "reqwest",
    }
}

/// A server on its own thread: a GET is answered with `bytes` bytes from one block, a request
/// with a body has it read and dropped (by `Content-Length`; a chunked one ends the
/// connection) and gets a small JSON.
fn start_server(bytes: u64) -> Result<SocketAddr, String> {
    let (listener, address) = crate::server::loopback_listener()?;
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            let Ok(listener) = TcpListener::from_std(listener) else {
                return;
            };
            let block: &'static [u8] =
                Vec::leak((0..BLOCK).map(|i| (i % 253) as u8).collect::<Vec<u8>>());
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, bytes, block));
            }
        });
    });
    Ok(address)
}

async fn serve(mut stream: TcpStream, bytes: u64, block: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0_u8; 256 * 1024];
    let mut filled = 0;
    loop {
        // The head.
        let head_end = loop {
            if let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            if filled == buffer.len() {
                return;
            }
            match stream.read(&mut buffer[filled..]).await {
                Ok(0) | Err(_) => return,
                Ok(n) => filled += n,
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let length: u64 = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        let chunked = head.contains("transfer-encoding: chunked");
        let get = head.starts_with("get ");
        buffer.copy_within(head_end..filled, 0);
        filled -= head_end;
        if chunked {
            // Unknown-length uploads are not what is measured here.
            return;
        }
        // The body, dropped as it arrives.
        let mut left = length;
        let take = (filled as u64).min(left) as usize;
        left -= take as u64;
        buffer.copy_within(take..filled, 0);
        filled -= take;
        while left > 0 {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    let used = (n as u64).min(left) as usize;
                    left -= used as u64;
                    buffer.copy_within(used..n, 0);
                    filled = n - used;
                }
            }
        }
        let written = if get {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {bytes}\r\nX-Request-Id: bench\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut sent = 0_u64;
            let mut result = Ok(());
            while sent < bytes && result.is_ok() {
                let part = (bytes - sent).min(block.len() as u64) as usize;
                result = stream.write_all(&block[..part]).await;
                sent += part as u64;
            }
            result
        } else {
            let body = r#"{"logo_id":"bench"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: bench\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).await
        };
        if written.is_err() {
            return;
        }
    }
}

/// The median of the samples (the mean of the middle two for an even count).
fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    }
}
