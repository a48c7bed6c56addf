//! Justworks's part of a snapshot: the state whole (apps, codes and tokens, the company, members, deductions, payrolls, time off, id RNG) and the switches as the admin
//! API shows them. Reading one back checks every reference before anything is swapped in.

use super::settings::Settings;
use super::store::{SEED_MEMBERS, State};
use crate::common::problem::Problem;
use crate::common::snapshot::{self, refers};
use crate::common::vendor_settings;
use serde_json::{Value, json};

impl State {
    /// `{"settings", "state"}`.
    pub(super) fn snapshot(&self) -> Value {
        json!({"settings": self.settings(), "state": snapshot::export(self)})
    }

    /// [`State::snapshot`] as JSON text, written without a `Value` tree.
    pub(super) fn snapshot_bytes(&self) -> Vec<u8> {
        snapshot::part_bytes(&json!(self.settings()), self)
    }

    /// A snapshot part's records checked from its text, before any `Value` is built.
    pub(super) fn check(part: &serde_json::value::RawValue) -> Result<(), Problem> {
        snapshot::check_part(part, State::check_references)
    }

    /// The state a snapshot part describes.
    pub(super) fn restore(part: &Value) -> Result<Self, Problem> {
        let (mut state, settings) = snapshot::read_part(part, State::check_references)?;
        let apps: Vec<String> = state.apps.iter().map(|a| a.client_id.clone()).collect();
        let start = Settings { seed_members: SEED_MEMBERS, ..state.settings() };
        let settings = vendor_settings::patched(&start, settings, &apps).map_err(|e| Problem::settings(&e))?;
        state.seed_members = settings.seed_members;
        state.apply_settings(&settings);
        Ok(state)
    }

    /// Every id a restored state holds names a record that exists.
    fn check_references(&self) -> Result<(), Problem> {
        let member = |id: &str| self.members.iter().any(|m| m.id == id);
        let app = |id: &str| self.app(id).is_some();
        self.webhooks.check().map_err(|e| Problem::at("webhooks", e))?;
        for (i, hook) in self.webhooks.list.iter().enumerate() {
            refers(
                app(&hook.client_id),
                || format!("webhooks.list[{i}].client_id"),
                || format!("no app {}", hook.client_id),
            )?;
        }
        refers(
            self.paystubs.pays_only(self.members.len()),
            || "paystubs.paid".into(),
            || format!("every index must name one of the {} members", self.members.len()),
        )?;
        for (key, code) in &self.codes {
            refers(app(&code.client_id), || format!("codes.{key}.client_id"), || format!("no app {}", code.client_id))?;
        }
        for (name, tokens) in [("access_tokens", &self.access_tokens), ("refresh_tokens", &self.refresh_tokens)] {
            for (key, token) in tokens {
                refers(
                    app(&token.client_id),
                    || format!("{name}.{key}.client_id"),
                    || format!("no app {}", token.client_id),
                )?;
            }
        }
        for (i, deduction) in self.deductions.iter().enumerate() {
            refers(
                member(&deduction.member_id),
                || format!("deductions[{i}].member_id"),
                || format!("no member {}", deduction.member_id),
            )?;
        }
        for (i, request) in self.requests.iter().enumerate() {
            refers(
                member(&request.member_id),
                || format!("requests[{i}].member_id"),
                || format!("no member {}", request.member_id),
            )?;
            refers(
                self.policies.iter().any(|p| p.id == request.policy_id),
                || format!("requests[{i}].policy_id"),
                || format!("no policy {}", request.policy_id),
            )?;
        }
        Ok(())
    }
}
