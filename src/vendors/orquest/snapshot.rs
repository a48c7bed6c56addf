//! Orquest's part of a snapshot: the state whole (businesses with their configuration, employees and users, API keys, sessions, passwords, session RNG) and the switches as the admin
//! API shows them. Reading one back checks every reference before anything is swapped in.

use super::settings::Settings;
use super::store::State;
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

    /// The state a snapshot part describes.
    pub(super) fn restore(part: &Value) -> Result<Self, Problem> {
        let (mut state, settings) = snapshot::read_part(part, State::check_references)?;
        state.settings =
            vendor_settings::patched(&Settings::default(), settings, &()).map_err(|e| Problem::settings(&e))?;
        Ok(state)
    }

    /// Every index a restored state holds names a business and one of its integration users,
    /// and every employee sits under its own id.
    fn check_references(&self) -> Result<(), Problem> {
        let exists = |(b, u): (usize, usize)| self.businesses.get(b).is_some_and(|b| u < b.integration_users.len());
        for (key, owner) in &self.keys {
            refers(exists(*owner), || format!("keys.{key}"), || format!("no integration user {owner:?}"))?;
        }
        for (id, session) in &self.sessions {
            let owner = (session.business, session.user);
            refers(exists(owner), || format!("sessions.{id}"), || format!("no integration user {owner:?}"))?;
        }
        for (b, business) in self.businesses.iter().enumerate() {
            for (id, employee) in &business.employees {
                refers(
                    employee.person.employee_id == *id,
                    || format!("businesses[{b}].employees.{id}"),
                    || format!("person.employeeId must equal its key {id}"),
                )?;
            }
        }
        Ok(())
    }
}
