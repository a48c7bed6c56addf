//! Orquest's importer routes: the employee PUTs and the contracts PUT (`imports.rs`), the reads an
//! integrator verifies its PUTs with (`reads.rs`), and here incidences, form login and the
//! helpers they share (authentication, the business gate, Spring's JSON body).

mod imports;
mod reads;

use imports::{put_complex_list, put_complex_one, put_contracts, put_simple_list, put_simple_one};
use reads::{
    associations, employee_roles, get_employee, product_employees, service_employees, service_employees_between,
    services, users,
};

use super::auth::{self, Caller};
use super::import::{self, Fail};
use super::model::{Business, Employee};
use super::store::{OrquestStore, State};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::routing::endpoint;
use crate::families::spring;
use crate::sandbox::{Body, InSandbox};
use actix_web::cookie::Cookie;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

pub(super) type Oq = InSandbox<OrquestStore>;
pub(super) type Answer = Result<HttpResponse, ApiError>;

/// Registers the routes relative to `/orquest`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let v1 = "/api/v1/businesses/{business}";
    let v2 = "/api/v2/businesses/{business}";
    cfg.service(endpoint(&format!("{v2}/employees")).put(put_complex_list))
        .service(endpoint(&format!("{v2}/employees/{{employee}}/contracts")).put(put_contracts))
        .service(endpoint(&format!("{v2}/employees/{{employee}}")).put(put_complex_one).get(get_employee))
        .service(endpoint(&format!("{v1}/import/simple/employees")).put(put_simple_list))
        .service(endpoint(&format!("{v1}/import/simple/employees/{{employee}}")).put(put_simple_one))
        .service(endpoint(&format!("{v2}/services/{{service}}/employees/between")).get(service_employees_between))
        .service(endpoint(&format!("{v2}/services/{{service}}/employees")).get(service_employees))
        .service(endpoint(&format!("{v2}/products/{{product}}/employees")).get(product_employees))
        .service(endpoint("/api/v1/business/{business}/person/{employee}/service-associations").get(associations))
        .service(endpoint(&format!("{v1}/users")).get(users))
        .service(endpoint(&format!("{v1}/services/{{service}}/employee-roles")).get(employee_roles))
        .service(endpoint("/api/v1/business/{business}/services").get(services))
        .service(endpoint(&format!("{v2}/services")).get(services))
        .service(endpoint("/api/v1/import/incidences").post(incidences))
        .service(endpoint("/login").post(login));
}

/// `POST /api/v1/import/incidences`: one employee's incidences (business named in the body).
async fn incidences(req: HttpRequest, body: Body, oq: Oq) -> Answer {
    let mut state = oq.store.write();
    let caller = auth::authenticate(&req, &state, oq.sandbox.clock.now())?;
    let value = spring::json_body(&req, &body)?;
    let business_id = value.get("business").and_then(Value::as_str).unwrap_or("").to_owned();
    if business_id.is_empty() {
        return Err(ApiError::with_message(ErrorKind::BadRequest, "business is mandatory"));
    }
    let index = auth::business(&state, caller, &business_id)?;
    match import::incidences(&mut state.businesses[index], &value) {
        Ok(employee_id) => {
            Ok(HttpResponse::Ok().json(json!({"employeeId": employee_id, "status": 200, "message": "OK"})))
        }
        Err(Fail(status, message)) => {
            let kind = match status {
                404 => ErrorKind::NotFound,
                409 => ErrorKind::Conflict,
                _ => ErrorKind::BadRequest,
            };
            Err(ApiError::with_message(kind, message))
        }
    }
}

/// `POST /login` (deprecated form login): a `JSESSIONID` cookie for later calls.
async fn login(form: Body, oq: Oq) -> Answer {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&form).unwrap_or_default();
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let session = oq.store.write().login(get("username"), get("password"), oq.sandbox.clock.now());
    let session = session.ok_or_else(|| ApiError::with_message(ErrorKind::Unauthorized, "Bad credentials"))?;
    let cookie = Cookie::build("JSESSIONID", session).path("/").http_only(true).finish();
    Ok(HttpResponse::Ok().cookie(cookie).finish())
}

/// Authentication, then the business of the path.
pub(super) fn gate(
    req: &HttpRequest,
    state: &State,
    business_id: &str,
    now: DateTime<Utc>,
) -> Result<(usize, Caller), ApiError> {
    let caller = auth::authenticate(req, state, now)?;
    Ok((auth::business(state, caller, business_id)?, caller))
}

/// A read's business and the caller's node.
pub(super) fn reader<'s>(
    req: &HttpRequest,
    state: &'s State,
    business_id: &str,
    now: DateTime<Utc>,
) -> Result<(&'s Business, &'s str), ApiError> {
    let (index, caller) = gate(req, state, business_id, now)?;
    let business = &state.businesses[index];
    Ok((business, business.integration_users[caller.user].node.as_str()))
}

/// Whether an integration user on `node` sees the employee: through one of its associations
/// (the root node sees everyone).
pub(super) fn visible(business: &Business, employee: &Employee, node: &str) -> bool {
    business.nodes.iter().any(|n| n.id == node && n.parent.is_none())
        || employee.service_associations.iter().any(|a| {
            a.text("product").and_then(|p| business.service_of(p)).is_some_and(|s| business.is_under(&s.node, node))
        })
}

/// Today in the business's time zone, on the sandbox clock (the `lag` window's reference).
pub(super) fn today(business: &Business, oq: &Oq) -> NaiveDate {
    let now = oq.sandbox.clock.now();
    business.timezone.parse::<Tz>().map_or_else(|_| now.date_naive(), |tz| now.with_timezone(&tz).date_naive())
}

pub(super) fn bad_body(detail: &str) -> ApiError {
    ApiError::with_message(ErrorKind::MalformedBody, format!("JSON parse error: {detail}"))
}

pub(super) fn employee_not_found() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "Employee not found")
}

/// 403 for what lies outside the integration user's node.
pub(super) fn not_visible(what: &str) -> ApiError {
    ApiError::with_message(ErrorKind::Forbidden, format!("{what} is not visible to the integration user"))
}

/// The docs' own misspelling: `... not exits`.
pub(super) fn not_exits(what: &str, id: &str) -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, format!("{what} {id} not exits"))
}
