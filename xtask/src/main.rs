//! Workspace automation: `cargo xtask codegen [--check] [--report FILE] [--since FILE]`, `cargo xtask generate --spec FILE --out DIR`
//! and `cargo xtask import-sdk [--service S] --version V [--python PATH] [--check | --out DIR]
//! [--allow-stale-overlays]`.

mod api_report;
mod codegen;
mod import_sdk;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--report FILE] [--since FILE] | cargo xtask generate --spec FILE --out DIR\n       cargo xtask import-sdk [--service S] --version V [--python PATH] [--check | --out DIR] [--allow-stale-overlays]";

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Codegen(codegen::CodegenOptions),
    Generate { spec: PathBuf, out: PathBuf },
    ImportSdk(import_sdk::ImportOptions),
    Help,
}

mod bench;

// The generator frees what it is done with as it writes (the spec's text, the typed document,
// each formatted item); glibc's allocator then spends a tenth of a 5,000-operation run sorting
// and merging free chunks, mimalloc does not (BENCHMARKS.md, issue 26, the idle re-take).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.first().is_some_and(|first| first == "bench") {
        return bench::main(&arguments[1..]);
    }
    let command = match parse_arguments(&arguments) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = match codegen::workspace_root() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Codegen(options) => codegen::codegen_command(&root, &options),
        Command::Generate { spec, out } => codegen::generate_command(&root, &spec, &out),
        Command::ImportSdk(options) => import_sdk::import_command(&root, &options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Hand-parsed arguments (two commands do not need an argument parser).
fn parse_arguments(arguments: &[String]) -> Result<Command, String> {
    let mut rest = arguments.iter().map(String::as_str);
    match rest.next() {
        None | Some("help" | "-h" | "--help") => Ok(Command::Help),
        Some("codegen") => parse_codegen_arguments(rest),
        Some("generate") => {
            let mut spec = None;
            let mut out = None;
            while let Some(flag) = rest.next() {
                let slot = match flag {
                    "--spec" => &mut spec,
                    "--out" => &mut out,
                    other => return Err(format!("unexpected argument `{other}`")),
                };
                let Some(value) = rest.next() else {
                    return Err(format!("`{flag}` needs a value"));
                };
                if slot.replace(PathBuf::from(value)).is_some() {
                    return Err(format!("`{flag}` is given twice"));
                }
            }
            match (spec, out) {
                (Some(spec), Some(out)) => Ok(Command::Generate { spec, out }),
                (None, _) => Err("`generate` needs `--spec FILE`".to_owned()),
                (_, None) => Err("`generate` needs `--out DIR`".to_owned()),
            }
        }
        Some("import-sdk") => parse_import_arguments(rest),
        Some(other) => Err(format!("unknown command `{other}`")),
    }
}

fn parse_codegen_arguments<'a>(mut rest: impl Iterator<Item = &'a str>) -> Result<Command, String> {
    let mut options = codegen::CodegenOptions::default();
    while let Some(flag) = rest.next() {
        let slot = match flag {
            "--check" if options.check => return Err("`--check` is given twice".to_owned()),
            "--check" => {
                options.check = true;
                continue;
            }
            "--report" => &mut options.report,
            "--since" => &mut options.since,
            other => return Err(format!("unexpected argument `{other}`")),
        };
        let Some(value) = rest.next() else {
            return Err(format!("`{flag}` needs a value"));
        };
        if slot.replace(PathBuf::from(value)).is_some() {
            return Err(format!("`{flag}` is given twice"));
        }
    }
    Ok(Command::Codegen(options))
}

fn parse_import_arguments<'a>(mut rest: impl Iterator<Item = &'a str>) -> Result<Command, String> {
    let mut service = None;
    let mut version = None;
    let mut python = None;
    let mut out = None;
    let mut check = false;
    let mut allow_stale_overlays = false;
    while let Some(flag) = rest.next() {
        let slot = match flag {
            "--check" => {
                check = true;
                continue;
            }
            "--allow-stale-overlays" => {
                allow_stale_overlays = true;
                continue;
            }
            "--service" => &mut service,
            "--version" => &mut version,
            "--python" => &mut python,
            "--out" => &mut out,
            other => return Err(format!("unexpected argument `{other}`")),
        };
        let Some(value) = rest.next() else {
            return Err(format!("`{flag}` needs a value"));
        };
        if slot.replace(value.to_owned()).is_some() {
            return Err(format!("`{flag}` is given twice"));
        }
    }
    let version = version.ok_or("`import-sdk` needs `--version V`, such as `--version 3.1.219`")?;
    Ok(Command::ImportSdk(import_sdk::ImportOptions {
        service: service.unwrap_or_else(|| "hss".to_owned()),
        version,
        python: python.map(PathBuf::from),
        check,
        out: out.map(PathBuf::from),
        allow_stale_overlays,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arguments: &[&str]) -> Result<Command, String> {
        let arguments: Vec<String> = arguments.iter().map(|a| (*a).to_owned()).collect();
        parse_arguments(&arguments)
    }

    #[test]
    fn parses_the_commands() {
        let codegen = |check: bool, report: Option<&str>, since: Option<&str>| {
            Ok(Command::Codegen(codegen::CodegenOptions {
                check,
                report: report.map(PathBuf::from),
                since: since.map(PathBuf::from),
            }))
        };
        assert_eq!(parse(&["codegen"]), codegen(false, None, None));
        assert_eq!(parse(&["codegen", "--check"]), codegen(true, None, None));
        assert_eq!(
            parse(&["codegen", "--report", "CHANGES.md"]),
            codegen(false, Some("CHANGES.md"), None)
        );
        assert_eq!(
            parse(&[
                "codegen", "--since", "old.json", "--check", "--report", "r.md"
            ]),
            codegen(true, Some("r.md"), Some("old.json"))
        );
        assert_eq!(
            parse(&["generate", "--out", "o", "--spec", "s.yaml"]),
            Ok(Command::Generate {
                spec: PathBuf::from("s.yaml"),
                out: PathBuf::from("o")
            })
        );
        assert_eq!(parse(&[]), Ok(Command::Help));
        assert_eq!(
            parse(&[
                "import-sdk",
                "--version",
                "3.1.219",
                "--check",
                "--python",
                "py"
            ]),
            Ok(Command::ImportSdk(import_sdk::ImportOptions {
                service: "hss".to_owned(),
                version: "3.1.219".to_owned(),
                python: Some(PathBuf::from("py")),
                check: true,
                out: None,
                allow_stale_overlays: false,
            }))
        );
        assert_eq!(
            parse(&[
                "import-sdk",
                "--service",
                "kms",
                "--allow-stale-overlays",
                "--version",
                "3.1.219",
                "--out",
                "d"
            ]),
            Ok(Command::ImportSdk(import_sdk::ImportOptions {
                service: "kms".to_owned(),
                version: "3.1.219".to_owned(),
                python: None,
                check: false,
                out: Some(PathBuf::from("d")),
                allow_stale_overlays: true,
            }))
        );
    }

    #[test]
    fn rejects_bad_arguments_with_one_line() {
        assert_eq!(parse(&["build"]), Err("unknown command `build`".to_owned()));
        assert_eq!(
            parse(&["codegen", "--force"]),
            Err("unexpected argument `--force`".to_owned())
        );
        assert_eq!(
            parse(&["codegen", "--check", "x"]),
            Err("unexpected argument `x`".to_owned())
        );
        assert_eq!(
            parse(&["codegen", "--report"]),
            Err("`--report` needs a value".to_owned())
        );
        assert_eq!(
            parse(&["codegen", "--since", "a", "--since", "b"]),
            Err("`--since` is given twice".to_owned())
        );
        assert_eq!(
            parse(&["codegen", "--check", "--check"]),
            Err("`--check` is given twice".to_owned())
        );
        assert_eq!(
            parse(&["generate", "--spec"]),
            Err("`--spec` needs a value".to_owned())
        );
        assert_eq!(
            parse(&["generate", "--spec", "a", "--spec", "b"]),
            Err("`--spec` is given twice".to_owned())
        );
        assert_eq!(
            parse(&["generate", "--spec", "a"]),
            Err("`generate` needs `--out DIR`".to_owned())
        );
        assert_eq!(
            parse(&["import-sdk"]),
            Err("`import-sdk` needs `--version V`, such as `--version 3.1.219`".to_owned())
        );
        assert_eq!(
            parse(&["import-sdk", "--version", "1", "--version", "2"]),
            Err("`--version` is given twice".to_owned())
        );
    }
}
