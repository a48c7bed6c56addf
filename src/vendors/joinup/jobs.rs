//! Running a bulk job when the sandbox clock reaches it: every item on its own, in order, with
//! `flexible` upserts, company resolution (CIF, then name, else created in the group) and the
//! report's success lists and error map.

use super::model::{
    BulkItem, COMPANY_REQUIRED, Company, CostCenter, Employee, Job, JobKind, Mode, Operation, Report, Tenant,
};
use crate::common::ids::{self, JSON_SAFE_INTEGER};
use crate::common::records;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

/// The next ids to hand out (shared by every tenant, as in one database), each up to
/// [`LARGEST_ID`].
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Ids {
    /// Next employee id.
    pub employee: u64,
    /// Next cost center id.
    pub cost_center: u64,
    /// Next company id.
    pub company: u64,
}

/// The largest id Joinup hands out.
// Divergence: Joinup does not document its id column; the sandbox stops at the largest integer
// every JSON client reads exactly (2^53 - 1), and an item that needs an id past it fails in the
// report with `ids_exhausted`'s text.
pub const LARGEST_ID: u64 = JSON_SAFE_INTEGER;

/// The next id of `counter`, or the report's text for a used-up counter.
fn next_id(counter: &mut u64, what: &str) -> Result<u64, String> {
    ids::allocate(counter, LARGEST_ID).map_err(|e| format!("No {what} id left (ids stop at {})", e.largest))
}

// Divergence: Joinup does not document its report texts; these are the sandbox's own.
const EMPLOYEE_EXISTS: &str = "Employee already exists";
const EMPLOYEE_NOT_FOUND: &str = "Employee not found";
const EMPLOYEE_DISABLED: &str = "Employee already disabled";
const COST_CENTER_EXISTS: &str = "Cost center already exists";
const COST_CENTER_NOT_FOUND: &str = "Cost center not found";

/// Runs a job against its tenant; what it did, as the report says it.
pub fn run(tenant: &mut Tenant, ids: &mut Ids, job: &Job, now: DateTime<Utc>) -> Report {
    let mut report = Report::default();
    for item in &job.items {
        let outcome = match &item.forced_error {
            Some(message) => Err(message.clone()),
            None => match job.kind {
                JobKind::Employees => employee_item(tenant, ids, item, now, &mut report),
                JobKind::CostCenters => cost_center_item(tenant, ids, item, &mut report),
            },
        };
        let part = report.part(item.operation);
        match outcome {
            Ok(()) => part.success.push(item.key.clone()),
            Err(message) => {
                part.error.insert(item.key.clone(), json!(message));
            }
        }
    }
    report
}

fn employee_item(
    tenant: &mut Tenant,
    ids: &mut Ids,
    item: &BulkItem,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(), String> {
    let found = tenant.employees.iter().position(|e| e.base_email.eq_ignore_ascii_case(&item.key));
    let enabled = found.map(|i| tenant.employees[i].enabled);
    let target = match (item.operation, found) {
        (Operation::Onboarding, Some(_)) if enabled == Some(true) && !item.flexible => {
            return Err(EMPLOYEE_EXISTS.into());
        }
        (Operation::Offboarding, Some(_)) if enabled == Some(false) && !item.flexible => {
            return Err(EMPLOYEE_DISABLED.into());
        }
        // `flexible` is documented for onboarding and offboarding only: an `updated` of a missing
        // employee fails whatever it says.
        (Operation::Updated, None) => return Err(EMPLOYEE_NOT_FOUND.into()),
        (Operation::Offboarding, None) if !item.flexible => return Err(EMPLOYEE_NOT_FOUND.into()),
        (_, Some(index)) => index,
        (_, None) => {
            if records::room_for("employees", tenant.employees.len(), 1).is_err() {
                return Err(records::full("employees"));
            }
            // The id first, as a database's sequence: a failure after it burns it, never a
            // company made for an employee that then cannot be.
            let id = next_id(&mut ids.employee, "employee")?;
            let company = resolve_company(tenant, ids, item, report)?.unwrap_or(tenant.companies[0].id);
            tenant.employees.push(Employee {
                id,
                name: item.name.clone(),
                base_email: item.key.clone(),
                enabled: true,
                enabled_date: now,
                disabled_date: None,
                company,
                attributes: Default::default(),
                json: Bytes::new(),
            });
            tenant.employees.len() - 1
        }
    };
    if found.is_some()
        && let Some(company) = resolve_company(tenant, ids, item, report)?
    {
        tenant.employees[target].company = company;
    }
    let employee = &mut tenant.employees[target];
    employee.name.clone_from(&item.name);
    for (index, value) in &item.attributes {
        employee.attributes[*index].clone_from(value);
    }
    match item.operation {
        Operation::Offboarding if employee.enabled => {
            employee.enabled = false;
            employee.disabled_date = Some(now);
        }
        // Divergence: offboarding a missing employee with `flexible` creates it disabled (an upsert).
        Operation::Offboarding if found.is_none() => {
            employee.enabled = false;
            employee.disabled_date = Some(now);
        }
        Operation::Onboarding if !employee.enabled => {
            employee.enabled = true;
            employee.enabled_date = now;
            employee.disabled_date = None;
        }
        _ => {}
    }
    tenant.refresh_employee(target);
    Ok(())
}

fn cost_center_item(tenant: &mut Tenant, ids: &mut Ids, item: &BulkItem, report: &mut Report) -> Result<(), String> {
    let by_company = tenant.cost_centers_by_company();
    if by_company && !item.names_company() {
        // Per-company cost centers: without a company the item names no cost center to change.
        return Err(COMPANY_REQUIRED.into());
    }
    let wanted_company = if by_company { find_company(tenant, item) } else { None };
    let found = tenant
        .cost_centers
        .iter()
        .position(|c| c.name == item.key && (!by_company || wanted_company.is_none() || c.company == wanted_company));
    match (item.operation, found) {
        (Operation::Onboarding, Some(_)) if !item.flexible => Err(COST_CENTER_EXISTS.into()),
        (Operation::Offboarding, Some(index)) => {
            tenant.cost_centers.remove(index);
            Ok(())
        }
        (Operation::Updated, None) => Err(COST_CENTER_NOT_FOUND.into()),
        (Operation::Offboarding, None) if !item.flexible => Err(COST_CENTER_NOT_FOUND.into()),
        // Nothing to delete: a flexible offboarding is already where it wants to be.
        (Operation::Offboarding, None) => Ok(()),
        (_, Some(index)) => {
            if by_company && let Some(company) = resolve_company(tenant, ids, item, report)? {
                tenant.cost_centers[index].company = Some(company);
            }
            tenant.refresh_cost_center(index);
            Ok(())
        }
        (_, None) => {
            if records::room_for("cost centers", tenant.cost_centers.len(), 1).is_err() {
                return Err(records::full("cost centers"));
            }
            let id = next_id(&mut ids.cost_center, "cost center")?;
            let company = if by_company { resolve_company(tenant, ids, item, report)? } else { None };
            tenant.cost_centers.push(CostCenter { id, name: item.key.clone(), company, json: Bytes::new() });
            let index = tenant.cost_centers.len() - 1;
            tenant.refresh_cost_center(index);
            Ok(())
        }
    }
}

/// The item's company by CIF, then by name, without creating one.
fn find_company(tenant: &Tenant, item: &BulkItem) -> Option<u64> {
    let by_cif = item
        .company_cif
        .as_deref()
        .filter(|c| !c.is_empty())
        .and_then(|cif| tenant.companies.iter().find(|c| c.cif.eq_ignore_ascii_case(cif)));
    let by_name = || {
        item.company_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .and_then(|name| tenant.companies.iter().find(|c| c.name == name))
    };
    by_cif.or_else(by_name).map(|c| c.id)
}

/// Group mode: the item's company, created in the group (and reported) when unknown; the
/// report's text when a company is needed and no company id is left.
fn resolve_company(
    tenant: &mut Tenant,
    ids: &mut Ids,
    item: &BulkItem,
    report: &mut Report,
) -> Result<Option<u64>, String> {
    if tenant.mode != Mode::Group {
        return Ok(None);
    }
    if let Some(id) = find_company(tenant, item) {
        return Ok(Some(id));
    }
    let name = item.company_name.clone().filter(|n| !n.is_empty());
    let cif = item.company_cif.clone().filter(|c| !c.is_empty());
    let Some(label) = name.clone().or_else(|| cif.clone()) else { return Ok(None) };
    if records::room_for("companies", tenant.companies.len(), 1).is_err() {
        return Err(records::full("companies"));
    }
    let id = next_id(&mut ids.company, "company")?;
    tenant.companies.push(Company { id, name: name.unwrap_or_else(|| label.clone()), cif: cif.unwrap_or_default() });
    report.company_created.push(label);
    Ok(Some(id))
}
