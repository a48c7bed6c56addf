//! What a vendor's API may make a sandbox hold: at most 100,000 records per collection (409 in
//! the vendor's own format past it), and field lengths where the real vendor has none.

use crate::chiefonboarding::post_as_admin;
use crate::helpers::spawn_app;
use serde_json::{Value, json};

/// Seeds a vendor up to the cap. On its own client: the seeding takes long enough under load that
/// the server closes that connection once it answers, and a pooled one would then be reset.
async fn seed_to_the_cap(app: &crate::helpers::TestApp, vendor: &str, setting: &str) {
    let url = app.url(&format!("/__admin/vendors/{vendor}/settings"));
    let patch = json!({setting: 100_000});
    let response = reqwest::Client::new().patch(url).json(&patch).send().await.expect("answered");
    assert_eq!(response.status(), 200);
}

fn new_user(message: &str) -> Value {
    json!({"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.test", "role": 3, "message": message})
}

#[tokio::test]
async fn create_user_past_the_record_cap_is_409_in_drfs_format() {
    let app = spawn_app().await;
    seed_to_the_cap(&app, "chiefonboarding", "seed_users").await;
    let response = post_as_admin(&app, "/api/users/", new_user("")).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.expect("JSON");
    insta::assert_json_snapshot!(body);
    let counts = app.get_json("/__admin/vendors", None, 200).await;
    let chief = counts.as_array().and_then(|l| l.iter().find(|v| v["id"] == "chiefonboarding")).cloned();
    assert_eq!(chief.map(|c| c["counts"]["users"].clone()), Some(json!(100_000)), "nothing added");
}

#[tokio::test]
async fn create_user_refuses_a_message_past_10000_characters() {
    let app = spawn_app().await;
    let response = post_as_admin(&app, "/api/users/", new_user(&"m".repeat(10_001))).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("JSON");
    insta::assert_json_snapshot!(body);
    let fits = post_as_admin(&app, "/api/users/", new_user(&"m".repeat(10_000))).await;
    assert_eq!(fits.status(), 201);
}

#[tokio::test]
async fn import_employee_past_the_record_cap_fails_that_element_with_409() {
    let app = spawn_app().await;
    seed_to_the_cap(&app, "orquest", "seed_employees").await;
    let list = "/api/v2/businesses/ACME/employees";
    let (status, results) = app
        .vendor("orquest")
        .call(reqwest::Method::PUT, list, "integration", Some(json!([crate::orquest::element("NEW-1")])))
        .await;
    assert_eq!(status, 200, "{results}");
    insta::assert_json_snapshot!(results);
}

#[tokio::test]
async fn bulk_onboarding_past_the_record_cap_fails_that_item_in_the_report() {
    let app = crate::joinup::spawn_unthrottled().await;
    seed_to_the_cap(&app, "joinup", "seed_employees").await;
    let joinup = app.vendor("joinup");
    let items = json!([{"base_email": "ana.nueva@acme-iberia.test", "name": "Ana Nueva", "operation": "onboarding"}]);
    let (status, started) =
        joinup.call(reqwest::Method::POST, "/api/company/employees/", "single_company", Some(items)).await;
    assert_eq!(status, 202, "{started}");
    app.admin_post("/__admin/clock", json!({"advance_seconds": 5}), 200).await;
    let id = started["request_id"].as_str().expect("request_id");
    let path = format!("/api/company/employees/check-request/{id}/");
    let (_, report) = joinup.call(reqwest::Method::GET, &path, "single_company", None).await;
    insta::assert_json_snapshot!(report, {".id" => "[request_id]", ".created" => "[created]"});
}
