//! Joinup through HTTP: JWT auth, both tenant modes, lists, bulk jobs, rate limits, signup hook.

mod auth;
mod bulk;
mod lists;
mod loops;
mod methods;
mod rate_limits;
mod signup;

use crate::helpers::{TestApp, spawn_with};
use hr_sandbox::settings::{RateLimits, Settings};
use reqwest::{Method, Response};
use serde_json::Value;

/// `/joinup` + a vendor path.
pub fn ju(path: &str) -> String {
    format!("/joinup{path}")
}

/// A server whose rate limits are off, for tests that are not about throttling.
pub async fn spawn_unthrottled() -> TestApp {
    spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }).await
}

/// A request to a Joinup path as an identity.
pub async fn call(app: &TestApp, method: Method, path: &str, identity: &str, body: Option<Value>) -> Response {
    app.vendor("joinup").send_as(method, path, identity, body).await
}

/// `GET` a Joinup path as an identity; status and JSON body.
pub async fn get(app: &TestApp, path: &str, identity: &str) -> (u16, Value) {
    app.vendor("joinup").call(Method::GET, path, identity, None).await
}
