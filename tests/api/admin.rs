//! The admin API: health, credentials, errors, clock, journal, request ids.

use crate::helpers::{TestApp, VENDOR_IDS, exchange, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn health_describes_the_running_server() {
    let app = spawn_app().await;
    let health = app.get_json("/__admin/health", None, 200).await;
    assert_eq!(
        health,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "seed": 42, "vendors": *VENDOR_IDS})
    );
}

#[tokio::test]
async fn credentials_name_every_identity_with_a_whole_authorization_value() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    insta::assert_json_snapshot!(creds);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for path in ["/__admin/health", "/chiefonboarding/api/employees/", "/nowhere", "/__admin/nope"] {
        let response = app.send(Method::GET, path, None, None).await;
        let id = response.headers()["x-sandbox-request-id"].to_str().expect("ascii").to_owned();
        assert!(!seen.contains(&id), "{path}: ids are unique");
        seen.push(id);
    }
}

#[tokio::test]
async fn unknown_prefix_is_a_json_404_listing_the_vendor_prefixes() {
    let app = spawn_app().await;
    let response = app.send(Method::GET, "/workday/api/workers", None, None).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await);
}

#[tokio::test]
async fn unknown_admin_route_is_404() {
    let app = spawn_app().await;
    let unknown = app.send(Method::GET, "/__admin/nope", None, None).await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn wrong_admin_method_is_the_admin_405() {
    let app = spawn_app().await;
    let wrong_method = app.send(Method::DELETE, "/__admin/health", None, None).await;
    assert_eq!(wrong_method.status(), 405);
    let body: Value = wrong_method.json().await.expect("json");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn bad_admin_json_is_the_admin_400() {
    let app = spawn_app().await;
    let bad_json = app.client.post(app.url("/__admin/clock")).body("{oops").send().await.expect("ok");
    assert_eq!(bad_json.status(), 400);
    let body: Value = bad_json.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");
}

#[tokio::test]
async fn vendor_state_of_an_unknown_vendor_is_the_admin_404() {
    let app = spawn_app().await;
    let unknown_vendor = app.get_json("/__admin/vendors/workday/state", None, 404).await;
    assert_eq!(unknown_vendor["error"]["code"], "not_found");
}

#[tokio::test]
async fn list_requests_with_a_bad_query_is_the_admin_400() {
    let app = spawn_app().await;
    let bad_query = app.get_json("/__admin/requests?status=abc", None, 400).await;
    assert_eq!(bad_query["error"]["code"], "bad_request");
}

#[tokio::test]
async fn vendors_lists_every_registered_vendor_in_registry_order() {
    let app = spawn_app().await;
    let vendors = app.get_json("/__admin/vendors", None, 200).await;
    let listed: Vec<&str> = vendors.as_array().expect("a list").iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(listed, *VENDOR_IDS);
}

#[tokio::test]
async fn vendors_lists_record_counts() {
    let app = spawn_app().await;
    let vendors = app.get_json("/__admin/vendors", None, 200).await;
    // The five vendors' seeded counts; a vendor added later is listed (the test above) without
    // having to be written here.
    let known = json!([
        {"id": "joinup", "name": "Joinup", "prefix": "/joinup", "counts": {"tenants": 2, "companies": 4, "employees": 480, "cost_centers": 24, "jobs": 0, "signups": 0}},
        {"id": "justworks", "name": "Justworks", "prefix": "/justworks", "counts": {"apps": 1, "members": 150, "deductions": 0, "payrolls": 24, "paystubs": 2976, "time_off_requests": 199, "access_tokens": 1}},
        {"id": "directory", "name": "Directory (Peoplelogic)", "prefix": "/directory", "counts": {"organizations": 2, "accounts": 4, "employees": 264, "groups": 12, "memberships": 352, "keys": 2}},
        {"id": "orquest", "name": "Orquest", "prefix": "/orquest", "counts": {"businesses": 2, "employees": 75, "users": 27, "service_associations": 75, "contracts": 75}},
        {"id": "chiefonboarding", "name": "ChiefOnboarding", "prefix": "/chiefonboarding", "counts": {"users": 100, "sequences": 7, "tokens": 4}}
    ]);
    for expected in known.as_array().expect("a list") {
        let listed = vendors.as_array().expect("a list").iter().find(|v| v["id"] == expected["id"]);
        assert_eq!(listed, Some(expected), "{}", expected["id"]);
    }
}

/// A server whose clock is set to 2030-01-01 and frozen; the answer to that set.
async fn frozen_in_2030() -> (TestApp, Value) {
    let app = spawn_app().await;
    let set = app.admin_post("/__admin/clock", json!({"set": "2030-01-01T00:00:00Z", "frozen": true}), 200).await;
    (app, set)
}

#[tokio::test]
async fn set_clock_answers_the_new_time() {
    let (_app, set) = frozen_in_2030().await;
    assert_eq!(set, json!({"now": "2030-01-01T00:00:00.000Z", "frozen": true}));
}

#[tokio::test]
async fn advance_clock_moves_a_frozen_clock() {
    let (app, _) = frozen_in_2030().await;
    let advanced = app.admin_post("/__admin/clock", json!({"advance_seconds": 90}), 200).await;
    assert_eq!(advanced["now"], "2030-01-01T00:01:30.000Z");
}

#[tokio::test]
async fn frozen_clock_stays_put() {
    let (app, _) = frozen_in_2030().await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 90}), 200).await;
    assert_eq!(app.get_json("/__admin/clock", None, 200).await["now"], "2030-01-01T00:01:30.000Z", "frozen stays put");
}

#[tokio::test]
async fn unfreeze_clock_runs_on_from_where_it_stood() {
    let (app, _) = frozen_in_2030().await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 90}), 200).await;
    let running = app.admin_post("/__admin/clock", json!({"frozen": false}), 200).await;
    assert_eq!(running["frozen"], false);
    let now = app.get_json("/__admin/clock", None, 200).await;
    assert!(now["now"].as_str().is_some_and(|t| t.starts_with("2030-01-01T00:01")), "{now}");
}

const BAD_CLOCK_CHANGES: [&str; 6] = [
    r#"{}"#,
    r#"{"set": "yesterday"}"#,
    r#"{"advance_seconds": -5}"#,
    r#"{"advance_seconds": "5"}"#,
    r#"{"rewind": 1}"#,
    r#"{"set": "2031-01-01T00:00:00Z", "advance_seconds": -1}"#,
];

#[tokio::test]
async fn set_clock_refuses_bad_input_with_the_admin_400() {
    let (app, _) = frozen_in_2030().await;
    for body in BAD_CLOCK_CHANGES {
        let body: Value = serde_json::from_str(body).expect("JSON");
        let response = app.admin_post("/__admin/clock", body.clone(), 400).await;
        assert_eq!(response["error"]["code"], "bad_request", "{body}");
    }
}

#[tokio::test]
async fn set_clock_refused_leaves_the_clock_where_it_was() {
    let (app, _) = frozen_in_2030().await;
    for body in BAD_CLOCK_CHANGES {
        app.admin_post("/__admin/clock", serde_json::from_str(body).expect("JSON"), 400).await;
    }
    assert_eq!(app.get_json("/__admin/clock", None, 200).await["now"], "2030-01-01T00:00:00.000Z");
}

/// A server (clock frozen in 2030) whose journal holds ChiefOnboarding's employees GET, a user
/// POST and an anonymous sequences GET asking for XML (a 404).
async fn journaled_three() -> TestApp {
    let (app, _) = frozen_in_2030().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    app.send(Method::GET, "/chiefonboarding/api/employees/", Some(&admin), None).await;
    app.send(Method::POST, "/chiefonboarding/api/users/", Some(&admin), Some(json!({"first_name": "J"}))).await;
    app.send(Method::GET, "/chiefonboarding/api/sequences/?format=xml", None, None).await;
    app
}

#[tokio::test]
async fn list_requests_records_every_request() {
    let app = journaled_three().await;
    let all = app.get_json("/__admin/requests", None, 200).await;
    assert_eq!(all.as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn list_requests_filters_by_method_within_a_vendor() {
    let app = journaled_three().await;
    let posted = app.get_json("/__admin/requests?method=post&vendor=chiefonboarding", None, 200).await;
    insta::assert_json_snapshot!(posted, {"[].request_id" => "[id]", "[].duration_ms" => "[ms]", "[].headers.authorization" => "[token]", "[].headers.host" => "[host]", "[].response.headers.date" => "[date]"});
}

#[tokio::test]
async fn list_requests_filters_by_status() {
    let app = journaled_three().await;
    let by_status = app.get_json("/__admin/requests?status=404", None, 200).await;
    assert_eq!(by_status[0]["query"], "format=xml");
}

#[tokio::test]
async fn list_requests_filters_by_path_glob() {
    let app = journaled_three().await;
    let by_path = app.get_json("/__admin/requests?path=/api/*/", None, 200).await;
    assert_eq!(by_path.as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn list_requests_limit_keeps_the_newest() {
    let app = journaled_three().await;
    let newest = app.get_json("/__admin/requests?limit=1", None, 200).await;
    assert_eq!(newest[0]["path"], "/api/sequences/");
}

#[tokio::test]
async fn delete_requests_clears_the_journal() {
    let app = journaled_three().await;
    let cleared = app.send(Method::DELETE, "/__admin/requests", None, None).await;
    assert_eq!(cleared.status(), 204);
    assert_eq!(app.get_json("/__admin/requests", None, 200).await, json!([]));
}

#[tokio::test]
async fn journal_keeps_only_the_newest_entries_past_its_limit() {
    let app = spawn_with(Settings { journal_limit: 2, ..Settings::default() }).await;
    for path in ["/api/a", "/api/b", "/api/c"] {
        app.send(Method::GET, &format!("/chiefonboarding{path}"), None, None).await;
    }
    let entries = app.get_json("/__admin/requests", None, 200).await;
    let paths: Vec<&str> = entries.as_array().into_iter().flatten().filter_map(|e| e["path"].as_str()).collect();
    assert_eq!(paths, ["/api/b", "/api/c"]);
    assert_eq!(entries[1]["seq"], 3);
}

#[tokio::test]
async fn the_date_header_of_vendor_answers_follows_the_sandbox_clock() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2030-01-01T00:00:00Z", "frozen": true}), 200).await;
    for path in ["/joinup/api/company/employees/", "/justworks/v1/members", "/directory/api/v1/organization"] {
        let response = app.send(Method::GET, path, None, None).await;
        assert_eq!(response.headers()["date"], "Tue, 01 Jan 2030 00:00:00 GMT", "{path}");
    }
    let auth = app.auth("chiefonboarding", "admin").await;
    let ok = app.send(Method::GET, "/chiefonboarding/api/employees/", Some(&auth), None).await;
    assert_eq!(
        (ok.status().as_u16(), ok.headers()["date"].to_str().ok()),
        (200, Some("Tue, 01 Jan 2030 00:00:00 GMT"))
    );
}
