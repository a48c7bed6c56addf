//! Orquest's one error renderer: Spring Boot's default error body (Orquest is a Java service).

use crate::common::error::ApiError;
use crate::families::spring;
use crate::sandbox::sandbox_now;
use actix_web::{HttpRequest, HttpResponse};

/// Renders any error under `/orquest`.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    // Divergence: the body shape is Spring Boot's default; Orquest documents only the messages.
    spring::render(err, req, ("orquest", sandbox_now(req)), |_| None)
}
