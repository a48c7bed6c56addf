//! What a scenario may not say, refused at load with `file:rule N: reason`: bodies on statuses
//! that cannot carry one, the names of the fixed admin routes, durations past the bound.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

async fn load(app: &TestApp, yaml: &str) -> (u16, Value) {
    let loaded = app.post_scenario("/__admin/scenarios", yaml.to_owned()).await;
    (loaded.status().as_u16(), loaded.json().await.unwrap_or(Value::Null))
}

fn rule(then: &str) -> String {
    format!("name: shaped\nrules:\n  - when: {{vendor: chiefonboarding}}\n    then: {then}\n")
}

#[tokio::test]
async fn scenario_load_refuses_a_body_on_a_status_without_one() {
    let app = spawn_app().await;
    for (then, reason) in [
        ("{response: {status: 204, body: {a: 1}}}", "status 204 has no body in HTTP; drop body/body_text"),
        ("{response: {status: 304, body_text: cached}}", "status 304 has no body in HTTP; drop body/body_text"),
        ("{response: {status: 103, body_text: hints}}", "status 103 has no body in HTTP; drop body/body_text"),
        ("{response: {status: 101}}", "status 101 is never allowed: the connection would switch protocols"),
        ("{error: {kind: conflict, status: 204}}", "error status 204 cannot carry the vendor's error body"),
        ("{error: {kind: internal, status: 100}}", "error status 100 cannot carry the vendor's error body"),
    ] {
        let (status, answer) = load(&app, &rule(then)).await;
        assert_eq!(
            (status, answer["error"]["message"].clone()),
            (400, json!(format!("<body>:rule 0: {reason}"))),
            "{then}"
        );
    }
    assert_eq!(app.get_json("/__admin/scenarios", None, 200).await, json!([]), "nothing was loaded");
}

#[tokio::test]
async fn response_204_without_a_body_keeps_the_connection_in_step() {
    let app = spawn_app().await;
    assert_eq!(load(&app, &rule("{response: {status: 204}}")).await.0, 201);
    // One client, so the second request reuses the first one's connection.
    for _ in 0..2 {
        let answer = app.client.get(format!("{}/chiefonboarding/api/employees/", app.base)).send().await;
        let answer = answer.expect("answered");
        assert_eq!(answer.status(), 204);
        assert_eq!(answer.text().await.expect("body"), "");
    }
}

#[tokio::test]
async fn scenario_load_refuses_the_names_of_fixed_routes() {
    let app = spawn_app().await;
    for name in ["active", "shipped", "schema"] {
        let yaml = format!("name: {name}\nrules:\n  - when: {{vendor: '*'}}\n    then: {{error: internal}}\n");
        let (status, answer) = load(&app, &yaml).await;
        let reason =
            format!("<body>: scenario name '{name}' is reserved: /__admin/scenarios/{name} is a fixed admin route");
        assert_eq!((status, answer["error"]["message"].clone()), (400, json!(reason)));
        let unnamed = "rules:\n  - when: {vendor: '*'}\n    then: {error: internal}\n";
        let by_query = app.post_scenario(&format!("/__admin/scenarios?name={name}"), unnamed).await;
        assert_eq!(by_query.status(), 400, "?name={name}");
    }
}

#[tokio::test]
async fn delay_of_one_hour_is_accepted() {
    let app = spawn_app().await;
    for delay in ["1h", "60m", "3600s", "3600000"] {
        let (status, answer) = load(&app, &rule(&format!("{{delay: {delay}}}"))).await;
        assert_eq!(status, 201, "{delay}: {answer}");
    }
}

#[tokio::test]
async fn delay_past_one_hour_is_refused_with_the_bound() {
    let app = spawn_app().await;
    for (delay, reason) in [
        ("'1.5h'", "duration '1.5h' is longer than 1h (at most 1h)"),
        ("3600001", "duration 3600001 is longer than 1h (at most 1h)"),
        ("'soon'", "bad duration 'soon' (like 1500ms, 2s, 5m, 1h; at most 1h)"),
    ] {
        let (status, answer) = load(&app, &rule(&format!("{{delay: {delay}}}"))).await;
        assert_eq!((status, answer["error"]["message"].clone()), (400, json!(format!("<body>:rule 0: {reason}"))));
    }
}

#[tokio::test]
async fn fire_window_past_ten_years_is_refused() {
    let app = spawn_app().await;
    let yaml = "name: w\nrules:\n  - when: {vendor: '*'}\n    fire: {window: {start_after_s: 18446744073709551615, duration_s: 60}}\n    then: {error: internal}\n";
    let (status, answer) = load(&app, yaml).await;
    assert_eq!(
        (status, answer["error"]["message"].clone()),
        (400, json!("<body>:rule 0: window.start_after_s is at most 316224000 (ten years)"))
    );
}
