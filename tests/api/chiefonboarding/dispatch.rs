//! DRF's dispatch order, methods, negotiation, APPEND_SLASH, API_ACCESS and the body limit.

use super::{co, post_raw};
use crate::helpers::{exchange, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn wrong_methods_are_405_after_authentication() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let post_list = app.send(Method::POST, &co("/api/employees/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(post_list, &["allow"]).await);
    let get_users = app.send(Method::GET, &co("/api/users/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(get_users, &["allow"]).await);
    let anonymous = app.send(Method::GET, &co("/api/users/"), None, None).await;
    assert_eq!(anonymous.status(), 401, "authentication comes before the method check");
    let delete = app.send(Method::DELETE, &co("/api/offboarding/"), Some(&admin), None).await;
    let body: serde_json::Value = delete.json().await.expect("json");
    assert_eq!(body, json!({"detail": "Method \"DELETE\" not allowed."}));
}

#[tokio::test]
async fn head_and_options_answer_like_drf() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let head = app.send(Method::HEAD, &co("/api/employees/"), Some(&admin), None).await;
    assert_eq!(head.status(), 200);
    assert_eq!(head.text().await.expect("body"), "");
    let head_users = app.send(Method::HEAD, &co("/api/users/"), Some(&admin), None).await;
    assert_eq!(head_users.status(), 405);
    let options = app.send(Method::OPTIONS, &co("/api/offboarding/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(options, &["allow", "content-type"]).await);
}

#[tokio::test]
async fn accept_without_json_is_406_even_without_a_token() {
    let app = spawn_app().await;
    let response =
        app.client.get(app.url(&co("/api/employees/"))).header("Accept", "text/html").send().await.expect("ok");
    insta::assert_json_snapshot!(exchange(response, &["allow", "content-type"]).await);
    let admin = app.auth("chiefonboarding", "admin").await;
    for accept in
        ["application/json", "application/*", "*/*", "text/html, application/json;q=0.5", "application/json; indent=4"]
    {
        let response = app
            .client
            .get(app.url(&co("/api/employees/")))
            .header("Accept", accept)
            .header("Authorization", &admin)
            .send()
            .await
            .expect("ok");
        assert_eq!(response.status(), 200, "{accept}");
    }
}

#[tokio::test]
async fn format_query_other_than_json_is_404_before_authentication() {
    let app = spawn_app().await;
    for format in ["xml", "api"] {
        let response = app.send(Method::GET, &co(&format!("/api/employees/?format={format}")), None, None).await;
        assert_eq!(response.status(), 404);
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body, json!({"detail": "Not found."}));
    }
    let admin = app.auth("chiefonboarding", "admin").await;
    let json_format =
        app.send(Method::GET, &co("/api/sequences/?format=json&page=2&search=x"), Some(&admin), None).await;
    assert_eq!(json_format.status(), 200);
}

#[tokio::test]
async fn slashless_paths_redirect_301_before_authentication_keeping_the_query() {
    let app = spawn_app().await;
    let response = app.send(Method::GET, &co("/api/employees?format=json"), None, None).await;
    insta::assert_json_snapshot!(exchange(response, &["location"]).await);
    app.admin_post("/__admin/sandboxes", json!({"name": "slash"}), 201).await;
    let named = app.send(Method::POST, "/sandboxes/slash/chiefonboarding/api/users", None, None).await;
    assert_eq!(named.status(), 301);
    assert_eq!(named.headers()["location"], "/sandboxes/slash/chiefonboarding/api/users/");
}

#[tokio::test]
async fn unknown_paths_get_djangos_html_404() {
    let app = spawn_app().await;
    for path in ["/api/employees//", "/api/", "/api/employees/1/", "/health-nope"] {
        let response = app.send(Method::GET, &co(path), None, None).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        let body = response.text().await.expect("body");
        assert!(body.starts_with("<!doctype html>") && body.contains("<title>Not Found</title>"), "{path}: {body}");
    }
}

#[tokio::test]
async fn api_access_off_makes_the_four_routes_404_and_on_restores_them() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let settings = app
        .client
        .patch(app.url("/__admin/vendors/chiefonboarding/settings"))
        .json(&json!({"API_ACCESS": false}))
        .send()
        .await
        .expect("ok");
    assert_eq!(settings.status(), 200);
    assert_eq!(
        settings.json::<serde_json::Value>().await.expect("json"),
        json!({"api_access": false, "seed_users": 100})
    );
    for (method, path) in [
        (Method::GET, "/api/employees/"),
        (Method::GET, "/api/sequences/"),
        (Method::POST, "/api/users/"),
        (Method::POST, "/api/offboarding/"),
        (Method::GET, "/api/employees"),
    ] {
        let response = app.send(method, &co(path), Some(&admin), None).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(response.text().await.expect("body").contains("<title>Not Found</title>"));
    }
    app.client
        .patch(app.url("/__admin/vendors/chiefonboarding/settings"))
        .json(&json!({"api_access": true}))
        .send()
        .await
        .expect("ok");
    assert_eq!(app.send(Method::GET, &co("/api/employees/"), Some(&admin), None).await.status(), 200);
}

#[tokio::test]
async fn vendor_settings_reject_bad_patches_and_change_nothing() {
    let app = spawn_app().await;
    for patch in [json!({"api_access": "no"}), json!({"unknown": true}), json!([1])] {
        let response = app
            .client
            .patch(app.url("/__admin/vendors/chiefonboarding/settings"))
            .json(&patch)
            .send()
            .await
            .expect("ok");
        assert_eq!(response.status(), 400, "{patch}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "bad_request");
    }
    let settings = app.get_json("/__admin/vendors/chiefonboarding/settings", None, 200).await;
    assert_eq!(settings, json!({"api_access": true, "seed_users": 100}));
}

#[tokio::test]
async fn body_over_the_limit_is_413_in_drf_shape_and_creates_nothing() {
    let app = spawn_with(Settings { body_limit: 64, ..Settings::default() }).await;
    let response = post_raw(&app, "/api/users/", Some("application/json"), r#"{"first_name": "A very long name that goes past the limit", "last_name": "x", "email": "a@acme.test", "role": 3}"#).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await);
    let admin = app.auth("chiefonboarding", "admin").await;
    let employees = app.get_json(&co("/api/employees/"), Some(&admin), 200).await;
    assert_eq!(employees.as_array().map(Vec::len), Some(100));
}
