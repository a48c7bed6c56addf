//! The reads: what the PUTs wrote, with the documented 404 texts and omitted empty fields.

use super::{call, element, oq};
use crate::helpers::{exchange, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn reads_by_service_period_and_product_show_what_was_put() {
    let app = spawn_app().await;
    let mut dated = element("910001");
    // A past period: only a lag that reaches back to it lets it in.
    dated["lag"] = json!(3650);
    dated["serviceAssociations"] =
        json!([{"ownerProduct": "C35", "product": "C35", "from": "2026-02-01", "to": "2026-02-28"}]);
    let (status, _) =
        call(&app, Method::PUT, "/api/v2/businesses/ACME/employees", "integration", Some(json!([dated]))).await;
    assert_eq!(status, 200);
    let ids = |list: &Value| list.as_array().expect("list").iter().map(|p| p["employeeId"].clone()).collect::<Vec<_>>();
    let base = "/api/v2/businesses/ACME";
    let (_, by_service) =
        call(&app, Method::GET, &format!("{base}/services/S2201/employees"), "integration", None).await;
    assert!(ids(&by_service).contains(&json!("910001")));
    let (_, in_feb) = call(
        &app,
        Method::GET,
        &format!("{base}/services/S2201/employees/between?from=2026-02-10&to=2026-02-12"),
        "integration",
        None,
    )
    .await;
    assert!(ids(&in_feb).contains(&json!("910001")));
    let (_, in_march) = call(
        &app,
        Method::GET,
        &format!("{base}/services/S2201/employees/between?from=2026-03-01&to=2026-03-31"),
        "integration",
        None,
    )
    .await;
    assert!(!ids(&in_march).contains(&json!("910001")));
    let (_, by_product) = call(&app, Method::GET, &format!("{base}/products/C35/employees"), "integration", None).await;
    assert!(ids(&by_product).contains(&json!("910001")));
    let (_, person) = call(&app, Method::GET, &format!("{base}/employees/910001"), "integration", None).await;
    assert_eq!(
        person,
        json!({"name": "Ana", "surname": "Test", "employeeId": "910001", "virtual": false}),
        "fields without value are omitted"
    );
}

#[tokio::test]
async fn reads_answer_404_with_the_documented_texts() {
    let app = spawn_app().await;
    let base = "/api/v2/businesses/ACME";
    let cases = [
        (format!("{base}/employees/nobody"), "Employee not found"),
        (format!("{base}/services/S9/employees"), "Service S9 not exits"),
        (format!("{base}/services/S9/employees/between?from=2026-01-01&to=2026-01-31"), "Service S9 not exits"),
        (format!("{base}/products/Z9/employees"), "Product Z9 not exits"),
        ("/api/v1/business/ACME/person/nobody/service-associations".to_owned(), "Employee not found"),
        ("/api/v1/businesses/ACME/services/S9/employee-roles".to_owned(), "Service S9 not exists"),
    ];
    for (path, message) in cases {
        let (status, body) = call(&app, Method::GET, &path, "integration", None).await;
        assert_eq!((status, body["message"].clone()), (404, json!(message)), "{path}");
    }
    let (status, body) = call(
        &app,
        Method::GET,
        &format!("{base}/services/S2101/employees/between?from=2026-01-01"),
        "integration",
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "Required request parameter 'to' for method parameter type LocalDate is not present");
}

#[tokio::test]
async fn users_roles_services_and_wrong_methods() {
    let app = spawn_app().await;
    let (_, roles) =
        call(&app, Method::GET, "/api/v1/businesses/ACME/services/S2101/employee-roles", "integration", None).await;
    let (_, none) =
        call(&app, Method::GET, "/api/v1/businesses/ACME/services/S2201/employee-roles", "integration", None).await;
    assert_eq!(none, json!([]), "a service without employee roles");
    let (_, v1) = call(&app, Method::GET, "/api/v1/business/ACME/services", "integration", None).await;
    let (_, v2) = call(&app, Method::GET, "/api/v2/businesses/ACME/services", "integration", None).await;
    assert_eq!(v1, v2, "both spellings");
    let (_, users) = call(&app, Method::GET, "/api/v1/businesses/ACME/users", "integration", None).await;
    let viewer = users.as_array().expect("users").iter().find(|u| u["createdBy"] == "SYSTEM").cloned();
    let auth = app.auth("orquest", "integration").await;
    let delete = app.send(Method::DELETE, &oq("/api/v2/businesses/ACME/employees"), Some(&auth), None).await;
    let unknown = app.send(Method::GET, &oq("/api/v3/nothing"), Some(&auth), None).await;
    insta::assert_json_snapshot!(json!({
        "roles": roles, "services": v1, "system_user": viewer,
        "delete": exchange(delete, &[]).await, "unknown": exchange(unknown, &[]).await,
    }), {".*.body.timestamp" => "[now]"});
}
