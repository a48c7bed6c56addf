//! ChiefOnboarding: the DRF API of the open-source onboarding tool (`/chiefonboarding`).
//!
//! Emulated, from the server's own code (`back/api`, DRF 3.17.1, Django 5.2) and the reference's
//! probes of the running app: `GET /api/employees/`, `GET /api/sequences/`, `POST /api/users/`,
//! `POST /api/offboarding/`; DRF's dispatch order (406/`?format` 404, 401 with
//! `WWW-Authenticate: Token`, 403, 405, 415, JSON parse errors with Python's messages, 400 field
//! errors); `Allow` on every answer; HEAD and OPTIONS; APPEND_SLASH 301s; Django's HTML 404/500
//! pages; the real 500s (missing `role`; a case-only duplicate email; user ids past PostgreSQL's
//! `integer`, 2,147,483,647); `start_day: null` for a
//! new hire saving the user and then answering 500; `Accept-Language` translations;
//! `API_ACCESS` as the setting `api_access`; JSON, form and multipart bodies; removing a user (an
//! admin action) revokes its token.
//!
//! Divergences (also in docs/vendors/chiefonboarding.md):
//! - OPTIONS metadata carries no `actions` block.
//! - 409/413/504 (only reachable through scenarios or the body limit) use the sandbox's own texts.
//! - The organization row always exists, so the `/setup/` 302 of a fresh install never happens.
//! - The unique-email message's field label is translated for `nl` only.
//! - Reset also returns `api_access` to its default.
//! - `message` (a TextField upstream) is refused past 10,000 characters; at most 100,000 users (409).

mod auth;
mod error;
mod i18n;
pub mod model;
mod openapi;
mod routes;
mod seed;
mod serializer;
mod settings;
mod snapshot;
pub mod store;
mod views;
mod workforce;

use crate::openapi::Api;
use crate::vendor::{Render, Routes, VendorDef};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The ChiefOnboarding vendor.
pub struct ChiefOnboarding;

impl VendorDef for ChiefOnboarding {
    const ID: &'static str = "chiefonboarding";
    const NAME: &'static str = "ChiefOnboarding";
    type Store = store::ChiefOnboardingStore;
    const ROUTES: Routes = routes::configure;
    const RENDER: Render = error::render;
    const API: Option<&'static Api> = Some(&openapi::API);

    fn examples(store: &Self::Store, now: DateTime<Utc>) -> Map<String, Value> {
        openapi::examples(&store.read(), now)
    }
}
