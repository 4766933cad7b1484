//! The signer alone: `hss_client::runtime::signing::sign` over the request the per-call benchmark sends.

use std::time::{Duration, Instant, SystemTime};

use hss_client::runtime::signing::{SigningInput, format_sdk_date, sign};

use crate::Effort;
use crate::stats::summarize;

const BODY: &[u8] = br#"{"image_type":"private_image"}"#;

pub fn run(effort: Effort) -> Result<(), String> {
    let (batches, per_batch) = match effort {
        Effort::Full => (60, 5_000),
        Effort::Quick => (10, 1_000),
    };
    let secret = "bench-secret-key-0123456789abcdef0123";
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("User-Agent".to_owned(), "hss-rs/0.1.0".to_owned()),
        (
            "X-Project-Id".to_owned(),
            "0123456789abcdef0123456789abcdef".to_owned(),
        ),
        ("X-Sdk-Date".to_owned(), format_sdk_date(SystemTime::now())),
        ("Host".to_owned(), "127.0.0.1:8080".to_owned()),
    ];
    let query: Vec<(String, String)> = Vec::new();
    let input = SigningInput {
        method: "POST",
        path: "/v5/0123456789abcdef0123456789abcdef/image/synchronize",
        query: &query,
        headers: &headers,
        body: BODY,
    };
    let access_key = "BENCHACCESSKEY000000";
    sign(&input, access_key, secret).map_err(|error| error.to_string())?;

    let sign_only = per_request(batches, per_batch, || {
        let signature = sign(std::hint::black_box(&input), access_key, secret);
        drop(std::hint::black_box(signature));
    });
    let with_date = per_request(batches, per_batch, || {
        let date = format_sdk_date(SystemTime::now());
        let signature = sign(std::hint::black_box(&input), access_key, secret);
        drop(std::hint::black_box((date, signature)));
    });

    println!(
        "## Signing (hss_client::runtime::signing::sign, POST with a 30-byte body, 5 headers)"
    );
    println!();
    println!("| what | median ns/request | best batch | batches x requests |");
    println!("|---|---:|---:|---:|");
    for (name, (median, best)) in [
        ("sign", sign_only),
        ("format_sdk_date(now) + sign", with_date),
    ] {
        println!(
            "| {name} | {} ns | {} ns | {batches} x {per_batch} |",
            median.as_nanos(),
            best.as_nanos()
        );
    }
    println!();
    Ok(())
}

/// Median and best over `batches` of the mean time per call within a batch.
fn per_request(batches: usize, per_batch: u32, mut call: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..per_batch {
        call();
    }
    let mut means: Vec<Duration> = (0..batches)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..per_batch {
                call();
            }
            started.elapsed() / per_batch
        })
        .collect();
    summarize(&mut means).map_or((Duration::ZERO, Duration::ZERO), |summary| {
        (summary.median, summary.min)
    })
}
