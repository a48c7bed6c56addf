//! JSON nesting on the Django REST Framework vendors (ChiefOnboarding, Joinup): DRF parses with
//! CPython's `json.loads`, which nests as deep as CPython's recursion limit (1000) allows: a body
//! nested 900 deep is read (and its unknown field ignored, as a serializer does), one nested past
//! the limit is the `RecursionError` DRF lets escape, Django's HTML 500.

use crate::helpers::{TestApp, spawn_with};
use hr_sandbox::settings::{RateLimits, Settings};
use reqwest::Method;
use serde_json::{Value, json};

/// `body` (a JSON object or array) with an extra field, or an extra element, holding `depth`
/// nested arrays.
fn with_nested(body: Value, depth: usize) -> String {
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let text = body.to_string();
    match body {
        Value::Object(_) => format!("{{\"nested\": {nested}, {}", &text[1..]),
        _ => format!("[{nested}, {}", &text[1..]),
    }
}

async fn post(app: &TestApp, vendor: &'static str, path: &str, identity: &str, body: String) -> (u16, String) {
    let auth = app.auth(vendor, identity).await;
    let request = app
        .request(Method::POST, &format!("/{vendor}{path}"))
        .header("Authorization", auth)
        .header("Content-Type", "application/json")
        .body(body);
    let response = app.execute(request).await;
    (response.status().as_u16(), response.text().await.expect("body"))
}

async fn unthrottled() -> TestApp {
    spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }).await
}

fn new_user() -> Value {
    json!({"first_name": "Deep", "last_name": "Nest", "email": "deep@acme.test", "role": 0})
}

fn cost_center(name: &str) -> Value {
    json!({"operation": "onboarding", "name": name, "company_name": "Acme Iberia SL"})
}

#[tokio::test]
async fn create_user_accepts_an_unknown_field_nested_900_deep() {
    let app = unthrottled().await;
    let (status, body) = post(&app, "chiefonboarding", "/api/users/", "admin", with_nested(new_user(), 900)).await;
    assert_eq!(status, 201, "{body}");
    let created: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(created["email"], "deep@acme.test");
    assert!(created.get("nested").is_none(), "an unknown field is ignored: {created}");
}

#[tokio::test]
async fn create_user_nested_past_cpythons_limit_is_djangos_500_page() {
    let app = unthrottled().await;
    let (status, body) = post(&app, "chiefonboarding", "/api/users/", "admin", with_nested(new_user(), 1000)).await;
    assert_eq!((status, body.as_str()), (500, "<h1>Server Error (500)</h1>"));
}

#[tokio::test]
async fn create_user_nested_past_cpythons_limit_creates_nothing() {
    let app = unthrottled().await;
    let before = app.get_json("/__admin/vendors", None, 200).await;
    post(&app, "chiefonboarding", "/api/users/", "admin", with_nested(new_user(), 1000)).await;
    assert_eq!(app.get_json("/__admin/vendors", None, 200).await, before, "nothing was written");
}

#[tokio::test]
async fn bulk_cost_centers_accept_an_item_with_a_field_nested_900_deep() {
    let app = unthrottled().await;
    let items = json!([cost_center("DEEP")]);
    let item = with_nested(items[0].clone(), 900);
    let (status, body) = post(&app, "joinup", "/api/company/cost-centers/", "group_admin", format!("[{item}]")).await;
    assert_eq!(status, 202, "{body}");
}

#[tokio::test]
async fn bulk_cost_centers_nested_past_cpythons_limit_are_djangos_500_page() {
    let app = unthrottled().await;
    let body = with_nested(json!([cost_center("DEEP")]), 1000);
    let (status, body) = post(&app, "joinup", "/api/company/cost-centers/", "group_admin", body).await;
    assert_eq!((status, body.as_str()), (500, "<h1>Server Error (500)</h1>"));
}
