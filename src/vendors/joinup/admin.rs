//! What the admin API sees of Joinup in one sandbox: counts, the state, credentials, the
//! settings, and the admin actions (`tokens`, `signups`). Kept apart from the store so the
//! actions (the signup hook's call) sit above the state they change.

use super::model::Tenant;
use super::settings::Known;
use super::signup;
use super::store::{JoinupStore, State, seeded_expiry};
use crate::common::clock;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::snapshot::Problem;
use crate::outbound::ThisServer;
use crate::vendor::{ActionOutcome, Swap, VendorStore};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

impl VendorStore for JoinupStore {
    fn reset(&self, seed: u64) {
        // Divergence: the switches (rate limits, hooks, seed counts) return to their defaults too.
        self.seeded.reset(seed);
    }

    fn counts(&self) -> Value {
        let state = self.seeded.read();
        let sum = |f: fn(&Tenant) -> usize| state.tenants.iter().map(f).sum::<usize>();
        json!({
            "tenants": state.tenants.len(),
            "companies": sum(|t| t.companies.len()),
            "employees": sum(|t| t.employees.len()),
            "cost_centers": sum(|t| t.cost_centers.len()),
            "jobs": state.jobs.len(),
            "signups": state.signups.len(),
        })
    }

    fn state(&self) -> Value {
        let state = self.seeded.read();
        let tenants: Vec<Value> = state
            .tenants
            .iter()
            .zip(&state.domains)
            .map(|(t, domains)| {
                json!({
                    "identity": t.identity,
                    "mode": t.mode,
                    "shared_cost_centers": t.shared_cost_centers,
                    "domains": domains,
                    "companies": t.companies,
                    "employees": t.employees,
                    "cost_centers": t.cost_centers,
                })
            })
            .collect();
        json!({
            "settings": state.settings.to_json(&state.tenants),
            "jwt_secret": state.secret,
            "users": state.users,
            "tenants": tenants,
            "jobs": state.jobs,
            "signups": state.signups,
        })
    }

    fn credentials(&self) -> Value {
        let state = self.seeded.read();
        let identities: Map<String, Value> =
            state.users.iter().map(|u| (u.identity.clone(), state.credential(u, seeded_expiry()))).collect();
        Value::Object(identities)
    }

    fn settings(&self) -> Value {
        let state = self.seeded.read();
        state.settings.to_json(&state.tenants)
    }

    fn update_settings(&self, patch: &Value, this_server: &ThisServer) -> Result<Value, ApiError> {
        let state = self.seeded.reconfigure(|state| {
            let known = Known {
                tenants: state.tenants.iter().map(|t| t.identity.clone()).collect(),
                users: state.users.iter().map(|u| u.identity.clone()).collect(),
            };
            let next = state.settings.patched(patch, &state.tenants, &known)?;
            next.check_hook_targets(this_server)?;
            Ok(next)
        })?;
        Ok(state.settings.to_json(&state.tenants))
    }

    fn export(&self) -> Value {
        self.seeded.read().snapshot()
    }

    fn check_part(&self, part: &serde_json::value::RawValue) -> Result<(), Problem> {
        State::check(part)
    }

    fn restore(&self, part: &Value, seed: u64) -> Result<Swap<'_>, Problem> {
        Ok(self.seeded.staged(seed, State::restore(part)?))
    }

    fn admin_action(&self, action: &str, body: &Value, now: DateTime<Utc>) -> Result<ActionOutcome, ApiError> {
        match action {
            "tokens" => self.mint_token(body, now).map(ActionOutcome::Done),
            "signups" => signup::start(self.seeded.shared(), body),
            _ => Err(ApiError::with_message(
                ErrorKind::NotFound,
                format!("joinup has no admin action '{action}' (try 'tokens' or 'signups')"),
            )),
        }
    }
}

impl JoinupStore {
    /// `POST /__admin/vendors/joinup/tokens {"identity", "expires_in"}`: a token for an identity,
    /// expiring `expires_in` seconds from the sandbox's now (the seeded expiry when omitted).
    fn mint_token(&self, body: &Value, now: DateTime<Utc>) -> Result<Value, ApiError> {
        let bad = |message: &str| ApiError::with_message(ErrorKind::BadRequest, message);
        let identity = body.get("identity").and_then(Value::as_str).ok_or_else(|| bad("give \"identity\""))?;
        let exp = match body.get("expires_in") {
            None => seeded_expiry(),
            Some(seconds) => {
                now + seconds.as_i64().and_then(clock::span).ok_or_else(|| {
                    bad("\"expires_in\" must be an integer number of seconds, at most ten years either way")
                })?
            }
        };
        let state = self.seeded.read();
        let user =
            state.users.iter().find(|u| u.identity == identity).ok_or_else(|| {
                ApiError::with_message(ErrorKind::NotFound, format!("no joinup identity '{identity}'"))
            })?;
        Ok(state.credential(user, exp))
    }
}
