//! Requests that once crashed, stalled or bloated the server, each sent as quoted in the
//! hardening issue: the answer is the vendor's (or the admin API's) own, nothing changes, and
//! the server keeps answering.

use crate::helpers::{TestApp, spawn_app, spawn_with};
use hr_sandbox::settings::Settings;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

const PLACEHOLDER: &str = "JWT beep-beep-beep-beep-beep";

/// A client timeout far above what a linear matcher needs, far below what a backtracking one
/// would take: the bound the hostile-glob test asserts instead of a measured time.
const HOSTILE_ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

async fn still_serving(app: &TestApp) {
    let health = app.get_json("/__admin/health", None, 200).await;
    assert_eq!(health["status"], "ok");
}

async fn raw(app: &TestApp, method: Method, path: &str, auth: Option<&str>, body: String) -> (u16, String) {
    let mut request = app.request(method, path).header("Content-Type", "application/json").body(body);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    let response = app.execute(request).await;
    (response.status().as_u16(), response.text().await.expect("body"))
}

#[tokio::test]
async fn create_joinup_employees_nested_100000_deep_is_drfs_500_page() {
    let app = spawn_app().await;
    let deep = "[".repeat(100_000);
    let (status, body) = raw(&app, Method::POST, "/joinup/api/company/employees/", Some(PLACEHOLDER), deep).await;
    assert_eq!((status, body.as_str()), (500, "<h1>Server Error (500)</h1>"), "DRF lets RecursionError escape");
    still_serving(&app).await;
}

/// A ChiefOnboarding user POST of `body` answers 500 and writes nothing.
async fn assert_create_user_is_500_writing_nothing(body: String) {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let before = app.get_json("/__admin/vendors", None, 200).await;
    let (status, _) = raw(&app, Method::POST, "/chiefonboarding/api/users/", Some(&admin), body).await;
    assert_eq!(status, 500);
    assert_eq!(app.get_json("/__admin/vendors", None, 200).await, before, "nothing was written");
    still_serving(&app).await;
}

#[tokio::test]
async fn create_user_nested_100000_arrays_deep_is_500_writing_nothing() {
    assert_create_user_is_500_writing_nothing("[".repeat(100_000)).await;
}

#[tokio::test]
async fn create_user_nested_100000_objects_deep_is_500_writing_nothing() {
    assert_create_user_is_500_writing_nothing("{\"a\":".repeat(100_000)).await;
}

#[tokio::test]
async fn create_directory_employee_nested_100000_deep_is_springs_400() {
    // The Spring and Justworks parsers refuse depth with their own 400s.
    let app = spawn_app().await;
    let deep = "[".repeat(100_000);
    let directory = app.auth("directory", "owner").await;
    let (status, body) = raw(&app, Method::POST, "/directory/api/v1/employee", Some(&directory), deep).await;
    assert_eq!(status, 400, "{body}");
    still_serving(&app).await;
}

const ORQUEST_USERS: &str = "/orquest/api/v1/businesses/ACME/users";

/// Imports one Orquest employee whose `lag` is `lag` and who links a new user: the answer.
async fn import_with_lag(app: &TestApp, lag: i64) -> reqwest::Response {
    let auth = app.auth("orquest", "integration").await;
    let mut element = crate::orquest::element("777001");
    element["lag"] = json!(lag);
    element["user"] = json!({"username": "orphan", "email": "orphan@acme.test"});
    let path = "/orquest/api/v2/businesses/ACME/employees";
    app.send(Method::PUT, path, Some(&auth), Some(json!([element]))).await
}

#[tokio::test]
async fn import_employee_with_lag_past_a_java_int_is_that_elements_400() {
    let app = spawn_app().await;
    let response = import_with_lag(&app, 2_147_483_648).await;
    assert_eq!(response.status(), 200);
    let results: Value = response.json().await.expect("json");
    assert_eq!(results[0]["status"], 400, "{results}");
    still_serving(&app).await;
}

#[tokio::test]
async fn import_employee_with_lag_past_a_java_int_links_no_user() {
    let app = spawn_app().await;
    let auth = app.auth("orquest", "integration").await;
    let before = app.get_json(ORQUEST_USERS, Some(&auth), 200).await;
    import_with_lag(&app, 2_147_483_648).await;
    assert_eq!(app.get_json(ORQUEST_USERS, Some(&auth), 200).await, before, "no orphan user");
}

#[tokio::test]
async fn import_employee_with_lag_at_the_largest_java_int_is_accepted() {
    let app = spawn_app().await;
    let results: Value = import_with_lag(&app, 2_147_483_647).await.json().await.expect("json");
    assert_eq!(results[0]["status"], 200, "the largest Java int is a lag: {results}");
}

#[tokio::test]
async fn advance_clock_past_the_range_is_400() {
    let app = spawn_app().await;
    let refused = app.admin_post("/__admin/clock", json!({"advance_seconds": 10_000_000_000_000_i64}), 400).await;
    assert_eq!(refused["error"]["code"], "bad_request");
}

#[tokio::test]
async fn clock_change_refused_applies_none_of_its_parts() {
    let app = spawn_app().await;
    let before = app.get_json("/__admin/clock", None, 200).await;
    let body = json!({"frozen": true, "advance_seconds": 9_223_372_036_854_775_i64});
    app.admin_post("/__admin/clock", body, 400).await;
    let after = app.get_json("/__admin/clock", None, 200).await;
    assert_eq!(after["frozen"], before["frozen"], "frozen was not applied");
}

#[tokio::test]
async fn set_clock_to_year_1_is_400() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "0001-01-01T00:00:00Z"}), 400).await;
}

#[tokio::test]
async fn set_clock_to_year_1_refused_leaves_vendors_answering() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "0001-01-01T00:00:00Z"}), 400).await;
    let auth = app.auth("chiefonboarding", "admin").await;
    assert_eq!(app.send(Method::GET, "/chiefonboarding/api/employees/", Some(&auth), None).await.status(), 200);
}

const PAST_TEN_YEARS: i64 = 10_000_000_000_000;

#[tokio::test]
async fn mint_joinup_token_living_past_ten_years_is_400() {
    let app = spawn_app().await;
    let body = json!({"identity": "group_admin", "expires_in": PAST_TEN_YEARS});
    app.admin_post("/__admin/vendors/joinup/tokens", body, 400).await;
    app.admin_post("/__admin/vendors/joinup/tokens", json!({"identity": "group_admin", "expires_in": 1e13}), 400).await;
}

#[tokio::test]
async fn mint_directory_token_living_past_ten_years_is_400() {
    let app = spawn_app().await;
    let body = json!({"account": "owner@acme.test", "expires_in": PAST_TEN_YEARS});
    app.admin_post("/__admin/vendors/directory/tokens", body, 400).await;
}

/// PATCHes a job delay past ten years into `vendor`'s `setting`: 400, settings unchanged.
async fn assert_job_delay_past_ten_years_refused(app: &TestApp, vendor: &str, setting: &str) {
    let path = format!("/__admin/vendors/{vendor}/settings");
    let before = app.get_json(&path, None, 200).await;
    let patch = app.request(Method::PATCH, &path).json(&json!({setting: 1e13}));
    assert_eq!(app.execute(patch).await.status(), 400, "{setting}");
    assert_eq!(app.get_json(&path, None, 200).await, before);
}

#[tokio::test]
async fn patch_joinup_bulk_delay_past_ten_years_is_400() {
    let app = spawn_app().await;
    assert_job_delay_past_ten_years_refused(&app, "joinup", "bulk_processing_seconds").await;
}

#[tokio::test]
async fn patch_joinup_bulk_delay_refused_leaves_bulk_working() {
    let app = spawn_app().await;
    assert_job_delay_past_ten_years_refused(&app, "joinup", "bulk_processing_seconds").await;
    let items = json!([{"base_email": "x@acme-iberia.test", "name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let bulk = app.send(Method::POST, "/joinup/api/company/employees/", Some(PLACEHOLDER), Some(items)).await;
    assert_eq!(bulk.status(), 202, "bulk POSTs still work");
}

#[tokio::test]
async fn patch_justworks_report_delay_past_ten_years_is_400() {
    let app = spawn_app().await;
    assert_job_delay_past_ten_years_refused(&app, "justworks", "balance_report_seconds").await;
}

#[tokio::test]
async fn hostile_glob_is_matched_within_a_client_timeout() {
    let app = spawn_app().await;
    let scenario = "name: hostile\nrules:\n  - when:\n      vendor: chiefonboarding\n      path: /**/**/**/**/**/**/**/**/x\n      body_contains: needle-not-there\n    then:\n      error: conflict\n";
    let loaded =
        app.request(Method::POST, "/__admin/scenarios").header("Content-Type", "application/yaml").body(scenario);
    assert_eq!(app.execute(loaded).await.status(), 201);
    let path = format!("/chiefonboarding{}", "/a".repeat(61));
    // A backtracking matcher would take ages on 61 segments against 8 `**`: a linear one answers
    // well inside this generous client timeout (an answer that never comes fails the test).
    let get = app.request(Method::GET, &path).timeout(HOSTILE_ANSWER_TIMEOUT);
    let post =
        app.request(Method::POST, &path).timeout(HOSTILE_ANSWER_TIMEOUT).json(&json!({"blob": "a".repeat(1_000_000)}));
    let (first, second) = tokio::join!(get.send(), post.send());
    let statuses = (
        first.expect("GET answered in time").status().as_u16(),
        second.expect("POST answered in time").status().as_u16(),
    );
    assert_eq!(statuses, (404, 404));
    still_serving(&app).await;
}

/// The journal entry of a ChiefOnboarding user POST carrying a 100 KB name.
async fn journaled_big_post(app: &TestApp) -> Value {
    let auth = app.auth("chiefonboarding", "admin").await;
    let big = json!({"first_name": "a".repeat(100_000)});
    app.send(Method::POST, "/chiefonboarding/api/users/", Some(&auth), Some(big)).await;
    let journal = app.get_json("/__admin/requests?method=POST", None, 200).await;
    journal.as_array().expect("list")[0].clone()
}

#[tokio::test]
async fn journal_keeps_at_most_8_kib_of_a_body() {
    let app = spawn_app().await;
    let entry = journaled_big_post(&app).await;
    assert!(entry["body"].as_str().expect("text").len() <= 8 * 1024);
}

#[tokio::test]
async fn journal_marks_a_cut_body_truncated() {
    let app = spawn_app().await;
    let entry = journaled_big_post(&app).await;
    assert_eq!(entry["body_truncated"], true);
}

#[tokio::test]
async fn sandboxes_past_the_cap_are_a_409() {
    let app = spawn_with(Settings { max_sandboxes: 3, ..Settings::default() }).await;
    let existing = app.get_json("/__admin/sandboxes", None, 200).await.as_array().map_or(0, Vec::len);
    for n in existing..3 {
        app.admin_post("/__admin/sandboxes", json!({"name": format!("s{n}")}), 201).await;
    }
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "one-too-many"}), 409).await;
    assert_eq!(refused["error"]["code"], "too_many_sandboxes");
}

#[tokio::test]
async fn admin_answers_loopback_hosts() {
    let app = spawn_app().await;
    for host in ["localhost:8080", "127.0.0.1", "[::1]:1234", "LOCALHOST"] {
        let response = app.execute(app.request(Method::GET, "/__admin/health").header("Host", host)).await;
        assert_eq!(response.status(), 200, "{host}");
    }
}

#[tokio::test]
async fn admin_refuses_other_hosts_with_403() {
    let app = spawn_app().await;
    for host in ["evil.example", "localhost.evil.example", "10.0.0.1:8080"] {
        let response = app.execute(app.request(Method::GET, "/__admin/credentials").header("Host", host)).await;
        assert_eq!(response.status(), 403, "{host}");
        let body: Value = response.json().await.expect("admin json");
        assert_eq!(body["error"]["code"], "forbidden_host");
    }
}

#[tokio::test]
async fn vendor_routes_answer_any_host() {
    let app = spawn_app().await;
    let vendor =
        app.execute(app.request(Method::GET, "/chiefonboarding/api/employees/").header("Host", "x.example")).await;
    assert_eq!(vendor.status(), 401, "vendor routes answer any host");
}

#[tokio::test]
async fn admin_write_declaring_a_non_json_type_is_415() {
    let app = spawn_app().await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        let request = app.request(Method::POST, "/__admin/reset").header("Content-Type", content_type).body("{}");
        assert_eq!(app.execute(request).await.status(), 415, "{content_type}");
    }
    let plain = app.request(Method::POST, "/__admin/scenarios").header("Content-Type", "text/plain").body("name: x\n");
    assert_eq!(app.execute(plain).await.status(), 415);
}

#[tokio::test]
async fn admin_write_without_body_type_or_origin_is_answered() {
    let app = spawn_app().await;
    let bare = app.request(Method::POST, "/__admin/reset");
    assert_eq!(app.execute(bare).await.status(), 200, "curl -X POST .../reset: no body, no type, no Origin");
}

#[tokio::test]
async fn admin_write_from_another_origin_is_403() {
    let app = spawn_app().await;
    let cross_site = app.request(Method::POST, "/__admin/reset").header("Origin", "https://evil.example");
    let refused = app.execute(cross_site).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.expect("admin json")["error"]["code"], "forbidden_origin");
}

#[tokio::test]
async fn admin_write_from_a_loopback_origin_is_answered() {
    let app = spawn_app().await;
    let same_site =
        app.request(Method::POST, "/__admin/reset").header("Origin", "http://localhost:8080").json(&json!({}));
    assert_eq!(app.execute(same_site).await.status(), 200);
}

#[tokio::test]
async fn admin_body_past_its_cap_is_the_admin_413() {
    let app = spawn_app().await;
    let too_big = app.request(Method::POST, "/__admin/reset").json(&json!({"seed": "x".repeat(2_000_000)}));
    let response = app.execute(too_big).await;
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.expect("admin json, not text/plain");
    assert_eq!(body["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn an_admin_token_guards_every_admin_route() {
    let app = spawn_with(Settings { admin_token: Some("s3cret".into()), ..Settings::default() }).await;
    let bare = app.execute(app.request(Method::GET, "/__admin/health")).await;
    assert_eq!(bare.status(), 401);
    assert_eq!(bare.headers()["www-authenticate"], "Bearer");
    let wrong = app.request(Method::GET, "/__admin/credentials").header("Authorization", "Bearer nope");
    assert_eq!(app.execute(wrong).await.status(), 401);
    let right = app.request(Method::GET, "/__admin/credentials").header("Authorization", "Bearer s3cret");
    assert_eq!(app.execute(right).await.status(), 200);
}

/// A Justworks app registration with this logo URL.
fn app_body(logo: &str) -> Value {
    json!({"client_id": "evil", "client_secret": "s", "name": "Evil", "redirect_uris": ["https://evil.example/cb"],
           "scopes": ["company.basic:read"], "logo_url": logo})
}

#[tokio::test]
async fn register_app_refuses_a_javascript_logo_url() {
    let app = spawn_app().await;
    app.admin_post("/__admin/vendors/justworks/apps", app_body("javascript:alert(1)"), 400).await;
}

#[tokio::test]
async fn register_app_accepts_an_https_logo_url() {
    let app = spawn_app().await;
    app.admin_post("/__admin/vendors/justworks/apps", app_body("https://evil.example/logo.png"), 200).await;
}

#[tokio::test]
async fn register_app_refuses_a_javascript_redirect_uri() {
    let app = spawn_app().await;
    let mut redirect = app_body("https://evil.example/logo.png");
    redirect["redirect_uris"] = json!(["javascript:alert(document.cookie)"]);
    app.admin_post("/__admin/vendors/justworks/apps", redirect, 400).await;
}

/// Joinup's first page of one employee, asked through a proxy claiming `https://<host>`: its
/// `next` link.
async fn next_link_behind_proxy(app: &TestApp, host: &str) -> Value {
    let auth = app.auth("joinup", "group_admin").await;
    let page = app
        .request(Method::GET, "/joinup/api/company/employees/?page_size=1")
        .header("Authorization", auth.as_str())
        .header("X-Forwarded-Host", host)
        .header("X-Forwarded-Proto", "https");
    app.execute(page).await.json().await.expect("json")
}

#[tokio::test]
async fn forwarded_headers_are_ignored_by_default() {
    let app = spawn_app().await;
    let body = next_link_behind_proxy(&app, "evil.example").await;
    let next = body["next"].as_str().expect("a next link");
    assert!(next.starts_with("http://127.0.0.1:"), "{next}");
}

#[tokio::test]
async fn forwarded_headers_build_links_when_trusted() {
    let trusting = spawn_with(Settings { trust_forwarded: true, ..Settings::default() }).await;
    let body = next_link_behind_proxy(&trusting, "sandbox.example").await;
    assert!(body["next"].as_str().expect("next").starts_with("https://sandbox.example/"), "{body}");
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    // Spring Security runs first: the Spring vendors' 405 is for an authenticated caller.
    let directory = app.auth("directory", "owner").await;
    let orquest = app.auth("orquest", "integration").await;
    for (path, allow, auth) in [
        ("/justworks/v1/members", "GET", None),
        ("/directory/api/v1/employee", "GET, POST", Some(directory.as_str())),
        ("/orquest/api/v2/businesses/ACME/employees", "PUT", Some(orquest.as_str())),
    ] {
        let response = app.send(Method::DELETE, path, auth, None).await;
        assert_eq!(response.status(), 405, "{path}");
        assert_eq!(response.headers()["allow"], allow, "{path}");
    }
}

#[tokio::test]
async fn wrong_method_without_credentials_is_springs_401() {
    let app = spawn_app().await;
    let anonymous = app.send(Method::DELETE, "/directory/api/v1/employee/not-a-uuid", None, None).await;
    assert_eq!(anonymous.status(), 401, "no credential is 401 before the method or the path is looked at");
}

#[tokio::test]
async fn spring_body_past_its_cap_is_413_with_a_timestamp() {
    let app = spawn_app().await;
    let auth = app.auth("directory", "owner").await;
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(1_100_000));
    let (status, body) = raw(&app, Method::POST, "/directory/api/v1/employee", Some(&auth), big).await;
    assert_eq!(status, 413);
    let body: Value = serde_json::from_str(&body).expect("Spring JSON");
    assert!(body["timestamp"].is_string(), "{body}");
}
