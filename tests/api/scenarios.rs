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

#[tokio::test]
async fn error_rule_answers_in_the_vendors_format_with_header_journal_and_counters() {
    let app = spawn_app().await;
    assert_eq!(load(&app, CONFLICT).await.status(), 201);
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::POST, "/chiefonboarding/api/users/", Some(&admin), Some(json!({}))).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "x-sandbox-scenario"]).await);
    let untouched = app.send(Method::GET, "/chiefonboarding/api/sequences/", Some(&admin), None).await;
    assert_eq!(untouched.status(), 200);
    assert!(untouched.headers().get("x-sandbox-scenario").is_none());
    let journal = app.get_json("/__admin/requests?method=POST", None, 200).await;
    assert_eq!(journal[0]["scenario"], "co-conflict#0");
    let listed = app.get_json("/__admin/scenarios", None, 200).await;
    assert_eq!(listed[0]["rules"][0], json!({"index": 0, "matched": 1, "fired": 1}));
    assert_eq!(listed[0]["active"], true);
}

#[tokio::test]
async fn fire_times_after_and_every_follow_the_match_count() {
    let cases = [
        ("{times: 2}", vec![503, 503, 200, 200, 200, 200]),
        ("{after: 2}", vec![200, 200, 503, 503, 503, 503]),
        ("{every: 3}", vec![200, 200, 503, 200, 200, 503]),
        ("{after: 1, every: 2, times: 2}", vec![200, 200, 503, 200, 503, 200]),
    ];
    for (fire, expected) in cases {
        let app = spawn_app().await;
        let yaml = format!(
            "name: f\nrules:\n  - when: {{vendor: '*', path: /api/sequences/}}\n    fire: {fire}\n    then: {{error: unavailable}}\n"
        );
        assert_eq!(load(&app, &yaml).await.status(), 201, "{fire}");
        assert_eq!(statuses(&app, 6).await, expected, "{fire}");
    }
}

#[tokio::test]
async fn seeded_probability_fires_on_the_same_requests_in_every_run() {
    let yaml = "name: coin\nrules:\n  - when: {vendor: chiefonboarding}\n    fire: {probability: 0.5}\n    then: {error: internal}\n";
    let mut patterns = Vec::new();
    for seed in [42, 42, 7] {
        let app = spawn_with(Settings { seed, ..Settings::default() }).await;
        load(&app, yaml).await;
        patterns.push(statuses(&app, 24).await);
    }
    assert_eq!(patterns[0], patterns[1], "same seed, same firing pattern");
    assert_ne!(patterns[0], patterns[2], "another seed, another pattern");
    let fired = patterns[0].iter().filter(|s| **s == 500).count();
    assert!((4..=20).contains(&fired), "about half of 24 fire: {fired}");
}

#[tokio::test]
async fn window_opens_and_closes_on_the_sandbox_clock() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2030-01-01T00:00:00Z", "frozen": true}), 200).await;
    let yaml = "name: outage\nrules:\n  - when: {vendor: chiefonboarding}\n    fire: {window: {start_after_s: 10, duration_s: 30}}\n    then: {error: unavailable}\n";
    load(&app, yaml).await;
    assert_eq!(statuses(&app, 1).await, [200], "before the window");
    app.admin_post("/__admin/clock", json!({"advance_seconds": 15}), 200).await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let down = app.send(Method::GET, "/chiefonboarding/api/sequences/", Some(&admin), None).await;
    assert_eq!(down.status(), 503);
    assert_eq!(down.headers()["retry-after"], "25", "seconds until the window closes");
    assert_eq!(
        down.json::<Value>().await.expect("json"),
        json!({"detail": "Service temporarily unavailable, try again later."})
    );
    app.admin_post("/__admin/clock", json!({"advance_seconds": 25}), 200).await;
    assert_eq!(statuses(&app, 1).await, [200], "after the window");
}

#[tokio::test]
async fn rate_limited_gets_drfs_throttle_message_and_retry_after() {
    let app = spawn_app().await;
    load(&app, "name: slowdown\nrules:\n  - when: {vendor: chiefonboarding}\n    then:\n      error: {kind: rate_limited, headers: {Retry-After: '7'}}\n").await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let response = app.send(Method::GET, "/chiefonboarding/api/employees/", Some(&admin), None).await;
    insta::assert_json_snapshot!(exchange(response, &["retry-after", "x-sandbox-scenario"]).await);
}

#[tokio::test]
async fn response_rule_sends_exact_bytes_and_headers() {
    let app = spawn_app().await;
    let yaml = "name: raw\nrules:\n  - when: {vendor: chiefonboarding, path: /api/employees/, query: {page: '2'}}\n    then:\n      response: {status: 418, headers: {Content-Type: text/plain, X-Teapot: 'yes'}, body_text: 'short and stout'}\n";
    load(&app, yaml).await;
    let response = app.send(Method::GET, "/chiefonboarding/api/employees/?page=2", None, None).await;
    assert_eq!(response.status(), 418);
    assert_eq!(response.headers()["x-teapot"], "yes");
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert_eq!(response.text().await.expect("body"), "short and stout");
    let other_query = app.send(Method::GET, "/chiefonboarding/api/employees/?page=3", None, None).await;
    assert_eq!(other_query.status(), 401, "query matcher is exact");
}

#[tokio::test]
async fn header_and_body_matchers_narrow_a_rule() {
    let app = spawn_app().await;
    let yaml = "name: narrow\nrules:\n  - when: {vendor: chiefonboarding, headers: {X-Test-Case: boom}, body_contains: '@fail.test'}\n    then: {error: bad_request}\n";
    load(&app, yaml).await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let send = |case: &'static str, email: &'static str| {
        app.client
            .post(app.url("/chiefonboarding/api/users/"))
            .header("Authorization", &admin)
            .header("X-Test-Case", case)
            .json(&json!({"email": email}))
    };
    assert_eq!(send("boom", "a@fail.test").send().await.expect("ok").status(), 400);
    let body: Value = send("boom", "b@fail.test").send().await.expect("ok").json().await.expect("json");
    assert_eq!(body, json!({"detail": "Malformed request."}));
    let passes: Value = send("calm", "a@fail.test").send().await.expect("ok").json().await.expect("json");
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

#[tokio::test]
async fn bad_files_are_refused_with_file_rule_and_reason_and_change_nothing() {
    let app = spawn_app().await;
    load(&app, CONFLICT).await;
    let mut bomb = String::from(
        "name: bomb\nrules:\n  - when: {vendor: '*'}\n    then:\n      response:\n        status: 200\n        body:\n          a: &a [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for (name, inner) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e"), ("g", "f")] {
        bomb.push_str(&format!("          {name}: &{name} [{}]\n", vec![format!("*{inner}"); 10].join(", ")));
    }
    let cases = [
        (
            "name: x\nrules:\n  - when: {vendor: workday}\n    then: {error: conflict}\n",
            "<body>:rule 0: unknown vendor 'workday'",
        ),
        (
            "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: conflict}\n  - when: {vendor: '*'}\n    then: {error: teapot}\n",
            "<body>:rule 1: unknown error kind 'teapot'",
        ),
        (
            "name: x\nrules:\n  - when: {vendor: '*', path: 'api/**'}\n    then: {error: conflict}\n",
            "<body>:rule 0: path glob 'api/**' must start with '/'",
        ),
        (
            "name: x\nrules:\n  - when: {vendor: '*'}\n    fire: {probability: 1.5}\n    then: {error: conflict}\n",
            "<body>:rule 0: probability 1.5 is out of range 0..1",
        ),
        (
            "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: conflict, response: {status: 200}}\n",
            "<body>:rule 0: then takes one of",
        ),
        (
            "name: x\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {item_error: {where: {email: '*'}, message: no}}\n",
            "<body>:rule 0: item_error needs a vendor with bulk endpoints",
        ),
        ("rules:\n  - when: {vendor: '*'}\n    then: {error: conflict}\n", "<body>: the scenario needs a name"),
        ("name: x\nrulez: []\n", "<body>: invalid YAML: error: line 2 column 1: unknown field `rulez`"),
        (bomb.as_str(), "<body>: invalid YAML: error: line 12 column 18: budget breached"),
    ];
    for (yaml, message) in cases {
        let response = load(&app, yaml).await;
        assert_eq!(response.status(), 400, "{message}");
        let body: Value = response.json().await.expect("json");
        let got = body["error"]["message"].as_str().unwrap_or_default().to_owned();
        assert!(got.starts_with(message), "want {message:?}, got {got:?}");
    }
    let listed = app.get_json("/__admin/scenarios", None, 200).await;
    let names: Vec<&str> = listed.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["co-conflict"], "the running set is untouched");
}

#[tokio::test]
async fn admin_round_trip_load_activate_deactivate_delete_and_reset() {
    let app = spawn_app().await;
    let inactive = app.post_scenario("/__admin/scenarios?activate=false", CONFLICT).await;
    assert_eq!(inactive.json::<Value>().await.expect("json")["active"], false);
    let json_scenario = json!({"name": "down", "rules": [{"when": {"vendor": "*"}, "then": {"error": "unavailable"}}]});
    assert_eq!(
        app.client.post(app.url("/__admin/scenarios")).json(&json_scenario).send().await.expect("ok").status(),
        201
    );
    assert_eq!(statuses(&app, 1).await, [503]);
    let put = app
        .client
        .put(app.url("/__admin/scenarios/active"))
        .json(&json!({"names": ["co-conflict"]}))
        .send()
        .await
        .expect("ok");
    assert_eq!(put.status(), 200);
    assert_eq!(statuses(&app, 1).await, [200], "down is loaded but inactive");
    let unknown = app
        .client
        .put(app.url("/__admin/scenarios/active"))
        .json(&json!({"names": ["nope"]}))
        .send()
        .await
        .expect("ok");
    assert_eq!(unknown.status(), 400);
    assert_eq!(app.send(Method::DELETE, "/__admin/scenarios/active", None, None).await.status(), 204);
    assert_eq!(app.send(Method::DELETE, "/__admin/scenarios/down", None, None).await.status(), 204);
    assert_eq!(app.send(Method::DELETE, "/__admin/scenarios/down", None, None).await.status(), 404);
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

#[tokio::test]
async fn startup_scenarios_are_active_from_the_start_and_restored_by_reset() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let app = spawn_with(Settings {
        scenarios: vec!["chiefonboarding-outage".into()],
        scenarios_dir: dir,
        ..Settings::default()
    })
    .await;
    assert_eq!(statuses(&app, 1).await, [503]);
    app.send(Method::DELETE, "/__admin/scenarios/active", None, None).await;
    assert_eq!(statuses(&app, 1).await, [200]);
    app.admin_post("/__admin/reset", json!({}), 200).await;
    assert_eq!(statuses(&app, 1).await, [503]);
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

#[test]
fn a_bad_scenario_file_stops_startup_and_check_scenarios_with_file_rule_reason() {
    let dir = std::env::temp_dir().join(format!("hr-sandbox-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "rules:\n  - when: {vendor: chiefonboarding}\n    then: {error: conflict}\n  - when: {vendor: nobody}\n    then: {error: conflict}\n").expect("write");
    let bad = bad.display().to_string();
    let check = Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).args(["check-scenarios", &bad]).output().expect("runs");
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains(&format!("{bad}:rule 1: unknown vendor 'nobody'")), "{stderr}");
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
async fn truncated_body_delivers_headers_and_part_of_the_body() {
    let (err, chain) = fault_error("truncated_body", 5000).await;
    assert!(err.is_body() || err.is_decode(), "{chain}");
}

#[tokio::test]
async fn timeout_holds_the_request_past_the_clients_patience() {
    let (err, chain) = fault_error("{kind: timeout, hold: 2s}", 300).await;
    assert!(err.is_timeout(), "{chain}");
}

#[tokio::test]
async fn faults_are_journaled_with_status_zero_and_unknown_faults_refused() {
    let app = spawn_app().await;
    load(&app, "name: cut\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {fault: empty_reply}\n").await;
    let _ = app.client.get(app.url("/chiefonboarding/api/sequences/")).send().await;
    let journal = app.get_json("/__admin/requests", None, 200).await;
    assert_eq!((journal[0]["status"].clone(), journal[0]["scenario"].clone()), (json!(0), json!("cut#0")));
    let bad = load(&app, "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {fault: lightning}\n").await;
    let body: Value = bad.json().await.expect("json");
    assert!(
        body["error"]["message"].as_str().is_some_and(|m| m.starts_with("<body>:rule 0: unknown fault 'lightning'")),
        "{body}"
    );
}

#[tokio::test]
async fn active_scenarios_are_consulted_in_activation_order_first_firing_rule_wins() {
    let app = spawn_app().await;
    load(&app, "name: a\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {error: conflict}\n").await;
    load(&app, "name: b\nrules:\n  - when: {vendor: chiefonboarding}\n    fire: {times: 1}\n    then: {error: unavailable}\n  - when: {vendor: chiefonboarding}\n    then: {error: forbidden}\n").await;
    assert_eq!(statuses(&app, 1).await, [409], "a was activated first");
    let order = app
        .client
        .put(app.url("/__admin/scenarios/active"))
        .json(&json!({"names": ["b", "a"]}))
        .send()
        .await
        .expect("ok");
    assert_eq!(order.status(), 200);
    assert_eq!(
        statuses(&app, 3).await,
        [503, 403, 403],
        "b first; its rule 0 stops after one firing, rule 1 takes over"
    );
}

#[tokio::test]
async fn delay_joins_an_error_and_distributions_stay_in_their_bounds() {
    let app = spawn_app().await;
    load(&app, "name: late\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {error: gateway_timeout, delay: {min: 200ms, max: 400ms}}\n").await;
    let started = std::time::Instant::now();
    let response = app.send(Method::GET, "/chiefonboarding/api/sequences/", None, None).await;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), 504);
    assert!(elapsed >= std::time::Duration::from_millis(200), "{elapsed:?}");
    let lognormal = load(
        &app,
        "name: tail\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {delay: {median: 5ms, p99: 50ms}}\n",
    )
    .await;
    assert_eq!(lognormal.status(), 201);
    let refused =
        load(&app, "name: bad\nrules:\n  - when: {vendor: '*'}\n    then: {delay: {median: 50ms, p99: 5ms}}\n").await;
    assert_eq!(refused.status(), 400);
}
