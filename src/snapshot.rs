//! A sandbox's whole state as one versioned JSON document (`GET`/`PUT /__admin/snapshot`,
//! `--snapshot FILE`, `POST /__admin/sandboxes` with `snapshot`):
//!
//! ```json
//! {"format": "hr-sandbox-snapshot", "version": 1, "seed": 42,
//!  "clock": {"now": "2026-01-01T00:00:00Z", "frozen": true},
//!  "vendors": {"joinup": {"settings": {...}, "state": {...}}, ...},
//!  "scenarios": [{"name", "source", "activation_order", "activated_at", "rules"}],
//!  "journal": [...]}
//! ```
//!
//! Reading one back checks all of it (header, every vendor's records and references, every
//! scenario's source) before anything changes; the first problem is named by its JSON path.

use crate::common::clock::{self, ClockChange};
use crate::common::snapshot::{self as records, Problem};
use crate::sandbox::{Sandbox, SandboxSetup, Start};
use crate::scenario::{self, Scenario, loader};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::sync::Arc;

/// The `format` every document carries.
pub const FORMAT: &str = "hr-sandbox-snapshot";
/// The document version this build reads and writes.
pub const VERSION: u64 = 1;

/// The document of `sandbox` now; its journal too when `journal` is set.
pub fn export(sandbox: &Sandbox, journal: bool) -> Value {
    let vendors: Map<String, Value> = sandbox.stores().map(|(id, store)| (id.to_owned(), store.export())).collect();
    let mut document = json!({
        "format": FORMAT,
        "version": VERSION,
        "seed": sandbox.seed(),
        "clock": {"now": sandbox.clock.now(), "frozen": sandbox.clock.is_frozen()},
        "vendors": vendors,
        "scenarios": sandbox.scenarios.export(),
    });
    if journal {
        let (entries, evicted) = sandbox.journal.all();
        document["journal"] = json!(entries);
        document["journal_evicted"] = json!(evicted);
    }
    document
}

/// Puts `document` in place of the sandbox's state: every part is read and checked first, so a
/// bad document changes nothing. Each vendor's state is swapped under its own lock (a request
/// sees the old state or the new one). The journal is left as it is: it records traffic, not
/// state (a `journal` in the document is accepted and not replayed).
pub fn restore(sandbox: &Sandbox, document: &Value) -> Result<(), Problem> {
    let header = Header::read(document)?;
    let scenarios = compile_scenarios(&header.scenarios, &sandbox.known_vendors())?;
    let vendors = document.get("vendors").and_then(Value::as_object).cloned().unwrap_or_default();
    sandbox.restore_stores(header.seed, &vendors)?;
    // Checked by `Header::read`: the clock is within range.
    let _ = sandbox.clock.apply(ClockChange {
        frozen: Some(header.clock.frozen),
        set: Some(header.clock.now),
        advance: None,
    });
    sandbox.scenarios.restore(scenarios, header.seed);
    sandbox.rate_limits.clear();
    Ok(())
}

/// A sandbox called `name` whose start state is `document`: a reset goes back to it (with
/// `vendors`, to those vendors' parts). The document's first problem, if it has one.
pub fn sandbox_from(name: &str, document: Value, setup: &SandboxSetup) -> Result<Sandbox, Problem> {
    let seed = document.get("seed").and_then(Value::as_u64).unwrap_or_default();
    let sandbox = Sandbox::new(name, seed, setup);
    restore(&sandbox, &document)?;
    Ok(sandbox.with_start(start(Arc::new(document))))
}

/// Back to `document`: the whole of it, or the listed vendors' parts (a vendor it leaves out
/// back to its seed). It was checked when the sandbox was made from it.
fn start(document: Arc<Value>) -> Start {
    Arc::new(move |sandbox: &Sandbox, vendors: Option<&[String]>| {
        let Some(list) = vendors else { return restore(sandbox, &document) };
        let seed = document.get("seed").and_then(Value::as_u64).unwrap_or_else(|| sandbox.seed());
        let parts = document.get("vendors").and_then(Value::as_object).cloned().unwrap_or_default();
        for (id, store) in sandbox.stores().filter(|(id, _)| list.iter().any(|v| v == id)) {
            match parts.get(id) {
                Some(part) => store.restore(part, seed).map_err(|p| p.under(&format!("vendors.{id}")))?(),
                None => store.reset(seed),
            }
        }
        Ok(())
    })
}

/// `clock` of a document.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedClock {
    now: DateTime<Utc>,
    frozen: bool,
}

/// A document's members besides the vendors' states, read and checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    #[allow(dead_code)] // Checked first, by hand, for a clear message.
    format: String,
    #[allow(dead_code)]
    version: u64,
    seed: u64,
    clock: SavedClock,
    #[allow(dead_code)] // Read by each vendor.
    vendors: Map<String, Value>,
    #[serde(default)]
    scenarios: Vec<scenario::Saved>,
    #[serde(default, rename = "journal")]
    _journal: Option<Value>,
    #[serde(default, rename = "journal_evicted")]
    _journal_evicted: Option<Value>,
}

impl Header {
    fn read(document: &Value) -> Result<Self, Problem> {
        let Value::Object(map) = document else {
            return Err(Problem::at("", format!("a snapshot is a JSON object with \"format\": \"{FORMAT}\"")));
        };
        if map.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(Problem::at("format", format!("must be \"{FORMAT}\"")));
        }
        match map.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(other) => {
                return Err(Problem::at(
                    "version",
                    format!("version {other} is not supported: this hr-sandbox reads and writes version {VERSION}"),
                ));
            }
            None => return Err(Problem::at("version", format!("must be the number {VERSION}"))),
        }
        let header: Self = records::read(document, "")?;
        if !clock::in_range(header.clock.now) {
            return Err(Problem::at("clock.now", clock::ClockError.to_string()));
        }
        Ok(header)
    }
}

/// Each saved scenario compiled from its source and checked against its counters; names unique,
/// activation places unique, at most [`scenario::MAX_LOADED`].
fn compile_scenarios(
    saved: &[scenario::Saved],
    vendors: &[loader::KnownVendor],
) -> Result<Vec<(Arc<Scenario>, scenario::Saved)>, Problem> {
    if saved.len() > scenario::MAX_LOADED {
        return Err(Problem::at("scenarios", format!("at most {} scenarios are loaded at once", scenario::MAX_LOADED)));
    }
    let (mut names, mut places) = (HashSet::new(), HashSet::new());
    saved
        .iter()
        .enumerate()
        .map(|(i, saved)| {
            let at = |field: &str| format!("scenarios[{i}].{field}");
            let compiled =
                loader::compile_text(&saved.source, &at("source"), &saved.name, vendors).map_err(|e| match e.rule {
                    Some(rule) => Problem::at(at("source"), format!("rule {rule}: {}", e.reason)),
                    None => Problem::at(at("source"), e.reason),
                })?;
            scenario::restorable(&compiled, saved).map_err(|(field, message)| Problem::at(at(field), message))?;
            if !names.insert(saved.name.as_str()) {
                return Err(Problem::at(at("name"), format!("'{}' is loaded twice", saved.name)));
            }
            if let Some(place) = saved.activation_order
                && !places.insert(place)
            {
                return Err(Problem::at(at("activation_order"), format!("place {place} is taken")));
            }
            Ok((Arc::new(compiled), saved.clone()))
        })
        .collect()
}
