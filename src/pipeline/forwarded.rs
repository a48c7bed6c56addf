//! `Forwarded`, `X-Forwarded-Host` and `X-Forwarded-Proto` are believed only with
//! `--trust-forwarded`. Otherwise they are taken off the request before anything reads it, so a
//! client cannot point Joinup's `next` links or the OpenAPI `servers` at a host of its choice.

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{FORWARDED, HeaderName};
use actix_web::middleware::Next;

const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// The app-wide middleware: drops the forwarding headers unless they are trusted.
pub async fn unless_trusted(
    trusted: bool,
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !trusted {
        let headers = req.headers_mut();
        for name in [FORWARDED, X_FORWARDED_HOST, X_FORWARDED_PROTO] {
            headers.remove(name);
        }
    }
    next.call(req).await
}
