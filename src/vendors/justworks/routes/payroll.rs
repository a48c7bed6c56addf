//! Payrolls (by pay date range), their fees and paystubs, and one paystub with its lines.

use super::{Answer, Jw, authorize, bad, date, page, page_of};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::query;
use crate::common::routing::endpoint;
use crate::vendors::justworks::model::Payroll;
use actix_web::{HttpRequest, HttpResponse, web};

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/v1/payrolls").get(list))
        .service(endpoint("/v1/payrolls/{payroll_id}/fees").get(fees))
        .service(endpoint("/v1/payrolls/{payroll_id}/paystubs").get(paystubs))
        .service(endpoint("/v1/paystubs/{paystub_id}").get(paystub));
}

fn payroll_not_found() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "Payroll not found")
}

/// `GET /v1/payrolls?start_date=&end_date=` (`payroll:read`): both dates required.
async fn list(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "payroll:read")?;
    let pairs = query::pairs(req.query_string());
    let start = date(&pairs, "start_date")?.ok_or_else(|| bad("start_date is required"))?.to_string();
    let end = date(&pairs, "end_date")?.ok_or_else(|| bad("end_date is required"))?.to_string();
    let payrolls: Vec<(usize, &Payroll)> =
        state.payrolls.iter().enumerate().filter(|(_, p)| p.pay_date >= start && p.pay_date <= end).collect();
    page(&pairs, &payrolls)
}

/// `GET /v1/payrolls/{payroll_id}/fees` (`payroll:read`).
async fn fees(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "payroll:read")?;
    let payroll = state.payrolls.iter().find(|p| p.id == *path).ok_or_else(payroll_not_found)?;
    let fees: Vec<_> = payroll.fees.iter().enumerate().collect();
    page(&query::pairs(req.query_string()), &fees)
}

/// `GET /v1/payrolls/{payroll_id}/paystubs` (`paystub:read`): summaries, without the lines, one
/// per paid member (derived: a page costs O(page) however many members there are).
async fn paystubs(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "paystub:read")?;
    let p = state.payrolls.iter().position(|p| p.id == *path).ok_or_else(payroll_not_found)?;
    let stubs = &state.paystubs;
    let pairs = query::pairs(req.query_string());
    page_of(&pairs, stubs.per_payroll(), |k| {
        stubs.summary(&state.payrolls[p], p, k, &state.members[stubs.member_index(k)])
    })
}

/// `GET /v1/paystubs/{paystub_id}` (`paystub:read`).
async fn paystub(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "paystub:read")?;
    let stubs = &state.paystubs;
    let (p, k) = stubs
        .locate(&path, state.payrolls.len())
        .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, "Paystub not found"))?;
    Ok(HttpResponse::Ok().json(stubs.stub(&state.payrolls[p], p, k, &state.members[stubs.member_index(k)])))
}
