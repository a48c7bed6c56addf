//! The workforce projected into Joinup employees (in the first tenant): a hire is a new
//! employee, `enabled` since the event; a change updates its name and attributes; a
//! termination disables it on its date (`disabled_date`); a rehire enables the same employee
//! again with a new `enabled_date`, as Joinup's own onboarding of a disabled employee does.
//! So the `enabled_date__gte` / `disabled_date__gte` filters see every change.

use super::model::Employee;
use super::store::State;
use crate::common::ids;
use crate::common::records;
use crate::workforce::model::{Kind, Status, VendorRecord};
use crate::workforce::{Projection, Rostered};
use bytes::Bytes;

/// The attributes the workforce fills (indexes into [`super::model::ATTRIBUTES`]).
const EMPLOYEE_ID: usize = 0;
const SUPERVISOR_EMAIL: usize = 4;
const SECTION: usize = 9;

impl State {
    /// Applies one workforce event to the employees; the employee touched (minted for a hire).
    pub fn project(&mut self, projection: &Projection) -> Option<VendorRecord> {
        let person = projection.person;
        let at = projection.at;
        let (tenant, slot) = match projection.record.and_then(|record| self.find(record)) {
            Some(found) => found,
            None if matches!(projection.kind, Kind::Hire | Kind::Rehire) => {
                let tenant = self.tenants.first_mut()?;
                records::room_for("employees", tenant.employees.len(), 1).ok()?;
                let id = ids::allocate(&mut self.ids.employee, super::jobs::LARGEST_ID).ok()?;
                let company = tenant.companies.first()?.id;
                tenant.employees.push(Employee {
                    id,
                    name: person.full_name(),
                    base_email: person.work_email.clone(),
                    enabled: true,
                    enabled_date: at,
                    disabled_date: None,
                    company,
                    attributes: Default::default(),
                    json: Bytes::new(),
                });
                (0, tenant.employees.len() - 1)
            }
            None => return None,
        };
        let manager_email = projection.manager.map(|(boss, _)| boss.work_email.clone()).unwrap_or_default();
        let tenant = &mut self.tenants[tenant];
        let employee = &mut tenant.employees[slot];
        employee.name = person.full_name();
        employee.attributes[EMPLOYEE_ID].clone_from(&person.id);
        employee.attributes[SECTION].clone_from(&person.department);
        employee.attributes[SUPERVISOR_EMAIL] = manager_email;
        // Divergence: Joinup has no future-dated offboarding (a bulk `offboarding` disables at
        // once), so a scheduled termination is not visible before its date: the employee stays
        // enabled until the termination happens, then `disabled_date` is that moment.
        let active = person.status == Status::Active;
        if active && !employee.enabled {
            employee.enabled = true;
            employee.enabled_date = at;
            employee.disabled_date = None;
        } else if !active && employee.enabled {
            employee.enabled = false;
            employee.disabled_date = Some(at);
        }
        let record = VendorRecord { id: employee.id.to_string(), slot };
        tenant.refresh_employee(slot);
        self.forget_views();
        Some(record)
    }

    /// The employees of every tenant as people to adopt.
    pub fn roster(&self) -> Vec<Rostered> {
        self.tenants
            .iter()
            .flat_map(|tenant| tenant.employees.iter().enumerate())
            .map(|(slot, e)| {
                let (given, family) = e.name.split_once(' ').unwrap_or((e.name.as_str(), ""));
                Rostered {
                    record: VendorRecord { id: e.id.to_string(), slot },
                    given_name: given.to_owned(),
                    family_name: family.to_owned(),
                    email: e.base_email.clone(),
                    start_date: e.enabled_date.date_naive(),
                    department: e.attributes[SECTION].clone(),
                    title: String::new(),
                    active: e.enabled,
                    termination_date: e.disabled_date.map(|d| d.date_naive()),
                    manager_record: None,
                }
            })
            .collect()
    }

    /// The tenant and slot of `record`: its slot when a tenant holds it there, else a search
    /// (employee ids are unique across tenants: one counter, as in one database).
    fn find(&self, record: &VendorRecord) -> Option<(usize, usize)> {
        let id: u64 = record.id.parse().ok()?;
        self.tenants.iter().enumerate().find_map(|(t, tenant)| match tenant.employees.get(record.slot) {
            Some(e) if e.id == id => Some((t, record.slot)),
            _ => tenant.employees.iter().position(|e| e.id == id).map(|slot| (t, slot)),
        })
    }
}
