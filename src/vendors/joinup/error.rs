//! Joinup's one error renderer: DRF's (`crate::families::drf::render`) with
//! `WWW-Authenticate: JWT realm="api"` on 401s, and `Vary: Accept` on every answer DRF
//! finalizes (not Django's HTML pages for unknown URLs and server errors).

use super::auth;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf::{self, Project};
use actix_web::http::header::{HeaderValue, VARY};
use actix_web::{HttpRequest, HttpResponse};

/// Joinup's project: JWT authentication, English only.
static JOINUP: Project = Project { www_authenticate: auth::WWW_AUTHENTICATE, localize: drf::untranslated, finish };

/// Renders any error under `/joinup` the way Joinup's DRF server would.
pub fn render(err: &ApiError, req: &HttpRequest) -> HttpResponse {
    drf::render(err, req, &JOINUP)
}

/// `finalize_response`'s `Vary`, which Django's own pages do not reach.
fn finish(response: &mut HttpResponse, _: &HttpRequest, err: &ApiError) {
    if !matches!(err.kind, ErrorKind::RouteNotFound | ErrorKind::Internal) {
        response.headers_mut().insert(VARY, HeaderValue::from_static("Accept"));
    }
}
