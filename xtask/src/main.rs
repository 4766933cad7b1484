//! Workspace automation: `cargo xtask codegen [--check]` and `cargo xtask generate --spec FILE --out DIR`.

mod codegen;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] | cargo xtask generate --spec FILE --out DIR";

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Codegen { check: bool },
    Generate { spec: PathBuf, out: PathBuf },
    Help,
}

mod bench;

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
        Command::Codegen { check } => codegen::codegen_command(&root, check),
        Command::Generate { spec, out } => codegen::generate_command(&root, &spec, &out),
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
        Some("codegen") => match rest.next() {
            None => Ok(Command::Codegen { check: false }),
            Some("--check") => match rest.next() {
                None => Ok(Command::Codegen { check: true }),
                Some(extra) => Err(format!("unexpected argument `{extra}`")),
            },
            Some(other) => Err(format!("unexpected argument `{other}`")),
        },
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
        Some(other) => Err(format!("unknown command `{other}`")),
    }
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
        assert_eq!(parse(&["codegen"]), Ok(Command::Codegen { check: false }));
        assert_eq!(
            parse(&["codegen", "--check"]),
            Ok(Command::Codegen { check: true })
        );
        assert_eq!(
            parse(&["generate", "--out", "o", "--spec", "s.yaml"]),
            Ok(Command::Generate {
                spec: PathBuf::from("s.yaml"),
                out: PathBuf::from("o")
            })
        );
        assert_eq!(parse(&[]), Ok(Command::Help));
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
    }
}
