//! Vendor state in a snapshot document (`GET`/`PUT /__admin/snapshot`): records serialize whole,
//! fields the wire never shows included, and read back with the JSON path of the first problem.
//!
//! A record type serializes once, through serde derive, for both uses. A field the vendor never
//! sends (a deduction's `canceled`, a policy's accrual rate) is marked
//! `#[serde(default, skip_serializing_if = "snapshot::on_the_wire")]`: skipped while a vendor
//! answers, written while [`export`] runs. One derive means a new field cannot be forgotten by
//! the snapshot (the alternative, a mirror type per record, drifts).

use super::problem::Problem;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use std::cell::Cell;
use std::collections::BTreeMap;

thread_local! {
    /// Set while [`export`] serializes on this thread.
    static EXPORTING: Cell<bool> = const { Cell::new(false) };
}

/// `skip_serializing_if` for fields kept in snapshots but never sent by the vendor.
pub fn on_the_wire<T>(_: &T) -> bool {
    !EXPORTING.get()
}

/// `value` as snapshot JSON: every field, wire-only skips lifted.
pub fn export<T: Serialize>(value: &T) -> Value {
    struct Exporting;
    impl Drop for Exporting {
        fn drop(&mut self) {
            EXPORTING.set(false);
        }
    }
    EXPORTING.set(true);
    let _exporting = Exporting;
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A vendor's snapshot part, `{"settings": settings, "state": state}`, as the JSON text
/// [`export`] would give (every field), written straight to bytes: `--state-dir` exports each
/// changed part once per group commit, and a `Value` tree of every record is most of that cost.
pub fn part_bytes<T: Serialize>(settings: &Value, state: &T) -> Vec<u8> {
    struct Exporting;
    impl Drop for Exporting {
        fn drop(&mut self) {
            EXPORTING.set(false);
        }
    }
    let mut out = b"{\"settings\":".to_vec();
    if serde_json::to_writer(&mut out, settings).is_err() {
        return Vec::new();
    }
    out.extend_from_slice(b",\"state\":");
    EXPORTING.set(true);
    let _exporting = Exporting;
    if serde_json::to_writer(&mut out, state).is_err() {
        return Vec::new();
    }
    out.push(b'}');
    out
}

/// Reads `value` (found at `path`) as `T`; a wrong type or unknown field names its own path.
pub fn read<T: DeserializeOwned>(value: &Value, path: &str) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let inner = error.path().to_string();
        let inner = if inner == "." { String::new() } else { inner };
        Problem::at(inner, error.into_inner().to_string()).under(path)
    })
}

/// Reads the JSON text `raw` (found at `path`) as `T`, the way [`read`] reads a `Value`: a
/// hostile document is refused at its first wrong element before any `Value` is built.
pub fn read_text<T: DeserializeOwned>(raw: &RawValue, path: &str) -> Result<T, Problem> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut de).map_err(|error| {
        let inner = error.path().to_string();
        let inner = if inner == "." { String::new() } else { inner };
        let error = error.into_inner();
        // The same message `read` gives: a text error also names its line and column.
        let message = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let message = message.strip_suffix(&position).map_or(message.clone(), str::to_owned);
        Problem::at(inner, message).under(path)
    })
}

/// Largest text of a vendor part's `settings` a snapshot may carry: an export's are under 4 KiB.
pub const SETTINGS_LIMIT: usize = 64 * 1024;

/// A vendor part checked from its text before any `Value` is built: its members, and its
/// records read as `S` and checked by `check` (what [`read_part`] does but the settings, whose
/// size only is bounded here: the vendor checks them once the document is built).
pub fn check_part<S: DeserializeOwned>(
    part: &RawValue,
    check: impl FnOnce(&S) -> Result<(), Problem>,
) -> Result<(), Problem> {
    let not_a_part = || Problem::at("", "must be an object with settings and state");
    let members: BTreeMap<String, &RawValue> = serde_json::from_str(part.get()).map_err(|_| not_a_part())?;
    if let Some(unknown) = members.keys().find(|k| *k != "settings" && *k != "state") {
        return Err(Problem::at(unknown.as_str(), "unknown member (a vendor part has settings and state)"));
    }
    let member = |name: &str| members.get(name).copied().ok_or_else(|| Problem::at(name, "missing"));
    // Settings are a few switches (and Joinup's hooks): they are checked by each vendor's rules
    // on the built value, so their size is bounded here, before anything is built.
    if member("settings")?.get().len() > SETTINGS_LIMIT {
        return Err(Problem::at(
            "settings",
            format!("larger than {SETTINGS_LIMIT} bytes (a vendor's settings are a few switches)"),
        ));
    }
    let state: S = read_text(member("state")?, "state")?;
    check(&state).map_err(|p| p.under("state"))
}

/// Puts a restored state in place (under the store's write lock: a request sees old or new).
pub type Swap<'a> = Box<dyn FnOnce() + Send + 'a>;

/// A vendor's part of a snapshot, `{"settings": ..., "state": ...}`.
pub struct Part<'a> {
    /// What `GET /__admin/vendors/{id}/settings` shows.
    pub settings: &'a Value,
    /// The records.
    pub state: &'a Value,
}

impl<'a> Part<'a> {
    /// The two members of `part`, or the problem (paths relative to the part).
    pub fn of(part: &'a Value) -> Result<Self, Problem> {
        let Value::Object(map) = part else { return Err(Problem::at("", "must be an object with settings and state")) };
        if let Some(unknown) = map.keys().find(|k| *k != "settings" && *k != "state") {
            return Err(Problem::at(unknown.as_str(), "unknown member (a vendor part has settings and state)"));
        }
        let member = |name: &str| map.get(name).ok_or_else(|| Problem::at(name, "missing"));
        Ok(Self { settings: member("settings")?, state: member("state")? })
    }
}

/// A vendor part read: its records as `S` (checked by `check`, paths under `state`) and its
/// settings value, for the vendor to check with its own rules.
pub fn read_part<S: DeserializeOwned>(
    part: &Value,
    check: impl FnOnce(&S) -> Result<(), Problem>,
) -> Result<(S, &Value), Problem> {
    let part = Part::of(part)?;
    let state: S = read(part.state, "state")?;
    check(&state).map_err(|p| p.under("state"))?;
    Ok((state, part.settings))
}

/// `Err` at `path` unless `found`: a reference that names nothing (a dangling id).
pub fn refers(found: bool, path: impl FnOnce() -> String, what: impl FnOnce() -> String) -> Result<(), Problem> {
    if found { Ok(()) } else { Err(Problem::at(path(), what())) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Record {
        shown: u8,
        #[serde(default, skip_serializing_if = "on_the_wire")]
        kept: u8,
    }

    #[test]
    fn export_lifts_wire_skips_only_while_exporting() {
        let record = Record { shown: 1, kept: 2 };
        assert_eq!(serde_json::to_value(&record).unwrap(), serde_json::json!({"shown": 1}));
        assert_eq!(export(&record), serde_json::json!({"shown": 1, "kept": 2}));
        assert_eq!(serde_json::to_value(&record).unwrap(), serde_json::json!({"shown": 1}));
    }

    #[test]
    fn read_names_the_path_of_the_problem() {
        let doc = serde_json::json!([{"shown": 1}, {"shown": "x"}]);
        let problem = read::<Vec<Record>>(&doc, "vendors.v.state.records").err().unwrap();
        assert_eq!(problem.path, "vendors.v.state.records[1].shown");
    }
}
