//! What every admin handler takes: the admin state, the sandbox a request addresses, a vendor's
//! store in it, and JSON bodies read with the admin API's own errors.

use super::error::AdminError;
use crate::sandbox::{DEFAULT_SANDBOX, Sandbox, SandboxRegistry};
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// What the admin handlers share.
pub struct AdminState {
    /// All sandboxes and the vendors they serve.
    pub registry: Arc<SandboxRegistry>,
    /// Where scenario names are looked up.
    pub scenarios_dir: std::path::PathBuf,
    /// What outbound HTTPS calls (the signup hook) trust.
    pub outbound_trust: crate::outbound::Trust,
    /// Where this server listens: no outbound call may go there.
    pub this_server: crate::outbound::ThisServer,
    /// Largest snapshot document read, in bytes (`--snapshot-limit`).
    pub snapshot_limit: usize,
    /// Where state is kept (`--state-dir`), when it is.
    pub durable: Option<Arc<crate::durable::Durable>>,
}

/// The admin state as handlers extract it.
pub type Admin = web::Data<AdminState>;
/// A handler's answer: JSON, or the admin error shape.
pub type AdminResult = Result<HttpResponse, AdminError>;

/// The sandbox `?sandbox=` names (`default` when none), or 404 `unknown_sandbox`.
pub fn sandbox(admin: &AdminState, name: Option<&str>) -> Result<Arc<Sandbox>, AdminError> {
    let name = name.unwrap_or(DEFAULT_SANDBOX);
    admin.registry.get(name).ok_or_else(|| AdminError::unknown_sandbox(name))
}

/// A vendor's store in the sandbox, or 404 when the vendor is not served.
pub fn store<'a>(sandbox: &'a Sandbox, id: &str) -> Result<&'a Arc<dyn crate::vendor::VendorStore>, AdminError> {
    sandbox.store(id).ok_or_else(|| AdminError::not_found(format!("no vendor '{id}' is served")))
}

/// A JSON body, or 400 naming the parse error.
pub fn required_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, AdminError> {
    serde_json::from_slice(body).map_err(|e| AdminError::bad_request(format!("invalid JSON body: {e}")))
}

/// A JSON body that may be empty (the type's default then).
pub fn optional_json<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, AdminError> {
    if body.iter().all(u8::is_ascii_whitespace) { Ok(T::default()) } else { required_json(body) }
}
