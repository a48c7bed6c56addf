//! What the docs imply and the first cut missed: JSON-only bodies, legacy lookups that can
//! succeed, keyset cursors, `current_employment`, narrowing a refresh, list-only field scopes,
//! and realistic data.

use super::{all_scopes, app_creds, form, get, jw, tokens_for};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

fn deduction(member: &Value, operation: &str) -> Value {
    json!({"operation_id": operation, "member_id": member, "deduction_type_code": "health_insurance",
           "amount_type": "fixed", "amount": 100, "currency": "USD", "frequency": "one_time", "start_date": "2026-02-01"})
}

#[tokio::test]
async fn json_endpoints_answer_415_to_other_bodies_and_change_nothing() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let before = get(&app, "/v1/deductions", &token).await.1;
    let members = get(&app, "/v1/members?limit=1", &token).await.1;
    let body = json!({"items": [deduction(&members["items"][0]["id"], "op-1")]}).to_string();
    for content_type in ["text/plain", "application/xml"] {
        let response = app
            .execute(
                app.request(Method::POST, &jw("/v1/deductions"))
                    .header("Authorization", format!("Bearer {token}"))
                    .header("Content-Type", content_type)
                    .body(body.clone()),
            )
            .await;
        assert_eq!(response.status().as_u16(), 415, "{content_type}");
        let error: Value = response.json().await.expect("JSON");
        assert_eq!(error["error"]["code"], "unsupported_media_type");
    }
    assert_eq!(get(&app, "/v1/deductions", &token).await.1, before, "nothing was created");
    let report = app
        .execute(
            app.request(Method::POST, &jw("/v1/time-off/balances"))
                .header("Authorization", format!("Bearer {token}"))
                .header("Content-Type", "text/plain")
                .body("{}"),
        )
        .await;
    assert_eq!(report.status().as_u16(), 415);
}

#[tokio::test]
async fn legacy_ids_are_seeded_shown_and_looked_up() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let legacy = app.get_json("/__admin/credentials", None, 200).await["justworks"]["legacy"].clone();
    let company = legacy["company"]["legacy_id"].as_str().expect("company legacy id");
    let (status, found) = get(&app, &format!("/v1/legacy/companies/{company}"), &token).await;
    assert_eq!((status, found["id"].clone()), (200, legacy["company"]["id"].clone()));
    let state = app.get_json("/__admin/vendors/justworks/state", None, 200).await;
    assert_eq!(state["company"]["legacy_id"], company);
    let member = &state["members"][3];
    let legacy_member = member["legacy_id"].as_str().expect("member legacy id");
    assert_eq!(legacy_member.len(), 36, "a UUID");
    let (status, found) = get(&app, &format!("/v1/legacy/members/{legacy_member}"), &token).await;
    assert_eq!((status, found["id"].clone()), (200, member["id"].clone()));
    assert_eq!(get(&app, "/v1/legacy/members/00000000-0000-4000-8000-000000000000", &token).await.0, 404);
}

#[tokio::test]
async fn a_cancel_between_two_pages_neither_skips_nor_repeats_a_row() {
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
    let stale = base64_url("o:3");
    assert_eq!(get(&app, &format!("/v1/deductions?cursor={stale}"), &token).await.0, 400, "offsets are not cursors");
}

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test]
async fn members_show_current_employment_and_only_get_member_shows_dob_and_sex() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let list = get(&app, "/v1/members?limit=100", &token).await.1;
    let members = list["items"].as_array().expect("items");
    assert!(members.iter().all(|m| m.get("date_of_birth").is_none() && m.get("sex_assigned_at_birth").is_none()));
    let employee = members.iter().find(|m| m["type"] == "employee").expect("an employee");
    let (_, one) = get(&app, &format!("/v1/members/{}", employee["id"].as_str().expect("id")), &token).await;
    assert!(one.get("date_of_birth").is_some(), "Get Member keeps member.dob:read's field");
    let current = &one["current_employment"];
    assert_eq!(current["start_date"], one["employment_start_date"]);
    assert_eq!(current["job_title"], one["job_title"]);
    let basic = tokens_for(&app, "member.basic:read").await["access_token"].as_str().expect("t").to_owned();
    let (_, narrow) = get(&app, &format!("/v1/members/{}", employee["id"].as_str().expect("id")), &basic).await;
    assert!(narrow.get("current_employment").is_none(), "member.employment:read gates it");
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scope_but_never_widen_it() {
    let app = spawn_app().await;
    let creds = app_creds(&app).await;
    let (id, secret) = (creds["client_id"].as_str().expect("id"), creds["client_secret"].as_str().expect("secret"));
    let tokens = tokens_for(&app, "member.basic:read payroll:read").await;
    let refresh = |token: String, scope: &'static str| {
        let app = &app;
        async move {
            let mut pairs = vec![
                ("grant_type", "refresh_token"),
                ("client_id", id),
                ("client_secret", secret),
                ("refresh_token", token.as_str()),
            ];
            if !scope.is_empty() {
                pairs.push(("scope", scope));
            }
            form(app, "/oauth/token", &pairs).await
        }
    };
    let first = tokens["refresh_token"].as_str().expect("refresh").to_owned();
    let wider = refresh(first.clone(), "member.basic:read deductions:write").await;
    assert_eq!(wider.status().as_u16(), 400);
    assert_eq!(wider.json::<Value>().await.expect("JSON")["error"], "invalid_scope");
    let narrowed: Value = refresh(first, "payroll:read").await.json().await.expect("JSON");
    assert_eq!(narrowed["scope"], "payroll:read");
    let access = narrowed["access_token"].as_str().expect("access");
    assert_eq!(get(&app, "/v1/members", access).await.0, 403, "the new access token has only the narrowed scope");
    assert_eq!(get(&app, "/v1/payrolls?start_date=2025-01-01&end_date=2025-12-31", access).await.0, 200);
    // The new refresh token keeps what was granted (RFC 6749 section 6).
    let next = narrowed["refresh_token"].as_str().expect("refresh").to_owned();
    let back: Value = refresh(next, "").await.json().await.expect("JSON");
    assert_eq!(back["scope"], "member.basic:read payroll:read");
}

#[tokio::test]
async fn seeded_data_is_realistic() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, payrolls) = get(&app, "/v1/payrolls?start_date=2025-01-01&end_date=2025-12-31", &token).await;
    let grosses: std::collections::BTreeSet<String> =
        payrolls["items"].as_array().expect("items").iter().map(|p| p["gross_pay"].to_string()).collect();
    assert_eq!(grosses.len(), 24, "every payroll has its own totals");
    let state = app.get_json("/__admin/vendors/justworks/state", None, 200).await;
    let ulid_like =
        state["members"].as_array().expect("members").iter().map(|m| m["id"].as_str().expect("id").to_owned());
    for id in ulid_like
        .chain(payrolls["items"].as_array().expect("items").iter().map(|p| p["id"].as_str().expect("id").to_owned()))
    {
        let ulid = id.rsplit('_').next().expect("ulid");
        assert!(ulid.len() == 26 && ('0'..='7').contains(&ulid.chars().next().expect("c")), "{id} is a valid ULID");
    }
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
    let text = app.send(Method::GET, &path, Some(&format!("Bearer {token}")), None).await.text().await.expect("text");
    assert!(text.contains("\"status\":\"completed\""), "{text}");
    assert!(!text.contains("-0.0"), "no negative zero: {text}");
}
