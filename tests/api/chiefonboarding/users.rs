//! `POST /api/users/`: the 201 body, defaults, every 400 message, both 500s.

use super::{co, post_as_admin, post_raw};
use crate::helpers::{TestApp, exchange, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// The seed page's own example body.
fn seed_example() -> Value {
    json!({"first_name":"James","last_name":"Weller","email":"james@chiefonboarding.com","phone":"","position":"Technical lead","language":"en","message":"","start_day":"2020-12-04","buddy":4,"timezone":"UTC","sequences":[3], "role":0})
}

async fn employees(app: &TestApp) -> Vec<Value> {
    let admin = app.auth("chiefonboarding", "admin").await;
    app.get_json(&co("/api/employees/"), Some(&admin), 200).await.as_array().cloned().unwrap_or_default()
}

async fn user_in_state(app: &TestApp, email: &str) -> Option<Value> {
    let state = app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await;
    state["users"].as_array()?.iter().find(|u| u["email"] == email).cloned()
}

#[tokio::test]
async fn create_user_with_the_seed_example_is_201_without_id() {
    let app = spawn_app().await;
    let response = post_as_admin(&app, "/api/users/", seed_example()).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "allow", "location"]).await);
}

#[tokio::test]
async fn create_user_with_the_seed_example_is_listed_with_the_next_id() {
    let app = spawn_app().await;
    post_as_admin(&app, "/api/users/", seed_example()).await;
    let listed = employees(&app).await;
    let last = listed.last().expect("listed");
    assert_eq!(
        last,
        &json!({"id": 101, "first_name": "James", "last_name": "Weller", "email": "james@chiefonboarding.com"})
    );
}

#[tokio::test]
async fn create_user_with_the_seed_example_stores_its_sequences() {
    let app = spawn_app().await;
    post_as_admin(&app, "/api/users/", seed_example()).await;
    let stored = user_in_state(&app, "james@chiefonboarding.com").await.expect("stored");
    assert_eq!(stored["sequences"], json!([3]));
}

/// An app whose frozen clock reads 2030-06-01T23:30:00Z: already the next day in
/// Europe/Amsterdam, the organization's timezone.
async fn app_at_amsterdam_midnight() -> TestApp {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2030-06-01T23:30:00Z", "frozen": true}), 200).await;
    app
}

#[tokio::test]
async fn create_new_hire_fills_the_organizations_defaults() {
    let app = app_at_amsterdam_midnight().await;
    let response = post_as_admin(
        &app,
        "/api/users/",
        json!({"first_name": "  Ann  ", "last_name": 123, "email": "Ann@Acme.test", "role": "0"}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["first_name"], "Ann", "trimmed");
    assert_eq!(body["last_name"], "123", "numbers become strings");
    assert_eq!(body["email"], "ann@acme.test", "lower-cased");
    assert_eq!(body["start_day"], "2030-06-02", "today in the organization's timezone");
    assert_eq!(body["timezone"], "Europe/Amsterdam");
    assert_eq!(body["language"], "en");
    assert_eq!(body["role"], 0);
}

/// Creates a manager with sequences and a null start day; the answer's body.
async fn create_manager_with_sequences(app: &TestApp) -> Value {
    let manager = post_as_admin(app, "/api/users/", json!({"first_name": "Max", "last_name": "M", "email": "max@acme.test", "role": 2, "sequences": [1], "start_day": null})).await;
    manager.json().await.expect("json")
}

#[tokio::test]
async fn create_manager_gets_no_default_start_day() {
    let app = app_at_amsterdam_midnight().await;
    let manager = create_manager_with_sequences(&app).await;
    assert_eq!(manager["start_day"], Value::Null, "only new hires get a default start day");
}

#[tokio::test]
async fn create_manager_stores_no_sequences() {
    let app = app_at_amsterdam_midnight().await;
    create_manager_with_sequences(&app).await;
    let stored = user_in_state(&app, "max@acme.test").await.expect("stored");
    assert_eq!(stored["sequences"], json!([]), "sequences only apply to new hires");
}

/// Every documented validation case: the fields changed on a valid body, and DRF's 400 body.
fn invalid_users() -> Vec<(Value, Value)> {
    let valid = json!({"first_name": "A", "last_name": "B", "email": "valid@acme.test", "role": 3});
    let long = "x".repeat(201);
    let cases: Vec<(Value, Value)> = vec![
        (json!({"first_name": null}), json!({"first_name": ["This field may not be null."]})),
        (json!({"last_name": ""}), json!({"last_name": ["This field may not be blank."]})),
        (json!({"last_name": "   "}), json!({"last_name": ["This field may not be blank."]})),
        (json!({"first_name": long}), json!({"first_name": ["Ensure this field has no more than 200 characters."]})),
        (json!({"first_name": ["a"]}), json!({"first_name": ["Not a valid string."]})),
        (json!({"first_name": true}), json!({"first_name": ["Not a valid string."]})),
        (json!({"email": "a@b"}), json!({"email": ["Enter a valid email address."]})),
        (json!({"email": "ada.admin@acme.test"}), json!({"email": ["user with this Email already exists."]})),
        (
            json!({"email": format!("{}@acme.test", "e".repeat(191))}),
            json!({"email": ["Ensure this field has no more than 200 characters."]}),
        ),
        (json!({"email": null}), json!({"email": ["This field may not be null."]})),
        (json!({"role": 7}), json!({"role": ["\"7\" is not a valid choice."]})),
        (json!({"role": true}), json!({"role": ["\"True\" is not a valid choice."]})),
        (json!({"role": 1.5}), json!({"role": ["\"1.5\" is not a valid choice."]})),
        (json!({"timezone": "falsetimezone"}), json!({"timezone": ["\"falsetimezone\" is not a valid choice."]})),
        (json!({"timezone": ""}), json!({"timezone": ["\"\" is not a valid choice."]})),
        (json!({"language": "jp2"}), json!({"language": ["\"jp2\" is not a valid choice."]})),
        (json!({"language": ""}), json!({"language": ["\"\" is not a valid choice."]})),
        (json!({"buddy": 1999999}), json!({"buddy": ["Invalid pk \"1999999\" - object does not exist."]})),
        (json!({"manager": "abc"}), json!({"manager": ["Incorrect type. Expected pk value, received str."]})),
        (json!({"buddy": true}), json!({"buddy": ["Incorrect type. Expected pk value, received bool."]})),
        (json!({"buddy": [1]}), json!({"buddy": ["Incorrect type. Expected pk value, received list."]})),
        (
            json!({"start_day": "04-12-2020"}),
            json!({"start_day": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        ),
        (
            json!({"start_day": "2030-03-04T10:00:00"}),
            json!({"start_day": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        ),
        (
            json!({"start_day": 20300304}),
            json!({"start_day": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        ),
        (
            json!({"start_day": ""}),
            json!({"start_day": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
        ),
        (json!({"sequences": [999]}), json!({"sequences": ["Not all sequence ids are valid."]})),
        (json!({"sequences": [1, 1]}), json!({"sequences": ["Not all sequence ids are valid."]})),
        (json!({"sequences": "1"}), json!({"sequences": ["Expected a list of items but got type \"str\"."]})),
        (json!({"sequences": {"a": 1}}), json!({"sequences": ["Expected a list of items but got type \"dict\"."]})),
        (json!({"sequences": null}), json!({"sequences": ["This field may not be null."]})),
        (
            json!({"sequences": [1, "x", true]}),
            json!({"sequences": {"1": ["A valid integer is required."], "2": ["A valid integer is required."]}}),
        ),
    ];
    cases
        .into_iter()
        .map(|(patch, expected)| {
            let mut body = valid.clone();
            for (key, value) in patch.as_object().expect("object") {
                body[key] = value.clone();
            }
            (body, expected)
        })
        .collect()
}

#[tokio::test]
async fn create_user_reports_every_documented_validation_message() {
    let app = spawn_app().await;
    for (body, expected) in invalid_users() {
        let response = post_as_admin(&app, "/api/users/", body.clone()).await;
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(response.json::<Value>().await.expect("json"), expected, "{body}");
    }
}

#[tokio::test]
async fn create_user_refused_by_validation_creates_nothing() {
    let app = spawn_app().await;
    for (body, _) in invalid_users() {
        post_as_admin(&app, "/api/users/", body).await;
    }
    assert_eq!(employees(&app).await.len(), 100, "no failed request created anything");
}

#[tokio::test]
async fn create_user_accepts_what_drf_coerces() {
    let app = spawn_app().await;
    let response = post_as_admin(&app, "/api/users/", json!({"first_name": "Cy", "last_name": "D", "email": "x@localhost", "role": 0, "buddy": "2", "sequences": ["1", 2.0], "start_day": "2030-3-4"})).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("json");
    assert_eq!((body["buddy"].clone(), body["start_day"].clone()), (json!(2), json!("2030-03-04")));
}

#[tokio::test]
async fn create_user_with_missing_fields_lists_them_all_in_field_order() {
    let app = spawn_app().await;
    let response = post_as_admin(&app, "/api/users/", json!({"role": 0})).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "allow"]).await);
}

#[tokio::test]
async fn create_user_with_an_empty_body_is_400_like_an_empty_object() {
    let app = spawn_app().await;
    let empty = post_raw(&app, "/api/users/", Some("application/json"), "").await;
    assert_eq!(empty.status(), 400, "an empty body is an empty object");
    let empty_body: Value = empty.json().await.expect("json");
    assert_eq!(empty_body["email"], json!(["This field is required."]));
}

#[tokio::test]
async fn create_user_rejects_non_object_bodies() {
    let app = spawn_app().await;
    for (body, message) in [
        ("[]", "Invalid data. Expected a dictionary, but got list."),
        ("\"x\"", "Invalid data. Expected a dictionary, but got str."),
        ("3", "Invalid data. Expected a dictionary, but got int."),
        ("null", "No data provided"),
    ] {
        let response = post_raw(&app, "/api/users/", Some("application/json"), body).await;
        assert_eq!(response.status(), 400);
        assert_eq!(response.json::<Value>().await.expect("json"), json!({"non_field_errors": [message]}));
    }
}

#[tokio::test]
async fn create_user_rejects_malformed_json_with_pythons_message() {
    let app = spawn_app().await;
    let response = post_raw(&app, "/api/users/", Some("application/json"), "{\"first_name\": }").await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await);
}

#[tokio::test]
async fn create_user_with_nan_is_400_with_pythons_message() {
    let app = spawn_app().await;
    let nan = post_raw(&app, "/api/users/", Some("application/json"), "{\"role\": NaN}").await;
    assert_eq!(
        nan.json::<Value>().await.expect("json"),
        json!({"detail": "JSON parse error - Out of range float values are not JSON compliant: 'NaN'"})
    );
}

#[tokio::test]
async fn create_user_with_unsupported_content_type_is_415_echoing_it() {
    let app = spawn_app().await;
    for (content_type, shown) in [(Some("text/plain; charset=utf-8"), "text/plain; charset=utf-8"), (None, "")] {
        let response = post_raw(&app, "/api/users/", content_type, "first_name=x").await;
        assert_eq!(response.status(), 415);
        let expected = json!({"detail": format!("Unsupported media type \"{shown}\" in request.")});
        assert_eq!(response.json::<Value>().await.expect("json"), expected);
    }
}

#[tokio::test]
async fn create_user_from_a_form_body_is_201_with_repeated_sequences() {
    let app = spawn_app().await;
    let response = post_raw(
        &app,
        "/api/users/",
        Some("application/x-www-form-urlencoded"),
        "first_name=Fo&last_name=Rm&email=form%40acme.test&role=0&sequences=1&sequences=2&phone=",
    )
    .await;
    assert_eq!(response.status(), 201);
    let stored = user_in_state(&app, "form@acme.test").await.expect("stored");
    assert_eq!(stored["sequences"], json!([1, 2]));
}

#[tokio::test]
async fn create_new_hire_from_a_form_with_an_empty_start_day_is_500() {
    // An empty form value on a nullable field is null, so a new hire's start_day hits the 500.
    let app = spawn_app().await;
    let empty_start = post_raw(
        &app,
        "/api/users/",
        Some("application/x-www-form-urlencoded"),
        "first_name=E&last_name=S&email=empty.start%40acme.test&role=0&start_day=",
    )
    .await;
    assert_eq!(empty_start.status(), 500);
}

async fn create_without_role(app: &TestApp) -> reqwest::Response {
    post_as_admin(app, "/api/users/", json!({"first_name": "No", "last_name": "Role", "email": "norole@acme.test"}))
        .await
}

#[tokio::test]
async fn create_user_without_role_is_a_500_html_page() {
    let app = spawn_app().await;
    let response = create_without_role(&app).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type"]).await);
}

#[tokio::test]
async fn create_user_without_role_creates_nothing() {
    let app = spawn_app().await;
    create_without_role(&app).await;
    assert!(user_in_state(&app, "norole@acme.test").await.is_none());
}

#[tokio::test]
async fn create_user_without_role_with_a_validation_error_is_400() {
    let app = spawn_app().await;
    let with_other_error =
        post_as_admin(&app, "/api/users/", json!({"first_name": "", "last_name": "Role", "email": "norole@acme.test"}))
            .await;
    assert_eq!(with_other_error.status(), 400, "validation errors come before the 500");
}

async fn create_with_email_differing_in_case(app: &TestApp) -> reqwest::Response {
    post_as_admin(
        app,
        "/api/users/",
        json!({"first_name": "Ada", "last_name": "Again", "email": "Ada.Admin@acme.test", "role": 3}),
    )
    .await
}

#[tokio::test]
async fn create_user_with_email_differing_only_in_case_is_500() {
    let app = spawn_app().await;
    assert_eq!(create_with_email_differing_in_case(&app).await.status(), 500);
}

#[tokio::test]
async fn create_user_with_email_differing_only_in_case_creates_nothing() {
    let app = spawn_app().await;
    create_with_email_differing_in_case(&app).await;
    assert_eq!(employees(&app).await.len(), 100);
}

async fn create_new_hire_with_null_start_day(app: &TestApp) -> reqwest::Response {
    post_as_admin(
        app,
        "/api/users/",
        json!({"first_name": "Nu", "last_name": "Ll", "email": "null.start@acme.test", "role": 0, "start_day": null}),
    )
    .await
}

#[tokio::test]
async fn create_new_hire_with_null_start_day_is_a_500_page() {
    let app = spawn_app().await;
    let response = create_new_hire_with_null_start_day(&app).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text().await.expect("body"), "<h1>Server Error (500)</h1>");
}

#[tokio::test]
async fn create_new_hire_with_null_start_day_still_stores_the_user() {
    let app = spawn_app().await;
    create_new_hire_with_null_start_day(&app).await;
    let listed = employees(&app).await;
    assert_eq!(listed.last().map(|u| u["email"].clone()), Some(json!("null.start@acme.test")));
}

#[tokio::test]
async fn create_user_answers_allow() {
    let app = spawn_app().await;
    let created = post_as_admin(
        &app,
        "/api/users/",
        json!({"first_name": "Al", "last_name": "Low", "email": "allow@acme.test", "role": 3}),
    )
    .await;
    assert_eq!(created.headers()["allow"], "POST, OPTIONS");
}

#[tokio::test]
async fn create_user_refused_answers_allow() {
    let app = spawn_app().await;
    let invalid = post_as_admin(&app, "/api/users/", json!({})).await;
    assert_eq!(invalid.headers()["allow"], "POST, OPTIONS");
}

#[tokio::test]
async fn list_sequences_without_credentials_answers_allow() {
    let app = spawn_app().await;
    let unauthenticated = app.send(Method::GET, &co("/api/sequences/"), None, None).await;
    assert_eq!(unauthenticated.headers()["allow"], "GET, HEAD, OPTIONS");
}
