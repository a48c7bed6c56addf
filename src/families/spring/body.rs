//! `@RequestBody` JSON as Spring MVC reads it: a body that is not JSON is 415 (where a vendor's
//! controllers declare it), an empty one `Required request body is missing`, a malformed one
//! Jackson's `JSON parse error: ...`.

use crate::common::error::{ApiError, ErrorKind};
use crate::common::media;
use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT;
use serde_json::Value;

/// 415 unless the request says `application/json` or `application/*+json` (what Jackson's
/// converter reads), with Spring's `Accept` header naming those. A request with neither a
/// Content-Type nor a body goes on to `Required request body is missing`, as in Spring.
pub fn require_json(req: &HttpRequest, body: &[u8]) -> Result<(), ApiError> {
    let content_type = media::content_type(req);
    if content_type.is_some_and(media::is_json) || (content_type.is_none() && body.is_empty()) {
        Ok(())
    } else {
        Err(ApiError::new(ErrorKind::UnsupportedMediaType).header(ACCEPT, "application/json, application/*+json"))
    }
}

/// A `@RequestBody` JSON: the media type, then the body.
pub fn json_body(req: &HttpRequest, body: &[u8]) -> Result<Value, ApiError> {
    require_json(req, body)?;
    parse_json(body)
}

/// The body as JSON, or Spring's 400 with its message.
pub fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Err(ApiError::with_message(ErrorKind::MalformedBody, "Required request body is missing"));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::with_message(ErrorKind::MalformedBody, format!("JSON parse error: {e}")))
}
