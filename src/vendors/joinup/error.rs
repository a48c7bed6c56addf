//! Joinup's one error renderer: DRF's `{"detail": ...}` and serializer errors (objects, or lists
//! aligned with a bulk body), `WWW-Authenticate: JWT realm="api"` on 401s, Django's HTML pages for
//! unknown URLs and server errors.

use super::auth;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf;
use actix_web::http::header::{HeaderValue, RETRY_AFTER, VARY, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// Renders any error under `/joinup` the way Joinup's DRF server would.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    let mut response = match err.kind {
        ErrorKind::RouteNotFound => html(err, drf::NOT_FOUND_PAGE),
        ErrorKind::Internal => html(err, drf::SERVER_ERROR_PAGE),
        ErrorKind::Validation => {
            HttpResponse::build(err.status()).json(err.fields.as_deref().cloned().unwrap_or_else(|| json!({})))
        }
        _ => HttpResponse::build(err.status()).json(json!({"detail": detail(err, req)})),
    };
    err.apply_headers(&mut response);
    if response.status().as_u16() == 401 {
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static(auth::WWW_AUTHENTICATE));
    }
    if !matches!(err.kind, ErrorKind::RouteNotFound | ErrorKind::Internal) {
        response.headers_mut().insert(VARY, HeaderValue::from_static("Accept"));
    }
    response
}

fn html(err: &ApiError, page: &'static str) -> HttpResponse {
    HttpResponse::build(err.status()).content_type("text/html; charset=utf-8").body(page)
}

/// The error's own message, else DRF's default for the exception.
fn detail(err: &ApiError, req: &HttpRequest) -> String {
    match err.kind {
        ErrorKind::MethodNotAllowed => drf::method_not_allowed(req.method()),
        _ if err.message.is_some() => err.message.clone().unwrap_or_default(),
        ErrorKind::UnsupportedMediaType => drf::unsupported_media_type(req),
        ErrorKind::RateLimited => {
            let wait = err
                .headers
                .iter()
                .find(|(name, _)| name == RETRY_AFTER)
                .and_then(|(_, v)| v.to_str().ok()?.parse().ok());
            wait.map_or_else(|| "Request was throttled.".to_owned(), drf::throttled_detail)
        }
        kind => drf::default_detail(kind).to_owned(),
    }
}
