//! Orquest's importer routes: the employee PUTs (complex and simplified, list and single), the
//! contracts PUT, the reads an integrator verifies its PUTs with, incidences, and form login.

use super::auth::{self, Caller};
use super::import::{self, Context, Fail, Flavor, MAX_ELEMENTS, Outcome};
use super::model::{Business, Employee};
use super::store::{OrquestStore, State};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::routing::endpoint;
use crate::sandbox::InSandbox;
use crate::scenario::ItemError;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use std::sync::Arc;

type Oq = InSandbox<OrquestStore>;
type Answer = Result<HttpResponse, ApiError>;

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

/// `PUT /api/v2/businesses/{businessId}/employees`: up to 30 complex elements, one status each.
async fn put_complex_list(req: HttpRequest, path: web::Path<String>, body: Bytes, oq: Oq) -> Answer {
    put_list(&req, &path, &body, &oq, Flavor::Complex)
}

/// `PUT /api/v1/businesses/{businessId}/import/simple/employees`: the simplified list.
async fn put_simple_list(req: HttpRequest, path: web::Path<String>, body: Bytes, oq: Oq) -> Answer {
    put_list(&req, &path, &body, &oq, Flavor::Simple)
}

/// `PUT /api/v2/businesses/{businessId}/employees/{employeeId}`: one complex element.
async fn put_complex_one(req: HttpRequest, path: web::Path<(String, String)>, body: Bytes, oq: Oq) -> Answer {
    put_one(&req, &path, &body, &oq, Flavor::Complex)
}

/// `PUT /api/v1/businesses/{businessId}/import/simple/employees/{employeeId}`.
async fn put_simple_one(req: HttpRequest, path: web::Path<(String, String)>, body: Bytes, oq: Oq) -> Answer {
    put_one(&req, &path, &body, &oq, Flavor::Simple)
}

fn put_list(req: &HttpRequest, business_id: &str, body: &Bytes, oq: &Oq, flavor: Flavor) -> Answer {
    let mut state = oq.store.write();
    let (business, caller) = gate(req, &state, business_id, oq.sandbox.clock.now())?;
    let elements = match json_body(req, body)? {
        Value::Array(elements) => elements,
        _ => return Err(bad_body("Cannot deserialize value of type `java.util.ArrayList` from Object value")),
    };
    if elements.len() > MAX_ELEMENTS {
        // Divergence: the docs give the limit, not the status or text of going over it.
        return Err(ApiError::with_message(
            ErrorKind::BadRequest,
            format!("A maximum of {MAX_ELEMENTS} elements is allowed in the request body"),
        ));
    }
    let outcomes = run(req, &mut state, business, caller, business_id, &elements, flavor, oq);
    Ok(HttpResponse::Ok().json(outcomes))
}

fn put_one(req: &HttpRequest, path: &(String, String), body: &Bytes, oq: &Oq, flavor: Flavor) -> Answer {
    let (business_id, employee_id) = path;
    let mut state = oq.store.write();
    let (business, caller) = gate(req, &state, business_id, oq.sandbox.clock.now())?;
    let element = match json_body(req, body)? {
        // An older docs version sent the single element as a one-element array.
        Value::Array(mut list) if list.len() == 1 => list.remove(0),
        Value::Array(_) => return Err(bad_body("Expected one element")),
        element => element,
    };
    let named = element.get("person").and_then(|p| p.get("employeeId")).and_then(Value::as_str);
    if named.is_some_and(|named| named != employee_id) {
        return Err(ApiError::with_message(
            ErrorKind::BadRequest,
            "person.employeeId does not match the path's employeeId",
        ));
    }
    let outcome = run(req, &mut state, business, caller, business_id, &[element], flavor, oq).remove(0);
    Ok(HttpResponse::build(StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::OK)).json(outcome))
}

/// Runs each element on its own, in order.
#[allow(clippy::too_many_arguments)]
fn run(
    req: &HttpRequest,
    state: &mut State,
    business: usize,
    caller: Caller,
    business_id: &str,
    elements: &[Value],
    flavor: Flavor,
    oq: &Oq,
) -> Vec<Outcome> {
    let hook = req.extensions().get::<Arc<ItemError>>().cloned();
    let integration = state.businesses[business].integration_users[caller.user].clone();
    let today = today(&state.businesses[business], oq);
    let ctx = Context { caller: &integration, business_id, today, hook: hook.as_deref() };
    let business = &mut state.businesses[business];
    elements
        .iter()
        .map(|element| {
            let hidden = element
                .get("person")
                .and_then(|p| p.get("employeeId"))
                .and_then(Value::as_str)
                .and_then(|id| business.employees.get(id))
                .is_some_and(|e| !visible(business, e, &integration.node));
            if hidden {
                let employee_id = element["person"]["employeeId"].as_str().map(str::to_owned);
                return Outcome {
                    employee_id,
                    status: 403,
                    message: not_visible("Employee").message.unwrap_or_default(),
                };
            }
            import::element(business, element, flavor, &ctx)
        })
        .collect()
}

/// `PUT /api/v2/businesses/{businessId}/employees/{employeeId}/contracts`.
async fn put_contracts(req: HttpRequest, path: web::Path<(String, String)>, body: Bytes, oq: Oq) -> Answer {
    let (business_id, employee_id) = path.into_inner();
    let mut state = oq.store.write();
    let (index, caller) = gate(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let value = json_body(&req, &body)?;
    let integration = state.businesses[index].integration_users[caller.user].clone();
    let business = &state.businesses[index];
    if business.employees.get(&employee_id).is_some_and(|e| !visible(business, e, &integration.node)) {
        return Err(not_visible("Employee"));
    }
    let ctx = Context { caller: &integration, business_id: &business_id, today: today(business, &oq), hook: None };
    let outcome = match import::contracts_only(&mut state.businesses[index], &employee_id, &value, &ctx) {
        Ok(()) => Outcome { employee_id: Some(employee_id), status: 200, message: "OK".into() },
        Err(Fail(status, message)) => Outcome { employee_id: Some(employee_id), status, message },
    };
    Ok(HttpResponse::build(StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::OK)).json(outcome))
}

/// `GET /api/v2/businesses/{businessId}/employees/{employeeId}`: the person, fields with values only.
async fn get_employee(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, employee_id) = path.into_inner();
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let employee = business.employees.get(&employee_id).ok_or_else(employee_not_found)?;
    if !visible(business, employee, node) {
        return Err(not_visible("Employee"));
    }
    Ok(HttpResponse::Ok().json(&employee.person))
}

/// `GET /api/v2/businesses/{businessId}/services/{serviceId}/employees`.
async fn service_employees(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, service_id) = path.into_inner();
    people_of_service(&req, &oq, &business_id, &service_id, None)
}

/// `GET .../services/{serviceId}/employees/between?from=yyyy-MM-dd&to=yyyy-MM-dd`.
async fn service_employees_between(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, service_id) = path.into_inner();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let param = |name: &str| -> Result<NaiveDate, ApiError> {
        let value = pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).ok_or_else(|| {
            ApiError::with_message(
                ErrorKind::BadRequest,
                format!("Required request parameter '{name}' for method parameter type LocalDate is not present"),
            )
        })?;
        NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
            ApiError::with_message(
                ErrorKind::BadRequest,
                format!("Method parameter '{name}': Failed to convert value of type 'java.lang.String' to required type 'java.time.LocalDate'"),
            )
        })
    };
    let period = (param("from")?, param("to")?);
    people_of_service(&req, &oq, &business_id, &service_id, Some(period))
}

fn people_of_service(
    req: &HttpRequest,
    oq: &Oq,
    business_id: &str,
    service_id: &str,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Answer {
    let state = oq.store.read();
    let (business, node) = reader(req, &state, business_id, oq.sandbox.clock.now())?;
    let service = business.service(service_id).ok_or_else(|| not_exits("Service", service_id))?;
    if !business.is_under(&service.node, node) {
        return Err(not_visible(&format!("Service {service_id}")));
    }
    let people: Vec<&_> = business
        .employees
        .values()
        .filter(|e| {
            e.service_associations.iter().any(|a| {
                a.text("product").is_some_and(|p| service.products.iter().any(|sp| sp.id == p))
                    && period.is_none_or(|(from, to)| a.overlaps(from, to))
            })
        })
        .map(|e| &e.person)
        .collect();
    Ok(HttpResponse::Ok().json(people))
}

/// `GET /api/v2/businesses/{businessId}/products/{productId}/employees`.
async fn product_employees(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, product_id) = path.into_inner();
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let service = business.service_of(&product_id).ok_or_else(|| not_exits("Product", &product_id))?;
    if !business.is_under(&service.node, node) {
        return Err(not_visible(&format!("Product {product_id}")));
    }
    let people: Vec<&_> = business
        .employees
        .values()
        .filter(|e| e.service_associations.iter().any(|a| a.text("product") == Some(product_id.as_str())))
        .map(|e| &e.person)
        .collect();
    Ok(HttpResponse::Ok().json(people))
}

/// `GET /api/v1/business/{businessId}/person/{personId}/service-associations`: each with its
/// `service` and the embedded `person`.
async fn associations(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, employee_id) = path.into_inner();
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let employee = business.employees.get(&employee_id).ok_or_else(employee_not_found)?;
    if !visible(business, employee, node) {
        return Err(not_visible("Employee"));
    }
    let person = json!(employee.person);
    let list: Vec<Value> = employee
        .service_associations
        .iter()
        .map(|a| {
            let mut fields = a.fields.clone();
            if let Some(service) = a.text("product").and_then(|p| business.service_of(p)) {
                fields.insert("service".into(), json!(service.id));
            }
            fields.insert("person".into(), person.clone());
            Value::Object(fields)
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// `GET /api/v1/businesses/{businessId}/users`.
async fn users(req: HttpRequest, path: web::Path<String>, oq: Oq) -> Answer {
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &path, oq.sandbox.clock.now())?;
    let root = business.nodes.iter().any(|n| n.id == node && n.parent.is_none());
    let users: Vec<&_> =
        business.users.iter().filter(|u| root || u.nodes.iter().any(|n| business.is_under(n, node))).collect();
    Ok(HttpResponse::Ok().json(users))
}

/// `GET /api/v1/businesses/{businessId}/services/{serviceId}/employee-roles`.
async fn employee_roles(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, service_id) = path.into_inner();
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let service = business
        .service(&service_id)
        .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, format!("Service {service_id} not exists")))?;
    if !business.is_under(&service.node, node) {
        return Err(not_visible(&format!("Service {service_id}")));
    }
    let roles: Vec<Value> = business
        .employee_roles
        .iter()
        .enumerate()
        .filter(|(_, role)| service.employee_roles.contains(&role.name))
        .map(|(i, role)| {
            let mut view = serde_json::Map::new();
            if let Some(id) = &role.id {
                view.insert("id".into(), json!(id));
            }
            view.insert("orquestId".into(), json!(19_985 + i));
            view.insert("name".into(), json!(role.name));
            view.insert("color".into(), json!(role.color));
            Value::Object(view)
        })
        .collect();
    Ok(HttpResponse::Ok().json(roles))
}

/// `GET /api/v1/business/{businessId}/services` (also under `/api/v2/businesses/`).
async fn services(req: HttpRequest, path: web::Path<String>, oq: Oq) -> Answer {
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &path, oq.sandbox.clock.now())?;
    // Divergence: the services list's fields are not documented; id, name, products are the sandbox's.
    let list: Vec<Value> = business
        .services
        .iter()
        .filter(|s| business.is_under(&s.node, node))
        .map(|s| json!({"id": s.id, "name": s.name, "products": s.products}))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// `POST /api/v1/import/incidences`: one employee's incidences (business named in the body).
async fn incidences(req: HttpRequest, body: Bytes, oq: Oq) -> Answer {
    let mut state = oq.store.write();
    let caller = auth::authenticate(&req, &state, oq.sandbox.clock.now())?;
    let value = json_body(&req, &body)?;
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
async fn login(form: Bytes, oq: Oq) -> Answer {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&form).unwrap_or_default();
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let session = oq.store.write().login(get("username"), get("password"), oq.sandbox.clock.now());
    let session = session.ok_or_else(|| ApiError::with_message(ErrorKind::Unauthorized, "Bad credentials"))?;
    let cookie = Cookie::build("JSESSIONID", session).path("/").http_only(true).finish();
    Ok(HttpResponse::Ok().cookie(cookie).finish())
}

/// Authentication, then the business of the path.
fn gate(req: &HttpRequest, state: &State, business_id: &str, now: DateTime<Utc>) -> Result<(usize, Caller), ApiError> {
    let caller = auth::authenticate(req, state, now)?;
    Ok((auth::business(state, caller, business_id)?, caller))
}

/// A read's business and the caller's node.
fn reader<'s>(
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
fn visible(business: &Business, employee: &Employee, node: &str) -> bool {
    business.nodes.iter().any(|n| n.id == node && n.parent.is_none())
        || employee.service_associations.iter().any(|a| {
            a.text("product").and_then(|p| business.service_of(p)).is_some_and(|s| business.is_under(&s.node, node))
        })
}

/// Today in the business's time zone, on the sandbox clock (the `lag` window's reference).
fn today(business: &Business, oq: &Oq) -> NaiveDate {
    let now = oq.sandbox.clock.now();
    business.timezone.parse::<Tz>().map_or_else(|_| now.date_naive(), |tz| now.with_timezone(&tz).date_naive())
}

/// Spring's JSON body reading: `application/json` only, Jackson's parse errors.
fn json_body(req: &HttpRequest, body: &Bytes) -> Result<Value, ApiError> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json") {
        return Err(ApiError::new(ErrorKind::UnsupportedMediaType));
    }
    if body.is_empty() {
        return Err(ApiError::with_message(ErrorKind::MalformedBody, "Required request body is missing"));
    }
    serde_json::from_slice(body).map_err(|e| bad_body(&e.to_string()))
}

fn bad_body(detail: &str) -> ApiError {
    ApiError::with_message(ErrorKind::MalformedBody, format!("JSON parse error: {detail}"))
}

fn employee_not_found() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "Employee not found")
}

/// 403 for what lies outside the integration user's node.
fn not_visible(what: &str) -> ApiError {
    ApiError::with_message(ErrorKind::Forbidden, format!("{what} is not visible to the integration user"))
}

/// The docs' own misspelling: `... not exits`.
fn not_exits(what: &str, id: &str) -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, format!("{what} {id} not exits"))
}
