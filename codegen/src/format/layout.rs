//! Layout prettyplease leaves to the author: a blank line between items, and doc comment lines
//! wrapped to the width people read. Both work on the formatted text and only ever insert blank
//! lines or break a doc line at a space; code, strings and doc words are never changed.

/// The widest a doc comment line may be, in characters (as rustfmt's default `max_width`).
pub(crate) const DOC_WIDTH: usize = 100;

/// Inserts a blank line before each item that follows another item at the same indentation
/// (an item ends with `}` or `;` at the end of a line of its own indentation), and after the file's inner
/// doc and attributes. Consecutive `use` and `mod` declarations stay together, and nothing is
/// inserted inside a doc block, between struct fields or enum variants (which end with `,`), or
/// before a statement.
#[cfg(test)]
pub(crate) fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut spacer = Spacer::default();
    for line in text.lines() {
        spacer.line(line, |line| {
            out.push_str(line);
            out.push('\n');
        });
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// [`space_items`] line by line: what it keeps of the lines before.
#[derive(Debug, Default)]
struct Spacer {
    previous: Option<String>,
    in_inner_attribute: bool,
    after_preamble: bool,
}

impl Spacer {
    /// Gives `out` a blank line if one goes before `line`, then `line`.
    fn line(&mut self, line: &str, mut out: impl FnMut(&str)) {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(previous) = &self.previous {
            let previous_trimmed = previous.trim_start();
            let previous_indent = previous.len() - previous_trimmed.len();
            let ends_item = previous_indent == indent
                && !previous_trimmed.starts_with("//")
                && (previous_trimmed.ends_with('}') || previous_trimmed.ends_with(';'))
                && !(is_declaration(previous_trimmed) && is_declaration(trimmed));
            if (ends_item || self.after_preamble) && starts_item(trimmed) {
                out("");
            }
        }
        // The file's preamble: `//!` lines and `#![...]` attributes (which may span lines).
        if trimmed.starts_with("#![") {
            self.in_inner_attribute = true;
        }
        let in_preamble = trimmed.starts_with("//!") || self.in_inner_attribute;
        if self.in_inner_attribute && trimmed.ends_with(']') {
            self.in_inner_attribute = false;
        }
        self.after_preamble = in_preamble && indent == 0;
        out(line);
        let previous = self.previous.get_or_insert_with(String::new);
        previous.clear();
        previous.push_str(line);
    }
}

/// A line that starts an item or the attributes and docs in front of one.
fn starts_item(trimmed: &str) -> bool {
    // A macro invocation in item position, such as a model's `json_struct! {`.
    if trimmed.ends_with("! {") && !trimmed.starts_with("macro_rules!") {
        return true;
    }
    const STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "impl ",
        "impl<",
        "struct ",
        "enum ",
        "const ",
        "static ",
        "mod ",
        "use ",
        "type ",
        "trait ",
        "async fn ",
        "unsafe ",
        "extern ",
    ];
    STARTS.iter().any(|start| trimmed.starts_with(start))
}

/// `use` and `mod` declarations, which read best grouped.
fn is_declaration(trimmed: &str) -> bool {
    let rest = trimmed.strip_prefix("pub ").unwrap_or(trimmed);
    rest.starts_with("use ") || (rest.starts_with("mod ") && rest.ends_with(';'))
}

/// Wraps every `///` and `//!` line longer than `width` characters at spaces, repeating its
/// indentation and marker (and indenting list-item continuations under the item's text).
/// Fenced code blocks, table rows and headings are left alone, as is a word longer than the line.
#[cfg(test)]
pub(crate) fn wrap_docs(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut wrapper = Wrapper::default();
    for line in text.lines() {
        wrapper.line(&mut out, line, width);
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// [`wrap_docs`] line by line: whether the lines before opened a fenced code block.
#[derive(Debug, Default)]
struct Wrapper {
    in_fence: bool,
}

impl Wrapper {
    /// Appends `line` to `out`, wrapped, each line ending with a newline.
    fn line(&mut self, out: &mut String, line: &str, width: usize) {
        match split_doc(line) {
            Some((prefix, content)) => {
                if content.trim_start().starts_with("```") {
                    self.in_fence = !self.in_fence;
                }
                let keep = self.in_fence
                    || line.chars().count() <= width
                    || content.starts_with('|')
                    || content.starts_with('#');
                if keep {
                    out.push_str(line);
                    out.push('\n');
                } else {
                    wrap_line(out, prefix, content, width);
                }
            }
            None => {
                self.in_fence = false;
                out.push_str(line);
                out.push('\n');
            }
        }
    }
}

/// [`space_items`] then [`wrap_docs`] on text given piece by piece, each piece laid out as soon
/// as its lines are complete: the pieces' layouts put together are the whole text's.
#[derive(Debug)]
pub(crate) struct Layout {
    width: usize,
    spacer: Spacer,
    wrapper: Wrapper,
    /// The last line of the text so far when it has no newline yet.
    partial: String,
}

impl Layout {
    pub(crate) fn new(width: usize) -> Self {
        Self {
            width,
            spacer: Spacer::default(),
            wrapper: Wrapper::default(),
            partial: String::new(),
        }
    }

    /// Appends to `out` the layout of the lines `text` completes.
    pub(crate) fn push(&mut self, out: &mut String, text: &str) {
        let mut rest = text;
        while let Some(end) = rest.find('\n') {
            let (line, next) = (&rest[..end], &rest[end + 1..]);
            rest = next;
            if self.partial.is_empty() {
                self.line(out, line);
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.push_str(line);
                self.line(out, &whole);
            }
        }
        self.partial.push_str(rest);
    }

    /// Appends to `out` the layout of the last line, which has no newline (as the whole text's
    /// layout, it then ends without one).
    pub(crate) fn finish(mut self, out: &mut String) {
        let partial = std::mem::take(&mut self.partial);
        // `str::lines` decides what the last line is (a lone `\r` stays).
        if let Some(line) = partial.lines().next() {
            let Self {
                width,
                spacer,
                wrapper,
                ..
            } = &mut self;
            spacer.line(line, |line| wrapper.line(out, line, *width));
            out.pop();
        }
    }

    /// One line without its newline (a `\r` before it is dropped, as `str::lines` does).
    fn line(&mut self, out: &mut String, line: &str) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Self {
            width,
            spacer,
            wrapper,
            ..
        } = self;
        spacer.line(line, |line| wrapper.line(out, line, *width));
    }
}

/// `(indentation + marker + space, content)` of a doc line.
fn split_doc(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    if !(trimmed.starts_with("///") || trimmed.starts_with("//!")) || trimmed.starts_with("////") {
        return None;
    }
    let marker_end = line.len() - trimmed.len() + 3;
    let prefix_end = if line[marker_end..].starts_with(' ') {
        marker_end + 1
    } else {
        marker_end
    };
    Some((&line[..prefix_end], &line[prefix_end..]))
}

fn wrap_line(out: &mut String, prefix: &str, content: &str, width: usize) {
    let hanging = " ".repeat(list_marker_width(content));
    let mut rest = content;
    let mut first = true;
    loop {
        let lead = if first { "" } else { hanging.as_str() };
        let room = width.saturating_sub(prefix.chars().count() + lead.chars().count());
        let (line, next) = break_at_space(rest, room);
        out.push_str(prefix);
        out.push_str(lead);
        out.push_str(line);
        out.push('\n');
        match next {
            Some(next) => rest = next,
            None => break,
        }
        first = false;
    }
}

/// Splits `text` at the last single space within `room` characters (or, when the first word is
/// longer, at the first space after it); the space itself is dropped.
fn break_at_space(text: &str, room: usize) -> (&str, Option<&str>) {
    if text.chars().count() <= room {
        return (text, None);
    }
    let mut last_fit = None;
    let mut first_after = None;
    for (count, (index, c)) in text.char_indices().enumerate() {
        if c != ' ' || index == 0 {
            continue;
        }
        if count <= room {
            last_fit = Some(index);
        } else {
            first_after = Some(index);
            break;
        }
    }
    match last_fit.or(first_after) {
        Some(index) => (&text[..index], Some(&text[index + 1..])),
        None => (text, None),
    }
}

/// The width of a Markdown list marker at the start of `content` (`- `, `* `, `1. `), else 0.
fn list_marker_width(content: &str) -> usize {
    if content.starts_with("- ") || content.starts_with("* ") {
        return 2;
    }
    let digits = content.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && content[digits..].starts_with(". ") {
        return digits + 2;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_get_a_blank_line_and_nothing_else_does() {
        let text = "\
// @generated header
//! File doc.
#![allow(
    dead_code
)]
use a::b;
use c::d;
pub mod x;
pub mod y;
/// A struct whose doc ends with a semicolon;
/// and goes on.
pub struct A {
    pub one: String,
    pub two: String,
}
impl A {
    pub fn new() -> Self {
        let s = \"}\";
        fn_call();
        Self {}
    }
    /// Second.
    pub fn second(&self) {}
}
pub enum B {
    X,
    Y,
}
";
        let expected = "\
// @generated header
//! File doc.
#![allow(
    dead_code
)]

use a::b;
use c::d;
pub mod x;
pub mod y;

/// A struct whose doc ends with a semicolon;
/// and goes on.
pub struct A {
    pub one: String,
    pub two: String,
}

impl A {
    pub fn new() -> Self {
        let s = \"}\";
        fn_call();
        Self {}
    }

    /// Second.
    pub fn second(&self) {}
}

pub enum B {
    X,
    Y,
}
";
        assert_eq!(space_items(text), expected);
    }

    /// Spacing only ever adds blank lines: removing them gives the input back.
    #[test]
    fn spacing_changes_no_line() {
        let text = "use a;\nfn f() {}\nfn g() {\n    \"a;\n}\";\n}\nstruct S;\n";
        let spaced = space_items(text);
        let without_blanks: String = spaced
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(without_blanks, text);
        assert!(
            spaced.contains("use a;\n\nfn f() {}\n\nfn g() {"),
            "{spaced}"
        );
    }

    #[test]
    fn long_doc_lines_wrap_at_spaces_under_the_same_marker() {
        let long = "word ".repeat(30);
        let text = format!(
            "    /// {}\n//! - {}\nfn x() {{}}\n",
            long.trim_end(),
            long.trim_end()
        );
        let wrapped = wrap_docs(&text, 40);
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(wrapped.starts_with("    /// word word"), "{wrapped}");
        assert!(wrapped.contains("\n//!   word"), "{wrapped}");
        assert!(wrapped.ends_with("fn x() {}\n"), "{wrapped}");
        // The words, in order, are all still there.
        let words = |text: &str| -> Vec<String> {
            text.lines()
                .filter_map(split_doc)
                .flat_map(|(_, content)| {
                    content
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .filter(|w| w != "-")
                .collect()
        };
        assert_eq!(words(&wrapped), words(&text));
    }

    #[test]
    fn code_tables_headings_and_long_words_stay() {
        let url = format!("https://example.com/{}", "a".repeat(120));
        let table = format!("/// | {} |", "cell ".repeat(30));
        let code = format!("/// ```\n/// {}\n/// ```", "let x = 1; ".repeat(12));
        let text = format!(
            "/// {url}\n{table}\n/// # {}\n{code}\n",
            "Heading ".repeat(20)
        );
        assert_eq!(wrap_docs(&text, 100), text);
    }

    /// Piece by piece, wherever the pieces break (inside a line, between `\r` and `\n`, with
    /// or without a last newline), the layout is the whole text's.
    #[test]
    fn laid_out_piece_by_piece_is_the_whole_text_laid_out() {
        let long = "word ".repeat(30);
        let body = format!(
            "//! File.\n#![allow(\n    x\n)]\nuse a;\nfn f() {{}}\r\n/// {long}\n/// ```\n/// {long}\n/// ```\npub struct S;\nimpl S {{\n    fn g() {{}}\n    fn h() {{}}\n}}\n"
        );
        for text in [
            body.clone(),
            body.trim_end().to_owned(),
            format!("{body}x\r"),
            String::new(),
        ] {
            let expected = wrap_docs(&space_items(&text), 40);
            for step in [1, 2, 3, 7, 64, text.len().max(1)] {
                let mut layout = Layout::new(40);
                let mut out = String::new();
                let bytes: Vec<char> = text.chars().collect();
                for piece in bytes.chunks(step) {
                    layout.push(&mut out, &piece.iter().collect::<String>());
                }
                layout.finish(&mut out);
                assert_eq!(out, expected, "pieces of {step}: {text:?}");
            }
        }
    }

    #[test]
    fn short_lines_and_code_are_untouched() {
        let text = "/// Short.\nlet x = \"a very long string that goes on and on and on and on and on and on and on and on\";\n";
        assert_eq!(wrap_docs(text, 40), text);
    }
}
