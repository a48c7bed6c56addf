//! Joinup: the customer "Company API" of the Spanish corporate-mobility platform (`/joinup`).
//!
//! Emulated, from the docs (seed 000) and the reference's reading of the docs repository:
//! `Authorization: JWT <token>` with real HS256 tokens (djangorestframework-jwt's 401 texts,
//! expiry on the sandbox clock); company-group and single-company tenants; `GET` employees and
//! cost centers with every filter, multi-field ordering and DRF page-number pagination; the bulk
//! `POST`s (1 to 50 items, 413 past that, per-item serializer errors, 202 with an ObjectId
//! `request_id`) run as jobs when the sandbox clock reaches them, with `flexible` upserts and
//! company resolution by CIF then name; `check-request` reports; the documented rate limits
//! (1/s lists, 1/min POSTs and reports, per token and endpoint); the outbound signup hook.
//!
//! Divergences (also in docs/vendors/joinup.md):
//! - Report error texts, the 413 text and the group-mode "company_name or company_cif" text are
//!   the sandbox's own (Joinup documents none of them); a per-company cost-center item without
//!   a company (both fields optional in the docs) fails in the report with that text.
//! - Ids stop at 2^53 - 1 (Joinup documents no range); an item needing one past it fails in the
//!   report with the sandbox's own text.
//! - `flexible` offboarding of an unknown employee creates it disabled; onboarding a disabled
//!   employee re-enables it.
//! - Ties in `ordering` are broken by id; NULL dates sort last ascending (PostgreSQL).
//! - Only JSON bodies are parsed (others get 415); OPTIONS names are invented.
//! - Reset also returns the switches (rate limits, hooks, seed counts) to their defaults.

mod admin;
mod auth;
mod error;
mod jobs;
pub mod model;
mod openapi;
mod routes;
mod seed;
mod serializer;
pub mod settings;
mod signup;
mod snapshot;
pub mod store;
mod views;
mod workforce;

use crate::openapi::Api;
use crate::vendor::{Render, Routes, VendorDef};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The Joinup vendor.
pub struct Joinup;

impl VendorDef for Joinup {
    const ID: &'static str = "joinup";
    const NAME: &'static str = "Joinup";
    type Store = store::JoinupStore;
    const ROUTES: Routes = routes::configure;
    const RENDER: Render = error::render;
    const API: Option<&'static Api> = Some(&openapi::API);
    const HAS_BULK_ITEMS: bool = true;

    fn examples(store: &Self::Store, now: DateTime<Utc>) -> Map<String, Value> {
        openapi::examples(&store.read(now))
    }
}
