//! Integer literals beyond 64 bits, which OpenAPI allows and `serde_yaml` and `openapiv3` do not.
//!
//! `serde_yaml` hands such a literal (`minimum: -9223372036854776000`, common in specs written by
//! tools that print JavaScript numbers) to the visitor as an `i128`/`u128`, which its own `Value`
//! and `openapiv3` refuse, so a valid document failed as "invalid yaml". Here the plain value is
//! read with a visitor that keeps such literals as floats (as JSON tools read them), and the
//! bounds of integer schemas — `i64` in `openapiv3` — are narrowed to the 64-bit range with a
//! warning. Examples and defaults are free-form JSON values and keep the float.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, pointer};

/// The document as a plain value, and whether any literal needed more than 64 bits.
///
/// A JSON document is read with `serde_json`, several times faster than libyaml, into the same
/// value (`serde_json` reads literals beyond 64 bits as floats already). Text `serde_json`
/// refuses, JSON with a syntax error included, is read as YAML, so every error is libyaml's.
pub(crate) fn read(text: &str) -> Result<(Value, bool), serde_yaml::Error> {
    let wide = Cell::new(false);
    if text.trim_start().starts_with('{') {
        let mut json = serde_json::Deserializer::from_str(text);
        let value = Seed { wide: &wide }
            .deserialize(&mut json)
            .and_then(|value| json.end().map(|()| value));
        if let Ok(value) = value {
            return Ok((value, wide.get()));
        }
    }
    // A large document a piece at a time (its events are what take the memory), else whole.
    let in_pieces = Cell::new(false);
    let pieces = super::chunks::read(text, &mut |piece| {
        Seed { wide: &in_pieces }
            .deserialize(serde_yaml::Deserializer::from_str(piece))
            .ok()
    });
    if let Some(value) = pieces {
        return Ok((value, in_pieces.get()));
    }
    let value = Seed { wide: &wide }.deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok((value, wide.get()))
}

/// Narrows the `minimum`/`maximum` of every integer schema to the `i64` range `openapiv3`
/// holds, with a warning for each (a bound beyond the range of the type says nothing more).
/// Examples and extensions are data and are left alone. Returns the warnings.
pub(crate) fn narrow_integer_bounds(value: &mut Value, at: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    narrow(value, &mut at.to_owned(), &mut warnings);
    warnings
}

/// The walk keeps the pointer of the place it is at in one buffer, extended and cut back as it
/// goes: making a pointer string for every key of a large document costs more than the walk.
fn narrow(value: &mut Value, at: &mut String, warnings: &mut Vec<Diagnostic>) {
    let length = at.len();
    match value {
        Value::Mapping(mapping) => {
            if mapping.get("type").and_then(Value::as_str) == Some("integer") {
                for key in ["minimum", "maximum"] {
                    if let Some(bound) = mapping.get_mut(key) {
                        narrow_bound(bound, &pointer(at, key), warnings);
                    }
                }
            }
            for (key, child) in mapping.iter_mut() {
                let Some(key) = key.as_str() else { continue };
                if matches!(key, "example" | "examples" | "default" | "enum")
                    || key.starts_with("x-")
                    || !matches!(child, Value::Mapping(_) | Value::Sequence(_))
                {
                    continue;
                }
                push_token(at, key);
                narrow(child, at, warnings);
                at.truncate(length);
            }
        }
        Value::Sequence(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                if !matches!(child, Value::Mapping(_) | Value::Sequence(_)) {
                    continue;
                }
                at.push('/');
                at.push_str(&index.to_string());
                narrow(child, at, warnings);
                at.truncate(length);
            }
        }
        _ => {}
    }
}

/// Appends `/token` to a JSON pointer, escaped as [`pointer`] does.
fn push_token(at: &mut String, token: &str) {
    at.push('/');
    for c in token.chars() {
        match c {
            '~' => at.push_str("~0"),
            '/' => at.push_str("~1"),
            c => at.push(c),
        }
    }
}

#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn narrow_bound(bound: &mut Value, at: &str, warnings: &mut Vec<Diagnostic>) {
    let Value::Number(number) = bound else { return };
    if number.is_i64() {
        return;
    }
    // `i64::MIN as f64` is exactly -2^63 and `i64::MAX as f64` is 2^63, the first float above
    // the range; a float at either end was read from a literal at or beyond 64 bits.
    let (low, high) = (i64::MIN as f64, i64::MAX as f64);
    let narrowed = match (number.as_u64(), number.as_f64()) {
        (Some(_), _) => i64::MAX,
        (None, Some(float)) if float >= high => i64::MAX,
        (None, Some(float)) if float <= low => i64::MIN,
        (None, Some(float)) if float.fract() == 0.0 => {
            // `5.0` is the integer 5, and says so exactly.
            *bound = Value::Number((float as i64).into());
            return;
        }
        // A fraction is the typed parse's business.
        _ => return,
    };
    warnings.push(Diagnostic::warning(
        at,
        format!("{number} is beyond the 64-bit integer range; taken as {narrowed}"),
    ));
    *bound = Value::Number(narrowed.into());
}

/// Deserializes a `serde_yaml::Value` as `serde_yaml`'s own does, except that integers beyond
/// 64 bits become floats (and set `wide`).
#[derive(Clone, Copy)]
struct Seed<'a> {
    wide: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Value, E> {
        Ok(Value::Number(number.into()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Value, E> {
        Ok(Value::Number(number.into()))
    }

    #[allow(clippy::cast_precision_loss)] // the point: as JSON tools read such literals
    fn visit_i128<E: de::Error>(self, number: i128) -> Result<Value, E> {
        self.wide.set(true);
        Ok(Value::Number((number as f64).into()))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E: de::Error>(self, number: u128) -> Result<Value, E> {
        self.wide.set(true);
        Ok(Value::Number((number as f64).into()))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Value, E> {
        Ok(Value::Number(number.into()))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut sequence = Vec::with_capacity(items.size_hint().unwrap_or(0));
        while let Some(item) = items.next_element_seed(self)? {
            sequence.push(item);
        }
        Ok(Value::Sequence(sequence))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(key) = entries.next_key_seed(self)? {
            let value = entries.next_value_seed(self)?;
            // As `serde_yaml`'s own `Mapping` does: a repeated key is an error, not a loss.
            if mapping.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate entry with key {}",
                    key_text(&key)
                )));
            }
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents): (String, _) = data.variant()?;
        let value = contents.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => format!("{text:?}"),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        _ => "(a non-scalar key)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str) -> (Value, bool) {
        read(text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn literals_beyond_64_bits_read_as_floats_and_are_noticed() {
        let (value, wide) = read_ok("a: -9223372036854776000\nb: 99999999999999999999\n");
        assert!(wide);
        assert_eq!(value["a"].as_f64(), Some(-9_223_372_036_854_776_000.0));
        assert_eq!(value["b"].as_f64(), Some(99_999_999_999_999_999_999.0));
    }

    /// Everything else reads exactly as `serde_yaml::Value` reads it.
    #[test]
    fn other_values_read_as_serde_yaml_reads_them() {
        let text = "a: [1, -2, 18446744073709551615, 1.5, x, true, null, ~]\n\
                    b: {c: !tagged {d: 1}}\n'e': -9223372036854775808\n";
        let (value, wide) = read_ok(text);
        let expected: Value = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value, expected);
        assert!(!wide);
    }

    /// JSON reads through serde_json into the value YAML reading gives, and a literal beyond 64
    /// bits is a float there too.
    #[test]
    fn json_reads_as_yaml_reads_it() {
        let texts = [
            r#"{"a": [1, -2, 18446744073709551615, 1.5, "x", true, null], "b": {"c": "\u00e9"}}"#,
            r#"  {"big": -9223372036854776000, "e": -9223372036854775808, "f": 1e3}"#,
        ];
        for text in texts {
            let (from_json, _) = read_ok(text);
            let (from_yaml, _) = Seed {
                wide: &Cell::new(false),
            }
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .map(|value| (value, ()))
            .unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(from_json, from_yaml, "{text}");
        }
    }

    /// Text that only looks like JSON gets libyaml's reading and libyaml's errors.
    #[test]
    fn json_that_serde_json_refuses_is_read_as_yaml() {
        let (value, _) = read_ok("{a: 1, 'b': [x]}");
        assert_eq!(value["a"].as_i64(), Some(1));
        assert_eq!(value["b"][0].as_str(), Some("x"));
        let error = read(r#"{"a": 1, "a": 2}"#).expect_err("duplicate");
        assert!(
            error
                .to_string()
                .starts_with("duplicate entry with key \"a\""),
            "{error}"
        );
        let error = read("{\"a\": [1,\n").expect_err("unclosed");
        assert!(error.location().is_some(), "{error}");
    }

    #[test]
    fn pointer_tokens_are_escaped_as_pointer_escapes_them() {
        for token in ["a", "", "a/b", "~1", "/~/", "é"] {
            let mut at = "#/x".to_owned();
            push_token(&mut at, token);
            assert_eq!(at, pointer("#/x", token), "{token}");
        }
    }

    /// The bound of a schema deep in the document is named with its whole pointer, escaped.
    #[test]
    fn warnings_name_deep_places() {
        let (mut value, _) = read_ok(
            "paths:\n  /a~b/{id}:\n    get:\n      parameters:\n        - schema: {type: integer, \
             maximum: 18446744073709551615}\n",
        );
        let warnings = narrow_integer_bounds(&mut value, "#");
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].pointer,
            "#/paths/~1a~0b~1{id}/get/parameters/0/schema/maximum"
        );
    }

    #[test]
    fn a_repeated_key_is_an_error() {
        let error = read("a: 1\na: 2\n").expect_err("duplicate");
        assert!(
            error
                .to_string()
                .starts_with("duplicate entry with key \"a\""),
            "{error}"
        );
    }

    #[test]
    fn integer_bounds_beyond_64_bits_are_narrowed_with_a_warning() {
        let (mut value, _) = read_ok(
            "s:\n  type: integer\n  minimum: -9223372036854776000\n  maximum: 18446744073709551615\n\
             n: {type: number, minimum: -9223372036854776000}\n\
             i: {type: integer, minimum: -5.0, maximum: 7.5}\n\
             x: {type: integer, example: 99999999999999999999}\n",
        );
        let warnings: Vec<String> = narrow_integer_bounds(&mut value, "#")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            warnings,
            [
                "warning: #/s/minimum: -9.223372036854776e18 is beyond the 64-bit integer range; \
                 taken as -9223372036854775808",
                "warning: #/s/maximum: 18446744073709551615 is beyond the 64-bit integer range; \
                 taken as 9223372036854775807",
            ]
        );
        assert_eq!(value["s"]["minimum"].as_i64(), Some(i64::MIN));
        assert_eq!(value["s"]["maximum"].as_i64(), Some(i64::MAX));
        // Number bounds are floats in openapiv3; fractions and examples are not bounds.
        assert!(value["n"]["minimum"].is_f64());
        assert!(value["i"]["maximum"].is_f64());
        assert_eq!(value["i"]["minimum"].as_i64(), Some(-5));
        assert!(value["x"]["example"].is_f64());
    }
}
