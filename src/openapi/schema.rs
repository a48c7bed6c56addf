//! The JSON Schemas operation tables are written with: small named builders, so a table reads
//! as the wire does (`schema::list_of(member)`), not as nested `json!` literals.

use serde_json::{Value, json};

/// Any JSON object.
pub fn object() -> Value {
    json!({"type": "object"})
}

/// Anything.
pub fn any() -> Value {
    json!({})
}

/// Any JSON array of objects.
pub fn objects() -> Value {
    json!({"type": "array", "items": {"type": "object"}})
}

/// No body (204, or a redirect).
pub fn none() -> Value {
    Value::Null
}

/// A string.
pub fn string() -> Value {
    json!({"type": "string"})
}

/// A calendar date (`YYYY-MM-DD`).
pub fn date() -> Value {
    json!({"type": "string", "format": "date"})
}

/// An RFC 3339 date-time.
pub fn date_time() -> Value {
    json!({"type": "string", "format": "date-time"})
}

/// A positive page size up to 100.
pub fn page_size() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": 100})
}

/// A page number from 1.
pub fn page() -> Value {
    json!({"type": "integer", "minimum": 1})
}

/// `true` or `false`.
pub fn boolean() -> Value {
    json!({"type": "boolean"})
}

/// An object with these properties (others allowed), `required` among them.
pub fn record(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}
