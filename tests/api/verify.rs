//! Assertions over the journal through HTTP: find, verify with near misses ordered by
//! closeness, unmatched calls, eviction, and bad matchers.

use crate::helpers::{TestApp, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::{Value, json};

async fn traffic(app: &TestApp) {
    let auth = app.auth("chiefonboarding", "admin").await;
    for path in
        ["/chiefonboarding/api/employees/", "/chiefonboarding/api/employees/", "/chiefonboarding/api/sequences/"]
    {
        let request = app.request(Method::GET, path).header("Authorization", &auth).header("X-Test", "b");
        assert_eq!(app.execute(request).await.status(), 200);
    }
    let user = json!({"first_name": "Ana", "last_name": "Test", "email": "ana@example.test", "role": 1});
    app.send(Method::POST, "/chiefonboarding/api/users/", Some(&auth), Some(user)).await;
    app.send(Method::GET, "/chiefonboarding/api/employee/", Some(&auth), None).await;
    app.send(Method::DELETE, "/chiefonboarding/api/employees/", Some(&auth), None).await;
    app.send(Method::DELETE, "/chiefonboarding/api/employees/", Some(&auth), None).await;
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let response = app.send(Method::POST, path, None, Some(body)).await;
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

/// `POST /__admin/requests/find` with `matcher` after the test traffic: status and answer.
async fn find_after_traffic(matcher: Value) -> (u16, Value) {
    let app = spawn_app().await;
    traffic(&app).await;
    post(&app, "/__admin/requests/find", matcher).await
}

const EMPLOYEES_NEWEST: &str =
    r#"{"vendor": "chiefonboarding", "method": "GET", "path": "/api/employees/", "limit": 1}"#;

#[tokio::test]
async fn find_counts_every_match() {
    let (status, found) = find_after_traffic(serde_json::from_str(EMPLOYEES_NEWEST).expect("JSON")).await;
    assert_eq!((status, found["count"].clone()), (200, json!(2)));
}

#[tokio::test]
async fn find_limit_keeps_the_newest_requests() {
    let (_, found) = find_after_traffic(serde_json::from_str(EMPLOYEES_NEWEST).expect("JSON")).await;
    assert_eq!(found["requests"].as_array().map(Vec::len), Some(1), "limit keeps the newest");
}

#[tokio::test]
async fn find_matches_by_status_in_one_direction() {
    let (_, by_status) = find_after_traffic(json!({"status": 405, "direction": "inbound"})).await;
    assert_eq!(by_status["count"], 2);
}

#[tokio::test]
async fn find_matches_any_header_the_client_sent() {
    let (_, by_header) = find_after_traffic(json!({"headers": {"X-Test": "b"}})).await;
    assert_eq!(by_header["count"], 3, "any header the client sent is journaled");
}

#[tokio::test]
async fn find_matches_by_body_text() {
    let (_, by_body) = find_after_traffic(json!({"body_contains": "@example.test"})).await;
    assert_eq!(by_body["requests"][0]["path"], "/api/users/");
}

#[tokio::test]
async fn verify_passes_or_fails_with_near_misses_closest_first() {
    let app = spawn_app().await;
    traffic(&app).await;
    let holds = json!({"vendor": "chiefonboarding", "method": "GET", "path": "/api/employees/", "count": 2});
    assert_eq!(post(&app, "/__admin/requests/verify", holds).await, (200, json!({"ok": true, "count": 2})));
    let range = json!({"path": "/api/**", "at_least": 5, "at_most": 7});
    assert_eq!(post(&app, "/__admin/requests/verify", range).await.0, 200);

    let typo = json!({"vendor": "chiefonboarding", "method": "GET", "path": "/api/employes/", "headers": {"X-Test": "b"}, "count": 1});
    let (status, failed) = post(&app, "/__admin/requests/verify", typo).await;
    assert_eq!(status, 422, "{failed}");
    assert_eq!(
        (failed["ok"].clone(), failed["count"].clone(), failed["expected"].clone()),
        (json!(false), json!(0), json!({"count": 1}))
    );
    let misses = failed["near_misses"].as_array().expect("near misses");
    assert_eq!(misses.len(), 3);
    assert_eq!(misses[0]["request"]["path"], "/api/employees/", "one field off, the closest path, newest first");
    assert_eq!(
        misses[0]["mismatches"],
        json!([{"field": "path", "expected": "/api/employes/", "actual": "/api/employees/"}])
    );
    assert_eq!(misses[0]["request"]["seq"], 2);
    assert_eq!(misses[1]["request"]["seq"], 1);
    assert_eq!(misses[2]["request"]["path"], "/api/sequences/");

    let body = json!({"path": "/api/users/", "body_contains": "bob@", "headers": {"X-Missing": "x"}, "count": 1});
    let (_, failed) = post(&app, "/__admin/requests/verify", body).await;
    let fields: Vec<Value> =
        failed["near_misses"][0]["mismatches"].as_array().expect("list").iter().map(|m| m["field"].clone()).collect();
    assert_eq!(fields, vec![json!("headers.x-missing"), json!("body_contains")]);
    assert_eq!(failed["near_misses"][0]["mismatches"][0]["actual"], Value::Null, "a missing header is null");
    let too_many = json!({"method": "DELETE", "at_most": 1});
    assert_eq!(post(&app, "/__admin/requests/verify", too_many).await.1["count"], 2);
}

#[tokio::test]
async fn unmatched_groups_what_no_operation_answered() {
    let app = spawn_app().await;
    traffic(&app).await;
    let unmatched = app.get_json("/__admin/requests/unmatched", None, 200).await;
    let groups: Vec<(Value, Value, Value)> = unmatched["unmatched"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| (g["method"].clone(), g["path"].clone(), g["count"].clone()))
        .collect();
    assert_eq!(
        groups,
        vec![(json!("DELETE"), json!("/api/employees/"), json!(2)), (json!("GET"), json!("/api/employee/"), json!(1))]
    );
    assert!(unmatched["unmatched"][0]["last_seen"].as_str().is_some());
}

#[tokio::test]
async fn verification_says_how_many_entries_were_evicted() {
    let app = spawn_with(Settings { journal_limit: 3, ..Settings::default() }).await;
    traffic(&app).await;
    let (status, answer) = post(&app, "/__admin/requests/verify", json!({"method": "GET", "at_least": 1})).await;
    assert_eq!((status, answer["evicted"].clone()), (200, json!(4)));
    assert_eq!(
        app.get_json("/__admin/requests/unmatched", None, 200).await["unmatched"].as_array().map(Vec::len),
        Some(2),
        "kept past eviction"
    );
}

#[tokio::test]
async fn bad_matchers_are_400() {
    let app = spawn_app().await;
    for body in [
        json!({"vendor": "nope", "count": 1}),
        json!({"path": "no-slash", "count": 1}),
        json!({"count": -1}),
        json!({"at_least": "2"}),
        json!({"count": 1, "at_most": 2}),
        json!({"method": "GET"}),
        json!({"unknown": 1, "count": 1}),
        json!({"status": 1000, "count": 1}),
        json!({"direction": "sideways", "count": 1}),
        json!([1]),
    ] {
        let (status, answer) = post(&app, "/__admin/requests/verify", body.clone()).await;
        assert_eq!((status, answer["error"]["code"].clone()), (400, json!("bad_request")), "{body}");
    }
}
