//! The serde plumbing of generated structs, written once: field keys, duplicates, missing fields.
//!
//! serde's derive writes a field-identifier enum, three key matches, a sequence visitor and a
//! duplicate check into every struct (about 30 lines of expanded code per field); across the
//! whole HSS API that was most of what the compiler checked. Generated structs instead implement
//! `Serialize` and `Deserialize` in a few lines per field and call these helpers, with the
//! derive's behaviour on JSON: unknown keys skipped (or kept, for a struct with additional
//! properties), a duplicate key an error, a missing required field an error naming it.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserializer, Serialize};

/// A key of a generated struct's JSON object, from [`StructFields::next_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructKey {
    /// The struct's field at this index of its field list.
    Field(usize),
    /// A key the struct does not name (its value is not read yet).
    Other(String),
}

/// Reads the keys of one JSON object into one generated struct: which field each key is, and
/// whether it came twice.
#[derive(Debug)]
pub struct StructFields {
    names: &'static [&'static str],
    seen: Seen,
    /// Where the last key was found: keys usually come in the order of the declaration, so the
    /// next one is looked for there first.
    next: usize,
}

/// The fields a key has already named.
#[derive(Debug)]
enum Seen {
    Few(u128),
    Many(Vec<bool>),
}

impl StructFields {
    /// For a struct whose fields are `names` (wire names, in declaration order).
    pub fn new(names: &'static [&'static str]) -> Self {
        let seen = if names.len() <= 128 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; names.len()])
        };
        Self {
            names,
            seen,
            next: 0,
        }
    }

    /// The index of the next key that names a field; the values of other keys are read and
    /// dropped. `None` at the end of the object; an error for a field named twice.
    pub fn next_field<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<usize>, A::Error> {
        loop {
            match map.next_key_seed(KeySeed {
                fields: self,
                keep_other: false,
            })? {
                None => return Ok(None),
                Some(StructKey::Field(index)) => return Ok(Some(index)),
                Some(StructKey::Other(_)) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }

    /// The next key, a field's or another one (for a struct that keeps additional properties).
    /// `None` at the end of the object; an error for a field named twice.
    pub fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<StructKey>, A::Error> {
        map.next_key_seed(KeySeed {
            fields: self,
            keep_other: true,
        })
    }

    fn index_of(&self, key: &[u8]) -> Option<usize> {
        let (earlier, from_next) = self.names.split_at(self.next.min(self.names.len()));
        from_next
            .iter()
            .position(|name| name.as_bytes() == key)
            .map(|offset| offset + earlier.len())
            .or_else(|| earlier.iter().position(|name| name.as_bytes() == key))
    }

    /// Records that the key named field `index`; an error if one did before.
    fn mark<E: de::Error>(&mut self, index: usize) -> Result<StructKey, E> {
        let repeated = match &mut self.seen {
            Seen::Few(bits) => {
                let bit = 1u128 << index;
                let repeated = *bits & bit != 0;
                *bits |= bit;
                repeated
            }
            Seen::Many(flags) => std::mem::replace(&mut flags[index], true),
        };
        if repeated {
            return Err(E::duplicate_field(self.names[index]));
        }
        self.next = index + 1;
        Ok(StructKey::Field(index))
    }

    fn key<E: de::Error>(
        &mut self,
        key: &[u8],
        other: impl FnOnce() -> String,
    ) -> Result<StructKey, E> {
        match self.index_of(key) {
            Some(index) => self.mark(index),
            None => Ok(StructKey::Other(other())),
        }
    }
}

/// Deserializes one key as a [`StructKey`]; an unknown key's text is kept only when asked for.
struct KeySeed<'a> {
    fields: &'a mut StructFields,
    keep_other: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = StructKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<StructKey, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = StructKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<StructKey, E> {
        let keep = self.keep_other;
        self.fields.key(key.as_bytes(), || {
            if keep { key.to_owned() } else { String::new() }
        })
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<StructKey, E> {
        let keep = self.keep_other;
        match self.fields.index_of(key.as_bytes()) {
            Some(index) => self.fields.mark(index),
            None => Ok(StructKey::Other(if keep { key } else { String::new() })),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<StructKey, E> {
        let keep = self.keep_other;
        self.fields.key(key, || {
            if keep {
                String::from_utf8_lossy(key).into_owned()
            } else {
                String::new()
            }
        })
    }
}

/// Reads a key's value into a field that holds what it reads: an optional field's
/// `Option<T>` (`null` is `None`), or a required nullable one's.
pub fn read_value<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads a key's value into `Some`: a required field (`None` until its key comes), or an
/// optional nullable one (`Some(None)` for `null`, `None` while absent).
pub fn read_some<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required field's value, or the error that names it when the object did not have it.
pub fn required_field<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// Writes the fields of one struct: each field a plain call, the first error kept and returned
/// by [`StructWriter::end`] (nothing is written after it). One `?` per struct rather than per
/// field is most of what the compiler has to check in a generated `Serialize`.
#[derive(Debug)]
pub struct StructWriter<S: SerializeStruct> {
    out: S,
    error: Option<S::Error>,
}

impl<S: SerializeStruct> StructWriter<S> {
    /// Writes into `out`, a serializer's struct state.
    pub fn new(out: S) -> Self {
        Self { out, error: None }
    }

    /// Writes a field.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(error) = self.out.serialize_field(name, value) {
                self.error = Some(error);
            }
        }
    }

    /// Writes an optional field when it is set, and skips it when it is `None`.
    pub fn optional<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if self.error.is_some() {
            return;
        }
        let written = match value {
            Some(value) => self.out.serialize_field(name, value),
            None => self.out.skip_field(name),
        };
        if let Err(error) = written {
            self.error = Some(error);
        }
    }

    /// Ends the struct, or returns the first error a field gave.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.out.end(),
        }
    }
}

/// Writes an optional field of a struct written as a map (one with additional properties) when
/// it is set.
pub fn serialize_optional_entry<S: SerializeMap, T: Serialize>(
    out: &mut S,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => out.serialize_entry(name, value),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
