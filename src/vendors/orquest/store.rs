//! Orquest's state in one sandbox, behind one lock: businesses with their configuration and
//! data, API keys, form-login sessions.

use super::model::{Business, Employee};
use super::seed;
use super::settings::Settings;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::expiring;
use crate::common::rng::{SandboxRng, hex_string, rng_for};
use crate::common::seeded::{Seeded, SeededState};
use crate::common::vendor_settings;
use crate::outbound::ThisServer;
use crate::vendor::{ActionOutcome, AdminActions, Snapshot, VendorState};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// How long a form-login session lasts.
// Divergence: Spring's session times out after 30 minutes *idle*; the sandbox counts 30 minutes
// from login, so reads need no write lock.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::minutes(30);

/// A form-login session.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Session {
    /// Business index.
    pub business: usize,
    /// Integration user index in the business.
    pub user: usize,
    /// Sandbox time it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Everything Orquest holds for one sandbox. It serializes whole for snapshots (the switches
/// aside: a snapshot carries them beside the state).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Businesses, in fixture order.
    pub businesses: Vec<Business>,
    /// API key -> (business, integration user).
    pub keys: BTreeMap<String, (usize, usize)>,
    /// `JSESSIONID` -> the session.
    pub sessions: BTreeMap<String, Session>,
    /// Form-login passwords by identity.
    pub passwords: BTreeMap<String, String>,
    /// The switches; `seed_employees` decided what was seeded.
    #[serde(skip)]
    pub settings: Settings,
    session_ids: SandboxRng,
}

impl State {
    /// `POST /login`: a new session for an integration user's username and password, valid for
    /// [`SESSION_LIFETIME`] of sandbox time.
    pub fn login(&mut self, username: &str, password: &str, now: DateTime<Utc>) -> Option<String> {
        let found = self.businesses.iter().enumerate().find_map(|(b, business)| {
            business.integration_users.iter().enumerate().find_map(|(u, user)| {
                let matches =
                    user.username == username && self.passwords.get(&user.identity).is_some_and(|p| p == password);
                matches.then_some((b, u))
            })
        })?;
        let session = hex_string(&mut self.session_ids, 32).to_uppercase();
        expiring::make_room(&mut self.sessions, now, |s| s.expires_at);
        let (business, user) = found;
        self.sessions.insert(session.clone(), Session { business, user, expires_at: now + SESSION_LIFETIME });
        Some(session)
    }

    fn key_of(&self, business: usize, user: usize) -> Option<&str> {
        self.keys.iter().find(|(_, owner)| **owner == (business, user)).map(|(key, _)| key.as_str())
    }
}

/// The store registered in each sandbox.
pub type OrquestStore = SeededState<State>;

impl Seeded for State {
    type Config = Settings;

    fn from_seed(seed: u64, settings: &Settings) -> Self {
        let seeded = seed::seed(seed, settings.seed_employees);
        Self {
            businesses: seeded.businesses,
            keys: seeded.keys,
            sessions: BTreeMap::new(),
            passwords: seeded.passwords,
            settings: settings.clone(),
            session_ids: rng_for(seed, "orquest/sessions"),
        }
    }

    fn config(&self) -> Settings {
        self.settings.clone()
    }

    /// A new count seeds again; the status switch applies to the data as it is.
    fn reseeds(&self, next: &Settings) -> bool {
        next.seed_employees != self.settings.seed_employees
    }

    fn apply_config(&mut self, next: Settings) {
        self.settings = next;
    }
}

impl VendorState for State {
    const SNAPSHOT: Snapshot<Self> = Snapshot {
        export: Self::snapshot,
        export_bytes: Self::snapshot_bytes,
        check: Self::check,
        restore: Self::restore,
    };

    fn apply_workforce(
        &mut self,
        projection: &crate::workforce::Projection,
    ) -> Option<crate::workforce::model::VendorRecord> {
        self.project(projection)
    }

    fn workforce_roster(&self) -> Vec<crate::workforce::Rostered> {
        self.roster()
    }

    fn counts(&self) -> Value {
        let sum = |f: fn(&Business) -> usize| self.businesses.iter().map(f).sum::<usize>();
        json!({
            "businesses": self.businesses.len(),
            "employees": sum(|b| b.employees.len()),
            "users": sum(|b| b.users.len()),
            "service_associations": sum(|b| b.employees.values().map(|e| e.service_associations.len()).sum()),
            "contracts": sum(|b| b.employees.values().map(|e: &Employee| e.contracts.len()).sum()),
        })
    }

    fn view(&self) -> Value {
        json!({"businesses": self.businesses, "sessions": self.sessions.len()})
    }

    fn credentials(&self) -> Value {
        let mut identities = Map::new();
        for (b, business) in self.businesses.iter().enumerate() {
            for (u, user) in business.integration_users.iter().enumerate() {
                let Some(key) = self.key_of(b, u) else { continue };
                identities.insert(
                    user.identity.clone(),
                    json!({
                        "authorization": format!("Bearer {key}"),
                        "api_key": key,
                        "business_id": business.id,
                        "node": user.node,
                        "username": user.username,
                        "password": self.passwords.get(&user.identity),
                    }),
                );
            }
        }
        Value::Object(identities)
    }

    fn settings_view(&self) -> Value {
        json!(self.settings)
    }

    fn update_settings(store: &OrquestStore, patch: &Value, _: &ThisServer) -> Result<Value, ApiError> {
        let state = store.reconfigure(|state| vendor_settings::patched(&state.settings, patch, &()))?;
        Ok(json!(state.settings))
    }
}

impl AdminActions for State {
    fn admin_action(_: &OrquestStore, action: &str, _: &Value, _: DateTime<Utc>) -> Result<ActionOutcome, ApiError> {
        Err(ApiError::with_message(ErrorKind::NotFound, format!("orquest has no admin action '{action}'")))
    }
}
