//! Accounts: list, create (201), by id or email, update, role grants (never leaving an
//! organization without an owner), the organization's admins and members, linked employees.

use super::{Answer, Dir, caller, conflict, created, email, not_found, now, object, ok, text, upper, uuid, uuid_field};
use crate::common::error::ApiError;
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::directory::auth::{Caller, rank};
use crate::vendors::directory::model::{Account, CreationInfo, Employee, Grant, Preferences};
use crate::vendors::directory::seed::active;
use crate::vendors::directory::store::State;
use actix_web::{HttpRequest, web};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    const ACCOUNT: &str = "/api/v1/account";
    cfg.service(endpoint(ACCOUNT).get(list).post(create))
        .service(endpoint(&format!("{ACCOUNT}/org-admins")).get(org_admins))
        .service(endpoint(&format!("{ACCOUNT}/for-org")).get(list))
        .service(endpoint(&format!("{ACCOUNT}/{{account}}")).get(get).patch(update))
        .service(endpoint(&format!("{ACCOUNT}/{{account}}/grant")).post(grant))
        .service(endpoint(&format!("{ACCOUNT}/{{account}}/employees")).get(employees));
}

/// An account the caller's organization sees (it has a grant there), by id or email.
fn visible<'s>(state: &'s State, caller: &Caller, id_or_email: &str) -> Result<&'s Account, ApiError> {
    state.account(id_or_email).filter(|a| a.role_in(&caller.org).is_some()).ok_or_else(not_found)
}

/// `GET /api/v1/account` and `GET /api/v1/account/for-org`: accounts with a grant in the
/// current organization.
async fn list(req: HttpRequest, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let accounts: Vec<&Account> = state.accounts.iter().filter(|a| a.role_in(&caller.org).is_some()).collect();
    ok(&accounts)
}

/// `GET /api/v1/account/org-admins`.
async fn org_admins(req: HttpRequest, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let admins: Vec<&Account> =
        state.accounts.iter().filter(|a| a.role_in(&caller.org).is_some_and(|r| rank(r) >= rank("ADMIN"))).collect();
    ok(&admins)
}

/// `POST /api/v1/account` `{email, name}`: 201.
async fn create(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let body = object(&req, &body)?;
    let email = email(&body, "email", true)?.unwrap_or_default();
    let name = text(&body, "name", false)?;
    if state.account(&email).is_some() {
        return Err(conflict(format!("an Account with email {email} already exists")));
    }
    crate::common::records::room_for("accounts", state.accounts.len(), 1)?;
    let id = state.new_id();
    state.accounts.push(Account {
        id,
        email,
        name,
        active: true,
        status: active(),
        created: CreationInfo { created_at: now(&dir), created_by: caller.account.clone() },
        mappings: Vec::new(),
        preferences: Preferences::default(),
        // Divergence: an account created with an organization's credentials joins it as EMPLOYEE,
        // so the organization can see it; the docs do not say.
        grants: vec![Grant { org_id: caller.org.clone(), role: "EMPLOYEE".into(), employee_id: None }],
    });
    created(&state.accounts.last())
}

/// `GET /api/v1/account/{accountIdOrEmail}`.
async fn get(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(visible(&state, &caller, &path)?)
}

/// `PATCH /api/v1/account/{accountIdOrEmail}` `{email, name}`: administrators, or the account itself.
async fn update(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    let id = visible(&state, &caller, &path)?.id.clone();
    if caller.account.as_deref() != Some(id.as_str()) {
        caller.require_admin()?;
    }
    let body = object(&req, &body)?;
    let email = email(&body, "email", true)?.unwrap_or_default();
    let name = text(&body, "name", false)?;
    if state.account(&email).is_some_and(|a| a.id != id) {
        return Err(conflict(format!("an Account with email {email} already exists")));
    }
    let account = state.accounts.iter_mut().find(|a| a.id == id).ok_or_else(not_found)?;
    account.email = email;
    if name.is_some() {
        account.name = name;
    }
    ok(account)
}

/// `POST /api/v1/account/{accountId}/grant` `{role, orgId, employeeId}`: sets the account's role
/// in an organization; the last owner cannot be demoted (409).
async fn grant(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let account_id = visible(&state, &caller, uuid(&path)?)?.id.clone();
    let body = object(&req, &body)?;
    let role = upper(&body, "role", true)?.unwrap_or_default();
    let org = uuid_field(&body, "orgId", false)?.unwrap_or_else(|| caller.org.clone());
    if org != caller.org {
        return Err(not_found());
    }
    if rank(&role) > rank(&caller.role) {
        return Err(ApiError::new(crate::common::error::ErrorKind::Forbidden));
    }
    let employee_id = uuid_field(&body, "employeeId", false)?;
    if let Some(employee) = &employee_id
        && !state.employees.iter().any(|e| e.id == *employee && e.organization == org)
    {
        return Err(not_found());
    }
    ok(write_grant(&mut state, &account_id, org, role, employee_id)?)
}

/// Writes a checked grant: the organization's owners (never none left), the employee's account
/// link, the account's grant in that organization, and the `role` of every employee of that
/// organization linked to the account, so the two never disagree.
pub(super) fn write_grant<'s>(
    state: &'s mut State,
    account_id: &str,
    org: String,
    role: String,
    employee_id: Option<String>,
) -> Result<&'s Account, ApiError> {
    let organization = state.organizations.iter().position(|o| o.id == org).ok_or_else(not_found)?;
    let owners = &state.organizations[organization].owners;
    if role != "OWNER" && owners.iter().any(|o| o == account_id) && owners.len() == 1 {
        return Err(conflict("an Organization must keep at least one owner"));
    }
    let owners = &mut state.organizations[organization].owners;
    owners.retain(|o| o != account_id);
    if role == "OWNER" {
        owners.push(account_id.to_owned());
    }
    if let Some(employee) = employee_id.as_deref().and_then(|id| state.employees.iter_mut().find(|e| e.id == id)) {
        employee.account = Some(account_id.to_owned());
    }
    for employee in state.employees.iter_mut().filter(|e| e.organization == org) {
        if employee.account.as_deref() == Some(account_id) {
            employee.role = Some(role.clone());
        }
    }
    let account = state.accounts.iter_mut().find(|a| a.id == account_id).ok_or_else(not_found)?;
    match account.grants.iter_mut().find(|g| g.org_id == org) {
        Some(grant) => {
            grant.role = role;
            if employee_id.is_some() {
                grant.employee_id = employee_id;
            }
        }
        None => account.grants.push(Grant { org_id: org, role, employee_id }),
    }
    Ok(account)
}

/// `GET /api/v1/account/{accountId}/employees`: the account's employee records the caller sees.
async fn employees(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let account = visible(&state, &caller, uuid(&path)?)?;
    let linked: Vec<&Employee> = state
        .employees
        .iter()
        .filter(|e| e.organization == caller.org && e.account.as_deref() == Some(account.id.as_str()))
        .collect();
    ok(&linked)
}
