//! No spec makes the generator panic, and whatever it generates parses as Rust.
//!
//! A seeded, hand-written mutator (no proptest: a tiny PRNG keeps the dependencies small) takes
//! valid specs (`spec/hss.yaml`, every `tests/fixtures/ok/` spec and a small synthetic spec: only
//! what the repository holds, so every clone runs the same campaign) as YAML trees and drops keys, swaps types, dangles and cycles `$ref`s,
//! nests schemas deeply, inserts huge enums, and renames things oddly. Each case runs on its own
//! thread (with the 8 MiB stack of a main thread) under a time limit; a panic, a hang, a malformed
//! diagnostic or output that `syn` cannot parse fails the test, and the spec of every failing
//! case is written to `<target>/fuzz-failures/` to reproduce it.
//!
//! `cargo test` runs a bounded campaign of `DEFAULT_CASES` cases with a fixed seed. For a long
//! campaign, set the number of cases and, optionally, another seed, and build in release mode:
//!
//! ```text
//! HSS_FUZZ_CASES=100000 HSS_FUZZ_SEED=7 cargo test --release -p tests --test no_panic -- --nocapture
//! ```

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use codegen::Generated;
use serde_yaml::{Mapping, Value};
use tests::fixtures;
use tests::scratch::outer_target_dir;
use tests::synthetic::synthetic_spec;

/// Cases of the bounded run in `cargo test` (debug build, well under 20 s on 2 cores).
const DEFAULT_CASES: usize = 300;
const DEFAULT_SEED: u64 = 0x4853_535f_6675_7a7a;
/// One case that takes longer than this is reported as a hang.
const CASE_TIME_LIMIT: Duration = Duration::from_secs(10);
/// Every this many cases, one huge enum (10,000 values) is inserted.
const HUGE_EVERY: usize = 100;

/// splitmix64: tiny, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ODD_NAMES: &[&str] = &[
    "",
    " ",
    "0",
    "123abc",
    "1st-page",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "r#type",
    "_",
    "__",
    "-",
    "a-b",
    "a.b",
    "a b",
    "A_B",
    "aB",
    "名字",
    "😀",
    "None",
    "Some",
    "Ok",
    "Err",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "std",
    "core",
    "serde",
    "models",
    "runtime",
    "Client",
    "Unknown",
    "new",
    "send",
    "as_str",
    "fmt",
    "default",
    "async",
    "await",
    "dyn",
    "abstract",
    "union",
    "macro_rules",
    "\"quoted\"",
    "back\\slash",
    "new\nline",
    "*/",
    "/*",
    "{",
    "}",
    "#",
    "~1",
    "$ref",
    "x-extension",
    "GET",
    "{project_id}",
    "%2F",
];

#[derive(Debug, Clone)]
enum Seg {
    Key(Value),
    Index(usize),
}

/// The path of every node of `value` (the root is the empty path).
fn all_paths(value: &Value) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Mapping(map) => {
                for (key, child) in map {
                    let mut p = path.clone();
                    p.push(Seg::Key(key.clone()));
                    stack.push((p, child));
                }
            }
            Value::Sequence(seq) => {
                for (i, child) in seq.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    stack.push((p, child));
                }
            }
            Value::Tagged(tagged) => stack.push((path.clone(), &tagged.value)),
            _ => {}
        }
        out.push(path);
    }
    out
}

/// A path as a JSON pointer, shortened to keep failure reports readable.
fn show(path: &[Seg]) -> String {
    let mut text = String::from("#");
    for seg in path {
        match seg {
            Seg::Key(Value::String(key)) => {
                text.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            Seg::Key(other) => text.push_str(&format!("/{other:?}")),
            Seg::Index(i) => text.push_str(&format!("/{i}")),
        }
    }
    if text.chars().count() > 120 {
        let tail: String = text
            .chars()
            .rev()
            .take(100)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        text = format!("#/…{tail}");
    }
    text
}

fn get_mut<'a>(mut value: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(key), Value::Mapping(map)) => map.get_mut(key)?,
            (Seg::Index(i), Value::Sequence(seq)) => seq.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn get<'a>(mut value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(key), Value::Mapping(map)) => map.get(key)?,
            (Seg::Index(i), Value::Sequence(seq)) => seq.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn is_schema_like(value: &Value) -> bool {
    let Value::Mapping(map) = value else {
        return false;
    };
    [
        "type",
        "properties",
        "$ref",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "enum",
        "additionalProperties",
    ]
    .iter()
    .any(|key| map.contains_key(*key))
}

fn paths_where(spec: &Value, keep: impl Fn(&[Seg], &Value) -> bool) -> Vec<Vec<Seg>> {
    all_paths(spec)
        .into_iter()
        .filter(|p| get(spec, p).is_some_and(|v| keep(p, v)))
        .collect()
}

fn key(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn schemas_mut(spec: &mut Value) -> Option<&mut Mapping> {
    let root = spec.as_mapping_mut()?;
    let components = root
        .entry(key("components"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    let components = components.as_mapping_mut()?;
    let schemas = components
        .entry(key("schemas"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    schemas.as_mapping_mut()
}

fn reference(name: &str) -> Value {
    let mut map = Mapping::new();
    map.insert(key("$ref"), key(&format!("#/components/schemas/{name}")));
    Value::Mapping(map)
}

fn random_value(rng: &mut Rng, unlike: &Value) -> Value {
    loop {
        let value = match rng.below(7) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => Value::Number((rng.next() as i64 >> rng.below(64)).into()),
            3 => Value::Number(serde_yaml::Number::from(-1.5e300)),
            4 => key(rng.pick::<&str>(ODD_NAMES)),
            5 => Value::Sequence(vec![key("a"), Value::Number(1.into())]),
            _ => Value::Mapping(Mapping::new()),
        };
        if std::mem::discriminant(&value) != std::mem::discriminant(unlike) {
            return value;
        }
    }
}

/// Applies one random mutation and names it.
fn mutate(spec: &mut Value, rng: &mut Rng, huge: bool) -> String {
    if huge {
        return huge_enum(spec, rng);
    }
    match rng.below(9) {
        0 => {
            let maps = paths_where(spec, |_, v| v.as_mapping().is_some_and(|m| !m.is_empty()));
            let path = rng.pick(&maps).clone();
            if let Some(Value::Mapping(map)) = get_mut(spec, &path) {
                let k = map.keys().nth(rng.below(map.len())).cloned();
                if let Some(k) = k {
                    map.remove(&k);
                    return format!("drop key {k:?} at {}", show(&path));
                }
            }
            "drop key (none)".to_owned()
        }
        1 => {
            let all = all_paths(spec);
            if all.len() < 2 {
                return "swap type (no node)".to_owned();
            }
            let path = rng.pick(&all[1..]).clone();
            if let Some(node) = get_mut(spec, &path) {
                let replacement = random_value(rng, node);
                *node = replacement;
            }
            format!("swap type at {}", show(&path))
        }
        2 => {
            let targets = [
                "#/components/schemas/Dangling",
                "#/components/parameters/Dangling",
                "#/components/responses/Dangling",
                "#/nowhere",
                "#",
                "",
                "#/components/schemas/",
                "other.yaml#/components/schemas/Thing",
                "#/paths/~1a",
                "#/components/schemas/%7B",
            ];
            let target = rng.pick(&targets).to_string();
            let refs = paths_where(spec, |p, v| {
                v.is_string() && matches!(p.last(), Some(Seg::Key(k)) if k == "$ref")
            });
            if refs.is_empty() || rng.below(3) == 0 {
                let schemas = paths_where(spec, |_, v| is_schema_like(v));
                if !schemas.is_empty() {
                    let path = rng.pick(&schemas).clone();
                    if let Some(node) = get_mut(spec, &path) {
                        *node = reference("Dangling");
                        if let Value::Mapping(map) = node {
                            map.insert(key("$ref"), key(&target));
                        }
                    }
                }
            } else {
                let path = rng.pick(&refs).clone();
                if let Some(node) = get_mut(spec, &path) {
                    *node = key(&target);
                }
            }
            format!("dangle $ref to {target:?}")
        }
        3 => {
            let style = rng.below(3);
            if let Some(schemas) = schemas_mut(spec) {
                match style {
                    0 => {
                        schemas.insert(key("CycleA"), reference("CycleB"));
                        schemas.insert(key("CycleB"), reference("CycleA"));
                    }
                    1 => {
                        schemas.insert(key("CycleA"), reference("CycleA"));
                    }
                    _ => {
                        let text = "type: object\nrequired: [me]\nproperties:\n  me: {$ref: '#/components/schemas/CycleA'}\n  list: {type: array, items: {$ref: '#/components/schemas/CycleA'}}\n  all: {allOf: [{$ref: '#/components/schemas/CycleA'}]}\n";
                        schemas.insert(
                            key("CycleA"),
                            serde_yaml::from_str(text).expect("cycle schema"),
                        );
                    }
                }
            }
            let refs = paths_where(spec, |p, v| {
                v.is_string() && matches!(p.last(), Some(Seg::Key(k)) if k == "$ref")
            });
            if !refs.is_empty() {
                let path = rng.pick(&refs).clone();
                if let Some(node) = get_mut(spec, &path) {
                    *node = key("#/components/schemas/CycleA");
                }
            }
            format!("cycle $refs (style {style})")
        }
        4 => {
            let schemas = paths_where(spec, |p, v| !p.is_empty() && is_schema_like(v));
            let depth = 20 + rng.below(181);
            let style = rng.below(5);
            if !schemas.is_empty() {
                let path = rng.pick(&schemas).clone();
                if let Some(node) = get_mut(spec, &path) {
                    let mut inner = std::mem::take(node);
                    for level in 0..depth {
                        let mut map = Mapping::new();
                        match style {
                            0 => {
                                let mut props = Mapping::new();
                                props.insert(key(&format!("level_{level}")), inner);
                                map.insert(key("type"), key("object"));
                                map.insert(key("properties"), Value::Mapping(props));
                            }
                            1 => {
                                map.insert(key("type"), key("array"));
                                map.insert(key("items"), inner);
                            }
                            2 => {
                                map.insert(key("allOf"), Value::Sequence(vec![inner]));
                            }
                            3 => {
                                map.insert(key("type"), key("object"));
                                map.insert(key("additionalProperties"), inner);
                            }
                            _ => {
                                map.insert(
                                    key("oneOf"),
                                    Value::Sequence(vec![inner, reference("Nested")]),
                                );
                            }
                        }
                        inner = Value::Mapping(map);
                    }
                    *node = inner;
                }
            }
            format!("nest {depth} levels (style {style})")
        }
        5 => {
            let names = paths_where(spec, |p, v| {
                v.as_mapping().is_some_and(|m| !m.is_empty())
                    && matches!(p.last(), Some(Seg::Key(k)) if k == "properties" || k == "schemas" || k == "paths" || k == "responses" || k == "parameters" || k == "headers" || k == "content")
            });
            let odd = rng.pick(ODD_NAMES).to_string();
            if !names.is_empty() {
                let path = rng.pick(&names).clone();
                if let Some(Value::Mapping(map)) = get_mut(spec, &path) {
                    let k = map.keys().nth(rng.below(map.len())).cloned();
                    if let Some(v) = k.and_then(|k| map.remove(&k)) {
                        map.insert(key(&odd), v);
                    }
                }
            }
            format!("rename a key to {odd:?}")
        }
        6 => {
            let named = paths_where(spec, |p, v| {
                v.is_string()
                    && matches!(p.last(), Some(Seg::Key(k)) if k == "operationId" || k == "name" || k == "propertyName")
            });
            let odd = rng.pick(ODD_NAMES).to_string();
            if !named.is_empty() {
                let path = rng.pick(&named).clone();
                if let Some(node) = get_mut(spec, &path) {
                    *node = key(&odd);
                }
            }
            format!("set a name to {odd:?}")
        }
        7 => {
            let strings = paths_where(spec, |_, v| v.is_string());
            let odd = rng.pick(ODD_NAMES).to_string();
            if !strings.is_empty() {
                let path = rng.pick(&strings).clone();
                if let Some(node) = get_mut(spec, &path) {
                    *node = key(&odd);
                }
            }
            format!("set a string to {odd:?}")
        }
        _ => {
            let all = all_paths(spec);
            let from = rng.pick(&all).clone();
            let to = rng.pick(&all).clone();
            let copy = get(spec, &from).cloned();
            if let (Some(copy), false) = (copy, to.is_empty()) {
                if let Some(node) = get_mut(spec, &to) {
                    *node = copy;
                }
            }
            format!("copy {} over {}", show(&from), show(&to))
        }
    }
}

fn huge_enum(spec: &mut Value, rng: &mut Rng) -> String {
    let integer = rng.below(2) == 0;
    let values: Vec<Value> = (0..10_000)
        .map(|i| {
            if integer {
                Value::Number((i as i64 - 5_000).into())
            } else {
                match i % 4 {
                    0 => key(&format!("value_{i}")),
                    1 => key(&format!("Value{}", i - 1)),
                    2 => key(&format!("VALUE-{}", i - 2)),
                    _ => key(rng.pick::<&str>(ODD_NAMES)),
                }
            }
        })
        .collect();
    let mut map = Mapping::new();
    map.insert(key("type"), key(if integer { "integer" } else { "string" }));
    map.insert(key("enum"), Value::Sequence(values));
    let schema = Value::Mapping(map);
    let schemas = paths_where(spec, |p, v| !p.is_empty() && is_schema_like(v));
    if !schemas.is_empty() {
        let path = rng.pick(&schemas).clone();
        if let Some(node) = get_mut(spec, &path) {
            *node = schema;
        }
    } else if let Some(schemas) = schemas_mut(spec) {
        schemas.insert(key("Huge"), schema);
    }
    format!("huge {} enum", if integer { "integer" } else { "string" })
}

/// The seeds of the mutations: every valid spec the tests know, as YAML trees.
fn base_specs() -> Vec<(String, Value)> {
    let mut bases = Vec::new();
    let hss = std::fs::read_to_string(fixtures::hss_spec_path()).expect("read spec/hss.yaml");
    bases.push(("spec/hss.yaml".to_owned(), hss));
    for fixture in fixtures::list(&fixtures::fixture_dir("ok")).expect("read ok fixtures") {
        // Mutations work on a `serde_yaml::Value`, which cannot hold this fixture's integer
        // literals beyond 64 bits (the generator reads them with a visitor of its own).
        if fixture.name.contains("wide_integers") {
            continue;
        }
        bases.push((fixture.name, fixture.text));
    }
    bases.push(("synthetic(2)".to_owned(), synthetic_spec(2)));
    bases
        .into_iter()
        .map(|(name, text)| {
            let value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"));
            (name, value)
        })
        .collect()
}

/// How one case ended well.
#[derive(Debug, PartialEq)]
enum Outcome {
    Generated,
    Rejected,
}

fn fuzz_config() -> codegen::Config {
    fixtures::config("fuzz.yaml")
}

/// How one case ended: well, or a failure described.
fn run_case(text: String, limit: Duration) -> Result<Outcome, String> {
    run_generation(move || codegen::generate(&text, &fuzz_config()), limit)
}

/// How one generation ended, run on a thread of its own under `limit`.
fn run_generation(
    generate: impl FnOnce() -> Result<Generated, codegen::Diagnostics> + Send + 'static,
    limit: Duration,
) -> Result<Outcome, String> {
    let (sender, receiver) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("generate".to_owned())
        .stack_size(8 << 20)
        .spawn(move || {
            let result = generate();
            let _ = sender.send(());
            result
        });
    let handle = match spawned {
        Ok(handle) => handle,
        Err(error) => return Err(format!("could not start a thread: {error}")),
    };
    if receiver.recv_timeout(limit).is_err() && !handle.is_finished() {
        return Err(format!("no answer within {limit:?} (hang)"));
    }
    match handle.join() {
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a non-string payload".to_owned());
            Err(format!("panicked: {message}"))
        }
        // `syn` recurses deeply on deeply nested types: check on a big stack of its own.
        Ok(Ok(generated)) => thread::Builder::new()
            .name("check".to_owned())
            .stack_size(256 << 20)
            .spawn(move || check_output(&generated))
            .map_err(|error| format!("could not start a thread: {error}"))?
            .join()
            .map_err(|_| "checking the output panicked".to_owned())?
            .map_or(Ok(Outcome::Generated), Err),
        Ok(Err(diagnostics)) => {
            let text = diagnostics.to_string();
            if text.trim().is_empty() || diagnostics.0.is_empty() {
                return Err("an error without any diagnostic".to_owned());
            }
            let bad = fixtures::malformed_diagnostic_lines(&text);
            if bad.is_empty() {
                Ok(Outcome::Rejected)
            } else {
                Err(format!(
                    "{} malformed diagnostic lines, such as {:?}",
                    bad.len(),
                    &bad[..bad.len().min(3)]
                ))
            }
        }
    }
}

fn check_output(generated: &Generated) -> Option<String> {
    for file in &generated.files {
        if let Err(error) = syn::parse_file(&file.contents) {
            return Some(format!("{} does not parse as Rust: {error}", file.path));
        }
    }
    let warnings: String = generated
        .warnings
        .iter()
        .map(|w| format!("{w}\n"))
        .collect();
    let bad = fixtures::malformed_diagnostic_lines(&warnings);
    (!bad.is_empty()).then(|| {
        format!(
            "{} malformed warning lines, such as {:?}",
            bad.len(),
            &bad[..bad.len().min(3)]
        )
    })
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

#[test]
fn mutated_specs_never_panic() {
    // Mutating, cloning, serializing and dropping deeply nested trees recurses deeply: the
    // campaign itself runs on a big stack, the generator on a main thread's 8 MiB.
    thread::Builder::new()
        .name("campaign".to_owned())
        .stack_size(256 << 20)
        .spawn(campaign)
        .expect("start the campaign thread")
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
}

fn campaign() {
    let cases = env_number("HSS_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seed = env_number("HSS_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let bases = base_specs();
    assert!(bases.len() > 20, "expected the valid specs to mutate");
    let out_dir: PathBuf = outer_target_dir().join("fuzz-failures");
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut errors = 0;
    let mut generation_time = Duration::ZERO;
    for case in 0..cases {
        let mut rng = Rng(seed ^ (case as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let (base_name, base) = &bases[case % bases.len()];
        let mut spec = base.clone();
        let huge = case % HUGE_EVERY == HUGE_EVERY - 1;
        let mutations: Vec<String> = (0..1 + rng.below(3))
            .map(|i| mutate(&mut spec, &mut rng, huge && i == 0))
            .collect();
        let as_json = rng.below(4) == 0;
        let text = if as_json {
            serde_json::to_string_pretty(&spec)
                .unwrap_or_else(|_| serde_yaml::to_string(&spec).unwrap_or_default())
        } else {
            serde_yaml::to_string(&spec).unwrap_or_default()
        };
        let probe = text.clone();
        let generating = Instant::now();
        let outcome = run_case(text, CASE_TIME_LIMIT);
        generation_time += generating.elapsed();
        if outcome == Ok(Outcome::Rejected) {
            errors += 1;
        }
        if let Err(failure) = outcome {
            let file = out_dir.join(format!(
                "case-{seed:x}-{case}.{}",
                if as_json { "json" } else { "yaml" }
            ));
            let _ = std::fs::create_dir_all(&out_dir);
            let _ = std::fs::write(&file, &probe);
            failures.push(format!(
                "case {case} (seed {seed:#x}, from {base_name}; {}): {failure}\n    spec: {}",
                mutations.join("; "),
                file.display()
            ));
        }
    }
    eprintln!(
        "{cases} mutated specs in {:.1?} ({:.1?} generating and checking): {errors} rejected with \
         diagnostics, {} failures",
        started.elapsed(),
        generation_time,
        failures.len()
    );
    // The mutations must keep some specs valid and break others, or they test little.
    if cases >= 100 {
        assert!(
            errors > 0 && errors < cases,
            "{errors} of {cases} mutated specs were rejected"
        );
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Cases of the bounded 3.1 and multi-file campaign in `cargo test`.
const SHAPE_CASES: usize = 200;

/// A random JSON value of any type (for `const`, `examples`, keyword values).
fn any_json(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Number((rng.below(2000) as i64 - 1000).into()),
        3 => Value::Number(serde_yaml::Number::from(rng.below(1000) as f64 / 7.0)),
        4 => key(rng.pick::<&str>(ODD_NAMES)),
        5 => Value::Sequence(
            (0..rng.below(3))
                .map(|_| any_json(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut map = Mapping::new();
            for _ in 0..rng.below(3) {
                map.insert(key(rng.pick::<&str>(ODD_NAMES)), any_json(rng, depth + 1));
            }
            Value::Mapping(map)
        }
    }
}

/// A 3.1 keyword with an odd value: type lists with odd members, `const` of every JSON type,
/// nested `prefixItems`, references with siblings, and the keywords no Rust type says.
fn odd_31_keyword(rng: &mut Rng) -> (&'static str, Value) {
    const TYPES: &[&str] = &[
        "string", "null", "integer", "number", "boolean", "array", "object", "nope",
    ];
    match rng.below(10) {
        0 => {
            let members = (0..rng.below(4))
                .map(|_| {
                    if rng.below(4) == 0 {
                        any_json(rng, 2)
                    } else {
                        key(rng.pick::<&str>(TYPES))
                    }
                })
                .collect();
            ("type", Value::Sequence(members))
        }
        1 => ("const", any_json(rng, 0)),
        2 => {
            let mut nested = Value::Sequence(vec![Value::Mapping(Mapping::new())]);
            for _ in 0..rng.below(6) {
                let mut schema = Mapping::new();
                schema.insert(key("prefixItems"), nested);
                nested = Value::Sequence(vec![Value::Mapping(schema), Value::Bool(false)]);
            }
            ("prefixItems", nested)
        }
        3 => (
            "$ref",
            key(rng.pick::<&str>(&[
                "#/components/schemas/Thing/properties/name",
                "#/components/schemas/Item/$defs/Size",
                "#/$defs/x",
                "#",
                "other.yaml",
                "https://example.com/x",
                "#/paths",
            ])),
        ),
        4 => ("examples", any_json(rng, 0)),
        5 => ("exclusiveMinimum", any_json(rng, 1)),
        6 => ("patternProperties", any_json(rng, 0)),
        7 => ("items", Value::Bool(rng.below(2) == 0)),
        8 => ("contentMediaType", any_json(rng, 1)),
        _ => (
            *rng.pick(&[
                "if",
                "dependentSchemas",
                "unevaluatedProperties",
                "$dynamicRef",
                "propertyNames",
                "$defs",
                "anyOf",
            ]),
            any_json(rng, 0),
        ),
    }
}

/// A multi-file tree: the root and the files its references name, some missing, some in a
/// cycle, some outside the folder or on the network, some not YAML.
fn file_tree(rng: &mut Rng) -> std::collections::BTreeMap<String, String> {
    const REFS: &[&str] = &[
        "a.yaml",
        "b.yaml",
        "dir/c.yaml",
        "missing.yaml",
        "../up.yaml",
        "https://x.test/a.yaml",
        "a.yaml#/components/schemas/A",
        "b.yaml#/nope",
        "dir/c.yaml#/x",
        "#/components/schemas/Root/properties/p",
    ];
    let mut files = std::collections::BTreeMap::new();
    let root_ref = rng.pick(REFS);
    files.insert(
        "openapi.yaml".to_owned(),
        format!(
            "openapi: {}\ninfo: {{title: t, version: '1', description: {{$ref: '{}'}}}}\n\
             paths:\n  /p: {{$ref: '{}'}}\n  /q:\n    get: {{$ref: '{}'}}\n\
             components:\n  schemas:\n    Root:\n      type: object\n      properties:\n        \
             p: {{$ref: '{}'}}\n",
            rng.pick(&["3.0.3", "3.1.0"]),
            rng.pick(REFS),
            rng.pick(REFS),
            rng.pick(REFS),
            root_ref,
        ),
    );
    for name in ["a.yaml", "b.yaml", "dir/c.yaml"] {
        let text = match rng.below(5) {
            0 => format!("$ref: '{}'\n", rng.pick(REFS)),
            1 => format!(
                "type: object\nproperties:\n  x: {{$ref: '{}'}}\n",
                rng.pick(REFS)
            ),
            2 => format!(
                "components:\n  schemas:\n    A: {{$ref: '{}'}}\nget:\n  responses:\n    '200': {{$ref: '{}'}}\n",
                rng.pick(REFS),
                rng.pick(REFS)
            ),
            3 => "{ not yaml: [".to_owned(),
            _ => serde_yaml::to_string(&any_json(rng, 0)).unwrap_or_default(),
        };
        if rng.below(6) != 0 {
            files.insert(name.to_owned(), text);
        }
    }
    files
}

/// 3.1 documents with odd 3.1 keywords, and trees of files with missing files, cycles and
/// escaping references: never a panic or a hang, every diagnostic located.
#[test]
fn mutated_3_1_and_multi_file_specs_never_panic() {
    thread::Builder::new()
        .name("campaign-3.1".to_owned())
        .stack_size(256 << 20)
        .spawn(shape_campaign)
        .expect("start the campaign thread")
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
}

fn shape_campaign() {
    let cases = env_number("HSS_FUZZ_CASES").map_or(SHAPE_CASES, |n| n as usize);
    let seed = env_number("HSS_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let bases: Vec<(String, Value)> = base_specs()
        .into_iter()
        .filter(|(name, _)| name.starts_with("openapi31"))
        .collect();
    assert!(bases.len() >= 2, "expected the 3.1 fixtures");
    let mut failures = Vec::new();
    let (mut generated, mut rejected) = (0, 0);
    for case in 0..cases {
        let mut rng = Rng(seed ^ (case as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let (outcome, what) = if case % 2 == 0 {
            let (base_name, base) = &bases[case / 2 % bases.len()];
            let mut spec = base.clone();
            let mut applied = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let schemas = paths_where(&spec, |p, v| !p.is_empty() && is_schema_like(v));
                let (name, value) = odd_31_keyword(&mut rng);
                if schemas.is_empty() {
                    break;
                }
                let path = rng.pick(&schemas).clone();
                if let Some(Value::Mapping(schema)) = get_mut(&mut spec, &path) {
                    schema.insert(key(name), value);
                    applied.push(format!("{name} at {}", show(&path)));
                }
            }
            let text = serde_yaml::to_string(&spec).unwrap_or_default();
            let what = format!("from {base_name}: {}\n{text}", applied.join("; "));
            (run_case(text, CASE_TIME_LIMIT), what)
        } else {
            let files = file_tree(&mut rng);
            let what = format!("{files:#?}");
            let outcome = run_generation(
                move || {
                    let read = |path: &str| {
                        files
                            .get(path)
                            .cloned()
                            .ok_or_else(|| "no such file".to_owned())
                    };
                    codegen::generate_files("openapi.yaml", &read, &fuzz_config())
                },
                CASE_TIME_LIMIT,
            );
            (outcome, what)
        };
        match outcome {
            Ok(Outcome::Generated) => generated += 1,
            Ok(Outcome::Rejected) => rejected += 1,
            Err(failure) => {
                failures.push(format!("case {case} (seed {seed:#x}): {failure}\n{what}"))
            }
        }
    }
    eprintln!("{cases} 3.1 and multi-file cases: {generated} generated, {rejected} rejected");
    assert!(
        generated > 0 && rejected > 0,
        "{generated} generated, {rejected} rejected"
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A valid spec whose enum has 10,000 values generates, and the output parses.
#[test]
fn huge_enum_generates() {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: huge, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Huge:\n      type: string\n      enum:\n",
    );
    for i in 0..10_000 {
        spec.push_str(&format!("        - value-{i}\n"));
    }
    let generated = codegen::generate(&spec, &fixtures::config("huge.yaml"))
        .unwrap_or_else(|d| panic!("huge enum rejected:\n{d}"));
    assert_eq!(check_output(&generated), None);
    let models = generated
        .files
        .iter()
        .find(|f| f.path == "models.rs")
        .expect("models.rs");
    assert!(
        models.contents.contains("\"value-9999\""),
        "the last value is missing"
    );
}

/// A valid spec whose property and schema names are all odd generates, and the output parses.
#[test]
fn odd_names_generate() {
    let mut properties = Mapping::new();
    let mut schemas = Mapping::new();
    for (i, name) in ODD_NAMES.iter().enumerate() {
        let mut schema = Mapping::new();
        schema.insert(key("type"), key("string"));
        properties.insert(key(name), Value::Mapping(schema));
        let mut object = Mapping::new();
        object.insert(key("type"), key("object"));
        object.insert(key("description"), key(&format!("odd schema {i}")));
        schemas.insert(key(name), Value::Mapping(object));
    }
    let mut holder = Mapping::new();
    holder.insert(key("type"), key("object"));
    holder.insert(key("properties"), Value::Mapping(properties));
    schemas.insert(key("Holder"), Value::Mapping(holder));
    let mut spec: Value =
        serde_yaml::from_str("openapi: 3.0.3\ninfo: {title: odd, version: '1'}\npaths: {}\n")
            .expect("base");
    if let Some(root) = spec.as_mapping_mut() {
        let mut components = Mapping::new();
        components.insert(key("schemas"), Value::Mapping(schemas));
        root.insert(key("components"), Value::Mapping(components));
    }
    let text = serde_yaml::to_string(&spec).expect("serialize");
    let generated = codegen::generate(&text, &fixtures::config("odd.yaml"))
        .unwrap_or_else(|d| panic!("odd names rejected:\n{d}"));
    assert_eq!(check_output(&generated), None);
    assert!(
        generated.models >= ODD_NAMES.len(),
        "{} models",
        generated.models
    );
}

/// Schemas nested deep in every way (inline objects, arrays, allOf, maps, oneOf) generate, or are
/// rejected with a diagnostic, within `DEEP_TIME_LIMIT` each: nesting must not cost exponential time.
#[test]
fn deep_nesting_does_not_panic_or_hang() {
    let mut failures = Vec::new();
    for depth in [30, 100, 200] {
        for (style, wrap) in NESTINGS {
            let mut schema = "{type: string}".to_owned();
            for level in 0..depth {
                schema = wrap
                    .replace("{inner}", &schema)
                    .replace("{level}", &level.to_string());
            }
            let spec = format!(
                "openapi: 3.0.3\ninfo: {{title: deep, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n    Leaf: {{type: string}}\n"
            );
            let started = Instant::now();
            if let Err(failure) = run_case(spec, DEEP_TIME_LIMIT) {
                failures.push(format!("{style} nested {depth} deep: {failure}"));
            }
            eprintln!("{style} nested {depth} deep: {:.1?}", started.elapsed());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An invalid schema (`type: 5`) under 20 levels of `additionalProperties` is rejected quickly:
/// parsing must not retry every alternative at every level (exponential time).
#[test]
fn invalid_deep_nesting_is_rejected_quickly() {
    let mut schema = "{type: 5, additionalProperties: {type: string}}".to_owned();
    for _ in 0..20 {
        schema = format!("{{type: object, additionalProperties: {schema}}}");
    }
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: deep, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"
    );
    assert_eq!(run_case(spec, DEEP_TIME_LIMIT), Ok(Outcome::Rejected));
}

/// A name with a line break in it does not break the one-line-per-diagnostic format.
#[test]
fn diagnostics_stay_on_one_line() {
    let spec = "openapi: 3.0.3\ninfo: {title: lines, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                Lines:\n      type: string\n      enum: [\"new line\", \"new_line\", \"new\\nline\"]\n";
    let generated = codegen::generate(spec, &fixtures::config("lines.yaml"))
        .unwrap_or_else(|d| panic!("rejected:\n{d}"));
    assert!(
        !generated.warnings.is_empty(),
        "the clashing names give warnings"
    );
    assert_eq!(check_output(&generated), None);
}

const DEEP_TIME_LIMIT: Duration = Duration::from_secs(10);

const NESTINGS: &[(&str, &str)] = &[
    (
        "properties",
        "{type: object, properties: {l{level}: {inner}}}",
    ),
    ("items", "{type: array, items: {inner}}"),
    ("allOf", "{allOf: [{inner}]}"),
    (
        "additionalProperties",
        "{type: object, additionalProperties: {inner}}",
    ),
    (
        "oneOf",
        "{oneOf: [{inner}, {$ref: '#/components/schemas/Leaf'}]}",
    ),
];
