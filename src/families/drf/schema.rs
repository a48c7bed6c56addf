//! JSON Schemas of DRF's serializer fields, as their `to_internal_value` and default validators
//! read a value: what an OpenAPI document of a DRF API states for each body field.

use serde_json::{Value, json};

/// A `CharField`: a string or a number (DRF stringifies both), never a NUL character
/// (`ProhibitNullCharactersValidator`); `blank: false` needs something besides whitespace
/// (the value is trimmed first).
pub fn char_field(blank: bool, max_length: Option<usize>) -> Value {
    // Spelled out, not `\s`: ECMA's `\s` (JSON Schema's) and Python's differ, and the field
    // strips what Python's `str.strip()` does.
    const NOT_BLANK: &str = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$";
    let pattern = if blank { "^[^\\u0000]*$" } else { NOT_BLANK };
    let mut schema = json!({"type": ["string", "number"], "pattern": pattern});
    if let Some(max) = max_length {
        schema["maxLength"] = json!(max);
    }
    schema
}

/// An `EmailField` of at most `max_length` characters.
pub fn email_field(max_length: usize) -> Value {
    let mut email = crate::openapi::schema::email();
    email["maxLength"] = json!(max_length);
    email
}

/// A `DateField` (ISO 8601 `YYYY-MM-DD`), `null` too when `nullable`.
pub fn date_field(nullable: bool) -> Value {
    let date = crate::openapi::schema::date();
    if nullable { json!({"anyOf": [date, {"type": "null"}]}) } else { date }
}

/// A `BooleanField`: `true`/`false`, `1`/`0`, or one of DRF's true and false strings.
pub fn boolean_field() -> Value {
    json!({"enum": [true, false, 1, 0, "t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On",
        "ON", "1", "f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]})
}
