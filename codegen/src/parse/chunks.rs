//! A large YAML document read a few hundred kilobytes at a time. `serde_yaml` holds every event
//! of the text it reads before building the value, which for a spec of thousands of operations
//! costs more than the value itself; reading the document's mappings in pieces, each piece under
//! its parents' key lines, keeps only one piece's events at once. Only plain block mappings
//! are split, at lines `key:` with nothing after the colon; anything else (anchors, directives,
//! several documents, a key seen twice, a piece that does not read) is read whole, so the value
//! is always the one reading the whole text gives.

use serde_yaml::{Mapping, Value};

/// The text of a piece, about: small enough that its events are few, large enough that the
/// pieces are few.
const PIECE: usize = 256 * 1024;

/// The document read piece by piece with `read_piece`, or `None` when it is not split (too small,
/// or not a plain block mapping) or any piece fails: then the whole text is to be read.
pub(crate) fn read(text: &str, read_piece: &mut dyn FnMut(&str) -> Option<Value>) -> Option<Value> {
    if text.len() <= PIECE || !plain(text) {
        return None;
    }
    let lines: Vec<Line<'_>> = text.split_inclusive('\n').map(Line::new).collect();
    let mut pieces = Vec::new();
    split(&lines, &[], 0, lines.len(), &mut pieces)?;
    let mut document = Mapping::new();
    let mut piece_text = String::new();
    // The parent lines of the piece before.
    let mut path: Vec<usize> = Vec::new();
    for piece in &pieces {
        piece_text.clear();
        for &parent in &piece.parents {
            piece_text.push_str(lines[parent].text);
            if !lines[parent].text.ends_with('\n') {
                piece_text.push('\n');
            }
        }
        for line in &lines[piece.start..piece.end] {
            piece_text.push_str(line.text);
        }
        let Value::Mapping(mut value) = read_piece(&piece_text)? else {
            return None;
        };
        // Down the parents' keys, each the only key of its mapping, to the piece's entries. A
        // parent line the piece before was under too is already there; a new one adds its key,
        // and a key already there is a key written twice, which reading the whole text reports.
        let shared = piece
            .parents
            .iter()
            .zip(&path)
            .take_while(|(a, b)| a == b)
            .count();
        let mut target = &mut document;
        for (depth, &parent) in piece.parents.iter().enumerate() {
            let key = Value::String(lines[parent].key()?.to_owned());
            let Some(Value::Mapping(inner)) = value.remove(&key) else {
                return None;
            };
            if !value.is_empty() {
                return None;
            }
            value = inner;
            if depth >= shared {
                if target.contains_key(&key) {
                    return None;
                }
                target.insert(key.clone(), Value::Mapping(Mapping::new()));
            }
            target = match target.get_mut(&key) {
                Some(Value::Mapping(inner)) => inner,
                _ => return None,
            };
        }
        path.clone_from(&piece.parents);
        for (key, entry) in value {
            if target.contains_key(&key) {
                return None;
            }
            target.insert(key, entry);
        }
    }
    Some(Value::Mapping(document))
}

/// No anchor or alias (a `&` or `*` starting a word), directive, document marker or flow
/// mapping at the top: what splitting could change the meaning of.
fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let anchor_or_alias = bytes.windows(2).any(|pair| {
        matches!(pair[0], b'&' | b'*') && !matches!(pair[1], b' ' | b'\t' | b'\n' | b'\r')
    });
    let markers = text.lines().any(|line| {
        line.starts_with("---")
            || line.starts_with("...")
            || line.starts_with('%')
            || line.starts_with('{')
            || line.starts_with('\t')
    });
    !anchor_or_alias && !markers && !text.starts_with('\u{feff}')
}

/// One line of the text, newline included.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    /// Leading spaces; `None` for a blank line or a comment.
    indent: Option<usize>,
}

impl<'a> Line<'a> {
    fn new(text: &'a str) -> Self {
        let content = text.trim_start_matches(' ');
        let blank = content.trim().is_empty() || content.starts_with('#');
        Self {
            text,
            indent: (!blank).then(|| text.len() - content.len()),
        }
    }

    /// The key of a line `key:` (a plain key, nothing after the colon), which may be split under.
    fn key(&self) -> Option<&'a str> {
        let line = self.text.trim_end_matches(['\n', '\r']);
        let key = line.trim_start_matches(' ').strip_suffix(':')?;
        plain_key(key).then_some(key)
    }

    /// Whether the line starts an entry `key: ...` or `key:` with a plain key.
    fn starts_entry(&self) -> bool {
        let line = self
            .text
            .trim_end_matches(['\n', '\r'])
            .trim_start_matches(' ');
        let key = match line.split_once(": ") {
            Some((key, _)) => key,
            None => match line.strip_suffix(':') {
                Some(key) => key,
                None => return false,
            },
        };
        plain_key(key)
    }
}

/// A plain scalar that reads the same alone: no indicator first, no `:` or ` #` inside.
fn plain_key(key: &str) -> bool {
    let Some(first) = key.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !key.contains(':')
        && !key.contains(" #")
        && !key.contains('\t')
        && key.trim() == key
}

/// Lines `start..end` (the entries of one mapping, under `parents`), as read.
#[derive(Debug)]
struct Piece {
    parents: Vec<usize>,
    start: usize,
    end: usize,
}

/// Splits the mapping in lines `start..end` (under `parents`: the lines of their keys) into
/// pieces of about [`PIECE`] bytes, a large entry `key:` split the same way under its key.
/// `None` when the lines are not the entries of one block mapping.
fn split(
    lines: &[Line<'_>],
    parents: &[usize],
    start: usize,
    end: usize,
    pieces: &mut Vec<Piece>,
) -> Option<()> {
    // The entries: at the indentation of the first line that is not blank.
    let indent = lines[start..end].iter().find_map(|line| line.indent)?;
    let mut entries = Vec::new();
    for (index, line) in lines.iter().enumerate().take(end).skip(start) {
        match line.indent {
            Some(at) if at < indent => return None,
            Some(at) if at == indent => {
                let content = &line.text[at..];
                // A sequence at the key's own indentation belongs to the entry before.
                if content.starts_with('-') && !entries.is_empty() {
                    continue;
                }
                if !(line.starts_entry() || content.starts_with(['\'', '"'])) {
                    return None;
                }
                entries.push(index);
            }
            _ => {}
        }
    }
    // Blank lines and comments before the first entry go with it.
    let mut bounds = entries.clone();
    *bounds.first_mut()? = start;
    bounds.push(end);
    // Lines of only blanks and comments read as nothing, not as a mapping: left out.
    let push = |pieces: &mut Vec<Piece>, start: usize, end: usize| {
        if lines[start..end].iter().any(|line| line.indent.is_some()) {
            pieces.push(Piece {
                parents: parents.to_vec(),
                start,
                end,
            });
        }
    };
    let mut piece_start = start;
    let mut size = 0;
    for (number, &key_line) in entries.iter().enumerate() {
        let (entry_start, entry_end) = (bounds[number], bounds[number + 1]);
        let entry_size: usize = lines[entry_start..entry_end]
            .iter()
            .map(|line| line.text.len())
            .sum();
        if entry_size > PIECE && lines[key_line].key().is_some() {
            // A large mapping under `key:`: its own pieces, if it is one.
            let mut inner = parents.to_vec();
            inner.push(key_line);
            let mut within = Vec::new();
            if split(lines, &inner, key_line + 1, entry_end, &mut within).is_some() {
                push(pieces, piece_start, key_line);
                pieces.extend(within);
                piece_start = entry_end;
                size = 0;
                continue;
            }
        }
        if size > 0 && size + entry_size > PIECE {
            push(pieces, piece_start, entry_start);
            piece_start = entry_start;
            size = 0;
        }
        size += entry_size;
    }
    if piece_start < end {
        push(pieces, piece_start, end);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Option<Value> {
        serde_yaml::from_str(text).ok()
    }

    /// A document of `schemas` schemas and `paths` paths, with comments, a compact sequence, a
    /// block scalar and blank lines.
    fn document(paths: usize, schemas: usize) -> String {
        let mut text = String::from(
            "# a spec\nopenapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\nservers:\n- url: https://x\ntags:\n- name: a\n\npaths:\n",
        );
        for index in 0..paths {
            text.push_str(&format!(
                "  /items/{{id}}/{index}:\n    get:\n      operationId: get{index}\n      description: |\n        # not a comment\n        text: {index}\n      responses:\n        '200': {{description: ok}}\n"
            ));
        }
        text.push_str("components:\n  # the schemas\n  schemas:\n");
        for index in 0..schemas {
            text.push_str(&format!(
                "    S{index}:\n      type: object\n      properties:\n        a: {{type: string}}\n\n"
            ));
        }
        text
    }

    fn pieces(text: &str) -> (Option<Value>, usize) {
        let mut count = 0;
        let value = read(text, &mut |piece| {
            count += 1;
            whole(piece)
        });
        (value, count)
    }

    #[test]
    fn a_large_document_read_in_pieces_is_the_document_read_whole() {
        let text = document(6_000, 8_000);
        let (value, count) = pieces(&text);
        assert!(count > 6, "{count} pieces");
        assert_eq!(value, whole(&text));
    }

    /// What splitting could change is read whole: anchors, a key written twice (at the top
    /// and inside a split mapping), a small document.
    #[test]
    fn what_splitting_could_change_is_not_split() {
        let text = document(3_000, 3_000);
        let anchored = text.replace("type: object", "type: &t object");
        assert_eq!(pieces(&anchored), (None, 0));
        let twice = format!("{text}paths:\n  /a: {{}}\n");
        assert_eq!(pieces(&twice).0, None);
        let inner_twice = format!("{text}    S1:\n      type: string\n");
        assert_eq!(pieces(&inner_twice).0, None);
        assert_eq!(pieces(&document(2, 2)), (None, 0));
        let flow = format!("{text}x: [1,\n2]\n");
        assert_eq!(pieces(&flow).0, None);
    }
}
