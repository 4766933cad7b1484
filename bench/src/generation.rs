//! Generator time and peak heap, per spec, with the cost per operation to show the growth.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::stats::{mb, ms, summarize, us};
use crate::{Effort, alloc};

/// One spec to generate from.
struct Input {
    name: String,
    text: String,
}

/// What one spec measured.
#[derive(Debug)]
struct Row {
    name: String,
    operations: usize,
    models: usize,
    lines: usize,
    runs: usize,
    median: Duration,
    min: Duration,
    peak_bytes: usize,
}

/// Measures every spec whose name contains `only` (all when `None`).
pub fn run(root: &Path, effort: Effort, only: Option<&str>) -> Result<(), String> {
    let mut inputs = inputs(root)?;
    if let Some(only) = only {
        inputs.retain(|input| input.name.contains(only));
    }
    println!(
        "## Generation (codegen::generate_into in-process, into a sink that counts lines, release build)"
    );
    println!();
    println!("| spec | ops | models | lines out | runs | median | min | µs/op | peak heap |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for input in &inputs {
        match measure(input, effort) {
            Ok(row) => print_row(&row),
            Err(message) => println!("| {} | failed: {message} |", input.name),
        }
    }
    println!();
    Ok(())
}

fn inputs(root: &Path) -> Result<Vec<Input>, String> {
    let mut inputs = vec![Input {
        name: "spec/hss.yaml".to_owned(),
        text: read(&root.join("spec/hss.yaml"))?,
    }];
    // The corpus the repository cannot carry: `HSS_CORPUS_DIR`, as for the corpus tests, else
    // beside the checkout.
    let corpus = std::env::var_os("HSS_CORPUS_DIR")
        .map_or_else(|| root.join("../shared/specs/progenitor"), PathBuf::from);
    let mut paths: Vec<PathBuf> = fs::read_dir(&corpus)
        .map_err(|error| format!("cannot list {}: {error}", corpus.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json" || extension == "yaml")
        })
        .collect();
    paths.sort();
    for path in paths {
        let name = format!(
            "progenitor/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        inputs.push(Input {
            name,
            text: read(&path)?,
        });
    }
    for operations in [10, 100, 1_000, 5_000] {
        inputs.push(Input {
            name: format!("synthetic {operations}"),
            text: tests::synthetic::synthetic_spec(operations),
        });
    }
    // The same document written as OpenAPI 3.1 (the version, and `nullable` as a type list):
    // what bringing 3.1 into the 3.0 shape costs, against `synthetic 1000` (budget: 1.1×).
    let as_31 = tests::synthetic::synthetic_spec(1_000)
        .replacen("openapi: 3.0.3", "openapi: 3.1.0", 1)
        .replace(
            "type: string\n          nullable: true",
            "type: [string, 'null']",
        );
    inputs.push(Input {
        name: "synthetic 1000 as 3.1".to_owned(),
        text: as_31,
    });
    Ok(inputs)
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn config(name: &str) -> codegen::Config {
    codegen::Config::new(name, "cargo xtask bench")
}

/// A sink that keeps nothing of the files but their number of lines: what is measured is the
/// generator's own time and memory, as when it writes to disk.
#[derive(Debug, Default)]
struct CountLines {
    lines: AtomicUsize,
}

impl codegen::Sink for CountLines {
    fn open(&self, _: usize, _: &str) -> Result<Box<dyn codegen::FileWriter + '_>, String> {
        Ok(Box::new(CountedFile {
            sink: self,
            lines: 0,
        }))
    }
}

struct CountedFile<'a> {
    sink: &'a CountLines,
    lines: usize,
}

impl codegen::FileWriter for CountedFile<'_> {
    fn write(&mut self, text: &str) -> Result<(), String> {
        self.lines += text.bytes().filter(|&byte| byte == b'\n').count();
        Ok(())
    }

    fn close(self: Box<Self>) -> Result<(), String> {
        self.sink.lines.fetch_add(self.lines, Ordering::Relaxed);
        Ok(())
    }
}

/// One generation into a [`CountLines`]: its counts, or the first error.
fn generate(input: &Input, config: &codegen::Config) -> Result<(usize, usize, usize), String> {
    let sink = CountLines::default();
    let written = codegen::generate_into(&input.text, config, &sink).map_err(|diagnostics| {
        let errors: Vec<_> = diagnostics.0.iter().filter(|d| d.is_error()).collect();
        let first = errors.first().map(ToString::to_string).unwrap_or_default();
        format!("{} errors, first: {first}", errors.len())
    })?;
    Ok((
        written.operations,
        written.models,
        sink.lines.load(Ordering::Relaxed),
    ))
}

/// A warm-up run (checks the spec generates, and counts), then timed runs that also record the
/// peak heap: as many as fit in about three seconds, at least 5 and at most 50, or 3 when one run
/// takes over a second (quick: up to half a second, 1 to 10).
fn measure(input: &Input, effort: Effort) -> Result<Row, String> {
    let config = config(&input.name);
    let started = Instant::now();
    let (operations, models, lines) = generate(input, &config)?;
    let warm_up = started.elapsed();

    let (least, most, budget) = match effort {
        // Runs of seconds each get 3, so that the whole benchmark stays within minutes.
        Effort::Full if warm_up > Duration::from_secs(1) => (3, 3, Duration::ZERO),
        Effort::Full => (5, 50, Duration::from_secs(3)),
        Effort::Quick => (1, 10, Duration::from_millis(500)),
    };
    let fit = budget.as_nanos() / warm_up.as_nanos().max(1);
    let runs = usize::try_from(fit).unwrap_or(most).clamp(least, most);
    let mut samples = Vec::with_capacity(runs);
    let mut peak_bytes = 0;
    for _ in 0..runs {
        // Peak heap: the most the run holds at once above what was live before it, so the spec
        // text is left out (the caller owns it), and so is the output (the sink keeps none).
        alloc::reset_peak();
        let before = alloc::current();
        let started = Instant::now();
        let generated = generate(input, &config);
        samples.push(started.elapsed());
        peak_bytes = peak_bytes.max(alloc::peak().saturating_sub(before));
        drop(std::hint::black_box(generated));
    }
    let summary = summarize(&mut samples).ok_or("no samples")?;
    Ok(Row {
        name: input.name.clone(),
        operations,
        models,
        lines,
        runs,
        median: summary.median,
        min: summary.min,
        peak_bytes,
    })
}

fn print_row(row: &Row) {
    let per_operation = if row.operations == 0 {
        "-".to_owned()
    } else {
        us(row.median / u32::try_from(row.operations).unwrap_or(u32::MAX))
    };
    println!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        row.name,
        row.operations,
        row.models,
        row.lines,
        row.runs,
        ms(row.median),
        ms(row.min),
        per_operation,
        mb(row.peak_bytes),
    );
}
