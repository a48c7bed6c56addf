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
async fn lists_allow_one_request_per_second_per_token_and_endpoint() {
    let app = frozen_app().await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
    let throttled = call(&app, Method::GET, "/api/company/employees/", "group_admin", None).await;
    let throttled = exchange(throttled, &["retry-after", "allow"]).await;
    assert_eq!(get(&app, "/api/company/cost-centers/", "group_admin").await.0, 200, "another endpoint");
    assert_eq!(get(&app, "/api/company/employees/", "single_company").await.0, 200, "another token");
    advance_ms(&app, 999).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 429);
    advance_ms(&app, 1000).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
    insta::assert_json_snapshot!(throttled);
}

#[tokio::test]
async fn posts_and_reports_allow_one_request_per_minute_with_the_wait_in_the_message() {
    let app = frozen_app().await;
    let items = json!([{"name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let first = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(items.clone())).await;
    assert_eq!(first.status(), 202);
    let id = first.json::<Value>().await.expect("json")["request_id"].as_str().expect("id").to_owned();
    advance_ms(&app, 17_300).await;
    let second = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(items.clone())).await;
    assert_eq!(second.status(), 429);
    assert_eq!(second.headers()["retry-after"], "43");
    assert_eq!(
        second.json::<Value>().await.expect("json"),
        json!({"detail": "Request was throttled. Expected available in 43 seconds."})
    );
    let report = format!("/api/company/cost-centers/check-request/{id}/");
    assert_eq!(get(&app, &report, "group_admin").await.0, 200);
    let (status, body) = get(&app, &report, "group_admin").await;
    assert_eq!((status, body), (429, json!({"detail": "Request was throttled. Expected available in 60 seconds."})));
    advance_ms(&app, 60_000).await;
    let third = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(items)).await;
    assert_eq!(third.status(), 202);
}

#[tokio::test]
async fn the_sandbox_setting_and_the_flag_switch_limits_off_and_reset_clears_buckets() {
    let app = frozen_app().await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 429);
    let off = app.client.patch(app.url("/__admin/vendors/joinup/settings")).json(&json!({"rate_limits": false}));
    assert_eq!(off.send().await.expect("answered").status(), 200);
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200);
    app.admin_post("/__admin/reset", json!({}), 200).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200, "buckets cleared by reset");
    let unlimited = spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }).await;
    let auth = unlimited.auth("joinup", "group_admin").await;
    for _ in 0..5 {
        let response = unlimited.send(Method::GET, &ju("/api/company/employees/"), Some(&auth), None).await;
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn the_shipped_joinup_scenarios_throttle_and_reject_bulk_batches() {
    let app = super::spawn_unthrottled().await;
    app.load_shipped_scenario("joinup-bulk-rejected").await;
    let items = json!([{"name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let rejected = call(&app, Method::POST, "/api/company/cost-centers/", "group_admin", Some(items)).await;
    let rejected = exchange(rejected, &["x-sandbox-scenario"]).await;
    assert_eq!(rejected["status"], 413);
    assert_eq!(rejected["headers"]["x-sandbox-scenario"], "joinup-bulk-rejected#0");
    assert_eq!(get(&app, "/api/company/cost-centers/", "group_admin").await.0, 200, "lists still answer");
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    app.load_shipped_scenario("joinup-throttled").await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 20}), 200).await;
    let throttled = call(&app, Method::GET, "/api/company/employees/", "group_admin", None).await;
    assert_eq!(throttled.headers()["retry-after"], "40");
    assert_eq!(
        throttled.json::<Value>().await.expect("json"),
        json!({"detail": "Request was throttled. Expected available in 40 seconds."})
    );
    app.admin_post("/__admin/clock", json!({"advance_seconds": 40}), 200).await;
    assert_eq!(get(&app, "/api/company/employees/", "group_admin").await.0, 200, "the window is over");
}
