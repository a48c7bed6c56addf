//! The QA console's server side through HTTP: every page and asset is served from the binary with
//! a strict Content-Security-Policy, the admin exposure rules apply (hosts always; the token to
//! the API the pages call, not to the data-free pages), the shipped scenarios are listed for it,
//! the journal keeps both sides of an exchange for its Traffic page, and the Overview has its fork
//! form and its line saying where state is kept. The pages themselves are
//! driven in headless Chromium by `tests/clients/qa_console_in_chromium.py`.

use crate::helpers::{spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::Value;

#[tokio::test]
async fn every_console_file_is_served_from_the_binary_under_a_strict_policy() {
    let app = spawn_app().await;
    for (path, title) in [
        ("/__admin/ui", "Overview"),
        ("/__admin/ui/overview", "Overview"),
        ("/__admin/ui/traffic", "Traffic"),
        ("/__admin/ui/scenarios", "Scenarios"),
        ("/__admin/ui/data", "Data"),
        ("/__admin/ui/workforce", "Workforce"),
        ("/__admin/ui/credentials", "Credentials"),
    ] {
        let response = app.execute(app.request(Method::GET, path)).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
        let policy = response.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
        assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{policy}");
        let html = response.text().await.expect("html");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{path}");
        assert!(html.contains("<script src=\"/__admin/ui/assets/console.js\"></script>"), "one script, no inline code");
        assert!(!html.contains("http://") && !html.contains("https://"), "nothing from another site: {path}");
    }
    for (asset, kind) in [("console.js", "text/javascript"), ("console.css", "text/css")] {
        let response = app.execute(app.request(Method::GET, &format!("/__admin/ui/assets/{asset}"))).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().is_ok_and(|t| t.starts_with(kind)));
        let body = response.text().await.expect("text");
        assert!(
            !body.contains("innerHTML") && !body.contains("insertAdjacentHTML"),
            "values reach the page as text only"
        );
    }
    let unknown = app.execute(app.request(Method::GET, "/__admin/ui/<script>")).await;
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.expect("admin json");
    assert_eq!(body["error"]["code"], "not_found");
    let missing = app.execute(app.request(Method::GET, "/__admin/ui/assets/app.js")).await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_exposure_rules_hold_for_the_console() {
    let app = spawn_with(Settings { admin_token: Some("s3cret".into()), ..Settings::default() }).await;
    let page = app.execute(app.request(Method::GET, "/__admin/ui/credentials")).await;
    assert_eq!(page.status(), 200, "the page holds no data: it loads, then asks for the token");
    let data = app.execute(app.request(Method::GET, "/__admin/credentials")).await;
    assert_eq!(data.status(), 401, "what the page calls still needs the token");
    let foreign = app.request(Method::GET, "/__admin/ui").header("Host", "evil.example");
    assert_eq!(app.execute(foreign).await.status(), 403, "a rebinding page cannot load the console");
    let post = app.request(Method::POST, "/__admin/ui");
    assert_eq!(app.execute(post).await.status(), 401, "only GET of the pages is open");
}

#[tokio::test]
async fn shipped_scenarios_are_listed_with_their_source_for_loading() {
    let app = spawn_app().await;
    let shipped = app.get_json("/__admin/scenarios/shipped", None, 200).await;
    let names: Vec<&str> = shipped.as_array().expect("list").iter().filter_map(|s| s["name"].as_str()).collect();
    assert!(names.contains(&"chiefonboarding-outage") && names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let outage =
        shipped.as_array().into_iter().flatten().find(|s| s["name"] == "chiefonboarding-outage").expect("listed");
    let source = outage["source"].as_str().expect("source").to_owned();
    let loaded = app
        .execute(
            app.request(Method::POST, "/__admin/scenarios").header("Content-Type", "application/yaml").body(source),
        )
        .await;
    assert_eq!(loaded.status(), 201, "the listed source loads as is");
}

#[tokio::test]
async fn the_journal_keeps_both_sides_of_an_exchange() {
    let app = spawn_app().await;
    let auth = app.auth("chiefonboarding", "manager").await;
    let response = app.send(Method::GET, "/chiefonboarding/api/employees/", Some(&auth), None).await;
    assert_eq!(response.status(), 403);
    let journal = app.get_json("/__admin/requests", None, 200).await;
    let answer = &journal[0]["response"];
    assert_eq!(answer["headers"]["content-type"], "application/json");
    assert_eq!(answer["body"], "{\"detail\":\"You do not have permission to perform this action.\"}");
    assert_eq!((answer["body_truncated"].clone(), answer["streamed"].clone()), (false.into(), false.into()));
}

#[tokio::test]
async fn overview_offers_fork_and_a_place_for_where_state_is_kept() {
    let app = spawn_app().await;
    let page = app.execute(app.request(Method::GET, "/__admin/ui/overview")).await.text().await.expect("html");
    assert!(page.contains("<p id=\"state-where\"") && page.contains("<form id=\"fork-sandbox\""), "{page}");
    let script = app.execute(app.request(Method::GET, "/__admin/ui/assets/console.js")).await.text().await.expect("js");
    assert!(script.contains("health.state_dir"), "the Overview reads where state is kept from the health answer");
    let health = app.get_json("/__admin/health", None, 200).await;
    assert!(health.get("state_dir").is_none_or(Value::is_null), "without --state-dir, state is in memory only");
}
