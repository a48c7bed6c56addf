//! `POST /__admin/sandboxes` with `from`: a new sandbox holding a copy of another's current state
//! (`crate::snapshot::fork`, from memory). With `at` as well it is a rewind, read from the state
//! log of `--state-dir` (`keep::rewind`); both check the request here first.

use super::context::{Admin, sandbox};
use super::error::AdminError;
use super::model::CreateSandbox;
use crate::sandbox::{RegistryError, Sandbox, SnapshotRefused};
use actix_web::web;
use std::sync::Arc;

/// The sandbox a create request with `from` (or `at`) copies: 400 when it also names a seed or a
/// snapshot, or gives `at` without `from`.
pub fn source(request: &CreateSandbox) -> Result<&str, AdminError> {
    if request.seed.is_some() || request.snapshot.is_some() {
        return Err(AdminError::bad_request(
            "give from, a seed or a snapshot, not two: a fork starts from its source's state and seed",
        ));
    }
    request
        .from
        .as_deref()
        .ok_or_else(|| AdminError::bad_request("at goes with from: the sandbox whose past state to copy"))
}

/// A new sandbox `name` holding a copy of `from`'s current state: the sandbox, or why the
/// registry refused it; an unknown source (404) before that.
pub async fn create(admin: &Admin, from: &str, name: &str) -> Result<Result<Arc<Sandbox>, RegistryError>, AdminError> {
    let source = sandbox(admin, Some(from))?;
    let (registry, name) = (admin.registry.clone(), name.to_owned());
    // Copying a large state is seconds of work at most: off the async worker, as a snapshot is.
    let created =
        web::block(move || registry.create_with(&name, |name, setup| crate::snapshot::fork(name, &source, setup)))
            .await
            .map_err(|e| AdminError::internal(e.to_string()))?;
    match created {
        Ok(created) => Ok(Ok(created)),
        Err(SnapshotRefused::Registry(error)) => Ok(Err(error)),
        // An export always restores; if one ever does not, that is this server's fault.
        Err(SnapshotRefused::Document(problem)) => {
            Err(AdminError::internal(format!("the copy of '{from}' did not restore: {problem}")))
        }
    }
}
