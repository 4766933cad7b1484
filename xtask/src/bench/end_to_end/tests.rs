//! Tests of reading `/usr/bin/time` reports.

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
