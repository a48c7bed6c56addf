//! Orquest: the importer API of the Spanish workforce-scheduling service (`/orquest`).
//!
//! Emulated, from the docs (seed 003) and the reference: `Authorization: Bearer <API key>` of an
//! integration user (and the deprecated form login's `JSESSIONID`), limited to its business and
//! the nodes below its own; the employee PUTs (complex list of at most 30 and single, simplified
//! list and single) with a status per element in request order and the documented user rules,
//! `lag` on the sandbox clock, `partial`, `ignoreWithoutOuterId`, `ignoreServiceAssociations`,
//! `ignoreContracts`; the contracts PUT with `ignoreConstraints`; the reads (employee, by service,
//! by service between dates, by product, service associations, users, employee roles, services)
//! with the documented 404 texts and fields without value omitted; incidences.
//!
//! Divergences (also in docs/vendors/orquest.md):
//! - Errors use Spring Boot's default body; per-element results are
//!   `{"employeeId", "status", "message"}` in a 200 array (a single PUT answers with the element's
//!   status). Orquest documents neither.
//! - Texts other than the documented ones (`User email is not valid`, `some role is not valid`,
//!   `Employee not found`, `not exits`) are the sandbox's; references to unknown categories,
//!   contract types, products, groups, nodes and metadata keys are 409 `<kind> <id> not exists`.
//! - More than 30 elements is a 400; the single simplified PUT lives at `.../simple/employees/{id}`.
//! - An element that omits `serviceAssociations` or `contracts` leaves them as they are.
//! - Enumerations accept any UPPER_SNAKE_CASE value (the full lists are not public).
//! - The services list shows `id`, `name`, `products`.
//! - The living workforce (`workforce.rs`): a hire's `employeeId` is the person id; a department
//!   is a product (the one of that name, else one chosen by the name); title, manager and
//!   location have no Orquest field; a hire has no app user.
//! - `lag` past a Java `int` is the element's 400; a form-login session lasts 30 minutes from login.

mod auth;
mod error;
mod import;
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

/// The Orquest vendor.
pub struct Orquest;

impl VendorDef for Orquest {
    const ID: &'static str = "orquest";
    const NAME: &'static str = "Orquest";
    type Store = store::OrquestStore;
    const ROUTES: Routes = routes::configure;
    const RENDER: Render = error::render;
    const API: Option<&'static Api> = Some(&openapi::API);
    const HAS_BULK_ITEMS: bool = true;

    fn examples(store: &Self::Store, now: DateTime<Utc>) -> Map<String, Value> {
        openapi::examples(&store.read(), now)
    }

    /// Spring Security first: no valid credential is 401 before any path or body is looked at.
    fn filter(req: &HttpRequest) -> Result<(), ApiError> {
        if req.path().ends_with("/login") {
            return Ok(());
        }
        // The pipeline addresses every request before it asks: outside it there is no sandbox.
        let Some(InSandbox { sandbox, store }) = InSandbox::<store::OrquestStore>::of(req) else { return Ok(()) };
        auth::authenticate(req, &store.read(), sandbox.clock.now()).map(drop)
    }
}
