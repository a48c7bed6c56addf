//! hr-sandbox: a local, stateful, deterministic sandbox of HR and workforce vendor APIs.

#![warn(missing_docs)]

pub mod admin;
pub mod cli;
pub mod common;
pub mod durable;
pub mod families;
pub mod journal;
pub mod openapi;
pub mod outbound;
pub mod parity;
pub mod pipeline;
pub mod probe;
pub mod sandbox;
pub mod scenario;
pub mod settings;
pub mod snapshot;
pub mod startup;
pub mod tls;
pub mod vendor;
pub mod vendors;
pub mod workforce;
