//! The helpers driven the way generated structs drive them, through serde_json.

use std::collections::BTreeMap;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    StructFields, StructKey, StructWriter, read_some, read_value, required_field,
    serialize_optional_entry,
};

/// Shaped like a generated struct: one required field, one optional.
#[derive(Debug, PartialEq)]
struct Pair {
    name: String,
    size: Option<i64>,
}

const PAIR_FIELDS: &[&str] = &["name", "size"];

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairVisitor;
        impl<'de> Visitor<'de> for PairVisitor {
            type Value = Pair;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("struct Pair")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pair, A::Error> {
                let mut fields = StructFields::new(PAIR_FIELDS);
                let mut name: Option<String> = None;
                let mut size: Option<i64> = None;
                while let Some(index) = fields.next_field(&mut map)? {
                    match index {
                        0 => read_some(&mut map, &mut name),
                        1 => read_value(&mut map, &mut size),
                        _ => Ok(()),
                    }?;
                }
                Ok(Pair {
                    name: required_field(name, "name")?,
                    size,
                })
            }
        }
        deserializer.deserialize_struct("Pair", PAIR_FIELDS, PairVisitor)
    }
}

impl Serialize for Pair {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let count = 1 + usize::from(self.size.is_some());
        let mut out = StructWriter::new(serializer.serialize_struct("Pair", count)?);
        out.field("name", &self.name);
        out.optional("size", &self.size);
        out.end()
    }
}

/// Shaped like a generated struct with additional properties.
#[derive(Debug, PartialEq)]
struct Open {
    id: Option<i64>,
    rest: BTreeMap<String, i64>,
}

impl<'de> Deserialize<'de> for Open {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OpenVisitor;
        impl<'de> Visitor<'de> for OpenVisitor {
            type Value = Open;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("struct Open")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Open, A::Error> {
                let mut fields = StructFields::new(&["id"]);
                let mut id = None;
                let mut rest = BTreeMap::new();
                while let Some(key) = fields.next_key(&mut map)? {
                    match key {
                        StructKey::Field(0) => id = map.next_value()?,
                        StructKey::Other(key) => {
                            rest.insert(key, map.next_value()?);
                        }
                        StructKey::Field(_) => {}
                    }
                }
                Ok(Open { id, rest })
            }
        }
        deserializer.deserialize_map(OpenVisitor)
    }
}

impl Serialize for Open {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        serialize_optional_entry(&mut out, "id", &self.id)?;
        for (key, value) in &self.rest {
            out.serialize_entry(key, value)?;
        }
        out.end()
    }
}

fn pair(json: &str) -> Result<Pair, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn decodes_fields_in_any_order_and_skips_unknown_keys() {
    let cases = [
        (
            r#"{"name":"a","size":3}"#,
            Pair {
                name: "a".into(),
                size: Some(3),
            },
        ),
        (
            r#"{"size":3,"name":"a"}"#,
            Pair {
                name: "a".into(),
                size: Some(3),
            },
        ),
        (
            r#"{"name":"a"}"#,
            Pair {
                name: "a".into(),
                size: None,
            },
        ),
        (
            r#"{"name":"a","size":null}"#,
            Pair {
                name: "a".into(),
                size: None,
            },
        ),
        (
            r#"{"x":{"deep":[1,{"y":null}]},"name":"a","z":"w","size":1}"#,
            Pair {
                name: "a".into(),
                size: Some(1),
            },
        ),
        // An escaped key arrives as an owned string.
        (
            r#"{"n\u0061me":"a","\u0073ize":2}"#,
            Pair {
                name: "a".into(),
                size: Some(2),
            },
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(pair(json), Ok(expected), "{json}");
    }
}

#[test]
fn refuses_what_the_derive_refuses() {
    let cases = [
        (r#"{"size":3}"#, "missing field `name`"),
        (r#"{"name":"a","name":"b"}"#, "duplicate field `name`"),
        (r#"{"name":"a","n\u0061me":"b"}"#, "duplicate field `name`"),
        (r#"{"name":null}"#, "invalid type: null, expected a string"),
        (
            r#"{"name":"a","size":"3"}"#,
            "invalid type: string \"3\", expected i64",
        ),
        (r#"["a",3]"#, "invalid type: sequence, expected struct Pair"),
        (r#""a""#, "invalid type: string \"a\", expected struct Pair"),
    ];
    for (json, message) in cases {
        let error = pair(json).expect_err(json);
        assert!(error.starts_with(message), "{json}: {error}");
    }
}

#[test]
fn duplicates_are_found_past_128_fields() {
    let names: &'static [&'static str] = Box::leak(
        (0..200)
            .map(|i| &*Box::leak(format!("f{i}").into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    for repeated in [0, 127, 128, 199] {
        let json = format!(r#"{{"f{repeated}":1,"f5":2,"f{repeated}":3}}"#);
        let mut de = serde_json::Deserializer::from_str(&json);
        let error = (&mut de)
            .deserialize_map(CountFields(names))
            .expect_err(&json)
            .to_string();
        assert!(
            error.starts_with(&format!("duplicate field `f{repeated}`")),
            "{error}"
        );
    }
    let all = (0..200)
        .map(|i| format!(r#""f{i}":{i}"#))
        .collect::<Vec<_>>()
        .join(",");
    let json = format!("{{{all}}}");
    let mut de = serde_json::Deserializer::from_str(&json);
    assert_eq!(
        (&mut de).deserialize_map(CountFields(names)).ok(),
        Some(200)
    );
}

/// Counts the fields of an object with the given names.
struct CountFields(&'static [&'static str]);

impl<'de> Visitor<'de> for CountFields {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut fields = StructFields::new(self.0);
        let mut count = 0;
        while fields.next_field(&mut map)?.is_some() {
            map.next_value::<serde::de::IgnoredAny>()?;
            count += 1;
        }
        Ok(count)
    }
}

/// Fails every field named `bad`, as a serializer may.
struct Failing;

impl serde::ser::SerializeStruct for Failing {
    type Ok = Vec<&'static str>;
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        _value: &T,
    ) -> Result<(), Self::Error> {
        if key == "bad" {
            Err(serde::ser::Error::custom("bad field"))
        } else {
            Ok(())
        }
    }
    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(vec!["ended"])
    }
}

#[test]
fn the_first_field_error_is_the_structs() {
    let mut out = StructWriter::new(Failing);
    out.field("good", &1);
    out.optional("bad", &Some(2));
    out.field("bad", &3);
    out.optional::<i64>("bad", &None);
    let error = out.end().expect_err("a field failed");
    assert_eq!(error.to_string(), "bad field");
    let mut out = StructWriter::new(Failing);
    out.field("good", &1);
    out.optional::<i64>("bad", &None); // skipped, so never written
    assert_eq!(out.end().ok(), Some(vec!["ended"]));
}

#[test]
fn encodes_set_fields_only() {
    let cases = [
        (
            Pair {
                name: "a".into(),
                size: Some(3),
            },
            r#"{"name":"a","size":3}"#,
        ),
        (
            Pair {
                name: "a".into(),
                size: None,
            },
            r#"{"name":"a"}"#,
        ),
    ];
    for (value, json) in cases {
        assert_eq!(serde_json::to_string(&value).ok().as_deref(), Some(json));
    }
}

#[test]
fn keeps_other_keys_when_asked() {
    let open: Open = serde_json::from_str(r#"{"b":2,"id":1,"a":3,"\u0063":4}"#).expect("decodes");
    let expected = Open {
        id: Some(1),
        rest: [
            ("a".to_owned(), 3),
            ("b".to_owned(), 2),
            ("c".to_owned(), 4),
        ]
        .into(),
    };
    assert_eq!(open, expected);
    assert_eq!(
        serde_json::to_string(&open).ok().as_deref(),
        Some(r#"{"id":1,"a":3,"b":2,"c":4}"#)
    );
    let unset = Open {
        id: None,
        rest: BTreeMap::new(),
    };
    assert_eq!(serde_json::to_string(&unset).ok().as_deref(), Some("{}"));
    let error = serde_json::from_str::<Open>(r#"{"id":1,"id":2}"#).expect_err("duplicate");
    assert!(
        error.to_string().starts_with("duplicate field `id`"),
        "{error}"
    );
}
