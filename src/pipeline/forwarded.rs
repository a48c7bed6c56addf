//! `Forwarded`, `X-Forwarded-Host` and `X-Forwarded-Proto` are believed only with
//! `--trust-forwarded`. Otherwise they are taken off the request before anything reads it, so a
//! client cannot point Joinup's `next` links or the OpenAPI `servers` at a host of its choice.

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{FORWARDED, HeaderName};

const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// Drops the forwarding headers unless they are trusted.
pub fn strip_unless_trusted(trusted: bool, req: &mut ServiceRequest) {
    if !trusted {
        let headers = req.headers_mut();
        for name in [FORWARDED, X_FORWARDED_HOST, X_FORWARDED_PROTO] {
            headers.remove(name);
        }
    }
}
