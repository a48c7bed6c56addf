//! Scenarios through a real socket: every `fire` form, `error`/`response`/`delay`, bad files,
//! the admin round trip, startup loading and `check-scenarios`.

use crate::helpers::{TestApp, exchange, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::{Value, json};
use std::process::Command;

async fn load(app: &TestApp, yaml: &str) -> reqwest::Response {
    app.post_scenario("/__admin/scenarios", yaml).await
}

async fn statuses(app: &TestApp, count: usize) -> Vec<u16> {
    let admin = app.auth("chiefonboarding", "admin").await;
    let mut seen = Vec::new();
    for _ in 0..count {
        seen.push(app.send(Method::GET, "/chiefonboarding/api/sequences/", Some(&admin), None).await.status().as_u16());
    }
    seen
}

const CONFLICT: &str = "
name: co-conflict
rules:
  - when: {vendor: chiefonboarding, method: POST, path: /api/users/}
    then:
      error: {kind: conflict, message: Somebody else is editing}
";

/// Loads [`CONFLICT`] and sends the POST it answers, as ChiefOnboarding's admin.
async fn conflict_fired(app: &TestApp) -> reqwest::Response {
    assert_eq!(load(app, CONFLICT).await.status(), 201);
    let admin = app.auth("chiefonboarding", "admin").await;
    app.send(Method::POST, "/chiefonboarding/api/users/", Some(&admin), Some(json!({}))).await
}

#[tokio::test]
async fn error_rule_answers_in_the_vendors_format() {
    let app = spawn_app().await;
    let response = conflict_fired(&app).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "x-sandbox-scenario"]).await);
}

#[tokio::test]
async fn error_rule_leaves_requests_it_does_not_match_alone() {
    let app = spawn_app().await;
    conflict_fired(&app).await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let untouched = app.send(Method::GET, "/chiefonboarding/api/sequences/", Some(&admin), None).await;
    assert_eq!(untouched.status(), 200);
    assert!(untouched.headers().get("x-sandbox-scenario").is_none());
}

#[tokio::test]
async fn error_rule_firing_is_journaled_with_its_rule() {
    let app = spawn_app().await;
    conflict_fired(&app).await;
    let journal = app.get_json("/__admin/requests?method=POST", None, 200).await;
    assert_eq!(journal[0]["scenario"], "co-conflict#0");
}

#[tokio::test]
async fn error_rule_firing_is_counted_in_the_listing() {
    let app = spawn_app().await;
    conflict_fired(&app).await;
    let listed = app.get_json("/__admin/scenarios", None, 200).await;
    assert_eq!(listed[0]["rules"][0], json!({"index": 0, "matched": 1, "fired": 1}));
    assert_eq!(listed[0]["active"], true);
}

/// The statuses of six matching requests under a rule with this `fire`.
async fn fire_pattern(fire: &str) -> Vec<u16> {
    let app = spawn_app().await;
    let yaml = format!(
        "name: f\nrules:\n  - when: {{vendor: '*', path: /api/sequences/}}\n    fire: {fire}\n    then: {{error: unavailable}}\n"
    );
    assert_eq!(load(&app, &yaml).await.status(), 201, "{fire}");
    statuses(&app, 6).await
}

#[tokio::test]
async fn fire_times_fires_on_the_first_n_matches() {
    assert_eq!(fire_pattern("{times: 2}").await, [503, 503, 200, 200, 200, 200]);
}

#[tokio::test]
async fn fire_after_skips_the_first_n_matches() {
    assert_eq!(fire_pattern("{after: 2}").await, [200, 200, 503, 503, 503, 503]);
}

#[tokio::test]
async fn fire_every_fires_on_each_nth_match() {
    assert_eq!(fire_pattern("{every: 3}").await, [200, 200, 503, 200, 200, 503]);
}

#[tokio::test]
async fn fire_forms_combined_all_apply() {
    assert_eq!(fire_pattern("{after: 1, every: 2, times: 2}").await, [200, 200, 503, 200, 503, 200]);
}

/// The statuses of 24 requests under a rule firing with probability 0.5, in a server seeded `seed`.
async fn probability_pattern(seed: u64) -> Vec<u16> {
    let yaml = "name: coin\nrules:\n  - when: {vendor: chiefonboarding}\n    fire: {probability: 0.5}\n    then: {error: internal}\n";
    let app = spawn_with(Settings { seed, ..Settings::default() }).await;
    load(&app, yaml).await;
    statuses(&app, 24).await
}

#[tokio::test]
async fn probability_fires_on_the_same_requests_for_the_same_seed() {
    assert_eq!(probability_pattern(42).await, probability_pattern(42).await, "same seed, same firing pattern");
}

#[tokio::test]
async fn probability_fires_on_other_requests_for_another_seed() {
    assert_ne!(probability_pattern(42).await, probability_pattern(7).await, "another seed, another pattern");
}

#[tokio::test]
async fn probability_fires_about_as_often_as_asked() {
    let fired = probability_pattern(42).await.iter().filter(|s| **s == 500).count();
    assert!((4..=20).contains(&fired), "about half of 24 fire: {fired}");
}

/// A server whose frozen clock stands at 2030-01-01 with a rule firing from 10 s to 40 s later.
async fn window_app() -> TestApp {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2030-01-01T00:00:00Z", "frozen": true}), 200).await;
    let yaml = "name: outage\nrules:\n  - when: {vendor: chiefonboarding}\n    fire: {window: {start_after_s: 10, duration_s: 30}}\n    then: {error: unavailable}\n";
    load(&app, yaml).await;
    app
}

#[tokio::test]
async fn window_rule_does_not_fire_before_its_window() {
    let app = window_app().await;
    assert_eq!(statuses(&app, 1).await, [200], "before the window");
}

#[tokio::test]
async fn window_rule_answers_503_with_the_seconds_until_it_closes() {
    let app = window_app().await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 15}), 200).await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let down = app.send(Method::GET, "/chiefonboarding/api/sequences/", Some(&admin), None).await;
    assert_eq!(down.status(), 503);
    assert_eq!(down.headers()["retry-after"], "25", "seconds until the window closes");
    assert_eq!(
        down.json::<Value>().await.expect("json"),
        json!({"detail": "Service temporarily unavailable, try again later."})
    );
}

#[tokio::test]
async fn window_rule_stops_firing_after_its_window() {
    let app = window_app().await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 40}), 200).await;
    assert_eq!(statuses(&app, 1).await, [200], "after the window");
}

#[tokio::test]
async fn rate_limited_rule_answers_drfs_throttle_with_retry_after() {
    let app = spawn_app().await;
    load(&app, "name: slowdown\nrules:\n  - when: {vendor: chiefonboarding}\n    then:\n      error: {kind: rate_limited, headers: {Retry-After: '7'}}\n").await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::GET, "/chiefonboarding/api/employees/", Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(response, &["retry-after", "x-sandbox-scenario"]).await);
}

/// A server with a raw-response rule for ChiefOnboarding's employees page 2.
async fn teapot_app() -> TestApp {
    let app = spawn_app().await;
    let yaml = "name: raw\nrules:\n  - when: {vendor: chiefonboarding, path: /api/employees/, query: {page: '2'}}\n    then:\n      response: {status: 418, headers: {Content-Type: text/plain, X-Teapot: 'yes'}, body_text: 'short and stout'}\n";
    load(&app, yaml).await;
    app
}

#[tokio::test]
async fn response_rule_sends_its_exact_bytes() {
    let app = teapot_app().await;
    let response = app.send(Method::GET, "/chiefonboarding/api/employees/?page=2", None, None).await;
    assert_eq!(response.status(), 418);
    assert_eq!(response.headers()["x-teapot"], "yes");
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert_eq!(response.text().await.expect("body"), "short and stout");
}

#[tokio::test]
async fn response_rule_query_matcher_is_exact() {
    let app = teapot_app().await;
    let other_query = app.send(Method::GET, "/chiefonboarding/api/employees/?page=3", None, None).await;
    assert_eq!(other_query.status(), 401, "query matcher is exact");
}

/// A server with a rule narrowed by a header and a body matcher; a POST sender with a test case
/// header and an email.
async fn narrowed_app() -> TestApp {
    let app = spawn_app().await;
    let yaml = "name: narrow\nrules:\n  - when: {vendor: chiefonboarding, headers: {X-Test-Case: boom}, body_contains: '@fail.test'}\n    then: {error: bad_request}\n";
    load(&app, yaml).await;
    app
}

async fn narrowed_post(app: &TestApp, case: &str, email: &str) -> reqwest::Response {
    let admin = app.auth("chiefonboarding", "admin").await;
    let request = app
        .client
        .post(app.url("/chiefonboarding/api/users/"))
        .header("Authorization", &admin)
        .header("X-Test-Case", case)
        .json(&json!({"email": email}));
    request.send().await.expect("ok")
}

#[tokio::test]
async fn narrowed_rule_fires_when_every_matcher_matches() {
    let app = narrowed_app().await;
    assert_eq!(narrowed_post(&app, "boom", "a@fail.test").await.status(), 400);
    let body: Value = narrowed_post(&app, "boom", "b@fail.test").await.json().await.expect("json");
    assert_eq!(body, json!({"detail": "Malformed request."}));
}

#[tokio::test]
async fn narrowed_rule_lets_a_request_with_another_header_through() {
    let app = narrowed_app().await;
    let passes: Value = narrowed_post(&app, "calm", "a@fail.test").await.json().await.expect("json");
    assert!(passes.get("first_name").is_some(), "real validation answered: {passes}");
}

#[tokio::test]
async fn delay_holds_the_request_then_the_real_handler_answers() {
    let app = spawn_app().await;
    load(&app, "name: slow\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {delay: 300ms}\n").await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let started = std::time::Instant::now();
    let response = app.send(Method::GET, "/chiefonboarding/api/sequences/", Some(&admin), None).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-sandbox-scenario"], "slow#0");
}

/// Loads [`CONFLICT`], then `yaml`: the 400 names the file, rule and reason (`message` is its
/// start), and the running set is still [`CONFLICT`] alone.
async fn assert_refused(yaml: &str, message: &str) {
    let app = spawn_app().await;
    load(&app, CONFLICT).await;
    let response = load(&app, yaml).await;
    assert_eq!(response.status(), 400, "{message}");
    let body: Value = response.json().await.expect("json");
    let got = body["error"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(got.starts_with(message), "want {message:?}, got {got:?}");
    let listed = app.get_json("/__admin/scenarios", None, 200).await;
    let names: Vec<&str> = listed.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["co-conflict"], "the running set is untouched");
}

#[tokio::test]
async fn load_scenario_refuses_an_unknown_vendor() {
    let yaml = "name: x\nrules:\n  - when: {vendor: workday}\n    then: {error: conflict}\n";
    assert_refused(yaml, "<body>:rule 0: unknown vendor 'workday'").await;
}

#[tokio::test]
async fn load_scenario_refuses_an_unknown_error_kind() {
    let yaml = "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: conflict}\n  - when: {vendor: '*'}\n    then: {error: teapot}\n";
    assert_refused(yaml, "<body>:rule 1: unknown error kind 'teapot'").await;
}

#[tokio::test]
async fn load_scenario_refuses_a_relative_path_glob() {
    let yaml = "name: x\nrules:\n  - when: {vendor: '*', path: 'api/**'}\n    then: {error: conflict}\n";
    assert_refused(yaml, "<body>:rule 0: path glob 'api/**' must start with '/'").await;
}

#[tokio::test]
async fn load_scenario_refuses_a_probability_out_of_range() {
    let yaml = "name: x\nrules:\n  - when: {vendor: '*'}\n    fire: {probability: 1.5}\n    then: {error: conflict}\n";
    assert_refused(yaml, "<body>:rule 0: probability 1.5 is out of range 0..1").await;
}

#[tokio::test]
async fn load_scenario_refuses_two_actions_in_one_then() {
    let yaml = "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: conflict, response: {status: 200}}\n";
    assert_refused(yaml, "<body>:rule 0: then takes one of").await;
}

#[tokio::test]
async fn load_scenario_refuses_an_item_error_for_a_vendor_without_bulk_endpoints() {
    let yaml = "name: x\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {item_error: {where: {email: '*'}, message: no}}\n";
    assert_refused(yaml, "<body>:rule 0: item_error needs a vendor with bulk endpoints").await;
}

#[tokio::test]
async fn load_scenario_refuses_a_file_without_a_name() {
    let yaml = "rules:\n  - when: {vendor: '*'}\n    then: {error: conflict}\n";
    assert_refused(yaml, "<body>: the scenario needs a name").await;
}

#[tokio::test]
async fn load_scenario_refuses_an_unknown_field() {
    assert_refused("name: x\nrulez: []\n", "<body>: invalid YAML: error: line 2 column 1: unknown field `rulez`").await;
}

#[tokio::test]
async fn load_scenario_refuses_a_yaml_alias_bomb() {
    let mut bomb = String::from(
        "name: bomb\nrules:\n  - when: {vendor: '*'}\n    then:\n      response:\n        status: 200\n        body:\n          a: &a [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for (name, inner) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e"), ("g", "f")] {
        bomb.push_str(&format!("          {name}: &{name} [{}]\n", vec![format!("*{inner}"); 10].join(", ")));
    }
    assert_refused(&bomb, "<body>: invalid YAML: error: line 12 column 18: budget breached").await;
}

/// A server with [`CONFLICT`] loaded inactive and `down` (every request 503) loaded as JSON.
async fn round_trip_app() -> TestApp {
    let app = spawn_app().await;
    app.post_scenario("/__admin/scenarios?activate=false", CONFLICT).await;
    let json_scenario = json!({"name": "down", "rules": [{"when": {"vendor": "*"}, "then": {"error": "unavailable"}}]});
    app.client.post(app.url("/__admin/scenarios")).json(&json_scenario).send().await.expect("ok");
    app
}

/// `PUT /__admin/scenarios/active` with these names.
async fn put_active(app: &TestApp, names: Value) -> reqwest::Response {
    app.client.put(app.url("/__admin/scenarios/active")).json(&json!({"names": names})).send().await.expect("ok")
}

#[tokio::test]
async fn load_scenario_with_activate_false_loads_it_inactive() {
    let app = spawn_app().await;
    let inactive = app.post_scenario("/__admin/scenarios?activate=false", CONFLICT).await;
    assert_eq!(inactive.json::<Value>().await.expect("json")["active"], false);
}

#[tokio::test]
async fn load_scenario_as_json_is_201() {
    let app = spawn_app().await;
    let json_scenario = json!({"name": "down", "rules": [{"when": {"vendor": "*"}, "then": {"error": "unavailable"}}]});
    assert_eq!(
        app.client.post(app.url("/__admin/scenarios")).json(&json_scenario).send().await.expect("ok").status(),
        201
    );
}

#[tokio::test]
async fn load_scenario_activates_it_by_default() {
    let app = round_trip_app().await;
    assert_eq!(statuses(&app, 1).await, [503]);
}

#[tokio::test]
async fn put_active_deactivates_the_scenarios_it_does_not_name() {
    let app = round_trip_app().await;
    assert_eq!(put_active(&app, json!(["co-conflict"])).await.status(), 200);
    assert_eq!(statuses(&app, 1).await, [200], "down is loaded but inactive");
}

#[tokio::test]
async fn put_active_refuses_an_unknown_name() {
    let app = round_trip_app().await;
    assert_eq!(put_active(&app, json!(["nope"])).await.status(), 400);
}

#[tokio::test]
async fn delete_active_is_204() {
    let app = round_trip_app().await;
    assert_eq!(app.send(Method::DELETE, "/__admin/scenarios/active", None, None).await.status(), 204);
}

#[tokio::test]
async fn delete_scenario_is_204() {
    let app = round_trip_app().await;
    assert_eq!(app.send(Method::DELETE, "/__admin/scenarios/down", None, None).await.status(), 204);
}

#[tokio::test]
async fn delete_scenario_already_deleted_is_404() {
    let app = round_trip_app().await;
    app.send(Method::DELETE, "/__admin/scenarios/down", None, None).await;
    assert_eq!(app.send(Method::DELETE, "/__admin/scenarios/down", None, None).await.status(), 404);
}

#[tokio::test]
async fn reset_unloads_scenarios_loaded_at_run_time() {
    let app = round_trip_app().await;
    app.admin_post("/__admin/reset", json!({}), 200).await;
    assert_eq!(app.get_json("/__admin/scenarios", None, 200).await, json!([]), "reset: back to the startup set");
}

#[tokio::test]
async fn scenarios_belong_to_their_sandbox() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "qa"}), 201).await;
    let response = app.post_scenario("/__admin/scenarios?sandbox=qa", CONFLICT).await;
    assert_eq!(response.status(), 201);
    assert_eq!(app.get_json("/__admin/scenarios", None, 200).await, json!([]));
    let qa_admin = app.auth_in("chiefonboarding", "admin", Some("qa")).await;
    let in_qa =
        app.send(Method::POST, "/sandboxes/qa/chiefonboarding/api/users/", Some(&qa_admin), Some(json!({}))).await;
    assert_eq!(in_qa.status(), 409);
}

/// A server started with the shipped `chiefonboarding-outage` scenario.
async fn outage_at_startup() -> TestApp {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    spawn_with(Settings { scenarios: vec!["chiefonboarding-outage".into()], scenarios_dir: dir, ..Settings::default() })
        .await
}

#[tokio::test]
async fn startup_scenario_is_active_from_the_start() {
    let app = outage_at_startup().await;
    assert_eq!(statuses(&app, 1).await, [503]);
}

#[tokio::test]
async fn delete_active_deactivates_a_startup_scenario() {
    let app = outage_at_startup().await;
    app.send(Method::DELETE, "/__admin/scenarios/active", None, None).await;
    assert_eq!(statuses(&app, 1).await, [200]);
}

#[tokio::test]
async fn reset_reactivates_the_startup_scenarios() {
    let app = outage_at_startup().await;
    app.send(Method::DELETE, "/__admin/scenarios/active", None, None).await;
    app.admin_post("/__admin/reset", json!({}), 200).await;
    assert_eq!(statuses(&app, 1).await, [503]);
}

#[tokio::test]
async fn reset_restarts_the_startup_scenarios_counters() {
    let app = outage_at_startup().await;
    statuses(&app, 1).await;
    app.admin_post("/__admin/reset", json!({}), 200).await;
    statuses(&app, 1).await;
    let listed = app.get_json("/__admin/scenarios", None, 200).await;
    assert_eq!(listed[0]["rules"][0]["matched"], 1, "counters restarted at reset");
}

#[test]
fn every_shipped_scenario_validates() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let files: Vec<String> =
        std::fs::read_dir(&dir).expect("scenarios/").map(|e| e.expect("entry").path().display().to_string()).collect();
    assert!(!files.is_empty());
    let output =
        Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).arg("check-scenarios").args(&files).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// A scenario file whose rule 1 names an unknown vendor (its path), one per test.
fn bad_scenario_file(test: &str) -> String {
    let dir = std::env::temp_dir().join(format!("hr-sandbox-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join(format!("{test}.yaml"));
    std::fs::write(&bad, "rules:\n  - when: {vendor: chiefonboarding}\n    then: {error: conflict}\n  - when: {vendor: nobody}\n    then: {error: conflict}\n").expect("write");
    bad.display().to_string()
}

#[test]
fn check_scenarios_refuses_a_bad_file_naming_file_rule_reason() {
    let bad = bad_scenario_file("check");
    let check = Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).args(["check-scenarios", &bad]).output().expect("runs");
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains(&format!("{bad}:rule 1: unknown vendor 'nobody'")), "{stderr}");
}

#[test]
fn serve_with_a_bad_scenario_file_fails_naming_file_rule_reason() {
    let bad = bad_scenario_file("serve");
    let serve = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--scenario", &bad])
        .output()
        .expect("runs");
    assert!(!serve.status.success());
    assert!(String::from_utf8_lossy(&serve.stderr).contains(":rule 1: unknown vendor 'nobody'"));
}

async fn fault_error(fault: &str, timeout_ms: u64) -> (reqwest::Error, String) {
    let app = spawn_app().await;
    let yaml = format!(
        "name: broken\nrules:\n  - when: {{vendor: chiefonboarding, path: /api/sequences/}}\n    then: {{fault: {fault}}}\n"
    );
    assert_eq!(load(&app, &yaml).await.status(), 201);
    let client =
        reqwest::Client::builder().timeout(std::time::Duration::from_millis(timeout_ms)).build().expect("client");
    let outcome = async {
        let response = client.get(app.url("/chiefonboarding/api/sequences/")).send().await?;
        response.bytes().await
    }
    .await;
    let err = outcome.expect_err("the fault breaks the exchange");
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push_str(" / ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    let after = app.get_json("/__admin/health", None, 200).await;
    assert_eq!(after["status"], "ok", "the server survives the fault");
    (err, chain)
}

#[tokio::test]
async fn connection_reset_is_a_reset_for_a_real_client() {
    let (err, chain) = fault_error("connection_reset", 5000).await;
    assert!(err.is_request() && !err.is_timeout(), "{chain}");
    assert!(chain.to_lowercase().contains("reset"), "{chain}");
}

#[tokio::test]
async fn empty_reply_closes_without_a_response() {
    let (err, chain) = fault_error("empty_reply", 5000).await;
    assert!(err.is_request() && !err.is_timeout(), "{chain}");
    assert!(chain.contains("connection closed before message completed"), "{chain}");
}

#[tokio::test]
async fn truncated_body_breaks_the_body_after_the_headers() {
    let (err, chain) = fault_error("truncated_body", 5000).await;
    assert!(err.is_body() || err.is_decode(), "{chain}");
}

#[tokio::test]
async fn timeout_holds_the_request_past_the_clients_patience() {
    let (err, chain) = fault_error("{kind: timeout, hold: 2s}", 300).await;
    assert!(err.is_timeout(), "{chain}");
}

#[tokio::test]
async fn fault_is_journaled_with_status_zero() {
    let app = spawn_app().await;
    load(&app, "name: cut\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {fault: empty_reply}\n").await;
    let _ = app.client.get(app.url("/chiefonboarding/api/sequences/")).send().await;
    let journal = app.get_json("/__admin/requests", None, 200).await;
    assert_eq!((journal[0]["status"].clone(), journal[0]["scenario"].clone()), (json!(0), json!("cut#0")));
}

#[tokio::test]
async fn load_scenario_refuses_an_unknown_fault() {
    let app = spawn_app().await;
    let bad = load(&app, "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {fault: lightning}\n").await;
    let body: Value = bad.json().await.expect("json");
    assert!(
        body["error"]["message"].as_str().is_some_and(|m| m.starts_with("<body>:rule 0: unknown fault 'lightning'")),
        "{body}"
    );
}

/// A server with `a` (409) activated before `b` (one 503, then 403).
async fn ordered_app() -> TestApp {
    let app = spawn_app().await;
    load(&app, "name: a\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {error: conflict}\n").await;
    load(&app, "name: b\nrules:\n  - when: {vendor: chiefonboarding}\n    fire: {times: 1}\n    then: {error: unavailable}\n  - when: {vendor: chiefonboarding}\n    then: {error: forbidden}\n").await;
    app
}

#[tokio::test]
async fn active_scenarios_first_activated_answers_first() {
    let app = ordered_app().await;
    assert_eq!(statuses(&app, 1).await, [409], "a was activated first");
}

#[tokio::test]
async fn put_active_reorders_which_rule_fires_first() {
    let app = ordered_app().await;
    assert_eq!(put_active(&app, json!(["b", "a"])).await.status(), 200);
    assert_eq!(
        statuses(&app, 3).await,
        [503, 403, 403],
        "b first; its rule 0 stops after one firing, rule 1 takes over"
    );
}

#[tokio::test]
async fn delay_with_an_error_holds_the_request_then_answers_the_error() {
    let app = spawn_app().await;
    load(&app, "name: late\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {error: gateway_timeout, delay: {min: 200ms, max: 400ms}}\n").await;
    let started = std::time::Instant::now();
    let response = app.send(Method::GET, "/chiefonboarding/api/sequences/", None, None).await;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), 504);
    // A lower bound only (the delay held at least its minimum): never flaky under load.
    assert!(elapsed >= std::time::Duration::from_millis(200), "{elapsed:?}");
}

#[tokio::test]
async fn load_scenario_accepts_a_lognormal_delay() {
    let app = spawn_app().await;
    let lognormal = load(
        &app,
        "name: tail\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {delay: {median: 5ms, p99: 50ms}}\n",
    )
    .await;
    assert_eq!(lognormal.status(), 201);
}

#[tokio::test]
async fn load_scenario_refuses_a_p99_below_the_median() {
    let app = spawn_app().await;
    let refused =
        load(&app, "name: bad\nrules:\n  - when: {vendor: '*'}\n    then: {delay: {median: 50ms, p99: 5ms}}\n").await;
    assert_eq!(refused.status(), 400);
}
