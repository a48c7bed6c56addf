//! Organization tokens, administration tokens (API keys), roles and organization isolation.

use super::{call, dir, ids, send};
use crate::helpers::{TestApp, exchange, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};

/// The organization's JWT secret and the owner's claims (expiring in 2100).
async fn owner_claims(app: &TestApp) -> (String, Value) {
    let state = app.get_json("/__admin/vendors/directory/state", None, 200).await;
    let secret = state["jwt_secret"].as_str().expect("secret").to_owned();
    let owner = app.get_json("/__admin/credentials", None, 200).await["directory"]["owner"].clone();
    (secret, json!({"sub": owner["account_id"], "org": owner["organization_id"], "exp": 4_102_444_800_i64}))
}

fn sign(claims: &Value, key: &str) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key.as_bytes()))
        .expect("signs")
}

#[tokio::test]
async fn list_employees_with_a_bad_token_is_401() {
    let app = spawn_app().await;
    let (secret, claims) = owner_claims(&app).await;
    let none =
        format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut expired = claims.clone();
    expired["exp"] = json!(1);
    for auth in [
        String::new(),
        "Basic abc".to_owned(),
        "Bearer not-a-token".to_owned(),
        format!("Bearer {}", sign(&claims, "wrong-secret")),
        format!("Bearer {none}"),
        format!("Bearer {}", sign(&expired, &secret)),
    ] {
        let (status, body) = send(&app, Method::GET, "/api/v1/employee", &auth, None).await;
        assert_eq!(status, 401, "{auth:?}: {body}");
    }
}

#[tokio::test]
async fn list_employees_with_a_token_signed_by_the_secret_is_200() {
    let app = spawn_app().await;
    let (secret, claims) = owner_claims(&app).await;
    assert_eq!(
        send(&app, Method::GET, "/api/v1/employee", &format!("Bearer {}", sign(&claims, &secret)), None).await.0,
        200
    );
}

/// A token minted for kim.nguyen that expires in 60 s; its `Authorization` value.
async fn minted_token(app: &TestApp) -> String {
    let minted = app
        .admin_post(
            "/__admin/vendors/directory/tokens",
            json!({"account": "kim.nguyen@acme.test", "expires_in": 60}),
            200,
        )
        .await;
    minted["authorization"].as_str().expect("authorization").to_owned()
}

#[tokio::test]
async fn list_groups_with_a_minted_token_is_200() {
    let app = spawn_app().await;
    let auth = minted_token(&app).await;
    assert_eq!(send(&app, Method::GET, "/api/v1/group", &auth, None).await.0, 200);
}

#[tokio::test]
async fn list_groups_with_a_minted_token_past_its_expiry_is_401() {
    let app = spawn_app().await;
    let auth = minted_token(&app).await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 61}), 200).await;
    let response = app.send(Method::GET, &dir("/api/v1/group"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await, {".body.timestamp" => "[now]"});
}

#[tokio::test]
async fn list_employees_as_employee_is_200() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::GET, "/api/v1/employee", "employee", None).await.0, 200);
}

#[tokio::test]
async fn admin_operations_as_employee_are_403() {
    let app = spawn_app().await;
    for (method, path, body) in [
        (Method::POST, "/api/v1/employee", json!({"name": "X", "email": "x@acme.test"})),
        (Method::POST, "/api/v1/group", json!({"name": "X", "type": "TEAM"})),
        (Method::POST, "/api/v1/organization/keys", json!({"name": "k"})),
        (Method::PATCH, "/api/v1/organization", json!({"name": "X"})),
        (Method::POST, "/api/v1/account", json!({"email": "x@acme.test"})),
    ] {
        let (status, body) = call(&app, method, path, "employee", Some(body)).await;
        assert_eq!((status, body["message"].clone()), (403, json!("insufficient permissions")), "{path}");
    }
}

/// The first employee, group, account and organization id of Acme, as its owner lists them.
async fn acme_ids(app: &TestApp) -> [String; 4] {
    let mut found = Vec::new();
    for list in ["employee", "group", "account", "organization"] {
        let (_, body) = call(app, Method::GET, &format!("/api/v1/{list}"), "owner", None).await;
        found.push(ids(&body)[0].clone());
    }
    found.try_into().expect("four ids")
}

#[tokio::test]
async fn another_organizations_ids_are_404_for_every_resource_kind() {
    let app = spawn_app().await;
    let [employee, group, account, org] = acme_ids(&app).await;
    let paths = [
        format!("/api/v1/employee/{employee}"),
        format!("/api/v1/employee/{employee}/profile"),
        format!("/api/v1/employee/{employee}/managers"),
        format!("/api/v1/employee/by-manager/{employee}"),
        format!("/api/v1/group/{group}"),
        format!("/api/v1/group/{group}/profile"),
        format!("/api/v1/group/{group}/members"),
        format!("/api/v1/entity/{employee}/groups"),
        format!("/api/v1/account/{account}"),
        "/api/v1/account/dana.lee@acme.test".to_owned(),
        format!("/api/v1/organization/{org}"),
        format!("/api/v1/organization/{org}/profile"),
        "/api/v1/organization/alias/acme".to_owned(),
    ];
    for path in paths {
        let (status, body) = call(&app, Method::GET, &path, "other_org_owner", None).await;
        assert_eq!((status, body["message"].clone()), (404, json!("no Entity with that ID")), "{path}");
    }
}

#[tokio::test]
async fn lookup_by_app_id_never_shows_another_organization() {
    let app = spawn_app().await;
    let (_, lookups) =
        call(&app, Method::GET, "/api/v1/organization/by-app-id/slack/T01ABCD", "other_org_owner", None).await;
    assert_eq!(lookups, json!([]), "lookups never show another organization");
}

#[tokio::test]
async fn update_employee_of_another_organization_is_404() {
    let app = spawn_app().await;
    let [employee, ..] = acme_ids(&app).await;
    let (status, _) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/employee/{employee}"),
        "other_org_owner",
        Some(json!({"name": "X", "email": "x@x.test"})),
    )
    .await;
    assert_eq!(status, 404);
}

/// An API key limited to EMPLOYEE, made by the admin key: the 201's status and body.
async fn create_employee_key(app: &TestApp) -> (u16, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/organization/keys",
        "admin_key",
        Some(json!({"name": "hris-sync", "limitToRole": "EMPLOYEE"})),
    )
    .await
}

/// The `Authorization` value of a new EMPLOYEE-limited key, and the key.
async fn employee_key(app: &TestApp) -> (String, Value) {
    let (_, key) = create_employee_key(app).await;
    (format!("Bearer {}", key["secretBase64"].as_str().expect("the secret, once")), key)
}

async fn delete_key(app: &TestApp, key: &Value) -> (u16, Value) {
    let key_id = key["id"].as_str().expect("id");
    call(app, Method::DELETE, &format!("/api/v1/organization/keys/{key_id}"), "owner", None).await
}

#[tokio::test]
async fn create_api_key_is_201_showing_its_secret() {
    let app = spawn_app().await;
    let (status, key) = create_employee_key(&app).await;
    assert_eq!(status, 201);
    assert!(key["secretBase64"].as_str().is_some(), "the secret, once: {key}");
}

#[tokio::test]
async fn list_employees_with_an_employee_limited_key_is_200() {
    let app = spawn_app().await;
    let (auth, _) = employee_key(&app).await;
    assert_eq!(send(&app, Method::GET, "/api/v1/employee", &auth, None).await.0, 200);
}

#[tokio::test]
async fn create_group_with_an_employee_limited_key_is_403() {
    let app = spawn_app().await;
    let (auth, _) = employee_key(&app).await;
    assert_eq!(
        send(&app, Method::POST, "/api/v1/group", &auth, Some(json!({"name": "X", "type": "TEAM"}))).await.0,
        403
    );
}

#[tokio::test]
async fn list_organizations_never_shows_a_key_secret_again() {
    let app = spawn_app().await;
    let (_, key) = employee_key(&app).await;
    let (_, org) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    let listed =
        org[0]["keys"].as_array().expect("keys").iter().find(|k| k["id"] == key["id"]).cloned().expect("listed");
    assert!(listed.get("secretBase64").is_none(), "the secret is never shown again");
}

#[tokio::test]
async fn delete_api_key_answers_the_key() {
    let app = spawn_app().await;
    let (_, key) = employee_key(&app).await;
    let (status, deleted) = delete_key(&app, &key).await;
    assert_eq!((status, deleted["name"].clone()), (200, json!("hris-sync")));
}

#[tokio::test]
async fn list_employees_with_a_deleted_key_is_401() {
    let app = spawn_app().await;
    let (auth, key) = employee_key(&app).await;
    delete_key(&app, &key).await;
    assert_eq!(send(&app, Method::GET, "/api/v1/employee", &auth, None).await.0, 401, "revoked");
}

#[tokio::test]
async fn create_api_key_by_organization_id_is_201() {
    let app = spawn_app().await;
    let (_, org) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    let org_id = org[0]["id"].as_str().expect("org id");
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/organization/{org_id}/keys"),
        "owner",
        Some(json!({"name": "by-id"})),
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn delete_api_key_twice_is_404() {
    let app = spawn_app().await;
    let (_, key) = employee_key(&app).await;
    delete_key(&app, &key).await;
    assert_eq!(delete_key(&app, &key).await.0, 404);
}
