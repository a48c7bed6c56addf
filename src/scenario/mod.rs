//! The scenario engine: declarative fault injection per sandbox. Scenarios are consulted in
//! activation order, rules in file order; the first rule that fires decides. Counters, the
//! active set and the probability RNG belong to the sandbox, so reset restores them.

mod compiled;
mod delay;
pub mod fault;
pub mod files;
pub mod loader;
pub mod matcher;
pub mod model;
pub mod schema;

use crate::common::clock::Clock;
use crate::common::error::ErrorKind;
use crate::common::ids;
use crate::common::rng::{SandboxRng, rng_for};
use actix_web::http::header::RETRY_AFTER;
use chrono::{DateTime, Utc};
pub use compiled::{Action, Fire, ItemError, Rule, Scenario};
pub use delay::Delay;
pub use fault::Fault;
use matcher::RequestFacts;
use parking_lot::Mutex;
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// What the engine decided for one request.
pub struct Decision {
    /// `<scenario>#<rule index>`, for the header, the journal and the log.
    pub label: String,
    /// Wait this long first.
    pub delay: Option<Duration>,
    /// Then this.
    pub action: Action,
}

#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Counters {
    matched: u64,
    fired: u64,
}

struct Loaded {
    scenario: Arc<Scenario>,
    counters: Vec<Counters>,
    activated_at: Option<DateTime<Utc>>,
}

struct State {
    loaded: Vec<Loaded>,
    /// Indexes into `loaded`, in activation order.
    active: Vec<usize>,
    rng: SandboxRng,
}

/// A loaded scenario as a snapshot keeps it: its text, whether and since when it is active, its
/// place in the activation order and its per-rule counters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    /// Its name.
    pub name: String,
    /// The YAML or JSON it was loaded from.
    pub source: String,
    /// Its place among the active scenarios (0 decides first), `null` when inactive.
    pub activation_order: Option<usize>,
    /// Sandbox time it was activated (rule windows count from it).
    pub activated_at: Option<DateTime<Utc>>,
    /// Per rule, in file order.
    rules: Vec<Counters>,
}

/// Scenarios one sandbox may hold loaded at once.
pub const MAX_LOADED: usize = 64;

/// A sandbox already holds [`MAX_LOADED`] scenarios.
#[derive(Debug, PartialEq, Eq)]
pub struct TooManyScenarios;

/// Why an admin operation on scenarios was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownScenario(pub String);

/// One sandbox's scenarios.
pub struct ScenarioEngine {
    startup: Vec<Arc<Scenario>>,
    any_active: AtomicBool,
    state: Mutex<State>,
    /// Moves with every change of the loaded set, the active order or a counter (`--state-dir`).
    generation: AtomicU64,
}

impl ScenarioEngine {
    /// The engine with the startup scenarios loaded and active (activated `now`).
    pub fn new(startup: Vec<Arc<Scenario>>, seed: u64, now: DateTime<Utc>) -> Self {
        let engine = Self {
            startup,
            any_active: AtomicBool::new(false),
            state: Mutex::new(State { loaded: Vec::new(), active: Vec::new(), rng: rng_for(seed, "scenarios") }),
            generation: AtomicU64::new(0),
        };
        engine.reset(seed, now);
        engine
    }

    /// Back to the startup scenarios, all active from `now`, counters at zero, RNG reseeded.
    pub fn reset(&self, seed: u64, now: DateTime<Utc>) {
        let mut state = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        state.loaded = self.startup.iter().map(|s| fresh(Arc::clone(s), Some(now))).collect();
        state.active = (0..state.loaded.len()).collect();
        state.rng = rng_for(seed, "scenarios");
        self.any_active.store(!state.active.is_empty(), Ordering::Release);
    }

    /// Loads a scenario (replacing one of the same name, counters and all), optionally active.
    /// A new name past [`MAX_LOADED`] is refused and changes nothing.
    pub fn add(&self, scenario: Scenario, activate: bool, now: DateTime<Utc>) -> Result<(), TooManyScenarios> {
        let mut state = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        if state.loaded.len() >= MAX_LOADED && !state.loaded.iter().any(|l| l.scenario.name == scenario.name) {
            return Err(TooManyScenarios);
        }
        let loaded = fresh(Arc::new(scenario), activate.then_some(now));
        let index = match state.loaded.iter().position(|l| l.scenario.name == loaded.scenario.name) {
            Some(index) => {
                state.loaded[index] = loaded;
                state.active.retain(|i| *i != index);
                index
            }
            None => {
                state.loaded.push(loaded);
                state.loaded.len() - 1
            }
        };
        if activate {
            state.active.push(index);
        }
        self.any_active.store(!state.active.is_empty(), Ordering::Release);
        Ok(())
    }

    /// Makes exactly these scenarios active, in this order; unknown names change nothing.
    pub fn set_active(&self, names: &[String], now: DateTime<Utc>) -> Result<(), UnknownScenario> {
        let mut state = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        let indexes = names
            .iter()
            .map(|name| {
                state.loaded.iter().position(|l| &l.scenario.name == name).ok_or_else(|| UnknownScenario(name.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (index, loaded) in state.loaded.iter_mut().enumerate() {
            let was_active = loaded.activated_at.is_some();
            match (indexes.contains(&index), was_active) {
                (true, false) => loaded.activated_at = Some(now),
                (false, _) => loaded.activated_at = None,
                (true, true) => {}
            }
        }
        state.active = indexes;
        self.any_active.store(!state.active.is_empty(), Ordering::Release);
        Ok(())
    }

    /// Unloads a scenario.
    pub fn remove(&self, name: &str) -> Result<(), UnknownScenario> {
        let mut state = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        let index = state
            .loaded
            .iter()
            .position(|l| l.scenario.name == name)
            .ok_or_else(|| UnknownScenario(name.to_owned()))?;
        state.loaded.remove(index);
        state.active =
            state.active.iter().filter(|i| **i != index).map(|i| if *i > index { i - 1 } else { *i }).collect();
        self.any_active.store(!state.active.is_empty(), Ordering::Release);
        Ok(())
    }

    /// Loaded scenarios with their active flag and per-rule counters.
    pub fn describe(&self) -> Value {
        let state = self.state.lock();
        let list: Vec<Value> = state
            .loaded
            .iter()
            .enumerate()
            .map(|(index, loaded)| {
                let rules: Vec<Value> = loaded
                    .counters
                    .iter()
                    .enumerate()
                    .map(|(rule, c)| json!({"index": rule, "matched": c.matched, "fired": c.fired}))
                    .collect();
                json!({
                    "name": loaded.scenario.name,
                    "description": loaded.scenario.description,
                    "active": state.active.contains(&index),
                    "activation_order": state.active.iter().position(|i| *i == index),
                    "rules": rules,
                })
            })
            .collect();
        json!(list)
    }

    /// How many times the scenarios or their counters changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The loaded scenarios, in load order, as a snapshot keeps them.
    pub fn export(&self) -> Vec<Saved> {
        let state = self.state.lock();
        let saved = state.loaded.iter().enumerate().map(|(index, loaded)| Saved {
            name: loaded.scenario.name.clone(),
            source: loaded.scenario.source.clone(),
            activation_order: state.active.iter().position(|i| *i == index),
            activated_at: loaded.activated_at,
            rules: loaded.counters.clone(),
        });
        saved.collect()
    }

    /// Replaces the loaded scenarios with snapshot ones, already compiled from their sources
    /// and checked by [`restorable`]; the probability RNG starts again from `seed`.
    pub fn restore(&self, saved: Vec<(Arc<Scenario>, Saved)>, seed: u64) {
        let mut state = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        let mut order: Vec<(usize, usize)> = Vec::new();
        state.loaded = saved
            .into_iter()
            .enumerate()
            .map(|(index, (scenario, saved))| {
                if let Some(position) = saved.activation_order {
                    order.push((position, index));
                }
                Loaded { scenario, counters: saved.rules, activated_at: saved.activated_at }
            })
            .collect();
        order.sort_unstable();
        state.active = order.into_iter().map(|(_, index)| index).collect();
        state.rng = rng_for(seed, "scenarios");
        self.any_active.store(!state.active.is_empty(), Ordering::Release);
    }

    /// The first rule of the active scenarios that fires for this request, if any.
    ///
    /// Matching client input runs on a snapshot of the active scenarios, with no lock held;
    /// the lock is taken only to count and fire the rules that matched.
    pub fn decide(&self, facts: &RequestFacts<'_>, clock: &Clock) -> Option<Decision> {
        if !self.any_active.load(Ordering::Acquire) {
            return None;
        }
        let active: Vec<Arc<Scenario>> = {
            let state = self.state.lock();
            state.active.iter().map(|index| Arc::clone(&state.loaded[*index].scenario)).collect()
        };
        let matched: Vec<(&Arc<Scenario>, usize)> = active
            .iter()
            .flat_map(|scenario| {
                let rules = scenario.rules.iter().enumerate();
                rules.filter(|(_, rule)| rule.when.matches(facts)).map(move |(index, _)| (scenario, index))
            })
            .collect();
        if matched.is_empty() {
            return None;
        }
        // Read only when a rule matched: the clock costs a lock and a conversion per request.
        let now = clock.now();
        let mut guard = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        let State { loaded, rng, .. } = &mut *guard;
        for (scenario, rule_index) in matched {
            // A scenario replaced or unloaded since the snapshot no longer counts.
            let Some(entry) = loaded.iter_mut().find(|l| Arc::ptr_eq(&l.scenario, scenario)) else { continue };
            let Some(activated_at) = entry.activated_at else { continue };
            let rule = &scenario.rules[rule_index];
            let counters = &mut entry.counters[rule_index];
            ids::tally(&mut counters.matched);
            let Some(retry_after) = fires(&rule.fire, counters, activated_at, now, rng) else { continue };
            ids::tally(&mut counters.fired);
            let delay = rule.delay.map(|d| delay::sample(d, rng));
            return Some(Decision {
                label: format!("{}#{rule_index}", scenario.name),
                delay,
                action: with_retry_after(&rule.action, retry_after),
            });
        }
        None
    }
}

/// Whether `saved` fits the scenario compiled from its source: same name, one counter per rule
/// (each within [`ids::JSON_SAFE_INTEGER`]), activated exactly when placed. `Err` names the field.
pub fn restorable(scenario: &Scenario, saved: &Saved) -> Result<(), (&'static str, String)> {
    if scenario.name != saved.name {
        return Err(("name", format!("the source names the scenario '{}'", scenario.name)));
    }
    if saved.rules.len() != scenario.rules.len() {
        return Err(("rules", format!("needs one counter per rule ({})", scenario.rules.len())));
    }
    if let Some(rule) = saved.rules.iter().position(|c| c.matched.max(c.fired) > ids::JSON_SAFE_INTEGER) {
        return Err(("rules", format!("rule {rule}: a counter must be at most {}", ids::JSON_SAFE_INTEGER)));
    }
    if saved.activation_order.is_some() != saved.activated_at.is_some() {
        return Err(("activated_at", "is set exactly when activation_order is".to_owned()));
    }
    Ok(())
}

fn fresh(scenario: Arc<Scenario>, activated_at: Option<DateTime<Utc>>) -> Loaded {
    let counters = vec![Counters::default(); scenario.rules.len()];
    Loaded { scenario, counters, activated_at }
}

/// Whether a matched request fires the rule; `Some(seconds)` is a fitting `Retry-After`.
fn fires(
    fire: &Fire,
    c: &Counters,
    activated_at: DateTime<Utc>,
    now: DateTime<Utc>,
    rng: &mut SandboxRng,
) -> Option<u64> {
    if c.matched <= fire.after || fire.times.is_some_and(|times| c.fired >= times) {
        return None;
    }
    if fire.every.is_some_and(|every| !(c.matched - fire.after).is_multiple_of(every)) {
        return None;
    }
    let mut retry_after = 1;
    if let Some((start, duration)) = fire.window {
        let elapsed = (now - activated_at).num_milliseconds().max(0) as u64;
        let (open, close) = (start * 1000, (start + duration) * 1000);
        if elapsed < open || elapsed >= close {
            return None;
        }
        retry_after = (close - elapsed).div_ceil(1000).max(1);
    }
    // Drawn last, and only for otherwise eligible matches, so the same requests give the same draws.
    if fire.probability.is_some_and(|p| rng.random::<f64>() >= p) {
        return None;
    }
    Some(retry_after)
}

/// The rule's action for this firing: waits get a `Retry-After` unless the rule set one.
fn with_retry_after(action: &Action, retry_after: u64) -> Action {
    match action {
        Action::Error(error)
            if matches!(error.kind, ErrorKind::RateLimited | ErrorKind::Unavailable)
                && !error.headers.iter().any(|(name, _)| name == RETRY_AFTER) =>
        {
            Action::Error(error.clone().header(RETRY_AFTER, &retry_after.to_string()))
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn item_error_applies_when_every_field_matches_its_glob() {
        let hook = super::ItemError {
            matching: [("base_email".to_owned(), "*@fail.test".to_owned()), ("cif".to_owned(), "B*".to_owned())].into(),
            message: "rejected".to_owned(),
            status: None,
        };
        assert!(hook.applies_to(&serde_json::json!({"base_email": "ana@fail.test", "cif": "B12345678"})));
        assert!(!hook.applies_to(&serde_json::json!({"base_email": "ana@ok.test", "cif": "B12345678"})));
        assert!(!hook.applies_to(&serde_json::json!({"base_email": "ana@fail.test"})));
    }
}
