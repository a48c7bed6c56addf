//! Who may call: API keys, the deprecated form login, businesses and nodes.

use super::{call, element, oq};
use crate::helpers::{TestApp, exchange, spawn_app};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn list_users_without_a_key_is_401_in_springs_error_shape() {
    let app = spawn_app().await;
    let missing = app.send(Method::GET, &oq("/api/v1/businesses/ACME/users"), None, None).await;
    insta::assert_json_snapshot!(exchange(missing, &["content-type"]).await, {".body.timestamp" => "[now]"});
}

#[tokio::test]
async fn list_users_with_an_unknown_key_is_401_in_springs_error_shape() {
    let app = spawn_app().await;
    let unknown = app.send(Method::GET, &oq("/api/v1/businesses/ACME/users"), Some("Bearer nope"), None).await;
    insta::assert_json_snapshot!(exchange(unknown, &[]).await, {".body.timestamp" => "[now]"});
}

#[tokio::test]
async fn every_route_of_another_business_is_403() {
    let app = spawn_app().await;
    for (method, path) in [
        (Method::GET, "/api/v1/businesses/BETA/users"),
        (Method::GET, "/api/v2/businesses/BETA/employees/900001"),
        (Method::GET, "/api/v1/business/BETA/services"),
        (Method::PUT, "/api/v2/businesses/BETA/employees"),
        (Method::GET, "/api/v1/businesses/NOPE/users"),
    ] {
        let (status, body) = call(&app, method, path, "integration", Some(json!([]))).await;
        assert_eq!((status, body["error"].clone()), (403, json!("Forbidden")), "{path}");
    }
}

#[tokio::test]
async fn list_users_with_another_business_key_is_403() {
    let app = spawn_app().await;
    let (status, _) = call(&app, Method::GET, "/api/v1/businesses/ACME/users", "other_business", None).await;
    assert_eq!(status, 403);
}

/// The deprecated form login as `integration` with this password; the answer.
async fn login(app: &TestApp, password: &str) -> reqwest::Response {
    let form = app
        .client
        .post(app.url(&oq("/login")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("username=integration&password={password}"))
        .send()
        .await;
    form.expect("answered")
}

/// The login with the seeded password; the answer.
async fn good_login(app: &TestApp) -> reqwest::Response {
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let password = creds["orquest"]["integration"]["password"].as_str().expect("password").to_owned();
    login(app, &password).await
}

#[tokio::test]
async fn login_with_a_wrong_password_is_401() {
    let app = spawn_app().await;
    assert_eq!(login(&app, "wrong").await.status(), 401);
}

#[tokio::test]
async fn login_is_200_setting_a_session_cookie() {
    let app = spawn_app().await;
    let login = good_login(&app).await;
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_owned();
    assert!(cookie.starts_with("JSESSIONID="));
}

#[tokio::test]
async fn list_users_with_the_session_cookie_is_200() {
    let app = spawn_app().await;
    let login = good_login(&app).await;
    let cookie = login.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_owned();
    let users = app.client.get(app.url(&oq("/api/v1/businesses/ACME/users"))).header("Cookie", cookie).send().await;
    assert_eq!(users.expect("answered").status(), 200);
}

#[tokio::test]
async fn list_service_employees_of_its_node_as_restricted_is_200() {
    let app = spawn_app().await;
    let (status, _) =
        call(&app, Method::GET, "/api/v2/businesses/ACME/services/S2101/employees", "restricted", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn list_service_employees_outside_its_node_as_restricted_is_403() {
    let app = spawn_app().await;
    let (status, body) =
        call(&app, Method::GET, "/api/v2/businesses/ACME/services/S2102/employees", "restricted", None).await;
    assert_eq!((status, body["message"].clone()), (403, json!("Service S2102 is not visible to the integration user")));
}

#[tokio::test]
async fn list_services_as_restricted_shows_only_its_node() {
    let app = spawn_app().await;
    let (_, services) = call(&app, Method::GET, "/api/v1/business/ACME/services", "restricted", None).await;
    assert_eq!(
        services.as_array().map(|s| s.iter().map(|s| s["id"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("S2101")])
    );
}

#[tokio::test]
async fn import_as_restricted_fails_the_elements_outside_its_node() {
    let app = spawn_app().await;
    let mut outside = element("777001");
    outside["serviceAssociations"][0] = json!({"ownerProduct": "C24", "product": "C24", "from": "2026-01-01"});
    let (status, results) = call(
        &app,
        Method::PUT,
        "/api/v2/businesses/ACME/employees",
        "restricted",
        Some(json!([element("777000"), outside])),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        results,
        json!([
            {"employeeId": "777000", "status": 200, "message": "OK"},
            {"employeeId": "777001", "status": 403, "message": "product C24 is not visible to the integration user"}
        ])
    );
}

#[tokio::test]
async fn get_employee_outside_its_node_as_restricted_is_403() {
    let app = spawn_app().await;
    let (_, others) =
        call(&app, Method::GET, "/api/v2/businesses/ACME/services/S2102/employees", "integration", None).await;
    let hidden = others[0]["employeeId"].as_str().expect("an employee of another service");
    let (status, _) =
        call(&app, Method::GET, &format!("/api/v2/businesses/ACME/employees/{hidden}"), "restricted", None).await;
    assert_eq!(status, 403);
}
