//! Tests of reading `/usr/bin/time` reports and of the memory summary.

use super::*;

#[test]
fn reads_gnu_time_reports() {
    assert_eq!(parse_time_report("0.31 51234\n"), Some((0.31, 51_234)));
    // A command that failed gets a first line from time; the figures are on the last.
    assert_eq!(
        parse_time_report("Command exited with non-zero status 1\n2.00 10\n"),
        Some((2.0, 10))
    );
    assert_eq!(parse_time_report(""), None);
    assert_eq!(parse_time_report("x y\n"), None);
}

#[test]
fn the_memory_summary_gives_the_growth_and_the_budget() {
    let lines = memory_summary(&[(1_000, 100.0), (5_000, 420.0), (10_000, 820.0)]);
    assert_eq!(
        lines,
        [
            "- added peak resident memory per 1,000 operations (1000 to 10000): 80.0 MB",
            "- 5,000 operations: 420.0 MB peak resident memory (budget 500 MB: met)",
        ]
    );
    let missed = memory_summary(&[(5_000, 600.0)]);
    assert_eq!(
        missed,
        ["- 5,000 operations: 600.0 MB peak resident memory (budget 500 MB: missed)"]
    );
}
