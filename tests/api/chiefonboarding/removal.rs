//! Two things the real server does that the first cut did not: multipart bodies parsed like
//! form bodies, and removing a user revoking its token.

use super::{co, post_raw};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// A multipart create like the recorded one (with a file part); the answer.
async fn create_from_multipart(app: &TestApp) -> reqwest::Response {
    let field = |name: &str, value: &str| {
        format!("--B0undary\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let body: String = [
        field("first_name", "Multi"),
        field("last_name", "Part"),
        field("email", "multi.part@acme.test"),
        field("role", "0"),
        field("sequences", "3"),
        "--B0undary\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}PNG\r\n".to_owned(),
        "--B0undary--\r\n".to_owned(),
    ]
    .concat();
    post_raw(app, "/api/users/", Some("multipart/form-data; boundary=B0undary"), body).await
}

#[tokio::test]
async fn create_user_from_multipart_is_201_like_the_recorded_one() {
    let app = spawn_app().await;
    let response = create_from_multipart(&app).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.expect("JSON");
    assert_eq!(
        (created["first_name"].clone(), created["email"].clone()),
        (json!("Multi"), json!("multi.part@acme.test"))
    );
}

#[tokio::test]
async fn create_user_from_multipart_stores_its_sequences() {
    let app = spawn_app().await;
    create_from_multipart(&app).await;
    let state = app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await;
    let stored =
        state["users"].as_array().expect("users").iter().find(|u| u["email"] == "multi.part@acme.test").cloned();
    assert_eq!(stored.expect("stored")["sequences"], json!([3]));
}

#[tokio::test]
async fn create_user_from_multipart_without_a_boundary_is_400() {
    let app = spawn_app().await;
    let no_boundary = post_raw(&app, "/api/users/", Some("multipart/form-data"), "x").await;
    assert_eq!(no_boundary.status(), 400);
    assert_eq!(
        no_boundary.json::<Value>().await.expect("JSON"),
        json!({"detail": "Multipart form parse error - Invalid boundary in multipart: None"})
    );
}

const REMOVE_USER: &str = "/__admin/vendors/chiefonboarding/remove_user";

/// Removes the seeded manager: the credentials before, and the answer.
async fn remove_manager(app: &TestApp) -> (Value, Value) {
    let creds = app.get_json("/__admin/credentials", None, 200).await["chiefonboarding"].clone();
    let removed = app.admin_post(REMOVE_USER, json!({"user_id": creds["manager"]["user_id"]}), 200).await;
    (creds, removed)
}

#[tokio::test]
async fn remove_user_answers_the_removed_user() {
    let app = spawn_app().await;
    let (creds, removed) = remove_manager(&app).await;
    assert_eq!(removed["removed"]["email"], creds["manager"]["email"]);
}

#[tokio::test]
async fn list_employees_with_a_removed_users_token_is_401() {
    let app = spawn_app().await;
    let (creds, _) = remove_manager(&app).await;
    let auth = creds["manager"]["authorization"].as_str().expect("auth");
    let refused = app.send(Method::GET, &co("/api/employees/"), Some(auth), None).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.json::<Value>().await.expect("JSON"), json!({"detail": "Invalid token."}));
}

#[tokio::test]
async fn list_employees_after_remove_user_omits_the_user() {
    let app = spawn_app().await;
    let (creds, _) = remove_manager(&app).await;
    let list = app.get_json(&co("/api/employees/"), creds["admin"]["authorization"].as_str(), 200).await;
    let gone = creds["manager"]["user_id"].clone();
    assert!(list.as_array().expect("list").iter().all(|u| u["id"] != gone), "gone from the list");
}

#[tokio::test]
async fn credentials_after_remove_user_omit_the_identity() {
    let app = spawn_app().await;
    remove_manager(&app).await;
    assert!(app.get_json("/__admin/credentials", None, 200).await["chiefonboarding"].get("manager").is_none());
}

#[tokio::test]
async fn remove_user_twice_is_404() {
    let app = spawn_app().await;
    let (creds, _) = remove_manager(&app).await;
    app.admin_post(REMOVE_USER, json!({"user_id": creds["manager"]["user_id"]}), 404).await;
}

#[tokio::test]
async fn remove_user_without_an_id_is_400() {
    let app = spawn_app().await;
    app.admin_post(REMOVE_USER, json!({}), 400).await;
}
