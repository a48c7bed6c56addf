//! `Authorization: JWT <token>`: djangorestframework-jwt's 401 texts, the 403, both tenants.

use super::{get, ju, spawn_unthrottled};
use crate::helpers::exchange;
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

#[tokio::test]
async fn a_minted_token_expires_on_the_sandbox_clock() {
    let app = spawn_unthrottled().await;
    let minted = app
        .admin_post("/__admin/vendors/joinup/tokens", json!({"identity": "group_admin", "expires_in": 60}), 200)
        .await;
    let auth = minted["authorization"].as_str().expect("authorization").to_owned();
    let path = ju("/api/company/cost-centers/");
    assert_eq!(app.send(Method::GET, &path, Some(&auth), None).await.status(), 200);
    app.admin_post("/__admin/clock", json!({"advance_seconds": 61}), 200).await;
    let response = app.send(Method::GET, &path, Some(&auth), None).await;
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

#[tokio::test]
async fn the_docs_placeholder_token_is_the_group_admin_until_switched_off() {
    let app = spawn_unthrottled().await;
    let path = ju("/api/company/employees/");
    let placeholder = "JWT beep-beep-beep-beep-beep";
    assert_eq!(app.send(Method::GET, &path, Some(placeholder), None).await.status(), 200);
    let patched =
        app.client.patch(app.url("/__admin/vendors/joinup/settings")).json(&json!({"docs_token": null})).send().await;
    assert_eq!(patched.expect("answered").status(), 200);
    let response = app.send(Method::GET, &path, Some(placeholder), None).await;
    assert_eq!(response.json::<Value>().await.expect("json"), json!({"detail": "Error decoding signature."}));
}

#[tokio::test]
async fn wrong_methods_unknown_routes_and_missing_slashes_answer_like_django() {
    let app = spawn_unthrottled().await;
    let auth = app.auth("joinup", "group_admin").await;
    let put = app.send(Method::PUT, &ju("/api/company/employees/"), Some(&auth), None).await;
    let unknown = app.send(Method::GET, &ju("/api/company/vehicles/"), Some(&auth), None).await;
    let no_slash = app.send(Method::GET, &ju("/api/company/employees?page=2"), Some(&auth), None).await;
    insta::assert_json_snapshot!([
        exchange(put, HEADERS).await,
        exchange(unknown, &["content-type"]).await,
        exchange(no_slash, &["location"]).await,
    ]);
}
