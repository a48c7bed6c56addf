//! The admin API under `/__admin`: health, credentials, reset, state, journal, sandboxes, clock.

pub mod error;
pub mod guard;
pub mod model;
pub mod routes;
