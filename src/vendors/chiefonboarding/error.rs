//! ChiefOnboarding's one error renderer: DRF's (`crate::families::drf::render`) with
//! `WWW-Authenticate: Token` on 401s, every message in the request's language, and the
//! language and `Vary` headers Django's middleware adds to every answer.

use super::i18n;
use super::routes::dispatch;
use crate::common::error::ApiError;
use crate::families::drf::{self, Project};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

/// ChiefOnboarding's project: token authentication, `LocaleMiddleware`.
static CHIEFONBOARDING: Project = Project { www_authenticate: "Token", localize, finish };

/// Renders any error under `/chiefonboarding` the way the real server would.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    drf::render(err, req, &CHIEFONBOARDING)
}

fn localize(body: Value, req: &HttpRequest) -> Value {
    i18n::translate_value(body, i18n::language(req))
}

fn finish(response: &mut HttpResponse, req: &HttpRequest, _: &ApiError) {
    dispatch::finish(response, req);
}
