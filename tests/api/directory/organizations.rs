//! Organizations: current and by id, create and update, profiles, lookups, route order.

use super::call;
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn own_organization_id(app: &TestApp) -> String {
    let (_, orgs) = call(app, Method::GET, "/api/v1/organization", "owner", None).await;
    orgs[0]["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn list_organizations_shows_only_ones_own() {
    let app = spawn_app().await;
    let (status, orgs) = call(&app, Method::GET, "/api/v1/organization", "owner", None).await;
    assert_eq!(status, 200);
    assert_eq!(orgs.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn get_organization_by_id_is_200() {
    let app = spawn_app().await;
    let id = own_organization_id(&app).await;
    let (status, org) = call(&app, Method::GET, &format!("/api/v1/organization/{id}"), "owner", None).await;
    assert_eq!((status, org["alias"].clone()), (200, json!("acme")));
}

#[tokio::test]
async fn update_organization_keeps_its_alias() {
    let app = spawn_app().await;
    let (status, patched) =
        call(&app, Method::PATCH, "/api/v1/organization", "owner", Some(json!({"name": "Acme Robotics Inc"}))).await;
    assert_eq!(
        (status, patched["name"].clone(), patched["alias"].clone()),
        (200, json!("Acme Robotics Inc"), json!("acme"))
    );
}

#[tokio::test]
async fn create_organization_is_201_with_an_alias_from_its_name() {
    let app = spawn_app().await;
    let (status, created) = call(
        &app,
        Method::POST,
        "/api/v1/organization",
        "owner",
        Some(json!({"name": "Acme Labs", "ownerEmail": "sam.ortiz@acme.test"})),
    )
    .await;
    assert_eq!((status, created["alias"].clone()), (201, json!("acme-labs")));
}

#[tokio::test]
async fn create_organization_with_a_taken_alias_is_409() {
    let app = spawn_app().await;
    let (status, body) =
        call(&app, Method::POST, "/api/v1/organization", "owner", Some(json!({"name": "Other", "alias": "acme"})))
            .await;
    assert_eq!((status, body["message"].clone()), (409, json!("alias acme is already taken")));
}

#[tokio::test]
async fn create_organization_without_a_name_is_400() {
    let app = spawn_app().await;
    let (status, body) = call(&app, Method::POST, "/api/v1/organization", "owner", Some(json!({"alias": "x"}))).await;
    assert_eq!((status, body["message"].clone()), (400, json!("name: must not be blank")));
}

#[tokio::test]
async fn get_organization_with_an_id_not_a_uuid_is_400() {
    let app = spawn_app().await;
    let (status, _) = call(&app, Method::GET, "/api/v1/organization/not-a-uuid", "owner", None).await;
    assert_eq!(status, 400);
}

const PROFILE: &str = "/api/v1/organization/profile";

#[tokio::test]
async fn get_organization_profile_shows_the_seeded_timezone() {
    let app = spawn_app().await;
    let (_, before) = call(&app, Method::GET, PROFILE, "owner", None).await;
    assert_eq!(before["timezone"], "America/New_York");
}

#[tokio::test]
async fn patch_organization_profile_merges() {
    let app = spawn_app().await;
    let (status, patched) = call(&app, Method::PATCH, PROFILE, "owner", Some(json!({"mission": "More robots"}))).await;
    assert_eq!(
        (status, patched["mission"].clone(), patched["timezone"].clone()),
        (200, json!("More robots"), json!("America/New_York"))
    );
}

async fn replace_profile(app: &TestApp) -> (u16, Value) {
    call(app, Method::POST, PROFILE, "owner", Some(json!({"website": "https://acme.example"}))).await
}

#[tokio::test]
async fn post_organization_profile_replaces_it() {
    let app = spawn_app().await;
    call(&app, Method::PATCH, PROFILE, "owner", Some(json!({"mission": "More robots"}))).await;
    assert_eq!(replace_profile(&app).await, (201, json!({"website": "https://acme.example"})));
}

#[tokio::test]
async fn patch_organization_profile_by_id_merges_into_the_stored_one() {
    let app = spawn_app().await;
    replace_profile(&app).await;
    let by_id = format!("/api/v1/organization/{}/profile", own_organization_id(&app).await);
    assert_eq!(
        call(&app, Method::PATCH, &by_id, "owner", Some(json!({"location": "Boston"}))).await.1["location"],
        "Boston"
    );
    assert_eq!(
        call(&app, Method::GET, &by_id, "owner", None).await.1,
        json!({"website": "https://acme.example", "location": "Boston"})
    );
}

#[tokio::test]
async fn post_organization_profile_by_id_with_a_bad_field_is_400() {
    let app = spawn_app().await;
    let by_id = format!("/api/v1/organization/{}/profile", own_organization_id(&app).await);
    assert_eq!(call(&app, Method::POST, &by_id, "owner", Some(json!({"countryCode": 1}))).await.0, 400);
}

fn alias(a: &str) -> String {
    format!("/api/v1/organization/alias/{a}")
}

/// The aliases of a lookup's organizations.
fn aliases(v: Value) -> Vec<Value> {
    v.as_array().map(|l| l.iter().map(|o| o["alias"].clone()).collect::<Vec<_>>()).unwrap_or_default()
}

#[tokio::test]
async fn get_organization_by_alias_is_200() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::GET, &alias("acme"), "owner", None).await.1["name"], "Acme Robotics");
}

#[tokio::test]
async fn get_organization_by_unknown_alias_is_404() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::GET, &alias("nope"), "owner", None).await.0, 404);
}

#[tokio::test]
async fn lookup_organizations_by_app_finds_its_own() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/organization/by-app/slack",
        "/api/v1/organization/by-app-id/slack/T01ABCD",
        "/api/v1/organization/by-app-data/slack/teamName/acme",
    ] {
        assert_eq!(aliases(call(&app, Method::GET, path, "owner", None).await.1), vec![json!("acme")], "{path}");
    }
}

#[tokio::test]
async fn lookup_organizations_by_unknown_app_id_is_empty() {
    let app = spawn_app().await;
    assert!(
        aliases(call(&app, Method::GET, "/api/v1/organization/by-app-id/slack/NOPE", "owner", None).await.1).is_empty()
    );
}

const BY_SECRET: &str = "/api/v1/organization/by-app-secret/slack/botToken";

#[tokio::test]
async fn lookup_organizations_by_app_secret_finds_its_own() {
    let app = spawn_app().await;
    let found = call(&app, Method::POST, BY_SECRET, "owner", Some(json!({"secret": "xoxb-acme-0001"}))).await.1;
    assert_eq!(aliases(found), vec![json!("acme")]);
}

#[tokio::test]
async fn lookup_organizations_by_a_wrong_app_secret_is_empty() {
    let app = spawn_app().await;
    assert!(aliases(call(&app, Method::POST, BY_SECRET, "owner", Some(json!({"secret": "wrong"}))).await.1).is_empty());
}

#[tokio::test]
async fn literal_routes_answer_as_themselves_never_as_ids() {
    // `{id}` would be a 400 for a non-UUID.
    let app = spawn_app().await;
    for path in ["/api/v1/organization/profile", "/api/v1/account/org-admins", "/api/v1/account/for-org"] {
        assert_eq!(call(&app, Method::GET, path, "owner", None).await.0, 200, "{path}");
    }
}

#[tokio::test]
async fn list_org_admins_lists_every_admin() {
    let app = spawn_app().await;
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
