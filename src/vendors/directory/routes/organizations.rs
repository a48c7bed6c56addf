//! Organizations: the current one and by id, create and update, profiles (POST replaces, PATCH
//! merges), the alias and by-app lookups (the secret one takes the secret in the body), API keys.

use super::{
    Answer, Dir, bad, caller, conflict, created, email, not_found, now, object, ok, text, update_profile, upper, uuid,
    written,
};
use crate::common::error::ApiError;
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::directory::auth::{Caller, rank};
use crate::vendors::directory::model::{
    CreationInfo, Grant, ORGANIZATION_PROFILE, Organization, OrganizationKey, Preferences,
};
use crate::vendors::directory::seed::active;
use crate::vendors::directory::store::{Key, State};
use actix_web::{HttpRequest, web};
use bytes::Bytes;
use serde_json::{Map, Value};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    const ORG: &str = "/api/v1/organization";
    cfg.service(endpoint(ORG).get(list).post(create).patch(update_current))
        .service(
            endpoint(&format!("{ORG}/profile"))
                .get(current_profile)
                .post(replace_current_profile)
                .patch(patch_current_profile),
        )
        .service(endpoint(&format!("{ORG}/keys")).post(create_current_key))
        .service(endpoint(&format!("{ORG}/keys/{{key}}")).delete(delete_current_key))
        .service(endpoint(&format!("{ORG}/alias/{{alias}}")).get(by_alias))
        .service(endpoint(&format!("{ORG}/by-app/{{type}}")).get(by_app))
        .service(endpoint(&format!("{ORG}/by-app-id/{{type}}/{{external}}")).get(by_app_id))
        .service(endpoint(&format!("{ORG}/by-app-data/{{type}}/{{key}}/{{value}}")).get(by_app_data))
        .service(endpoint(&format!("{ORG}/by-app-secret/{{type}}/{{key}}")).post(by_app_secret))
        .service(endpoint(&format!("{ORG}/{{organization}}")).get(get).patch(update))
        .service(
            endpoint(&format!("{ORG}/{{organization}}/profile"))
                .get(profile)
                .post(replace_profile)
                .patch(patch_profile),
        )
        .service(endpoint(&format!("{ORG}/{{organization}}/keys")).post(create_key))
        .service(endpoint(&format!("{ORG}/{{organization}}/keys/{{key}}")).delete(delete_key));
}

/// The caller's role in an organization it may see (its own, or one its account has a grant
/// in); any other organization is a 404.
fn access(state: &State, caller: &Caller, org: &str) -> Result<String, ApiError> {
    if org == caller.org {
        return Ok(caller.role.clone());
    }
    let account = caller.account.as_deref().and_then(|id| state.account(id));
    account.and_then(|a| a.role_in(org)).map(str::to_owned).ok_or_else(not_found)
}

fn admin_access(state: &State, caller: &Caller, org: &str) -> Result<usize, ApiError> {
    let role = access(state, caller, org)?;
    if rank(&role) < rank("ADMIN") {
        return Err(ApiError::new(crate::common::error::ErrorKind::Forbidden));
    }
    state.organizations.iter().position(|o| o.id == org).ok_or_else(not_found)
}

/// Organizations the caller sees.
fn visible<'s>(state: &'s State, caller: &Caller) -> Vec<&'s Organization> {
    state.organizations.iter().filter(|o| access(state, caller, &o.id).is_ok()).collect()
}

/// `GET /api/v1/organization`.
async fn list(req: HttpRequest, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&visible(&state, &caller))
}

/// `GET /api/v1/organization/{organization}`.
async fn get(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let id = uuid(&path)?;
    access(&state, &caller, id)?;
    ok(&state.organization(id).ok_or_else(not_found)?)
}

/// `POST /api/v1/organization` `{name, alias, ownerEmail}`: a new organization (201).
async fn create(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let body = object(&req, &body)?;
    let name = text(&body, "name", true)?.unwrap_or_default();
    let alias = text(&body, "alias", false)?.unwrap_or_else(|| slug(&name));
    let owner = owner_account(&state, &body, caller.account.as_deref())?;
    if state.organizations.iter().any(|o| o.alias == alias) {
        return Err(conflict(format!("alias {alias} is already taken")));
    }
    crate::common::records::room_for("organizations", state.organizations.len(), 1)?;
    let id = state.new_id();
    let created_at = now(&dir);
    let organization = Organization {
        id: id.clone(),
        name,
        active: true,
        status: active(),
        created: CreationInfo { created_at, created_by: caller.account.clone() },
        alias,
        owners: owner.iter().cloned().collect(),
        profile: Map::new(),
        apps: Vec::new(),
        keys: Vec::new(),
        preferences: Preferences::default(),
        mappings: Vec::new(),
    };
    if let Some(account) = owner.and_then(|o| state.accounts.iter_mut().find(|a| a.id == o)) {
        account.grants.push(Grant { org_id: id, role: "OWNER".into(), employee_id: None });
    }
    state.organizations.push(organization);
    created(&state.organizations.last())
}

/// `PATCH /api/v1/organization`: the current organization.
async fn update_current(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    let org = {
        let state = dir.store.read();
        caller(&req, &dir, &state)?.org
    };
    patch_organization(&req, &org, &body, &dir)
}

/// `PATCH /api/v1/organization/{organization}`.
async fn update(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    patch_organization(&req, uuid(&path)?, &body, &dir)
}

fn patch_organization(req: &HttpRequest, org: &str, body: &[u8], dir: &Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(req, dir, &state)?;
    let index = admin_access(&state, &caller, org)?;
    let body = object(req, body)?;
    let name = text(&body, "name", true)?.unwrap_or_default();
    let alias = text(&body, "alias", false)?;
    let owner = owner_account(&state, &body, None)?;
    if let Some(alias) = &alias
        && state.organizations.iter().any(|o| o.alias == *alias && o.id != org)
    {
        return Err(conflict(format!("alias {alias} is already taken")));
    }
    let organization = &mut state.organizations[index];
    organization.name = name;
    if let Some(alias) = alias {
        organization.alias = alias;
    }
    if let Some(owner) = owner {
        if !organization.owners.contains(&owner) {
            organization.owners.push(owner.clone());
        }
        if let Some(account) = state.accounts.iter_mut().find(|a| a.id == owner) {
            match account.grants.iter_mut().find(|g| g.org_id == org) {
                Some(grant) => grant.role = "OWNER".into(),
                None => account.grants.push(Grant { org_id: org.to_owned(), role: "OWNER".into(), employee_id: None }),
            }
        }
    }
    ok(&state.organizations[index])
}

/// `ownerEmail`: an existing account (404 otherwise), or the default owner.
fn owner_account(state: &State, body: &Map<String, Value>, default: Option<&str>) -> Result<Option<String>, ApiError> {
    match email(body, "ownerEmail", false)? {
        Some(owner) => state.account(&owner).map(|a| Some(a.id.clone())).ok_or_else(not_found),
        None => Ok(default.map(str::to_owned)),
    }
}

fn slug(name: &str) -> String {
    let slug: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-")
}

/// `GET /api/v1/organization/profile`.
async fn current_profile(req: HttpRequest, dir: Dir) -> Answer {
    let state = dir.store.read();
    let org = caller(&req, &dir, &state)?.org;
    ok(&state.organization(&org).ok_or_else(not_found)?.profile)
}

/// `GET /api/v1/organization/{organization}/profile`.
async fn profile(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    access(&state, &caller, uuid(&path)?)?;
    ok(&state.organization(&path).ok_or_else(not_found)?.profile)
}

/// `POST /api/v1/organization/profile`: create or replace (201).
async fn replace_current_profile(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    write_profile(&req, None, &body, &dir, true)
}

/// `PATCH /api/v1/organization/profile`: partial update.
async fn patch_current_profile(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    write_profile(&req, None, &body, &dir, false)
}

/// `POST /api/v1/organization/{organization}/profile`.
async fn replace_profile(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    write_profile(&req, Some(uuid(&path)?), &body, &dir, true)
}

/// `PATCH /api/v1/organization/{organization}/profile`.
async fn patch_profile(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    write_profile(&req, Some(uuid(&path)?), &body, &dir, false)
}

fn write_profile(req: &HttpRequest, org: Option<&str>, body: &[u8], dir: &Dir, replace: bool) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(req, dir, &state)?;
    let index = admin_access(&state, &caller, org.unwrap_or(&caller.org))?;
    let body = object(req, body)?;
    update_profile(&mut state.organizations[index].profile, &body, &ORGANIZATION_PROFILE, &[], replace)?;
    written(&state.organizations[index].profile, replace)
}

/// `GET /api/v1/organization/alias/{alias}`.
async fn by_alias(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&visible(&state, &caller).into_iter().find(|o| o.alias == *path).ok_or_else(not_found)?)
}

/// `GET /api/v1/organization/by-app/{type}`.
async fn by_app(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let kind = path.into_inner();
    apps_matching(&req, &dir, |app| app.kind == kind)
}

/// `GET /api/v1/organization/by-app-id/{type}/{externalId}`.
async fn by_app_id(req: HttpRequest, path: web::Path<(String, String)>, dir: Dir) -> Answer {
    let (kind, external) = path.into_inner();
    apps_matching(&req, &dir, |app| app.kind == kind && app.external_id == external)
}

/// `GET /api/v1/organization/by-app-data/{type}/{key}/{value}`.
async fn by_app_data(req: HttpRequest, path: web::Path<(String, String, String)>, dir: Dir) -> Answer {
    let (kind, key, value) = path.into_inner();
    apps_matching(&req, &dir, |app| {
        app.kind == kind && app.app_data.get(&key).and_then(Value::as_str) == Some(value.as_str())
    })
}

/// `POST /api/v1/organization/by-app-secret/{type}/{key}` `{secret}`: the secret stays out of URLs.
async fn by_app_secret(req: HttpRequest, path: web::Path<(String, String)>, body: Bytes, dir: Dir) -> Answer {
    let (kind, key) = path.into_inner();
    let secret = text(&object(&req, &body)?, "secret", true)?.unwrap_or_default();
    apps_matching(&req, &dir, |app| {
        app.kind == kind && app.secret_data.get(&key).and_then(Value::as_str) == Some(secret.as_str())
    })
}

/// The organizations the caller sees that have an app matching `test`.
fn apps_matching(
    req: &HttpRequest,
    dir: &Dir,
    test: impl Fn(&crate::vendors::directory::model::App) -> bool,
) -> Answer {
    let state = dir.store.read();
    let caller = caller(req, dir, &state)?;
    let found: Vec<&Organization> = visible(&state, &caller).into_iter().filter(|o| o.apps.iter().any(&test)).collect();
    ok(&found)
}

/// `POST /api/v1/organization/keys` `{name, limitToRole}`: the secret is in this answer only.
async fn create_current_key(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    add_key(&req, None, &body, &dir)
}

/// `POST /api/v1/organization/{organization}/keys`.
async fn create_key(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    add_key(&req, Some(uuid(&path)?), &body, &dir)
}

fn add_key(req: &HttpRequest, org: Option<&str>, body: &[u8], dir: &Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(req, dir, &state)?;
    let org = org.unwrap_or(&caller.org).to_owned();
    let index = admin_access(&state, &caller, &org)?;
    let body = object(req, body)?;
    let name = text(&body, "name", true)?.unwrap_or_default();
    let limit_to_role = upper(&body, "limitToRole", false)?;
    // A key never grants more than its creator has.
    if limit_to_role.as_deref().map_or(rank("OWNER"), rank) > rank(&caller.role) {
        return Err(bad("limitToRole: must not exceed the caller's own role"));
    }
    crate::common::records::room_for("API keys", state.keys.len(), 1)?;
    let (id, secret) = (state.new_id(), state.new_secret());
    let key = OrganizationKey { id: id.clone(), name, secret_base64: None, limit_to_role: limit_to_role.clone() };
    state.organizations[index].keys.push(key.clone());
    state.keys.push(Key { secret: secret.clone(), org, id, limit_to_role });
    created(&OrganizationKey { secret_base64: Some(secret), ..key })
}

/// `DELETE /api/v1/organization/keys/{key}`: revokes the key; answers the deleted key.
async fn delete_current_key(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    remove_key(&req, None, uuid(&path)?, &dir)
}

/// `DELETE /api/v1/organization/{organization}/keys/{key}`.
async fn delete_key(req: HttpRequest, path: web::Path<(String, String)>, dir: Dir) -> Answer {
    let (org, key) = path.into_inner();
    remove_key(&req, Some(uuid(&org)?), uuid(&key)?, &dir)
}

fn remove_key(req: &HttpRequest, org: Option<&str>, key: &str, dir: &Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(req, dir, &state)?;
    let org = org.unwrap_or(&caller.org).to_owned();
    let index = admin_access(&state, &caller, &org)?;
    let position = state.organizations[index].keys.iter().position(|k| k.id == key).ok_or_else(not_found)?;
    // Divergence: the docs say only "OK, application/json"; the answer is the deleted key.
    let removed = state.organizations[index].keys.remove(position);
    state.keys.retain(|k| k.id != key);
    ok(&removed)
}
