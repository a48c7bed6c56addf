//! What the Directory answers as the Spring resource server it is: 415 for bodies that are not
//! JSON, RFC 6750 challenges on 401, and an employee's role kept equal to its account's grant.

use super::{call, dir};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_body_that_is_not_json_is_415_and_changes_nothing() {
    let app = spawn_app().await;
    let path = "/api/v1/organization/profile";
    let (_, before) = call(&app, Method::GET, path, "owner", None).await;
    let directory = app.vendor("directory");
    for content_type in [Some("text/plain"), Some("application/xml"), None] {
        let response = directory.send_raw(path, "owner", content_type, r#"{"mission": "wiped"}"#).await;
        assert_eq!(response.status().as_u16(), 415, "{content_type:?}");
        assert_eq!(response.headers()["accept"], "application/json, application/*+json");
        let body: Value = response.json().await.expect("JSON");
        let expected =
            format!("Content-Type '{}' is not supported.", content_type.unwrap_or("application/octet-stream"));
        assert_eq!((body["status"].clone(), body["message"].clone()), (json!(415), json!(expected)));
    }
    assert_eq!(call(&app, Method::GET, path, "owner", None).await.1, before, "the profile is untouched");
    let problem =
        directory.send_raw(path, "owner", Some("application/problem+json"), r#"{"mission": "JSON family"}"#).await;
    assert_eq!(problem.status().as_u16(), 201, "application/*+json is JSON to Jackson");
    let account =
        directory.send_raw("/api/v1/account", "admin", Some("text/plain"), r#"{"email": "x@acme.test"}"#).await;
    assert_eq!(account.status().as_u16(), 415);
}

#[tokio::test]
async fn a_401_carries_the_bearer_challenge() {
    let app = spawn_app().await;
    let path = dir("/api/v1/organization/profile");
    let missing = app.send(Method::GET, &path, None, None).await;
    assert_eq!((missing.status().as_u16(), missing.headers()["www-authenticate"].to_str().ok()), (401, Some("Bearer")));
    let basic = app.send(Method::GET, &path, Some("Basic dXNlcjpwYXNz"), None).await;
    assert_eq!(basic.headers()["www-authenticate"], "Bearer");
    let junk = app.send(Method::GET, &path, Some("Bearer not-a-token"), None).await;
    let challenge = junk.headers()["www-authenticate"].to_str().expect("ascii").to_owned();
    assert_eq!(junk.status().as_u16(), 401);
    assert!(challenge.starts_with("Bearer error=\"invalid_token\", error_description=\""), "{challenge}");
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let token = creds["directory"]["employee"]["authorization"].as_str().expect("token").to_owned();
    app.admin_post("/__admin/clock", json!({"set": "2040-01-01T00:00:00Z"}), 200).await;
    let expired = app.send(Method::GET, &path, Some(&token), None).await;
    let challenge = expired.headers()["www-authenticate"].to_str().expect("ascii").to_owned();
    assert!(challenge.contains("error_description=\"Jwt expired at 2036-01-01T00:00:00Z\""), "{challenge}");
    assert_eq!(expired.json::<Value>().await.expect("JSON")["message"], "JWT expired");
}

#[tokio::test]
async fn an_employees_role_follows_its_accounts_grant_and_back() {
    let app = spawn_app().await;
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let me = &creds["directory"]["employee"];
    let (account, employee) = (me["account_id"].as_str().expect("id"), me["employee_id"].as_str().expect("id"));
    let role_of_employee = |body: &Value| (body["role"].clone(), body["account"].clone());
    let grant = format!("/api/v1/account/{account}/grant");
    assert_eq!(call(&app, Method::POST, &grant, "owner", Some(json!({"role": "MANAGER"}))).await.0, 200);
    let (_, stored) = call(&app, Method::GET, &format!("/api/v1/employee/{employee}"), "owner", None).await;
    assert_eq!(role_of_employee(&stored), (json!("MANAGER"), json!(account)));

    // The other way: an employee update's role is the account's grant, with the grant's rules.
    let update = json!({"name": stored["name"], "email": stored["email"], "role": "ADMIN"});
    let (status, updated) =
        call(&app, Method::PATCH, &format!("/api/v1/employee/{employee}"), "owner", Some(update.clone())).await;
    assert_eq!((status, updated["role"].clone()), (200, json!("ADMIN")));
    let (_, linked) = call(&app, Method::GET, &format!("/api/v1/account/{account}"), "owner", None).await;
    assert_eq!(linked["grants"][0]["role"], "ADMIN");
    let mut above = update;
    above["role"] = json!("OWNER");
    assert_eq!(call(&app, Method::PATCH, &format!("/api/v1/employee/{employee}"), "admin", Some(above)).await.0, 403);
    let (_, unchanged) = call(&app, Method::GET, &format!("/api/v1/employee/{employee}"), "owner", None).await;
    assert_eq!(unchanged["role"], "ADMIN", "a refused update changes nothing");
}
