//! What `APIView` does around every DRF view, whatever the vendor: the `Allow` header from the
//! view's methods, `finalize_response`'s headers on every answer (errors too, but not Django's
//! 500), the OPTIONS metadata, the 405, content negotiation for JSON-only APIs, and the parsers.
//! A vendor brings its own `initial()` (authentication, permission, throttles) and handlers.

use crate::common::error::{ApiError, ErrorKind};
use crate::common::query;
use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::header::{ACCEPT, ALLOW, CONTENT_TYPE, HeaderValue, VARY};
use actix_web::http::{Method, StatusCode};
use bytes::Bytes;
use serde_json::{Value, json};

/// A handler's answer.
pub type Answer = Result<HttpResponse, ApiError>;

/// One DRF view as `APIView` knows it.
pub struct View {
    /// `get_view_name()`, shown by OPTIONS.
    pub name: &'static str,
    /// `Allow`: the methods the view defines, in DRF's order (`GET, POST, ..., HEAD, OPTIONS`).
    pub allow: &'static str,
    /// The media types of its `parser_classes`, shown by OPTIONS.
    pub parses: &'static [&'static str],
    /// `Vary` on every answer.
    pub vary: &'static str,
}

impl View {
    /// The resource at `path` (relative to the vendor prefix) this view answers, its methods
    /// noted for the OpenAPI document (`common::routing::served_by`).
    pub fn mount(&'static self, path: &str) -> actix_web::Resource {
        for method in self.allow.split(", ").filter(|m| !matches!(*m, "HEAD" | "OPTIONS")) {
            if let Ok(method) = Method::from_bytes(method.as_bytes()) {
                crate::common::routing::note_served(&method, path);
            }
        }
        actix_web::web::resource(path)
    }

    /// Whether the view defines a handler for `method` (HEAD comes with GET).
    pub fn handles(&self, method: &Method) -> bool {
        let wanted = if *method == Method::HEAD { "GET" } else { method.as_str() };
        *method != Method::OPTIONS && self.allow.split(", ").any(|m| m == wanted)
    }

    /// `dispatch` past `initial()`: OPTIONS gets the metadata, a method the view does not define
    /// gets 405, anything else goes to `handler`.
    pub fn by_method(&self, req: &HttpRequest, handler: impl FnOnce() -> Answer) -> Answer {
        if req.method() == Method::OPTIONS {
            // Divergence: DRF's SimpleMetadata adds an `actions` block for create views; not emulated.
            return Ok(HttpResponse::Ok().json(json!({
                "name": self.name,
                "description": "",
                "renders": ["application/json"],
                "parses": self.parses,
            })));
        }
        if !self.handles(req.method()) {
            return Err(ApiError::new(ErrorKind::MethodNotAllowed));
        }
        handler()
    }

    /// `finalize_response`: every answer names the view's methods and what it varies on; an
    /// unhandled exception (Django's 500 page) does not reach it.
    pub fn finalize(&self, answer: Answer) -> Answer {
        match answer {
            Ok(mut response) => {
                response.headers_mut().insert(ALLOW, HeaderValue::from_static(self.allow));
                response.headers_mut().insert(VARY, HeaderValue::from_static(self.vary));
                Ok(response)
            }
            Err(err) if err.kind == ErrorKind::Internal => Err(err),
            Err(err) => Err(err.header(ALLOW, self.allow)),
        }
    }
}

/// `DefaultContentNegotiation` when JSON is the only renderer: `?format=` other than `json` is
/// 404, an `Accept` without JSON is 406.
pub fn negotiate(req: &HttpRequest) -> Result<(), ApiError> {
    if !req.query_string().is_empty() {
        let pairs = query::pairs(req.query_string());
        if let Some(format) = query::last(&pairs, "format").filter(|v| !v.is_empty()) {
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

/// `request.data` as the view's parsers read it.
#[derive(Debug)]
pub enum Data {
    /// `JSONParser` (an empty body is an empty object, whatever its type).
    Json(Value),
    /// `FormParser` and `MultiPartParser`: the pairs in order.
    Form(Vec<(String, String)>),
}

/// Parses `body` with the first parser whose media type matches its `Content-Type`; a type no
/// parser takes is 415. `form` says whether the view has `FormParser` and `MultiPartParser`.
pub fn parse(req: &HttpRequest, body: &Bytes, form: bool) -> Result<Data, ApiError> {
    if body.is_empty() {
        return Ok(Data::Json(json!({})));
    }
    let content_type = req.headers().get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let content_type = content_type.unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match media.as_str() {
        "application/json" => super::parse_json(body).map(Data::Json),
        "application/x-www-form-urlencoded" if form => serde_urlencoded::from_bytes(body)
            .map(Data::Form)
            .map_err(|e| ApiError::with_message(ErrorKind::MalformedBody, format!("Form parse error - {e}"))),
        "multipart/form-data" if form => super::multipart::fields(&content_type, body)
            .map(Data::Form)
            .map_err(|e| ApiError::with_message(ErrorKind::MalformedBody, format!("Multipart form parse error - {e}"))),
        _ => Err(ApiError::with_message(ErrorKind::UnsupportedMediaType, super::error::unsupported_media_type(req))),
    }
}

/// `request.data` of a view whose only parser is `JSONParser`.
pub fn parse_json_only(req: &HttpRequest, body: &Bytes) -> Result<Value, ApiError> {
    match parse(req, body, false)? {
        Data::Json(value) => Ok(value),
        Data::Form(_) => Err(ApiError::new(ErrorKind::UnsupportedMediaType)),
    }
}

/// A JSON answer from bytes kept ready.
pub fn json_bytes(status: StatusCode, body: Bytes) -> HttpResponse {
    HttpResponse::build(status).insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json"))).body(body)
}
