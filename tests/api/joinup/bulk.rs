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

/// Runs a job and returns its finished report (the job is read as `identity` after 5 s).
async fn run_job(app: &TestApp, list: &str, identity: &str, items: Value) -> Value {
    let (status, started) = post(app, list, identity, items).await;
    assert_eq!(status, 202, "{started}");
    advance(app, 5).await;
    let id = started["request_id"].as_str().expect("id");
    get(app, &format!("/api/company/{list}/check-request/{id}/"), identity).await.1
}

/// The mixed employee batch on a frozen clock (2026-03-02T10:15:00.118Z): the first seeded
/// employee of the group (as listed), the 202's body and its status.
async fn start_mixed_employee_batch(app: &TestApp) -> (Value, u16, Value) {
    app.admin_post("/__admin/clock", json!({"set": "2026-03-02T10:15:00.118Z", "frozen": true}), 200).await;
    let (_, first_page) = get(app, "/api/company/employees/?page_size=1", "group_admin").await;
    let first = first_page["results"][0].clone();
    let existing = first["base_email"].as_str().expect("email").to_owned();
    let items = json!([
        {"base_email": "ana.nueva@acme-iberia.test", "name": "Ana Nueva", "operation": "onboarding", "company_name": "Acme Iberia SL", "cost_center": "MKT"},
        {"base_email": "bo@newco.test", "name": "Bo Nuevo", "operation": "onboarding", "company_name": "Nueva Compañía SL", "company_cif": "B99999990"},
        {"base_email": existing, "name": "Renamed Person", "operation": "updated", "company_cif": "A28119303", "extra_text_1": "Proyecto X"},
        {"base_email": "old@acme-iberia.test", "name": "Old", "operation": "offboarding", "company_name": "Acme Iberia SL"},
        {"base_email": existing, "name": "Renamed Person", "operation": "onboarding", "company_cif": "A28119303"},
        {"base_email": "ghost@acme-iberia.test", "name": "Ghost", "operation": "offboarding", "company_cif": "B86543212", "flexible": "yes"},
    ]);
    let (status, started) = post(app, "employees", "group_admin", items).await;
    (first, status, started)
}

/// The mixed employee batch, run to its end: the first seeded employee and the job's id.
async fn run_mixed_employee_batch(app: &TestApp) -> (Value, String) {
    let (first, status, started) = start_mixed_employee_batch(app).await;
    assert_eq!(status, 202, "{started}");
    advance(app, 5).await;
    (first, started["request_id"].as_str().expect("request_id").to_owned())
}

#[tokio::test]
async fn bulk_employees_is_202_with_an_object_id_stamped_by_the_clock() {
    let app = spawn_unthrottled().await;
    let (_, status, started) = start_mixed_employee_batch(&app).await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(started["message"], "Bulk task started!");
    let id = started["request_id"].as_str().expect("request_id").to_owned();
    assert_eq!(id.len(), 24);
    let seconds = u32::from_str_radix(&id[..8], 16).expect("hex time");
    assert_eq!(
        DateTime::<Utc>::from_timestamp(i64::from(seconds), 0).map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-03-02T10:15:00+00:00")
    );
}

#[tokio::test]
async fn check_request_before_the_job_runs_is_pending() {
    let app = spawn_unthrottled().await;
    let (_, _, started) = start_mixed_employee_batch(&app).await;
    let id = started["request_id"].as_str().expect("request_id");
    let (status, pending) = get(&app, &format!("/api/company/employees/check-request/{id}/"), "group_admin").await;
    assert_eq!(
        (status, pending),
        (200, json!({"status": "pending", "created": "2026-03-02T10:15:00.118000", "id": id}))
    );
}

#[tokio::test]
async fn check_request_after_the_job_runs_reports_every_item() {
    let app = spawn_unthrottled().await;
    let (_, id) = run_mixed_employee_batch(&app).await;
    let (status, report) = get(&app, &format!("/api/company/employees/check-request/{id}/"), "group_admin").await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!(report, {".id" => "[request_id]"});
}

#[tokio::test]
async fn bulk_employees_update_changes_the_existing_employee() {
    let app = spawn_unthrottled().await;
    let (first, _) = run_mixed_employee_batch(&app).await;
    let (_, updated) = get(&app, &format!("/api/company/employees/?id={}", first["id"]), "group_admin").await;
    assert_eq!(updated["results"][0]["name"], "Renamed Person");
    assert_eq!(updated["results"][0]["extra_text_1"], "Proyecto X");
    assert_eq!(updated["results"][0]["company_name"], "Acme Logística SA");
}

#[tokio::test]
async fn bulk_employees_onboarding_creates_the_records() {
    let app = spawn_unthrottled().await;
    run_mixed_employee_batch(&app).await;
    let (_, created) = get(&app, "/api/company/employees/?ordering=-id&page_size=2", "group_admin").await;
    insta::assert_json_snapshot!("bulk_employees_created_records", created["results"]);
}

/// The mixed cost-center batch, run: its report.
async fn run_mixed_cost_center_batch(app: &TestApp) -> Value {
    let items = json!([
        {"name": "NUEVO", "operation": "onboarding", "company_cif": "B86543212"},
        {"name": "MKT", "operation": "offboarding", "company_cif": "B86543212"},
        {"name": "MISSING", "operation": "updated", "company_name": "Acme Iberia SL"},
        {"name": "OPS", "operation": "updated", "company_name": "Otra Empresa SL", "flexible": true},
    ]);
    run_job(app, "cost-centers", "group_admin", items).await
}

#[tokio::test]
async fn check_request_of_a_cost_center_job_reports_each_item() {
    let app = spawn_unthrottled().await;
    let report = run_mixed_cost_center_batch(&app).await;
    insta::assert_json_snapshot!(report, {".id" => "[request_id]", ".created" => "[now]"});
}

#[tokio::test]
async fn bulk_cost_centers_changes_show_in_the_list() {
    let app = spawn_unthrottled().await;
    run_mixed_cost_center_batch(&app).await;
    let (_, list) = get(&app, "/api/company/cost-centers/?ordering=-id&page_size=3", "group_admin").await;
    insta::assert_json_snapshot!(list["results"]);
}

#[tokio::test]
async fn bulk_cost_centers_offboarding_deletes_by_name() {
    let app = spawn_unthrottled().await;
    run_mixed_cost_center_batch(&app).await;
    let (_, mkt) = get(&app, "/api/company/cost-centers/?name=MKT&company_cif=B86543212", "group_admin").await;
    assert_eq!(mkt["count"], 0, "offboarding deletes the cost center");
}

// The docs mark company_name and company_cif optional on cost-center items (both may be
// omitted when the group shares its cost centers): the request is accepted, as the published
// schema says, and a group that keeps cost centers per company fails only the item that
// names no company.
fn cost_centers_without_a_company() -> Value {
    json!([
        {"name": "SIN EMPRESA", "operation": "onboarding"},
        {"name": "CON EMPRESA", "operation": "onboarding", "company_name": "Acme Iberia SL"},
        {"name": "MKT", "operation": "offboarding", "company_name": ""},
    ])
}

#[tokio::test]
async fn openapi_cost_centers_bulk_schema_admits_items_without_a_company() {
    let app = spawn_unthrottled().await;
    let items = cost_centers_without_a_company();
    let document = app.get_json("/__admin/vendors/joinup/openapi", None, 200).await;
    let schema = &document["paths"]["/api/company/cost-centers/"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(jsonschema::draft202012::is_valid(schema, &items), "the document admits the items: {schema}");
}

#[tokio::test]
async fn bulk_cost_centers_without_a_company_fails_that_item_in_the_report() {
    let app = spawn_unthrottled().await;
    let report = run_job(&app, "cost-centers", "group_admin", cost_centers_without_a_company()).await;
    let missing = "company_name or company_cif is required.";
    assert_eq!(
        (&report["onboarding"], &report["offboarding"]),
        (
            &json!({"success": ["CON EMPRESA"], "error": {"SIN EMPRESA": missing}}),
            &json!({"success": [], "error": {"MKT": missing}})
        ),
        "{report}"
    );
}

#[tokio::test]
async fn bulk_cost_centers_onboarding_without_a_company_creates_nothing() {
    let app = spawn_unthrottled().await;
    run_job(&app, "cost-centers", "group_admin", cost_centers_without_a_company()).await;
    let (_, none) = get(&app, "/api/company/cost-centers/?name=SIN", "group_admin").await;
    assert_eq!(none["count"], 0, "the failed item created nothing");
}

#[tokio::test]
async fn bulk_cost_centers_offboarding_without_a_company_deletes_nothing() {
    let app = spawn_unthrottled().await;
    run_job(&app, "cost-centers", "group_admin", cost_centers_without_a_company()).await;
    let (_, kept) = get(&app, "/api/company/cost-centers/?name=MKT", "group_admin").await;
    assert!(kept["count"].as_u64().is_some_and(|c| c > 0), "the failed offboarding deleted nothing: {kept}");
}

/// One onboarding in single-company mode that names a company; the finished report.
async fn run_single_company_onboarding(app: &TestApp) -> Value {
    let items = json!([{"base_email": "nora@solana.test", "name": "Nora Díaz", "operation": "onboarding", "company_name": "Ignored SL"}]);
    run_job(app, "employees", "single_company", items).await
}

#[tokio::test]
async fn check_request_in_single_company_mode_reports_without_company_created() {
    let app = spawn_unthrottled().await;
    let report = run_single_company_onboarding(&app).await;
    assert_eq!(report["status"], "finished");
    assert!(report.get("company_created").is_none());
    assert_eq!(report["onboarding"], json!({"success": ["nora@solana.test"], "error": {}}));
}

#[tokio::test]
async fn bulk_employees_in_single_company_mode_ignores_company_fields() {
    let app = spawn_unthrottled().await;
    run_single_company_onboarding(&app).await;
    let (_, found) = get(&app, "/api/company/employees/?ordering=-id&page_size=1", "single_company").await;
    assert_eq!(found["results"][0]["base_email"], "nora@solana.test");
    assert!(found["results"][0].get("company_name").is_none());
}

/// Sends the five refused bodies (not an array, empty, 51 items, bad items, malformed JSON);
/// each answer with its content type (and `Allow`).
async fn send_bad_bodies(app: &TestApp) -> Vec<Value> {
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
        let response = call(app, Method::POST, "/api/company/employees/", "group_admin", Some(body)).await;
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
    answers
}

#[tokio::test]
async fn bulk_with_bad_bodies_is_drfs_400_per_field() {
    let app = spawn_unthrottled().await;
    insta::assert_json_snapshot!(send_bad_bodies(&app).await);
}

#[tokio::test]
async fn bulk_with_bad_bodies_queues_nothing() {
    let app = spawn_unthrottled().await;
    send_bad_bodies(&app).await;
    let counts = app.get_json("/__admin/vendors", None, 200).await;
    assert_eq!(counts[0]["counts"]["jobs"], 0);
}

/// A cost-center job of the group admin; its id.
async fn start_cost_center_job(app: &TestApp) -> String {
    let items = json!([{"name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let (_, started) = post(app, "cost-centers", "group_admin", items).await;
    started["request_id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn check_request_of_another_tenant_endpoint_or_id_is_404() {
    let app = spawn_unthrottled().await;
    let id = start_cost_center_job(&app).await;
    let not_found = json!({"detail": "Not found."});
    for (path, identity) in [
        (format!("/api/company/cost-centers/check-request/{id}/"), "single_company"),
        (format!("/api/company/employees/check-request/{id}/"), "group_admin"),
        ("/api/company/cost-centers/check-request/6899d4573a7e8f5ac4bc3ad3/".to_owned(), "group_admin"),
    ] {
        assert_eq!(get(&app, &path, identity).await, (404, not_found.clone()), "{path} as {identity}");
    }
}

#[tokio::test]
async fn check_request_of_its_own_job_is_200() {
    let app = spawn_unthrottled().await;
    let id = start_cost_center_job(&app).await;
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

/// An update of a missing employee and an onboarding, both flexible: the finished report.
async fn run_flexible_batch(app: &TestApp) -> Value {
    let items = json!([
        {"base_email": "nobody@acme-iberia.test", "name": "Nobody", "operation": "updated", "company_name": "Acme Iberia SL", "flexible": true},
        {"base_email": "flex@acme-iberia.test", "name": "Flex", "operation": "onboarding", "company_name": "Acme Iberia SL", "flexible": true},
    ]);
    run_job(app, "employees", "group_admin", items).await
}

#[tokio::test]
async fn bulk_update_of_a_missing_employee_fails_even_when_flexible() {
    let app = spawn_unthrottled().await;
    let report = run_flexible_batch(&app).await;
    assert_eq!(report["updated"], json!({"success": [], "error": {"nobody@acme-iberia.test": "Employee not found"}}));
    assert_eq!(report["onboarding"]["success"], json!(["flex@acme-iberia.test"]));
}

#[tokio::test]
async fn bulk_update_of_a_missing_employee_creates_nothing_even_when_flexible() {
    let app = spawn_unthrottled().await;
    run_flexible_batch(&app).await;
    let (_, newest) = get(&app, "/api/company/employees/?ordering=-id&page_size=1", "group_admin").await;
    assert_eq!(newest["results"][0]["base_email"], "flex@acme-iberia.test", "no Nobody was created");
    assert_eq!(newest["count"], 241, "one employee more: the onboarding");
}
