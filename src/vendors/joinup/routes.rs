//! Joinup's Company API routes. Each view runs DRF's order: JWT authentication (401), the company
//! admin permission (403), the throttle (429), the method (405), then the body.

use super::auth;
use super::bulk;
use super::list;
use super::model::JobKind;
use super::store::{JoinupStore, State};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::rate_limit::{BucketKey, Rate};
use crate::families::drf;
use crate::sandbox::{InSandbox, Sandbox};
use crate::scenario::ItemError;
use actix_web::http::header::{ALLOW, CONTENT_TYPE, HeaderValue, RETRY_AFTER, VARY};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::sync::Arc;

type Ju = InSandbox<JoinupStore>;
type Answer = Result<HttpResponse, ApiError>;

/// The documented rates, per token and endpoint.
const LIST_RATE: Rate = Rate::per_second(1);
const BULK_RATE: Rate = Rate::per_minute(1);
const REPORT_RATE: Rate = Rate::per_minute(1);

const LIST_ALLOW: &str = "GET, POST, HEAD, OPTIONS";
const REPORT_ALLOW: &str = "GET, HEAD, OPTIONS";

/// Registers the routes relative to `/joinup`, plus Django's APPEND_SLASH redirects.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/company/employees/").to(employees))
        .service(web::resource("/api/company/cost-centers/").to(cost_centers))
        .service(web::resource("/api/company/employees/check-request/{id}/").to(employee_report))
        .service(web::resource("/api/company/cost-centers/check-request/{id}/").to(cost_center_report))
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
async fn employees(req: HttpRequest, body: Bytes, ju: Ju) -> Answer {
    list_or_bulk(&req, &body, &ju, JobKind::Employees)
}

/// `GET`/`POST /api/company/cost-centers/`: the paginated list, or a bulk job.
async fn cost_centers(req: HttpRequest, body: Bytes, ju: Ju) -> Answer {
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
    let scope = |what: &'static str| match kind {
        JobKind::Employees => ["employees:list", "employees:bulk"][usize::from(what == "bulk")],
        JobKind::CostCenters => ["cost-centers:list", "cost-centers:bulk"][usize::from(what == "bulk")],
    };
    let answer = || match *req.method() {
        Method::GET | Method::HEAD => {
            let state = ju.store.read(now);
            let tenant = gate(req, &state, &ju.sandbox, Some((scope("list"), LIST_RATE)), now)?;
            Ok(json_bytes(StatusCode::OK, list::body(req, &state, tenant, kind)?))
        }
        Method::POST => {
            let mut state = ju.store.write(now);
            let tenant = gate(req, &state, &ju.sandbox, Some((scope("bulk"), BULK_RATE)), now)?;
            let data = parse_body(req, body)?;
            let hook = req.extensions().get::<Arc<ItemError>>().cloned();
            let items = bulk::validate(&data, kind, &state.tenants[tenant], hook.as_deref())?;
            let request_id = state.submit(tenant, kind, items, now);
            Ok(HttpResponse::Accepted().json(json!({"message": "Bulk task started!", "request_id": request_id})))
        }
        _ => other_method(req, &ju.store.read(now), &ju.sandbox, now, kind, "List"),
    };
    with_allow(answer(), LIST_ALLOW)
}

fn report(req: &HttpRequest, id: &str, ju: &Ju, kind: JobKind) -> Answer {
    let now = ju.sandbox.clock.now();
    let scope = match kind {
        JobKind::Employees => "employees:check-request",
        JobKind::CostCenters => "cost-centers:check-request",
    };
    let state = ju.store.read(now);
    let answer = || match *req.method() {
        Method::GET | Method::HEAD => {
            let tenant = gate(req, &state, &ju.sandbox, Some((scope, REPORT_RATE)), now)?;
            let job = state.job(tenant, kind, id).ok_or_else(|| ApiError::new(ErrorKind::NotFound))?;
            Ok(HttpResponse::Ok().json(job.view(state.tenants[tenant].mode)))
        }
        _ => other_method(req, &state, &ju.sandbox, now, kind, "Check Request"),
    };
    with_allow(answer(), REPORT_ALLOW)
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
    if let Some((scope, rate)) = throttle.filter(|_| state.settings.rate_limits) {
        let key = BucketKey { vendor: "joinup", scope, caller: user.username.clone() };
        sandbox.rate_limits.check(key, rate, now).map_err(|throttled| {
            ApiError::new(ErrorKind::RateLimited).header(RETRY_AFTER, &throttled.retry_after().to_string())
        })?;
    }
    Ok(user.tenant)
}

/// OPTIONS (DRF's metadata) or 405, both after authentication and the permission.
fn other_method(
    req: &HttpRequest,
    state: &State,
    sandbox: &Sandbox,
    now: DateTime<Utc>,
    kind: JobKind,
    view: &str,
) -> Answer {
    gate(req, state, sandbox, None, now)?;
    if req.method() != Method::OPTIONS {
        return Err(ApiError::new(ErrorKind::MethodNotAllowed));
    }
    let noun = match kind {
        JobKind::Employees => "Employee",
        JobKind::CostCenters => "Cost Center",
    };
    // Divergence: Joinup's view class names are not public; these names are the sandbox's.
    Ok(HttpResponse::Ok().json(json!({
        "name": format!("{noun} {view}"),
        "description": "",
        "renders": ["application/json"],
        "parses": ["application/json"],
    })))
}

/// DRF's `request.data` for a bulk body: JSON, or `{}` when the body is empty.
fn parse_body(req: &HttpRequest, body: &Bytes) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("application/json") {
        drf::parse_json(body)
    } else {
        // Divergence: Joinup documents JSON only; form and multipart bodies get DRF's 415.
        Err(ApiError::new(ErrorKind::UnsupportedMediaType))
    }
}

/// Every DRF answer names the view's methods and varies on `Accept`.
fn with_allow(answer: Answer, allow: &'static str) -> Answer {
    match answer {
        Ok(mut response) => {
            response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
            response.headers_mut().insert(VARY, HeaderValue::from_static("Accept"));
            Ok(response)
        }
        Err(err) => Err(err.header(ALLOW, allow)),
    }
}

fn json_bytes(status: StatusCode, body: Bytes) -> HttpResponse {
    HttpResponse::build(status).insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json"))).body(body)
}

/// Django's APPEND_SLASH redirect.
async fn append_slash(req: HttpRequest) -> HttpResponse {
    drf::append_slash(&req)
}
