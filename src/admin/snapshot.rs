//! `GET`/`PUT /__admin/snapshot`: a sandbox's whole state as one document, and back (the
//! document itself is described in `crate::snapshot`).

use super::context::{Admin, AdminResult, sandbox};
use super::document;
use super::error::AdminError;
use crate::snapshot;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// `?sandbox=&journal=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotQuery {
    /// The sandbox; `default` when absent.
    sandbox: Option<String>,
    /// Whether the journal is included.
    #[serde(default)]
    journal: bool,
}

/// `GET /__admin/snapshot`.
pub async fn get(admin: Admin, query: web::Query<SnapshotQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let journal = query.journal;
    let document = web::block(move || serde_json::to_vec(&snapshot::export(&sandbox, journal)))
        .await
        .map_err(|e| AdminError::internal(e.to_string()))?
        .map_err(|e| AdminError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok().content_type("application/json").body(document))
}

/// `PUT /__admin/snapshot`: the sandbox's state replaced by the document; 400 with the JSON path
/// of the first problem, and nothing changed, for a bad one.
pub async fn put(admin: Admin, query: web::Query<SnapshotQuery>, req: HttpRequest, body: web::Payload) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let body = document::read_body(&req, body, admin.snapshot_limit).await?;
    let checked = Arc::clone(&sandbox);
    let document::Document(document) = document::parse(body, move |text| snapshot::check_text(&checked, text)).await?;
    let restored = web::block(move || snapshot::restore(&sandbox, &document).map(|()| sandbox))
        .await
        .map_err(|e| AdminError::internal(e.to_string()))?;
    let sandbox = restored.map_err(|problem| AdminError::invalid_snapshot(&problem))?;
    let vendors: Vec<&str> = sandbox.vendor_ids().collect();
    Ok(HttpResponse::Ok().json(json!({"sandbox": sandbox.name(), "seed": sandbox.seed(), "vendors": vendors})))
}
