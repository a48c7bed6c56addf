//! Joinup's Company API routes. Each view runs DRF's order: JWT authentication (401), the company
//! admin permission (403), the throttle (429), the method (405), then the body. The list views'
//! filters, ordering and pages are `list.rs`.

mod list;

use super::auth;
use super::model::JobKind;
use super::serializer;
use super::store::{JoinupStore, State};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::rate_limit::{BucketKey, Rate};
use crate::families::drf;
use crate::families::drf::view::{self, Answer, View};
use crate::sandbox::{Body, InSandbox, Sandbox};
use crate::scenario::ItemError;
use actix_web::http::header::RETRY_AFTER;
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::sync::Arc;

type Ju = InSandbox<JoinupStore>;

/// The documented rates, per token and endpoint.
const LIST_RATE: Rate = Rate::per_second(1);
const BULK_RATE: Rate = Rate::per_minute(1);
const REPORT_RATE: Rate = Rate::per_minute(1);

// Divergence: Joinup's view class names are not public; these names are the sandbox's.
static EMPLOYEE_LIST: View = list_view("Employee List");
static COST_CENTER_LIST: View = list_view("Cost Center List");
static EMPLOYEE_REPORT: View = report_view("Employee Check Request");
static COST_CENTER_REPORT: View = report_view("Cost Center Check Request");

const fn list_view(name: &'static str) -> View {
    View { name, allow: "GET, POST, HEAD, OPTIONS", parses: &["application/json"], vary: "Accept" }
}

const fn report_view(name: &'static str) -> View {
    View { name, allow: "GET, HEAD, OPTIONS", parses: &["application/json"], vary: "Accept" }
}

/// Registers the routes relative to `/joinup`, plus Django's APPEND_SLASH redirects.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(EMPLOYEE_LIST.mount("/api/company/employees/").to(employees))
        .service(COST_CENTER_LIST.mount("/api/company/cost-centers/").to(cost_centers))
        .service(EMPLOYEE_REPORT.mount("/api/company/employees/check-request/{id}/").to(employee_report))
        .service(COST_CENTER_REPORT.mount("/api/company/cost-centers/check-request/{id}/").to(cost_center_report))
        .service(
            web::resource([
                "/api/company/employees",
                "/api/company/cost-centers",
                "/api/company/employees/check-request/{id}",
                "/api/company/cost-centers/check-request/{id}",
            ])
            .to(append_slash),
        );
}

/// `GET`/`POST /api/company/employees/`: the paginated list, or a bulk job.
async fn employees(req: HttpRequest, body: Body, ju: Ju) -> Answer {
    list_or_bulk(&req, &body, &ju, JobKind::Employees)
}

/// `GET`/`POST /api/company/cost-centers/`: the paginated list, or a bulk job.
async fn cost_centers(req: HttpRequest, body: Body, ju: Ju) -> Answer {
    list_or_bulk(&req, &body, &ju, JobKind::CostCenters)
}

/// `GET /api/company/employees/check-request/<ID>/`: a bulk job's report.
async fn employee_report(req: HttpRequest, id: web::Path<String>, ju: Ju) -> Answer {
    report(&req, &id, &ju, JobKind::Employees)
}

/// `GET /api/company/cost-centers/check-request/<ID>/`: a bulk job's report.
async fn cost_center_report(req: HttpRequest, id: web::Path<String>, ju: Ju) -> Answer {
    report(&req, &id, &ju, JobKind::CostCenters)
}

fn list_or_bulk(req: &HttpRequest, body: &Bytes, ju: &Ju, kind: JobKind) -> Answer {
    let now = ju.sandbox.clock.now();
    let (view, list_scope, bulk_scope) = match kind {
        JobKind::Employees => (&EMPLOYEE_LIST, "employees:list", "employees:bulk"),
        JobKind::CostCenters => (&COST_CENTER_LIST, "cost-centers:list", "cost-centers:bulk"),
    };
    let answer = || match *req.method() {
        Method::GET | Method::HEAD => {
            let state = ju.store.read(now);
            let tenant = gate(req, &state, &ju.sandbox, Some((list_scope, LIST_RATE)), now)?;
            Ok(view::json_bytes(StatusCode::OK, list::body(req, &state, tenant, kind)?))
        }
        Method::POST => {
            let mut state = ju.store.write(now);
            let tenant = gate(req, &state, &ju.sandbox, Some((bulk_scope, BULK_RATE)), now)?;
            let data = view::parse_json_only(req, body)?;
            let hook = req.extensions().get::<Arc<ItemError>>().cloned();
            let items = serializer::validate(data, kind, &state.tenants[tenant], hook.as_deref())?;
            let request_id = state.submit(tenant, kind, items, now)?;
            Ok(HttpResponse::Accepted().json(json!({"message": "Bulk task started!", "request_id": request_id})))
        }
        _ => other_method(req, &ju.store.read(now), &ju.sandbox, now, view),
    };
    view.finalize(answer())
}

fn report(req: &HttpRequest, id: &str, ju: &Ju, kind: JobKind) -> Answer {
    let now = ju.sandbox.clock.now();
    let (view, scope) = match kind {
        JobKind::Employees => (&EMPLOYEE_REPORT, "employees:check-request"),
        JobKind::CostCenters => (&COST_CENTER_REPORT, "cost-centers:check-request"),
    };
    let state = ju.store.read(now);
    let answer = || match *req.method() {
        Method::GET | Method::HEAD => {
            let tenant = gate(req, &state, &ju.sandbox, Some((scope, REPORT_RATE)), now)?;
            let job = state.job(tenant, kind, id).ok_or_else(|| ApiError::new(ErrorKind::NotFound))?;
            Ok(HttpResponse::Ok().json(job.view(state.tenants[tenant].mode)))
        }
        _ => other_method(req, &state, &ju.sandbox, now, view),
    };
    view.finalize(answer())
}

/// `initial()`: authentication, the permission, then (for GET and POST) the throttle; the
/// caller's tenant index.
fn gate(
    req: &HttpRequest,
    state: &State,
    sandbox: &Sandbox,
    throttle: Option<(&'static str, Rate)>,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let user = auth::authenticate(req, state, now)?;
    if !user.is_admin {
        return Err(ApiError::new(ErrorKind::Forbidden));
    }
    // Checked first, so the bucket's key (the caller's name) is built only when it counts.
    if let Some((scope, rate)) = throttle.filter(|_| state.settings.rate_limits && sandbox.rate_limits.enabled()) {
        let key = BucketKey { vendor: "joinup", scope, caller: user.username.clone() };
        sandbox.rate_limits.check(key, rate, now).map_err(|throttled| {
            ApiError::new(ErrorKind::RateLimited).header(RETRY_AFTER, &throttled.retry_after().to_string())
        })?;
    }
    Ok(user.tenant)
}

/// OPTIONS (DRF's metadata) or 405, both after authentication and the permission (the
/// throttles count only the methods the view answers).
fn other_method(req: &HttpRequest, state: &State, sandbox: &Sandbox, now: DateTime<Utc>, view: &View) -> Answer {
    gate(req, state, sandbox, None, now)?;
    view.by_method(req, || Err(ApiError::new(ErrorKind::MethodNotAllowed)))
}

/// Django's APPEND_SLASH redirect.
async fn append_slash(req: HttpRequest) -> HttpResponse {
    drf::append_slash(&req)
}
