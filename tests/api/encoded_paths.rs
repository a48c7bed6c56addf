//! A percent-encoded request is the request its decoded path names: the router serves it, and
//! scenario rules, the journal, verify and unmatched see that same decoded path.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

/// Every form, per sandbox: the plain path, then two percent-encoded spellings of it.
const FORMS: [(&str, &str); 6] = [
    ("default", "/chiefonboarding/api/employees/"),
    ("default", "/%63hiefonboarding/api/employees/"),
    ("default", "/chiefonboarding/api/%65mployees/"),
    ("ci-42", "/sandboxes/ci-42/chiefonboarding/api/employees/"),
    ("ci-42", "/sandboxes/ci%2D42/chiefonboarding/api/employees/"),
    ("ci-42", "/sandboxes/ci%2D42/%63hiefonboarding/api/%65mployees/"),
];

const UNAVAILABLE: &str = "name: outage\nrules:\n  - when: {vendor: chiefonboarding, method: GET, path: /api/employees/}\n    then: {error: unavailable}\n";

async fn app_with_ci_42() -> TestApp {
    let app = spawn_app().await;
    let created = app.client.post(format!("{}/__admin/sandboxes", app.base)).json(&json!({"name": "ci-42"})).send();
    assert_eq!(created.await.expect("answered").status(), 201);
    app
}

/// Sends every form with the sandbox's admin credentials; the statuses, in order.
async fn send_every_form(app: &TestApp) -> Vec<u16> {
    let mut statuses = Vec::new();
    for (sandbox, path) in FORMS {
        let auth = app.auth_in("chiefonboarding", "admin", Some(sandbox)).await;
        let sent = app.client.get(format!("{}{path}", app.base)).header("Authorization", auth).send().await;
        statuses.push(sent.expect("answered").status().as_u16());
    }
    statuses
}

async fn admin_get(app: &TestApp, path: &str) -> Value {
    let answer = app.client.get(format!("{}{path}", app.base)).send().await.expect("answered");
    assert_eq!(answer.status(), 200, "{path}");
    answer.json().await.expect("JSON")
}

#[tokio::test]
async fn encoded_requests_are_served_like_the_plain_path() {
    let app = app_with_ci_42().await;
    assert_eq!(send_every_form(&app).await, vec![200; 6]);
}

#[tokio::test]
async fn encoded_requests_fire_the_scenario_rule_of_the_decoded_path() {
    let app = app_with_ci_42().await;
    for sandbox in ["default", "ci-42"] {
        let url = format!("{}/__admin/scenarios?sandbox={sandbox}", app.base);
        let loaded = app.client.post(url).header("Content-Type", "application/yaml").body(UNAVAILABLE).send();
        assert_eq!(loaded.await.expect("answered").status(), 201);
    }
    assert_eq!(send_every_form(&app).await, vec![503; 6]);
    let rules = admin_get(&app, "/__admin/scenarios?sandbox=ci-42").await;
    assert_eq!(rules[0]["rules"][0]["fired"], 3);
}

#[tokio::test]
async fn encoded_requests_are_journaled_under_the_decoded_path() {
    let app = app_with_ci_42().await;
    send_every_form(&app).await;
    for sandbox in ["default", "ci-42"] {
        let journal = admin_get(&app, &format!("/__admin/requests?sandbox={sandbox}")).await;
        let paths: Vec<&Value> = journal.as_array().expect("entries").iter().map(|e| &e["path"]).collect();
        assert_eq!(paths, vec!["/api/employees/"; 3], "{sandbox}");
    }
}

#[tokio::test]
async fn verify_counts_encoded_requests_by_their_decoded_path() {
    let app = app_with_ci_42().await;
    send_every_form(&app).await;
    let matcher = json!({"vendor": "chiefonboarding", "method": "GET", "path": "/api/employees/", "count": 3});
    for sandbox in ["default", "ci-42"] {
        let url = format!("{}/__admin/requests/verify?sandbox={sandbox}", app.base);
        let answer = app.client.post(url).json(&matcher).send().await.expect("answered");
        assert_eq!(answer.status(), 200, "{sandbox}");
        assert_eq!(answer.json::<Value>().await.expect("JSON"), json!({"ok": true, "count": 3}));
    }
}

#[tokio::test]
async fn unmatched_groups_encoded_requests_by_their_decoded_path() {
    let app = spawn_app().await;
    for path in ["/chiefonboarding/api/nope/", "/%63hiefonboarding/api/nope/", "/chiefonboarding/api/%6Eope/"] {
        app.client.get(format!("{}{path}", app.base)).send().await.expect("answered");
    }
    let unmatched = admin_get(&app, "/__admin/requests/unmatched").await;
    assert_eq!(unmatched["unmatched"].as_array().map(Vec::len), Some(1), "{unmatched}");
    assert_eq!(
        (&unmatched["unmatched"][0]["path"], &unmatched["unmatched"][0]["count"]),
        (&json!("/api/nope/"), &json!(3))
    );
}
