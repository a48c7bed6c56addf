//! Joinup's part of a snapshot: the state whole (tenants and their records, users, jobs with
//! their items and reports, signups, id counters, the JWT secret) and the switches as the admin
//! API shows them. Reading one back checks every reference before anything is swapped in.

use super::jobs::LARGEST_ID;
use super::settings::{Known, Settings};
use super::store::State;
use crate::common::ids;
use crate::common::problem::Problem;
use crate::common::snapshot::{self, refers};
use serde_json::{Value, json};
use std::collections::HashSet;

impl State {
    /// `{"settings", "state"}`.
    pub(super) fn snapshot(&self) -> Value {
        json!({"settings": self.settings.to_json(&self.tenants), "state": snapshot::export(self)})
    }

    /// [`State::snapshot`] as JSON text, written without a `Value` tree.
    pub(super) fn snapshot_bytes(&self) -> Vec<u8> {
        snapshot::part_bytes(&json!(self.settings.to_json(&self.tenants)), self)
    }

    /// A snapshot part's records checked from its text, before any `Value` is built.
    pub(super) fn check(part: &serde_json::value::RawValue) -> Result<(), Problem> {
        snapshot::check_part(part, State::check_references)
    }

    /// The state a snapshot part describes, its kept JSON rebuilt.
    pub(super) fn restore(part: &Value) -> Result<Self, Problem> {
        let (mut state, settings) = snapshot::read_part(part, State::check_references)?;
        let known = Known {
            tenants: state.tenants.iter().map(|t| t.identity.clone()).collect(),
            users: state.users.iter().map(|u| u.identity.clone()).collect(),
        };
        state.settings =
            Settings::default().patched(settings, &state.tenants, &known).map_err(|e| Problem::settings(&e))?;
        state.apply_tenant_settings();
        for tenant in &mut state.tenants {
            for index in 0..tenant.employees.len() {
                tenant.refresh_employee(index);
            }
        }
        Ok(state)
    }

    /// Every index and id names something that exists, and ids are unique and below their
    /// counters, which are within their bounds.
    fn check_references(&self) -> Result<(), Problem> {
        for (name, next) in
            [("employee", self.ids.employee), ("cost_center", self.ids.cost_center), ("company", self.ids.company)]
        {
            ids::check_counter(next, LARGEST_ID, || format!("ids.{name}"))?;
        }
        self.check_object_ids()?;
        let tenants = self.tenants.len();
        refers(
            self.domains.len() == tenants,
            || "domains".into(),
            || format!("needs one list per tenant ({tenants})"),
        )?;
        for (i, user) in self.users.iter().enumerate() {
            refers(user.tenant < tenants, || format!("users[{i}].tenant"), || format!("no tenant {}", user.tenant))?;
        }
        let kept = super::signup::SIGNUPS_KEPT;
        refers(self.signups.len() <= kept, || "signups".into(), || format!("at most {kept} are kept"))?;
        for (i, job) in self.jobs.iter().enumerate() {
            refers(job.tenant < tenants, || format!("jobs[{i}].tenant"), || format!("no tenant {}", job.tenant))?;
        }
        let (mut employee_ids, mut cost_center_ids) = (HashSet::new(), HashSet::new());
        for (t, tenant) in self.tenants.iter().enumerate() {
            let mut emails = HashSet::new();
            for (i, employee) in tenant.employees.iter().enumerate() {
                let at = |field: &str| format!("tenants[{t}].employees[{i}].{field}");
                refers(
                    tenant.company(employee.company).is_some(),
                    || at("company"),
                    || format!("no company {} in this tenant", employee.company),
                )?;
                refers(
                    employee_ids.insert(employee.id),
                    || at("id"),
                    || format!("employee id {} is taken", employee.id),
                )?;
                refers(employee.id < self.ids.employee, || at("id"), || "must be below ids.employee".into())?;
                refers(
                    emails.insert(employee.base_email.to_lowercase()),
                    || at("base_email"),
                    || format!("{} is taken in this tenant", employee.base_email),
                )?;
            }
            for (i, cost_center) in tenant.cost_centers.iter().enumerate() {
                let at = |field: &str| format!("tenants[{t}].cost_centers[{i}].{field}");
                if let Some(company) = cost_center.company {
                    refers(
                        tenant.company(company).is_some(),
                        || at("company"),
                        || format!("no company {company} in this tenant"),
                    )?;
                }
                refers(
                    cost_center_ids.insert(cost_center.id),
                    || at("id"),
                    || format!("cost center id {} is taken", cost_center.id),
                )?;
                refers(cost_center.id < self.ids.cost_center, || at("id"), || "must be below ids.cost_center".into())?;
            }
            for (i, company) in tenant.companies.iter().enumerate() {
                refers(
                    company.id < self.ids.company,
                    || format!("tenants[{t}].companies[{i}].id"),
                    || "must be below ids.company".into(),
                )?;
            }
        }
        Ok(())
    }
}
