//! One sandbox as the state directory keeps it (an [`Image`]: a snapshot document, and the
//! document its resets go back to), the records that change it, and the generations that say
//! which of its parts changed since they were last kept.

use super::{delta, log};
use crate::common::problem::Problem;
use crate::sandbox::{Sandbox, SandboxSetup};
use crate::snapshot;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A sandbox as kept: its state as a snapshot document, and its origin.
#[derive(Clone)]
pub struct Image {
    /// The snapshot document its resets go back to, when it was made from one.
    pub origin: Option<Arc<Value>>,
    /// Its state: a snapshot document (`vendors` holds only the vendors used).
    pub state: Map<String, Value>,
    /// Real time when `state.clock` was read: a running clock moves on from there.
    pub wall: DateTime<Utc>,
    /// Where in its history this state is (what rewind looks for).
    pub mark: Mark,
}

/// A state's place in a sandbox's history: the server run, the journal's number it is just
/// after, and its sandbox time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// The server process that kept it (journal numbers restart with each).
    pub run: u64,
    /// How many times its journal had been emptied in that process (numbers restart then too).
    pub epoch: u64,
    /// The journal's number (since the journal was last emptied) the state is just after.
    pub seq: u64,
    /// Sandbox time.
    pub at: Option<DateTime<Utc>>,
}

impl Mark {
    /// The mark a record or snapshot entry carries.
    pub fn read(value: &Value) -> Self {
        Self {
            run: value["run"].as_u64().unwrap_or_default(),
            epoch: value["epoch"].as_u64().unwrap_or_default(),
            seq: value["seq"].as_u64().unwrap_or_default(),
            at: value.get("at").and_then(|at| serde_json::from_value(at.clone()).ok()),
        }
    }

    /// The journal numbering its `seq` belongs to: the process and the epoch in it.
    pub fn numbering(&self) -> (u64, u64) {
        (self.run, self.epoch)
    }
}

/// How many times each kept part of a sandbox changed: a part whose number moved is kept again.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Generations {
    seed: u64,
    clock: u64,
    scenarios: u64,
    workforce: u64,
    stores: Vec<(&'static str, u64)>,
}

impl Generations {
    /// The sandbox's now (read before its parts are exported: a change after this is kept again).
    pub fn of(sandbox: &Sandbox) -> Self {
        Self {
            seed: sandbox.origin().1,
            clock: sandbox.clock.generation(),
            scenarios: sandbox.scenarios.generation(),
            workforce: sandbox.workforce.generation(),
            stores: sandbox.built_stores().map(|(id, store)| (id, store.generation())).collect(),
        }
    }

    fn store(&self, id: &str) -> u64 {
        self.stores.iter().find(|(kept, _)| *kept == id).map_or(0, |(_, generation)| *generation)
    }
}

/// The record (its payload) of what changed in `sandbox` since `kept` (`None`: it is new, so
/// everything), or `None` when nothing did. `position` is the journal's (epoch, number) the
/// state is just after. `parts` holds the JSON text of each vendor part as the log last kept it
/// (in this log): a changed part is written as its [`delta`] from that text, and the new text
/// takes its place.
pub fn record(
    sandbox: &Sandbox,
    kept: Option<&Generations>,
    now: &Generations,
    position: (u64, u64),
    run: u64,
    parts: &mut HashMap<&'static str, (Vec<u8>, delta::Shape)>,
) -> Option<Vec<u8>> {
    let mut record = Map::new();
    if kept.is_none() {
        record.insert("create".into(), json!({"origin": sandbox.origin().0.map(|doc| &**doc)}));
    }
    let old = kept.cloned().unwrap_or_default();
    if kept.is_none() || old.seed != now.seed {
        record.insert("seed".into(), json!(sandbox.seed()));
    }
    if kept.is_none() || old.clock != now.clock {
        record.insert("clock".into(), json!({"now": sandbox.clock.now(), "frozen": sandbox.clock.is_frozen()}));
    }
    if kept.is_none() || old.scenarios != now.scenarios {
        record.insert("scenarios".into(), json!(sandbox.scenarios.export()));
    }
    // A sandbox whose workforce never started records nothing of it (the log stays as it was).
    let workforce = snapshot::workforce_part(sandbox);
    if (kept.is_some() && old.workforce != now.workforce) || (kept.is_none() && workforce.is_some()) {
        record.insert("workforce".into(), workforce.unwrap_or(Value::Null));
    }
    let texts: Vec<(&'static str, Vec<u8>)> = sandbox
        .built_stores()
        .filter(|(id, _)| kept.is_none() || old.store(id) != now.store(id))
        .map(|(id, store)| (id, store.export_bytes()))
        .collect();
    let mut deltas = Vec::new();
    let mut shapes = Vec::new();
    for (id, text) in &texts {
        // serde_json writes UTF-8; a text that were not would be kept whole next time.
        let Ok(new) = std::str::from_utf8(text) else { continue };
        let mut before = parts.remove(id);
        let old =
            before.as_mut().and_then(|(bytes, shape)| Some((std::str::from_utf8(bytes).ok()?, std::mem::take(shape))));
        let (delta, shape) = delta::diff(old, new, delta::DEPTH);
        shapes.push(shape);
        deltas.extend(delta.map(|delta| (*id, delta)));
    }
    let body = (!record.is_empty() || !deltas.is_empty()).then(|| {
        record.insert("run".into(), json!(run));
        record.insert("epoch".into(), json!(position.0));
        record.insert("seq".into(), json!(position.1));
        record.insert("at".into(), json!(sandbox.clock.now()));
        record.insert("wall".into(), json!(Utc::now()));
        let mut body = serde_json::to_vec(&record).unwrap_or_default();
        if !deltas.is_empty() {
            body.pop();
            body.extend_from_slice(b",\"delta\":{");
            for (i, (id, delta)) in deltas.iter().enumerate() {
                if i > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(format!("\"{id}\":").as_bytes());
                delta.write(&mut body);
            }
            body.extend_from_slice(b"}}");
        }
        log::payload(sandbox.name(), &body)
    });
    drop(deltas);
    // The texts (and where their members are) are what the log holds of each part now.
    for ((id, text), shape) in texts.into_iter().zip(shapes) {
        parts.insert(id, (text, shape));
    }
    body
}

/// The record that deletes sandbox `name`.
pub fn deletion(name: &str, run: u64) -> Vec<u8> {
    let body = json!({"delete": true, "run": run, "wall": Utc::now()});
    log::payload(name, &serde_json::to_vec(&body).unwrap_or_default())
}

/// `sandbox` whole, as a compaction keeps it.
pub fn export(sandbox: &Sandbox, run: u64) -> Image {
    let vendors: Map<String, Value> =
        sandbox.built_stores().map(|(id, store)| (id.to_owned(), store.export())).collect();
    let state = json!({
        "format": snapshot::FORMAT,
        "version": snapshot::VERSION,
        "seed": sandbox.seed(),
        "clock": {"now": sandbox.clock.now(), "frozen": sandbox.clock.is_frozen()},
        "vendors": vendors,
        "scenarios": sandbox.scenarios.export(),
    });
    let Value::Object(mut state) = state else { unreachable!("json! of an object") };
    if let Some(workforce) = snapshot::workforce_part(sandbox) {
        state.insert("workforce".into(), workforce);
    }
    let (epoch, seq) = sandbox.journal.position();
    let mark = Mark { run, epoch, seq, at: Some(sandbox.clock.now()) };
    Image { origin: sandbox.origin().0.cloned(), state, wall: Utc::now(), mark }
}

/// Applies one log record to the images; `Err` says why it cannot be (a damaged log). Taken
/// by value: what it holds is moved into the image, not copied.
pub fn apply(images: &mut BTreeMap<String, Image>, mut record: Value) -> Result<(), String> {
    let name = record["sandbox"].as_str().ok_or("a record names no sandbox")?.to_owned();
    let name = name.as_str();
    let wall = record.get("wall").and_then(|w| serde_json::from_value(w.clone()).ok()).unwrap_or_else(Utc::now);
    if record["delete"] == true {
        images.remove(name);
        return Ok(());
    }
    if let Some(create) = record.get("create") {
        let origin = create.get("origin").filter(|o| !o.is_null()).map(|o| Arc::new(o.clone()));
        let state = json!({"format": snapshot::FORMAT, "version": snapshot::VERSION, "vendors": {}});
        let Value::Object(state) = state else { unreachable!("json! of an object") };
        images.insert(name.to_owned(), Image { origin, state, wall, mark: Mark::default() });
    }
    let image = images.get_mut(name).ok_or_else(|| format!("a record changes sandbox '{name}', never created"))?;
    image.mark = Mark::read(&record);
    for key in ["seed", "clock", "scenarios"] {
        if let Some(value) = record.get(key) {
            image.state.insert(key.to_owned(), value.clone());
        }
    }
    match record.get("workforce") {
        Some(Value::Null) => drop(image.state.remove("workforce")),
        Some(workforce) => drop(image.state.insert("workforce".into(), workforce.clone())),
        None => {}
    }
    if record.get("clock").is_some() {
        image.wall = wall;
    }
    let vendors = image.state.entry("vendors").or_insert_with(|| json!({}));
    // Written by log version 1: each changed part whole.
    if let Some(Value::Object(parts)) = record.get("vendors") {
        for (id, part) in parts {
            vendors[id] = part.clone();
        }
    }
    if let Some(Value::Object(deltas)) = record.get_mut("delta").map(Value::take) {
        let vendors = vendors.as_object_mut().ok_or("a state whose vendors are not an object")?;
        for (id, change) in deltas {
            let part = vendors.entry(id.clone()).or_insert(Value::Null);
            // A part never kept before takes only a whole value (`apply` refuses the rest).
            delta::apply(part, change).map_err(|why| format!("vendor {id}: {why}"))?;
        }
    }
    Ok(())
}

impl Image {
    /// The state document to restore now: a running clock moved on by the real time since it
    /// was kept (so a sandbox on real time stays on real time), a frozen one as it was.
    pub fn document(&self) -> Value {
        self.clone().into_document()
    }

    /// [`Image::document`], taking the image (a 100,000-record state is not copied).
    pub fn into_document(self) -> Value {
        let wall = self.wall;
        let mut state = self.state;
        if let Some(clock) = state.get_mut("clock")
            && clock["frozen"] == false
            && let Some(now) = clock.get("now").and_then(|n| serde_json::from_value::<DateTime<Utc>>(n.clone()).ok())
        {
            let moved = now.checked_add_signed(Utc::now().signed_duration_since(wall)).unwrap_or(now);
            clock["now"] = json!(moved.clamp(crate::common::clock::EARLIEST, crate::common::clock::LATEST));
        }
        Value::Object(state)
    }

    /// A sandbox called `name` in this state (its resets go back to its origin, or its seed).
    pub fn build(self, name: &str, setup: &SandboxSetup) -> Result<Sandbox, Problem> {
        let origin = self.origin.clone();
        let document = self.into_document();
        let sandbox = match &origin {
            Some(origin) => snapshot::sandbox_from(name, (**origin).clone(), setup)?,
            None => Sandbox::new(name, document["seed"].as_u64().unwrap_or_default(), setup),
        };
        snapshot::restore(&sandbox, &document)?;
        Ok(sandbox)
    }
}
