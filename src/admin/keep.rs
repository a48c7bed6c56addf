//! The admin API and `--state-dir`: every admin write keeps what it changed before it is
//! answered, and `POST /__admin/sandboxes` with `"at"` rewinds a sandbox from the log.

use super::context::{Admin, AdminResult};
use super::error::AdminError;
use crate::durable::rewind::{At, Refused};
use crate::sandbox::SnapshotRefused;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use serde_json::Value;

/// Runs an admin request; a write (any method but GET and HEAD) then waits until its changes
/// are kept, or answers 503 `state_not_kept` (and memory goes back to what the disk holds).
pub async fn after_write(req: ServiceRequest, next: Next<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    let durable = req.app_data::<Admin>().and_then(|admin| admin.durable.clone());
    let Some(durable) = durable.filter(|_| !matches!(*req.method(), Method::GET | Method::HEAD)) else {
        return next.call(req).await;
    };
    let ticket = durable.ticket();
    let res = next.call(req).await?;
    match durable.keep_all(ticket).await {
        Ok(()) => Ok(res),
        Err(err) => {
            let message = err.message.unwrap_or_default();
            let refused = AdminError::with_status(StatusCode::SERVICE_UNAVAILABLE, "state_not_kept", message);
            Ok(res.into_response(refused.error_response()))
        }
    }
}

/// `POST /__admin/sandboxes {"name", "from", "at"}`: sandbox `name` made from `from`'s state
/// just after journal number or sandbox time `at`, read from the log; its reset goes back there.
pub async fn rewind(admin: &Admin, name: &str, from: &str, at: &Value) -> AdminResult {
    let at = At::parse(at).map_err(AdminError::bad_request)?;
    super::context::sandbox(admin, Some(from))?;
    let Some(durable) = admin.durable.clone() else {
        return Err(AdminError::with_status(
            StatusCode::BAD_REQUEST,
            "rewind_needs_state_dir",
            "rewind (\"at\") needs --state-dir: it reads the state log (HR_SANDBOX_STATE_DIR)",
        ));
    };
    let (registry, new_name, from_name) = (admin.registry.clone(), name.to_owned(), from.to_owned());
    let made = web::block(move || {
        let document = durable.rewind(&from_name, &at)?;
        Ok::<_, Refused>(
            registry.create_with(&new_name, |name, setup| crate::snapshot::sandbox_from(name, document, setup)),
        )
    })
    .await
    .map_err(|e| AdminError::internal(e.to_string()))?;
    match made {
        Err(Refused::NotInLog(message)) => {
            Err(AdminError::with_status(StatusCode::UNPROCESSABLE_ENTITY, "not_in_log", message))
        }
        Err(Refused::Unreadable(message)) => {
            Err(AdminError::internal(format!("the state log could not be read: {message}")))
        }
        Ok(Err(SnapshotRefused::Document(problem))) => Err(AdminError::invalid_snapshot(&problem)),
        Ok(Err(SnapshotRefused::Registry(error))) => super::sandbox_view::created_answer(Err(error), name),
        Ok(Ok(created)) => super::sandbox_view::created_answer(Ok(created), name),
    }
}
