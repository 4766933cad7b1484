//! One conformance case as `run_all_operations.py` describes it, and the conversions the
//! generated dispatch needs: parameter values and bodies out of the case, answers into JSON.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A call to make: the operation, which credentials, and the values by location and wire name.
#[derive(Debug, Deserialize)]
pub struct Case {
    /// Echoed in the answer line.
    pub id: u64,
    pub operation_id: String,
    /// Temporary credentials with this security token, else permanent ones.
    pub token: Option<String>,
    /// `path`, `query`, `header` → wire name → value.
    pub params: BTreeMap<String, BTreeMap<String, Value>>,
    pub body: Option<Value>,
}

impl Case {
    fn value(&self, location: &str, wire: &str) -> Option<&Value> {
        self.params
            .get(location)
            .and_then(|values| values.get(wire))
    }

    /// A required parameter's value, decoded as the builder's argument type.
    pub fn required<T: DeserializeOwned>(&self, location: &str, wire: &str) -> Result<T, String> {
        match self.optional(location, wire)? {
            Some(value) => Ok(value),
            None => Err(format!("the case has no {location} parameter `{wire}`")),
        }
    }

    /// An optional parameter's value, when the case sets it.
    pub fn optional<T: DeserializeOwned>(
        &self,
        location: &str,
        wire: &str,
    ) -> Result<Option<T>, String> {
        self.value(location, wire)
            .map(|value| {
                serde_json::from_value(value.clone())
                    .map_err(|error| format!("{location} parameter `{wire}`: {error}"))
            })
            .transpose()
    }

    /// The body decoded as the operation's model; the fields named in `files` (multipart file
    /// parts) travel as text and become the bytes of that text.
    pub fn body<T: DeserializeOwned>(&self, files: &[&str]) -> Result<Option<T>, String> {
        let Some(body) = &self.body else {
            return Ok(None);
        };
        let mut body = body.clone();
        if let Value::Object(fields) = &mut body {
            for file in files {
                if let Some(Value::String(text)) = fields.get(*file) {
                    let bytes = text.bytes().map(Value::from).collect();
                    fields.insert((*file).to_owned(), Value::Array(bytes));
                }
            }
        }
        serde_json::from_value(body)
            .map(Some)
            .map_err(|error| format!("body: {error}"))
    }
}

/// A decoded answer as JSON.
pub fn answer_json<T: serde::Serialize>(body: &T) -> Result<Value, String> {
    serde_json::to_value(body).map_err(|error| format!("answer: {error}"))
}

/// A binary answer as the text of its bytes (the test server sends text). Unused by a service
/// without binary answers (KMS).
#[allow(dead_code)]
pub fn answer_bytes(body: &[u8]) -> Result<Value, String> {
    Ok(Value::String(String::from_utf8_lossy(body).into_owned()))
}
