//! The admin API's one error shape: `{"error": {"code": "...", "message": "..."}}`.

use crate::common::error::ApiError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Value, json};
use std::fmt;

/// An admin API failure.
#[derive(Debug)]
pub struct AdminError {
    status: StatusCode,
    code: &'static str,
    message: String,
    extra: Option<Box<(&'static str, Value)>>,
}

impl AdminError {
    /// 400 `bad_request`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, code: "bad_request", message: message.into(), extra: None }
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into(), extra: None }
    }

    /// 409 `conflict`.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self { status: StatusCode::CONFLICT, code: "conflict", message: message.into(), extra: None }
    }

    /// 405 `method_not_allowed`.
    pub fn method_not_allowed(method: &str) -> Self {
        Self {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "method_not_allowed",
            message: format!("{method} is not allowed on this admin route"),
            extra: None,
        }
    }

    /// Any status with its own code (the guard's 401, 403, 413 and 415, the sandbox cap's 409).
    pub fn with_status(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), extra: None }
    }

    /// 404 for a sandbox name that is not registered.
    pub fn unknown_sandbox(name: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "unknown_sandbox",
            message: format!("no sandbox named '{name}' (create it with POST /__admin/sandboxes)"),
            extra: None,
        }
    }

    /// 408 `request_timeout`: the request's body did not arrive within `--body-timeout`.
    pub fn request_timeout(message: impl Into<String>) -> Self {
        Self::with_status(StatusCode::REQUEST_TIMEOUT, "request_timeout", message)
    }

    /// 500: the admin API itself failed (a worker task panicked).
    pub fn internal(message: impl Into<String>) -> Self {
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: message.into(), extra: None }
    }

    /// A snapshot document refused: 400 naming the JSON path of its first problem.
    pub fn invalid_snapshot(problem: &crate::common::problem::Problem) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_snapshot",
            message: problem.to_string(),
            extra: Some(Box::new(("path", json!(problem.path)))),
        }
    }

    /// 404 for a path outside `/__admin` and every vendor prefix.
    pub fn unknown_prefix(path: &str, prefixes: Vec<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("nothing is served at {path}; vendors are mounted at {}", prefixes.join(", ")),
            extra: Some(Box::new(("vendor_prefixes", json!(prefixes)))),
        }
    }
}

impl From<ApiError> for AdminError {
    fn from(err: ApiError) -> Self {
        let message = err.message.clone().unwrap_or_else(|| err.kind.code().replace('_', " "));
        Self { status: err.status(), code: err.kind.code(), message, extra: None }
    }
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut error = json!({"code": self.code, "message": self.message});
        if let (Some(extra), Some(map)) = (&self.extra, error.as_object_mut()) {
            let (key, value) = extra.as_ref();
            map.insert((*key).to_owned(), value.clone());
        }
        HttpResponse::build(self.status).json(json!({ "error": error }))
    }
}
