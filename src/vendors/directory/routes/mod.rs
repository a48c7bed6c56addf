//! The Directory module's routes, one file per resource, and what they share: the caller, JSON
//! bodies validated the way a Spring API does it, UUID paths, the 404 that never tells another
//! organization's ids from unknown ones.

mod accounts;
mod employees;
mod groups;
mod organizations;

use super::auth::{self, Caller};
use super::store::{DirectoryStore, State};
use crate::common::email::valid_email;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::spring;
use crate::sandbox::InSandbox;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Map, Value};

type Dir = InSandbox<DirectoryStore>;
type Answer = Result<HttpResponse, ApiError>;

/// Registers every route relative to `/directory`. Literal segments (`profile`, `keys`,
/// `alias`, `by-*`, `org-admins`, `for-org`) are registered before the `{id}` routes so they are
/// never taken for an id.
pub fn configure(cfg: &mut web::ServiceConfig) {
    organizations::configure(cfg);
    accounts::configure(cfg);
    employees::configure(cfg);
    groups::configure(cfg);
}

fn caller(req: &HttpRequest, dir: &Dir, state: &State) -> Result<Caller, ApiError> {
    auth::authenticate(req, state, dir.sandbox.clock.now())
}

/// The creation/change time of records made through the API.
fn now(dir: &Dir) -> String {
    super::seed::timestamp(dir.sandbox.clock.now())
}

/// 404 `no Entity with that ID`: unknown ids and ids of another organization alike.
fn not_found() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "no Entity with that ID")
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::with_message(ErrorKind::BadRequest, message)
}

fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::with_message(ErrorKind::Conflict, message)
}

fn ok<T: Serialize>(value: &T) -> Answer {
    Ok(HttpResponse::Ok().json(value))
}

fn created<T: Serialize>(value: &T) -> Answer {
    Ok(HttpResponse::Created().json(value))
}

/// A profile write's answer: 201 for create-or-replace (POST), 200 for a partial update (PATCH).
fn written<T: Serialize>(value: &T, replace: bool) -> Answer {
    if replace { created(value) } else { ok(value) }
}

/// A path or body id that must be a UUID (Spring's conversion error otherwise).
fn uuid(text: &str) -> Result<&str, ApiError> {
    let b = text.as_bytes();
    let shaped = b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() });
    if shaped { Ok(text) } else { Err(bad(format!("Invalid UUID string: {text}"))) }
}

/// The JSON body as an object (415 for another media type, as Spring's `@RequestBody`).
fn object(req: &HttpRequest, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match spring::json_body(req, body)? {
        Value::Object(map) => Ok(map),
        _ => Err(bad("JSON parse error: expected an object")),
    }
}

/// A string field; `required` ones must not be blank.
fn text(map: &Map<String, Value>, field: &str, required: bool) -> Result<Option<String>, ApiError> {
    match map.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) | None | Some(Value::Null) if required => {
            Err(bad(format!("{field}: must not be blank")))
        }
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("{field}: must be a string"))),
    }
}

fn email(map: &Map<String, Value>, field: &str, required: bool) -> Result<Option<String>, ApiError> {
    let value = text(map, field, required)?;
    if value.as_deref().is_some_and(|e| !valid_email(e)) {
        return Err(bad(format!("{field}: must be a well-formed email address")));
    }
    Ok(value)
}

/// An enumeration: the vendor's lists are not public, so any UPPER_CASE value is accepted.
fn upper(map: &Map<String, Value>, field: &str, required: bool) -> Result<Option<String>, ApiError> {
    let value = text(map, field, required)?;
    if value.as_deref().is_some_and(|v| !v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')) {
        return Err(bad(format!("{field}: must be an UPPER_CASE value")));
    }
    Ok(value)
}

/// A UUID field.
fn uuid_field(map: &Map<String, Value>, field: &str, required: bool) -> Result<Option<String>, ApiError> {
    let value = text(map, field, required)?;
    if let Some(id) = &value {
        uuid(id).map_err(|_| bad(format!("{field}: must be a UUID")))?;
    }
    Ok(value)
}

/// Create-or-replace (POST: what is not sent becomes empty) or partial update (PATCH) of a
/// profile of string fields; `dates` must be `YYYY-MM-DD`.
fn update_profile(
    profile: &mut Map<String, Value>,
    body: &Map<String, Value>,
    fields: &[&str],
    dates: &[&str],
    replace: bool,
) -> Result<(), ApiError> {
    let mut next = if replace { Map::new() } else { profile.clone() };
    for field in fields {
        match body.get(*field) {
            None => {}
            Some(Value::Null) => {
                next.remove(*field);
            }
            Some(Value::String(s)) => {
                if dates.contains(field) && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() {
                    return Err(bad(format!("{field}: must be a date YYYY-MM-DD")));
                }
                next.insert((*field).to_owned(), Value::String(s.clone()));
            }
            Some(_) => return Err(bad(format!("{field}: must be a string"))),
        }
    }
    *profile = next;
    Ok(())
}
