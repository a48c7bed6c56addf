//! DRF's error answers, written once for every DRF vendor: `exception_handler`'s
//! `{"detail": ...}` (DRF's default texts, the throttle's wait from `Retry-After`) and
//! field-keyed 400s, Django's HTML pages for unknown URLs and server errors. Each vendor's
//! `error.rs` calls [`render`] with what its project adds ([`Project`]).

use crate::common::error::{ApiError, ErrorKind};
use actix_web::http::header::{HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

/// What one Django project adds around DRF's error answers.
pub struct Project {
    /// `WWW-Authenticate` on a 401: the `authenticate_header` of the views' first
    /// authentication class.
    pub www_authenticate: &'static str,
    /// The JSON body in the request's language (Django's `LocaleMiddleware` and gettext);
    /// [`untranslated`] for a project that answers in English only.
    pub localize: fn(Value, &HttpRequest) -> Value,
    /// The headers the project's middleware and DRF's `finalize_response` add to the answer.
    pub finish: fn(&mut HttpResponse, &HttpRequest, &ApiError),
}

/// [`Project::localize`] of a project without translations.
pub fn untranslated(body: Value, _: &HttpRequest) -> Value {
    body
}

/// Renders any error under the vendor's prefix the way its DRF server would.
pub fn render(err: &ApiError, req: &HttpRequest, project: &Project) -> HttpResponse {
    let mut response = match err.kind {
        ErrorKind::RouteNotFound => html(err, NOT_FOUND_PAGE),
        ErrorKind::Internal => html(err, SERVER_ERROR_PAGE),
        ErrorKind::Validation => {
            let fields = err.fields.as_deref().cloned().unwrap_or_else(|| json!({}));
            HttpResponse::build(err.status()).json((project.localize)(fields, req))
        }
        _ => HttpResponse::build(err.status()).json((project.localize)(json!({"detail": detail(err, req)}), req)),
    };
    err.apply_headers(&mut response);
    if response.status().as_u16() == 401 {
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static(project.www_authenticate));
    }
    (project.finish)(&mut response, req, err);
    response
}

fn html(err: &ApiError, page: &'static str) -> HttpResponse {
    HttpResponse::build(err.status()).content_type("text/html; charset=utf-8").body(page)
}

/// The error's own message, else DRF's default `detail` for the exception (a 405 always names
/// the method).
fn detail(err: &ApiError, req: &HttpRequest) -> String {
    if let Some(message) = &err.message
        && err.kind != ErrorKind::MethodNotAllowed
    {
        return message.clone();
    }
    match err.kind {
        ErrorKind::MethodNotAllowed => method_not_allowed(req.method()),
        ErrorKind::UnsupportedMediaType => unsupported_media_type(req),
        ErrorKind::RateLimited => {
            let wait = err
                .headers
                .iter()
                .find(|(name, _)| name == RETRY_AFTER)
                .and_then(|(_, v)| v.to_str().ok()?.parse().ok());
            wait.map_or_else(|| "Request was throttled.".to_owned(), throttled_detail)
        }
        kind => default_detail(kind).to_owned(),
    }
}

/// `Throttled.detail` for a wait of `seconds` (DRF rounds the wait up; `ngettext` picks the noun).
fn throttled_detail(seconds: u64) -> String {
    let noun = if seconds == 1 { "second" } else { "seconds" };
    format!("Request was throttled. Expected available in {seconds} {noun}.")
}

/// Django's `page_not_found` page with DEBUG off.
const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
/// Django's `server_error` page with DEBUG off.
const SERVER_ERROR_PAGE: &str = "<h1>Server Error (500)</h1>";

/// `MethodNotAllowed.detail`.
fn method_not_allowed(method: &actix_web::http::Method) -> String {
    format!("Method \"{method}\" not allowed.")
}

/// `UnsupportedMediaType.detail`, echoing the whole `Content-Type`.
pub(super) fn unsupported_media_type(req: &HttpRequest) -> String {
    let content_type =
        req.headers().get(actix_web::http::header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()));
    format!("Unsupported media type \"{}\" in request.", content_type.unwrap_or_default())
}

/// DRF's default `detail` for each exception.
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

/// The JSON Schema of [`render`]'s JSON bodies, for OpenAPI documents: `{"detail": ...}`, or
/// field errors by field (a list of them for a list of items).
pub fn schema() -> Value {
    json!({"type": ["object", "array"], "description": "`{\"detail\": ...}`, or field errors by field",
        "properties": {"detail": {"type": "string"}}})
}
