//! Organization tokens, administration tokens (API keys), roles and organization isolation.

use super::{call, dir, ids, send};
use crate::helpers::{exchange, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn bad_tokens_are_401_and_the_admin_route_mints_expiring_ones() {
    let app = spawn_app().await;
    let state = app.get_json("/__admin/vendors/directory/state", None, 200).await;
    let secret = state["jwt_secret"].as_str().expect("secret").to_owned();
    let owner = app.get_json("/__admin/credentials", None, 200).await["directory"]["owner"].clone();
    let sign = |claims: Value, key: &str| {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(key.as_bytes()))
            .expect("signs")
    };
    let claims = json!({"sub": owner["account_id"], "org": owner["organization_id"], "exp": 4_102_444_800_i64});
    let none =
        format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let expired = json!({"sub": owner["account_id"], "org": owner["organization_id"], "exp": 1});
    for auth in [
        String::new(),
        "Basic abc".to_owned(),
        "Bearer not-a-token".to_owned(),
        format!("Bearer {}", sign(claims.clone(), "wrong-secret")),
        format!("Bearer {none}"),
        format!("Bearer {}", sign(expired, &secret)),
    ] {
        let (status, body) = send(&app, Method::GET, "/api/v1/employee", &auth, None).await;
        assert_eq!(status, 401, "{auth:?}: {body}");
    }
    assert_eq!(
        send(&app, Method::GET, "/api/v1/employee", &format!("Bearer {}", sign(claims, &secret)), None).await.0,
        200
    );
    let minted = app
        .admin_post(
            "/__admin/vendors/directory/tokens",
            json!({"account": "kim.nguyen@acme.test", "expires_in": 60}),
            200,
        )
        .await;
    let auth = minted["authorization"].as_str().expect("authorization").to_owned();
    assert_eq!(send(&app, Method::GET, "/api/v1/group", &auth, None).await.0, 200);
    app.admin_post("/__admin/clock", json!({"advance_seconds": 61}), 200).await;
    let response = app.send(Method::GET, &dir("/api/v1/group"), Some(&auth), None).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await, {".body.timestamp" => "[now]"});
}

#[tokio::test]
async fn an_employee_token_reads_but_gets_403_on_admin_operations() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::GET, "/api/v1/employee", "employee", None).await.0, 200);
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

#[tokio::test]
async fn another_organizations_ids_are_404_for_every_resource_kind() {
    let app = spawn_app().await;
    let (_, acme_employees) = call(&app, Method::GET, "/api/v1/employee", "owner", None).await;
    let (_, acme_groups) = call(&app, Method::GET, "/api/v1/group", "owner", None).await;
    let (_, acme_accounts) = call(&app, Method::GET, "/api/v1/account", "owner", None).await;
    let (_, acme_orgs) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    let (employee, group, account, org) =
        (&ids(&acme_employees)[0], &ids(&acme_groups)[0], &ids(&acme_accounts)[0], &ids(&acme_orgs)[0]);
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
    let (_, lookups) =
        call(&app, Method::GET, "/api/v1/organization/by-app-id/slack/T01ABCD", "other_org_owner", None).await;
    assert_eq!(lookups, json!([]), "lookups never show another organization");
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

#[tokio::test]
async fn api_keys_are_real_credentials_capped_by_their_role_and_revoked_on_delete() {
    let app = spawn_app().await;
    let (status, key) = call(
        &app,
        Method::POST,
        "/api/v1/organization/keys",
        "admin_key",
        Some(json!({"name": "hris-sync", "limitToRole": "EMPLOYEE"})),
    )
    .await;
    assert_eq!(status, 201);
    let secret = key["secretBase64"].as_str().expect("the secret, once").to_owned();
    let auth = format!("Bearer {secret}");
    assert_eq!(send(&app, Method::GET, "/api/v1/employee", &auth, None).await.0, 200);
    assert_eq!(
        send(&app, Method::POST, "/api/v1/group", &auth, Some(json!({"name": "X", "type": "TEAM"}))).await.0,
        403
    );
    let (_, org) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    let listed =
        org[0]["keys"].as_array().expect("keys").iter().find(|k| k["id"] == key["id"]).cloned().expect("listed");
    assert!(listed.get("secretBase64").is_none(), "the secret is never shown again");
    let key_id = key["id"].as_str().expect("id");
    let (status, deleted) =
        call(&app, Method::DELETE, &format!("/api/v1/organization/keys/{key_id}"), "owner", None).await;
    assert_eq!((status, deleted["name"].clone()), (200, json!("hris-sync")));
    assert_eq!(send(&app, Method::GET, "/api/v1/employee", &auth, None).await.0, 401, "revoked");
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
    let (status, _) = call(&app, Method::DELETE, &format!("/api/v1/organization/keys/{key_id}"), "owner", None).await;
    assert_eq!(status, 404);
}
