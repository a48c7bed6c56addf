//! The admin API under `/__admin`: health, credentials, reset, state, journal, sandboxes, clock,
//! scenarios, verification over the journal, snapshots, the living workforce, OpenAPI documents, the QA console. Local by default (`guard.rs`): loopback hosts, JSON writes, an optional token.

mod console;
pub mod context;
pub mod document;
pub mod error;
mod fork;
pub mod guard;
mod keep;
pub mod model;
mod openapi;
pub mod routes;
mod sandbox_view;
mod scenarios;
mod snapshot;
mod verify;
mod workforce;

/// The admin API's OpenAPI table (for the route/document equality test).
pub fn openapi_table() -> &'static crate::openapi::Api {
    &openapi::ADMIN
}
