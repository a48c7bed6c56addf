//! Deductions: the types (a bare array), the filtered list, and create / update / cancel with a
//! result per row (`operation_id`), so one bad row never fails the others.

use super::{Answer, Jw, authorize, bad, json_body, page};
use crate::common::error::ApiError;
use crate::common::query::{self, last};
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::justworks::model::Deduction;
use crate::vendors::justworks::store::State;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Map, Value, json};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/v1/deduction-types").get(types))
        .service(endpoint("/v1/deductions").get(list).post(create).put(update))
        .service(endpoint("/v1/deductions/cancel").patch(cancel));
}

/// `GET /v1/deduction-types` (`deductions:read`): a bare array.
async fn types(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "deductions:read")?;
    Ok(HttpResponse::Ok().json(&state.deduction_types))
}

/// `GET /v1/deductions` (`deductions:read`) with `deduction_type`, `frequency`, `description`,
/// `member_id`.
async fn list(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "deductions:read")?;
    let pairs = query::pairs(req.query_string());
    let (kind, frequency, description, member) = (
        last(&pairs, "deduction_type"),
        last(&pairs, "frequency"),
        last(&pairs, "description"),
        last(&pairs, "member_id"),
    );
    let items: Vec<(usize, &Deduction)> = state
        .deductions
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.canceled)
        .filter(|(_, d)| kind.is_none_or(|k| d.deduction_type_code == k))
        .filter(|(_, d)| frequency.is_none_or(|f| d.frequency == f))
        .filter(|(_, d)| {
            description
                .is_none_or(|t| d.description.as_deref().is_some_and(|x| x.to_lowercase().contains(&t.to_lowercase())))
        })
        .filter(|(_, d)| member.is_none_or(|m| d.member_id == m))
        .collect();
    page(&pairs, &items)
}

/// The body's `items` array.
fn items(req: &HttpRequest, body: &[u8], key: &str) -> Result<Vec<Value>, ApiError> {
    match json_body(req, body)? {
        Some(Value::Object(mut map)) => match map.remove(key) {
            Some(Value::Array(items)) if !items.is_empty() => Ok(items),
            _ => Err(bad(format!("{key} must be a non-empty array"))),
        },
        _ => Err(bad("the body must be a JSON object")),
    }
}

/// One row's outcome.
fn row(operation_id: &Value, deduction_id: Option<&str>, member_id: Option<&str>, error: Option<String>) -> Value {
    let mut map = Map::new();
    if !operation_id.is_null() {
        map.insert("operation_id".into(), operation_id.clone());
    }
    if let Some(id) = deduction_id {
        map.insert("deduction_id".into(), json!(id));
    }
    if let Some(id) = member_id {
        map.insert("member_id".into(), json!(id));
    }
    map.insert("success".into(), json!(error.is_none()));
    if let Some(message) = error {
        map.insert("error_message".into(), json!(message));
    }
    Value::Object(map)
}

/// Applies a row's fields onto a deduction (all of them for a create), checking each.
fn apply(state: &State, item: &Map<String, Value>, target: &mut Deduction, creating: bool) -> Result<(), String> {
    let text = |name: &str| item.get(name).and_then(Value::as_str);
    let required = |name: &str| -> Result<(), String> {
        if creating && item.get(name).is_none_or(Value::is_null) { Err(format!("{name} is required")) } else { Ok(()) }
    };
    for name in ["member_id", "amount_type", "amount", "currency", "deduction_type_code", "frequency", "start_date"] {
        required(name)?;
    }
    if let Some(member) = text("member_id") {
        if !state.members.iter().any(|m| m.id == member) {
            return Err(format!("member {member} not found"));
        }
        target.member_id = member.to_owned();
    }
    if let Some(kind) = text("amount_type") {
        if kind != "fixed" && kind != "percentage" {
            return Err("amount_type must be fixed or percentage".into());
        }
        target.amount_type = kind.to_owned();
    }
    if let Some(amount) = item.get("amount") {
        let amount =
            amount.as_i64().filter(|a| *a >= 0).ok_or("amount must be a whole number of cents (or 1/10000 percent)")?;
        target.amount = amount;
    }
    if target.amount_type == "percentage" && target.amount > 1_000_000 {
        return Err("a percentage amount cannot exceed 100% (1000000)".into());
    }
    if let Some(currency) = text("currency") {
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err("currency must be an ISO 4217 code".into());
        }
        target.currency = currency.to_owned();
    }
    if let Some(code) = text("deduction_type_code") {
        if !state.deduction_types.iter().any(|t| t["code"] == code) {
            return Err(format!("deduction type {code} does not exist"));
        }
        target.deduction_type_code = code.to_owned();
    }
    if let Some(frequency) = text("frequency") {
        if frequency != "one_time" && frequency != "every_paycheck" {
            return Err("frequency must be one_time or every_paycheck".into());
        }
        target.frequency = frequency.to_owned();
    }
    for (name, slot) in [("start_date", Some(&mut target.start_date)), ("end_date", None)] {
        if let Some(day) = text(name) {
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| format!("{name} must be a date YYYY-MM-DD"))?;
            match slot {
                Some(start) => *start = day.to_owned(),
                None => target.end_date = Some(day.to_owned()),
            }
        }
    }
    if target.end_date.as_deref().is_some_and(|end| end < target.start_date.as_str()) {
        return Err("end_date is before start_date".into());
    }
    if let Some(description) = text("description") {
        target.description = Some(description.to_owned());
    }
    Ok(())
}

/// `POST /v1/deductions` (`deductions:write`) `{"items": [...]}`.
async fn create(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let mut state = jw.store.write();
    authorize(&req, &jw, &state, "deductions:write")?;
    let mut results = Vec::new();
    for item in items(&req, &body, "items")? {
        let operation_id = item.get("operation_id").cloned().unwrap_or(Value::Null);
        let Some(map) = item.as_object().filter(|_| operation_id.is_string()) else {
            results.push(row(&operation_id, None, None, Some("operation_id is required".into())));
            continue;
        };
        let mut deduction = Deduction {
            id: String::new(),
            member_id: String::new(),
            deduction_type_code: String::new(),
            description: None,
            amount_type: String::new(),
            amount: 0,
            currency: String::new(),
            frequency: String::new(),
            start_date: String::new(),
            end_date: None,
            canceled: false,
        };
        let room = crate::common::records::room_for("deductions", state.deductions.len(), 1)
            .map_err(|_| crate::common::records::full("deductions"));
        match room.and_then(|()| apply(&state, map, &mut deduction, true)) {
            Ok(()) => {
                deduction.id = state.new_id("deduction");
                results.push(row(&operation_id, Some(&deduction.id), Some(&deduction.member_id), None));
                state.deductions.push(deduction);
            }
            Err(message) => {
                results.push(row(&operation_id, None, map.get("member_id").and_then(Value::as_str), Some(message)))
            }
        }
    }
    Ok(HttpResponse::Ok().json(json!({"items": results})))
}

/// `PUT /v1/deductions` (`deductions:write`) `{"items": [{"deduction_id", ...}]}`.
async fn update(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let mut state = jw.store.write();
    authorize(&req, &jw, &state, "deductions:write")?;
    let mut results = Vec::new();
    for item in items(&req, &body, "items")? {
        let operation_id = item.get("operation_id").cloned().unwrap_or(Value::Null);
        let id = item.get("deduction_id").and_then(Value::as_str).unwrap_or("").to_owned();
        let index = state.deductions.iter().position(|d| d.id == id && !d.canceled);
        let outcome = match (item.as_object(), index) {
            (Some(map), Some(index)) => {
                let mut next = state.deductions[index].clone();
                apply(&state, map, &mut next, false).map(|()| state.deductions[index] = next)
            }
            _ => Err(format!("deduction {id} not found")),
        };
        let member = index.map(|i| state.deductions[i].member_id.clone());
        results.push(row(&operation_id, Some(&id), member.as_deref(), outcome.err()));
    }
    Ok(HttpResponse::Ok().json(json!({"items": results})))
}

/// `PATCH /v1/deductions/cancel` (`deductions:write`) `{"deduction_ids": [...]}`.
async fn cancel(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let mut state = jw.store.write();
    authorize(&req, &jw, &state, "deductions:write")?;
    let mut results = Vec::new();
    for id in items(&req, &body, "deduction_ids")? {
        let id = id.as_str().unwrap_or("").to_owned();
        match state.deductions.iter_mut().find(|d| d.id == id && !d.canceled) {
            Some(deduction) => {
                deduction.canceled = true;
                let member = deduction.member_id.clone();
                results.push(row(&Value::Null, Some(&id), Some(&member), None));
            }
            None => results.push(row(&Value::Null, Some(&id), None, Some(format!("deduction {id} not found")))),
        }
    }
    Ok(HttpResponse::Ok().json(json!({"items": results})))
}
