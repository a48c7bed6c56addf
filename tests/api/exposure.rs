//! The admin API stays local in every configuration: `--admin-hosts '*'` opens it to any
//! `Host`, never to any web page (`Origin`), and a browser's write must say it sends JSON.

use crate::helpers::{TestApp, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::{Value, json};

async fn any_host() -> TestApp {
    spawn_with(Settings { admin_hosts: vec!["*".into()], ..Settings::default() }).await
}

async fn refusal(app: &TestApp, request: reqwest::RequestBuilder) -> (u16, String) {
    let response = app.execute(request).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("admin json");
    (status, body["error"]["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn admin_reads_from_another_sites_page_are_refused_under_any_host() {
    let app = any_host().await;
    let request = app
        .request(Method::GET, "/__admin/credentials")
        .header("Host", "rebound.example:8080")
        .header("Origin", "https://evil.example");
    assert_eq!(refusal(&app, request).await, (403, "forbidden_origin".to_owned()));
}

#[tokio::test]
async fn admin_writes_from_another_sites_page_are_refused_under_any_host() {
    let app = any_host().await;
    let before = app.get_json("/__admin/sandboxes", None, 200).await;
    for (path, body) in [("/__admin/sandboxes", json!({"name": "planted"})), ("/__admin/reset", json!({"seed": 1}))] {
        let request = app.request(Method::POST, path).header("Origin", "https://evil.example").json(&body);
        assert_eq!(refusal(&app, request).await, (403, "forbidden_origin".to_owned()), "{path}");
    }
    let untyped = app.request(Method::POST, "/__admin/sandboxes").header("Origin", "null").body(r#"{"name":"x"}"#);
    assert_eq!(
        refusal(&app, untyped).await,
        (403, "forbidden_origin".to_owned()),
        "an opaque origin is no page of ours"
    );
    assert_eq!(app.get_json("/__admin/sandboxes", None, 200).await, before, "nothing was created");
}

#[tokio::test]
async fn admin_writes_from_the_servers_own_page_are_answered_under_any_host() {
    let app = any_host().await;
    let request = app
        .request(Method::POST, "/__admin/sandboxes")
        .header("Host", "sandbox.example:8080")
        .header("Origin", "http://sandbox.example:8080")
        .json(&json!({"name": "from-the-console"}));
    assert_eq!(app.execute(request).await.status(), 201);
}

#[tokio::test]
async fn admin_writes_from_a_listed_hosts_page_are_answered() {
    let app = spawn_with(Settings { admin_hosts: vec!["sandbox.internal".into()], ..Settings::default() }).await;
    let request = app
        .request(Method::POST, "/__admin/reset")
        .header("Host", "127.0.0.1")
        .header("Origin", "https://sandbox.internal")
        .json(&json!({}));
    assert_eq!(app.execute(request).await.status(), 200);
}

#[tokio::test]
async fn admin_write_from_an_origin_without_a_type_is_415() {
    let app = any_host().await;
    let before = app.get_json("/__admin/sandboxes", None, 200).await;
    // What `fetch(url, {method: 'POST', mode: 'no-cors', body: new Blob([...])})` sends.
    let request = app
        .request(Method::POST, "/__admin/sandboxes")
        .header("Origin", "http://localhost:8080")
        .body(r#"{"name":"blob"}"#);
    assert_eq!(refusal(&app, request).await, (415, "unsupported_media_type".to_owned()));
    assert_eq!(app.get_json("/__admin/sandboxes", None, 200).await, before, "nothing was created");
}

#[tokio::test]
async fn admin_write_without_origin_or_type_is_answered_as_a_tools() {
    let app = any_host().await;
    let request = app.request(Method::POST, "/__admin/reset").header("Host", "sandbox.example");
    assert_eq!(app.execute(request).await.status(), 200, "curl -X POST .../reset");
}
