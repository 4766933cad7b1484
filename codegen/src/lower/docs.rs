//! Doc lines from spec text: descriptions made safe for rustdoc, and the limits of a schema.

use crate::ir::Docs;

/// A description as doc lines. Markdown stays, except what rustdoc would run or misread: code
/// fences become `text` blocks (rustdoc would compile them as doc tests) and indentation is
/// dropped outside fences (an indented block is also a doc test).
pub(crate) fn description(text: &str) -> Docs {
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            lines.push(if in_fence { "```text" } else { "```" }.to_owned());
        } else if in_fence {
            lines.push(line.to_owned());
        } else if !(trimmed.is_empty() && lines.last().is_none_or(|l: &String| l.is_empty())) {
            lines.push(trimmed.to_owned());
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Appends `paragraph` to `docs` as a new paragraph (a blank line between), if not empty.
pub(crate) fn push_paragraph(docs: &mut Docs, paragraph: Docs) {
    if paragraph.is_empty() {
        return;
    }
    if !docs.is_empty() {
        docs.push(String::new());
    }
    docs.extend(paragraph);
}

/// `Length: 1..=32.`-style range text for limits given as text; `None` without limits.
pub(crate) fn range(label: &str, min: Option<String>, max: Option<String>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{label}: {min}..={max}.")),
        (Some(min), None) => Some(format!("{label}: at least {min}.")),
        (None, Some(max)) => Some(format!("{label}: at most {max}.")),
        (None, None) => None,
    }
}

/// The documentation of one enum value, taken from a Markdown list in the enum's description
/// (`- \`value\`: text` or `- value: text`), the way HSS documents its enums.
pub(crate) fn enum_value(description: &str, value: &str) -> Docs {
    for line in description.lines() {
        let line = line.trim();
        let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
            continue;
        };
        let item = item.trim_start();
        let rest = item
            .strip_prefix('`')
            .and_then(|rest| rest.strip_prefix(value))
            .and_then(|rest| rest.strip_prefix('`'))
            .or_else(|| item.strip_prefix(value));
        let Some(rest) = rest else { continue };
        let rest = rest.trim_start();
        let text = rest
            .strip_prefix(':')
            .or_else(|| rest.strip_prefix('：'))
            .or_else(|| rest.strip_prefix('-'))
            .map(str::trim);
        if let Some(text) = text.filter(|text| !text.is_empty()) {
            return vec![text.to_owned()];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_text_and_drop_indentation_and_outer_blank_lines() {
        let docs = description("  Line one\r\n\n\n    indented\n\n");
        assert_eq!(docs, ["Line one", "", "indented"]);
    }

    #[test]
    fn code_fences_become_text_blocks_and_are_closed() {
        let docs = description("```rust\n  let x = 1;\n```\n```\nopen");
        assert_eq!(
            docs,
            ["```text", "  let x = 1;", "```", "```text", "open", "```"]
        );
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let mut docs = vec!["a".to_owned()];
        push_paragraph(&mut docs, Vec::new());
        assert_eq!(docs, ["a"]);
        push_paragraph(&mut docs, vec!["b".to_owned()]);
        assert_eq!(docs, ["a", "", "b"]);
    }

    #[test]
    fn ranges_read_naturally() {
        let text = |min: Option<u8>, max: Option<u8>| {
            range(
                "Length",
                min.map(|m| m.to_string()),
                max.map(|m| m.to_string()),
            )
        };
        assert_eq!(text(Some(1), Some(32)).as_deref(), Some("Length: 1..=32."));
        assert_eq!(text(Some(1), None).as_deref(), Some("Length: at least 1."));
        assert_eq!(text(None, Some(9)).as_deref(), Some("Length: at most 9."));
        assert_eq!(text(None, None), None);
    }

    #[test]
    fn enum_value_docs_come_from_a_markdown_list() {
        let description = "镜像类型:\n- `private_image`: 私有镜像仓库\n- shared_image: 共享\n";
        assert_eq!(enum_value(description, "private_image"), ["私有镜像仓库"]);
        assert_eq!(enum_value(description, "shared_image"), ["共享"]);
        assert!(enum_value(description, "other").is_empty());
    }
}
