//! Located problems in a spec: a severity, a JSON pointer into the document and a plain message.

use std::fmt;

/// How bad a problem is: errors stop generation, warnings mark a lossy but usable result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The generator cannot produce correct code for this spec.
    Error,
    /// The generator produced code, but lost or guessed something.
    Warning,
}

/// One problem, located by a JSON pointer into the spec (such as `#/paths/~1pets/get`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the spec: a URI-fragment JSON pointer, `#` for the whole document.
    pub pointer: String,
    /// What is wrong: lower-case, without a trailing period.
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, pointer.into(), message.into())
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, pointer.into(), message.into())
    }

    fn new(severity: Severity, pointer: String, message: String) -> Self {
        Self {
            severity,
            pointer: one_line(&pointer),
            message: one_line(&plain_message(&message)),
        }
    }

    /// Whether this diagnostic stops generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Spec names quoted in messages may hold line breaks; escaped, each diagnostic stays one line.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// Messages from libraries (serde, the YAML parser) come capitalised and with a period; ours are
/// plain, so every message is normalised in one place.
fn plain_message(message: &str) -> String {
    let trimmed = message.trim().trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        // Only lower the first letter when the second is not upper case, so acronyms stay intact.
        Some(first) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => trimmed.to_owned(),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}: {}", self.pointer, self.message)
    }
}

/// All the problems of one run (errors and warnings), reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Drops repeats (one broken `$ref` can be reached twice from the same place), keeping the
/// order of first appearance.
pub(crate) fn unique(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    diagnostics
        .into_iter()
        .filter(|diagnostic| seen.insert(diagnostic.clone()))
        .collect()
}

/// Builds JSON pointers (RFC 6901 in URI-fragment form) by appending escaped tokens.
pub(crate) fn pointer(base: &str, token: &str) -> String {
    format!("{base}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Undoes [`pointer`]'s escaping for one token.
pub(crate) fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_severity_pointer_and_message() {
        let diagnostic = Diagnostic::error("#/paths", "something is wrong");
        assert_eq!(diagnostic.to_string(), "error: #/paths: something is wrong");
        let warning = Diagnostic::warning("#", "lossy");
        assert_eq!(warning.to_string(), "warning: #: lossy");
    }

    #[test]
    fn messages_are_lower_case_without_trailing_period() {
        assert_eq!(Diagnostic::error("#", "Bad thing.").message, "bad thing");
        assert_eq!(Diagnostic::error("#", "YAML is bad").message, "YAML is bad");
        assert_eq!(Diagnostic::error("#", "").message, "");
    }

    #[test]
    fn control_characters_are_escaped_to_keep_one_line() {
        let diagnostic = Diagnostic::warning("#/a\nb", "value `new\nline`\t!");
        assert_eq!(
            diagnostic.to_string(),
            "warning: #/a\\nb: value `new\\nline`\\t!"
        );
    }

    #[test]
    fn diagnostics_display_one_per_line() {
        let all = Diagnostics(vec![
            Diagnostic::error("#/a", "one"),
            Diagnostic::warning("#/b", "two"),
        ]);
        assert_eq!(all.to_string(), "error: #/a: one\nwarning: #/b: two");
    }

    #[test]
    fn repeats_are_dropped_in_first_seen_order() {
        let a = Diagnostic::error("#/a", "one");
        let b = Diagnostic::warning("#/b", "two");
        let all = unique(vec![b.clone(), a.clone(), b.clone()]);
        assert_eq!(all, [b, a]);
    }

    #[test]
    fn pointer_tokens_are_escaped_and_unescaped() {
        let escaped = pointer("#/paths", "/v5/{project_id}/a~b");
        assert_eq!(escaped, "#/paths/~1v5~1{project_id}~1a~0b");
        assert_eq!(unescape_token("~1v5~0x"), "/v5~x");
    }
}
