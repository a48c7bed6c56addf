//! Django REST Framework behaviour shared by every DRF-based vendor (ChiefOnboarding, Joinup):
//! field semantics, `JSONParser` with CPython's error texts, the throttle message, Django's
//! APPEND_SLASH and error pages. Vendors keep their own error renderers; this holds DRF's rules.

pub mod fields;
mod multipart;
pub mod ordering;
pub mod pagination;
mod pyjson;
pub mod schema;
pub mod view;

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

/// `Throttled.detail` for a wait of `seconds` (DRF rounds the wait up; `ngettext` picks the noun).
pub fn throttled_detail(seconds: u64) -> String {
    let noun = if seconds == 1 { "second" } else { "seconds" };
    format!("Request was throttled. Expected available in {seconds} {noun}.")
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

/// Django's `page_not_found` page with DEBUG off.
pub const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
/// Django's `server_error` page with DEBUG off.
pub const SERVER_ERROR_PAGE: &str = "<h1>Server Error (500)</h1>";

/// `MethodNotAllowed.detail`.
pub fn method_not_allowed(method: &actix_web::http::Method) -> String {
    format!("Method \"{method}\" not allowed.")
}

/// `UnsupportedMediaType.detail`, echoing the whole `Content-Type`.
pub fn unsupported_media_type(req: &HttpRequest) -> String {
    let content_type =
        req.headers().get(actix_web::http::header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()));
    format!("Unsupported media type \"{}\" in request.", content_type.unwrap_or_default())
}

/// DRF's default `detail` for each exception.
pub fn default_detail(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Unauthorized => "Authentication credentials were not provided.",
        ErrorKind::Forbidden => "You do not have permission to perform this action.",
        ErrorKind::NotFound => "Not found.",
        ErrorKind::NotAcceptable => "Could not satisfy the request Accept header.",
        ErrorKind::Unavailable => "Service temporarily unavailable, try again later.",
        ErrorKind::MalformedBody | ErrorKind::BadRequest => "Malformed request.",
        ErrorKind::Validation | ErrorKind::Unprocessable => "Invalid input.",
        // Divergence: DRF has no 409/413/504 exceptions; these texts are the sandbox's own.
        ErrorKind::Conflict => "Conflict.",
        ErrorKind::PayloadTooLarge => "Request body is too large.",
        ErrorKind::GatewayTimeout => "Gateway timeout.",
        _ => "A server error occurred.",
    }
}
