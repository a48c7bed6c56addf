//! Groups (teams, departments) and memberships: list with filters, create (201), get, update,
//! profiles, a group's members, an entity's groups (set = replace, remove).

use super::{Answer, Dir, caller, created, not_found, now, object, ok, text, update_profile, upper, uuid, written};
use crate::common::error::ApiError;
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::directory::auth::Caller;
use crate::vendors::directory::model::{CreationInfo, DEFAULT_MEMBERSHIP, GROUP_PROFILE, Group, Membership};
use crate::vendors::directory::seed::active;
use crate::vendors::directory::store::State;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    const GROUP: &str = "/api/v1/group";
    cfg.service(endpoint(GROUP).get(list).post(create))
        .service(endpoint(&format!("{GROUP}/{{id}}")).get(get).patch(update))
        .service(
            endpoint(&format!("{GROUP}/{{group}}/profile")).get(profile).post(replace_profile).patch(patch_profile),
        )
        .service(endpoint(&format!("{GROUP}/{{group}}/members")).get(members))
        .service(endpoint("/api/v1/entity/{entity}/groups").get(entity_groups).post(set_entity_groups))
        .service(endpoint("/api/v1/entity/{entity}/groups/{group}").delete(remove_entity_group));
}

fn find(state: &State, caller: &Caller, id: &str) -> Result<usize, ApiError> {
    let id = uuid(id)?;
    state.groups.iter().position(|g| g.id == id && g.organization == caller.org).ok_or_else(not_found)
}

/// Whether an id is an entity of the caller's organization: an employee, a group, or an
/// account with a grant there.
fn entity_exists(state: &State, caller: &Caller, id: &str) -> bool {
    state.employees.iter().any(|e| e.id == id && e.organization == caller.org)
        || state.groups.iter().any(|g| g.id == id && g.organization == caller.org)
        || state.accounts.iter().any(|a| a.id == id && a.role_in(&caller.org).is_some())
}

#[derive(Deserialize)]
struct Filters {
    status: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `GET /api/v1/group?status=&type=`.
async fn list(req: HttpRequest, filters: web::Query<Filters>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let groups: Vec<&Group> = state
        .groups
        .iter()
        .filter(|g| g.organization == caller.org)
        .filter(|g| filters.status.as_deref().is_none_or(|s| g.status.current.eq_ignore_ascii_case(s)))
        .filter(|g| filters.kind.as_deref().is_none_or(|t| g.kind.eq_ignore_ascii_case(t)))
        .collect();
    ok(&groups)
}

/// `GET /api/v1/group/{id}`.
async fn get(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&state.groups[find(&state, &caller, &path)?])
}

/// `POST /api/v1/group` `{name, type}`: 201.
async fn create(req: HttpRequest, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let body = object(&req, &body)?;
    let name = text(&body, "name", true)?.unwrap_or_default();
    let kind = upper(&body, "type", true)?.unwrap_or_default();
    crate::common::records::room_for("groups", state.groups.len(), 1)?;
    let id = state.new_id();
    state.groups.push(Group {
        id,
        organization: caller.org.clone(),
        name,
        kind,
        active: true,
        status: active(),
        created: CreationInfo { created_at: now(&dir), created_by: caller.account.clone() },
        profile: Map::new(),
    });
    created(&state.groups.last())
}

/// `PATCH /api/v1/group/{id}` `{name, type}`.
async fn update(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let index = find(&state, &caller, &path)?;
    let body = object(&req, &body)?;
    let name = text(&body, "name", true)?.unwrap_or_default();
    let kind = upper(&body, "type", true)?.unwrap_or_default();
    let group = &mut state.groups[index];
    group.name = name;
    group.kind = kind;
    ok(group)
}

/// `GET /api/v1/group/{group}/profile`: `{icon, description}`.
async fn profile(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    ok(&state.groups[find(&state, &caller, &path)?].profile)
}

/// `POST /api/v1/group/{group}/profile`: create or replace (201).
async fn replace_profile(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    write_profile(&req, &path, &body, &dir, true)
}

/// `PATCH /api/v1/group/{group}/profile`.
async fn patch_profile(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    write_profile(&req, &path, &body, &dir, false)
}

fn write_profile(req: &HttpRequest, id: &str, body: &[u8], dir: &Dir, replace: bool) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(req, dir, &state)?;
    caller.require_admin()?;
    let index = find(&state, &caller, id)?;
    let body = object(req, body)?;
    update_profile(&mut state.groups[index].profile, &body, &GROUP_PROFILE, &[], replace)?;
    written(&state.groups[index].profile, replace)
}

#[derive(Deserialize)]
struct MemberFilters {
    entity: Option<String>,
    membership: Option<String>,
}

/// `GET /api/v1/group/{groupId}/members?entity=&membership=`.
async fn members(req: HttpRequest, path: web::Path<String>, filters: web::Query<MemberFilters>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let group = &state.groups[find(&state, &caller, &path)?].id;
    let members: Vec<&Membership> = state
        .memberships
        .iter()
        .filter(|m| m.group_id == *group)
        .filter(|m| filters.entity.as_deref().is_none_or(|e| m.entity == e))
        .filter(|m| filters.membership.as_deref().is_none_or(|t| m.kind.eq_ignore_ascii_case(t)))
        .collect();
    ok(&members)
}

/// `GET /api/v1/entity/{entity}/groups`.
async fn entity_groups(req: HttpRequest, path: web::Path<String>, dir: Dir) -> Answer {
    let state = dir.store.read();
    let caller = caller(&req, &dir, &state)?;
    let entity = uuid(&path)?;
    if !entity_exists(&state, &caller, entity) {
        return Err(not_found());
    }
    let groups: Vec<&Membership> = state.memberships.iter().filter(|m| m.entity == entity).collect();
    ok(&groups)
}

/// `POST /api/v1/entity/{entity}/groups` `[{groupId, type}]`: replaces the entity's
/// memberships; an unknown group is 404 and nothing changes. Both fields are optional in the
/// reference: `type` defaults to `MEMBER`, an item without `groupId` is skipped.
async fn set_entity_groups(req: HttpRequest, path: web::Path<String>, body: Body, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let entity = uuid(&path)?.to_owned();
    if !entity_exists(&state, &caller, &entity) {
        return Err(not_found());
    }
    let items = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(items)) => items,
        _ => return Err(super::bad("JSON parse error: expected an array of {groupId, type}")),
    };
    let mut next = Vec::with_capacity(items.len());
    for item in &items {
        let map = item.as_object().ok_or_else(|| super::bad("each membership must be an object"))?;
        // Divergence: the reference lists "groupId string · uuid Optional" without saying what
        // an item without one means; it names no group to join, so the sandbox skips it.
        let Some(group) = super::uuid_field(map, "groupId", false)? else { continue };
        let kind = match upper(map, "type", false)? {
            None => DEFAULT_MEMBERSHIP.to_owned(),
            Some(kind) if kind.is_empty() => return Err(super::bad("type: must not be blank")),
            Some(kind) => kind,
        };
        find(&state, &caller, &group)?;
        next.push(Membership { entity: entity.clone(), group_id: group, kind });
    }
    state.memberships.retain(|m| m.entity != entity);
    state.memberships.extend(next);
    Ok(HttpResponse::Ok().finish())
}

/// `DELETE /api/v1/entity/{entity}/groups/{group}`: 200, no content.
async fn remove_entity_group(req: HttpRequest, path: web::Path<(String, String)>, dir: Dir) -> Answer {
    let mut state = dir.store.write();
    let caller = caller(&req, &dir, &state)?;
    caller.require_admin()?;
    let (entity, group) = path.into_inner();
    let (entity, group) = (uuid(&entity)?, uuid(&group)?);
    let before = state.memberships.len();
    state.memberships.retain(|m| !(m.entity == entity && m.group_id == group));
    if state.memberships.len() == before {
        return Err(not_found());
    }
    Ok(HttpResponse::Ok().finish())
}
