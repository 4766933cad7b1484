//! The layering inside the runtime crate, checked on the source: each module names only the
//! modules below it, and the orchestrator names no sender (the real one, a user's and the mock
//! plug in behind `HttpSend`). Between crates Cargo enforces it: the signer
//! (`huaweicloud-signing`) cannot name the runtime, and the runtime no service crate.

use std::collections::BTreeSet;
use std::path::Path;

/// The crate modules a file may name (`crate::<module>`), one rule per layer.
const RULES: &[(&str, &[&str])] = &[
    ("src/settings.rs", &["credentials", "endpoint", "retry"]),
    ("src/byte_stream.rs", &["error"]),
    (
        "src/transport.rs",
        &["byte_stream", "error", "response", "signing"],
    ),
    (
        "src/transport/http.rs",
        &["byte_stream", "error", "response", "signing"],
    ),
    (
        "src/transport/request.rs",
        &["byte_stream", "error", "signing"],
    ),
    ("src/transport/http/probe.rs", &[]),
    (
        "src/orchestrator.rs",
        &[
            "byte_stream",
            "error",
            "response",
            "request",
            "retry",
            "settings",
            "transport",
        ],
    ),
    (
        "src/orchestrator/wire.rs",
        &[
            "credentials",
            "error",
            "request",
            "settings",
            "signing",
            "transport",
        ],
    ),
    (
        "src/builder.rs",
        // `Client` only as the default of `ClientBuilder<C = Client>`: `build()`, which makes
        // one, lives in `client.rs`.
        &[
            "Client",
            "credentials",
            "endpoint",
            "error",
            "iam",
            "retry",
            "settings",
            "test_util",
            "transport",
        ],
    ),
    ("src/test_util.rs", &["error", "response", "transport"]),
    // IAM sits beside the client: it runs its own call through the orchestrator and is used
    // by the client (the project id) and the builder (the endpoint), never the other way.
    ("src/iam.rs", &["endpoint", "error"]),
    ("src/iam/regions.rs", &[]),
    (
        "src/iam/lookup.rs",
        &[
            "endpoint",
            "error",
            "orchestrator",
            "request",
            "retry",
            "settings",
            "transport",
        ],
    ),
    (
        "src/iam/cache.rs",
        &["credentials", "error", "retry", "settings", "transport"],
    ),
];

/// The code of a source text: each line without its `//` comment.
fn code(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
}

/// The modules (or crate-root re-exports) a source file names as `crate::<name>`, outside
/// comments.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in code(text) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", full.display()))
}

#[test]
fn each_layer_names_only_the_layers_below_it() {
    let mut problems = Vec::new();
    for (path, allowed) in RULES {
        for name in named_modules(&read(path)) {
            if !allowed.contains(&name.as_str()) {
                problems.push(format!("{path} names crate::{name}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_orchestrator_names_no_sender() {
    for path in ["src/orchestrator.rs", "src/orchestrator/wire.rs"] {
        let text = read(path);
        for sender in ["MockTransport", "HttpSender", "reqwest", "test_util"] {
            assert!(
                !code(&text).any(|line| line.contains(sender)),
                "{path} names {sender}"
            );
        }
    }
}

#[test]
fn the_checker_sees_crate_paths_and_skips_comments() {
    let names = named_modules("use crate::a_b::C; // crate::comment\nlet x = crate::d::e();");
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["a_b".to_owned(), "d".to_owned()]
    );
}
