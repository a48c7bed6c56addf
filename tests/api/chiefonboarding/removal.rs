//! Two things the real server does that the first cut did not: multipart bodies parsed like
//! form bodies, and removing a user revoking its token.

use super::{co, post_raw};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_multipart_create_is_201_like_the_recorded_one() {
    let app = spawn_app().await;
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
    let response = post_raw(&app, "/api/users/", Some("multipart/form-data; boundary=B0undary"), body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.expect("JSON");
    assert_eq!(
        (created["first_name"].clone(), created["email"].clone()),
        (json!("Multi"), json!("multi.part@acme.test"))
    );
    let state = app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await;
    let stored =
        state["users"].as_array().expect("users").iter().find(|u| u["email"] == "multi.part@acme.test").cloned();
    assert_eq!(stored.expect("stored")["sequences"], json!([3]));

    let no_boundary = post_raw(&app, "/api/users/", Some("multipart/form-data"), "x").await;
    assert_eq!(no_boundary.status(), 400);
    assert_eq!(
        no_boundary.json::<Value>().await.expect("JSON"),
        json!({"detail": "Multipart form parse error - Invalid boundary in multipart: None"})
    );
}

#[tokio::test]
async fn removing_a_user_revokes_its_token_and_drops_it_from_the_employees() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await["chiefonboarding"].clone();
    let (admin, manager) = (creds["admin"].clone(), creds["manager"].clone());
    let removed = app
        .admin_post("/__admin/vendors/chiefonboarding/remove_user", json!({"user_id": manager["user_id"]}), 200)
        .await;
    assert_eq!(removed["removed"]["email"], manager["email"]);
    let employees = co("/api/employees/");
    let auth = manager["authorization"].as_str().expect("auth");
    let refused = app.send(Method::GET, &employees, Some(auth), None).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.json::<Value>().await.expect("JSON"), json!({"detail": "Invalid token."}));
    let list = app.get_json(&employees, admin["authorization"].as_str(), 200).await;
    assert!(list.as_array().expect("list").iter().all(|u| u["id"] != manager["user_id"]), "gone from the list");
    assert!(app.get_json("/__admin/credentials", None, 200).await["chiefonboarding"].get("manager").is_none());
    app.admin_post("/__admin/vendors/chiefonboarding/remove_user", json!({"user_id": manager["user_id"]}), 404).await;
    app.admin_post("/__admin/vendors/chiefonboarding/remove_user", json!({}), 400).await;
}
