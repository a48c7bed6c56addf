//! Spring Boot's default error body, `{"timestamp", "status", "error", "message", "path"}`, for
//! the vendors that are Java services (Orquest, the Peoplelogic Directory). Each vendor's
//! `error.rs` calls this with its prefix and its own default texts.

use crate::common::error::{ApiError, ErrorKind};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// Renders an error under `/<vendor>` at sandbox time `now` (the body's `timestamp`);
/// `default_message` gives the vendor's text for an error that brings none.
pub fn render(
    err: &ApiError,
    req: &HttpRequest,
    (vendor, now): (&str, Option<DateTime<Utc>>),
    default_message: fn(&ApiError) -> Option<String>,
) -> HttpResponse {
    let status = err.status();
    let mut body = Map::new();
    if let Some(now) = now {
        body.insert("timestamp".into(), json!(now.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()));
    }
    body.insert("status".into(), json!(status.as_u16()));
    body.insert("error".into(), json!(status.canonical_reason().unwrap_or("Error")));
    let message = default_message(err).filter(|_| err.message.is_none()).unwrap_or_else(|| message(err, req));
    body.insert("message".into(), json!(message));
    body.insert("path".into(), json!(path(req, vendor)));
    let mut response = HttpResponse::build(status).json(Value::Object(body));
    err.apply_headers(&mut response);
    response
}

/// The path as the Java service sees it: without the sandbox's prefix.
fn path<'r>(req: &'r HttpRequest, vendor: &str) -> &'r str {
    let prefix = format!("/{vendor}");
    req.path().split_once(prefix.as_str()).map_or(req.path(), |(_, rest)| rest)
}

fn message(err: &ApiError, req: &HttpRequest) -> String {
    if let Some(message) = &err.message
        && err.kind != ErrorKind::MethodNotAllowed
    {
        return message.clone();
    }
    match err.kind {
        ErrorKind::MethodNotAllowed => format!("Request method '{}' is not supported", req.method()),
        ErrorKind::Unauthorized => "Full authentication is required to access this resource".into(),
        ErrorKind::Forbidden => "Access Denied".into(),
        ErrorKind::RouteNotFound => "No static resource found".into(),
        ErrorKind::UnsupportedMediaType => {
            // Spring reads a missing Content-Type as `application/octet-stream`.
            let content_type =
                req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream");
            format!("Content-Type '{content_type}' is not supported.")
        }
        ErrorKind::PayloadTooLarge => "Maximum upload size exceeded".into(),
        ErrorKind::RateLimited => "Too many requests".into(),
        _ => err.status().canonical_reason().unwrap_or("Error").into(),
    }
}

/// The JSON Schema of [`render`]'s body, for OpenAPI documents.
pub fn schema() -> Value {
    json!({"type": "object", "description": "Spring Boot's default error body",
        "properties": {"timestamp": {"type": "string"}, "status": {"type": "integer"}, "error": {"type": "string"},
                       "message": {"type": "string"}, "path": {"type": "string"}},
        "required": ["status", "message"]})
}
