//! `json_struct!`: the `Serialize` and `Deserialize` impls of a generated struct from one line
//! per field, so that the generated source reads as what it is (a field, its wire name, its
//! presence) rather than as the expanded serde plumbing.
//!
//! The expansion is what the generator used to write out by hand: a line or two per field
//! around [`StructWriter`](super::StructWriter) and [`StructFields`](super::StructFields), with
//! serde's derive behaviour on JSON (unknown keys skipped or kept, a repeated key an error, a
//! missing required field an error naming it, unset optional fields left out).
//!
//! ```text
//! json_struct! {
//!     #[allow(deprecated)]            // optional attributes, put on both impls
//!     Host {
//!         host_id: required "host_id",
//!         host_name: optional "host_name",
//!         agent_id: required_nullable "agent_id",
//!         labels: optional_nullable "labels",
//!     }
//!     additional_properties           // optional: a `BTreeMap` field of that name keeps the rest
//! }
//! ```
//!
//! Presence: `required` (`T`, an error when absent), `optional` (`Option<T>`, absent or `null`
//! is `None`, left out when `None`), `required_nullable` (`Option<T>`, always written, `null`
//! when `None`), `optional_nullable` (`Option<Option<T>>`: absent is `None`, `null` is
//! `Some(None)`, left out when `None`).

/// See the module documentation.
#[doc(hidden)]
#[macro_export]
macro_rules! json_struct {
    (
        $(#[$attr:meta])*
        $name:ident { $($field:ident : $presence:ident $wire:literal),* $(,)? }
    ) => {
        $(#[$attr])*
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<__S: $crate::__private::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                let count = 0 $(+ $crate::__json_count!($presence, self.$field))*;
                #[allow(unused_mut)]
                let mut out = $crate::__private::StructWriter::new(
                    serializer.serialize_struct(stringify!($name), count)?,
                );
                $($crate::__json_write!($presence, out, $wire, self.$field);)*
                out.end()
            }
        }

        $(#[$attr])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                const FIELDS: &[&str] = &[$($wire),*];
                #[allow(non_camel_case_types)]
                enum __Field { $($field),* }
                const ORDER: &[__Field] = &[$(__Field::$field),*];
                struct __Visitor;
                impl<'de> $crate::__private::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: $crate::__private::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        let mut fields = $crate::__private::StructFields::new(FIELDS);
                        $(let mut $field = None;)*
                        while let Some(index) = fields.next_field(&mut map)? {
                            match ORDER.get(index) {
                                $(Some(__Field::$field) => $crate::__json_read!($presence, map, $field),)*
                                _ => Ok(()),
                            }?;
                        }
                        Ok($name {
                            $($field: $crate::__json_init!($presence, $field, $wire),)*
                        })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), FIELDS, __Visitor)
            }
        }
    };
    (
        $(#[$attr:meta])*
        $name:ident { $($field:ident : $presence:ident $wire:literal),* $(,)? }
        additional_properties
    ) => {
        $(#[$attr])*
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<__S: $crate::__private::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use $crate::__private::serde::ser::SerializeMap as _;
                let mut out = serializer.serialize_map(None)?;
                $($crate::__json_entry!($presence, out, $wire, self.$field);)*
                for (key, value) in &self.additional_properties {
                    out.serialize_entry(key, value)?;
                }
                out.end()
            }
        }

        $(#[$attr])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                const FIELDS: &[&str] = &[$($wire),*];
                #[allow(non_camel_case_types)]
                enum __Field { $($field),* }
                const ORDER: &[__Field] = &[$(__Field::$field),*];
                struct __Visitor;
                impl<'de> $crate::__private::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: $crate::__private::serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        let mut fields = $crate::__private::StructFields::new(FIELDS);
                        $(let mut $field = None;)*
                        let mut additional_properties = std::collections::BTreeMap::new();
                        while let Some(key) = fields.next_key(&mut map)? {
                            match key {
                                $($crate::__private::StructKey::Field(index)
                                    if matches!(ORDER.get(index), Some(__Field::$field)) =>
                                {
                                    $crate::__json_read!($presence, map, $field)
                                })*
                                $crate::__private::StructKey::Other(key) => {
                                    map.next_value().map(|value| {
                                        additional_properties.insert(key, value);
                                    })
                                }
                                $crate::__private::StructKey::Field(_) => Ok(()),
                            }?;
                        }
                        Ok($name {
                            $($field: $crate::__json_init!($presence, $field, $wire),)*
                            additional_properties,
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}

/// How many entries a field adds to the serialized struct.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_count {
    (required, $value:expr) => {
        1
    };
    (required_nullable, $value:expr) => {
        1
    };
    (optional, $value:expr) => {
        usize::from($value.is_some())
    };
    (optional_nullable, $value:expr) => {
        usize::from($value.is_some())
    };
}

/// Writes a field through a `StructWriter`, leaving an unset optional one out.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_write {
    (required, $out:ident, $wire:literal, $value:expr) => {
        $out.field($wire, &$value)
    };
    (required_nullable, $out:ident, $wire:literal, $value:expr) => {
        $out.field($wire, &$value)
    };
    (optional, $out:ident, $wire:literal, $value:expr) => {
        $out.optional($wire, &$value)
    };
    (optional_nullable, $out:ident, $wire:literal, $value:expr) => {
        $out.optional($wire, &$value)
    };
}

/// Writes a field as a map entry (a struct with additional properties), leaving an unset
/// optional one out.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_entry {
    (required, $out:ident, $wire:literal, $value:expr) => {
        $out.serialize_entry($wire, &$value)?
    };
    (required_nullable, $out:ident, $wire:literal, $value:expr) => {
        $out.serialize_entry($wire, &$value)?
    };
    (optional, $out:ident, $wire:literal, $value:expr) => {
        $crate::__private::serialize_optional_entry(&mut $out, $wire, &$value)?
    };
    (optional_nullable, $out:ident, $wire:literal, $value:expr) => {
        $crate::__private::serialize_optional_entry(&mut $out, $wire, &$value)?
    };
}

/// Reads a key's value into a field's local: `Some(value)` for a required field and an
/// optional nullable one (where `null` is `Some(None)`), the `Option` itself otherwise.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_read {
    (required, $map:ident, $local:ident) => {
        $crate::__private::read_some(&mut $map, &mut $local)
    };
    (optional_nullable, $map:ident, $local:ident) => {
        $crate::__private::read_some(&mut $map, &mut $local)
    };
    (optional, $map:ident, $local:ident) => {
        $crate::__private::read_value(&mut $map, &mut $local)
    };
    (required_nullable, $map:ident, $local:ident) => {
        $crate::__private::read_value(&mut $map, &mut $local)
    };
}

/// A field's value from its local: a missing required field is an error naming it.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_init {
    (required, $local:ident, $wire:literal) => {
        $crate::__private::required_field($local, $wire)?
    };
    (optional, $local:ident, $wire:literal) => {
        $local
    };
    (required_nullable, $local:ident, $wire:literal) => {
        $local
    };
    (optional_nullable, $local:ident, $wire:literal) => {
        $local
    };
}

#[cfg(test)]
mod tests;
