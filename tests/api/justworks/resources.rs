//! Scope enforcement and the resources: company, members, deductions.

use super::{all_scopes, get, jw, tokens_for};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn endpoint_scopes_gate_with_403_and_field_scopes_omit_fields() {
    let app = spawn_app().await;
    let basic =
        tokens_for(&app, "member.basic:read company.basic:read").await["access_token"].as_str().expect("t").to_owned();
    let (status, body) = get(&app, "/v1/company/bank-account", &basic).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")));
    assert_eq!(get(&app, "/v1/deductions", &basic).await.0, 403);
    let (_, company) = get(&app, "/v1/company", &basic).await;
    assert!(company.get("tax_id").is_none(), "company.detail:read gates the tax id");
    let (_, members) = get(&app, "/v1/members?limit=3", &basic).await;
    let narrow = members["items"][2].clone();
    let full_token = all_scopes(&app).await;
    let id = narrow["id"].as_str().expect("id");
    let (_, full) = get(&app, &format!("/v1/members/{id}"), &full_token).await;
    for field in ["date_of_birth", "current_pay", "employment_start_date", "work_id"] {
        assert!(narrow.get(field).is_none(), "{field} needs its scope");
        assert!(full.get(field).is_some(), "{field} with every scope");
    }
    assert_eq!(narrow["addresses"], json!([]), "arrays stay, empty");
    let (_, detailed) = get(&app, "/v1/company", &full_token).await;
    assert_eq!(detailed["tax_id"], "12-3456789");
    assert_eq!(get(&app, "/v1/members", "nope").await.0, 401);
}

#[tokio::test]
async fn members_paginate_with_opaque_cursors_and_filter() {
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
    assert_eq!(get(&app, "/v1/members?limit=101", &token).await.0, 400);
    assert_eq!(get(&app, "/v1/members?cursor=garbage", &token).await.0, 400);
    let (_, active) = get(&app, "/v1/members?status=active", &token).await;
    let (_, terminated) = get(&app, "/v1/members?status=terminated", &token).await;
    let items = |v: &Value| v["items"].as_array().cloned().unwrap_or_default();
    assert!(items(&active).iter().all(|m| m["active"] == true) && !items(&active).is_empty());
    assert!(items(&terminated).iter().all(|m| m["active"] == false) && !items(&terminated).is_empty());
    let (_, since) = get(&app, "/v1/members?updated_at_gte=2025-06-01&limit=100", &token).await;
    let (_, before) = get(&app, "/v1/members?updated_at_lt=2025-06-01&limit=100", &token).await;
    let dated = |v: &Value| {
        items(v).into_iter().filter_map(|m| m["updated_at"].as_str().map(str::to_owned)).collect::<Vec<_>>()
    };
    assert!(dated(&since).iter().all(|u| u.as_str() >= "2025-06-01") && !dated(&since).is_empty());
    assert!(dated(&before).iter().all(|u| u.as_str() < "2025-06-01") && !dated(&before).is_empty());
    assert_eq!(get(&app, "/v1/members?updated_at_gt=yesterday", &token).await.0, 400);
    let (_, international) = get(&app, "/v1/members?limit=100", &token).await;
    let intl = international["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["type"] == "international_employee")
        .cloned()
        .expect("seeded");
    assert!(
        intl.get("date_of_birth").is_none() && intl.get("current_pay").is_none(),
        "international members show the documented subset"
    );
    let intl_id = intl["id"].as_str().expect("id");
    assert_eq!(get(&app, &format!("/v1/members/{intl_id}/tax-id"), &token).await.0, 404);
    let us = international["items"][2]["id"].as_str().expect("id");
    let (status, tax) = get(&app, &format!("/v1/members/{us}/tax-id"), &token).await;
    assert_eq!(status, 200);
    assert!(tax["US"]["ssn"].as_str().is_some_and(|s| s.len() == 11));
    let (_, custom) = get(&app, &format!("/v1/members/{us}/custom-field-values"), &token).await;
    assert_eq!(custom["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(get(&app, "/v1/members/member_nope", &token).await.0, 404);
}

#[tokio::test]
async fn deductions_create_update_cancel_with_per_row_results() {
    let app = spawn_app().await;
    let token = all_scopes(&app).await;
    let (_, types) = get(&app, "/v1/deduction-types", &token).await;
    assert!(types.as_array().is_some_and(|t| t.iter().any(|t| t["code"] == "health_insurance")), "a bare array");
    let (_, members) = get(&app, "/v1/members?limit=2", &token).await;
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
    let results = created["items"].as_array().expect("rows");
    assert_eq!(
        results.iter().map(|r| r["success"].clone()).collect::<Vec<_>>(),
        vec![json!(true), json!(false), json!(false)]
    );
    assert_eq!(results[2]["error_message"], "deduction type spa_days does not exist");
    let id = results[0]["deduction_id"].as_str().expect("id").to_owned();
    let update = json!({"items": [{"operation_id": "op-4", "deduction_id": id, "amount": 3000}, {"operation_id": "op-5", "deduction_id": "deduction_nope"}]});
    let updated: Value =
        app.send(Method::PUT, &jw("/v1/deductions"), Some(&auth), Some(update)).await.json().await.expect("json");
    assert_eq!(updated["items"][1]["success"], false);
    let (_, listed) = get(
        &app,
        &format!("/v1/deductions?member_id={}&deduction_type=health_insurance", member.as_str().expect("m")),
        &token,
    )
    .await;
    assert_eq!(listed["items"][0]["amount"], 3000);
    let cancel = json!({"deduction_ids": [id, "deduction_nope"]});
    let canceled: Value = app
        .send(Method::PATCH, &jw("/v1/deductions/cancel"), Some(&auth), Some(cancel))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(canceled["items"][0]["success"], true);
    assert_eq!(canceled["items"][1]["success"], false);
    assert_eq!(get(&app, "/v1/deductions", &token).await.1["items"], json!([]));
    let read_only = tokens_for(&app, "deductions:read").await["access_token"].as_str().expect("t").to_owned();
    let refused = app
        .send(Method::POST, &jw("/v1/deductions"), Some(&format!("Bearer {read_only}")), Some(json!({"items": []})))
        .await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn the_openapi_document_lists_only_served_operations() {
    let app = spawn_app().await;
    let yaml = app.send(Method::GET, &jw("/v1/docs?format=yaml"), None, None).await;
    assert_eq!(yaml.headers()["content-type"], "application/yaml");
    let text = yaml.text().await.expect("yaml");
    assert!(text.starts_with("openapi: \"3.1.0\""), "{}", &text[..40.min(text.len())]);
    let html = app.send(Method::GET, &jw("/v1/docs"), None, None).await.text().await.expect("html");
    assert!(html.contains("List Members") && html.contains("member.basic:read"));
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
