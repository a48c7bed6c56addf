//! The employee PUTs (complex and simplified, list and single) and the contracts PUT: each
//! element validated and applied on its own, with its own status.

use super::{Answer, Oq, bad_body, gate, not_visible, today, visible};
use crate::common::error::{ApiError, ErrorKind};
use crate::families::spring;
use crate::sandbox::Body;
use crate::scenario::ItemError;
use crate::vendors::orquest::auth::Caller;
use crate::vendors::orquest::import::{self, Context, Fail, Flavor, MAX_ELEMENTS, Outcome};
use crate::vendors::orquest::store::State;
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;

/// `PUT /api/v2/businesses/{businessId}/employees`: up to 30 complex elements, one status each.
pub(super) async fn put_complex_list(req: HttpRequest, path: web::Path<String>, body: Body, oq: Oq) -> Answer {
    put_list(&req, &path, &body, &oq, Flavor::Complex)
}

/// `PUT /api/v1/businesses/{businessId}/import/simple/employees`: the simplified list.
pub(super) async fn put_simple_list(req: HttpRequest, path: web::Path<String>, body: Body, oq: Oq) -> Answer {
    put_list(&req, &path, &body, &oq, Flavor::Simple)
}

/// `PUT /api/v2/businesses/{businessId}/employees/{employeeId}`: one complex element.
pub(super) async fn put_complex_one(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
    oq: Oq,
) -> Answer {
    put_one(&req, &path, &body, &oq, Flavor::Complex)
}

/// `PUT /api/v1/businesses/{businessId}/import/simple/employees/{employeeId}`.
pub(super) async fn put_simple_one(req: HttpRequest, path: web::Path<(String, String)>, body: Bytes, oq: Oq) -> Answer {
    put_one(&req, &path, &body, &oq, Flavor::Simple)
}

fn put_list(req: &HttpRequest, business_id: &str, body: &Bytes, oq: &Oq, flavor: Flavor) -> Answer {
    let mut state = oq.store.write();
    let (business, caller) = gate(req, &state, business_id, oq.sandbox.clock.now())?;
    let elements = match spring::json_body(req, body)? {
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
    let first_failure = outcomes.iter().map(|o| o.status).find(|status| *status >= 400);
    let status = first_failure.filter(|_| state.settings.list_status_from_first_failure).unwrap_or(200);
    Ok(HttpResponse::build(element_status(status)).json(outcomes))
}

fn put_one(req: &HttpRequest, path: &(String, String), body: &Bytes, oq: &Oq, flavor: Flavor) -> Answer {
    let (business_id, employee_id) = path;
    let mut state = oq.store.write();
    let (business, caller) = gate(req, &state, business_id, oq.sandbox.clock.now())?;
    let mut element = match spring::json_body(req, body)? {
        // An older docs version sent the single element as a one-element array.
        Value::Array(mut list) if list.len() == 1 => list.remove(0),
        Value::Array(_) => return Err(bad_body("Expected one element")),
        element => element,
    };
    // Divergence: the docs say `person.employeeId` should equal the path's; left out, the path's
    // is used (the path names the employee), so a body need not repeat it.
    if let Some(person) = element.get_mut("person").and_then(Value::as_object_mut)
        && person.get("employeeId").is_none_or(Value::is_null)
    {
        person.insert("employeeId".into(), Value::String(employee_id.clone()));
    }
    let named = element.get("person").and_then(|p| p.get("employeeId")).and_then(Value::as_str);
    if named.is_some_and(|named| named != employee_id) {
        return Err(ApiError::with_message(
            ErrorKind::BadRequest,
            "person.employeeId does not match the path's employeeId",
        ));
    }
    let outcome = run(req, &mut state, business, caller, business_id, &[element], flavor, oq).remove(0);
    Ok(HttpResponse::build(element_status(outcome.status)).json(outcome))
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
pub(super) async fn put_contracts(req: HttpRequest, path: web::Path<(String, String)>, body: Bytes, oq: Oq) -> Answer {
    let (business_id, employee_id) = path.into_inner();
    let mut state = oq.store.write();
    let (index, caller) = gate(&req, &state, &business_id, oq.sandbox.clock.now())?;
    let value = spring::json_body(&req, &body)?;
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
    Ok(HttpResponse::build(element_status(outcome.status)).json(outcome))
}

/// An element's status as the HTTP status (scenario statuses are checked when loaded).
fn element_status(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
}
