//! ChiefOnboarding's part of a snapshot: the state whole (the organization, users, sequences, tokens, identities, the next user id, token RNG) and the switches as the admin
//! API shows them. Reading one back checks every reference before anything is swapped in.

use super::settings::Settings;
use super::store::State;
use crate::common::ids;
use crate::common::problem::Problem;
use crate::common::snapshot::{self, refers};
use crate::common::vendor_settings;
use serde_json::{Value, json};

impl State {
    /// `{"settings", "state"}`.
    pub(super) fn snapshot(&self) -> Value {
        json!({"settings": self.settings, "state": snapshot::export(self)})
    }

    /// [`State::snapshot`] as JSON text, written without a `Value` tree.
    pub(super) fn snapshot_bytes(&self) -> Vec<u8> {
        snapshot::part_bytes(&json!(self.settings), self)
    }

    /// A snapshot part's records checked from its text, before any `Value` is built.
    pub(super) fn check(part: &serde_json::value::RawValue) -> Result<(), Problem> {
        snapshot::check_part(part, State::check_references)
    }

    /// The state a snapshot part describes, its kept bodies rebuilt.
    pub(super) fn restore(part: &Value) -> Result<Self, Problem> {
        let (mut state, settings) = snapshot::read_part(part, State::check_references)?;
        state.settings = vendor_settings::patched(&Settings::default(), &Settings::canonical(settings), &())
            .map_err(|e| Problem::settings(&e))?;
        state.refresh_bodies();
        Ok(state)
    }

    /// Every reference of a restored state names something that exists; ids are unique and
    /// below the next one, which is within PostgreSQL's `integer`.
    fn check_references(&self) -> Result<(), Problem> {
        ids::check_counter(self.next_user_id, ids::POSTGRES_INTEGER, || "next_user_id".into())?;
        for (key, user) in &self.users {
            let at = |field: &str| format!("users.{key}.{field}");
            refers(*key == user.id, || at("id"), || format!("must equal its key {key}"))?;
            refers(user.id < self.next_user_id, || at("id"), || "must be below next_user_id".into())?;
            let sequences = user.sequences.iter().chain(&user.offboarding_sequences);
            if let Some(missing) = sequences.into_iter().find(|id| !self.sequences.contains_key(id)) {
                return Err(Problem::at(at("sequences"), format!("no sequence {missing}")));
            }
        }
        for (key, sequence) in &self.sequences {
            refers(*key == sequence.id, || format!("sequences.{key}.id"), || format!("must equal its key {key}"))?;
        }
        for (token, user) in &self.tokens {
            refers(self.users.contains_key(user), || format!("tokens.{token}"), || format!("no user {user}"))?;
        }
        Ok(())
    }
}
