//! The JSON Schemas operation tables are written with: small named builders, so a table reads
//! as the wire does (`schema::list_of(member)`), not as nested `json!` literals.

use schemars::JsonSchema;
use schemars::generate::{Contract, SchemaSettings};
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

/// A calendar date (`YYYY-MM-DD`). The pattern says what `format` (only an annotation in JSON
/// Schema 2020-12) cannot enforce: an empty or free-form string is not a date.
pub fn date() -> Value {
    json!({"type": "string", "format": "date", "pattern": DATE_PATTERN})
}

/// The shape of a `YYYY-MM-DD` date.
pub const DATE_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// An RFC 3339 date-time.
pub fn date_time() -> Value {
    json!({"type": "string", "format": "date-time"})
}

/// A text with something besides whitespace (Unicode White_Space, what `str::trim` strips),
/// spelled out because ECMA's `\s`, JSON Schema's, is not the same set.
pub fn not_blank() -> Value {
    json!({"type": "string",
           "pattern": "[^\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"})
}

/// An email address as `common::email::valid_email` (Django's validator) reads one. The
/// pattern says it, not `format: email`: that format (an annotation in JSON Schema, an
/// assertion for some tools) is RFC 5321's, which is not the set Django takes. IPv6 literals,
/// which it also takes, are left out.
pub fn email() -> Value {
    json!({"type": "string", "maxLength": 320, "pattern": EMAIL_PATTERN,
           "description": "An email address (Django's EmailValidator)"})
}

/// The addresses [`email`] admits.
pub const EMAIL_PATTERN: &str = r#"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(localhost|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{1,62}[A-Za-z0-9]|\[(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}\])$"#;

/// A path segment: any non-empty text.
pub fn segment(_path: &str, _name: &str) -> Value {
    json!({"type": "string", "minLength": 1})
}

/// A UUID as Java's `UUID.fromString` (and the sandbox) reads one.
pub fn uuid() -> Value {
    json!({"type": "string", "format": "uuid",
           "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"})
}

/// `schema` or `null` (a field the vendor reads as absent when null).
pub fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
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

/// The mark [`seeded`] leaves for `document` to fill in.
pub const SEEDED: &str = "x-hr-sandbox-seeded";

/// `base` whose values must name records of this sandbox (`kind`: `users`, `sequences`, ...):
/// the document lists the ids it holds when it is served (the vendor answers any other with a
/// 400), so a generated value is one the sandbox accepts.
pub fn seeded(kind: &str, mut base: Value) -> Value {
    base[SEEDED] = json!(kind);
    base
}

/// A calendar date after `today`: years `today.year + 1` to `+ 9`, days 01 to 28 (a pattern, as
/// JSON Schema has no date bounds).
pub fn date_after(today: chrono::NaiveDate) -> Value {
    use chrono::Datelike;
    let years: Vec<String> = (1..10).map(|n| (today.year() + n).to_string()).collect();
    json!({"type": "string", "format": "date",
           "pattern": format!("^({})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$", years.join("|"))})
}

/// The JSON Schema of `T` as serde reads or writes it (derived with schemars: field names,
/// renames, optional and unknown fields follow the serde attributes), subschemas inlined so it
/// can sit anywhere in a document.
pub fn of<T: JsonSchema>() -> Value {
    derived::<T>(Contract::Deserialize)
}

/// The JSON Schema of `T` as serde writes it: a response body's.
pub fn written<T: JsonSchema>() -> Value {
    derived::<T>(Contract::Serialize)
}

/// An array of what [`written`] gives for `T`.
pub fn written_list<T: JsonSchema>() -> Value {
    json!({"type": "array", "items": written::<T>()})
}

fn derived<T: JsonSchema>(contract: Contract) -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.inline_subschemas = true;
            s.contract = contract;
        })
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
        map.remove("title");
    }
    schema
}
