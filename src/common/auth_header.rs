//! The `Authorization` header split the way the vendors' frameworks split it.

use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, HeaderValue};

/// `get_authorization_header(request).split()`: the header's parts, split on runs of ASCII
/// whitespace, as bytes (DRF compares the keyword case-insensitively).
pub fn authorization_parts(req: &HttpRequest) -> Vec<&[u8]> {
    let header = req.headers().get(AUTHORIZATION).map_or(&b""[..], HeaderValue::as_bytes);
    header.split(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)).filter(|p| !p.is_empty()).collect()
}
