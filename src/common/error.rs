//! The vendor-neutral error every store and handler returns; each vendor's `error.rs` renders it.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde_json::Value;
use std::fmt;

/// What went wrong, independent of how a vendor spells it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Generic bad request (bad query value, bad path value).
    BadRequest,
    /// The body was not parseable (malformed JSON, wrong form encoding).
    MalformedBody,
    /// Field-level validation failed; `ApiError::fields` holds the detail.
    Validation,
    /// No or bad credentials.
    Unauthorized,
    /// Valid credentials without the right to do this.
    Forbidden,
    /// A resource addressed by the request does not exist.
    NotFound,
    /// No route matches the path at all (frameworks often answer these differently).
    RouteNotFound,
    /// The route exists but not for this method.
    MethodNotAllowed,
    /// The `Accept` header excludes every representation the vendor offers.
    NotAcceptable,
    /// The request conflicts with current state.
    Conflict,
    /// The body (or a batch) is larger than allowed.
    PayloadTooLarge,
    /// The body's `Content-Type` is not one the endpoint parses.
    UnsupportedMediaType,
    /// Semantically invalid input that the vendor answers with 422.
    Unprocessable,
    /// Too many requests.
    RateLimited,
    /// The server failed.
    Internal,
    /// The service is down for now.
    Unavailable,
    /// An upstream of the vendor timed out.
    GatewayTimeout,
}

impl ErrorKind {
    /// The status a vendor uses for this kind unless it says otherwise.
    pub fn default_status(self) -> StatusCode {
        match self {
            Self::BadRequest | Self::MalformedBody | Self::Validation => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound | Self::RouteNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::GatewayTimeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The snake_case name used by scenario files and the admin API.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::MalformedBody => "malformed_body",
            Self::Validation => "validation",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::NotAcceptable => "not_acceptable",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Unprocessable => "unprocessable",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::GatewayTimeout => "gateway_timeout",
        }
    }
}

/// A failure in vendor-neutral terms: a kind, an optional message and detail, extra headers.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// A human message; `None` lets the vendor renderer use its own default text.
    pub message: Option<String>,
    /// Overrides the kind's default status (scenario files may ask for one).
    pub status: Option<StatusCode>,
    /// Field-keyed detail for `Validation` (vendor renderers decide how to show it).
    pub fields: Option<Box<Value>>,
    /// Headers the response must carry (`Retry-After`, `Allow`, ...).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An error of `kind` with the vendor's default message.
    pub fn new(kind: ErrorKind) -> Self {
        Self { kind, message: None, status: None, fields: None, headers: Vec::new() }
    }

    /// An error of `kind` with a message.
    pub fn with_message(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { message: Some(message.into()), ..Self::new(kind) }
    }

    /// A validation failure with field-keyed detail.
    pub fn validation(fields: Value) -> Self {
        Self { fields: Some(Box::new(fields)), ..Self::new(ErrorKind::Validation) }
    }

    /// Adds a header to the eventual response.
    pub fn header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((name, value));
        }
        self
    }

    /// The status the response will carry.
    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or_else(|| self.kind.default_status())
    }

    /// Adds the error's own headers to a response under construction.
    pub fn apply_headers(&self, response: &mut HttpResponse) {
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind.code())?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

/// Only a fallback: the vendor pipeline replaces this body with the vendor's own rendering.
impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status()).json(serde_json::json!({
            "error": {"code": self.kind.code(), "message": self.message}
        }))
    }
}
