//! `Authorization: JWT <token>`: djangorestframework-jwt's 401 texts, the 403, both tenants.

use super::{get, ju, spawn_unthrottled};
use crate::helpers::{TestApp, exchange};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};

const HEADERS: &[&str] = &["content-type", "www-authenticate", "allow", "vary"];

#[tokio::test]
async fn list_employees_without_credentials_is_401_with_jwt_realm() {
    let app = spawn_unthrottled().await;
    let response = app.send(Method::GET, &ju("/api/company/employees/"), None, None).await;
    insta::assert_json_snapshot!(exchange(response, HEADERS).await);
}

#[tokio::test]
async fn list_employees_rejects_each_bad_token_with_its_message() {
    let app = spawn_unthrottled().await;
    let state = app.get_json("/__admin/vendors/joinup/state", None, 200).await;
    let secret = state["jwt_secret"].as_str().expect("secret").to_owned();
    let sign = |claims: Value, key: &str| {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(key.as_bytes()))
            .expect("signs")
    };
    let alg_none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(br#"{"username":"admin@grupo-acme.test","exp":4102444800}"#)
    );
    let cases = [
        (String::new(), "Authentication credentials were not provided."),
        ("Bearer abc".to_owned(), "Authentication credentials were not provided."),
        ("JWT".to_owned(), "Invalid Authorization header. No credentials provided."),
        ("JWT a b".to_owned(), "Invalid Authorization header. Credentials string should not contain spaces."),
        ("JWT not-a-token".to_owned(), "Error decoding signature."),
        (format!("JWT {}", sign(json!({"username": "admin@grupo-acme.test"}), "wrong")), "Error decoding signature."),
        (format!("JWT {alg_none}"), "Incorrect authentication credentials."),
        (format!("JWT {}", sign(json!({"user_id": 1}), &secret)), "Invalid payload."),
        (format!("JWT {}", sign(json!({"username": "ghost@nowhere.test"}), &secret)), "Invalid signature."),
        (
            format!("JWT {}", sign(json!({"username": "admin@grupo-acme.test", "exp": 1}), &secret)),
            "Signature has expired.",
        ),
    ];
    for (header, detail) in cases {
        let response = app.send(Method::GET, &ju("/api/company/employees/"), Some(&header), None).await;
        assert_eq!(response.status(), 401, "{header:?}");
        assert_eq!(response.headers()["www-authenticate"], "JWT realm=\"api\"");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body, json!({"detail": detail}), "{header:?}");
    }
}

/// A group-admin token minted to expire in 60 s; its `Authorization` value.
async fn minted_token(app: &TestApp) -> String {
    let minted = app
        .admin_post("/__admin/vendors/joinup/tokens", json!({"identity": "group_admin", "expires_in": 60}), 200)
        .await;
    minted["authorization"].as_str().expect("authorization").to_owned()
}

#[tokio::test]
async fn list_cost_centers_with_a_minted_token_is_200() {
    let app = spawn_unthrottled().await;
    let auth = minted_token(&app).await;
    assert_eq!(app.send(Method::GET, &ju("/api/company/cost-centers/"), Some(&auth), None).await.status(), 200);
}

#[tokio::test]
async fn list_cost_centers_with_a_minted_token_past_its_expiry_is_401_expired() {
    let app = spawn_unthrottled().await;
    let auth = minted_token(&app).await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 61}), 200).await;
    let response = app.send(Method::GET, &ju("/api/company/cost-centers/"), Some(&auth), None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>().await.expect("json"), json!({"detail": "Signature has expired."}));
}

#[tokio::test]
async fn every_route_is_403_for_a_user_without_permission() {
    let app = spawn_unthrottled().await;
    for path in [
        "/api/company/employees/",
        "/api/company/cost-centers/",
        "/api/company/employees/check-request/6899d4573a7e8f5ac4bc3ad3/",
        "/api/company/cost-centers/check-request/689af497d0d3c748923fcfc3/",
    ] {
        let (status, body) = get(&app, path, "no_permission").await;
        assert_eq!(
            (status, body),
            (403, json!({"detail": "You do not have permission to perform this action."})),
            "{path}"
        );
    }
}

const PLACEHOLDER: &str = "JWT beep-beep-beep-beep-beep";

#[tokio::test]
async fn list_employees_with_the_docs_placeholder_token_is_200_as_group_admin() {
    let app = spawn_unthrottled().await;
    assert_eq!(app.send(Method::GET, &ju("/api/company/employees/"), Some(PLACEHOLDER), None).await.status(), 200);
}

#[tokio::test]
async fn list_employees_with_the_docs_placeholder_switched_off_is_401_decoding_error() {
    let app = spawn_unthrottled().await;
    let patched =
        app.client.patch(app.url("/__admin/vendors/joinup/settings")).json(&json!({"docs_token": null})).send().await;
    assert_eq!(patched.expect("answered").status(), 200);
    let response = app.send(Method::GET, &ju("/api/company/employees/"), Some(PLACEHOLDER), None).await;
    assert_eq!(response.json::<Value>().await.expect("json"), json!({"detail": "Error decoding signature."}));
}

#[tokio::test]
async fn put_employees_is_drfs_405() {
    let app = spawn_unthrottled().await;
    let auth = app.auth("joinup", "group_admin").await;
    let put = app.send(Method::PUT, &ju("/api/company/employees/"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(put, HEADERS).await);
}

#[tokio::test]
async fn get_unknown_route_is_djangos_html_404() {
    let app = spawn_unthrottled().await;
    let auth = app.auth("joinup", "group_admin").await;
    let unknown = app.send(Method::GET, &ju("/api/company/vehicles/"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(unknown, &["content-type"]).await);
}

#[tokio::test]
async fn list_employees_without_trailing_slash_redirects_301_keeping_the_query() {
    let app = spawn_unthrottled().await;
    let auth = app.auth("joinup", "group_admin").await;
    let no_slash = app.send(Method::GET, &ju("/api/company/employees?page=2"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(no_slash, &["location"]).await);
}
