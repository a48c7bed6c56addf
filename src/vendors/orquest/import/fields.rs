//! Reading an element's JSON fields the way Orquest's importer does, each failure a 400.

use super::{Checked, bad, conflict};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// A whole number as Jackson reads one into a `long`: `7` or `7.0` (JSON Schema's `integer`);
/// `7.5`, a string or anything else is `None`.
pub(super) fn whole(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        let f = value.as_f64()?;
        // Divergence: Jackson also truncates 7.5 to 7 (ACCEPT_FLOAT_AS_INT); the sandbox keeps
        // to the documented integer and refuses a fraction.
        (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
    })
}

pub(super) fn text(map: &Map<String, Value>, field: &str) -> Checked<Option<String>> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(bad(format!("{field} must be a string"))),
    }
}

pub(super) fn flag(map: &Map<String, Value>, field: &str) -> Checked<bool> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(bad(format!("{field} must be true or false"))),
    }
}

pub(super) fn date(map: &Map<String, Value>, field: &str) -> Checked<Option<NaiveDate>> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() == 10 => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(format!("{field} must be a date yyyy-MM-dd, got {s:?}"))),
        Some(other) => Err(bad(format!("{field} must be a date yyyy-MM-dd, got {other}"))),
    }
}

pub(super) fn period(map: &Map<String, Value>, what: &str) -> Checked<(NaiveDate, Option<NaiveDate>)> {
    let from = date(map, "from")?.ok_or_else(|| bad(format!("{what}.from is mandatory")))?;
    let to = date(map, "to")?;
    if to.is_some_and(|to| to < from) {
        return Err(bad(format!("{what}: to is before from")));
    }
    Ok((from, to))
}

/// Enumerations: Orquest's lists are not all public; any UPPER_SNAKE_CASE value is accepted.
pub(super) fn enumeration(map: &Map<String, Value>, field: &str) -> Checked<()> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(v))
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') =>
        {
            Ok(())
        }
        Some(other) => Err(bad(format!("{field}: {other} is not a valid value"))),
    }
}

pub(super) fn strings(value: &Value, what: &str) -> Checked<Vec<String>> {
    value
        .as_array()
        .and_then(|list| list.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
        .ok_or_else(|| bad(format!("{what} must be a list of strings")))
}

/// A `metadata` object whose keys are all configured for the business.
pub(super) fn metadata(map: &Map<String, Value>, keys: &[String], what: &str) -> Checked<Option<Map<String, Value>>> {
    match map.get("metadata") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(metadata)) => {
            if let Some(unknown) = metadata.keys().find(|k| !keys.contains(k)) {
                return Err(conflict(format!("{what}.metadata key {unknown} not exists")));
            }
            Ok(Some(metadata.clone()))
        }
        Some(_) => Err(bad(format!("{what}.metadata must be an object"))),
    }
}

/// The record as stored and read back: nulls dropped (reads omit fields without value), and the
/// fields the simplified endpoints do not have.
pub(super) fn normalized(map: &Map<String, Value>, dropped: &[&str]) -> Map<String, Value> {
    map.iter()
        .filter(|(k, v)| !v.is_null() && !dropped.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), without_nulls(v)))
        .collect()
}

pub(super) fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(normalized(map, &[])),
        Value::Array(list) => Value::Array(list.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
