//! `GET /api/employees/` and `GET /api/sequences/`.

use super::co;
use crate::helpers::{TestApp, exchange, spawn_app};
use reqwest::Method;

/// `GET /api/employees/` as the admin with queries it ignores; the exchange.
async fn list_employees_with_ignored_query(app: &TestApp) -> serde_json::Value {
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::GET, &co("/api/employees/?page=2&limit=1&search=zzz"), Some(&admin), None).await;
    exchange(response, &["content-type", "allow", "content-language"]).await
}

fn users(exchange: &serde_json::Value) -> &Vec<serde_json::Value> {
    exchange["body"].as_array().expect("bare array")
}

#[tokio::test]
async fn list_employees_returns_every_user_by_id_unpaginated() {
    let app = spawn_app().await;
    let exchange = list_employees_with_ignored_query(&app).await;
    let users = users(&exchange);
    assert_eq!(users.len(), 100, "query parameters are ignored");
    insta::assert_json_snapshot!(serde_json::json!({
        "status": exchange["status"],
        "headers": exchange["headers"],
        "first": &users[..5],
    }));
}

#[tokio::test]
async fn list_employees_is_ordered_by_id() {
    let app = spawn_app().await;
    let exchange = list_employees_with_ignored_query(&app).await;
    let ids: Vec<u64> = users(&exchange).iter().map(|u| u["id"].as_u64().expect("id")).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by id");
}

#[tokio::test]
async fn list_employees_shows_four_fields_per_user() {
    let app = spawn_app().await;
    let exchange = list_employees_with_ignored_query(&app).await;
    assert!(users(&exchange).iter().all(|u| u.as_object().is_some_and(|o| o.len() == 4)));
}

#[tokio::test]
async fn list_sequences_returns_every_kind_alike() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::GET, &co("/api/sequences/"), Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "allow"]).await);
}
