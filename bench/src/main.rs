//! The in-process benchmarks behind `BENCHMARKS.md`; `cargo xtask bench` runs them in release.
//!
//! ```text
//! cargo run --release -p bench -- [all | generation | per-call | signing] [--quick] [--python PATH]
//! ```
//!
//! - `generation`: median wall time and peak heap of `codegen::generate` for `spec/hss.yaml`, every
//!   spec of `../shared/specs/progenitor/`, and synthetic specs of 10 to 5,000 operations.
//! - `per-call`: the same POST, sequentially, through bare `reqwest` (plain, with the client's
//!   headers pre-signed, and with a signature computed per call) and through the full
//!   `hss_client` call (build, sign, send, decode) against a loopback server started here; then
//!   the client's own work with a sender answering in memory.
//! - `signing`: `hss_client::runtime::signing::sign` alone, in ns per request.
//! - `per-call-only PATH N`: one per-call path alone (`a` bare, `c` pre-signed, `e` pre-signed
//!   plus a signature per call, `b` the client, `d` the client answered in memory), N calls
//!   after 200 warm-up, for callgrind's instruction counts.
//! - `load [CALLS [IN_FLIGHT]]`: memory under load, 10,000 calls through one client with 64 in
//!   flight by default; resident memory after each tenth.
//! - `streams [SIZE_MIB]`: a download and an upload of SIZE_MIB (default 1024) through
//!   hss-client and through bare reqwest, each in a child process (`stream-one`): throughput
//!   and peak resident memory.
//! - `synthetic-spec N`: prints the synthetic spec of N operations, for `cargo xtask bench` to
//!   generate from in a process of its own (peak resident memory).
//!
//! `--quick` does fewer runs, to check that everything works. `--python PATH` also runs the
//! official Python SDK (installed for that interpreter) against the per-call server. `--only TEXT`
//! keeps the generation specs whose name contains TEXT (for profiling). Figures go to stdout;
//! nothing is asserted.

mod alloc;
mod generation;
mod per_call;
mod server;
mod signing;
mod stats;
mod streams;

use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

const USAGE: &str = "usage: bench [all | generation | per-call | signing] [--quick] [--python PATH] [--only TEXT]\n       bench synthetic-spec OPERATIONS\n       bench per-call-only (a | b | c | d | e) CALLS\n       bench load [CALLS [IN_FLIGHT]]\n       bench streams [SIZE_MIB]";

/// How long to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Full,
    Quick,
}

/// The single-threaded runtime the measured clients run on, the server having its own.
pub(crate) fn client_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the client runtime: {error}"))
}

fn main() -> ExitCode {
    // For the bare reqwest clients of the per-call paths; the client brings its own provider.
    // An error means one is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut what = None;
    let mut effort = Effort::Full;
    let mut python = None;
    let mut only = None;
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--quick" => effort = Effort::Quick,
            "--only" => only = arguments.next(),
            "--python" => match arguments.next() {
                Some(path) => python = Some(path),
                None => {
                    eprintln!("error: `--python` needs a value\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "all" | "generation" | "per-call" | "signing" if what.is_none() => {
                what = Some(argument);
            }
            "per-call-only" if what.is_none() => {
                // One path alone, for callgrind: `bench per-call-only b 2000`.
                let path = arguments.next().unwrap_or_default();
                let calls = arguments
                    .next()
                    .and_then(|count| count.parse::<usize>().ok());
                let Some(calls) = calls else {
                    eprintln!(
                        "error: `per-call-only` needs a path (a, b, c, d, e) and a count\n{USAGE}"
                    );
                    return ExitCode::from(2);
                };
                return match per_call::only(&path, calls) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(message) => {
                        eprintln!("error: {message}");
                        ExitCode::FAILURE
                    }
                };
            }
            "load" if what.is_none() => {
                // Memory under load: `bench load [CALLS [IN_FLIGHT]]`.
                let calls = arguments.next().and_then(|count| count.parse().ok());
                let in_flight = arguments.next().and_then(|count| count.parse().ok());
                return match per_call::load(calls.unwrap_or(10_000), in_flight.unwrap_or(64)) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(message) => {
                        eprintln!("error: {message}");
                        ExitCode::FAILURE
                    }
                };
            }
            "streams" if what.is_none() => {
                let size = arguments.next().and_then(|size| size.parse().ok());
                return match streams::run(effort, size.unwrap_or(1024)) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(message) => {
                        eprintln!("error: {message}");
                        ExitCode::FAILURE
                    }
                };
            }
            "stream-one" if what.is_none() => {
                // One child run of `streams`.
                let rest: Vec<String> = arguments.by_ref().take(4).collect();
                let [direction, through, size, file] = rest.as_slice() else {
                    eprintln!("error: `stream-one` needs DIRECTION CLIENT SIZE_MIB FILE\n{USAGE}");
                    return ExitCode::from(2);
                };
                return match streams::one(direction, through, size, file) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(message) => {
                        eprintln!("error: {message}");
                        ExitCode::FAILURE
                    }
                };
            }
            "synthetic-spec" if what.is_none() => {
                // The spec `cargo xtask bench` generates from in a process of its own.
                let operations = arguments
                    .next()
                    .and_then(|count| count.parse::<usize>().ok());
                let Some(operations) = operations else {
                    eprintln!("error: `synthetic-spec` needs a number of operations\n{USAGE}");
                    return ExitCode::from(2);
                };
                print!("{}", tests::synthetic::synthetic_spec(operations));
                return ExitCode::SUCCESS;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("error: unexpected argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let what = what.unwrap_or_else(|| "all".to_owned());
    let root = workspace_root();
    let result = match what.as_str() {
        "generation" => generation::run(&root, effort, only.as_deref()),
        "per-call" => per_call::run(effort, python.as_deref()),
        "signing" => signing::run(effort),
        _ => generation::run(&root, effort, only.as_deref())
            .and_then(|()| signing::run(effort))
            .and_then(|()| per_call::run(effort, python.as_deref())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, one level above this crate.
fn workspace_root() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
