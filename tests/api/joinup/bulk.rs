//! The bulk POSTs and their reports: validation, 413, the job from pending to finished on the
//! sandbox clock, company creation, item errors from scenarios, tenant isolation.

use super::{call, get, spawn_unthrottled};
use crate::helpers::{TestApp, exchange};
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};

async fn post(app: &TestApp, list: &str, identity: &str, body: Value) -> (u16, Value) {
    let response = call(app, Method::POST, &format!("/api/company/{list}/"), identity, Some(body)).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn advance(app: &TestApp, seconds: i64) {
    app.admin_post("/__admin/clock", json!({"advance_seconds": seconds}), 200).await;
}

#[tokio::test]
async fn bulk_employees_runs_pending_then_finished_with_successes_errors_and_new_companies() {
    let app = spawn_unthrottled().await;
    app.admin_post("/__admin/clock", json!({"set": "2026-03-02T10:15:00.118Z", "frozen": true}), 200).await;
    let (_, first_page) = get(&app, "/api/company/employees/?page_size=1", "group_admin").await;
    let existing = first_page["results"][0]["base_email"].as_str().expect("email").to_owned();
    let items = json!([
        {"base_email": "ana.nueva@acme-iberia.test", "name": "Ana Nueva", "operation": "onboarding", "company_name": "Acme Iberia SL", "cost_center": "MKT"},
        {"base_email": "bo@newco.test", "name": "Bo Nuevo", "operation": "onboarding", "company_name": "Nueva Compañía SL", "company_cif": "B99999990"},
        {"base_email": existing, "name": "Renamed Person", "operation": "updated", "company_cif": "A28119303", "extra_text_1": "Proyecto X"},
        {"base_email": "old@acme-iberia.test", "name": "Old", "operation": "offboarding", "company_name": "Acme Iberia SL"},
        {"base_email": existing, "name": "Renamed Person", "operation": "onboarding", "company_cif": "A28119303"},
        {"base_email": "ghost@acme-iberia.test", "name": "Ghost", "operation": "offboarding", "company_cif": "B86543212", "flexible": "yes"},
    ]);
    let (status, started) = post(&app, "employees", "group_admin", items).await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(started["message"], "Bulk task started!");
    let id = started["request_id"].as_str().expect("request_id").to_owned();
    assert_eq!(id.len(), 24);
    let seconds = u32::from_str_radix(&id[..8], 16).expect("hex time");
    assert_eq!(
        DateTime::<Utc>::from_timestamp(i64::from(seconds), 0).map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-03-02T10:15:00+00:00")
    );
    let path = format!("/api/company/employees/check-request/{id}/");
    let (status, pending) = get(&app, &path, "group_admin").await;
    assert_eq!(
        (status, pending),
        (200, json!({"status": "pending", "created": "2026-03-02T10:15:00.118000", "id": id}))
    );
    advance(&app, 5).await;
    let (status, report) = get(&app, &path, "group_admin").await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!(report, {".id" => "[request_id]"});
    let (_, updated) =
        get(&app, &format!("/api/company/employees/?id={}", first_page["results"][0]["id"]), "group_admin").await;
    assert_eq!(updated["results"][0]["name"], "Renamed Person");
    assert_eq!(updated["results"][0]["extra_text_1"], "Proyecto X");
    assert_eq!(updated["results"][0]["company_name"], "Acme Logística SA");
    let (_, created) = get(&app, "/api/company/employees/?ordering=-id&page_size=2", "group_admin").await;
    insta::assert_json_snapshot!("bulk_employees_created_records", created["results"]);
}

#[tokio::test]
async fn bulk_cost_centers_create_update_and_delete_by_name() {
    let app = spawn_unthrottled().await;
    let items = json!([
        {"name": "NUEVO", "operation": "onboarding", "company_cif": "B86543212"},
        {"name": "MKT", "operation": "offboarding", "company_cif": "B86543212"},
        {"name": "MISSING", "operation": "updated", "company_name": "Acme Iberia SL"},
        {"name": "OPS", "operation": "updated", "company_name": "Otra Empresa SL", "flexible": true},
    ]);
    let (status, started) = post(&app, "cost-centers", "group_admin", items).await;
    assert_eq!(status, 202);
    advance(&app, 5).await;
    let id = started["request_id"].as_str().expect("id");
    let (_, report) = get(&app, &format!("/api/company/cost-centers/check-request/{id}/"), "group_admin").await;
    let (_, list) = get(&app, "/api/company/cost-centers/?ordering=-id&page_size=3", "group_admin").await;
    insta::assert_json_snapshot!(json!({"report": report, "newest": list["results"]}), {".report.id" => "[request_id]", ".report.created" => "[now]"});
    let (_, mkt) = get(&app, "/api/company/cost-centers/?name=MKT&company_cif=B86543212", "group_admin").await;
    assert_eq!(mkt["count"], 0, "offboarding deletes the cost center");
}

#[tokio::test]
async fn bulk_cost_centers_without_a_company_fails_that_item_in_the_report() {
    // The docs mark company_name and company_cif optional on cost-center items (both may be
    // omitted when the group shares its cost centers): the request is accepted, as the published
    // schema says, and a group that keeps cost centers per company fails only the item that
    // names no company.
    let app = spawn_unthrottled().await;
    let items = json!([
        {"name": "SIN EMPRESA", "operation": "onboarding"},
        {"name": "CON EMPRESA", "operation": "onboarding", "company_name": "Acme Iberia SL"},
        {"name": "MKT", "operation": "offboarding", "company_name": ""},
    ]);
    let document = app.get_json("/__admin/vendors/joinup/openapi", None, 200).await;
    let schema = &document["paths"]["/api/company/cost-centers/"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(jsonschema::draft202012::is_valid(schema, &items), "the document admits the items: {schema}");
    let (status, started) = post(&app, "cost-centers", "group_admin", items).await;
    assert_eq!(status, 202, "{started}");
    advance(&app, 5).await;
    let id = started["request_id"].as_str().expect("id");
    let (_, report) = get(&app, &format!("/api/company/cost-centers/check-request/{id}/"), "group_admin").await;
    let missing = "company_name or company_cif is required.";
    assert_eq!(
        (&report["onboarding"], &report["offboarding"]),
        (
            &json!({"success": ["CON EMPRESA"], "error": {"SIN EMPRESA": missing}}),
            &json!({"success": [], "error": {"MKT": missing}})
        ),
        "{report}"
    );
    let (_, none) = get(&app, "/api/company/cost-centers/?name=SIN", "group_admin").await;
    assert_eq!(none["count"], 0, "the failed item created nothing");
    let (_, kept) = get(&app, "/api/company/cost-centers/?name=MKT", "group_admin").await;
    assert!(kept["count"].as_u64().is_some_and(|c| c > 0), "the failed offboarding deleted nothing: {kept}");
}

#[tokio::test]
async fn bulk_in_single_company_mode_ignores_company_fields_and_reports_without_company_created() {
    let app = spawn_unthrottled().await;
    let items = json!([{"base_email": "nora@solana.test", "name": "Nora Díaz", "operation": "onboarding", "company_name": "Ignored SL"}]);
    let (status, started) = post(&app, "employees", "single_company", items).await;
    assert_eq!(status, 202);
    advance(&app, 5).await;
    let id = started["request_id"].as_str().expect("id");
    let (_, report) = get(&app, &format!("/api/company/employees/check-request/{id}/"), "single_company").await;
    assert_eq!(report["status"], "finished");
    assert!(report.get("company_created").is_none());
    assert_eq!(report["onboarding"], json!({"success": ["nora@solana.test"], "error": {}}));
    let (_, found) = get(&app, "/api/company/employees/?ordering=-id&page_size=1", "single_company").await;
    assert_eq!(found["results"][0]["base_email"], "nora@solana.test");
    assert!(found["results"][0].get("company_name").is_none());
}

#[tokio::test]
async fn bulk_rejects_bad_bodies_with_drf_errors_and_queues_nothing() {
    let app = spawn_unthrottled().await;
    let too_many: Vec<Value> = (0..51).map(|i| json!({"base_email": format!("p{i}@acme-iberia.test"), "name": "P", "operation": "onboarding", "company_name": "Acme Iberia SL"})).collect();
    let cases = [
        json!({"base_email": "a@b.test"}),
        json!([]),
        json!(too_many),
        json!([
            {"base_email": "ok@acme-iberia.test", "name": "Ok", "operation": "onboarding", "company_name": "Acme Iberia SL"},
            {"name": "", "operation": "hire", "flexible": "maybe", "base_email": "not-an-email", "dni": ["x"]},
            {"base_email": "c@acme-iberia.test", "name": "C", "operation": "updated"},
            "text"
        ]),
    ];
    let mut answers = Vec::new();
    for body in cases {
        let response = call(&app, Method::POST, "/api/company/employees/", "group_admin", Some(body)).await;
        answers.push(exchange(response, &["content-type", "allow"]).await);
    }
    let raw = app
        .client
        .post(app.url("/joinup/api/company/cost-centers/"))
        .header("Authorization", app.auth("joinup", "group_admin").await)
        .header("Content-Type", "application/json")
        .body("[{\"name\": \"X\",}]")
        .send()
        .await
        .expect("answered");
    answers.push(exchange(raw, &["content-type"]).await);
    insta::assert_json_snapshot!(answers);
    let counts = app.get_json("/__admin/vendors", None, 200).await;
    assert_eq!(counts[0]["counts"]["jobs"], 0);
}

#[tokio::test]
async fn check_request_is_404_for_unknown_ids_other_tenants_and_the_other_endpoint() {
    let app = spawn_unthrottled().await;
    let items = json!([{"name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let (_, started) = post(&app, "cost-centers", "group_admin", items).await;
    let id = started["request_id"].as_str().expect("id");
    let not_found = json!({"detail": "Not found."});
    for (path, identity) in [
        (format!("/api/company/cost-centers/check-request/{id}/"), "single_company"),
        (format!("/api/company/employees/check-request/{id}/"), "group_admin"),
        ("/api/company/cost-centers/check-request/6899d4573a7e8f5ac4bc3ad3/".to_owned(), "group_admin"),
    ] {
        assert_eq!(get(&app, &path, identity).await, (404, not_found.clone()), "{path} as {identity}");
    }
    assert_eq!(get(&app, &format!("/api/company/cost-centers/check-request/{id}/"), "group_admin").await.0, 200);
}

#[tokio::test]
async fn item_error_rules_fail_the_matching_items_in_the_report() {
    let app = spawn_unthrottled().await;
    let scenario = json!({
        "name": "joinup-item-errors",
        "rules": [{"when": {"vendor": "joinup", "method": "POST", "path": "/api/company/employees/"},
                   "then": {"item_error": {"where": {"base_email": "*@fail.test"}, "message": "Invalid DNI"}}}]
    });
    app.admin_post("/__admin/scenarios", scenario, 201).await;
    let items = json!([
        {"base_email": "ok@acme-iberia.test", "name": "Ok", "operation": "onboarding", "company_name": "Acme Iberia SL"},
        {"base_email": "x@fail.test", "name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"},
    ]);
    let (status, started) = post(&app, "employees", "group_admin", items).await;
    assert_eq!(status, 202);
    advance(&app, 5).await;
    let id = started["request_id"].as_str().expect("id");
    let (_, report) = get(&app, &format!("/api/company/employees/check-request/{id}/"), "group_admin").await;
    assert_eq!(
        report["onboarding"],
        json!({"success": ["ok@acme-iberia.test"], "error": {"x@fail.test": "Invalid DNI"}})
    );
}

#[tokio::test]
async fn flexible_never_turns_an_update_of_a_missing_employee_into_a_create() {
    let app = spawn_unthrottled().await;
    let items = json!([
        {"base_email": "nobody@acme-iberia.test", "name": "Nobody", "operation": "updated", "company_name": "Acme Iberia SL", "flexible": true},
        {"base_email": "flex@acme-iberia.test", "name": "Flex", "operation": "onboarding", "company_name": "Acme Iberia SL", "flexible": true},
    ]);
    let (status, started) = post(&app, "employees", "group_admin", items).await;
    assert_eq!(status, 202);
    advance(&app, 5).await;
    let id = started["request_id"].as_str().expect("id");
    let (_, report) = get(&app, &format!("/api/company/employees/check-request/{id}/"), "group_admin").await;
    assert_eq!(report["updated"], json!({"success": [], "error": {"nobody@acme-iberia.test": "Employee not found"}}));
    assert_eq!(report["onboarding"]["success"], json!(["flex@acme-iberia.test"]));
    let (_, newest) = get(&app, "/api/company/employees/?ordering=-id&page_size=1", "group_admin").await;
    assert_eq!(newest["results"][0]["base_email"], "flex@acme-iberia.test", "no Nobody was created");
    assert_eq!(newest["count"], 241, "one employee more: the onboarding");
}
