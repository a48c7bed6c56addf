//! `GET /v1/company`, its bank account and custom fields; the legacy canonical-id lookups.

use super::{Answer, Jw, authorize};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::query::{self, last};
use crate::common::routing::endpoint;
use crate::vendors::justworks::{openapi, views};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/v1/company").get(company))
        .service(endpoint("/v1/company/bank-account").get(bank_account))
        .service(endpoint("/v1/company/custom-fields").get(custom_fields))
        .service(endpoint("/v1/legacy/companies/{legacy_company_id}").get(legacy_company))
        .service(endpoint("/v1/legacy/members/{legacy_member_id}").get(legacy_member))
        .service(endpoint("/v1/docs").get(docs));
}

/// `GET /v1/company` (`company.basic:read`; `company.detail:read` adds fields).
async fn company(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    let granted = authorize(&req, &jw, &state, "company.basic:read")?;
    Ok(HttpResponse::Ok().json(views::company(&state.company, &granted)))
}

/// `GET /v1/company/bank-account` (`company.bank_account:read`).
async fn bank_account(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "company.bank_account:read")?;
    Ok(HttpResponse::Ok().json(&state.company.bank_account))
}

/// `GET /v1/company/custom-fields` (`company.detail:read`), not paginated.
async fn custom_fields(req: HttpRequest, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "company.detail:read")?;
    Ok(HttpResponse::Ok().json(json!({"items": state.company.custom_fields})))
}

/// Get Company Canonical ID.
// Divergence: the docs name these temporary lookups but not their paths; these are the sandbox's.
async fn legacy_company(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "company.basic:read")?;
    if state.company.legacy_id != *path {
        return Err(ApiError::with_message(ErrorKind::NotFound, "Company not found"));
    }
    Ok(HttpResponse::Ok().json(json!({"id": state.company.id})))
}

/// Get Member Canonical ID.
async fn legacy_member(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let state = jw.store.read();
    authorize(&req, &jw, &state, "member.basic:read")?;
    let member = state
        .members
        .iter()
        .find(|m| m.legacy_id == *path)
        .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, "Member not found"))?;
    Ok(HttpResponse::Ok().json(json!({"id": member.id})))
}

/// `GET /v1/docs?format=html|yaml` ("Get OpenAPI Docs"): no token needed.
async fn docs(req: HttpRequest, jw: Jw) -> Answer {
    let pairs = query::pairs(req.query_string());
    match last(&pairs, "format").unwrap_or("html") {
        "html" => Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(openapi::html())),
        "yaml" => {
            let info = req.connection_info();
            let base = format!("{}://{}{}", info.scheme(), info.host(), req.path().trim_end_matches("/v1/docs"));
            let served = crate::common::routing::served_by(super::configure);
            let examples = openapi::examples(&jw.store.read(), jw.sandbox.clock.now());
            let document = crate::openapi::document(&openapi::API, &base, &served, &examples);
            let yaml = crate::openapi::yaml(&document).map_err(|e| ApiError::with_message(ErrorKind::Internal, e))?;
            Ok(HttpResponse::Ok().content_type("application/yaml").body(yaml))
        }
        _ => Err(super::bad("format must be html or yaml")),
    }
}
