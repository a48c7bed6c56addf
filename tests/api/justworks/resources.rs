//! Scope enforcement and the resources: company, members, deductions.

use super::{all_scopes, get, jw, tokens_for};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// An access token for `member.basic:read company.basic:read` only.
async fn basic_token(app: &TestApp) -> String {
    tokens_for(app, "member.basic:read company.basic:read").await["access_token"].as_str().expect("t").to_owned()
}

#[tokio::test]
async fn get_bank_account_without_its_scope_is_403_forbidden() {
    let app = spawn_app().await;
    let basic = basic_token(&app).await;
    let (status, body) = get(&app, "/v1/company/bank-account", &basic).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")));
}

#[tokio::test]
async fn list_deductions_without_their_scope_is_403() {
    let app = spawn_app().await;
    let basic = basic_token(&app).await;
    assert_eq!(get(&app, "/v1/deductions", &basic).await.0, 403);
}

#[tokio::test]
async fn get_company_without_the_detail_scope_omits_the_tax_id() {
    let app = spawn_app().await;
    let basic = basic_token(&app).await;
    let (_, company) = get(&app, "/v1/company", &basic).await;
    assert!(company.get("tax_id").is_none(), "company.detail:read gates the tax id");
}

#[tokio::test]
async fn get_company_with_every_scope_shows_the_tax_id() {
    let app = spawn_app().await;
    let (_, detailed) = get(&app, "/v1/company", &all_scopes(&app).await).await;
    assert_eq!(detailed["tax_id"], "12-3456789");
}

/// The third member as listed with the basic token, and as Get Member shows it with every scope.
async fn narrow_and_full_member(app: &TestApp) -> (Value, Value) {
    let basic = basic_token(app).await;
    let (_, members) = get(app, "/v1/members?limit=3", &basic).await;
    let narrow = members["items"][2].clone();
    let id = narrow["id"].as_str().expect("id");
    let (_, full) = get(app, &format!("/v1/members/{id}"), &all_scopes(app).await).await;
    (narrow, full)
}

const SCOPED_FIELDS: [&str; 4] = ["date_of_birth", "current_pay", "employment_start_date", "work_id"];

#[tokio::test]
async fn list_members_without_field_scopes_omits_those_fields() {
    let app = spawn_app().await;
    let (narrow, _) = narrow_and_full_member(&app).await;
    for field in SCOPED_FIELDS {
        assert!(narrow.get(field).is_none(), "{field} needs its scope");
    }
}

#[tokio::test]
async fn get_member_with_every_scope_shows_the_scoped_fields() {
    let app = spawn_app().await;
    let (_, full) = narrow_and_full_member(&app).await;
    for field in SCOPED_FIELDS {
        assert!(full.get(field).is_some(), "{field} with every scope");
    }
}

#[tokio::test]
async fn list_members_without_field_scopes_keeps_arrays_empty() {
    let app = spawn_app().await;
    let (narrow, _) = narrow_and_full_member(&app).await;
    assert_eq!(narrow["addresses"], json!([]), "arrays stay, empty");
}

#[tokio::test]
async fn list_members_with_an_unknown_token_is_401() {
    let app = spawn_app().await;
    assert_eq!(get(&app, "/v1/members", "nope").await.0, 401);
}

#[tokio::test]
async fn list_members_walks_every_member_by_opaque_cursor() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let mut seen = Vec::new();
    let mut path = "/v1/members?limit=40".to_owned();
    loop {
        let (status, page) = get(&app, &path, &token).await;
        assert_eq!(status, 200);
        seen.extend(page["items"].as_array().expect("items").iter().map(|m| m["id"].clone()));
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(cursor) => path = format!("/v1/members?limit=40&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 150);
}

#[tokio::test]
async fn list_members_with_a_bad_limit_or_cursor_is_400() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/members?limit=101", &token).await.0, 400);
    assert_eq!(get(&app, "/v1/members?cursor=garbage", &token).await.0, 400);
}

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn list_members_filters_by_status() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, active) = get(&app, "/v1/members?status=active", &token).await;
    let (_, terminated) = get(&app, "/v1/members?status=terminated", &token).await;
    assert!(items(&active).iter().all(|m| m["active"] == true) && !items(&active).is_empty());
    assert!(items(&terminated).iter().all(|m| m["active"] == false) && !items(&terminated).is_empty());
}

#[tokio::test]
async fn list_members_filters_by_update_date() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, since) = get(&app, "/v1/members?updated_at_gte=2025-06-01&limit=100", &token).await;
    let (_, before) = get(&app, "/v1/members?updated_at_lt=2025-06-01&limit=100", &token).await;
    let dated = |v: &Value| {
        items(v).into_iter().filter_map(|m| m["updated_at"].as_str().map(str::to_owned)).collect::<Vec<_>>()
    };
    assert!(dated(&since).iter().all(|u| u.as_str() >= "2025-06-01") && !dated(&since).is_empty());
    assert!(dated(&before).iter().all(|u| u.as_str() < "2025-06-01") && !dated(&before).is_empty());
}

#[tokio::test]
async fn list_members_with_a_bad_date_filter_is_400() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/members?updated_at_gt=yesterday", &token).await.0, 400);
}

/// The first 100 members as listed with every scope, and the token.
async fn hundred_members(app: &TestApp) -> (Value, String) {
    let token = all_scopes(app).await;
    (get(app, "/v1/members?limit=100", &token).await.1, token)
}

fn international(members: &Value) -> Value {
    members["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["type"] == "international_employee")
        .cloned()
        .expect("seeded")
}

#[tokio::test]
async fn list_members_shows_international_members_the_documented_subset() {
    let app = spawn_app().await;
    let (members, _) = hundred_members(&app).await;
    let intl = international(&members);
    assert!(
        intl.get("date_of_birth").is_none() && intl.get("current_pay").is_none(),
        "international members show the documented subset"
    );
}

#[tokio::test]
async fn get_tax_id_of_an_international_member_is_404() {
    let app = spawn_app().await;
    let (members, token) = hundred_members(&app).await;
    let intl_id = international(&members)["id"].as_str().expect("id").to_owned();
    assert_eq!(get(&app, &format!("/v1/members/{intl_id}/tax-id"), &token).await.0, 404);
}

#[tokio::test]
async fn get_tax_id_of_a_us_member_shows_the_ssn() {
    let app = spawn_app().await;
    let (members, token) = hundred_members(&app).await;
    let us = members["items"][2]["id"].as_str().expect("id");
    let (status, tax) = get(&app, &format!("/v1/members/{us}/tax-id"), &token).await;
    assert_eq!(status, 200);
    assert!(tax["US"]["ssn"].as_str().is_some_and(|s| s.len() == 11));
}

#[tokio::test]
async fn list_custom_field_values_of_a_member_shows_both() {
    let app = spawn_app().await;
    let (members, token) = hundred_members(&app).await;
    let us = members["items"][2]["id"].as_str().expect("id");
    let (_, custom) = get(&app, &format!("/v1/members/{us}/custom-field-values"), &token).await;
    assert_eq!(custom["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn get_unknown_member_is_404() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    assert_eq!(get(&app, "/v1/members/member_nope", &token).await.0, 404);
}

#[tokio::test]
async fn list_deduction_types_is_a_bare_array() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, types) = get(&app, "/v1/deduction-types", &token).await;
    assert!(types.as_array().is_some_and(|t| t.iter().any(|t| t["code"] == "health_insurance")), "a bare array");
}

/// Three rows created (one good, an unknown member, an unknown type): the token, the first
/// member and the per-row results.
async fn create_three_deductions(app: &TestApp) -> (String, Value, Vec<Value>) {
    let token = all_scopes(app).await;
    let (_, members) = get(app, "/v1/members?limit=2", &token).await;
    let member = members["items"][0]["id"].clone();
    let body = json!({"items": [
        {"operation_id": "op-1", "member_id": member, "deduction_type_code": "health_insurance", "description": "Dental top-up",
         "amount_type": "fixed", "amount": 2500, "currency": "USD", "frequency": "every_paycheck", "start_date": "2026-02-01"},
        {"operation_id": "op-2", "member_id": "member_nope", "deduction_type_code": "health_insurance",
         "amount_type": "fixed", "amount": 100, "currency": "USD", "frequency": "one_time", "start_date": "2026-02-01"},
        {"operation_id": "op-3", "member_id": member, "deduction_type_code": "spa_days",
         "amount_type": "fixed", "amount": 100, "currency": "USD", "frequency": "one_time", "start_date": "2026-02-01"}
    ]});
    let auth = format!("Bearer {token}");
    let created: Value =
        app.send(Method::POST, &jw("/v1/deductions"), Some(&auth), Some(body)).await.json().await.expect("json");
    let results = created["items"].as_array().expect("rows").clone();
    (token, member, results)
}

/// The created row updated to 3000 next to an unknown row: the token, member, row id and results.
async fn update_deductions(app: &TestApp) -> (String, Value, String, Value) {
    let (token, member, results) = create_three_deductions(app).await;
    let id = results[0]["deduction_id"].as_str().expect("id").to_owned();
    let update = json!({"items": [{"operation_id": "op-4", "deduction_id": id, "amount": 3000}, {"operation_id": "op-5", "deduction_id": "deduction_nope"}]});
    let auth = format!("Bearer {token}");
    let updated: Value =
        app.send(Method::PUT, &jw("/v1/deductions"), Some(&auth), Some(update)).await.json().await.expect("json");
    (token, member, id, updated)
}

/// After the update, the row and an unknown one canceled: the token and the results.
async fn cancel_deductions(app: &TestApp) -> (String, Value) {
    let (token, _, id, _) = update_deductions(app).await;
    let cancel = json!({"deduction_ids": [id, "deduction_nope"]});
    let auth = format!("Bearer {token}");
    let canceled: Value = app
        .send(Method::PATCH, &jw("/v1/deductions/cancel"), Some(&auth), Some(cancel))
        .await
        .json()
        .await
        .expect("json");
    (token, canceled)
}

#[tokio::test]
async fn create_deductions_answers_a_result_per_row() {
    let app = spawn_app().await;
    let (_, _, results) = create_three_deductions(&app).await;
    assert_eq!(
        results.iter().map(|r| r["success"].clone()).collect::<Vec<_>>(),
        vec![json!(true), json!(false), json!(false)]
    );
    assert_eq!(results[2]["error_message"], "deduction type spa_days does not exist");
}

#[tokio::test]
async fn update_deductions_fails_an_unknown_row() {
    let app = spawn_app().await;
    let (_, _, _, updated) = update_deductions(&app).await;
    assert_eq!(updated["items"][1]["success"], false);
}

#[tokio::test]
async fn update_deductions_changes_the_amount() {
    let app = spawn_app().await;
    let (token, member, _, _) = update_deductions(&app).await;
    let (_, listed) = get(
        &app,
        &format!("/v1/deductions?member_id={}&deduction_type=health_insurance", member.as_str().expect("m")),
        &token,
    )
    .await;
    assert_eq!(listed["items"][0]["amount"], 3000);
}

#[tokio::test]
async fn cancel_deductions_answers_a_result_per_row() {
    let app = spawn_app().await;
    let (_, canceled) = cancel_deductions(&app).await;
    assert_eq!(canceled["items"][0]["success"], true);
    assert_eq!(canceled["items"][1]["success"], false);
}

#[tokio::test]
async fn list_deductions_after_cancel_is_empty() {
    let app = spawn_app().await;
    let (token, _) = cancel_deductions(&app).await;
    assert_eq!(get(&app, "/v1/deductions", &token).await.1["items"], json!([]));
}

#[tokio::test]
async fn create_deductions_with_the_read_scope_only_is_403() {
    let app = spawn_app().await;
    let read_only = tokens_for(&app, "deductions:read").await["access_token"].as_str().expect("t").to_owned();
    let refused = app
        .send(Method::POST, &jw("/v1/deductions"), Some(&format!("Bearer {read_only}")), Some(json!({"items": []})))
        .await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn docs_as_yaml_is_an_openapi_3_1_document() {
    let app = spawn_app().await;
    let yaml = app.send(Method::GET, &jw("/v1/docs?format=yaml"), None, None).await;
    assert_eq!(yaml.headers()["content-type"], "application/yaml");
    let text = yaml.text().await.expect("yaml");
    assert!(text.starts_with("openapi: \"3.1.0\""), "{}", &text[..40.min(text.len())]);
}

#[tokio::test]
async fn docs_as_html_lists_the_operations_with_their_scopes() {
    let app = spawn_app().await;
    let html = app.send(Method::GET, &jw("/v1/docs"), None, None).await.text().await.expect("html");
    assert!(html.contains("List Members") && html.contains("member.basic:read"));
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = spawn_app().await;
    for op in hr_sandbox::vendors::justworks::openapi::API.operations {
        let path: String =
            op.path.split('/').map(|s| if s.starts_with('{') { "x" } else { s }).collect::<Vec<_>>().join("/");
        let method = Method::from_bytes(op.method.to_uppercase().as_bytes()).expect("method");
        let status = app.send(method, &jw(&path), None, None).await.status().as_u16();
        assert!(status != 404 && status != 405, "{} {} is documented but answers {status}", op.method, op.path);
    }
}

#[tokio::test]
async fn every_endpoint_needs_exactly_its_scope() {
    let app = spawn_app().await;
    let on = app
        .client
        .patch(app.url("/__admin/vendors/justworks/settings"))
        .json(&json!({"auto_approve": true}))
        .send()
        .await;
    assert_eq!(on.expect("answered").status(), 200);
    for op in hr_sandbox::vendors::justworks::openapi::API.operations {
        let hr_sandbox::openapi::Auth::Scope(scope) = op.auth else { continue };
        if scope.is_empty() {
            continue;
        }
        if op.method != "get" || op.path.contains('{') {
            continue;
        }
        let path = if op.query.iter().any(|p| p.required) {
            format!("{}?start_date=2025-01-01&end_date=2025-12-31", op.path)
        } else {
            op.path.to_owned()
        };
        let with = tokens_for(&app, scope).await["access_token"].as_str().expect("token").to_owned();
        assert_eq!(get(&app, &path, &with).await.0, 200, "{path} with {scope}");
        // Every other scope, minus the parents that would include this one.
        let others: Vec<&str> = hr_sandbox::vendors::justworks::scopes::ALL
            .iter()
            .copied()
            .filter(|s| !hr_sandbox::vendors::justworks::scopes::Granted::from_list(s).has(scope))
            .collect();
        let without = tokens_for(&app, &others.join(" ")).await["access_token"].as_str().expect("token").to_owned();
        assert_eq!(get(&app, &path, &without).await.0, 403, "{path} without {scope}");
    }
}
