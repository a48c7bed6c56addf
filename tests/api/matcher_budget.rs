//! One budget for every matcher (verify, find, scenario `when`): at most 64 query and 64 header
//! matchers, a `body_contains` of 8,192 characters, globs of 1,024. Past it: 400 naming the field
//! and the bound.
//! Within it, a verification over a full journal stays small in memory.

use crate::helpers::{TestApp, spawn_app};
use crate::process::{Server, start_with};
use serde_json::{Map, Value, json};

fn pairs(count: usize) -> Map<String, Value> {
    (0..count).map(|i| (format!("x-m{i}"), json!("v"))).collect()
}

async fn verify(app: &TestApp, matcher: Value) -> (u16, Value) {
    let answer = app.client.post(format!("{}/__admin/requests/verify", app.base)).json(&matcher).send().await;
    let answer = answer.expect("answered");
    (answer.status().as_u16(), answer.json().await.unwrap_or(Value::Null))
}

async fn load(app: &TestApp, yaml: String) -> (u16, Value) {
    let loaded = app.post_scenario("/__admin/scenarios", yaml).await;
    (loaded.status().as_u16(), loaded.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn verify_refuses_more_header_matchers_than_the_budget() {
    let app = spawn_app().await;
    let (status, answer) = verify(&app, json!({"headers": pairs(65), "count": 1})).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["code"], "bad_request");
    assert_eq!(answer["error"]["message"], "matcher: headers: 65 matchers; at most 64");
}

#[tokio::test]
async fn verify_accepts_the_budgets_maximum() {
    let app = spawn_app().await;
    let matcher = json!({"headers": pairs(64), "query": pairs(64), "body_contains": "x".repeat(8192), "count": 0});
    assert_eq!(verify(&app, matcher).await, (200, json!({"ok": true, "count": 0})));
}

#[tokio::test]
async fn find_refuses_more_query_matchers_than_the_budget() {
    let app = spawn_app().await;
    let matcher = json!({"query": pairs(65)});
    let answer = app.client.post(format!("{}/__admin/requests/find", app.base)).json(&matcher).send().await;
    let answer = answer.expect("answered");
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["error"]["message"], "matcher: query: 65 matchers; at most 64");
}

#[tokio::test]
async fn verify_refuses_a_body_contains_past_the_budget() {
    let app = spawn_app().await;
    let (status, answer) = verify(&app, json!({"body_contains": "x".repeat(8193), "count": 1})).await;
    assert_eq!(
        (status, answer["error"]["message"].clone()),
        (400, json!("matcher: body_contains: 8193 characters; at most 8192"))
    );
}

#[tokio::test]
async fn verify_refuses_a_path_glob_past_the_budget() {
    let app = spawn_app().await;
    let glob = format!("/{}", "*a".repeat(512));
    let (status, answer) = verify(&app, json!({"path": glob, "count": 1})).await;
    assert_eq!(
        (status, answer["error"]["message"].clone()),
        (400, json!("matcher: path: 1025 characters; a glob has at most 1024"))
    );
}

#[tokio::test]
async fn list_requests_refuses_a_path_filter_past_the_budget() {
    let app = spawn_app().await;
    let glob = "*a".repeat(600);
    let answer = app.client.get(format!("{}/__admin/requests?path={glob}", app.base)).send().await.expect("answered");
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["error"]["message"], "path: 1200 characters; a glob has at most 1024");
}

#[tokio::test]
async fn scenario_load_refuses_more_query_matchers_than_the_budget() {
    let app = spawn_app().await;
    let query: Vec<String> = (0..5000).map(|i| format!("q{i}: v")).collect();
    let yaml = format!(
        "name: wide\nrules:\n  - when: {{vendor: '*'}}\n    then: {{error: internal}}\n  - when: {{vendor: '*', query: {{{}}}}}\n    then: {{error: unavailable}}\n",
        query.join(", ")
    );
    let (status, answer) = load(&app, yaml).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["message"], "<body>:rule 1: query: 5000 matchers; at most 64");
}

#[tokio::test]
async fn scenario_load_refuses_an_item_error_glob_past_the_budget() {
    let app = spawn_app().await;
    let glob = "*@".repeat(600);
    let yaml = format!(
        "name: items\nrules:\n  - when: {{vendor: joinup}}\n    then: {{item_error: {{where: {{email: '{glob}'}}, message: no}}}}\n"
    );
    let (status, answer) = load(&app, yaml).await;
    assert_eq!(
        (status, answer["error"]["message"].clone()),
        (400, json!("<body>:rule 0: item_error.where.email: 1200 characters; a glob has at most 1024"))
    );
}

#[tokio::test]
async fn scenario_query_matchers_at_the_budget_fire_on_a_matching_request() {
    let app = spawn_app().await;
    let wanted: Vec<String> = (0..64).map(|i| format!("q{i}: v{i}")).collect();
    let yaml = format!(
        "name: wide\nrules:\n  - when: {{vendor: chiefonboarding, query: {{{}}}}}\n    then: {{error: unavailable}}\n",
        wanted.join(", ")
    );
    assert_eq!(load(&app, yaml).await.0, 201);
    let query: Vec<String> = (0..64).rev().map(|i| format!("q{i}=v{i}")).collect();
    let url = format!("{}/chiefonboarding/api/employees/?{}", app.base, query.join("&"));
    assert_eq!(app.client.get(url).send().await.expect("answered").status(), 503);
    let missing_one = format!("{}/chiefonboarding/api/employees/?{}", app.base, query[1..].join("&"));
    assert_ne!(app.client.get(missing_one).send().await.expect("answered").status(), 503);
}

fn vm_mib(server: &Server, field: &str) -> f64 {
    server.status_kib(field) as f64 / 1024.0
}

/// 1,000 journal entries of 28 headers each, then verifications with many header matchers: the
/// 20,000-matcher one (7.4 s and a 4.5 GB peak before the budget) is refused, and one at the
/// budget's maximum keeps only its three near misses.
#[tokio::test]
async fn verify_over_a_full_journal_stays_small_in_memory() {
    let server = start_with(&["--port", "0", "--workers", "1"], &[], "42");
    let client = reqwest::Client::new();
    let mut request = client.get(format!("{}/chiefonboarding/api/employees/", server.base));
    for i in 0..28 {
        request = request.header(format!("x-h{i}"), "v".repeat(64));
    }
    for _ in 0..1000 {
        request.try_clone().expect("cloneable").send().await.expect("answered");
    }
    let start = vm_mib(&server, "VmHWM:");
    let verify = |headers: Map<String, Value>| {
        client.post(format!("{}/__admin/requests/verify", server.base)).json(&json!({"headers": headers, "count": 1}))
    };
    let refused = verify(pairs(20_000)).send().await.expect("answered");
    assert_eq!(refused.status(), 400);
    let failed = verify(pairs(64)).send().await.expect("answered");
    assert_eq!(failed.status(), 422);
    let near_misses = failed.json::<Value>().await.expect("JSON")["near_misses"].as_array().map(Vec::len);
    assert_eq!(near_misses, Some(3));
    let peak = vm_mib(&server, "VmHWM:");
    eprintln!("VmHWM: {start:.1} MiB with a full journal, {peak:.1} MiB after the verifications");
    assert!(peak - start < 64.0, "the verifications raised the peak by {:.1} MiB", peak - start);
}
