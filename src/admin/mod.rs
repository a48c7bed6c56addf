//! The admin API under `/__admin`: health, credentials, reset, state, journal, sandboxes, clock,
//! scenarios, verification over the journal. Local by default (`guard.rs`): loopback hosts, JSON writes, an optional token.

mod console;
pub mod context;
pub mod error;
pub mod guard;
pub mod model;
pub mod routes;
mod scenarios;
mod snapshot;
mod verify;
