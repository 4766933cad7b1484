//! Rust names from spec names: case conversion, identifier repair and deterministic de-duplication.

use std::collections::BTreeSet;

/// Words of a spec name: split at anything not ASCII alphanumeric and at case changes
/// (`getHTTPServer2Name` → `get`, `HTTP`, `Server2`, `Name`).
fn words(raw: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in raw.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut current = String::new();
        for (index, &c) in chars.iter().enumerate() {
            let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
            let next = chars.get(index + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        // The last capital of an acronym starts the next word: `HTTPServer`.
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            words.push(current);
        }
    }
    words
}

/// `UpperCamelCase`, acronyms as words (`HTTPServer` → `HttpServer`); may be empty.
pub(crate) fn pascal(raw: &str) -> String {
    words(raw)
        .iter()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `snake_case`; may be empty.
pub(crate) fn snake(raw: &str) -> String {
    words(raw)
        .iter()
        .map(|word| word.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Type names the generated code itself uses unqualified; a model with one of these names would
/// shadow it, so such names get a suffix.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box", "Client", "Default", "Err", "From", "None", "Ok", "Option", "Result", "Self", "Some",
    "String", "ToString", "Vec",
];

/// The inherent methods of the generated crate's `Client` (`emit/lib_rs.rs`), beside which the
/// operation methods sit; `tests/tests/client_methods.rs` checks them against a generated
/// `lib.rs`.
pub const CLIENT_METHODS: &[&str] = &["as_runtime", "builder"];

/// The client settings `x-client-default` may name, with the runtime's `ClientDefault`
/// variant for each; `tests/tests/client_methods.rs` checks them against
/// `huaweicloud_runtime::__private::ClientDefault::ALL`.
pub const CLIENT_DEFAULT_SETTINGS: &[(&str, &str)] = &[("project_id", "ProjectId")];

/// The methods of the traits the clients implement (`Clone`, `Debug`, `From`, and `Into`,
/// `Default` through them): an inherent method of the same name would shadow the trait's.
pub const CLIENT_TRAIT_METHODS: &[&str] = &["clone", "default", "fmt", "from", "into"];

/// Every method name a generated operation method must not take: [`CLIENT_METHODS`] and
/// [`CLIENT_TRAIT_METHODS`].
pub(crate) fn client_method_names() -> impl Iterator<Item = &'static str> {
    CLIENT_METHODS.iter().chain(CLIENT_TRAIT_METHODS).copied()
}

/// A type name for a spec name: `UpperCamelCase`, never empty, never starting with a digit, never
/// one of [`RESERVED_TYPE_NAMES`].
pub(crate) fn type_name(raw: &str) -> String {
    let name = pascal(raw);
    if name.is_empty() {
        "Unnamed".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{name}")
    } else if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// An enum variant name for an enum value: like [`type_name`], but `V` before a leading digit
/// (`1` → `V1`), `Minus`/`Plus` for a leading sign (`-1` → `Minus1`, `+1` → `Plus1`), and `_`
/// between digits that punctuation separates (`1.5` → `V1_5`, apart from `15` → `V15`), so that
/// values differing only by sign or punctuation keep distinct names where they can.
pub(crate) fn variant_name(raw: &str) -> String {
    let mut name = String::new();
    for word in words(raw) {
        let lower = word.to_ascii_lowercase();
        let mut chars = lower.chars();
        let Some(first) = chars.next() else {
            continue;
        };
        // `_` between two digits keeps the name UpperCamelCase for rustc's lint.
        if first.is_ascii_digit() && name.ends_with(|c: char| c.is_ascii_digit()) {
            name.push('_');
        }
        name.push(first.to_ascii_uppercase());
        name.push_str(chars.as_str());
    }
    let trimmed = raw.trim_start();
    let sign = if trimmed.starts_with('-') {
        "Minus"
    } else if trimmed.starts_with('+') {
        "Plus"
    } else {
        ""
    };
    let name = if name.is_empty() && !sign.is_empty() && trimmed.len() == 1 {
        // A lone sign (`-`, `+`), as in sort orders.
        sign.to_owned()
    } else if name.is_empty() {
        name
    } else {
        format!("{sign}{name}")
    };
    if name.is_empty() {
        "Empty".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// The separator [`NameSet::claim`] puts before a de-duplicating number in a variant name: `_`
/// after a digit (`V1` → `V1_2`, never `V12`, which reads as the value 12), none otherwise
/// (`Active` → `Active2`).
pub(crate) fn variant_separator(name: &str) -> &'static str {
    if name.ends_with(|c: char| c.is_ascii_digit()) {
        "_"
    } else {
        ""
    }
}

/// A field, parameter or method name: `snake_case`, never empty, never starting with a digit.
/// Keywords that cannot be raw identifiers (`self`, `super`, `crate`) get a trailing `_`; the
/// others stay as they are and the emitter writes them as raw identifiers (`r#type`).
pub(crate) fn value_name(raw: &str) -> String {
    let name = snake(raw);
    if name.is_empty() {
        "value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else if matches!(name.as_str(), "self" | "super" | "crate") {
        format!("{name}_")
    } else {
        name
    }
}

/// Words that need `r#` to be identifiers (Rust 2024 strict and reserved keywords).
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Names already used in one namespace; a second claim of a name gets a numeric suffix.
#[derive(Debug, Default)]
pub(crate) struct NameSet {
    taken: BTreeSet<String>,
}

impl NameSet {
    /// Marks `name` as used without checking (for names the surrounding code already owns).
    pub(crate) fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Claims `wanted`, or the first free `wanted{separator}2`, `wanted{separator}3`, …; returns
    /// the name and whether it had to change.
    pub(crate) fn claim(&mut self, wanted: &str, separator: &str) -> (String, bool) {
        if self.taken.insert(wanted.to_owned()) {
            return (wanted.to_owned(), false);
        }
        // `self_` + `_2` must not become `self__2`, which is not snake case.
        let stem = if separator.is_empty() {
            wanted
        } else {
            wanted.trim_end_matches(separator)
        };
        let mut suffix = 2_usize;
        loop {
            let candidate = format!("{stem}{separator}{suffix}");
            if self.taken.insert(candidate.clone()) {
                return (candidate, true);
            }
            suffix += 1;
        }
    }

    /// Whether `name` is used.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_separators_case_changes_and_acronyms() {
        assert_eq!(
            words("getHTTPServer2Name"),
            ["get", "HTTP", "Server2", "Name"]
        );
        assert_eq!(words("X-Request-Id"), ["X", "Request", "Id"]);
        assert_eq!(words("error_code"), ["error", "code"]);
        assert_eq!(words("v5"), ["v5"]);
        assert_eq!(words("名称"), Vec::<String>::new());
    }

    #[test]
    fn pascal_and_snake_case() {
        assert_eq!(pascal("run_image_synchronize"), "RunImageSynchronize");
        assert_eq!(
            pascal("RunImageSynchronizeRequestInfo"),
            "RunImageSynchronizeRequestInfo"
        );
        assert_eq!(snake("RunImageSynchronize"), "run_image_synchronize");
        assert_eq!(snake("X-Auth-Token"), "x_auth_token");
        assert_eq!(snake("getV2Users"), "get_v2_users");
    }

    #[test]
    fn type_names_are_never_empty_numeric_or_reserved() {
        assert_eq!(type_name("image type"), "ImageType");
        assert_eq!(type_name("2fa"), "N2fa");
        assert_eq!(type_name("--"), "Unnamed");
        assert_eq!(type_name("result"), "ResultModel");
        assert_eq!(type_name("self"), "SelfModel");
    }

    #[test]
    fn variant_names_keep_sign_and_digits_apart() {
        assert_eq!(variant_name("private_image"), "PrivateImage");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-"), "Minus");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("1.5"), "V1_5");
        assert_eq!(variant_name("15"), "V15");
        assert_eq!(variant_name("v1.2-beta"), "V1_2Beta");
        assert_eq!(variant_name("-x"), "MinusX");
        assert_eq!(variant_name("HTTPServer"), "HttpServer");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("self"), "SelfValue");
    }

    #[test]
    fn value_names_repair_keywords_and_digits() {
        assert_eq!(value_name("imageType"), "image_type");
        assert_eq!(value_name("type"), "type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("Self"), "self_");
        assert_eq!(value_name("3d"), "_3d");
        assert_eq!(value_name("$"), "value");
    }

    #[test]
    fn name_set_suffixes_repeated_claims() {
        let mut names = NameSet::default();
        assert_eq!(names.claim("Pet", ""), ("Pet".to_owned(), false));
        assert_eq!(names.claim("Pet", ""), ("Pet2".to_owned(), true));
        names.reserve("send");
        assert_eq!(names.claim("send", "_"), ("send_2".to_owned(), true));
        assert!(names.contains("Pet2"));
        names.reserve("self_");
        assert_eq!(names.claim("self_", "_"), ("self_2".to_owned(), true));
    }

    #[test]
    fn variant_duplicates_are_numbered_apart_from_digits() {
        let mut names = NameSet::default();
        let mut claim = |raw: &str| {
            let wanted = variant_name(raw);
            names.claim(&wanted, variant_separator(&wanted)).0
        };
        assert_eq!(claim("1"), "V1");
        assert_eq!(claim("V1"), "V1_2");
        assert_eq!(claim("a.b"), "AB");
        assert_eq!(claim("a_b"), "AB2");
        assert_eq!(claim("+1"), "Plus1");
        assert_eq!(claim("-1"), "Minus1");
    }
}
