//! Orquest's one error renderer: Spring Boot's error body
//! `{"timestamp", "status", "error", "message", "path"}` (Orquest is a Java service).

use crate::common::error::{ApiError, ErrorKind};
use crate::sandbox::Sandbox;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Renders any error under `/orquest`.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    let status = err.status();
    let mut body = Map::new();
    // Divergence: the body shape is Spring Boot's default; Orquest documents only the messages.
    if let Some(sandbox) = req.extensions().get::<Arc<Sandbox>>() {
        body.insert("timestamp".into(), json!(sandbox.clock.now().format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()));
    }
    body.insert("status".into(), json!(status.as_u16()));
    body.insert("error".into(), json!(status.canonical_reason().unwrap_or("Error")));
    body.insert("message".into(), json!(message(err, req)));
    body.insert("path".into(), json!(path(req)));
    let mut response = HttpResponse::build(status).json(Value::Object(body));
    err.apply_headers(&mut response);
    response
}

/// The path as the Java service sees it: without the sandbox's prefix.
pub fn path(req: &HttpRequest) -> &str {
    req.path().split_once("/orquest").map_or(req.path(), |(_, rest)| rest)
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
            let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
            format!("Content-Type '{content_type}' is not supported.")
        }
        ErrorKind::PayloadTooLarge => "Maximum upload size exceeded".into(),
        ErrorKind::RateLimited => "Too many requests".into(),
        _ => err.status().canonical_reason().unwrap_or("Error").into(),
    }
}
