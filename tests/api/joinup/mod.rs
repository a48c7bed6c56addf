//! Joinup through HTTP: JWT auth, both tenant modes, lists, bulk jobs, rate limits, signup hook.

mod auth;
mod bulk;
mod lists;
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
    let auth = app.auth("joinup", identity).await;
    app.send(method, &ju(path), Some(&auth), body).await
}

/// `GET` a Joinup path as an identity; status and JSON body.
pub async fn get(app: &TestApp, path: &str, identity: &str) -> (u16, Value) {
    let response = call(app, Method::GET, path, identity, None).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}
