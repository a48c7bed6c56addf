//! ChiefOnboarding through HTTP: every status code and message of the reference.

mod auth;
mod dispatch;
mod i18n;
mod lists;
mod offboarding;
mod removal;
mod users;

use crate::helpers::TestApp;
use reqwest::{Method, Response};
use serde_json::Value;

/// `/chiefonboarding` + a vendor path.
pub fn co(path: &str) -> String {
    format!("/chiefonboarding{path}")
}

/// POST a JSON body as the admin identity.
pub async fn post_as_admin(app: &TestApp, path: &str, body: Value) -> Response {
    app.vendor("chiefonboarding").send_as(Method::POST, path, "admin", Some(body)).await
}

/// POST a raw body with a content type as the admin identity.
pub async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Response {
    app.vendor("chiefonboarding").send_raw(path, "admin", content_type, body).await
}
