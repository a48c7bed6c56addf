//! Accounts, employees, managers, profiles, groups and memberships.

use super::{call, ids};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn owner_ids(app: &TestApp) -> (String, String) {
    let creds = app.get_json("/__admin/credentials", None, 200).await;
    let owner = &creds["directory"]["owner"];
    (
        owner["account_id"].as_str().expect("account").to_owned(),
        owner["employee_id"].as_str().expect("employee").to_owned(),
    )
}

#[tokio::test]
async fn accounts_create_get_update_grant_and_keep_an_owner() {
    let app = spawn_app().await;
    let (status, account) = call(
        &app,
        Method::POST,
        "/api/v1/account",
        "admin",
        Some(json!({"email": "new@acme.test", "name": "New Person"})),
    )
    .await;
    assert_eq!(status, 201);
    let id = account["id"].as_str().expect("id").to_owned();
    assert_eq!(
        call(&app, Method::POST, "/api/v1/account", "admin", Some(json!({"email": "NEW@acme.test"}))).await.0,
        409
    );
    assert_eq!(call(&app, Method::POST, "/api/v1/account", "admin", Some(json!({"email": "nope"}))).await.0, 400);
    assert_eq!(call(&app, Method::GET, "/api/v1/account/new@acme.test", "employee", None).await.1["id"], json!(id));
    let (status, patched) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/account/{id}"),
        "admin",
        Some(json!({"email": "renamed@acme.test"})),
    )
    .await;
    assert_eq!(
        (status, patched["email"].clone(), patched["name"].clone()),
        (200, json!("renamed@acme.test"), json!("New Person"))
    );
    let (_, employees) = call(&app, Method::GET, "/api/v1/employee/by-name/Avery", "admin", None).await;
    let employee = ids(&employees)[0].clone();
    let (status, granted) = call(
        &app,
        Method::POST,
        &format!("/api/v1/account/{id}/grant"),
        "owner",
        Some(json!({"role": "MANAGER", "employeeId": employee})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(granted["grants"][0]["role"], "MANAGER");
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/by-account/{id}"), "owner", None).await.1["id"],
        json!(employee)
    );
    assert_eq!(
        ids(&call(&app, Method::GET, &format!("/api/v1/account/{id}/employees"), "owner", None).await.1),
        vec![employee]
    );
    let (owner, _) = owner_ids(&app).await;
    let (status, body) =
        call(&app, Method::POST, &format!("/api/v1/account/{owner}/grant"), "owner", Some(json!({"role": "ADMIN"})))
            .await;
    assert_eq!((status, body["message"].clone()), (409, json!("an Organization must keep at least one owner")));
    assert_eq!(
        call(&app, Method::GET, "/api/v1/account/for-org", "owner", None).await.1.as_array().map(Vec::len),
        Some(4)
    );
}

#[tokio::test]
async fn employees_list_filter_create_update_and_search() {
    let app = spawn_app().await;
    let (_, all) = call(&app, Method::GET, "/api/v1/employee", "employee", None).await;
    let count = |filter: &dyn Fn(&Value) -> bool| all.as_array().expect("list").iter().filter(|e| filter(e)).count();
    let (_, inactive) = call(&app, Method::GET, "/api/v1/employee?status=INACTIVE", "employee", None).await;
    assert_eq!(inactive.as_array().map(Vec::len), Some(count(&|e| e["status"]["current"] == "INACTIVE")));
    let (_, contractors) = call(&app, Method::GET, "/api/v1/employee?type=CONTRACTOR", "employee", None).await;
    assert_eq!(contractors.as_array().map(Vec::len), Some(count(&|e| e["type"] == "CONTRACTOR")));
    let (status, created) = call(
        &app,
        Method::POST,
        "/api/v1/employee",
        "admin",
        Some(json!({"name": "Zed Quux", "email": "zed@acme.test", "role": "EMPLOYEE"})),
    )
    .await;
    assert_eq!(status, 201);
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(
        call(&app, Method::POST, "/api/v1/employee", "admin", Some(json!({"name": "Dup", "email": "zed@acme.test"})))
            .await
            .0,
        409
    );
    assert_eq!(
        call(&app, Method::POST, "/api/v1/employee", "admin", Some(json!({"name": "No Email"}))).await.1["message"],
        "email: must not be blank"
    );
    let (status, updated) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/employee/{id}"),
        "admin",
        Some(json!({"name": "Zed Q", "email": "zq@acme.test"})),
    )
    .await;
    assert_eq!((status, updated["name"].clone()), (200, json!("Zed Q")));
    assert_eq!(
        ids(&call(&app, Method::GET, "/api/v1/employee/by-name/zed%20q", "employee", None).await.1),
        vec![id.clone()]
    );
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/{id}"), "employee", None).await.1["email"],
        "zq@acme.test"
    );
}

#[tokio::test]
async fn managers_are_set_listed_removed_and_never_form_a_cycle() {
    let app = spawn_app().await;
    let (_, ceo) = owner_ids(&app).await;
    let (_, reports) =
        call(&app, Method::GET, &format!("/api/v1/employee/by-manager/{ceo}?type=DIRECT"), "owner", None).await;
    let report = ids(&reports)[0].clone();
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/{report}/managers"), "owner", None).await.1,
        json!([{"managerId": ceo, "type": "DIRECT"}])
    );
    let (_, grand) = call(&app, Method::GET, &format!("/api/v1/employee/by-manager/{report}"), "owner", None).await;
    let grandchild = ids(&grand)[0].clone();
    let (status, body) = call(
        &app,
        Method::POST,
        &format!("/api/v1/employee/{ceo}/managers"),
        "owner",
        Some(json!({"managerId": grandchild, "type": "INDIRECT"})),
    )
    .await;
    assert_eq!((status, body["message"].clone()), (409, json!("this manager relation would create a cycle")));
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/{ceo}/managers"), "owner", None).await.1,
        json!([]),
        "nothing changed"
    );
    let (status, relations) = call(
        &app,
        Method::POST,
        &format!("/api/v1/employee/{grandchild}/managers"),
        "owner",
        Some(json!({"managerId": ceo, "type": "INDIRECT"})),
    )
    .await;
    assert_eq!((status, relations.as_array().map(Vec::len)), (200, Some(2)));
    assert!(
        ids(&call(&app, Method::GET, &format!("/api/v1/employee/by-manager/{ceo}?type=INDIRECT"), "owner", None)
            .await
            .1)
        .contains(&grandchild)
    );
    let remove = format!("/api/v1/employee/{grandchild}/managers/{ceo}");
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await, (200, Value::Null));
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await.0, 404);
}

#[tokio::test]
async fn employee_profiles_replace_or_merge_and_check_dates() {
    let app = spawn_app().await;
    let (_, me) = owner_ids(&app).await;
    let path = format!("/api/v1/employee/{me}/profile");
    let (_, before) = call(&app, Method::GET, &path, "owner", None).await;
    assert_eq!(before["firstName"], "Dana");
    let (status, merged) =
        call(&app, Method::PATCH, &path, "owner", Some(json!({"bio": "Founder", "birthDate": "1985-02-03"}))).await;
    assert_eq!((status, merged["bio"].clone(), merged["firstName"].clone()), (200, json!("Founder"), json!("Dana")));
    let (status, body) = call(&app, Method::PATCH, &path, "owner", Some(json!({"joinDate": "03/04/2020"}))).await;
    assert_eq!((status, body["message"].clone()), (400, json!("joinDate: must be a date YYYY-MM-DD")));
    let (status, replaced) =
        call(&app, Method::POST, &path, "owner", Some(json!({"firstName": "Dana", "gender": "F"}))).await;
    assert_eq!((status, replaced), (201, json!({"firstName": "Dana", "gender": "F"})));
    let (_, other) = call(&app, Method::GET, "/api/v1/employee/by-name/Avery", "owner", None).await;
    let someone = ids(&other)[0].clone();
    assert_eq!(
        call(
            &app,
            Method::PATCH,
            &format!("/api/v1/employee/{someone}/profile"),
            "employee",
            Some(json!({"bio": "x"}))
        )
        .await
        .0,
        403
    );
}

#[tokio::test]
async fn groups_profiles_members_and_entity_groups() {
    let app = spawn_app().await;
    let (_, departments) = call(&app, Method::GET, "/api/v1/group?type=DEPARTMENT", "employee", None).await;
    assert_eq!(departments.as_array().map(Vec::len), Some(5));
    let (status, team) =
        call(&app, Method::POST, "/api/v1/group", "admin", Some(json!({"name": "Robotics Guild", "type": "TEAM"})))
            .await;
    assert_eq!(status, 201);
    let team_id = team["id"].as_str().expect("id").to_owned();
    assert_eq!(call(&app, Method::POST, "/api/v1/group", "admin", Some(json!({"name": "No type"}))).await.0, 400);
    let (status, patched) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/group/{team_id}"),
        "admin",
        Some(json!({"name": "Guild", "type": "TEAM"})),
    )
    .await;
    assert_eq!((status, patched["name"].clone()), (200, json!("Guild")));
    let profile = format!("/api/v1/group/{team_id}/profile");
    assert_eq!(
        call(&app, Method::POST, &profile, "admin", Some(json!({"icon": "R", "description": "Builders"}))).await.0,
        201
    );
    assert_eq!(
        call(&app, Method::PATCH, &profile, "admin", Some(json!({"description": "Makers"}))).await.1,
        json!({"icon": "R", "description": "Makers"})
    );
    let (_, me) = owner_ids(&app).await;
    let groups = format!("/api/v1/entity/{me}/groups");
    let (_, before) = call(&app, Method::GET, &groups, "owner", None).await;
    let unknown = json!([{"groupId": team_id, "type": "LEAD"}, {"groupId": "00000000-0000-4000-8000-000000000000", "type": "MEMBER"}]);
    assert_eq!(call(&app, Method::POST, &groups, "owner", Some(unknown)).await.0, 404);
    assert_eq!(call(&app, Method::GET, &groups, "owner", None).await.1, before, "an unknown group changes nothing");
    assert_eq!(
        call(&app, Method::POST, &groups, "owner", Some(json!([{"groupId": team_id, "type": "LEAD"}]))).await,
        (200, Value::Null)
    );
    assert_eq!(
        call(&app, Method::GET, &groups, "owner", None).await.1,
        json!([{"entity": me, "groupId": team_id, "type": "LEAD"}])
    );
    let (_, leads) =
        call(&app, Method::GET, &format!("/api/v1/group/{team_id}/members?membership=LEAD&entity={me}"), "owner", None)
            .await;
    assert_eq!(leads.as_array().map(Vec::len), Some(1));
    let remove = format!("/api/v1/entity/{me}/groups/{team_id}");
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await.0, 200);
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await.0, 404);
    assert_eq!(call(&app, Method::GET, &groups, "owner", None).await.1, json!([]));
}

#[tokio::test]
async fn set_entity_groups_defaults_the_type_to_member_and_ignores_items_without_a_group() {
    // The reference marks both `groupId` and `type` optional on each membership.
    let app = spawn_app().await;
    let (_, team) =
        call(&app, Method::POST, "/api/v1/group", "admin", Some(json!({"name": "Robotics Guild", "type": "TEAM"})))
            .await;
    let team_id = team["id"].as_str().expect("id").to_owned();
    let (_, me) = owner_ids(&app).await;
    let groups = format!("/api/v1/entity/{me}/groups");
    let items = json!([{"groupId": team_id}, {"type": "LEAD"}, {}, {"groupId": null, "type": null}]);
    let document = app.get_json("/__admin/vendors/directory/openapi", None, 200).await;
    let schema = &document["paths"]["/api/v1/entity/{entity}/groups"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(jsonschema::draft202012::is_valid(schema, &items), "the document admits the items: {schema}");
    assert_eq!(call(&app, Method::POST, &groups, "owner", Some(items)).await, (200, Value::Null));
    assert_eq!(
        call(&app, Method::GET, &groups, "owner", None).await.1,
        json!([{"entity": me, "groupId": team_id, "type": "MEMBER"}])
    );
}
