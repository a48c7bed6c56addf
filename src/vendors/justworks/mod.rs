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
//! sandbox clock); the legacy canonical-id lookups; `GET /v1/docs` built from one operation table;
//! webhooks (`webhooks/`: member and department events delivered at least once, signed, on the
//! sandbox clock, with `POST /v1/webhooks/get`, `.../resume` and `.../simulate`).
//!
//! Divergences (also in docs/vendors/justworks.md):
//! - Resource errors are `{"error": {"code", "message"}}` (undocumented by Justworks).
//! - Which member fields each optional scope gates is the sandbox's reading.
//! - The legacy lookup paths are `/v1/legacy/companies/{id}` and `/v1/legacy/members/{id}`.
//! - Webhooks: the signature scheme, the retry schedule, tokenless-scope management endpoints
//!   and `simulate`'s answer are the sandbox's (`webhooks/mod.rs`, `docs/webhooks.md`).

mod admin;
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
mod webhooks;
mod workforce;

use crate::openapi::Api;
use crate::vendor::{Render, Routes, VendorDef};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The Justworks vendor.
pub struct Justworks;

impl VendorDef for Justworks {
    const ID: &'static str = "justworks";
    const NAME: &'static str = "Justworks";
    type Store = store::JustworksStore;
    const ROUTES: Routes = routes::configure;
    const RENDER: Render = error::render;
    const API: Option<&'static Api> = Some(&openapi::API);

    fn examples(store: &Self::Store, now: DateTime<Utc>) -> Map<String, Value> {
        openapi::examples(&store.read(), now)
    }
}
