//! Directory through HTTP: both credential kinds, every resource, organization isolation,
//! create-or-replace vs patch, manager cycles and the route-order traps.

mod access;
mod organizations;
mod people;
mod spring;

use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::Value;

/// `/directory` + a vendor path.
pub fn dir(path: &str) -> String {
    format!("/directory{path}")
}

/// A request with a raw `Authorization` value; status and JSON body (`null` when empty).
pub async fn send(app: &TestApp, method: Method, path: &str, auth: &str, body: Option<Value>) -> (u16, Value) {
    app.vendor("directory").call_with(method, path, auth, body).await
}

/// A request as a credentials identity.
pub async fn call(app: &TestApp, method: Method, path: &str, identity: &str, body: Option<Value>) -> (u16, Value) {
    app.vendor("directory").call(method, path, identity, body).await
}

/// The ids of a list body.
pub fn ids(list: &Value) -> Vec<String> {
    list.as_array().map(|l| l.iter().filter_map(|v| v["id"].as_str().map(str::to_owned)).collect()).unwrap_or_default()
}
