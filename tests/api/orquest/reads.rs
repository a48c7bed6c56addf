//! The reads: what the PUTs wrote, with the documented 404 texts and omitted empty fields.

use super::{call, element, oq};
use crate::helpers::{TestApp, exchange, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

const BASE: &str = "/api/v2/businesses/ACME";

/// Puts employee 910001 in service C35 for February 2026 (a past period: only a lag that
/// reaches back to it lets it in), asserting the 200.
async fn put_dated(app: &TestApp) {
    let mut dated = element("910001");
    dated["lag"] = json!(3650);
    dated["serviceAssociations"] =
        json!([{"ownerProduct": "C35", "product": "C35", "from": "2026-02-01", "to": "2026-02-28"}]);
    let (status, _) =
        call(app, Method::PUT, "/api/v2/businesses/ACME/employees", "integration", Some(json!([dated]))).await;
    assert_eq!(status, 200);
}

/// The employee ids a read of `path` (under the business) lists.
async fn listed(app: &TestApp, path: &str) -> Vec<Value> {
    let (_, list) = call(app, Method::GET, &format!("{BASE}{path}"), "integration", None).await;
    list.as_array().expect("list").iter().map(|p| p["employeeId"].clone()).collect()
}

#[tokio::test]
async fn list_service_employees_shows_the_put_employee() {
    let app = spawn_app().await;
    put_dated(&app).await;
    assert!(listed(&app, "/services/S2201/employees").await.contains(&json!("910001")));
}

#[tokio::test]
async fn list_service_employees_between_dates_in_the_period_shows_it() {
    let app = spawn_app().await;
    put_dated(&app).await;
    let in_feb = listed(&app, "/services/S2201/employees/between?from=2026-02-10&to=2026-02-12").await;
    assert!(in_feb.contains(&json!("910001")));
}

#[tokio::test]
async fn list_service_employees_between_dates_past_the_period_omits_it() {
    let app = spawn_app().await;
    put_dated(&app).await;
    let in_march = listed(&app, "/services/S2201/employees/between?from=2026-03-01&to=2026-03-31").await;
    assert!(!in_march.contains(&json!("910001")));
}

#[tokio::test]
async fn list_product_employees_shows_the_put_employee() {
    let app = spawn_app().await;
    put_dated(&app).await;
    assert!(listed(&app, "/products/C35/employees").await.contains(&json!("910001")));
}

#[tokio::test]
async fn get_employee_omits_fields_without_value() {
    let app = spawn_app().await;
    put_dated(&app).await;
    let (_, person) = call(&app, Method::GET, &format!("{BASE}/employees/910001"), "integration", None).await;
    assert_eq!(
        person,
        json!({"name": "Ana", "surname": "Test", "employeeId": "910001", "virtual": false}),
        "fields without value are omitted"
    );
}

#[tokio::test]
async fn reads_answer_404_with_the_documented_texts() {
    let app = spawn_app().await;
    let cases = [
        (format!("{BASE}/employees/nobody"), "Employee not found"),
        (format!("{BASE}/services/S9/employees"), "Service S9 not exits"),
        (format!("{BASE}/services/S9/employees/between?from=2026-01-01&to=2026-01-31"), "Service S9 not exits"),
        (format!("{BASE}/products/Z9/employees"), "Product Z9 not exits"),
        ("/api/v1/business/ACME/person/nobody/service-associations".to_owned(), "Employee not found"),
        ("/api/v1/businesses/ACME/services/S9/employee-roles".to_owned(), "Service S9 not exists"),
    ];
    for (path, message) in cases {
        let (status, body) = call(&app, Method::GET, &path, "integration", None).await;
        assert_eq!((status, body["message"].clone()), (404, json!(message)), "{path}");
    }
}

#[tokio::test]
async fn list_service_employees_between_without_to_is_400_naming_it() {
    let app = spawn_app().await;
    let (status, body) = call(
        &app,
        Method::GET,
        &format!("{BASE}/services/S2101/employees/between?from=2026-01-01"),
        "integration",
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "Required request parameter 'to' for method parameter type LocalDate is not present");
}

#[tokio::test]
async fn list_employee_roles_of_a_service_shows_them() {
    let app = spawn_app().await;
    let (_, roles) =
        call(&app, Method::GET, "/api/v1/businesses/ACME/services/S2101/employee-roles", "integration", None).await;
    insta::assert_json_snapshot!(roles);
}

#[tokio::test]
async fn list_employee_roles_of_a_service_without_any_is_empty() {
    let app = spawn_app().await;
    let (_, none) =
        call(&app, Method::GET, "/api/v1/businesses/ACME/services/S2201/employee-roles", "integration", None).await;
    assert_eq!(none, json!([]), "a service without employee roles");
}

#[tokio::test]
async fn list_services_answers_alike_in_both_spellings() {
    let app = spawn_app().await;
    let (_, v1) = call(&app, Method::GET, "/api/v1/business/ACME/services", "integration", None).await;
    let (_, v2) = call(&app, Method::GET, "/api/v2/businesses/ACME/services", "integration", None).await;
    assert_eq!(v1, v2, "both spellings");
}

#[tokio::test]
async fn list_services_shows_the_seeded_services() {
    let app = spawn_app().await;
    let (_, v1) = call(&app, Method::GET, "/api/v1/business/ACME/services", "integration", None).await;
    insta::assert_json_snapshot!(v1);
}

#[tokio::test]
async fn list_users_shows_the_system_user() {
    let app = spawn_app().await;
    let (_, users) = call(&app, Method::GET, "/api/v1/businesses/ACME/users", "integration", None).await;
    let viewer = users.as_array().expect("users").iter().find(|u| u["createdBy"] == "SYSTEM").cloned();
    insta::assert_json_snapshot!(viewer);
}

#[tokio::test]
async fn delete_employees_is_405_in_springs_error_shape() {
    let app = spawn_app().await;
    let auth = app.auth("orquest", "integration").await;
    let delete = app.send(Method::DELETE, &oq("/api/v2/businesses/ACME/employees"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(delete, &[]).await, {".body.timestamp" => "[now]"});
}

#[tokio::test]
async fn get_unknown_route_is_404_in_springs_error_shape() {
    let app = spawn_app().await;
    let auth = app.auth("orquest", "integration").await;
    let unknown = app.send(Method::GET, &oq("/api/v3/nothing"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(unknown, &[]).await, {".body.timestamp" => "[now]"});
}
