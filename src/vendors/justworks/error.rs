//! Justworks' one error renderer: RFC 6749 bodies on the OAuth endpoints
//! (`{"error", "error_description"}`), `{"error": {"code", "message"}}` on the resources, and the
//! authorize page's HTML error page.

use crate::common::error::{ApiError, ErrorKind};
use actix_web::http::header::WWW_AUTHENTICATE;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// Renders any error under `/justworks`.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    let mut response = match (err.kind, err.fields.as_deref()) {
        // OAuth errors carry their RFC 6749 body.
        (ErrorKind::Validation, Some(body)) => HttpResponse::build(err.status()).json(body),
        _ => {
            // Divergence: Justworks documents no error body; the reference suggests this one.
            let message = err.message.clone().unwrap_or_else(|| default_message(err.kind, req));
            HttpResponse::build(err.status()).json(json!({"error": {"code": err.kind.code(), "message": message}}))
        }
    };
    err.apply_headers(&mut response);
    if response.status().as_u16() == 401 && !req.path().contains("/oauth/") {
        response.headers_mut().insert(WWW_AUTHENTICATE, actix_web::http::header::HeaderValue::from_static("Bearer"));
    }
    response
}

fn default_message(kind: ErrorKind, req: &HttpRequest) -> String {
    match kind {
        ErrorKind::RouteNotFound => format!("No route {} {}", req.method(), req.path()),
        ErrorKind::MethodNotAllowed => format!("Method {} is not allowed here", req.method()),
        ErrorKind::Unauthorized => "Missing or invalid access token.".into(),
        ErrorKind::Forbidden => "The access token lacks a required scope.".into(),
        ErrorKind::NotFound => "Not found".into(),
        ErrorKind::MalformedBody | ErrorKind::BadRequest => "The request is malformed.".into(),
        ErrorKind::PayloadTooLarge => "The request body is too large.".into(),
        ErrorKind::RateLimited => "Too many requests.".into(),
        _ => "Something went wrong.".into(),
    }
}

/// The authorization server's HTML error page (a bad client or redirect URI: never a redirect).
pub fn page(title: &str, message: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Justworks</title></head><body><h1>{title}</h1><p>{message}</p></body></html>\n"
    );
    HttpResponse::BadRequest().content_type("text/html; charset=utf-8").body(html)
}
