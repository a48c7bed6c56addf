//! ChiefOnboarding's state in one sandbox, behind one lock. Knows nothing about the wire.

use super::model::{Organization, Sequence, User};
use super::seed;
use super::settings::Settings;
use super::views::{EmployeeView, SequenceView};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::ids;
use crate::common::rng::{SandboxRng, hex_string, rng_for};
use crate::common::seeded::{Seeded, SeededState};
use crate::common::vendor_settings;
use crate::outbound::ThisServer;
use crate::vendor::{ActionOutcome, AdminActions, Snapshot, VendorState};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Everything ChiefOnboarding holds for one sandbox. It serializes whole for snapshots (the
/// switches and kept bodies aside: see `snapshot.rs`).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The switches (a snapshot carries them beside the state).
    #[serde(skip)]
    pub settings: Settings,
    /// The organization singleton.
    pub organization: Organization,
    /// Users by id (the API lists them in id order).
    pub users: BTreeMap<u64, User>,
    /// Sequences by id.
    pub sequences: BTreeMap<u64, Sequence>,
    pub(super) tokens: BTreeMap<String, u64>,
    pub(super) identities: Vec<(String, u64)>,
    pub(super) next_user_id: u64,
    minted: SandboxRng,
    #[serde(skip)]
    employees_body: Bytes,
    #[serde(skip)]
    sequences_body: Bytes,
    /// Whether workforce events changed users since the employees body was built.
    #[serde(skip)]
    pub(super) employees_stale: bool,
}

impl State {
    /// Rebuilds the kept list bodies.
    pub(super) fn refresh_bodies(&mut self) {
        self.refresh_employees();
        self.sequences_body =
            json_bytes(&self.sequences.values().map(|s| SequenceView { id: s.id, name: &s.name }).collect::<Vec<_>>());
    }

    /// The user a token key belongs to.
    pub fn user_by_token(&self, key: &str) -> Option<&User> {
        self.tokens.get(key).and_then(|id| self.users.get(id))
    }

    /// The `GET /api/employees/` body, kept ready.
    pub fn employees_body(&self) -> Bytes {
        self.employees_body.clone()
    }

    /// The `GET /api/sequences/` body, kept ready.
    pub fn sequences_body(&self) -> Bytes {
        self.sequences_body.clone()
    }

    /// Saves a new user. Like Django on PostgreSQL: the id sequence advances even when the
    /// insert then fails, the email is lower-cased on save, and the unique constraint applies to
    /// the lower-cased value (the serializer's own check is case-sensitive).
    pub fn insert_user(&mut self, user: User) -> Result<&User, ApiError> {
        let id = self.insert_user_unlisted(user)?;
        self.refresh_employees();
        Ok(&self.users[&id])
    }

    /// [`State::insert_user`] without rebuilding the kept employees body (the workforce
    /// rebuilds it once after a batch of events: see `settle_workforce`); the new id.
    pub(super) fn insert_user_unlisted(&mut self, mut user: User) -> Result<u64, ApiError> {
        crate::common::records::room_for("users", self.users.len(), 1)?;
        let id = ids::allocate(&mut self.next_user_id, ids::POSTGRES_INTEGER).map_err(|e| {
            // What PostgreSQL raises once the `integer` sequence is used up; Django answers its 500.
            ApiError::with_message(
                ErrorKind::Internal,
                format!("nextval: reached maximum value of sequence \"users_user_id_seq\" ({})", e.largest),
            )
        })?;
        user.email = user.email.to_lowercase();
        if self.users.values().any(|u| u.email == user.email) {
            return Err(ApiError::with_message(
                ErrorKind::Internal,
                "duplicate key value violates unique constraint \"users_user_email_key\"",
            ));
        }
        user.id = id;
        self.users.insert(id, user);
        Ok(id)
    }

    /// Schedules offboarding: sets the termination date and assigns the sequences.
    pub fn offboard(&mut self, user_id: u64, termination_date: NaiveDate, sequences: Vec<u64>) -> Result<(), ApiError> {
        let user = self.users.get_mut(&user_id).ok_or_else(|| ApiError::new(ErrorKind::NotFound))?;
        user.termination_date = Some(termination_date);
        user.offboarding_sequences = sequences;
        Ok(())
    }

    /// Deletes a user and, as the `Token` row's `on_delete=CASCADE` does, its token; the
    /// removed user as it was.
    fn remove_user(&mut self, user_id: u64) -> Option<User> {
        let removed = self.users.remove(&user_id)?;
        self.tokens.retain(|_, owner| *owner != user_id);
        self.refresh_employees();
        Some(removed)
    }

    /// `drf_create_token`: the user's existing key, or a new one (always new with `rotate`).
    fn mint_token(&mut self, user_id: u64, rotate: bool) -> String {
        let existing = self.tokens.iter().find(|(_, id)| **id == user_id).map(|(key, _)| key.clone());
        match existing {
            Some(key) if !rotate => key,
            existing => {
                if let Some(old) = existing {
                    self.tokens.remove(&old);
                }
                let key = hex_string(&mut self.minted, 40);
                self.tokens.insert(key.clone(), user_id);
                key
            }
        }
    }

    fn token_of(&self, user_id: u64) -> Option<&str> {
        self.tokens.iter().find(|(_, id)| **id == user_id).map(|(key, _)| key.as_str())
    }

    pub(super) fn refresh_employees(&mut self) {
        let views: Vec<EmployeeView> = self
            .users
            .values()
            .map(|u| EmployeeView { id: u.id, first_name: &u.first_name, last_name: &u.last_name, email: &u.email })
            .collect();
        self.employees_body = json_bytes(&views);
    }
}

fn json_bytes<T: Serialize>(value: &T) -> Bytes {
    // Serializing plain structs of strings and numbers cannot fail.
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

/// The store registered in each sandbox.
pub type ChiefOnboardingStore = SeededState<State>;

// Divergence: the vendor switches (api_access) return to their defaults on reset too (reset
// seeds with the start configuration): reset means "back to the start state" in full.
impl Seeded for State {
    /// Only `seed_users` decides what is seeded; the other switches are applied as they are.
    type Config = Settings;

    fn from_seed(seed: u64, settings: &Settings) -> Self {
        let seeded = seed::seed(seed, settings.seed_users);
        let next_user_id = seeded.users.keys().next_back().map_or(1, |id| id + 1);
        let mut state = Self {
            settings: settings.clone(),
            organization: seeded.organization,
            users: seeded.users,
            sequences: seeded.sequences,
            tokens: seeded.tokens,
            identities: seeded.identities,
            next_user_id,
            minted: rng_for(seed, "chiefonboarding/minted-tokens"),
            employees_body: Bytes::new(),
            sequences_body: Bytes::new(),
            employees_stale: false,
        };
        state.refresh_bodies();
        state
    }

    fn config(&self) -> Settings {
        self.settings.clone()
    }

    fn reseeds(&self, next: &Settings) -> bool {
        next.seed_users != self.settings.seed_users
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

    fn settle_workforce(&mut self) {
        if std::mem::take(&mut self.employees_stale) {
            self.refresh_employees();
        }
    }

    fn counts(&self) -> Value {
        json!({"users": self.users.len(), "sequences": self.sequences.len(), "tokens": self.tokens.len()})
    }

    fn view(&self) -> Value {
        let tokens: Vec<Value> = self.tokens.iter().map(|(key, user)| json!({"key": key, "user": user})).collect();
        json!({
            "settings": self.settings,
            "organization": self.organization,
            "users": self.users.values().collect::<Vec<_>>(),
            "sequences": self.sequences.values().collect::<Vec<_>>(),
            "tokens": tokens,
        })
    }

    fn credentials(&self) -> Value {
        let identities: serde_json::Map<String, Value> = self
            .identities
            .iter()
            .filter_map(|(identity, id)| {
                let user = self.users.get(id)?;
                Some((identity.clone(), credential(user, self.token_of(*id)?)))
            })
            .collect();
        Value::Object(identities)
    }

    fn settings_view(&self) -> Value {
        json!(self.settings)
    }

    fn update_settings(store: &ChiefOnboardingStore, patch: &Value, _: &ThisServer) -> Result<Value, ApiError> {
        let canonical = Settings::canonical(patch);
        let state = store.reconfigure(|state| vendor_settings::patched(&state.settings, &canonical, &()))?;
        Ok(json!(state.settings))
    }
}

impl AdminActions for State {
    /// `tokens` (`{"email"|"user_id", "rotate"}`): the user's API token, as the admin UI's
    /// "create token" does; `remove_user` (`{"email"|"user_id"}`): deletes the user as the admin
    /// UI does, and with it its token ("if you ever remove this person, then the token will also
    /// be revoked").
    fn admin_action(
        store: &ChiefOnboardingStore,
        action: &str,
        body: &Value,
        _now: DateTime<Utc>,
    ) -> Result<ActionOutcome, ApiError> {
        let mut state = store.write();
        match action {
            "tokens" => {
                let user_id = named_user(&state, body)?;
                let rotate = body.get("rotate").and_then(Value::as_bool).unwrap_or(false);
                let key = state.mint_token(user_id, rotate);
                Ok(ActionOutcome::Done(credential(&state.users[&user_id], &key)))
            }
            "remove_user" => {
                let user_id = named_user(&state, body)?;
                let removed = state.remove_user(user_id);
                Ok(ActionOutcome::Done(json!({"removed": removed})))
            }
            _ => Err(ApiError::with_message(
                ErrorKind::NotFound,
                format!("chiefonboarding has no admin action '{action}' (try 'tokens' or 'remove_user')"),
            )),
        }
    }
}

/// The user an admin action names by `email` or `user_id`.
fn named_user(state: &State, body: &Value) -> Result<u64, ApiError> {
    match (body.get("email").and_then(Value::as_str), body.get("user_id").and_then(Value::as_u64)) {
        (Some(email), _) => state.users.values().find(|u| u.email.eq_ignore_ascii_case(email)).map(|u| u.id),
        (None, Some(id)) => state.users.get(&id).map(|u| u.id),
        (None, None) => return Err(ApiError::with_message(ErrorKind::BadRequest, "give \"email\" or \"user_id\"")),
    }
    .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, "no such user"))
}

/// One credentials entry: the whole `Authorization` value plus who it belongs to.
fn credential(user: &User, key: &str) -> Value {
    json!({
        "authorization": format!("Token {key}"),
        "token": key,
        "user_id": user.id,
        "email": user.email,
        "role": user.role,
        "is_active": user.is_active,
    })
}
