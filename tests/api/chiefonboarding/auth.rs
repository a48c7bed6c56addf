//! TokenAuthentication and AdminPermission, message for message.

use super::co;
use crate::helpers::{TestApp, exchange, spawn_app};
use reqwest::Method;
use reqwest::header::HeaderValue;
use serde_json::json;

const HEADERS: &[&str] = &["content-type", "www-authenticate", "allow"];

#[tokio::test]
async fn list_employees_without_credentials_is_401_with_www_authenticate() {
    let app = spawn_app().await;
    let response = app.send(Method::GET, &co("/api/employees/"), None, None).await;
    insta::assert_json_snapshot!(exchange(response, HEADERS).await);
}

#[tokio::test]
async fn list_employees_rejects_each_malformed_authorization_header() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let key = admin.trim_start_matches("Token ");
    let cases = [
        ("".to_owned(), "Authentication credentials were not provided."),
        (format!("Bearer {key}"), "Authentication credentials were not provided."),
        ("Token".to_owned(), "Invalid token header. No credentials provided."),
        ("Token a b".to_owned(), "Invalid token header. Token string should not contain spaces."),
        ("Token 0000000000000000000000000000000000000000".to_owned(), "Invalid token."),
        (format!("Token {}", key.to_uppercase()), "Invalid token."),
    ];
    for (header, detail) in cases {
        let response = app.send(Method::GET, &co("/api/employees/"), Some(&header), None).await;
        assert_eq!(response.status(), 401, "{header:?}");
        assert_eq!(response.headers()["www-authenticate"], "Token");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body, json!({"detail": detail}), "{header:?}");
    }
}

#[tokio::test]
async fn list_employees_rejects_a_key_with_invalid_utf8() {
    let app = spawn_app().await;
    let header = HeaderValue::from_bytes(b"Token \xff\xfe").expect("obs-text is a legal header byte");
    let response =
        app.client.get(app.url(&co("/api/employees/"))).header("Authorization", header).send().await.expect("answered");
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["detail"], "Invalid token header. Token string should not contain invalid characters.");
}

#[tokio::test]
async fn list_employees_with_a_loosely_written_token_keyword_is_200() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let key = admin.trim_start_matches("Token ");
    for header in [format!("token {key}"), format!("Token  {key}"), format!("TOKEN\t{key}")] {
        let response = app.send(Method::GET, &co("/api/employees/"), Some(&header), None).await;
        assert_eq!(response.status(), 200, "{header:?}");
    }
}

#[tokio::test]
async fn list_employees_with_inactive_users_token_is_401() {
    let app = spawn_app().await;
    let inactive = app.auth("chiefonboarding", "inactive").await;
    let response = app.send(Method::GET, &co("/api/employees/"), Some(&inactive), None).await;
    insta::assert_json_snapshot!(exchange(response, HEADERS).await);
}

/// Every route, as `identity`, answers DRF's 403.
async fn assert_every_route_is_403(app: &TestApp, identity: &str) {
    let auth = app.auth("chiefonboarding", identity).await;
    for (method, path) in [
        (Method::GET, "/api/employees/"),
        (Method::GET, "/api/sequences/"),
        (Method::POST, "/api/users/"),
        (Method::POST, "/api/offboarding/"),
    ] {
        let response = app.send(method.clone(), &co(path), Some(&auth), Some(json!({}))).await;
        assert_eq!(response.status(), 403, "{identity} {method} {path}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body, json!({"detail": "You do not have permission to perform this action."}));
    }
}

#[tokio::test]
async fn every_route_with_a_manager_token_is_403() {
    let app = spawn_app().await;
    assert_every_route_is_403(&app, "manager").await;
}

#[tokio::test]
async fn every_route_with_a_new_hire_token_is_403() {
    let app = spawn_app().await;
    assert_every_route_is_403(&app, "new_hire").await;
}

#[tokio::test]
async fn manager_sending_malformed_json_gets_403_before_parsing() {
    let app = spawn_app().await;
    let manager = app.auth("chiefonboarding", "manager").await;
    let response = app
        .client
        .post(app.url(&co("/api/users/")))
        .header("Authorization", manager)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 403);
}

const TOKENS: &str = "/__admin/vendors/chiefonboarding/tokens";

#[tokio::test]
async fn mint_token_twice_returns_the_same_key_like_drf_create_token() {
    let app = spawn_app().await;
    let minted = app.admin_post(TOKENS, json!({"user_id": 5}), 200).await;
    let again = app.admin_post(TOKENS, json!({"user_id": 5}), 200).await;
    assert_eq!(minted["token"], again["token"], "drf_create_token returns the existing key");
}

#[tokio::test]
async fn mint_token_is_a_40_character_lowercase_hex_key() {
    let app = spawn_app().await;
    let minted = app.admin_post(TOKENS, json!({"user_id": 5}), 200).await;
    let key = minted["token"].as_str().expect("token");
    assert_eq!(key.len(), 40);
    assert!(key.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
}

#[tokio::test]
async fn list_employees_with_a_minted_token_is_judged_by_the_users_role() {
    let app = spawn_app().await;
    let minted = app.admin_post(TOKENS, json!({"user_id": 5}), 200).await;
    let status = app
        .send(Method::GET, &co("/api/employees/"), Some(minted["authorization"].as_str().expect("auth")), None)
        .await
        .status();
    let expected = if minted["role"] == 1 { 200 } else { 403 };
    assert_eq!(status, expected);
}

#[tokio::test]
async fn mint_token_by_email_with_rotate_replaces_the_key_in_credentials() {
    let app = spawn_app().await;
    let promoted = app.admin_post(TOKENS, json!({"email": "ADA.ADMIN@acme.test", "rotate": true}), 200).await;
    assert_eq!(promoted["user_id"], 1);
    let old_admin = app.auth("chiefonboarding", "admin").await;
    assert_eq!(old_admin, promoted["authorization"], "credentials show the rotated key");
}

#[tokio::test]
async fn mint_token_for_an_unknown_email_is_404() {
    let app = spawn_app().await;
    app.admin_post(TOKENS, json!({"email": "nobody@acme.test"}), 404).await;
}

#[tokio::test]
async fn mint_token_without_a_user_is_400() {
    let app = spawn_app().await;
    app.admin_post(TOKENS, json!({}), 400).await;
}
