//! Django REST Framework's `APIView.dispatch`, in its real order: content negotiation (406, and
//! the `?format=` 404), token authentication (401), the admin permission (403), the method
//! (405, OPTIONS), then body parsing (415 / JSON errors). Handlers start where DRF's would.

use super::i18n;
use super::model::role;
use super::store::State;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf::{self as common_drf, fields::Input};
use actix_web::http::header::{ACCEPT, ALLOW, CONTENT_LANGUAGE, CONTENT_TYPE, HeaderValue, VARY};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use serde_json::json;
use std::ops::Deref;

/// One DRF view: its name (for OPTIONS) and whether it is a list (GET) or a create (POST) view.
pub struct Endpoint {
    /// DRF's `get_view_name()`: the class name without `View`, words split.
    pub view_name: &'static str,
    /// `true` for GET/HEAD views, `false` for POST views.
    pub lists: bool,
}

impl Endpoint {
    /// The `Allow` header DRF sends on every answer of this view.
    fn allow(&self) -> &'static str {
        if self.lists { "GET, HEAD, OPTIONS" } else { "POST, OPTIONS" }
    }

    fn handles(&self, method: &Method) -> bool {
        if self.lists { matches!(*method, Method::GET | Method::HEAD) } else { *method == Method::POST }
    }
}

/// `EmployeeView`.
pub const EMPLOYEES: Endpoint = Endpoint { view_name: "Employee", lists: true };
/// `SequenceView`.
pub const SEQUENCES: Endpoint = Endpoint { view_name: "Sequence", lists: true };
/// `UserView`.
pub const USERS: Endpoint = Endpoint { view_name: "User", lists: false };
/// `UserOffboardingView`.
pub const OFFBOARDING: Endpoint = Endpoint { view_name: "User Offboarding", lists: false };

/// Runs DRF's dispatch around `handler`, which receives the state guard once every check passed.
pub fn view<G: Deref<Target = State>>(
    req: &HttpRequest,
    endpoint: &Endpoint,
    guard: G,
    handler: impl FnOnce(G) -> Result<HttpResponse, ApiError>,
) -> Result<HttpResponse, ApiError> {
    if !guard.settings.api_access {
        // API_ACCESS off: the URLs are not in the URL conf, so Django answers before DRF.
        return Err(ApiError::new(ErrorKind::RouteNotFound));
    }
    let result = match initial(req, endpoint, &guard) {
        Ok(Some(options)) => Ok(options),
        Ok(None) => handler(guard),
        Err(err) => Err(err),
    };
    match result {
        Ok(mut response) => {
            response.headers_mut().insert(ALLOW, HeaderValue::from_static(endpoint.allow()));
            finish(&mut response, req);
            Ok(response)
        }
        Err(err) if err.kind == ErrorKind::Internal => Err(err),
        Err(err) => Err(err.header(ALLOW, endpoint.allow())),
    }
}

/// A DRF JSON answer from bytes kept ready.
pub fn json_bytes(status: StatusCode, body: Bytes) -> HttpResponse {
    HttpResponse::build(status).insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json"))).body(body)
}

/// Headers Django's middleware adds to every answer: the language and what it varies on.
pub fn finish(response: &mut HttpResponse, req: &HttpRequest) {
    let language = i18n::language(req);
    response.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(language));
    response.headers_mut().insert(VARY, HeaderValue::from_static("Accept, Accept-Language, Cookie"));
}

/// `APIView.initial()` and the method dispatch; `Some` when OPTIONS answered already.
fn initial(req: &HttpRequest, endpoint: &Endpoint, state: &State) -> Result<Option<HttpResponse>, ApiError> {
    negotiate(req)?;
    let user = authenticate(req, state)?;
    if user.role != role::ADMIN {
        return Err(ApiError::new(ErrorKind::Forbidden));
    }
    if req.method() == Method::OPTIONS {
        // Divergence: DRF's SimpleMetadata adds an `actions` block for create views; not emulated.
        return Ok(Some(HttpResponse::Ok().json(json!({
            "name": endpoint.view_name,
            "description": "",
            "renders": ["application/json"],
            "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
        }))));
    }
    if !endpoint.handles(req.method()) {
        return Err(ApiError::new(ErrorKind::MethodNotAllowed));
    }
    Ok(None)
}

/// `DefaultContentNegotiation`: only the JSON renderer exists.
fn negotiate(req: &HttpRequest) -> Result<(), ApiError> {
    if !req.query_string().is_empty() {
        let query: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
        if let Some((_, format)) = query.iter().rev().find(|(k, _)| k == "format").filter(|(_, v)| !v.is_empty()) {
            return if format == "json" { Ok(()) } else { Err(ApiError::new(ErrorKind::NotFound)) };
        }
    }
    let accept = req.headers().get(ACCEPT).map_or("*/*", |v| v.to_str().unwrap_or(""));
    let accepts_json = accept.split(',').any(|media| {
        let base = media.split(';').next().unwrap_or("").trim();
        let (main, sub) = base.split_once('/').unwrap_or((base, ""));
        (main == "*" || main.eq_ignore_ascii_case("application")) && (sub == "*" || sub.eq_ignore_ascii_case("json"))
    });
    if accepts_json { Ok(()) } else { Err(ApiError::new(ErrorKind::NotAcceptable)) }
}

/// `TokenAuthentication.authenticate`, message for message.
fn authenticate<'s>(req: &HttpRequest, state: &'s State) -> Result<&'s super::model::User, ApiError> {
    let unauthorized = |message: &str| ApiError::with_message(ErrorKind::Unauthorized, message);
    let mut parts = crate::common::auth_header::authorization_parts(req).into_iter();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(keyword), _, _) if !keyword.eq_ignore_ascii_case(b"token") => {
            Err(unauthorized("Authentication credentials were not provided."))
        }
        (None, _, _) => Err(unauthorized("Authentication credentials were not provided.")),
        (Some(_), None, _) => Err(unauthorized("Invalid token header. No credentials provided.")),
        (Some(_), Some(key), None) => {
            let key = std::str::from_utf8(key).map_err(|_| {
                unauthorized("Invalid token header. Token string should not contain invalid characters.")
            })?;
            let user = state.user_by_token(key).ok_or_else(|| unauthorized("Invalid token."))?;
            if user.is_active { Ok(user) } else { Err(unauthorized("User inactive or deleted.")) }
        }
        _ => Err(unauthorized("Invalid token header. Token string should not contain spaces.")),
    }
}

/// DRF's parsers: JSON, form-urlencoded; an empty body is empty data whatever its type.
pub fn parse_body(req: &HttpRequest, body: &Bytes) -> Result<Input, ApiError> {
    let content_type = req.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let content_type = content_type.unwrap_or_default();
    if body.is_empty() {
        return Ok(Input::Json(serde_json::Map::new()));
    }
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match media.as_str() {
        "application/json" => super::serializer::input_of(common_drf::parse_json(body)?),
        "application/x-www-form-urlencoded" => serde_urlencoded::from_bytes(body)
            .map(Input::Form)
            .map_err(|e| ApiError::with_message(ErrorKind::MalformedBody, format!("Form parse error - {e}"))),
        // Divergence: multipart/form-data is not parsed (DRF's MultiPartParser is); it gets the 415
        // DRF would give for a type it has no parser for.
        _ => Err(ApiError::with_message(
            ErrorKind::UnsupportedMediaType,
            format!("Unsupported media type \"{content_type}\" in request."),
        )),
    }
}
