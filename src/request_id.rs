//! `x-sandbox-request-id` on every response, from a process-wide counter.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use std::sync::atomic::{AtomicU64, Ordering};

/// The response header naming the request.
pub const HEADER: HeaderName = HeaderName::from_static("x-sandbox-request-id");

static NEXT: AtomicU64 = AtomicU64::new(1);

/// The id of the request being answered, in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Middleware: names the request, and the response after it.
pub async fn attach(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = format!("req-{:08}", NEXT.fetch_add(1, Ordering::Relaxed));
    let value = HeaderValue::from_str(&id);
    req.extensions_mut().insert(RequestId(id));
    let mut res = next.call(req).await?;
    if let Ok(value) = value {
        res.headers_mut().insert(HEADER, value);
    }
    Ok(res)
}
