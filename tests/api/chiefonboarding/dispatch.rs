//! DRF's dispatch order, methods, negotiation, APPEND_SLASH, API_ACCESS and the body limit.

use super::{co, post_raw};
use crate::helpers::{TestApp, exchange, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn post_employees_is_405_naming_the_allowed_methods() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let post_list = app.send(Method::POST, &co("/api/employees/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(post_list, &["allow"]).await);
}

#[tokio::test]
async fn get_users_is_405_naming_the_allowed_methods() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let get_users = app.send(Method::GET, &co("/api/users/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(get_users, &["allow"]).await);
}

#[tokio::test]
async fn get_users_without_credentials_is_401_before_the_method_check() {
    let app = spawn_app().await;
    let anonymous = app.send(Method::GET, &co("/api/users/"), None, None).await;
    assert_eq!(anonymous.status(), 401, "authentication comes before the method check");
}

#[tokio::test]
async fn delete_offboarding_is_405_naming_the_method() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let delete = app.send(Method::DELETE, &co("/api/offboarding/"), Some(&admin), None).await;
    let body: serde_json::Value = delete.json().await.expect("json");
    assert_eq!(body, json!({"detail": "Method \"DELETE\" not allowed."}));
}

#[tokio::test]
async fn head_employees_is_200_without_a_body() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let head = app.send(Method::HEAD, &co("/api/employees/"), Some(&admin), None).await;
    assert_eq!(head.status(), 200);
    assert_eq!(head.text().await.expect("body"), "");
}

#[tokio::test]
async fn head_users_is_405() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let head_users = app.send(Method::HEAD, &co("/api/users/"), Some(&admin), None).await;
    assert_eq!(head_users.status(), 405);
}

#[tokio::test]
async fn options_offboarding_describes_the_view_like_drf() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let options = app.send(Method::OPTIONS, &co("/api/offboarding/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(options, &["allow", "content-type"]).await);
}

#[tokio::test]
async fn accept_without_json_is_406_even_without_a_token() {
    let app = spawn_app().await;
    let response =
        app.client.get(app.url(&co("/api/employees/"))).header("Accept", "text/html").send().await.expect("ok");
    insta::assert_json_snapshot!(exchange(response, &["allow", "content-type"]).await);
}

#[tokio::test]
async fn list_employees_accepting_json_in_any_spelling_is_200() {
    let app = spawn_app().await;
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
}

#[tokio::test]
async fn list_sequences_with_format_json_is_200() {
    let app = spawn_app().await;
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
}

#[tokio::test]
async fn slashless_path_in_a_named_sandbox_redirects_within_the_sandbox() {
    let app = spawn_app().await;
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

async fn patch_settings(app: &TestApp, patch: serde_json::Value) -> reqwest::Response {
    app.client.patch(app.url("/__admin/vendors/chiefonboarding/settings")).json(&patch).send().await.expect("ok")
}

#[tokio::test]
async fn patch_settings_api_access_off_answers_the_new_settings() {
    let app = spawn_app().await;
    let settings = patch_settings(&app, json!({"API_ACCESS": false})).await;
    assert_eq!(settings.status(), 200);
    assert_eq!(
        settings.json::<serde_json::Value>().await.expect("json"),
        json!({"api_access": false, "seed_users": 100})
    );
}

#[tokio::test]
async fn every_route_with_api_access_off_is_djangos_404() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    patch_settings(&app, json!({"API_ACCESS": false})).await;
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
}

#[tokio::test]
async fn list_employees_with_api_access_back_on_is_200() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    patch_settings(&app, json!({"API_ACCESS": false})).await;
    patch_settings(&app, json!({"api_access": true})).await;
    assert_eq!(app.send(Method::GET, &co("/api/employees/"), Some(&admin), None).await.status(), 200);
}

const BAD_PATCHES: [&str; 3] = [r#"{"api_access": "no"}"#, r#"{"unknown": true}"#, "[1]"];

#[tokio::test]
async fn patch_settings_with_bad_values_is_400() {
    let app = spawn_app().await;
    for patch in BAD_PATCHES {
        let response = patch_settings(&app, serde_json::from_str(patch).expect("JSON")).await;
        assert_eq!(response.status(), 400, "{patch}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "bad_request");
    }
}

#[tokio::test]
async fn patch_settings_with_bad_values_changes_nothing() {
    let app = spawn_app().await;
    for patch in BAD_PATCHES {
        patch_settings(&app, serde_json::from_str(patch).expect("JSON")).await;
    }
    let settings = app.get_json("/__admin/vendors/chiefonboarding/settings", None, 200).await;
    assert_eq!(settings, json!({"api_access": true, "seed_users": 100}));
}

/// A server with a 64-byte body limit, sent a create-user body past it; the answer.
async fn create_past_the_body_limit() -> (TestApp, reqwest::Response) {
    let app = spawn_with(Settings { body_limit: 64, ..Settings::default() }).await;
    let response = post_raw(&app, "/api/users/", Some("application/json"), r#"{"first_name": "A very long name that goes past the limit", "last_name": "x", "email": "a@acme.test", "role": 3}"#).await;
    (app, response)
}

#[tokio::test]
async fn create_user_over_the_body_limit_is_413_in_drf_shape() {
    let (_app, response) = create_past_the_body_limit().await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await);
}

#[tokio::test]
async fn create_user_over_the_body_limit_creates_nothing() {
    let (app, _) = create_past_the_body_limit().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let employees = app.get_json(&co("/api/employees/"), Some(&admin), 200).await;
    assert_eq!(employees.as_array().map(Vec::len), Some(100));
}
