//! What the Directory answers as the Spring resource server it is: 415 for bodies that are not
//! JSON, RFC 6750 challenges on 401, and an employee's role kept equal to its account's grant.

use super::{call, dir};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

const PROFILE: &str = "/api/v1/organization/profile";
const NOT_JSON: [Option<&str>; 3] = [Some("text/plain"), Some("application/xml"), None];

#[tokio::test]
async fn post_profile_with_a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let directory = app.vendor("directory");
    for content_type in NOT_JSON {
        let response = directory.send_raw(PROFILE, "owner", content_type, r#"{"mission": "wiped"}"#).await;
        assert_eq!(response.status().as_u16(), 415, "{content_type:?}");
        assert_eq!(response.headers()["accept"], "application/json, application/*+json");
        let body: Value = response.json().await.expect("JSON");
        let expected =
            format!("Content-Type '{}' is not supported.", content_type.unwrap_or("application/octet-stream"));
        assert_eq!((body["status"].clone(), body["message"].clone()), (json!(415), json!(expected)));
    }
}

#[tokio::test]
async fn post_profile_with_a_body_that_is_not_json_changes_nothing() {
    let app = spawn_app().await;
    let (_, before) = call(&app, Method::GET, PROFILE, "owner", None).await;
    let directory = app.vendor("directory");
    for content_type in NOT_JSON {
        directory.send_raw(PROFILE, "owner", content_type, r#"{"mission": "wiped"}"#).await;
    }
    assert_eq!(call(&app, Method::GET, PROFILE, "owner", None).await.1, before, "the profile is untouched");
}

#[tokio::test]
async fn post_profile_as_a_json_family_type_is_201() {
    let app = spawn_app().await;
    let problem = app
        .vendor("directory")
        .send_raw(PROFILE, "owner", Some("application/problem+json"), r#"{"mission": "JSON family"}"#)
        .await;
    assert_eq!(problem.status().as_u16(), 201, "application/*+json is JSON to Jackson");
}

#[tokio::test]
async fn create_account_with_a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let account = app
        .vendor("directory")
        .send_raw("/api/v1/account", "admin", Some("text/plain"), r#"{"email": "x@acme.test"}"#)
        .await;
    assert_eq!(account.status().as_u16(), 415);
}

#[tokio::test]
async fn get_profile_without_credentials_is_401_with_the_bearer_challenge() {
    let app = spawn_app().await;
    let missing = app.send(Method::GET, &dir(PROFILE), None, None).await;
    assert_eq!((missing.status().as_u16(), missing.headers()["www-authenticate"].to_str().ok()), (401, Some("Bearer")));
}

#[tokio::test]
async fn get_profile_with_basic_auth_is_challenged_for_a_bearer() {
    let app = spawn_app().await;
    let basic = app.send(Method::GET, &dir(PROFILE), Some("Basic dXNlcjpwYXNz"), None).await;
    assert_eq!(basic.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn get_profile_with_a_junk_token_is_401_invalid_token() {
    let app = spawn_app().await;
    let junk = app.send(Method::GET, &dir(PROFILE), Some("Bearer not-a-token"), None).await;
    let challenge = junk.headers()["www-authenticate"].to_str().expect("ascii").to_owned();
    assert_eq!(junk.status().as_u16(), 401);
    assert!(challenge.starts_with("Bearer error=\"invalid_token\", error_description=\""), "{challenge}");
}

#[tokio::test]
async fn get_profile_with_an_expired_token_names_the_expiry() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let token = creds["directory"]["employee"]["authorization"].as_str().expect("token").to_owned();
    app.admin_post("/__admin/clock", json!({"set": "2040-01-01T00:00:00Z"}), 200).await;
    let expired = app.send(Method::GET, &dir(PROFILE), Some(&token), None).await;
    let challenge = expired.headers()["www-authenticate"].to_str().expect("ascii").to_owned();
    assert!(challenge.contains("error_description=\"Jwt expired at 2036-01-01T00:00:00Z\""), "{challenge}");
    assert_eq!(expired.json::<Value>().await.expect("JSON")["message"], "JWT expired");
}

/// The seeded employee identity's account and employee ids.
async fn employee_ids(app: &TestApp) -> (String, String) {
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let me = &creds["directory"]["employee"];
    (me["account_id"].as_str().expect("id").to_owned(), me["employee_id"].as_str().expect("id").to_owned())
}

/// Grants the employee's account MANAGER (asserted 200); the employee as stored then.
async fn grant_manager(app: &TestApp, account: &str, employee: &str) -> Value {
    let grant = format!("/api/v1/account/{account}/grant");
    assert_eq!(call(app, Method::POST, &grant, "owner", Some(json!({"role": "MANAGER"}))).await.0, 200);
    call(app, Method::GET, &format!("/api/v1/employee/{employee}"), "owner", None).await.1
}

/// After the MANAGER grant, the owner updates the employee's role to ADMIN: the update body
/// and the answer.
async fn update_role_to_admin(app: &TestApp, account: &str, employee: &str) -> (Value, (u16, Value)) {
    let stored = grant_manager(app, account, employee).await;
    let update = json!({"name": stored["name"], "email": stored["email"], "role": "ADMIN"});
    let answer = call(app, Method::PATCH, &format!("/api/v1/employee/{employee}"), "owner", Some(update.clone())).await;
    (update, answer)
}

#[tokio::test]
async fn grant_account_role_sets_its_employees_role() {
    let app = spawn_app().await;
    let (account, employee) = employee_ids(&app).await;
    let stored = grant_manager(&app, &account, &employee).await;
    assert_eq!((stored["role"].clone(), stored["account"].clone()), (json!("MANAGER"), json!(account)));
}

#[tokio::test]
async fn update_employee_role_is_200_with_the_new_role() {
    // An employee update's role is the account's grant, with the grant's rules.
    let app = spawn_app().await;
    let (account, employee) = employee_ids(&app).await;
    let (_, (status, updated)) = update_role_to_admin(&app, &account, &employee).await;
    assert_eq!((status, updated["role"].clone()), (200, json!("ADMIN")));
}

#[tokio::test]
async fn update_employee_role_sets_its_accounts_grant() {
    let app = spawn_app().await;
    let (account, employee) = employee_ids(&app).await;
    update_role_to_admin(&app, &account, &employee).await;
    let (_, linked) = call(&app, Method::GET, &format!("/api/v1/account/{account}"), "owner", None).await;
    assert_eq!(linked["grants"][0]["role"], "ADMIN");
}

/// After the update to ADMIN, the admin tries to raise the employee to OWNER: the status.
async fn raise_to_owner_as_admin(app: &TestApp, account: &str, employee: &str) -> u16 {
    let (mut above, _) = update_role_to_admin(app, account, employee).await;
    above["role"] = json!("OWNER");
    call(app, Method::PATCH, &format!("/api/v1/employee/{employee}"), "admin", Some(above)).await.0
}

#[tokio::test]
async fn update_employee_role_above_the_callers_own_is_403() {
    let app = spawn_app().await;
    let (account, employee) = employee_ids(&app).await;
    assert_eq!(raise_to_owner_as_admin(&app, &account, &employee).await, 403);
}

#[tokio::test]
async fn update_employee_role_refused_changes_nothing() {
    let app = spawn_app().await;
    let (account, employee) = employee_ids(&app).await;
    raise_to_owner_as_admin(&app, &account, &employee).await;
    let (_, unchanged) = call(&app, Method::GET, &format!("/api/v1/employee/{employee}"), "owner", None).await;
    assert_eq!(unchanged["role"], "ADMIN", "a refused update changes nothing");
}
