//! Tests of the benchmark command's flags.

use super::*;

#[test]
fn parses_the_flags() {
    assert_eq!(parse_options(&[]), Ok(Options::default()));
    assert_eq!(
        parse_options(&[
            "--quick",
            "--python",
            "/tmp/venv/bin/python",
            "--skip-compile"
        ]),
        Ok(Options {
            quick: true,
            python: Some(PathBuf::from("/tmp/venv/bin/python")),
            skip_compile: true,
            skip_in_process: false,
        })
    );
    assert_eq!(
        parse_options(&["--python"]),
        Err("`--python` needs a value".to_owned())
    );
    assert_eq!(
        parse_options(&["--fast"]),
        Err("unexpected argument `--fast`".to_owned())
    );
}
