//! The Directory's part of a snapshot: the state whole (organizations, accounts, employees with their managers, groups, memberships, keys, the JWT secret, id RNG) and the switches as the admin
//! API shows them. Reading one back checks every reference before anything is swapped in.

use super::settings::Settings;
use super::store::{SEED_EMPLOYEES, State};
use crate::common::problem::Problem;
use crate::common::snapshot::{self, refers};
use crate::common::vendor_settings;
use serde_json::{Value, json};

impl State {
    /// `{"settings", "state"}`.
    pub(super) fn snapshot(&self) -> Value {
        json!({"settings": Settings { seed_employees: self.seed_employees }, "state": snapshot::export(self)})
    }

    /// [`State::snapshot`] as JSON text, written without a `Value` tree.
    pub(super) fn snapshot_bytes(&self) -> Vec<u8> {
        snapshot::part_bytes(&json!(Settings { seed_employees: self.seed_employees }), self)
    }

    /// A snapshot part's records checked from its text, before any `Value` is built.
    pub(super) fn check(part: &serde_json::value::RawValue) -> Result<(), Problem> {
        snapshot::check_part(part, State::check_references)
    }

    /// The state a snapshot part describes.
    pub(super) fn restore(part: &Value) -> Result<Self, Problem> {
        let (mut state, settings) = snapshot::read_part(part, State::check_references)?;
        let start = Settings { seed_employees: SEED_EMPLOYEES };
        let settings = vendor_settings::patched(&start, settings, &()).map_err(|e| Problem::settings(&e))?;
        state.seed_employees = settings.seed_employees;
        Ok(state)
    }

    /// Every id a restored state holds names a record that exists.
    fn check_references(&self) -> Result<(), Problem> {
        let org = |id: &str| self.organization(id).is_some();
        let employee = |id: &str| self.employees.iter().any(|e| e.id == id);
        let missing = |what: &str, id: &str| format!("no {what} {id}");
        for (i, key) in self.keys.iter().enumerate() {
            refers(org(&key.org), || format!("keys[{i}].org"), || missing("organization", &key.org))?;
        }
        for (i, account) in self.accounts.iter().enumerate() {
            for (g, grant) in account.grants.iter().enumerate() {
                let at = |field: &str| format!("accounts[{i}].grants[{g}].{field}");
                refers(org(&grant.org_id), || at("orgId"), || missing("organization", &grant.org_id))?;
                if let Some(id) = &grant.employee_id {
                    refers(employee(id), || at("employeeId"), || missing("employee", id))?;
                }
            }
        }
        for (i, e) in self.employees.iter().enumerate() {
            refers(
                org(&e.organization),
                || format!("employees[{i}].organization"),
                || missing("organization", &e.organization),
            )?;
            if let Some(account) = &e.account {
                refers(
                    self.account(account).is_some(),
                    || format!("employees[{i}].account"),
                    || missing("account", account),
                )?;
            }
            for (m, manager) in e.managers.iter().enumerate() {
                refers(
                    employee(&manager.manager_id),
                    || format!("employees[{i}].managers[{m}].managerId"),
                    || missing("employee", &manager.manager_id),
                )?;
            }
        }
        for (i, group) in self.groups.iter().enumerate() {
            refers(
                org(&group.organization),
                || format!("groups[{i}].organization"),
                || missing("organization", &group.organization),
            )?;
        }
        for (i, membership) in self.memberships.iter().enumerate() {
            let group = self.groups.iter().any(|g| g.id == membership.group_id);
            refers(group, || format!("memberships[{i}].groupId"), || missing("group", &membership.group_id))?;
        }
        for (i, (identity, account)) in self.identities.iter().enumerate() {
            refers(
                self.account(account).is_some(),
                || format!("identities[{i}]"),
                || format!("{identity}: no account {account}"),
            )?;
        }
        Ok(())
    }
}
