//! Organizations: current and by id, create and update, profiles, lookups, route order.

use super::call;
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn organizations_list_get_create_and_update() {
    let app = spawn_app().await;
    let (status, orgs) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    assert_eq!(status, 200);
    assert_eq!(orgs.as_array().map(Vec::len), Some(1));
    let id = orgs[0]["id"].as_str().expect("id").to_owned();
    let (status, org) = call(&app, Method::GET, &format!("/api/v1/organization/{id}"), "owner", None).await;
    assert_eq!((status, org["alias"].clone()), (200, json!("acme")));
    let (status, patched) =
        call(&app, Method::PATCH, "/api/v1/organization", "owner", Some(json!({"name": "Acme Robotics Inc"}))).await;
    assert_eq!(
        (status, patched["name"].clone(), patched["alias"].clone()),
        (200, json!("Acme Robotics Inc"), json!("acme"))
    );
    let (status, created) = call(
        &app,
        Method::POST,
        "/api/v1/organization",
        "owner",
        Some(json!({"name": "Acme Labs", "ownerEmail": "sam.ortiz@acme.test"})),
    )
    .await;
    assert_eq!((status, created["alias"].clone()), (201, json!("acme-labs")));
    let (status, body) =
        call(&app, Method::POST, "/api/v1/organization", "owner", Some(json!({"name": "Other", "alias": "acme"})))
            .await;
    assert_eq!((status, body["message"].clone()), (409, json!("alias acme is already taken")));
    let (status, body) = call(&app, Method::POST, "/api/v1/organization", "owner", Some(json!({"alias": "x"}))).await;
    assert_eq!((status, body["message"].clone()), (400, json!("name: must not be blank")));
    let (status, _) = call(&app, Method::GET, "/api/v1/organization/not-a-uuid", "owner", None).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn profile_post_replaces_and_patch_merges() {
    let app = spawn_app().await;
    let (_, before) = call(&app, Method::GET, "/api/v1/organization/profile", "owner", None).await;
    assert_eq!(before["timezone"], "America/New_York");
    let (status, patched) =
        call(&app, Method::PATCH, "/api/v1/organization/profile", "owner", Some(json!({"mission": "More robots"})))
            .await;
    assert_eq!(
        (status, patched["mission"].clone(), patched["timezone"].clone()),
        (200, json!("More robots"), json!("America/New_York"))
    );
    let (status, replaced) = call(
        &app,
        Method::POST,
        "/api/v1/organization/profile",
        "owner",
        Some(json!({"website": "https://acme.example"})),
    )
    .await;
    assert_eq!((status, replaced), (201, json!({"website": "https://acme.example"})));
    let (_, orgs) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    let id = orgs[0]["id"].as_str().expect("id");
    let by_id = format!("/api/v1/organization/{id}/profile");
    assert_eq!(
        call(&app, Method::PATCH, &by_id, "owner", Some(json!({"location": "Boston"}))).await.1["location"],
        "Boston"
    );
    assert_eq!(
        call(&app, Method::GET, &by_id, "owner", None).await.1,
        json!({"website": "https://acme.example", "location": "Boston"})
    );
    assert_eq!(call(&app, Method::POST, &by_id, "owner", Some(json!({"countryCode": 1}))).await.0, 400);
}

#[tokio::test]
async fn alias_and_app_lookups_and_literal_routes_are_not_ids() {
    let app = spawn_app().await;
    let alias = |a: &str| format!("/api/v1/organization/alias/{a}");
    assert_eq!(call(&app, Method::GET, &alias("acme"), "owner", None).await.1["name"], "Acme Robotics");
    assert_eq!(call(&app, Method::GET, &alias("nope"), "owner", None).await.0, 404);
    let names = |v: serde_json::Value| {
        v.as_array().map(|l| l.iter().map(|o| o["alias"].clone()).collect::<Vec<_>>()).unwrap_or_default()
    };
    for path in [
        "/api/v1/organization/by-app/slack",
        "/api/v1/organization/by-app-id/slack/T01ABCD",
        "/api/v1/organization/by-app-data/slack/teamName/acme",
    ] {
        assert_eq!(names(call(&app, Method::GET, path, "owner", None).await.1), vec![json!("acme")], "{path}");
    }
    assert!(
        names(call(&app, Method::GET, "/api/v1/organization/by-app-id/slack/NOPE", "owner", None).await.1).is_empty()
    );
    let secret = |s: &str| json!({"secret": s});
    let path = "/api/v1/organization/by-app-secret/slack/botToken";
    assert_eq!(
        names(call(&app, Method::POST, path, "owner", Some(secret("xoxb-acme-0001"))).await.1),
        vec![json!("acme")]
    );
    assert!(names(call(&app, Method::POST, path, "owner", Some(secret("wrong"))).await.1).is_empty());
    // The literal routes answer as themselves, never as `{id}` (which would be a 400 for a non-UUID).
    for path in ["/api/v1/organization/profile", "/api/v1/account/org-admins", "/api/v1/account/for-org"] {
        assert_eq!(call(&app, Method::GET, path, "owner", None).await.0, 200, "{path}");
    }
    let (_, admins) = call(&app, Method::GET, "/api/v1/account/org-admins", "owner", None).await;
    let emails: Vec<_> = admins.as_array().expect("admins").iter().map(|a| a["email"].clone()).collect();
    assert_eq!(emails, vec![json!("dana.lee@acme.test"), json!("sam.ortiz@acme.test")]);
}

#[tokio::test]
async fn the_shipped_directory_slow_scenario_delays_then_answers() {
    let app = spawn_app().await;
    app.load_shipped_scenario("directory-slow").await;
    let auth = app.auth("directory", "owner").await;
    let response = app.send(Method::GET, &super::dir("/api/v1/organization/profile"), Some(&auth), None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-sandbox-scenario"], "directory-slow#0");
}
