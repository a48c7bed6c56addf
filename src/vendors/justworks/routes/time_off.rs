//! Time off: policies, requests (date range required), and the asynchronous balances report
//! that stays `pending` until the sandbox clock passes `balance_report_seconds`.

use super::{Answer, Jw, authorize, bad, date, json_body, page};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::query::{self, last};
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::justworks::model::{BalanceReport, Policy, TimeOffRequest};
use crate::vendors::justworks::store::State;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/v1/time-off/policies").get(policies))
        .service(endpoint("/v1/time-off/requests").get(requests))
        .service(endpoint("/v1/time-off/balances").post(start_balances))
        .service(endpoint("/v1/time-off/balances/{report_id}").get(balances));
}

/// `GET /v1/time-off/policies?status=` (`time_off:read`).
async fn policies(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "time_off:read")?;
    let pairs = query::pairs(req.query_string());
    let status = last(&pairs, "status");
    let list: Vec<(usize, &Policy)> =
        state.policies.iter().enumerate().filter(|(_, p)| status.is_none_or(|s| p.status == s)).collect();
    page(&pairs, &list)
}

/// `GET /v1/time-off/requests?start_date=&end_date=` (`time_off:read`), with `member_id`,
/// `policy_id`, `status`; requests overlapping the range.
async fn requests(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "time_off:read")?;
    let pairs = query::pairs(req.query_string());
    let start = date(&pairs, "start_date")?.ok_or_else(|| bad("start_date is required"))?.to_string();
    let end = date(&pairs, "end_date")?.ok_or_else(|| bad("end_date is required"))?.to_string();
    let (member, policy, status) = (last(&pairs, "member_id"), last(&pairs, "policy_id"), last(&pairs, "status"));
    let list: Vec<(usize, &TimeOffRequest)> = state
        .requests
        .iter()
        .enumerate()
        .filter(|(_, r)| r.start_date <= end && r.end_date >= start)
        .filter(|(_, r)| member.is_none_or(|m| r.member_id == m) && policy.is_none_or(|p| r.policy_id == p))
        .filter(|(_, r)| status.is_none_or(|s| r.status == s))
        .collect();
    page(&pairs, &list)
}

/// `POST /v1/time-off/balances` (`time_off:read`) `{member_id, policy_id, as_of_date}`: 202
/// `{"report_id"}`; `as_of_date` is `"YYYY-MM-DD"` or `{"year", "month", "day"}`.
async fn start_balances(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let mut state = jw.store.write();
    authorize(&req, &jw, &state, "time_off:read")?;
    let now = jw.sandbox.clock.now();
    let body = json_body(&req, &body)?.unwrap_or_else(|| json!({}));
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let (member_id, policy_id) = (text("member_id"), text("policy_id"));
    if member_id.as_deref().is_some_and(|m| !state.members.iter().any(|x| x.id == m)) {
        return Err(ApiError::with_message(ErrorKind::NotFound, "Member not found"));
    }
    if policy_id.as_deref().is_some_and(|p| !state.policies.iter().any(|x| x.id == p)) {
        return Err(ApiError::with_message(ErrorKind::NotFound, "Policy not found"));
    }
    let as_of_date = match body.get("as_of_date") {
        None | Some(Value::Null) => now.date_naive(),
        Some(Value::String(s)) => {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("as_of_date must be YYYY-MM-DD"))?
        }
        Some(Value::Object(d)) => {
            let part = |k: &str| d.get(k).and_then(Value::as_u64).and_then(|v| u32::try_from(v).ok());
            part("year")
                .and_then(|y| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, part("month")?, part("day")?))
                .ok_or_else(|| bad("as_of_date must be {year, month, day}"))?
        }
        Some(_) => return Err(bad("as_of_date must be a date")),
    };
    crate::common::records::room_for("balance reports", state.reports.len(), 1)?;
    let report_id = state.new_id("r").trim_start_matches("r_").to_uppercase();
    let ready_at = now + chrono::Duration::seconds(state.balance_report_seconds);
    state.reports.push(BalanceReport { report_id: report_id.clone(), ready_at, member_id, policy_id, as_of_date });
    Ok(HttpResponse::Accepted().json(json!({"report_id": report_id})))
}

/// `GET /v1/time-off/balances/{report_id}`: `pending`, then `completed` with the balances.
async fn balances(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "time_off:read")?;
    let report = state
        .reports
        .iter()
        .find(|r| r.report_id == *path)
        .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, "Report not found"))?;
    if jw.sandbox.clock.now() < report.ready_at {
        return Ok(HttpResponse::Ok()
            .json(json!({"status": "pending", "items": [], "message": "The report is being generated."})));
    }
    Ok(HttpResponse::Ok().json(json!({"status": "completed", "items": balance_items(&state, report)})))
}

/// Hours to the hundredth, never `-0.0` on the wire.
fn hours(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// Accrued hours this year up to the date, minus approved hours taken by then.
fn balance_items(state: &State, report: &BalanceReport) -> Vec<Value> {
    let day_of_year = f64::from(report.as_of_date.ordinal());
    let mut items = Vec::new();
    for member in state.members.iter().filter(|m| m.active && report.member_id.as_deref().is_none_or(|id| m.id == id)) {
        for policy in state
            .policies
            .iter()
            .filter(|p| p.status == "active" && report.policy_id.as_deref().is_none_or(|id| p.id == id))
        {
            let used = hours(
                state
                    .requests
                    .iter()
                    .filter(|r| r.member_id == member.id && r.policy_id == policy.id && r.status == "approved")
                    .filter(|r| r.start_date.as_str() <= report.as_of_date.to_string().as_str())
                    .map(|r| r.amount)
                    .fold(0.0, |sum, amount| sum + amount),
            );
            let accrued = policy.yearly_hours * day_of_year / 365.0;
            items.push(json!({"member_id": member.id, "policy_id": policy.id, "unit_type": "hours", "available": hours(accrued - used), "used": used}));
        }
    }
    items
}
