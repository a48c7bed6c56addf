//! Justworks: the Partner API v1 of the US PEO (`/justworks`).
//!
//! Emulated: the OAuth 2.0 authorization server (consent page with Approve / Deny, the
//! `auto_approve` setting, the code and refresh grants with single-use expiring codes and
//! rotating refresh tokens, RFC 6749 errors, both revoke endpoints, lifetimes on the sandbox
//! clock); scope inheritance and two-level enforcement (403 without the endpoint's scope, fields
//! omitted without theirs); company, bank account, custom fields; members (cursor pagination,
//! `status`, every `updated_at*` filter), custom field values, tax ids; deduction types,
//! deductions with per-row create / update / cancel; payrolls, their fees and paystubs (totals
//! that add up); time-off policies, requests and the asynchronous balances report (driven by the
//! sandbox clock); the legacy canonical-id lookups; `GET /v1/docs` built from one operation table.
//!
//! Divergences (also in the README):
//! - Resource errors are `{"error": {"code", "message"}}` (undocumented by Justworks).
//! - Which member fields each optional scope gates is the sandbox's reading.
//! - The legacy lookup paths are `/v1/legacy/companies/{id}` and `/v1/legacy/members/{id}`.

mod auth;
mod error;
pub mod model;
pub mod openapi;
pub mod paystubs;
mod routes;
mod schemas;
pub mod scopes;
mod seed;
mod settings;
mod snapshot;
pub mod store;
mod views;

use crate::common::error::ApiError;
use crate::vendor::{Vendor, VendorStore};
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::Arc;

/// The Justworks vendor.
pub struct Justworks;

impl Vendor for Justworks {
    fn id(&self) -> &'static str {
        "justworks"
    }

    fn display_name(&self) -> &'static str {
        "Justworks"
    }

    fn examples(
        &self,
        store: Arc<dyn VendorStore>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> serde_json::Map<String, serde_json::Value> {
        crate::vendor::downcast::<store::JustworksStore>(store)
            .map(|store| openapi::examples(&store.read(), now))
            .unwrap_or_default()
    }

    fn api(&self) -> Option<&'static crate::openapi::Api> {
        Some(&openapi::API)
    }

    fn build_store(&self, seed: u64) -> Arc<dyn VendorStore> {
        Arc::new(store::JustworksStore::new(seed))
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        routes::configure(cfg);
    }

    fn render(&self, err: &ApiError, req: &HttpRequest) -> HttpResponse {
        error::render(err, req)
    }
}
