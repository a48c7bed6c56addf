//! `POST /__admin/sandboxes {"name", "from"}`: a fork holds a copy of its source's current state
//! (data, settings, clock, scenarios with their counters, seed), lives apart from it, resets back
//! to the fork point, and every refused request changes nothing.

use crate::helpers::{TestApp, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::{Value, json};

/// The vendor-path prefix of a sandbox (`""` for `default`).
fn base(sandbox: &str) -> String {
    if sandbox == "default" { String::new() } else { format!("/sandboxes/{sandbox}") }
}

/// ChiefOnboarding's employee list in `sandbox`, as bytes.
async fn employees(app: &TestApp, sandbox: &str) -> String {
    let admin = app.auth_in("chiefonboarding", "admin", Some(sandbox)).await;
    let path = format!("{}/chiefonboarding/api/employees/", base(sandbox));
    let response = app.send(Method::GET, &path, Some(&admin), None).await;
    assert_eq!(response.status(), 200);
    response.text().await.expect("body")
}

/// Creates a ChiefOnboarding user with `email` in `sandbox`, asserting the 201.
async fn create_user(app: &TestApp, sandbox: &str, email: &str) {
    let admin = app.auth_in("chiefonboarding", "admin", Some(sandbox)).await;
    let body = json!({"first_name": "Fork", "last_name": "Ed", "email": email, "role": 3});
    let path = format!("{}/chiefonboarding/api/users/", base(sandbox));
    assert_eq!(app.send(Method::POST, &path, Some(&admin), Some(body)).await.status(), 201);
}

/// The sandbox's state as `GET /__admin/snapshot` gives it (no journal), but the instant of a
/// running clock, which differs between any two reads (`fork_copies_the_clock` freezes it).
async fn state(app: &TestApp, sandbox: &str) -> Value {
    let mut document = app.get_json(&format!("/__admin/snapshot?sandbox={sandbox}"), None, 200).await;
    if document["clock"]["frozen"] == false {
        document["clock"]["now"] = Value::Null;
    }
    document
}

/// The names of every sandbox.
async fn names(app: &TestApp) -> Vec<String> {
    let list = app.get_json("/__admin/sandboxes", None, 200).await;
    list.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str().map(str::to_owned)).collect()
}

async fn fork(app: &TestApp, name: &str, from: &str) -> Value {
    app.admin_post("/__admin/sandboxes", json!({"name": name, "from": from}), 201).await
}

/// A named sandbox `a` (seed 7) with a ChiefOnboarding user written to it and a Joinup setting
/// changed: two vendors differ from their seed, one in data, one in settings.
async fn source_with_writes(app: &TestApp) {
    app.admin_post("/__admin/sandboxes", json!({"name": "a", "seed": 7}), 201).await;
    create_user(app, "a", "before.fork@acme.test").await;
    let settings = json!({"bulk_processing_seconds": 17});
    app.admin_patch("/__admin/vendors/joinup/settings?sandbox=a", settings, 200).await;
}

#[tokio::test]
async fn fork_copies_the_sources_whole_state() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    let created = fork(&app, "b", "a").await;
    assert_eq!(created["name"], "b");
    assert_eq!(created["seed"], 7, "the fork has its source's seed");
    assert_eq!(state(&app, "b").await, state(&app, "a").await);
}

#[tokio::test]
async fn fork_shows_a_write_made_to_its_source_before_the_fork() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    fork(&app, "b", "a").await;
    assert!(employees(&app, "b").await.contains("before.fork@acme.test"));
    assert_eq!(employees(&app, "b").await, employees(&app, "a").await);
}

#[tokio::test]
async fn fork_answers_with_its_sources_credentials() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    fork(&app, "b", "a").await;
    let source = app.get_json("/__admin/credentials?sandbox=a", None, 200).await;
    assert_eq!(app.get_json("/__admin/credentials?sandbox=b", None, 200).await, source);
}

#[tokio::test]
async fn fork_writes_stay_out_of_the_source() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    fork(&app, "b", "a").await;
    let source_before = employees(&app, "a").await;
    create_user(&app, "b", "only.in.b@acme.test").await;
    assert_eq!(employees(&app, "a").await, source_before);
    assert!(employees(&app, "b").await.contains("only.in.b@acme.test"));
}

#[tokio::test]
async fn fork_does_not_see_writes_to_its_source_after_the_fork() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    fork(&app, "b", "a").await;
    let fork_before = employees(&app, "b").await;
    create_user(&app, "a", "only.in.a@acme.test").await;
    assert_eq!(employees(&app, "b").await, fork_before);
    assert!(employees(&app, "a").await.contains("only.in.a@acme.test"));
}

#[tokio::test]
async fn fork_starts_with_an_empty_journal() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    fork(&app, "b", "a").await;
    assert_ne!(app.get_json("/__admin/requests?sandbox=a", None, 200).await, json!([]));
    assert_eq!(app.get_json("/__admin/requests?sandbox=b", None, 200).await, json!([]));
}

#[tokio::test]
async fn reset_of_a_fork_goes_back_to_the_fork_point() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    app.admin_post("/__admin/clock?sandbox=a", json!({"set": "2026-05-04T03:02:01Z", "frozen": true}), 200).await;
    fork(&app, "b", "a").await;
    let at_fork = state(&app, "b").await;
    create_user(&app, "b", "after.fork@acme.test").await;
    app.admin_post("/__admin/clock?sandbox=b", json!({"advance_seconds": 3600}), 200).await;
    app.admin_post("/__admin/reset?sandbox=b", json!({}), 200).await;
    assert_eq!(state(&app, "b").await, at_fork);
    assert_eq!(app.get_json("/__admin/clock?sandbox=b", None, 200).await["now"], "2026-05-04T03:02:01.000Z");
    assert!(employees(&app, "b").await.contains("before.fork@acme.test"));
    assert!(!employees(&app, "b").await.contains("after.fork@acme.test"));
}

#[tokio::test]
async fn fork_of_default_copies_default() {
    let app = spawn_app().await;
    create_user(&app, "default", "in.default@acme.test").await;
    let created = fork(&app, "copy", "default").await;
    assert_eq!(created["prefixes"]["chiefonboarding"], "/sandboxes/copy/chiefonboarding");
    assert!(employees(&app, "copy").await.contains("in.default@acme.test"));
    assert_eq!(state(&app, "copy").await, state(&app, "default").await);
}

#[tokio::test]
async fn fork_copies_the_clock() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2031-02-03T04:05:06Z", "frozen": true}), 200).await;
    fork(&app, "b", "default").await;
    let clock = app.get_json("/__admin/clock?sandbox=b", None, 200).await;
    assert_eq!(clock, json!({"now": "2031-02-03T04:05:06.000Z", "frozen": true}));
}

const TWICE: &str = "name: twice\nrules:\n  - when: {vendor: chiefonboarding, path: /api/sequences/}\n    fire: {times: 2}\n    then: {error: unavailable}\n";

/// The statuses of `count` ChiefOnboarding sequence lists in `sandbox`.
async fn sequences(app: &TestApp, sandbox: &str, count: usize) -> Vec<u16> {
    let admin = app.auth_in("chiefonboarding", "admin", Some(sandbox)).await;
    let path = format!("{}/chiefonboarding/api/sequences/", base(sandbox));
    let mut seen = Vec::new();
    for _ in 0..count {
        seen.push(app.send(Method::GET, &path, Some(&admin), None).await.status().as_u16());
    }
    seen
}

#[tokio::test]
async fn fork_copies_scenarios_with_their_counters() {
    let app = spawn_app().await;
    assert_eq!(app.post_scenario("/__admin/scenarios", TWICE).await.status(), 201);
    assert_eq!(sequences(&app, "default", 1).await, [503]);
    fork(&app, "b", "default").await;
    let listed = app.get_json("/__admin/scenarios?sandbox=b", None, 200).await;
    assert_eq!(listed, app.get_json("/__admin/scenarios", None, 200).await);
    assert_eq!(listed[0]["rules"][0], json!({"index": 0, "matched": 1, "fired": 1}));
    assert_eq!(sequences(&app, "b", 3).await, [503, 200, 200], "one firing was left at the fork");
}

#[tokio::test]
async fn fork_during_concurrent_writes_copies_each_write_wholly_or_not_at_all() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "a"}), 201).await;
    let before: Value = serde_json::from_str(&employees(&app, "a").await).expect("json");
    let writers = (0..4).map(|writer| {
        let app = &app;
        async move {
            for i in 0..15 {
                create_user(app, "a", &format!("w{writer}.{i}@acme.test")).await;
            }
        }
    });
    let forks = async {
        for i in 0..5 {
            fork(&app, &format!("f{i}"), "a").await;
        }
    };
    futures_util::future::join(futures_util::future::join_all(writers), forks).await;
    // Each fork holds the source's seeded users and some of the new ones, each exactly as the
    // source has it: a user is created under ChiefOnboarding's one lock, so it was copied whole
    // or not at all.
    let after: Value = serde_json::from_str(&employees(&app, "a").await).expect("json");
    let all = after.as_array().expect("a list");
    for i in 0..5 {
        let copy: Value = serde_json::from_str(&employees(&app, &format!("f{i}")).await).expect("json");
        let copied = copy.as_array().expect("a list");
        assert!(copied.len() >= before.as_array().map_or(0, Vec::len) && copied.len() <= all.len());
        for record in copied {
            assert!(all.contains(record), "f{i} holds a record the source never had: {record}");
        }
    }
}

#[tokio::test]
async fn fork_from_an_unknown_sandbox_is_404_and_creates_nothing() {
    let app = spawn_app().await;
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "b", "from": "nope"}), 404).await;
    assert_eq!(refused["error"]["code"], "unknown_sandbox");
    assert_eq!(names(&app).await, ["default"]);
}

#[tokio::test]
async fn fork_with_a_seed_is_400_and_creates_nothing() {
    let app = spawn_app().await;
    let body = json!({"name": "b", "from": "default", "seed": 3});
    let refused = app.admin_post("/__admin/sandboxes", body, 400).await;
    assert_eq!(refused["error"]["code"], "bad_request");
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.starts_with("give from, a seed or a snapshot")));
    assert_eq!(names(&app).await, ["default"]);
}

#[tokio::test]
async fn fork_with_a_snapshot_is_400_and_creates_nothing() {
    let app = spawn_app().await;
    let snapshot = app.get_json("/__admin/snapshot", None, 200).await;
    let body = json!({"name": "b", "from": "default", "snapshot": snapshot});
    let refused = app.admin_post("/__admin/sandboxes", body, 400).await;
    assert_eq!(refused["error"]["code"], "bad_request");
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.starts_with("give from, a seed or a snapshot")));
    assert_eq!(names(&app).await, ["default"]);
}

#[tokio::test]
async fn fork_with_a_bad_name_is_400() {
    let app = spawn_app().await;
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "no/slash", "from": "default"}), 400).await;
    assert_eq!(refused["error"]["message"], "sandbox names are 1 to 64 of A-Z a-z 0-9 - _ .");
    assert_eq!(names(&app).await, ["default"]);
}

#[tokio::test]
async fn fork_onto_an_existing_name_is_409_and_leaves_it_alone() {
    let app = spawn_app().await;
    source_with_writes(&app).await;
    app.admin_post("/__admin/sandboxes", json!({"name": "b", "seed": 1}), 201).await;
    let before = state(&app, "b").await;
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "b", "from": "a"}), 409).await;
    assert_eq!(refused["error"]["code"], "conflict");
    assert_eq!(state(&app, "b").await, before);
}

#[tokio::test]
async fn fork_past_max_sandboxes_is_409_too_many_sandboxes() {
    let app = spawn_with(Settings { max_sandboxes: 2, ..Settings::default() }).await;
    fork(&app, "b", "default").await;
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "c", "from": "default"}), 409).await;
    assert_eq!(refused["error"]["code"], "too_many_sandboxes");
    assert_eq!(names(&app).await, ["b", "default"]);
}

#[tokio::test]
async fn fork_with_at_says_rewind_needs_state_dir() {
    let app = spawn_app().await;
    for at in [json!(3), json!("2026-01-01T00:00:00Z")] {
        let body = json!({"name": "b", "from": "default", "at": at});
        let refused = app.admin_post("/__admin/sandboxes", body, 400).await;
        assert_eq!(refused["error"]["code"], "rewind_needs_state_dir");
        let message = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("rewind (\"at\") needs --state-dir"), "{message}");
    }
    assert_eq!(names(&app).await, ["default"]);
}

#[tokio::test]
async fn create_sandbox_with_at_but_no_from_is_400() {
    let app = spawn_app().await;
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "b", "at": 3}), 400).await;
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.contains("from")), "{refused}");
    assert_eq!(names(&app).await, ["default"]);
}
