//! Payrolls and paystubs that add up, and time off with the balances report on the clock.

use super::{all_scopes, get, jw, tokens_for};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn sum(items: &Value, field: &str) -> i64 {
    items.as_array().expect("items").iter().map(|i| i[field].as_i64().expect("cents")).sum()
}

#[tokio::test]
async fn list_payrolls_without_end_date_is_400() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/payrolls?start_date=2025-01-01", &token).await.0, 400, "end_date is required");
}

#[tokio::test]
async fn list_payrolls_of_a_month_has_two_semimonthly_payrolls() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (status, payrolls) = get(&app, "/v1/payrolls?start_date=2025-03-01&end_date=2025-03-31", &token).await;
    assert_eq!(status, 200);
    assert_eq!(payrolls["items"].as_array().map(Vec::len), Some(2), "semimonthly");
}

/// The all-scopes token, March 2025's first payroll and every paystub of it (following the
/// cursors).
async fn march_payroll(app: &TestApp) -> (String, Value, Value) {
    let token = all_scopes(app).await;
    let (_, payrolls) = get(app, "/v1/payrolls?start_date=2025-03-01&end_date=2025-03-31", &token).await;
    let payroll = payrolls["items"][0].clone();
    let id = payroll["id"].as_str().expect("id");
    let mut all = Vec::new();
    let mut path = format!("/v1/payrolls/{id}/paystubs?limit=50");
    loop {
        let (_, page) = get(app, &path, &token).await;
        all.extend(page["items"].as_array().expect("items").iter().cloned());
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(cursor) => path = format!("/v1/payrolls/{id}/paystubs?limit=50&cursor={cursor}"),
            None => break,
        }
    }
    (token, payroll, Value::Array(all))
}

#[tokio::test]
async fn payroll_totals_are_the_sums_of_their_paystubs() {
    let app = spawn_app().await;
    let (_, payroll, stubs) = march_payroll(&app).await;
    assert_eq!(sum(&stubs, "gross_pay"), payroll["gross_pay"].as_i64().expect("gross"));
    assert_eq!(sum(&stubs, "net_pay"), payroll["net_pay"].as_i64().expect("net"));
}

#[tokio::test]
async fn get_paystub_earnings_less_deductions_is_its_net_pay() {
    let app = spawn_app().await;
    let (token, _, stubs) = march_payroll(&app).await;
    let stub_id = stubs[0]["paystub_id"].as_str().expect("uuid");
    let (_, stub) = get(&app, &format!("/v1/paystubs/{stub_id}"), &token).await;
    let deducted = sum(&stub["employee_deductions"], "amount");
    assert_eq!(sum(&stub["earnings"], "amount"), stub["gross_pay"].as_i64().expect("gross"));
    assert_eq!(stub["gross_pay"].as_i64().expect("gross") - deducted, stub["net_pay"].as_i64().expect("net"));
}

#[tokio::test]
async fn payroll_company_debit_adds_employer_benefits_on_top() {
    let app = spawn_app().await;
    let (token, payroll, _) = march_payroll(&app).await;
    let id = payroll["id"].as_str().expect("id");
    let (_, fees) = get(&app, &format!("/v1/payrolls/{id}/fees"), &token).await;
    let floor = payroll["gross_pay"].as_i64().expect("gross")
        + payroll["employer_taxes"].as_i64().expect("taxes")
        + sum(&fees["items"], "amount");
    assert!(payroll["company_debit"].as_i64().expect("debit") > floor, "the debit adds employer benefits on top");
}

#[tokio::test]
async fn get_paystub_without_the_paystub_scope_is_403() {
    let app = spawn_app().await;
    let (_, _, stubs) = march_payroll(&app).await;
    let stub_id = stubs[0]["paystub_id"].as_str().expect("uuid");
    let narrow = tokens_for(&app, "payroll:read").await["access_token"].as_str().expect("t").to_owned();
    assert_eq!(get(&app, &format!("/v1/paystubs/{stub_id}"), &narrow).await.0, 403, "paystubs need paystub:read");
}

#[tokio::test]
async fn get_fees_of_an_unknown_payroll_is_404() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/payrolls/payroll_nope/fees", &token).await.0, 404);
}

#[tokio::test]
async fn list_time_off_policies_filters_by_status() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, active) = get(&app, "/v1/time-off/policies?status=active", &token).await;
    assert_eq!(active["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn list_time_off_requests_without_a_date_range_is_400() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/time-off/requests", &token).await.0, 400, "the date range is required");
}

/// 2025's approved time-off requests.
async fn approved_requests(app: &TestApp, token: &str) -> Value {
    let path = "/v1/time-off/requests?start_date=2025-01-01&end_date=2025-12-31&status=approved&limit=100";
    get(app, path, token).await.1
}

#[tokio::test]
async fn list_time_off_requests_filters_by_status() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let requests = approved_requests(&app, &token).await;
    assert!(requests["items"].as_array().expect("items").iter().all(|r| r["status"] == "approved"));
}

/// On a frozen clock, a balances report for the first approved request's member and policy:
/// the token, the requests, the 202's status and the report id.
async fn start_balances_report(app: &TestApp) -> (String, Value, u16, String) {
    let token = all_scopes(app).await;
    let requests = approved_requests(app, &token).await;
    let first = &requests["items"][0];
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let auth = format!("Bearer {token}");
    let body = json!({"member_id": first["member_id"], "policy_id": first["policy_id"], "as_of_date": {"year": 2025, "month": 12, "day": 31}});
    let started = app.send(Method::POST, &jw("/v1/time-off/balances"), Some(&auth), Some(body)).await;
    let status = started.status().as_u16();
    let report_id = started.json::<Value>().await.expect("json")["report_id"].as_str().expect("id").to_owned();
    (token, requests, status, report_id)
}

#[tokio::test]
async fn start_balances_report_is_202_with_a_ulid() {
    let app = spawn_app().await;
    let (_, _, status, report_id) = start_balances_report(&app).await;
    assert_eq!(status, 202);
    assert_eq!(report_id.len(), 26);
}

#[tokio::test]
async fn get_balances_report_at_once_is_pending() {
    let app = spawn_app().await;
    let (token, _, _, report_id) = start_balances_report(&app).await;
    assert_eq!(get(&app, &format!("/v1/time-off/balances/{report_id}"), &token).await.1["status"], "pending");
}

#[tokio::test]
async fn get_balances_report_seconds_later_sums_the_used_hours() {
    let app = spawn_app().await;
    let (token, requests, _, report_id) = start_balances_report(&app).await;
    let path = format!("/v1/time-off/balances/{report_id}");
    get(&app, &path, &token).await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 3}), 200).await;
    let (_, done) = get(&app, &path, &token).await;
    assert_eq!(done["status"], "completed");
    let first = &requests["items"][0];
    let balance = &done["items"][0];
    assert_eq!(
        (balance["member_id"].clone(), balance["policy_id"].clone()),
        (first["member_id"].clone(), first["policy_id"].clone())
    );
    let used: f64 = requests["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|r| r["member_id"] == first["member_id"] && r["policy_id"] == first["policy_id"])
        .map(|r| r["amount"].as_f64().expect("hours"))
        .sum();
    assert_eq!(balance["used"].as_f64(), Some(used));
}

#[tokio::test]
async fn get_unknown_balances_report_is_404() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/time-off/balances/NOPE", &token).await.0, 404);
}
