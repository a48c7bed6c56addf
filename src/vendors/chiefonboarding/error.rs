//! ChiefOnboarding's one error renderer: DRF's `{"detail": ...}` and field-keyed 400s, Django's
//! HTML pages for unknown URLs and server errors, all in the request's language.

use super::drf as co_drf;
use super::i18n;
use crate::common::drf;
use crate::common::error::{ApiError, ErrorKind};
use actix_web::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// Django's `page_not_found` page with DEBUG off.
const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
/// Django's `server_error` page with DEBUG off.
const SERVER_ERROR_PAGE: &str = "<h1>Server Error (500)</h1>";

/// Renders any error under `/chiefonboarding` the way the real server would.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    let language = i18n::language(req);
    let mut response = match err.kind {
        ErrorKind::RouteNotFound => html(err, NOT_FOUND_PAGE),
        ErrorKind::Internal => html(err, SERVER_ERROR_PAGE),
        ErrorKind::Validation => {
            let fields = err.fields.as_deref().cloned().unwrap_or_else(|| json!({}));
            HttpResponse::build(err.status()).json(i18n::translate_value(fields, language))
        }
        _ => HttpResponse::build(err.status()).json(json!({"detail": i18n::translate(&detail(err, req), language)})),
    };
    err.apply_headers(&mut response);
    if response.status().as_u16() == 401 {
        response.headers_mut().insert(WWW_AUTHENTICATE, actix_web::http::header::HeaderValue::from_static("Token"));
    }
    co_drf::finish(&mut response, req);
    response
}

fn html(err: &ApiError, page: &'static str) -> HttpResponse {
    HttpResponse::build(err.status()).content_type("text/html; charset=utf-8").body(page)
}

/// DRF's default `detail` for each exception, unless the error brings its own.
fn detail(err: &ApiError, req: &HttpRequest) -> String {
    if let Some(message) = &err.message
        && err.kind != ErrorKind::MethodNotAllowed
    {
        return message.clone();
    }
    match err.kind {
        ErrorKind::MethodNotAllowed => format!("Method \"{}\" not allowed.", req.method()),
        ErrorKind::UnsupportedMediaType => {
            let content_type =
                req.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            format!("Unsupported media type \"{}\" in request.", content_type.unwrap_or_default())
        }
        ErrorKind::RateLimited => {
            let wait = err.headers.iter().find(|(name, _)| name == RETRY_AFTER).and_then(|(_, v)| v.to_str().ok());
            match wait.and_then(|seconds| seconds.parse().ok()) {
                Some(seconds) => drf::throttled_detail(seconds),
                None => "Request was throttled.".to_owned(),
            }
        }
        kind => default_detail(kind).to_owned(),
    }
}

fn default_detail(kind: ErrorKind) -> &'static str {
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
