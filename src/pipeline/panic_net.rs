//! The safety net under every vendor scope: a panic anywhere in answering a request becomes the
//! vendor's own 500 (logged with the request id, journaled with the panic message), never a
//! dropped connection.

use crate::common::error::{ApiError, ErrorKind};
use crate::journal::JournalEntry;
use crate::sandbox::{Addressed, Sandbox};
use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::{HttpMessage, HttpRequest};
use bytes::Bytes;
use futures_util::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Runs `answering`; `Err` carries the message of a panic inside it.
pub async fn catch<T>(answering: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(answering).catch_unwind().await.map_err(|payload| message(payload.as_ref()))
}

/// Logs and journals the panic; the error response the vendor's renderer will shape. The
/// request itself is gone (routing needs it unshared, so it cannot be cloned beforehand): the
/// renderer gets a stand-in built from the journal entry's copies of its method, URI and the
/// headers renderers read.
pub fn vendor_500(message: String, sandbox: &Arc<Sandbox>, entry: &mut JournalEntry) -> ServiceResponse<BoxBody> {
    let request_id = entry.request_id.to_str().unwrap_or_default();
    tracing::error!(request_id, panic = %message, path = %entry.uri.path(), "answering panicked");
    let err = ApiError::with_message(ErrorKind::Internal, format!("panic: {message}"));
    entry.panic = Some(message);
    ServiceResponse::from_err(err, stand_in(entry, sandbox))
}

/// A request like the journaled one, in its sandbox. actix-web's `TestRequest` is the only
/// public way to build an `HttpRequest`.
fn stand_in(entry: &JournalEntry, sandbox: &Arc<Sandbox>) -> HttpRequest {
    let mut stand_in = actix_web::test::TestRequest::default().method(entry.method.clone()).uri(&entry.uri.to_string());
    for (name, value) in entry.headers.to_header_map() {
        stand_in = stand_in.append_header((name, value));
    }
    let request = stand_in.to_http_request();
    request.extensions_mut().insert(Addressed {
        sandbox: Arc::clone(sandbox),
        vendor: entry.vendor,
        body: Bytes::new(),
    });
    request
}

/// The text a panic was raised with.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
