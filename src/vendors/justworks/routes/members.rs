//! Members: the cursor-paginated list with `status` and every `updated_at*` filter, one member,
//! custom field values, tax ids.

use super::{Answer, Jw, authorize, bad, cursor_body, date};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::query::{self, last};
use crate::common::routing::endpoint;
use crate::vendors::justworks::model::Member;
use crate::vendors::justworks::scopes::Granted;
use crate::vendors::justworks::store::State;
use crate::vendors::justworks::views;
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use chrono::NaiveDate;
use serde_json::{Value, json};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/v1/members").get(list))
        .service(endpoint("/v1/members/{member_id}").get(one))
        .service(endpoint("/v1/members/{member_id}/custom-field-values").get(custom_field_values))
        .service(endpoint("/v1/members/{member_id}/tax-id").get(tax_id));
}

/// How a member's `updated_at` date compares with a filter's date.
type DateTest = fn(NaiveDate, NaiveDate) -> bool;

fn not_found() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "Member not found")
}

/// `GET /v1/members` (`member.basic:read`).
async fn list(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    let granted = authorize(&req, &jw, &state, "member.basic:read")?;
    let pairs = query::pairs(req.query_string());
    let status = last(&pairs, "status");
    if status.is_some_and(|s| s != "active" && s != "terminated") {
        return Err(bad("status must be active or terminated"));
    }
    let mut filters: Vec<(DateTest, NaiveDate)> = Vec::new();
    let ops: [(&str, DateTest); 6] = [
        ("updated_at", |a, b| a == b),
        ("updated_at_gt", |a, b| a > b),
        ("updated_at_gte", |a, b| a >= b),
        ("updated_at_lt", |a, b| a < b),
        ("updated_at_lte", |a, b| a <= b),
        ("updated_at_ne", |a, b| a != b),
    ];
    for (name, op) in ops {
        if let Some(day) = date(&pairs, name)? {
            filters.push((op, day));
        }
    }
    // The list shows neither date of birth nor sex: the docs list those scopes for Get Member only.
    let granted = granted.without(&["member.dob:read", "member.sex:read"]);
    // Members never change after seeding, so a page is a pure function of the scopes and the
    // query, and is kept: the next read of it costs a lookup.
    let key = format!("{} {}", granted.spelled(), req.query_string());
    let body = state.member_pages.get_or_try(&key, || {
        let body = member_page(&state, &granted, status, &filters, &pairs)?;
        Ok::<_, ApiError>(Bytes::from(serde_json::to_vec(&body).unwrap_or_default()))
    })?;
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

/// One page of the members list, filtered by `status` and the `updated_at*` tests.
fn member_page(
    state: &State,
    granted: &Granted,
    status: Option<&str>,
    filters: &[(DateTest, NaiveDate)],
    pairs: &[(String, String)],
) -> Result<Value, ApiError> {
    // Positions first, views for the page only: a page costs a scan of flags and dates, never
    // 100,000 rendered members.
    let picked: Vec<usize> = state
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| status.is_none_or(|s| (s == "active") == m.active))
        .filter(|(_, m)| {
            filters.is_empty() || {
                let updated = updated_on(m);
                filters.iter().all(|(op, day)| updated.is_some_and(|u| op(u, *day)))
            }
        })
        .map(|(key, _)| key)
        .collect();
    let view = |i: usize| views::member(&state.members[picked[i]], &state.company.id, granted);
    cursor_body(pairs, picked.len(), |i| picked[i], view)
}

fn updated_on(member: &Member) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(member.updated_at.get(..10)?, "%Y-%m-%d").ok()
}

/// `GET /v1/members/{member_id}` (`member.basic:read`; optional scopes add fields).
async fn one(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    let granted = authorize(&req, &jw, &state, "member.basic:read")?;
    let member = state.members.iter().find(|m| m.id == *path).ok_or_else(not_found)?;
    Ok(HttpResponse::Ok().json(views::member(member, &state.company.id, &granted)))
}

/// `GET /v1/members/{member_id}/custom-field-values` (`member.detail:read`).
async fn custom_field_values(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "member.detail:read")?;
    let member = state.members.iter().find(|m| m.id == *path).ok_or_else(not_found)?;
    let items: Vec<Value> =
        member.custom_fields.iter().map(|(id, values)| json!({"id": id, "values": values})).collect();
    Ok(HttpResponse::Ok().json(json!({"items": items})))
}

/// `GET /v1/members/{member_id}/tax-id` (`member.tax_id:read`): 400 for international
/// contractors, 404 for EOR and international employees.
async fn tax_id(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "member.tax_id:read")?;
    let member = state.members.iter().find(|m| m.id == *path).ok_or_else(not_found)?;
    match (member.kind.as_str(), &member.ssn) {
        ("international_contractor", _) => Err(bad("Tax ids are not available for international contractors")),
        (_, None) => Err(ApiError::with_message(ErrorKind::NotFound, "Tax id not found")),
        (_, Some(ssn)) => Ok(HttpResponse::Ok().json(json!({"US": {"ssn": ssn}}))),
    }
}
