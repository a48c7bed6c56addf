//! Django REST Framework behaviour shared by every DRF-based vendor (ChiefOnboarding, Joinup):
//! field semantics, `JSONParser` with CPython's error texts, the `Authorization` header split
//! and the throttle message. Vendors keep their own error renderers; this holds DRF's rules.

pub mod fields;
mod pyjson;

use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, HeaderValue};
use serde_json::Value;

/// `get_authorization_header(request).split()`: the header's parts, split on runs of ASCII
/// whitespace, as bytes (DRF compares the keyword case-insensitively).
pub fn authorization_parts(req: &HttpRequest) -> Vec<&[u8]> {
    let header = req.headers().get(AUTHORIZATION).map_or(&b""[..], HeaderValue::as_bytes);
    header.split(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)).filter(|p| !p.is_empty()).collect()
}

/// `JSONParser.parse`: UTF-8, then Python's `json.loads` with its error text.
pub fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    let malformed =
        |detail: String| ApiError::with_message(ErrorKind::MalformedBody, format!("JSON parse error - {detail}"));
    let text = std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        malformed(format!("'utf-8' codec can't decode byte 0x{:02x} in position {at}: invalid start byte", body[at]))
    })?;
    serde_json::from_str(text).map_err(|e| malformed(pyjson::decode_error(text).unwrap_or_else(|| e.to_string())))
}

/// `Throttled.detail` for a wait of `seconds` (DRF rounds the wait up; `ngettext` picks the noun).
pub fn throttled_detail(seconds: u64) -> String {
    let noun = if seconds == 1 { "second" } else { "seconds" };
    format!("Request was throttled. Expected available in {seconds} {noun}.")
}
