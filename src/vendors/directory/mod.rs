//! Directory: the Peoplelogic.dev Universal Talent API's Directory module (`/directory`).
//!
//! Emulated, from the seed (002) and the reference's reading of the embedded OpenAPI document:
//! `Authorization: Bearer` with organization tokens (HS256 JWTs naming the account and its
//! organization, expiry on the sandbox clock) or administration tokens (API key secrets capped by
//! `limitToRole`, revoked on delete); organizations, profiles (POST replaces, PATCH merges), the
//! alias and by-app lookups, API keys, accounts and grants, employees with profiles and manager
//! relations, groups with profiles and memberships. Everything is scoped to the caller's
//! organization: other organizations' ids are 404 like unknown ones.
//!
//! Divergences (also in docs/vendors/directory.md):
//! - Error bodies are Spring Boot's default shape with the docs' texts.
//! - The Employee, Group, manager, membership and group-profile schemas are the reference's
//!   suggestions (the docs page was cut); enumerations accept any UPPER_CASE value.
//! - An account created through the API joins the caller's organization as EMPLOYEE.
//! - Deleting a key answers the deleted key (without its secret).
//! - `by-name` matches a case-insensitive substring.
//! - Setting an entity's groups skips an item without `groupId` (optional in the reference, with
//!   no meaning given); a missing `type` is `MEMBER`.
//! - The living workforce (`workforce.rs`): a scheduled termination is not visible before its
//!   date (no termination field); a leaver turns `INACTIVE` and keeps no manager relation; a
//!   rehire keeps the employee's id.

mod auth;
mod error;
pub mod model;
mod openapi;
mod routes;
mod schemas;
mod seed;
mod settings;
mod snapshot;
pub mod store;
mod workforce;

use crate::common::error::ApiError;
use crate::openapi::Api;
use crate::sandbox::InSandbox;
use crate::vendor::{Render, Routes, VendorDef};
use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The Directory vendor.
pub struct Directory;

impl VendorDef for Directory {
    const ID: &'static str = "directory";
    const NAME: &'static str = "Directory (Peoplelogic)";
    type Store = store::DirectoryStore;
    const ROUTES: Routes = routes::configure;
    const RENDER: Render = error::render;
    const API: Option<&'static Api> = Some(&openapi::API);

    fn examples(store: &Self::Store, now: DateTime<Utc>) -> Map<String, Value> {
        openapi::examples(&store.read(), now)
    }

    /// Spring Security first: no valid credential is 401 before any path or body is looked at.
    fn filter(req: &HttpRequest) -> Result<(), ApiError> {
        // The pipeline addresses every request before it asks: outside it there is no sandbox.
        let Some(InSandbox { sandbox, store }) = InSandbox::<store::DirectoryStore>::of(req) else { return Ok(()) };
        auth::authenticate(req, &store.read(), sandbox.clock.now()).map(drop)
    }
}
