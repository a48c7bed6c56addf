//! Who may call: API keys, the deprecated form login, businesses and nodes.

use super::{call, element, oq};
use crate::helpers::{exchange, spawn_app};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn missing_or_unknown_keys_are_401_in_springs_error_shape() {
    let app = spawn_app().await;
    let missing = app.send(Method::GET, &oq("/api/v1/businesses/ACME/users"), None, None).await;
    let unknown = app.send(Method::GET, &oq("/api/v1/businesses/ACME/users"), Some("Bearer nope"), None).await;
    insta::assert_json_snapshot!([exchange(missing, &["content-type"]).await, exchange(unknown, &[]).await], {"[].body.timestamp" => "[now]"});
}

#[tokio::test]
async fn another_business_is_403_for_every_route() {
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
    let (status, _) = call(&app, Method::GET, "/api/v1/businesses/ACME/users", "other_business", None).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_form_login_session_works_like_a_key() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let password = creds["orquest"]["integration"]["password"].as_str().expect("password");
    let form = |password: &str| {
        app.client
            .post(app.url(&oq("/login")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("username=integration&password={password}"))
            .send()
    };
    let bad = form("wrong").await;
    assert_eq!(bad.expect("answered").status(), 401);
    let login = form(password).await;
    let login = login.expect("answered");
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_owned();
    assert!(cookie.starts_with("JSESSIONID="));
    let users = app.client.get(app.url(&oq("/api/v1/businesses/ACME/users"))).header("Cookie", cookie).send().await;
    assert_eq!(users.expect("answered").status(), 200);
}

#[tokio::test]
async fn a_restricted_integration_user_sees_only_its_node() {
    let app = spawn_app().await;
    let (status, _) =
        call(&app, Method::GET, "/api/v2/businesses/ACME/services/S2101/employees", "restricted", None).await;
    assert_eq!(status, 200);
    let (status, body) =
        call(&app, Method::GET, "/api/v2/businesses/ACME/services/S2102/employees", "restricted", None).await;
    assert_eq!((status, body["message"].clone()), (403, json!("Service S2102 is not visible to the integration user")));
    let (_, services) = call(&app, Method::GET, "/api/v1/business/ACME/services", "restricted", None).await;
    assert_eq!(
        services.as_array().map(|s| s.iter().map(|s| s["id"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("S2101")])
    );
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
    let (_, others) =
        call(&app, Method::GET, "/api/v2/businesses/ACME/services/S2102/employees", "integration", None).await;
    let hidden = others[0]["employeeId"].as_str().expect("an employee of another service");
    let (status, _) =
        call(&app, Method::GET, &format!("/api/v2/businesses/ACME/employees/{hidden}"), "restricted", None).await;
    assert_eq!(status, 403);
}
