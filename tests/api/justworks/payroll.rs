//! Payrolls and paystubs that add up, and time off with the balances report on the clock.

use super::{all_scopes, get, jw, tokens_for};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

fn sum(items: &Value, field: &str) -> i64 {
    items.as_array().expect("items").iter().map(|i| i[field].as_i64().expect("cents")).sum()
}

#[tokio::test]
async fn payroll_totals_are_the_sums_of_their_paystubs() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/payrolls?start_date=2025-01-01", &token).await.0, 400, "end_date is required");
    let (status, payrolls) = get(&app, "/v1/payrolls?start_date=2025-03-01&end_date=2025-03-31", &token).await;
    assert_eq!(status, 200);
    let items = payrolls["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "semimonthly");
    let payroll = &items[0];
    let id = payroll["id"].as_str().expect("id");
    // Every paystub of the payroll, following the cursors.
    let mut all = Vec::new();
    let mut path = format!("/v1/payrolls/{id}/paystubs?limit=50");
    loop {
        let (_, page) = get(&app, &path, &token).await;
        all.extend(page["items"].as_array().expect("items").iter().cloned());
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(cursor) => path = format!("/v1/payrolls/{id}/paystubs?limit=50&cursor={cursor}"),
            None => break,
        }
    }
    let stubs = Value::Array(all);
    assert_eq!(sum(&stubs, "gross_pay"), payroll["gross_pay"].as_i64().expect("gross"));
    assert_eq!(sum(&stubs, "net_pay"), payroll["net_pay"].as_i64().expect("net"));
    let (_, fees) = get(&app, &format!("/v1/payrolls/{id}/fees"), &token).await;
    let stub_id = stubs[0]["paystub_id"].as_str().expect("uuid");
    let (_, stub) = get(&app, &format!("/v1/paystubs/{stub_id}"), &token).await;
    let deducted = sum(&stub["employee_deductions"], "amount");
    assert_eq!(sum(&stub["earnings"], "amount"), stub["gross_pay"].as_i64().expect("gross"));
    assert_eq!(stub["gross_pay"].as_i64().expect("gross") - deducted, stub["net_pay"].as_i64().expect("net"));
    let floor = payroll["gross_pay"].as_i64().expect("gross")
        + payroll["employer_taxes"].as_i64().expect("taxes")
        + sum(&fees["items"], "amount");
    assert!(payroll["company_debit"].as_i64().expect("debit") > floor, "the debit adds employer benefits on top");
    let narrow = tokens_for(&app, "payroll:read").await["access_token"].as_str().expect("t").to_owned();
    assert_eq!(get(&app, &format!("/v1/paystubs/{stub_id}"), &narrow).await.0, 403, "paystubs need paystub:read");
    assert_eq!(get(&app, "/v1/payrolls/payroll_nope/fees", &token).await.0, 404);
}

#[tokio::test]
async fn time_off_policies_requests_and_a_balances_report_on_the_clock() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, active) = get(&app, "/v1/time-off/policies?status=active", &token).await;
    assert_eq!(active["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(get(&app, "/v1/time-off/requests", &token).await.0, 400, "the date range is required");
    let (_, requests) =
        get(&app, "/v1/time-off/requests?start_date=2025-01-01&end_date=2025-12-31&status=approved&limit=100", &token)
            .await;
    let first = requests["items"][0].clone();
    assert!(requests["items"].as_array().expect("items").iter().all(|r| r["status"] == "approved"));
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let auth = format!("Bearer {token}");
    let body = json!({"member_id": first["member_id"], "policy_id": first["policy_id"], "as_of_date": {"year": 2025, "month": 12, "day": 31}});
    let started = app.send(Method::POST, &jw("/v1/time-off/balances"), Some(&auth), Some(body)).await;
    assert_eq!(started.status(), 202);
    let report_id = started.json::<Value>().await.expect("json")["report_id"].as_str().expect("id").to_owned();
    assert_eq!(report_id.len(), 26);
    let path = format!("/v1/time-off/balances/{report_id}");
    assert_eq!(get(&app, &path, &token).await.1["status"], "pending");
    app.admin_post("/__admin/clock", json!({"advance_seconds": 3}), 200).await;
    let (_, done) = get(&app, &path, &token).await;
    assert_eq!(done["status"], "completed");
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
    assert_eq!(get(&app, "/v1/time-off/balances/NOPE", &token).await.0, 404);
}
