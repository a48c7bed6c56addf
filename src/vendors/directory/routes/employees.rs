//! Employees: list with `status`/`type`, create (201), get, update, by name / account / manager,
//! manager relations (never a cycle), profiles (POST replaces, PATCH merges).

use super::accounts::write_grant;
use super::{
    Answer, Dir, caller, conflict, created, email, not_found, now, object, ok, text, update_profile, upper, uuid,
    uuid_field, written,
};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::directory::auth::{Caller, rank};
use crate::vendors::directory::model::{CreationInfo, EMPLOYEE_PROFILE, Employee, ManagerRelation, Preferences};
use crate::vendors::directory::seed::active;
use crate::vendors::directory::store::State;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::Map;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    const EMPLOYEE: &str = "/api/v1/employee";
    cfg.service(endpoint(EMPLOYEE).get(list).post(create))
        .service(endpoint(&format!("{EMPLOYEE}/by-name/{{name}}")).get(by_name))
        .service(endpoint(&format!("{EMPLOYEE}/by-account/{{account}}")).get(by_account))
        .service(endpoint(&format!("{EMPLOYEE}/by-manager/{{manager}}")).get(by_manager))
        .service(endpoint(&format!("{EMPLOYEE}/{{employee}}")).get(get).patch(update))
        .service(endpoint(&format!("{EMPLOYEE}/{{employee}}/managers")).get(managers).post(add_manager))
        .service(endpoint(&format!("{EMPLOYEE}/{{employee}}/managers/{{manager}}")).delete(remove_manager))
        .service(
            endpoint(&format!("{EMPLOYEE}/{{employee}}/profile"))
                .get(profile)
                .post(replace_profile)
                .patch(patch_profile),
        );
}

/// The index of an employee of the caller's organization (404 for any other).
pub(super) fn find(state: &State, caller: &Caller, id: &str) -> Result<usize, ApiError> {
    let id = uuid(id)?;
    state.employees.iter().position(|e| e.id == id && e.organization == caller.org).ok_or_else(not_found)
}

fn in_org<'s>(state: &'s State, caller: &Caller) -> impl Iterator<Item = &'s Employee> {
    let org = caller.org.clone();
    state.employees.iter().filter(move |e| e.organization == org)
}

#[derive(Deserialize)]
struct Filters {
    status: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `GET /api/v1/employee?status=&type=`.
async fn list(req: HttpRequest, filters: web::Query<Filters>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let employees: Vec<&Employee> = in_org(&state, &caller)
        .filter(|e| filters.status.as_deref().is_none_or(|s| e.status.current.eq_ignore_ascii_case(s)))
        .filter(|e| filters.kind.as_deref().is_none_or(|t| e.kind.eq_ignore_ascii_case(t)))
        .collect();
    ok(&employees)
}

/// `GET /api/v1/employee/{employee}`.
async fn get(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&state.employees[find(&state, &caller, &path)?])
}

/// The validated `{name, email, account, role}` of a create or update.
fn fields(
    req: &HttpRequest,
    state: &State,
    caller: &Caller,
    body: &[u8],
    except: Option<&str>,
) -> Result<(String, String, Option<String>, Option<String>), ApiError> {
    let body = object(req, body)?;
    let name = text(&body, "name", true)?.unwrap_or_default();
    let email = email(&body, "email", true)?.unwrap_or_default();
    let account = uuid_field(&body, "account", false)?;
    let role = upper(&body, "role", false)?;
    if account.as_deref().is_some_and(|a| state.account(a).is_none_or(|a| a.role_in(&caller.org).is_none())) {
        return Err(not_found());
    }
    if in_org(state, caller).any(|e| e.email.eq_ignore_ascii_case(&email) && Some(e.id.as_str()) != except) {
        return Err(conflict(format!("an Employee with email {email} already exists")));
    }
    Ok((name, email, account, role))
}

/// `POST /api/v1/employee` `{name, email, account, role}`: 201; with the workforce's `shared`,
/// the employee joins it as a person.
async fn create(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let (name, email, account, role) = fields(&req, &state, &caller, &body, None)?;
    let role = linked_role(&mut state, &caller, account.as_deref(), role, None)?;
    crate::common::records::room_for("employees", state.employees.len(), 1)?;
    let id = state.new_id();
    state.employees.push(Employee {
        id,
        organization: caller.org.clone(),
        name,
        email,
        account,
        role,
        kind: "EMPLOYEE".into(),
        active: true,
        status: active(),
        created: CreationInfo { created_at: now(&dir), created_by: caller.account.clone() },
        profile: Map::new(),
        mappings: Vec::new(),
        preferences: Preferences::default(),
        managers: Vec::new(),
    });
    let answer = created(&state.employees.last());
    let id = state.employees.last().map(|e| e.id.clone());
    drop(state);
    // With the workforce's `shared`, the new employee joins it as a person.
    if let Some(id) = id {
        dir.sandbox.workforce_joined("directory", &id);
    }
    answer
}

/// `PATCH /api/v1/employee/{employee}`.
async fn update(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let index = find(&state, &caller, &path)?;
    let (name, email, account, role) = fields(&req, &state, &caller, &body, Some(&path))?;
    let id = state.employees[index].id.clone();
    let linked = account.clone().or_else(|| state.employees[index].account.clone());
    let role = linked_role(&mut state, &caller, linked.as_deref(), role, Some(&id))?;
    let employee = &mut state.employees[index];
    employee.name = name;
    employee.email = email;
    if account.is_some() {
        employee.account = account;
    }
    if role.is_some() {
        employee.role = role;
    }
    ok(employee)
}

/// An employee linked to an account has the account's role in the organization: a role sent
/// for it is granted to the account (with the grant's checks: not above the caller's role, an
/// owner left), and no role sent means the account's.
fn linked_role(
    state: &mut State,
    caller: &Caller,
    account: Option<&str>,
    role: Option<String>,
    employee_id: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(account) = account else { return Ok(role) };
    let Some(role) = role else {
        return Ok(state.account(account).and_then(|a| a.role_in(&caller.org)).map(str::to_owned));
    };
    if rank(&role) > rank(&caller.role) {
        return Err(ApiError::new(ErrorKind::Forbidden));
    }
    write_grant(state, account, caller.org.clone(), role.clone(), employee_id.map(str::to_owned))?;
    Ok(Some(role))
}

/// `GET /api/v1/employee/by-name/{name}`: names containing the text, case-insensitive.
async fn by_name(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let needle = path.to_lowercase();
    // Divergence: the matching rule is not documented; the sandbox matches a case-insensitive substring.
    let found: Vec<&Employee> = in_org(&state, &caller).filter(|e| e.name.to_lowercase().contains(&needle)).collect();
    ok(&found)
}

/// `GET /api/v1/employee/by-account/{accountId}`: the current organization's employee of an account.
async fn by_account(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let account = uuid(&path)?;
    ok(&in_org(&state, &caller).find(|e| e.account.as_deref() == Some(account)).ok_or_else(not_found)?)
}

#[derive(Deserialize)]
struct ManagerType {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `GET /api/v1/employee/by-manager/{managerId}?type=`: the manager's reports.
async fn by_manager(req: HttpRequest, path: web::Path<String>, query: web::Query<ManagerType>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let manager = &state.employees[find(&state, &caller, &path)?].id;
    let reports: Vec<&Employee> = in_org(&state, &caller)
        .filter(|e| {
            e.managers.iter().any(|m| {
                m.manager_id == *manager && query.kind.as_deref().is_none_or(|k| m.kind.eq_ignore_ascii_case(k))
            })
        })
        .collect();
    ok(&reports)
}

/// `GET /api/v1/employee/{employee}/managers`.
async fn managers(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&state.employees[find(&state, &caller, &path)?].managers)
}

/// `POST /api/v1/employee/{employee}/managers` `{managerId, type}`: sets a manager relation;
/// one that would close a cycle is 409 and changes nothing.
async fn add_manager(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let index = find(&state, &caller, &path)?;
    let body = object(&req, &body)?;
    let manager = uuid_field(&body, "managerId", true)?.unwrap_or_default();
    let kind = upper(&body, "type", true)?.unwrap_or_default();
    let manager_index = find(&state, &caller, &manager)?;
    let employee = state.employees[index].id.clone();
    if manager == employee || manages(&state, &employee, manager_index) {
        return Err(conflict("this manager relation would create a cycle"));
    }
    let relations = &mut state.employees[index].managers;
    relations.retain(|m| m.manager_id != manager);
    relations.push(ManagerRelation { manager_id: manager, kind });
    ok(relations)
}

/// Whether `employee` is above `start` in the manager graph (any relation type).
fn manages(state: &State, employee: &str, start: usize) -> bool {
    let mut seen = vec![false; state.employees.len()];
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        for relation in &state.employees[i].managers {
            if relation.manager_id == employee {
                return true;
            }
            if let Some(next) = state.employees.iter().position(|e| e.id == relation.manager_id) {
                stack.push(next);
            }
        }
    }
    false
}

/// `DELETE /api/v1/employee/{employee}/managers/{manager}`: 200, no content.
async fn remove_manager(req: HttpRequest, path: web::Path<(String, String)>, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let (employee, manager) = path.into_inner();
    let index = find(&state, &caller, &employee)?;
    let manager = uuid(&manager)?;
    let relations = &mut state.employees[index].managers;
    let before = relations.len();
    relations.retain(|m| m.manager_id != manager);
    if relations.len() == before {
        return Err(not_found());
    }
    Ok(HttpResponse::Ok().finish())
}

/// `GET /api/v1/employee/{employee}/profile`.
async fn profile(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&state.employees[find(&state, &caller, &path)?].profile)
}

/// `POST /api/v1/employee/{employee}/profile`: create or replace (201).
async fn replace_profile(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    write_profile(&req, &path, &body, &dir, true)
}

/// `PATCH /api/v1/employee/{employee}/profile`: partial update.
async fn patch_profile(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    write_profile(&req, &path, &body, &dir, false)
}

fn write_profile(req: &HttpRequest, id: &str, body: &[u8], dir: &Dir, replace: bool) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(req, dir, &state)?;
    let index = find(&state, &caller, id)?;
    // An employee may edit its own profile; others need an administrator.
    let own = caller.account.is_some() && state.employees[index].account == caller.account;
    if !own {
        caller.require_admin()?;
    }
    let body = object(req, body)?;
    update_profile(&mut state.employees[index].profile, &body, &EMPLOYEE_PROFILE, &["birthDate", "joinDate"], replace)?;
    written(&state.employees[index].profile, replace)
}
