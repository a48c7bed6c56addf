//! The safety net under every vendor scope: a panic anywhere in answering a request becomes the
//! vendor's own 500 (logged with the request id, journaled with the panic message), never a
//! dropped connection.

use crate::common::error::{ApiError, ErrorKind};
use crate::journal::JournalEntry;
use crate::sandbox::Sandbox;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::http::{Method, Uri};
use actix_web::{HttpMessage, HttpRequest};
use futures_util::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Runs `answering`; `Err` carries the message of a panic inside it.
pub async fn catch<T>(answering: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(answering).catch_unwind().await.map_err(|payload| message(payload.as_ref()))
}

/// What the net keeps of a request to render its 500: the request itself cannot be cloned
/// (routing needs it unshared), so its head is kept instead.
pub struct Head {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl Head {
    /// The head of `req`, before it is handed on.
    pub fn of(req: &ServiceRequest) -> Self {
        Self { method: req.method().clone(), uri: req.uri().clone(), headers: req.headers().clone() }
    }

    /// Logs and journals the panic; the error response the vendor's renderer will shape.
    pub fn vendor_500(
        self,
        message: String,
        sandbox: &Arc<Sandbox>,
        entry: &mut JournalEntry,
    ) -> ServiceResponse<BoxBody> {
        let request_id = entry.request_id.to_str().unwrap_or_default();
        tracing::error!(request_id, panic = %message, path = %self.uri.path(), "answering panicked");
        let err = ApiError::with_message(ErrorKind::Internal, format!("panic: {message}"));
        entry.panic = Some(message);
        ServiceResponse::from_err(err, self.stand_in(sandbox))
    }

    /// A request with the panicked one's method, URI, headers and sandbox, for the vendor's
    /// renderer. actix-web's `TestRequest` is the only public way to build an `HttpRequest`.
    fn stand_in(self, sandbox: &Arc<Sandbox>) -> HttpRequest {
        let mut stand_in = actix_web::test::TestRequest::default().method(self.method).uri(&self.uri.to_string());
        for (name, value) in &self.headers {
            stand_in = stand_in.append_header((name.clone(), value.clone()));
        }
        let request = stand_in.to_http_request();
        request.extensions_mut().insert(Arc::clone(sandbox));
        request
    }
}

/// The text a panic was raised with.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
