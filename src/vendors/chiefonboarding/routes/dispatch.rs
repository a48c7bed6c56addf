//! ChiefOnboarding's four DRF views and the dispatch around them, in DRF's real order: Django's
//! URL conf (`API_ACCESS`), content negotiation (406, the `?format=` 404), token authentication
//! (401), the admin permission (403), then OPTIONS / 405 and the handler; the parsers are JSON and
//! form. The DRF rules themselves are `crate::families::drf::view`'s.

use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf::fields::Input;
use crate::families::drf::view::{self, Answer, Data, View};
use crate::vendors::chiefonboarding::auth;
use crate::vendors::chiefonboarding::i18n;
use crate::vendors::chiefonboarding::model::role;
use crate::vendors::chiefonboarding::serializer;
use crate::vendors::chiefonboarding::store::State;
use actix_web::http::header::{CONTENT_LANGUAGE, HeaderValue, VARY};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use std::ops::Deref;

const VARY_ON: &str = "Accept, Accept-Language, Cookie";
const PARSES: &[&str] = &["application/json", "application/x-www-form-urlencoded", "multipart/form-data"];

/// `EmployeeView`.
pub static EMPLOYEES: View = View { name: "Employee", allow: "GET, HEAD, OPTIONS", parses: PARSES, vary: VARY_ON };
/// `SequenceView`.
pub static SEQUENCES: View = View { name: "Sequence", allow: "GET, HEAD, OPTIONS", parses: PARSES, vary: VARY_ON };
/// `UserView`.
pub static USERS: View = View { name: "User", allow: "POST, OPTIONS", parses: PARSES, vary: VARY_ON };
/// `UserOffboardingView`.
pub static OFFBOARDING: View = View { name: "User Offboarding", allow: "POST, OPTIONS", parses: PARSES, vary: VARY_ON };

/// Runs the dispatch around `handler`, which receives the state guard once every check passed.
pub fn dispatch<G: Deref<Target = State>>(
    req: &HttpRequest,
    endpoint: &View,
    guard: G,
    handler: impl FnOnce(G) -> Answer,
) -> Answer {
    if !guard.settings.api_access {
        // API_ACCESS off: the URLs are not in the URL conf, so Django answers before DRF.
        return Err(ApiError::new(ErrorKind::RouteNotFound));
    }
    let answer = initial(req, &guard).and_then(|()| endpoint.by_method(req, || handler(guard)));
    endpoint.finalize(answer).map(|mut response| {
        finish(&mut response, req);
        response
    })
}

/// Headers Django's middleware adds to every answer: the language and what it varies on.
pub fn finish(response: &mut HttpResponse, req: &HttpRequest) {
    let language = i18n::language(req);
    response.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(language));
    response.headers_mut().insert(VARY, HeaderValue::from_static(VARY_ON));
}

/// `APIView.initial()`: negotiation, authentication, then the admin permission.
fn initial(req: &HttpRequest, state: &State) -> Result<(), ApiError> {
    view::negotiate(req)?;
    let user = auth::authenticate(req, state)?;
    if user.role != role::ADMIN {
        return Err(ApiError::new(ErrorKind::Forbidden));
    }
    Ok(())
}

/// `request.data` through the views' parsers: JSON and form.
// Divergence: multipart/form-data is not parsed (DRF's MultiPartParser is); it gets the 415 DRF
// would give for a type it has no parser for.
pub fn parse_body(req: &HttpRequest, body: &Bytes) -> Result<Input, ApiError> {
    match view::parse(req, body, true)? {
        Data::Json(value) => serializer::input_of(value),
        Data::Form(pairs) => Ok(Input::Form(pairs)),
    }
}
