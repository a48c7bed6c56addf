//! What the docs imply and the first cut missed: JSON-only bodies, legacy lookups that can
//! succeed, keyset cursors, `current_employment`, narrowing a refresh, list-only field scopes,
//! and realistic data.

use super::{all_scopes, app_creds, form, get, jw, tokens_for};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn deduction(member: &Value, operation: &str) -> Value {
    json!({"operation_id": operation, "member_id": member, "deduction_type_code": "health_insurance",
           "amount_type": "fixed", "amount": 100, "currency": "USD", "frequency": "one_time", "start_date": "2026-02-01"})
}

/// A one-row deductions body for the first member, as text.
async fn deduction_body(app: &TestApp, token: &str) -> String {
    let members = get(app, "/v1/members?limit=1", token).await.1;
    json!({"items": [deduction(&members["items"][0]["id"], "op-1")]}).to_string()
}

/// POSTs `body` to a Justworks path with this content type; the answer.
async fn post_typed(app: &TestApp, path: &str, token: &str, content_type: &str, body: String) -> reqwest::Response {
    app.execute(
        app.request(Method::POST, &jw(path))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", content_type)
            .body(body),
    )
    .await
}

const NOT_JSON: [&str; 2] = ["text/plain", "application/xml"];

#[tokio::test]
async fn create_deductions_with_a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let body = deduction_body(&app, &token).await;
    for content_type in NOT_JSON {
        let response = post_typed(&app, "/v1/deductions", &token, content_type, body.clone()).await;
        assert_eq!(response.status().as_u16(), 415, "{content_type}");
        let error: Value = response.json().await.expect("JSON");
        assert_eq!(error["error"]["code"], "unsupported_media_type");
    }
}

#[tokio::test]
async fn create_deductions_with_a_body_that_is_not_json_creates_nothing() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let before = get(&app, "/v1/deductions", &token).await.1;
    let body = deduction_body(&app, &token).await;
    for content_type in NOT_JSON {
        post_typed(&app, "/v1/deductions", &token, content_type, body.clone()).await;
    }
    assert_eq!(get(&app, "/v1/deductions", &token).await.1, before, "nothing was created");
}

#[tokio::test]
async fn start_balances_report_with_a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let report = post_typed(&app, "/v1/time-off/balances", &token, "text/plain", "{}".to_owned()).await;
    assert_eq!(report.status().as_u16(), 415);
}

#[tokio::test]
async fn get_legacy_company_finds_the_company() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let legacy = app.get_json("/__admin/credentials", None, 200).await["justworks"]["legacy"].clone();
    let company = legacy["company"]["legacy_id"].as_str().expect("company legacy id");
    let (status, found) = get(&app, &format!("/v1/legacy/companies/{company}"), &token).await;
    assert_eq!((status, found["id"].clone()), (200, legacy["company"]["id"].clone()));
}

#[tokio::test]
async fn admin_state_shows_the_company_legacy_id() {
    let app = spawn_app().await;
    let legacy = app.get_json("/__admin/credentials", None, 200).await["justworks"]["legacy"].clone();
    let state = app.get_json("/__admin/vendors/justworks/state", None, 200).await;
    assert_eq!(state["company"]["legacy_id"], legacy["company"]["legacy_id"]);
}

/// The fourth seeded member, from the admin state.
async fn fourth_member(app: &TestApp) -> Value {
    app.get_json("/__admin/vendors/justworks/state", None, 200).await["members"][3].clone()
}

#[tokio::test]
async fn member_legacy_ids_are_uuids() {
    let app = spawn_app().await;
    let member = fourth_member(&app).await;
    assert_eq!(member["legacy_id"].as_str().expect("member legacy id").len(), 36, "a UUID");
}

#[tokio::test]
async fn get_legacy_member_finds_the_member() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let member = fourth_member(&app).await;
    let legacy_member = member["legacy_id"].as_str().expect("member legacy id");
    let (status, found) = get(&app, &format!("/v1/legacy/members/{legacy_member}"), &token).await;
    assert_eq!((status, found["id"].clone()), (200, member["id"].clone()));
}

#[tokio::test]
async fn get_unknown_legacy_member_is_404() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/legacy/members/00000000-0000-4000-8000-000000000000", &token).await.0, 404);
}

#[tokio::test]
async fn list_deductions_next_page_after_a_cancel_neither_skips_nor_repeats_a_row() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let auth = format!("Bearer {token}");
    let members = get(&app, "/v1/members?limit=1", &token).await.1;
    let items: Vec<Value> = (0..6).map(|i| deduction(&members["items"][0]["id"], &format!("op-{i}"))).collect();
    app.send(Method::POST, &jw("/v1/deductions"), Some(&auth), Some(json!({"items": items}))).await;
    let all = get(&app, "/v1/deductions?limit=100", &token).await.1["items"].as_array().expect("items").clone();
    let first = get(&app, "/v1/deductions?limit=3", &token).await.1;
    let ids =
        |page: &Value| page["items"].as_array().expect("items").iter().map(|d| d["id"].clone()).collect::<Vec<_>>();
    // Cancel the first row of page one, then read page two.
    let gone = first["items"][0]["id"].clone();
    let cancel = json!({"deduction_ids": [gone]});
    assert_eq!(app.send(Method::PATCH, &jw("/v1/deductions/cancel"), Some(&auth), Some(cancel)).await.status(), 200);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = get(&app, &format!("/v1/deductions?limit=3&cursor={cursor}"), &token).await.1;
    let expected: Vec<Value> = all[3..6].iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids(&second), expected, "page two starts after page one's last row");
}

#[tokio::test]
async fn list_deductions_with_an_offset_for_a_cursor_is_400() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let stale = base64_url("o:3");
    assert_eq!(get(&app, &format!("/v1/deductions?cursor={stale}"), &token).await.0, 400, "offsets are not cursors");
}

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// Every member as listed (limit 100) with the all-scopes token, and the token.
async fn listed_members(app: &TestApp) -> (Vec<Value>, String) {
    let token = all_scopes(app).await;
    let list = get(app, "/v1/members?limit=100", &token).await.1;
    (list["items"].as_array().expect("items").clone(), token)
}

/// Get Member of the first listed employee with this token; the body.
async fn first_employee_as(app: &TestApp, token: &str) -> Value {
    let (members, _) = listed_members(app).await;
    let employee = members.iter().find(|m| m["type"] == "employee").expect("an employee");
    get(app, &format!("/v1/members/{}", employee["id"].as_str().expect("id")), token).await.1
}

#[tokio::test]
async fn list_members_omits_the_get_member_only_fields() {
    let app = spawn_app().await;
    let (members, _) = listed_members(&app).await;
    assert!(members.iter().all(|m| m.get("date_of_birth").is_none() && m.get("sex_assigned_at_birth").is_none()));
}

#[tokio::test]
async fn get_member_shows_date_of_birth() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let one = first_employee_as(&app, &token).await;
    assert!(one.get("date_of_birth").is_some(), "Get Member keeps member.dob:read's field");
}

#[tokio::test]
async fn get_member_shows_current_employment() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let one = first_employee_as(&app, &token).await;
    let current = &one["current_employment"];
    assert_eq!(current["start_date"], one["employment_start_date"]);
    assert_eq!(current["job_title"], one["job_title"]);
}

#[tokio::test]
async fn get_member_without_the_employment_scope_omits_current_employment() {
    let app = spawn_app().await;
    let basic = tokens_for(&app, "member.basic:read").await["access_token"].as_str().expect("t").to_owned();
    let narrow = first_employee_as(&app, &basic).await;
    assert!(narrow.get("current_employment").is_none(), "member.employment:read gates it");
}

/// A refresh-token grant with an optional narrower `scope`; the answer.
async fn refresh(app: &TestApp, token: &str, scope: &str) -> reqwest::Response {
    let creds = app_creds(app).await;
    let (id, secret) = (creds["client_id"].as_str().expect("id"), creds["client_secret"].as_str().expect("secret"));
    let mut pairs =
        vec![("grant_type", "refresh_token"), ("client_id", id), ("client_secret", secret), ("refresh_token", token)];
    if !scope.is_empty() {
        pairs.push(("scope", scope));
    }
    form(app, "/oauth/token", &pairs).await
}

/// The refresh token of a consent to `member.basic:read payroll:read`.
async fn two_scope_refresh_token(app: &TestApp) -> String {
    let tokens = tokens_for(app, "member.basic:read payroll:read").await;
    tokens["refresh_token"].as_str().expect("refresh").to_owned()
}

/// The two-scope grant refreshed down to `payroll:read`; the token answer.
async fn narrowed(app: &TestApp) -> Value {
    let first = two_scope_refresh_token(app).await;
    refresh(app, &first, "payroll:read").await.json().await.expect("JSON")
}

#[tokio::test]
async fn refresh_with_a_wider_scope_is_400_invalid_scope() {
    let app = spawn_app().await;
    let first = two_scope_refresh_token(&app).await;
    let wider = refresh(&app, &first, "member.basic:read deductions:write").await;
    assert_eq!(wider.status().as_u16(), 400);
    assert_eq!(wider.json::<Value>().await.expect("JSON")["error"], "invalid_scope");
}

#[tokio::test]
async fn refresh_with_a_narrower_scope_grants_only_that_scope() {
    let app = spawn_app().await;
    let narrowed = narrowed(&app).await;
    assert_eq!(narrowed["scope"], "payroll:read");
    let access = narrowed["access_token"].as_str().expect("access");
    assert_eq!(get(&app, "/v1/members", access).await.0, 403, "the new access token has only the narrowed scope");
    assert_eq!(get(&app, "/v1/payrolls?start_date=2025-01-01&end_date=2025-12-31", access).await.0, 200);
}

#[tokio::test]
async fn refresh_after_narrowing_keeps_the_granted_scope() {
    // The new refresh token keeps what was granted (RFC 6749 section 6).
    let app = spawn_app().await;
    let narrowed = narrowed(&app).await;
    let next = narrowed["refresh_token"].as_str().expect("refresh").to_owned();
    let back: Value = refresh(&app, &next, "").await.json().await.expect("JSON");
    assert_eq!(back["scope"], "member.basic:read payroll:read");
}

async fn payrolls_of_2025(app: &TestApp, token: &str) -> Vec<Value> {
    let (_, payrolls) = get(app, "/v1/payrolls?start_date=2025-01-01&end_date=2025-12-31", token).await;
    payrolls["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn list_payrolls_gives_every_payroll_its_own_totals() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let grosses: std::collections::BTreeSet<String> =
        payrolls_of_2025(&app, &token).await.iter().map(|p| p["gross_pay"].to_string()).collect();
    assert_eq!(grosses.len(), 24, "every payroll has its own totals");
}

#[tokio::test]
async fn seeded_ids_are_valid_ulids() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let payrolls = payrolls_of_2025(&app, &token).await;
    let state = app.get_json("/__admin/vendors/justworks/state", None, 200).await;
    let ulid_like =
        state["members"].as_array().expect("members").iter().map(|m| m["id"].as_str().expect("id").to_owned());
    for id in ulid_like.chain(payrolls.iter().map(|p| p["id"].as_str().expect("id").to_owned())) {
        let ulid = id.rsplit('_').next().expect("ulid");
        assert!(ulid.len() == 26 && ('0'..='7').contains(&ulid.chars().next().expect("c")), "{id} is a valid ULID");
    }
}

/// A balances report as of 2025-01-01, an hour later: its body as text.
async fn finished_balances_report_text(app: &TestApp) -> String {
    let token = all_scopes(app).await;
    let started = app
        .send(
            Method::POST,
            &jw("/v1/time-off/balances"),
            Some(&format!("Bearer {token}")),
            Some(json!({"as_of_date": "2025-01-01"})),
        )
        .await;
    let report: Value = started.json().await.expect("JSON");
    app.admin_post("/__admin/clock", json!({"advance_seconds": 3600}), 200).await;
    let path = jw(&format!("/v1/time-off/balances/{}", report["report_id"].as_str().expect("report id")));
    app.send(Method::GET, &path, Some(&format!("Bearer {token}")), None).await.text().await.expect("text")
}

#[tokio::test]
async fn get_balances_report_an_hour_later_is_completed() {
    let app = spawn_app().await;
    let text = finished_balances_report_text(&app).await;
    assert!(text.contains("\"status\":\"completed\""), "{text}");
}

#[tokio::test]
async fn get_balances_report_has_no_negative_zero() {
    let app = spawn_app().await;
    let text = finished_balances_report_text(&app).await;
    assert!(!text.contains("-0.0"), "no negative zero: {text}");
}
