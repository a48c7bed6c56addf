//! The documented rate limits, on the sandbox clock: per token and per endpoint.

use super::{call, get, ju};
use crate::helpers::{TestApp, exchange, spawn_app, spawn_with};
use hr_sandbox::settings::{RateLimits, Settings};
use reqwest::Method;
use serde_json::{Value, json};

async fn frozen_app() -> TestApp {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2026-05-04T09:00:00Z", "frozen": true}), 200).await;
    app
}

async fn advance_ms(app: &TestApp, ms: i64) {
    let at = chrono::DateTime::parse_from_rfc3339("2026-05-04T09:00:00Z").expect("time")
        + chrono::Duration::milliseconds(ms);
    app.admin_post("/__admin/clock", json!({"set": at.to_rfc3339()}), 200).await;
}

#[tokio::test]
async fn list_employees_twice_within_a_second_is_429() {
    let app = frozen_app().await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
    let throttled = call(&app, Method::GET, "/api/company/employees/", "group_admin", None).await;
    insta::assert_json_snapshot!(exchange(throttled, &["retry-after", "allow"]).await);
}

#[tokio::test]
async fn list_cost_centers_after_a_throttled_employees_list_is_200() {
    let app = frozen_app().await;
    get(&app, "/api/company/employees/", "group_admin").await;
    get(&app, "/api/company/employees/", "group_admin").await;
    assert_eq!(get(&app, "/api/company/cost-centers/", "group_admin").await.0, 200, "another endpoint");
}

#[tokio::test]
async fn list_employees_with_another_token_after_a_throttled_one_is_200() {
    let app = frozen_app().await;
    get(&app, "/api/company/employees/", "group_admin").await;
    get(&app, "/api/company/employees/", "group_admin").await;
    assert_eq!(get(&app, "/api/company/employees/", "single_company").await.0, 200, "another token");
}

#[tokio::test]
async fn list_employees_999_ms_later_is_still_429() {
    let app = frozen_app().await;
    get(&app, "/api/company/employees/", "group_admin").await;
    advance_ms(&app, 999).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 429);
}

#[tokio::test]
async fn list_employees_one_second_later_is_200() {
    let app = frozen_app().await;
    get(&app, "/api/company/employees/", "group_admin").await;
    advance_ms(&app, 999).await;
    get(&app, "/api/company/employees/", "group_admin").await;
    advance_ms(&app, 1000).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
}

fn one_cost_center() -> Value {
    json!([{"name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}])
}

/// A first cost-center bulk POST, asserted 202; its job id.
async fn first_bulk(app: &TestApp) -> String {
    let first = call(app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(one_cost_center())).await;
    assert_eq!(first.status(), 202);
    first.json::<Value>().await.expect("json")["request_id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn bulk_again_within_a_minute_is_429_with_the_wait_in_the_message() {
    let app = frozen_app().await;
    first_bulk(&app).await;
    advance_ms(&app, 17_300).await;
    let second = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(one_cost_center())).await;
    assert_eq!(second.status(), 429);
    assert_eq!(second.headers()["retry-after"], "43");
    assert_eq!(
        second.json::<Value>().await.expect("json"),
        json!({"detail": "Request was throttled. Expected available in 43 seconds."})
    );
}

#[tokio::test]
async fn check_request_twice_within_a_minute_is_429() {
    let app = frozen_app().await;
    let id = first_bulk(&app).await;
    let report = format!("/api/company/cost-centers/check-request/{id}/");
    assert_eq!(get(&app, &report, "group_admin").await.0, 200);
    let (status, body) = get(&app, &report, "group_admin").await;
    assert_eq!((status, body), (429, json!({"detail": "Request was throttled. Expected available in 60 seconds."})));
}

#[tokio::test]
async fn bulk_again_after_a_minute_is_202() {
    let app = frozen_app().await;
    first_bulk(&app).await;
    advance_ms(&app, 17_300).await;
    call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(one_cost_center())).await;
    advance_ms(&app, 60_000).await;
    let third = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(one_cost_center())).await;
    assert_eq!(third.status(), 202);
}

/// A frozen app whose group admin's employees list is throttled (asserted).
async fn throttled_app() -> TestApp {
    let app = frozen_app().await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 429);
    app
}

async fn switch_limits_off(app: &TestApp) {
    let off = app.client.patch(app.url("/__admin/vendors/joinup/settings")).json(&json!({"rate_limits": false}));
    assert_eq!(off.send().await.expect("answered").status(), 200);
}

#[tokio::test]
async fn list_employees_with_the_rate_limits_setting_off_is_200() {
    let app = throttled_app().await;
    switch_limits_off(&app).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
}

#[tokio::test]
async fn list_employees_after_a_reset_is_200() {
    let app = throttled_app().await;
    switch_limits_off(&app).await;
    app.admin_post("/__admin/reset", json!({}), 200).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200, "buckets cleared by reset");
}

#[tokio::test]
async fn list_employees_with_the_rate_limits_flag_off_is_never_429() {
    let unlimited = spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }).await;
    let auth = unlimited.auth("joinup", "group_admin").await;
    for _ in 0..5 {
        let response = unlimited.send(Method::GET, &ju("/api/company/employees/"), Some(&auth), None).await;
        assert_eq!(response.status(), 200);
    }
}

/// An unthrottled app with the shipped `joinup-bulk-rejected` scenario loaded.
async fn bulk_rejected_app() -> TestApp {
    let app = super::spawn_unthrottled().await;
    app.load_shipped_scenario("joinup-bulk-rejected").await;
    app
}

#[tokio::test]
async fn bulk_under_the_shipped_bulk_rejected_scenario_is_413() {
    let app = bulk_rejected_app().await;
    let rejected = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(one_cost_center())).await;
    let rejected = exchange(rejected, &["x-sandbox-scenario"]).await;
    assert_eq!(rejected["status"], 413);
    assert_eq!(rejected["headers"]["x-sandbox-scenario"], "joinup-bulk-rejected#0");
}

#[tokio::test]
async fn list_cost_centers_under_the_shipped_bulk_rejected_scenario_is_200() {
    let app = bulk_rejected_app().await;
    call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(one_cost_center())).await;
    assert_eq!(get(&app, "/api/company/cost-centers/", "group_admin").await.0, 200, "lists still answer");
}

/// The bulk-rejected app, clock frozen, with `joinup-throttled` loaded and 20 s gone by.
async fn shipped_throttled_app() -> TestApp {
    let app = bulk_rejected_app().await;
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    app.load_shipped_scenario("joinup-throttled").await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 20}), 200).await;
    app
}

#[tokio::test]
async fn list_employees_under_the_shipped_throttled_scenario_is_429_with_the_wait() {
    let app = shipped_throttled_app().await;
    let throttled = call(&app, Method::GET, "/api/company/employees/", "group_admin", None).await;
    assert_eq!(throttled.headers()["retry-after"], "40");
    assert_eq!(
        throttled.json::<Value>().await.expect("json"),
        json!({"detail": "Request was throttled. Expected available in 40 seconds."})
    );
}

#[tokio::test]
async fn list_employees_after_the_shipped_throttled_window_is_200() {
    let app = shipped_throttled_app().await;
    call(&app, Method::GET, "/api/company/employees/", "group_admin", None).await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 40}), 200).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200, "the window is over");
}
