//! Order statistics over samples, and number formatting.

use std::time::Duration;

/// Summary of a set of durations.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub count: usize,
    pub min: Duration,
    pub median: Duration,
    pub p99: Duration,
    pub mean: Duration,
}

/// Summarizes `samples` (sorts them); `None` when empty.
pub fn summarize(samples: &mut [Duration]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable();
    let count = samples.len();
    let total: Duration = samples.iter().sum();
    Some(Summary {
        count,
        min: samples[0],
        median: percentile(samples, 50),
        p99: percentile(samples, 99),
        mean: total / u32::try_from(count).unwrap_or(u32::MAX),
    })
}

/// The nearest-rank percentile of sorted samples (not empty).
fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Milliseconds with two decimals.
pub fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

/// Microseconds with one decimal.
pub fn us(duration: Duration) -> String {
    format!("{:.1} µs", duration.as_secs_f64() * 1e6)
}

/// Bytes as MB (10^6) with one decimal.
pub fn mb(bytes: usize) -> String {
    #[allow(clippy::cast_precision_loss)] // Display only.
    let megabytes = bytes as f64 / 1e6;
    format!("{megabytes:.1} MB")
}
