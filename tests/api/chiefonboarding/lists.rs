//! `GET /api/employees/` and `GET /api/sequences/`.

use super::co;
use crate::helpers::{exchange, spawn_app};
use reqwest::Method;

#[tokio::test]
async fn list_employees_returns_every_user_by_id_unpaginated() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::GET, &co("/api/employees/?page=2&limit=1&search=zzz"), Some(&admin), None).await;
    let exchange = exchange(response, &["content-type", "allow", "content-language"]).await;
    let users = exchange["body"].as_array().expect("bare array");
    assert_eq!(users.len(), 100, "query parameters are ignored");
    let ids: Vec<u64> = users.iter().map(|u| u["id"].as_u64().expect("id")).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by id");
    assert!(users.iter().all(|u| u.as_object().is_some_and(|o| o.len() == 4)));
    insta::assert_json_snapshot!(serde_json::json!({
        "status": exchange["status"],
        "headers": exchange["headers"],
        "first": &users[..5],
    }));
}

#[tokio::test]
async fn list_sequences_returns_onboarding_and_offboarding_alike() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::GET, &co("/api/sequences/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "allow"]).await);
}
