//! ChiefOnboarding's one error renderer: DRF's `{"detail": ...}` and field-keyed 400s, Django's
//! HTML pages for unknown URLs and server errors, all in the request's language.

use super::i18n;
use super::views;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf;
use actix_web::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// Renders any error under `/chiefonboarding` the way the real server would.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    let language = i18n::language(req);
    let mut response = match err.kind {
        ErrorKind::RouteNotFound => html(err, drf::NOT_FOUND_PAGE),
        ErrorKind::Internal => html(err, drf::SERVER_ERROR_PAGE),
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
    views::finish(&mut response, req);
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
        ErrorKind::MethodNotAllowed => drf::method_not_allowed(req.method()),
        ErrorKind::UnsupportedMediaType => drf::unsupported_media_type(req),
        ErrorKind::RateLimited => {
            let wait = err.headers.iter().find(|(name, _)| name == RETRY_AFTER).and_then(|(_, v)| v.to_str().ok());
            match wait.and_then(|seconds| seconds.parse().ok()) {
                Some(seconds) => drf::throttled_detail(seconds),
                None => "Request was throttled.".to_owned(),
            }
        }
        kind => drf::default_detail(kind).to_owned(),
    }
}
