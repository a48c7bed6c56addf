//! The reads an integrator verifies its PUTs with: an employee, the people of a service or a
//! product, service associations, users, employee roles and services.

use super::{Answer, Oq, employee_not_found, not_exits, not_visible, reader, visible};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::query;
use crate::vendors::orquest::model::{Business, Dated, Person, Service};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// `GET /api/v2/businesses/{businessId}/employees/{employeeId}`: the person, fields with values only.
pub(super) async fn get_employee(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
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
pub(super) async fn service_employees(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, service_id) = path.into_inner();
    people_of_service(&req, &oq, &business_id, &service_id, None)
}

/// `GET .../services/{serviceId}/employees/between?from=yyyy-MM-dd&to=yyyy-MM-dd`.
pub(super) async fn service_employees_between(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, service_id) = path.into_inner();
    let pairs = query::pairs(req.query_string());
    let param = |name: &str| -> Result<NaiveDate, ApiError> {
        let value = query::last(&pairs, name).ok_or_else(|| {
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
    let found = business.service(service_id).ok_or_else(|| not_exits("Service", service_id));
    let service = seen_from(business, node, found, &format!("Service {service_id}"))?;
    Ok(HttpResponse::Ok().json(people_associated(business, |a| {
        a.text("product").is_some_and(|p| service.products.iter().any(|sp| sp.id == p))
            && period.is_none_or(|(from, to)| a.overlaps(from, to))
    })))
}

/// The service found, if the integration user's `node` sees it (403 naming `what` if not).
fn seen_from<'b>(
    business: &Business,
    node: &str,
    found: Result<&'b Service, ApiError>,
    what: &str,
) -> Result<&'b Service, ApiError> {
    let service = found?;
    if business.is_under(&service.node, node) { Ok(service) } else { Err(not_visible(what)) }
}

/// The people with at least one service association `matches` accepts.
fn people_associated(business: &Business, matches: impl Fn(&Dated) -> bool) -> Vec<&Person> {
    business.employees.values().filter(|e| e.service_associations.iter().any(&matches)).map(|e| &e.person).collect()
}

/// `GET /api/v2/businesses/{businessId}/products/{productId}/employees`.
pub(super) async fn product_employees(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, product_id) = path.into_inner();
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let found = business.service_of(&product_id).ok_or_else(|| not_exits("Product", &product_id));
    seen_from(business, node, found, &format!("Product {product_id}"))?;
    Ok(HttpResponse::Ok().json(people_associated(business, |a| a.text("product") == Some(product_id.as_str()))))
}

/// `GET /api/v1/business/{businessId}/person/{personId}/service-associations`: each with its
/// `service` and the embedded `person`.
pub(super) async fn associations(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
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
pub(super) async fn users(req: HttpRequest, path: web::Path<String>, oq: Oq) -> Answer {
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &path, oq.sandbox.clock.now())?;
    let root = business.nodes.iter().any(|n| n.id == node && n.parent.is_none());
    let users: Vec<&_> =
        business.users.iter().filter(|u| root || u.nodes.iter().any(|n| business.is_under(n, node))).collect();
    Ok(HttpResponse::Ok().json(users))
}

/// `GET /api/v1/businesses/{businessId}/services/{serviceId}/employee-roles`.
pub(super) async fn employee_roles(req: HttpRequest, path: web::Path<(String, String)>, oq: Oq) -> Answer {
    let (business_id, service_id) = path.into_inner();
    let state = oq.store.read();
    let (business, node) = reader(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let missing = || ApiError::with_message(ErrorKind::NotFound, format!("Service {service_id} not exists"));
    let service =
        seen_from(business, node, business.service(&service_id).ok_or_else(missing), &format!("Service {service_id}"))?;
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
pub(super) async fn services(req: HttpRequest, path: web::Path<String>, oq: Oq) -> Answer {
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
