//! `@RequestBody` JSON as Spring MVC reads it: a body that is not JSON is 415 (where a vendor's
//! controllers declare it), an empty one `Required request body is missing`, a malformed one
//! Jackson's `JSON parse error: ...`.

use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpRequest;
use actix_web::http::header::CONTENT_TYPE;
use serde_json::Value;

/// 415 unless the request says `application/json`.
pub fn require_json(req: &HttpRequest) -> Result<(), ApiError> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::new(ErrorKind::UnsupportedMediaType))
    }
}

/// The body as JSON, or Spring's 400 with its message.
pub fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Err(ApiError::with_message(ErrorKind::MalformedBody, "Required request body is missing"));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::with_message(ErrorKind::MalformedBody, format!("JSON parse error: {e}")))
}
