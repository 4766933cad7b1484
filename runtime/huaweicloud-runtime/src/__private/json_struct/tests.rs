//! `json_struct!` on structs shaped like generated ones: every presence, additional properties,
//! no fields, and field names that are the macro's own locals or keywords.

use std::collections::BTreeMap;

use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Default)]
struct Every {
    id: String,
    name: Option<String>,
    agent: Option<i64>,
    labels: Option<Option<Vec<String>>>,
}

crate::json_struct! {
    Every {
        id: required "id",
        name: optional "name",
        agent: required_nullable "agent_id",
        labels: optional_nullable "labels",
    }
}

/// Field names the expansion uses for its own locals, and a keyword.
#[derive(Debug, Clone, PartialEq)]
struct Clashing {
    map: i32,
    fields: Option<i32>,
    out: Option<i32>,
    serializer: Option<i32>,
    r#type: Option<String>,
}

crate::json_struct! {
    Clashing {
        map: required "map",
        fields: optional "fields",
        out: optional "out",
        serializer: optional "serializer",
        r#type: optional "type",
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Empty {}

crate::json_struct! { Empty {} }

#[derive(Debug, Clone, PartialEq, Default)]
struct Tagged {
    kind: Option<String>,
    size: i32,
    additional_properties: BTreeMap<String, Value>,
}

crate::json_struct! {
    Tagged {
        kind: optional "kind",
        size: required "size",
    }
    additional_properties
}

#[derive(Debug, Clone, PartialEq)]
struct Old {
    #[deprecated]
    gone: Option<i32>,
}

crate::json_struct! {
    #[allow(deprecated)]
    Old {
        gone: optional "gone",
    }
}

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

#[test]
fn every_presence_decodes_and_encodes_like_serde_derive() {
    #[rustfmt::skip]
    let cases: &[(&str, Every, &str)] = &[
        (r#"{"id":"a"}"#, Every { id: "a".into(), ..Every::default() }, r#"{"id":"a","agent_id":null}"#),
        (
            r#"{"labels":null,"agent_id":7,"name":"n","id":"a","extra":[1]}"#,
            Every { id: "a".into(), name: Some("n".into()), agent: Some(7), labels: Some(None) },
            r#"{"id":"a","name":"n","agent_id":7,"labels":null}"#,
        ),
        (
            r#"{"id":"a","name":null,"agent_id":null,"labels":["x"]}"#,
            Every { id: "a".into(), labels: Some(Some(vec!["x".into()])), ..Every::default() },
            r#"{"id":"a","agent_id":null,"labels":["x"]}"#,
        ),
    ];
    for (text, expected, encoded) in cases {
        let decoded: Every = decode(text).unwrap_or_else(|error| panic!("{text}: {error}"));
        assert_eq!(&decoded, expected, "{text}");
        assert_eq!(
            serde_json::to_string(&decoded).ok().as_deref(),
            Some(*encoded)
        );
    }
}

#[test]
fn refusals_name_the_field() {
    #[rustfmt::skip]
    let cases: &[(&str, &str)] = &[
        (r#"{"name":"n"}"#, "missing field `id`"),
        (r#"{"id":"a","id":"b"}"#, "duplicate field `id`"),
        (r#"{"id":1}"#, "invalid type: integer `1`, expected a string"),
        (r#"[]"#, "invalid type: sequence, expected struct Every"),
    ];
    for (text, message) in cases {
        let error = decode::<Every>(text).err().unwrap_or_default();
        assert!(error.starts_with(message), "{text}: {error}");
    }
}

#[test]
fn field_names_do_not_clash_with_the_expansion() {
    let text = r#"{"map":1,"fields":2,"out":3,"serializer":4,"type":"t"}"#;
    let decoded: Clashing = decode(text).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        decoded,
        Clashing {
            map: 1,
            fields: Some(2),
            out: Some(3),
            serializer: Some(4),
            r#type: Some("t".into()),
        }
    );
    assert_eq!(serde_json::to_string(&decoded).ok().as_deref(), Some(text));
}

#[test]
fn a_struct_without_fields_takes_any_object() {
    assert_eq!(decode::<Empty>(r#"{"a":1}"#), Ok(Empty {}));
    assert_eq!(serde_json::to_string(&Empty {}).ok().as_deref(), Some("{}"));
}

#[test]
fn additional_properties_keep_the_other_keys() {
    let decoded: Tagged =
        decode(r#"{"x":[1],"size":2,"kind":"k","y":null}"#).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decoded.kind.as_deref(), Some("k"));
    assert_eq!(decoded.size, 2);
    assert_eq!(
        decoded.additional_properties,
        BTreeMap::from([("x".to_owned(), json!([1])), ("y".to_owned(), Value::Null)])
    );
    assert_eq!(
        serde_json::to_string(&decoded).ok().as_deref(),
        Some(r#"{"kind":"k","size":2,"x":[1],"y":null}"#)
    );
    assert!(decode::<Tagged>(r#"{"kind":"k"}"#).is_err_and(|e| e.contains("missing field `size`")));
}

#[test]
#[allow(deprecated)]
fn attributes_reach_both_impls() {
    let old: Old = decode(r#"{"gone":3}"#).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(old.gone, Some(3));
    assert_eq!(
        serde_json::to_string(&old).ok().as_deref(),
        Some(r#"{"gone":3}"#)
    );
}
