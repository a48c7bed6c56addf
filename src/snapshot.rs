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
use crate::common::problem::Problem;
use crate::common::snapshot as records;
use crate::sandbox::{Sandbox, SandboxSetup, Start};
use crate::scenario::{self, Scenario, loader};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
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
    // Only once started: a sandbox that never used its workforce keeps its document's bytes.
    if let Some(workforce) = workforce_part(sandbox) {
        document["workforce"] = workforce;
    }
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
    let none = Map::new();
    let vendors = document.get("vendors").and_then(Value::as_object).unwrap_or(&none);
    let workforce = document.get("workforce").map(read_workforce).transpose()?;
    sandbox.restore_stores(header.seed, vendors)?;
    {
        let mut state = sandbox.workforce.lock();
        *state = workforce.unwrap_or_default();
        sandbox.workforce.note(&state);
    }
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
    let document = Arc::new(document);
    Ok(sandbox.with_start(start(Arc::clone(&document)), document))
}

/// A sandbox called `name` whose start state is `source`'s state now (a fork, made from
/// memory): every vendor's data and settings, the clock, the scenarios with their counters and
/// the seed; a reset goes back to it. Each vendor is exported under its own store lock, so a
/// write to `source` during the fork lands wholly before or after the copy of that vendor (not
/// across vendors: the copy is not one instant of the whole sandbox). The journal is traffic,
/// not state: the fork's starts empty, and so do its rate-limit buckets.
pub fn fork(name: &str, source: &Sandbox, setup: &SandboxSetup) -> Result<Sandbox, Problem> {
    sandbox_from(name, export(source, false), setup)
}

/// Back to `document`: the whole of it, or the listed vendors' parts (a vendor it leaves out
/// back to its seed). It was checked when the sandbox was made from it.
fn start(document: Arc<Value>) -> Start {
    Arc::new(move |sandbox: &Sandbox, vendors: Option<&[String]>| {
        let Some(list) = vendors else { return restore(sandbox, &document) };
        let seed = document.get("seed").and_then(Value::as_u64).unwrap_or_else(|| sandbox.seed());
        let none = Map::new();
        let parts = document.get("vendors").and_then(Value::as_object).unwrap_or(&none);
        for (id, store) in sandbox.stores().filter(|(id, _)| list.iter().any(|v| v == id)) {
            match parts.get(id) {
                Some(part) => store.restore(part, seed).map_err(|p| p.under(&format!("vendors.{id}")))?(),
                None => store.reset(seed),
            }
        }
        Ok(())
    })
}

/// The workforce's part of a document, once it started.
pub fn workforce_part(sandbox: &Sandbox) -> Option<Value> {
    let state = sandbox.workforce.peek();
    state.started().then(|| serde_json::to_value(&*state).unwrap_or_default())
}

/// A document's `workforce`, read and checked (references, no manager cycle, bounds).
fn read_workforce(part: &Value) -> Result<crate::workforce::State, Problem> {
    let mut state: crate::workforce::State = records::read(part, "workforce")?;
    state.check_restored().map_err(|message| Problem::at("workforce", message))?;
    Ok(state)
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
    #[allow(dead_code)] // Read by each vendor (not copied here: an object is checked).
    vendors: AnObject,
    #[serde(default)]
    scenarios: Vec<scenario::Saved>,
    #[serde(default, rename = "workforce")]
    _workforce: Option<IgnoredAny>,
    #[serde(default, rename = "journal")]
    _journal: Option<IgnoredAny>,
    #[serde(default, rename = "journal_evicted")]
    _journal_evicted: Option<IgnoredAny>,
}

/// The problem of a document that is not an object.
fn not_an_object() -> Problem {
    Problem::at("", format!("a snapshot is a JSON object with \"format\": \"{FORMAT}\""))
}

/// `format` and `version` as found (`None` when absent or of another type), checked first.
fn check_format(format: Option<&str>, version: Option<u64>) -> Result<(), Problem> {
    if format != Some(FORMAT) {
        return Err(Problem::at("format", format!("must be \"{FORMAT}\"")));
    }
    match version {
        Some(VERSION) => Ok(()),
        Some(other) => Err(Problem::at(
            "version",
            format!("version {other} is not supported: this hr-sandbox reads and writes version {VERSION}"),
        )),
        None => Err(Problem::at("version", format!("must be the number {VERSION}"))),
    }
}

/// A document's members as JSON text, borrowed from it (nothing is built).
#[derive(Deserialize)]
struct Members<'a> {
    #[serde(borrow)]
    format: Option<&'a RawValue>,
    #[serde(borrow)]
    version: Option<&'a RawValue>,
    #[serde(borrow)]
    vendors: Option<Parts<'a>>,
}

/// Most distinct vendor ids kept while a document's `vendors` is read: more than are served,
/// so an unknown one is among them; the rest is skipped, not kept.
const MAX_PARTS: usize = 64;

/// A document's vendor parts as JSON text, in document order (a repeated id: its last part,
/// in its first place, as the built document has it).
#[derive(Default)]
struct Parts<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Parts<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Parts<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Parts<'a>, M::Error> {
                let mut parts: Vec<(String, &'a RawValue)> = Vec::new();
                while let Some(id) = map.next_key::<String>()? {
                    if let Some(kept) = parts.iter_mut().find(|(kept, _)| *kept == id) {
                        kept.1 = map.next_value()?;
                    } else if parts.len() < MAX_PARTS {
                        parts.push((id, map.next_value()?));
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Parts(parts))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// Any JSON object, its members skipped (a document's `vendors`, read by each vendor).
struct AnObject;

impl<'de> Deserialize<'de> for AnObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = AnObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<AnObject, M::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnObject)
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// The document `text` checked as far as it can be before a `Value` of it is built: header,
/// each vendor's records (typed, so a hostile part is refused at its first wrong element and
/// costs about nothing), references. What [`restore`] checks besides (the clock's range, the
/// scenarios' sources, the vendors' settings) it checks on the built document.
pub fn check_text(sandbox: &Sandbox, text: &str) -> Result<(), Problem> {
    let whole: &RawValue = serde_json::from_str(text).map_err(|_| not_an_object())?;
    let members: Members = serde_json::from_str(text).map_err(|_| not_an_object())?;
    let format = members.format.and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
    let version = members.version.and_then(|raw| serde_json::from_str::<u64>(raw.get()).ok());
    check_format(format.as_deref(), version)?;
    let _: TextHeader = records::read_text(whole, "")?;
    let parts = members.vendors.unwrap_or_default().0;
    if let Some((unknown, _)) = parts.iter().find(|(id, _)| !sandbox.vendor_ids().any(|v| v == id.as_str())) {
        let served: Vec<&str> = sandbox.vendor_ids().collect();
        return Err(Problem::at(
            format!("vendors.{unknown}"),
            format!("no such vendor (served: {})", served.join(", ")),
        ));
    }
    for (id, store) in sandbox.stores() {
        if let Some((_, part)) = parts.iter().find(|(kept, _)| kept == id) {
            store.check_part(part).map_err(|p| p.under(&format!("vendors.{id}")))?;
        }
    }
    Ok(())
}

/// [`Header`] as read from text: the same members and types, nothing kept.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read to check it.
struct TextHeader {
    format: IgnoredAny,
    version: IgnoredAny,
    seed: u64,
    clock: SavedClock,
    vendors: AnObject,
    #[serde(default)]
    scenarios: Vec<scenario::Saved>,
    #[serde(default)]
    workforce: Option<IgnoredAny>,
    #[serde(default)]
    journal: Option<IgnoredAny>,
    #[serde(default)]
    journal_evicted: Option<IgnoredAny>,
}

impl Header {
    fn read(document: &Value) -> Result<Self, Problem> {
        let Value::Object(map) = document else { return Err(not_an_object()) };
        check_format(map.get("format").and_then(Value::as_str), map.get("version").and_then(Value::as_u64))?;
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
