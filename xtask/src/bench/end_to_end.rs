//! Generation as users run it, one process per run: the wall time of `cargo xtask generate`
//! beside progenitor's CLI on the same spec, and the peak resident memory of the generator's
//! process (the `xtask` binary itself, run under `/usr/bin/time`) for the whole HSS spec,
//! `nexus.json` and the synthetic specs of 1,000, 5,000 and 10,000 operations, with the memory
//! each 1,000 operations add.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Options, cargo};

/// Where `bench/compile_budgets.sh` installs `cargo-progenitor` (0.15.1, from crates.io).
const PROGENITOR: &str = "target/compile-budgets-tools/bin/cargo-progenitor";

/// The synthetic specs measured for memory, in operations.
const SYNTHETIC_OPERATIONS: [usize; 3] = [1_000, 5_000, 10_000];

/// The peak resident memory `cargo xtask generate` may take at 5,000 synthetic operations.
const BUDGET_5000_MB: f64 = 500.0;

pub(crate) fn run(root: &Path, scratch: &Path, options: &Options) -> Result<(), String> {
    let runs = if options.quick { 1 } else { 7 };
    let nexus = super::corpus::dir(root).join("nexus.json");
    let mut synthetic = Vec::new();
    for operations in SYNTHETIC_OPERATIONS {
        let path = scratch.join(format!("synthetic-{operations}.yaml"));
        write_synthetic(root, operations, &path)?;
        synthetic.push((operations, path));
    }

    println!("## Generation end to end (one process per run, median of {runs})");
    println!();
    let generate = || {
        let mut command = cargo();
        command
            .current_dir(root)
            .args(["xtask", "generate", "--spec"]);
        command.arg(&nexus).arg("--out").arg(scratch.join("ours"));
        timed(command)
    };
    // Untimed: builds the generator if a source changed since the last build.
    generate()?;
    let ours = median(runs, generate)?;
    println!(
        "- `cargo xtask generate --spec nexus.json`: {:.3} s",
        ours.as_secs_f64()
    );
    let progenitor = root.join(PROGENITOR);
    if progenitor.is_file() {
        let theirs = median(runs, || {
            let out = scratch.join("progenitor");
            // Its CLI refuses to write into an existing crate directory.
            let _ = fs::remove_dir_all(&out);
            let mut command = Command::new(&progenitor);
            command
                .args(["progenitor", "-i"])
                .arg(&nexus)
                .arg("-o")
                .arg(&out);
            command.args(["-n", "progenitor-nexus", "-v", "0.0.0"]);
            timed(command)
        })?;
        println!(
            "- `cargo progenitor` 0.15.1 on nexus.json (its rustfmt included): {:.3} s",
            theirs.as_secs_f64()
        );
        println!(
            "- ratio, ours / progenitor: {:.2} (target 0.40)",
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    } else {
        println!(
            "- progenitor: not installed at {PROGENITOR} (bench/compile_budgets.sh installs it)"
        );
    }
    println!();

    // The xtask binary running this benchmark is the generator `cargo xtask generate` runs.
    let xtask = std::env::current_exe()
        .map_err(|error| format!("error: cannot find the xtask binary: {error}"))?;
    println!("| spec (xtask generate, one process) | wall time | peak resident memory |");
    println!("|---|---:|---:|");
    let mut specs = vec![
        ("spec/hss.yaml".to_owned(), root.join("spec/hss.yaml"), None),
        ("progenitor/nexus.json".to_owned(), nexus, None),
    ];
    for (operations, path) in &synthetic {
        let name = format!("synthetic {operations}");
        specs.push((name, path.clone(), Some(*operations)));
    }
    let mut by_operations = Vec::new();
    for (name, spec, operations) in specs {
        let (time, kilobytes) = peak_memory(&xtask, &spec, &scratch.join("memory"))?;
        let megabytes = kilobytes as f64 / 1024.0;
        println!("| {name} | {time:.2} s | {megabytes:.1} MB |");
        if let Some(operations) = operations {
            by_operations.push((operations, megabytes));
        }
    }
    println!();
    for line in memory_summary(&by_operations) {
        println!("{line}");
    }
    println!();
    for (_, path) in &synthetic {
        let _ = fs::remove_file(path);
    }
    Ok(())
}

/// What the synthetic sizes' peaks say: the memory 1,000 more operations add (between the
/// smallest and the largest size), and the 5,000-operation peak against its budget.
fn memory_summary(by_operations: &[(usize, f64)]) -> Vec<String> {
    let mut lines = Vec::new();
    if let (Some(&(least, low)), Some(&(most, high))) =
        (by_operations.first(), by_operations.last())
        && most > least
    {
        let per_thousand = (high - low) / ((most - least) as f64 / 1_000.0);
        lines.push(format!(
            "- added peak resident memory per 1,000 operations ({least} to {most}): {per_thousand:.1} MB"
        ));
    }
    if let Some(&(_, peak)) = by_operations
        .iter()
        .find(|(operations, _)| *operations == 5_000)
    {
        let verdict = if peak <= BUDGET_5000_MB {
            "met"
        } else {
            "missed"
        };
        lines.push(format!(
            "- 5,000 operations: {peak:.1} MB peak resident memory (budget {BUDGET_5000_MB:.0} MB: {verdict})"
        ));
    }
    lines
}

/// Writes `tests::synthetic::synthetic_spec(operations)` (through the bench binary) to `path`.
fn write_synthetic(root: &Path, operations: usize, path: &Path) -> Result<(), String> {
    let output = cargo()
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--release",
            "--locked",
            "-p",
            "bench",
            "--",
        ])
        .args(["synthetic-spec", &operations.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("error: cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err("error: the bench binary could not write the synthetic spec".to_owned());
    }
    fs::write(path, &output.stdout)
        .map_err(|error| format!("error: cannot write {}: {error}", path.display()))
}

/// The median of `runs` results of `measure`.
fn median(
    runs: usize,
    mut measure: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    let mut times = (0..runs)
        .map(|_| measure())
        .collect::<Result<Vec<_>, _>>()?;
    times.sort();
    times
        .get(times.len() / 2)
        .copied()
        .ok_or_else(|| "error: no runs".to_owned())
}

/// The wall time of `command`, whose output is discarded; a failure is an error.
fn timed(mut command: Command) -> Result<Duration, String> {
    let started = Instant::now();
    let output = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| format!("error: cannot run {command:?}: {error}"))?;
    let elapsed = started.elapsed();
    if output.status.success() {
        Ok(elapsed)
    } else {
        Err(format!(
            "error: {command:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Wall seconds and peak resident kilobytes of `xtask generate --spec SPEC --out OUT`, from
/// `/usr/bin/time -f "%e %M"`.
fn peak_memory(xtask: &Path, spec: &Path, out: &Path) -> Result<(f64, u64), String> {
    let report: PathBuf = out.with_extension("time");
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(&report)
        .arg(xtask)
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| format!("error: cannot run /usr/bin/time (GNU time): {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: xtask generate --spec {} failed:\n{}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = fs::read_to_string(&report)
        .map_err(|error| format!("error: cannot read {}: {error}", report.display()))?;
    let _ = fs::remove_dir_all(out);
    parse_time_report(&text)
        .ok_or_else(|| format!("error: unexpected /usr/bin/time report: {text:?}"))
}

/// `"%e %M"` as GNU time prints it: seconds and kilobytes, on the last line.
fn parse_time_report(text: &str) -> Option<(f64, u64)> {
    let mut words = text.lines().last()?.split_whitespace();
    let seconds = words.next()?.parse().ok()?;
    let kilobytes = words.next()?.parse().ok()?;
    Some((seconds, kilobytes))
}

#[cfg(test)]
mod tests;
