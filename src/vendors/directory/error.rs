//! The Directory's one error renderer: a Spring-style body with the docs' response texts.

use crate::common::error::{ApiError, ErrorKind};
use crate::families::spring;
use crate::sandbox::sandbox_now;
use actix_web::{HttpRequest, HttpResponse};

/// Renders any error under `/directory`.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    // Divergence: the docs give only the texts below; the body shape is Spring Boot's default.
    spring::render(err, req, ("directory", sandbox_now(req)), |err| {
        let text = match err.kind {
            ErrorKind::Unauthorized => "missing or invalid JWT",
            ErrorKind::Forbidden => "insufficient permissions",
            ErrorKind::NotFound | ErrorKind::RouteNotFound => "no Entity with that ID",
            ErrorKind::BadRequest | ErrorKind::MalformedBody | ErrorKind::Validation => "invalid request payload",
            _ => return None,
        };
        Some(text.to_owned())
    })
}
