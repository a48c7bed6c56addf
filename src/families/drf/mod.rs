//! Django REST Framework behaviour shared by every DRF-based vendor (ChiefOnboarding, Joinup):
//! field semantics, `JSONParser` with CPython's error texts, the throttle message, Django's
//! APPEND_SLASH, and the error answers (`error.rs`, which each DRF vendor's `error.rs` calls with
//! what its project adds).

mod error;
pub mod fields;
mod multipart;
pub mod ordering;
pub mod pagination;
mod pyjson;
pub mod schema;
pub mod view;

pub use error::{Project, render, schema as error_schema, untranslated};
use pyjson::PyJsonError;

use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpRequest;
use serde_json::Value;

/// `JSONParser.parse`: UTF-8, then Python's `json.loads` with its error text.
pub fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    let malformed =
        |detail: String| ApiError::with_message(ErrorKind::MalformedBody, format!("JSON parse error - {detail}"));
    let text = std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        malformed(format!("'utf-8' codec can't decode byte 0x{:02x} in position {at}: invalid start byte", body[at]))
    })?;
    serde_json::from_str(text).or_else(|e| match pyjson::decode_error(text) {
        Some(PyJsonError::Decode(message)) => Err(malformed(message)),
        // `RecursionError` is no `ValueError`: DRF's parser does not catch it and Django answers 500.
        Some(PyJsonError::Recursion) => Err(ApiError::with_message(
            ErrorKind::Internal,
            "RecursionError: maximum recursion depth exceeded while decoding a JSON document",
        )),
        // Python accepts what serde_json refused: nesting between serde_json's 128 and Python's
        // limit is read again without serde_json's limit (whatever else, such as a lone surrogate
        // or `1e400`, stays refused with serde_json's text).
        None => pyjson::loads_deep(text).map_err(|_| malformed(e.to_string())),
    })
}

/// Django's `CommonMiddleware` with APPEND_SLASH: 301 to the slashed path, query kept (before
/// any authentication, for URLs that exist only with the slash).
pub fn append_slash(req: &HttpRequest) -> actix_web::HttpResponse {
    let mut location = format!("{}/", req.path());
    if !req.query_string().is_empty() {
        location.push('?');
        location.push_str(req.query_string());
    }
    actix_web::HttpResponse::MovedPermanently()
        .insert_header((actix_web::http::header::LOCATION, location))
        .content_type("text/html; charset=utf-8")
        .finish()
}
