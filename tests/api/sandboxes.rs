//! Named sandboxes: isolation, lifecycle, reset.

use crate::helpers::{TestApp, VENDOR_IDS, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn employees_bytes(app: &TestApp, base: &str, sandbox: Option<&str>) -> String {
    let admin = app.auth_in("chiefonboarding", "admin", sandbox).await;
    let response = app.send(Method::GET, &format!("{base}/chiefonboarding/api/employees/"), Some(&admin), None).await;
    assert_eq!(response.status(), 200);
    response.text().await.expect("body")
}

async fn create_user(app: &TestApp, base: &str, sandbox: Option<&str>, email: &str) {
    let admin = app.auth_in("chiefonboarding", "admin", sandbox).await;
    let body = json!({"first_name": "Iso", "last_name": "Lated", "email": email, "role": 3});
    let response =
        app.send(Method::POST, &format!("{base}/chiefonboarding/api/users/"), Some(&admin), Some(body)).await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn sandbox_lifecycle_create_list_get_delete() {
    let app = spawn_app().await;
    let created = app.admin_post("/__admin/sandboxes", json!({"name": "ci-42", "seed": 7}), 201).await;
    assert_eq!(
        created,
        json!({"name": "ci-42", "seed": 7, "prefixes": {
            "joinup": "/sandboxes/ci-42/joinup",
            "justworks": "/sandboxes/ci-42/justworks",
            "directory": "/sandboxes/ci-42/directory",
            "orquest": "/sandboxes/ci-42/orquest",
            "chiefonboarding": "/sandboxes/ci-42/chiefonboarding"
        }})
    );
    let list = app.get_json("/__admin/sandboxes", None, 200).await;
    let names: Vec<&str> = list.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["ci-42", "default"]);
    assert_eq!(app.get_json("/__admin/sandboxes/ci-42", None, 200).await["seed"], 7);
    app.admin_post("/__admin/sandboxes", json!({"name": "ci-42"}), 409).await;
    app.admin_post("/__admin/sandboxes", json!({"name": "no/slash"}), 400).await;
    app.admin_post("/__admin/sandboxes", json!({"seed": 1}), 400).await;
    assert_eq!(app.send(Method::DELETE, "/__admin/sandboxes/default", None, None).await.status(), 400);
    assert_eq!(app.send(Method::DELETE, "/__admin/sandboxes/ci-42", None, None).await.status(), 204);
    assert_eq!(app.send(Method::DELETE, "/__admin/sandboxes/ci-42", None, None).await.status(), 404);
    let gone = app.send(Method::GET, "/sandboxes/ci-42/chiefonboarding/api/employees/", None, None).await;
    assert_eq!(gone.status(), 404);
    let body: Value = gone.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unknown_sandbox");
    assert_eq!(app.get_json("/__admin/credentials?sandbox=ci-42", None, 404).await["error"]["code"], "unknown_sandbox");
}

#[tokio::test]
async fn a_write_in_one_sandbox_is_invisible_in_another() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "a"}), 201).await;
    let before_default = employees_bytes(&app, "", None).await;
    create_user(&app, "/sandboxes/a", Some("a"), "only.in.a@acme.test").await;
    assert_eq!(employees_bytes(&app, "", None).await, before_default);
    assert!(employees_bytes(&app, "/sandboxes/a", Some("a")).await.contains("only.in.a@acme.test"));
    let journal = app.get_json("/__admin/requests", None, 200).await;
    assert!(journal.as_array().into_iter().flatten().all(|e| e["method"] == "GET"), "journals are per sandbox");
}

#[tokio::test]
async fn create_sandbox_with_the_same_seed_has_the_same_credentials() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "twin", "seed": 42}), 201).await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    assert_eq!(app.get_json("/__admin/credentials?sandbox=twin", None, 200).await, creds);
}

#[tokio::test]
async fn create_sandbox_with_another_seed_has_other_credentials() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "other", "seed": 43}), 201).await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    assert_ne!(app.get_json("/__admin/credentials?sandbox=other", None, 200).await, creds);
}

#[tokio::test]
async fn create_sandbox_with_the_same_seed_serves_the_same_bytes() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "twin", "seed": 42}), 201).await;
    assert_eq!(employees_bytes(&app, "/sandboxes/twin", Some("twin")).await, employees_bytes(&app, "", None).await);
}

#[tokio::test]
async fn default_tokens_do_not_open_another_sandbox_with_another_seed() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "seven", "seed": 7}), 201).await;
    let default_admin = app.auth("chiefonboarding", "admin").await;
    let response =
        app.send(Method::GET, "/sandboxes/seven/chiefonboarding/api/employees/", Some(&default_admin), None).await;
    assert_eq!(response.status(), 401);
}

/// What a reset must restore, read at the start.
struct StartState {
    state: String,
    employees: String,
}

/// Reads the start state, then changes data, tokens, settings and the clock and resets: the
/// start state and the reset's answer.
async fn changed_then_reset(app: &TestApp) -> (StartState, Value) {
    let state =
        app.send(Method::GET, "/__admin/vendors/chiefonboarding/state", None, None).await.text().await.expect("body");
    let employees = employees_bytes(app, "", None).await;
    create_user(app, "", None, "temp@acme.test").await;
    app.admin_post("/__admin/vendors/chiefonboarding/tokens", json!({"user_id": 9}), 200).await;
    app.client
        .patch(app.url("/__admin/vendors/chiefonboarding/settings"))
        .json(&json!({"api_access": false}))
        .send()
        .await
        .expect("ok");
    app.admin_post("/__admin/clock", json!({"set": "2040-01-01T00:00:00Z"}), 200).await;
    let reset = app.admin_post("/__admin/reset", json!({}), 200).await;
    (StartState { state, employees }, reset)
}

#[tokio::test]
async fn reset_answers_what_it_reset() {
    let app = spawn_app().await;
    let (_, reset) = changed_then_reset(&app).await;
    assert_eq!(reset, json!({"sandbox": "default", "seed": 42, "vendors": *VENDOR_IDS}));
}

#[tokio::test]
async fn reset_restores_the_vendor_state_byte_for_byte() {
    let app = spawn_app().await;
    let (before, _) = changed_then_reset(&app).await;
    let state_after =
        app.send(Method::GET, "/__admin/vendors/chiefonboarding/state", None, None).await.text().await.expect("body");
    assert_eq!(state_after, before.state);
    assert_eq!(employees_bytes(&app, "", None).await, before.employees);
}

#[tokio::test]
async fn reset_returns_the_clock_to_real_time() {
    let app = spawn_app().await;
    changed_then_reset(&app).await;
    let clock = app.get_json("/__admin/clock", None, 200).await;
    assert!(clock["now"].as_str().is_some_and(|t| !t.starts_with("2040")), "clock back to real time");
}

#[tokio::test]
async fn reset_restarts_the_journal() {
    let app = spawn_app().await;
    changed_then_reset(&app).await;
    employees_bytes(&app, "", None).await;
    let journal = app.get_json("/__admin/requests", None, 200).await;
    assert_eq!(journal.as_array().map(Vec::len), Some(1), "journal restarted (only the read since)");
    assert_eq!(journal[0]["seq"], 1);
}

#[tokio::test]
async fn reset_refuses_an_unknown_vendor() {
    let app = spawn_app().await;
    let bad =
        app.admin_post("/__admin/reset", json!({"vendors": ["chiefonboarding", "workday"], "seed": 1}), 400).await;
    assert_eq!(bad["error"]["message"], "unknown vendor 'workday'");
}

#[tokio::test]
async fn reset_refused_changes_nothing() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    app.admin_post("/__admin/reset", json!({"vendors": ["chiefonboarding", "workday"], "seed": 1}), 400).await;
    app.admin_post("/__admin/reset", json!({"seeds": 1}), 400).await;
    assert_eq!(app.get_json("/__admin/credentials", None, 200).await, creds, "nothing changed");
    assert_eq!(app.get_json("/__admin/health", None, 200).await["seed"], 42);
}

#[tokio::test]
async fn reset_with_a_new_seed_reseeds() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    app.admin_post("/__admin/reset", json!({"seed": 9, "vendors": ["chiefonboarding"]}), 200).await;
    assert_ne!(app.get_json("/__admin/credentials", None, 200).await, creds);
    assert_eq!(app.get_json("/__admin/health", None, 200).await["seed"], 9);
}

#[tokio::test]
async fn reset_without_a_body_is_200() {
    let app = spawn_app().await;
    let empty_body = app.client.post(app.url("/__admin/reset?sandbox=default")).send().await.expect("ok");
    assert_eq!(empty_body.status(), 200, "the body is optional");
}

#[tokio::test]
async fn reset_of_a_named_sandbox_leaves_the_default_alone() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "n"}), 201).await;
    create_user(&app, "", None, "kept@acme.test").await;
    create_user(&app, "/sandboxes/n", Some("n"), "dropped@acme.test").await;
    app.admin_post("/__admin/reset?sandbox=n", json!({}), 200).await;
    assert!(employees_bytes(&app, "", None).await.contains("kept@acme.test"));
    assert!(!employees_bytes(&app, "/sandboxes/n", Some("n")).await.contains("dropped@acme.test"));
}
