//! `cargo xtask bench [--quick] [--python PATH] [--skip-compile] [--skip-in-process]`: every
//! figure of BENCHMARKS.md.
//!
//! 1. The machine: cores, CPU model, memory, load average, toolchain.
//! 2. The in-process benchmarks of the `bench` crate, built in release: generator time and peak
//!    heap, signing, per-call overhead (and the official Python SDK with `--python`).
//! 3. Generation as users run it: `cargo xtask generate` beside progenitor's CLI, and the peak
//!    resident memory of the generator's process ([`end_to_end`]).
//! 4. Compile cost, in a fresh target directory under the system temp directory (removed after):
//!    clean builds of `hss-client` (debug, then release), the crates in its tree, and the rebuild
//!    of the crate generated from `nexus.json` after touching its source (`CARGO_INCREMENTAL=0`).
//!
//! Figures are printed, never asserted.

mod corpus;
mod end_to_end;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The flags of `cargo xtask bench`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    /// Fewer runs and one rebuild: checks that everything works, figures are rough.
    pub(crate) quick: bool,
    /// A Python interpreter with `huaweicloudsdkhss` installed, for the optional comparison.
    pub(crate) python: Option<PathBuf>,
    /// Leave out the compile-cost measurements (they take minutes).
    pub(crate) skip_compile: bool,
    /// Leave out the in-process benchmarks (generation, signing, per call).
    pub(crate) skip_in_process: bool,
}

/// Parses the arguments after `bench`.
pub(crate) fn parse_options(arguments: &[&str]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut rest = arguments.iter();
    while let Some(&argument) = rest.next() {
        match argument {
            "--quick" => options.quick = true,
            "--skip-compile" => options.skip_compile = true,
            "--skip-in-process" => options.skip_in_process = true,
            "--python" => {
                let Some(&path) = rest.next() else {
                    return Err("`--python` needs a value".to_owned());
                };
                options.python = Some(PathBuf::from(path));
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(options)
}

/// The usage of `cargo xtask bench`.
pub(crate) const USAGE: &str =
    "usage: cargo xtask bench [--quick] [--python PATH] [--skip-compile] [--skip-in-process]";

/// `cargo xtask bench ARGUMENTS...`: parses the flags and runs [`bench_command`].
pub(crate) fn main(arguments: &[String]) -> ExitCode {
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    if arguments
        .iter()
        .any(|argument| matches!(*argument, "-h" | "--help"))
    {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match parse_options(&arguments) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = crate::codegen::workspace_root().and_then(|root| bench_command(&root, &options));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn bench_command(root: &Path, options: &Options) -> Result<(), String> {
    println!(
        "# cargo xtask bench{}",
        if options.quick { " --quick" } else { "" }
    );
    println!();
    print_machine(root);
    if !options.skip_in_process {
        run_in_process(root, options)?;
        let scratch = std::env::temp_dir().join(format!("hss-xtask-e2e-{}", std::process::id()));
        fs::create_dir_all(&scratch)
            .map_err(|error| format!("error: cannot create {}: {error}", scratch.display()))?;
        let result = end_to_end::run(root, &scratch, options);
        let _ = fs::remove_dir_all(&scratch);
        result?;
    }
    if !options.skip_compile {
        compile_cost(root, options)?;
    }
    println!("load average at the end: {}", load_average());
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn print_machine(root: &Path) {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown", |(_, model)| model.trim());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or_else(
            || "unknown".to_owned(),
            |kilobytes| format!("{:.1} GiB", kilobytes as f64 / 1_048_576.0),
        );
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = Command::new("rustc")
        .arg("--version")
        .current_dir(root)
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default();
    println!("## Machine");
    println!();
    println!("- cores (available parallelism): {cores}");
    println!("- CPU: {model}");
    println!("- memory: {memory}");
    println!("- toolchain: {rustc}");
    println!("- load average at the start: {}", load_average());
    println!();
}

/// The 1, 5 and 15 minute load averages, as the kernel prints them.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn run_in_process(root: &Path, options: &Options) -> Result<(), String> {
    let mut command = cargo();
    command.current_dir(root).args([
        "run",
        "--quiet",
        "--release",
        "--locked",
        "-p",
        "bench",
        "--",
        "all",
    ]);
    if options.quick {
        command.arg("--quick");
    }
    if let Some(python) = &options.python {
        command.arg("--python").arg(python);
    }
    let status = command
        .status()
        .map_err(|error| format!("error: cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: the bench binary failed ({status})"))
    }
}

fn compile_cost(root: &Path, options: &Options) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("hss-xtask-bench-{}", std::process::id()));
    let result = compile_cost_in(root, &scratch, options);
    // The scratch directory holds two target directories: remove it whatever happened.
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn compile_cost_in(root: &Path, scratch: &Path, options: &Options) -> Result<(), String> {
    let target = scratch.join("target");
    fs::create_dir_all(&target)
        .map_err(|error| format!("error: cannot create {}: {error}", target.display()))?;
    // Downloads must not be timed.
    run_quiet(cargo().current_dir(root).args(["fetch", "--locked"]))?;

    println!(
        "## Compile cost (fresh target directory, {} jobs, default features)",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!();
    let debug = timed_build(root, &target, &[])?;
    let release = timed_build(root, &target, &["--release"])?;
    let normal = tree_crates(root, "normal")?;
    let with_build = tree_crates(root, "normal,build")?;
    println!("| what | time | crates compiled |");
    println!("|---|---:|---:|");
    println!(
        "| clean `cargo build -p hss-client` (debug) | {:.1} s | {} |",
        debug.0.as_secs_f64(),
        debug.1
    );
    println!(
        "| clean `cargo build -p hss-client --release` | {:.1} s | {} |",
        release.0.as_secs_f64(),
        release.1
    );
    println!();
    println!(
        "crates in the tree of hss-client (cargo tree -e normal, itself included): {normal}; \
         with build dependencies: {with_build}"
    );
    println!();

    // The generated nexus crate, built against the debug artifacts above.
    let nexus = scratch.join("nexus-client");
    let spec = corpus::dir(root).join("nexus.json");
    crate::codegen::generate_command(root, &spec, &nexus)?;
    // The workspace's lock file pins the same versions as above, so nothing new is resolved.
    fs::copy(root.join("Cargo.lock"), nexus.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let lines = count_lines(&nexus.join("src"));
    let manifest = nexus.join("Cargo.toml");
    let build = |extra: &[&str]| {
        let mut command = cargo();
        command
            .current_dir(scratch)
            .env("CARGO_INCREMENTAL", "0")
            .arg("build")
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target)
            .args(extra);
        command
    };
    let first = time(build(&[]))?;
    let rebuilds = if options.quick { 1 } else { 3 };
    let mut times = Vec::new();
    for _ in 0..rebuilds {
        touch(&nexus.join("src/lib.rs"))?;
        times.push(time(build(&[]))?.0);
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "## Generated nexus crate (nexus.json, {lines} lines of Rust, debug, CARGO_INCREMENTAL=0)"
    );
    println!();
    println!(
        "- first build with dependencies already built: {:.1} s",
        first.0.as_secs_f64()
    );
    println!(
        "- rebuild after touching src/lib.rs: median {:.1} s of {} ({})",
        median.as_secs_f64(),
        times.len(),
        times
            .iter()
            .map(|time| format!("{:.1} s", time.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "- reference, progenitor 0.15 generated nexus crate: 12.6 s; ratio {:.2}",
        median.as_secs_f64() / 12.6
    );
    println!();
    Ok(())
}

/// A clean build of hss-client into `target`: wall time and the number of crates compiled.
fn timed_build(root: &Path, target: &Path, extra: &[&str]) -> Result<(Duration, usize), String> {
    let mut command = cargo();
    command
        .current_dir(root)
        .args(["build", "--locked", "-p", "hss-client", "--target-dir"])
        .arg(target)
        .args(extra);
    time(command)
}

/// Runs `command`, returns its wall time and how many `Compiling` lines it printed.
fn time(mut command: Command) -> Result<(Duration, usize), String> {
    let started = Instant::now();
    let output = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| format!("error: cannot run cargo: {error}"))?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("error: {command:?} failed:\n{stderr}"));
    }
    let compiled = stderr
        .lines()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .count();
    Ok((elapsed, compiled))
}

fn run_quiet(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|error| format!("error: cannot run cargo: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "error: {command:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The distinct packages `cargo tree -p hss-client -e EDGES` lists, hss-client included.
fn tree_crates(root: &Path, edges: &str) -> Result<usize, String> {
    let output = cargo()
        .current_dir(root)
        .args([
            "tree",
            "--locked",
            "-p",
            "hss-client",
            "--prefix",
            "none",
            "-e",
            edges,
        ])
        .output()
        .map_err(|error| format!("error: cannot run cargo tree: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: cargo tree failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut packages: Vec<String> = text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('['))
        .filter_map(|line| {
            // `name vX.Y.Z [(path)] [(proc-macro)] [(*)]`: the name and version identify it.
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    packages.sort();
    packages.dedup();
    Ok(packages.len())
}

fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|error| format!("error: cannot touch {}: {error}", path.display()))
}

fn count_lines(directory: &Path) -> usize {
    fs::read_dir(directory)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| fs::read_to_string(entry.path()).ok())
        .map(|text| text.lines().count())
        .sum()
}

#[cfg(test)]
mod tests;
