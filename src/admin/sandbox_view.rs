//! How the admin API shows a sandbox (`GET /__admin/sandboxes`, `/sandboxes/{name}`) and answers
//! a create, whichever way it was made (seed, snapshot, fork or rewind).

use super::context::AdminResult;
use super::error::AdminError;
use crate::sandbox::{DEFAULT_SANDBOX, RegistryError, Sandbox};
use actix_web::HttpResponse;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// 201 with a sandbox just made, or why the registry refused it.
pub fn created_answer(created: Result<Arc<Sandbox>, RegistryError>, name: &str) -> AdminResult {
    match created {
        Ok(created) => Ok(HttpResponse::Created().json(describe(&created))),
        Err(RegistryError::Exists) => Err(AdminError::conflict(format!("sandbox '{name}' exists"))),
        Err(RegistryError::Full(max)) => Err(AdminError::with_status(
            actix_web::http::StatusCode::CONFLICT,
            "too_many_sandboxes",
            format!("{max} sandboxes exist (--max-sandboxes); delete one first"),
        )),
        Err(_) => Err(AdminError::bad_request("sandbox names are 1 to 64 of A-Z a-z 0-9 - _ .")),
    }
}

/// A sandbox as the admin API lists it: name, seed and each vendor's prefix.
pub fn describe(sandbox: &Sandbox) -> Value {
    let name = sandbox.name();
    let base = if name == DEFAULT_SANDBOX { String::new() } else { format!("/sandboxes/{name}") };
    let prefixes: Map<String, Value> =
        sandbox.vendor_ids().map(|id| (id.to_owned(), json!(format!("{base}/{id}")))).collect();
    json!({"name": name, "seed": sandbox.seed(), "prefixes": prefixes})
}
