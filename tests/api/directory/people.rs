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

async fn create_new_account(app: &TestApp) -> (u16, Value) {
    call(app, Method::POST, "/api/v1/account", "admin", Some(json!({"email": "new@acme.test", "name": "New Person"})))
        .await
}

/// A new account, renamed, granted MANAGER of Avery's employee (asserted 200): its id, the
/// employee's id and the grant's answer.
async fn granted_account(app: &TestApp) -> (String, String, Value) {
    let (_, account) = create_new_account(app).await;
    let id = account["id"].as_str().expect("id").to_owned();
    call(app, Method::PATCH, &format!("/api/v1/account/{id}"), "admin", Some(json!({"email": "renamed@acme.test"})))
        .await;
    let (_, employees) = call(app, Method::GET, "/api/v1/employee/by-name/Avery", "admin", None).await;
    let employee = ids(&employees)[0].clone();
    let (status, granted) = call(
        app,
        Method::POST,
        &format!("/api/v1/account/{id}/grant"),
        "owner",
        Some(json!({"role": "MANAGER", "employeeId": employee})),
    )
    .await;
    assert_eq!(status, 200);
    (id, employee, granted)
}

#[tokio::test]
async fn create_account_is_201() {
    let app = spawn_app().await;
    assert_eq!(create_new_account(&app).await.0, 201);
}

#[tokio::test]
async fn create_account_with_a_taken_email_in_another_case_is_409() {
    let app = spawn_app().await;
    create_new_account(&app).await;
    assert_eq!(
        call(&app, Method::POST, "/api/v1/account", "admin", Some(json!({"email": "NEW@acme.test"}))).await.0,
        409
    );
}

#[tokio::test]
async fn create_account_with_a_bad_email_is_400() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::POST, "/api/v1/account", "admin", Some(json!({"email": "nope"}))).await.0, 400);
}

#[tokio::test]
async fn get_account_by_email_finds_it() {
    let app = spawn_app().await;
    let (_, account) = create_new_account(&app).await;
    assert_eq!(call(&app, Method::GET, "/api/v1/account/new@acme.test", "employee", None).await.1["id"], account["id"]);
}

#[tokio::test]
async fn update_account_changes_only_the_given_fields() {
    let app = spawn_app().await;
    let (_, account) = create_new_account(&app).await;
    let id = account["id"].as_str().expect("id");
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
}

#[tokio::test]
async fn grant_account_manager_of_an_employee_answers_the_grant() {
    let app = spawn_app().await;
    let (_, _, granted) = granted_account(&app).await;
    assert_eq!(granted["grants"][0]["role"], "MANAGER");
}

#[tokio::test]
async fn get_employee_by_account_finds_the_granted_employee() {
    let app = spawn_app().await;
    let (id, employee, _) = granted_account(&app).await;
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/by-account/{id}"), "owner", None).await.1["id"],
        json!(employee)
    );
}

#[tokio::test]
async fn list_account_employees_shows_the_granted_employee() {
    let app = spawn_app().await;
    let (id, employee, _) = granted_account(&app).await;
    assert_eq!(
        ids(&call(&app, Method::GET, &format!("/api/v1/account/{id}/employees"), "owner", None).await.1),
        vec![employee]
    );
}

#[tokio::test]
async fn grant_the_last_owner_another_role_is_409() {
    let app = spawn_app().await;
    granted_account(&app).await;
    let (owner, _) = owner_ids(&app).await;
    let (status, body) =
        call(&app, Method::POST, &format!("/api/v1/account/{owner}/grant"), "owner", Some(json!({"role": "ADMIN"})))
            .await;
    assert_eq!((status, body["message"].clone()), (409, json!("an Organization must keep at least one owner")));
}

#[tokio::test]
async fn list_accounts_for_org_includes_the_new_account() {
    let app = spawn_app().await;
    granted_account(&app).await;
    assert_eq!(
        call(&app, Method::GET, "/api/v1/account/for-org", "owner", None).await.1.as_array().map(Vec::len),
        Some(4)
    );
}

/// The employees a query lists, against the count of all employees matching `keep`.
async fn filtered_against_all(
    app: &TestApp,
    query: &str,
    keep: &dyn Fn(&Value) -> bool,
) -> (Option<usize>, Option<usize>) {
    let (_, all) = call(app, Method::GET, "/api/v1/employee", "employee", None).await;
    let expected = all.as_array().expect("list").iter().filter(|e| keep(e)).count();
    let (_, filtered) = call(app, Method::GET, &format!("/api/v1/employee?{query}"), "employee", None).await;
    (filtered.as_array().map(Vec::len), Some(expected))
}

#[tokio::test]
async fn list_employees_filters_by_status() {
    let app = spawn_app().await;
    let (found, expected) =
        filtered_against_all(&app, "status=INACTIVE", &|e| e["status"]["current"] == "INACTIVE").await;
    assert_eq!(found, expected);
}

#[tokio::test]
async fn list_employees_filters_by_type() {
    let app = spawn_app().await;
    let (found, expected) = filtered_against_all(&app, "type=CONTRACTOR", &|e| e["type"] == "CONTRACTOR").await;
    assert_eq!(found, expected);
}

async fn create_zed(app: &TestApp) -> (u16, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/employee",
        "admin",
        Some(json!({"name": "Zed Quux", "email": "zed@acme.test", "role": "EMPLOYEE"})),
    )
    .await
}

/// Zed created, then renamed Zed Q with a new email: its id and the update's answer.
async fn updated_zed(app: &TestApp) -> (String, (u16, Value)) {
    let (_, created) = create_zed(app).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let answer = call(
        app,
        Method::PATCH,
        &format!("/api/v1/employee/{id}"),
        "admin",
        Some(json!({"name": "Zed Q", "email": "zq@acme.test"})),
    )
    .await;
    (id, answer)
}

#[tokio::test]
async fn create_employee_is_201() {
    let app = spawn_app().await;
    assert_eq!(create_zed(&app).await.0, 201);
}

#[tokio::test]
async fn create_employee_with_a_taken_email_is_409() {
    let app = spawn_app().await;
    create_zed(&app).await;
    assert_eq!(
        call(&app, Method::POST, "/api/v1/employee", "admin", Some(json!({"name": "Dup", "email": "zed@acme.test"})))
            .await
            .0,
        409
    );
}

#[tokio::test]
async fn create_employee_without_email_is_400_naming_it() {
    let app = spawn_app().await;
    assert_eq!(
        call(&app, Method::POST, "/api/v1/employee", "admin", Some(json!({"name": "No Email"}))).await.1["message"],
        "email: must not be blank"
    );
}

#[tokio::test]
async fn update_employee_is_200_with_the_new_name() {
    let app = spawn_app().await;
    let (_, (status, updated)) = updated_zed(&app).await;
    assert_eq!((status, updated["name"].clone()), (200, json!("Zed Q")));
}

#[tokio::test]
async fn search_employees_by_name_finds_the_updated_name_ignoring_case() {
    let app = spawn_app().await;
    let (id, _) = updated_zed(&app).await;
    assert_eq!(ids(&call(&app, Method::GET, "/api/v1/employee/by-name/zed%20q", "employee", None).await.1), vec![id]);
}

#[tokio::test]
async fn get_employee_shows_the_updated_email() {
    let app = spawn_app().await;
    let (id, _) = updated_zed(&app).await;
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/{id}"), "employee", None).await.1["email"],
        "zq@acme.test"
    );
}

/// The CEO, its first direct report and that report's first report.
async fn chain_of_command(app: &TestApp) -> (String, String, String) {
    let (_, ceo) = owner_ids(app).await;
    let (_, reports) =
        call(app, Method::GET, &format!("/api/v1/employee/by-manager/{ceo}?type=DIRECT"), "owner", None).await;
    let report = ids(&reports)[0].clone();
    let (_, grand) = call(app, Method::GET, &format!("/api/v1/employee/by-manager/{report}"), "owner", None).await;
    let grandchild = ids(&grand)[0].clone();
    (ceo, report, grandchild)
}

async fn add_manager(app: &TestApp, employee: &str, manager: &str) -> (u16, Value) {
    call(
        app,
        Method::POST,
        &format!("/api/v1/employee/{employee}/managers"),
        "owner",
        Some(json!({"managerId": manager, "type": "INDIRECT"})),
    )
    .await
}

#[tokio::test]
async fn list_managers_of_a_direct_report_shows_the_ceo() {
    let app = spawn_app().await;
    let (ceo, report, _) = chain_of_command(&app).await;
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/{report}/managers"), "owner", None).await.1,
        json!([{"managerId": ceo, "type": "DIRECT"}])
    );
}

#[tokio::test]
async fn add_manager_forming_a_cycle_is_409() {
    let app = spawn_app().await;
    let (ceo, _, grandchild) = chain_of_command(&app).await;
    let (status, body) = add_manager(&app, &ceo, &grandchild).await;
    assert_eq!((status, body["message"].clone()), (409, json!("this manager relation would create a cycle")));
}

#[tokio::test]
async fn add_manager_forming_a_cycle_changes_nothing() {
    let app = spawn_app().await;
    let (ceo, _, grandchild) = chain_of_command(&app).await;
    add_manager(&app, &ceo, &grandchild).await;
    assert_eq!(
        call(&app, Method::GET, &format!("/api/v1/employee/{ceo}/managers"), "owner", None).await.1,
        json!([]),
        "nothing changed"
    );
}

#[tokio::test]
async fn add_indirect_manager_is_200_listing_every_relation() {
    let app = spawn_app().await;
    let (ceo, _, grandchild) = chain_of_command(&app).await;
    let (status, relations) = add_manager(&app, &grandchild, &ceo).await;
    assert_eq!((status, relations.as_array().map(Vec::len)), (200, Some(2)));
}

#[tokio::test]
async fn list_by_indirect_manager_includes_the_added_report() {
    let app = spawn_app().await;
    let (ceo, _, grandchild) = chain_of_command(&app).await;
    add_manager(&app, &grandchild, &ceo).await;
    assert!(
        ids(&call(&app, Method::GET, &format!("/api/v1/employee/by-manager/{ceo}?type=INDIRECT"), "owner", None)
            .await
            .1)
        .contains(&grandchild)
    );
}

#[tokio::test]
async fn remove_manager_is_200_without_a_body() {
    let app = spawn_app().await;
    let (ceo, _, grandchild) = chain_of_command(&app).await;
    add_manager(&app, &grandchild, &ceo).await;
    let remove = format!("/api/v1/employee/{grandchild}/managers/{ceo}");
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await, (200, Value::Null));
}

#[tokio::test]
async fn remove_manager_twice_is_404() {
    let app = spawn_app().await;
    let (ceo, _, grandchild) = chain_of_command(&app).await;
    add_manager(&app, &grandchild, &ceo).await;
    let remove = format!("/api/v1/employee/{grandchild}/managers/{ceo}");
    call(&app, Method::DELETE, &remove, "owner", None).await;
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await.0, 404);
}

async fn own_profile(app: &TestApp) -> String {
    let (_, me) = owner_ids(app).await;
    format!("/api/v1/employee/{me}/profile")
}

#[tokio::test]
async fn get_employee_profile_shows_the_seeded_profile() {
    let app = spawn_app().await;
    let (_, before) = call(&app, Method::GET, &own_profile(&app).await, "owner", None).await;
    assert_eq!(before["firstName"], "Dana");
}

#[tokio::test]
async fn patch_employee_profile_merges() {
    let app = spawn_app().await;
    let path = own_profile(&app).await;
    let (status, merged) =
        call(&app, Method::PATCH, &path, "owner", Some(json!({"bio": "Founder", "birthDate": "1985-02-03"}))).await;
    assert_eq!((status, merged["bio"].clone(), merged["firstName"].clone()), (200, json!("Founder"), json!("Dana")));
}

#[tokio::test]
async fn patch_employee_profile_with_a_bad_date_is_400() {
    let app = spawn_app().await;
    let path = own_profile(&app).await;
    let (status, body) = call(&app, Method::PATCH, &path, "owner", Some(json!({"joinDate": "03/04/2020"}))).await;
    assert_eq!((status, body["message"].clone()), (400, json!("joinDate: must be a date YYYY-MM-DD")));
}

#[tokio::test]
async fn post_employee_profile_replaces_it() {
    let app = spawn_app().await;
    let path = own_profile(&app).await;
    call(&app, Method::PATCH, &path, "owner", Some(json!({"bio": "Founder", "birthDate": "1985-02-03"}))).await;
    let (status, replaced) =
        call(&app, Method::POST, &path, "owner", Some(json!({"firstName": "Dana", "gender": "F"}))).await;
    assert_eq!((status, replaced), (201, json!({"firstName": "Dana", "gender": "F"})));
}

#[tokio::test]
async fn patch_another_employees_profile_as_employee_is_403() {
    let app = spawn_app().await;
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
async fn list_groups_filters_by_type() {
    let app = spawn_app().await;
    let (_, departments) = call(&app, Method::GET, "/api/v1/group?type=DEPARTMENT", "employee", None).await;
    assert_eq!(departments.as_array().map(Vec::len), Some(5));
}

async fn create_team(app: &TestApp) -> (u16, Value) {
    call(app, Method::POST, "/api/v1/group", "admin", Some(json!({"name": "Robotics Guild", "type": "TEAM"}))).await
}

async fn new_team(app: &TestApp) -> String {
    create_team(app).await.1["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn create_group_is_201() {
    let app = spawn_app().await;
    assert_eq!(create_team(&app).await.0, 201);
}

#[tokio::test]
async fn create_group_without_type_is_400() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::POST, "/api/v1/group", "admin", Some(json!({"name": "No type"}))).await.0, 400);
}

#[tokio::test]
async fn update_group_is_200_with_the_new_name() {
    let app = spawn_app().await;
    let team_id = new_team(&app).await;
    let (status, patched) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/group/{team_id}"),
        "admin",
        Some(json!({"name": "Guild", "type": "TEAM"})),
    )
    .await;
    assert_eq!((status, patched["name"].clone()), (200, json!("Guild")));
}

async fn post_team_profile(app: &TestApp, team_id: &str) -> u16 {
    let profile = format!("/api/v1/group/{team_id}/profile");
    call(app, Method::POST, &profile, "admin", Some(json!({"icon": "R", "description": "Builders"}))).await.0
}

#[tokio::test]
async fn post_group_profile_is_201() {
    let app = spawn_app().await;
    let team_id = new_team(&app).await;
    assert_eq!(post_team_profile(&app, &team_id).await, 201);
}

#[tokio::test]
async fn patch_group_profile_merges() {
    let app = spawn_app().await;
    let team_id = new_team(&app).await;
    post_team_profile(&app, &team_id).await;
    let profile = format!("/api/v1/group/{team_id}/profile");
    assert_eq!(
        call(&app, Method::PATCH, &profile, "admin", Some(json!({"description": "Makers"}))).await.1,
        json!({"icon": "R", "description": "Makers"})
    );
}

/// The owner's employee id, its groups path and a new team's id.
async fn own_groups_and_team(app: &TestApp) -> (String, String, String) {
    let team_id = new_team(app).await;
    let (_, me) = owner_ids(app).await;
    let groups = format!("/api/v1/entity/{me}/groups");
    (me, groups, team_id)
}

async fn set_with_an_unknown_group(app: &TestApp, groups: &str, team_id: &str) -> u16 {
    let unknown = json!([{"groupId": team_id, "type": "LEAD"}, {"groupId": "00000000-0000-4000-8000-000000000000", "type": "MEMBER"}]);
    call(app, Method::POST, groups, "owner", Some(unknown)).await.0
}

async fn set_lead(app: &TestApp, groups: &str, team_id: &str) -> (u16, Value) {
    call(app, Method::POST, groups, "owner", Some(json!([{"groupId": team_id, "type": "LEAD"}]))).await
}

#[tokio::test]
async fn set_entity_groups_with_an_unknown_group_is_404() {
    let app = spawn_app().await;
    let (_, groups, team_id) = own_groups_and_team(&app).await;
    assert_eq!(set_with_an_unknown_group(&app, &groups, &team_id).await, 404);
}

#[tokio::test]
async fn set_entity_groups_with_an_unknown_group_changes_nothing() {
    let app = spawn_app().await;
    let (_, groups, team_id) = own_groups_and_team(&app).await;
    let (_, before) = call(&app, Method::GET, &groups, "owner", None).await;
    set_with_an_unknown_group(&app, &groups, &team_id).await;
    assert_eq!(call(&app, Method::GET, &groups, "owner", None).await.1, before, "an unknown group changes nothing");
}

#[tokio::test]
async fn set_entity_groups_is_200_without_a_body() {
    let app = spawn_app().await;
    let (_, groups, team_id) = own_groups_and_team(&app).await;
    assert_eq!(set_lead(&app, &groups, &team_id).await, (200, Value::Null));
}

#[tokio::test]
async fn list_entity_groups_shows_the_set_membership() {
    let app = spawn_app().await;
    let (me, groups, team_id) = own_groups_and_team(&app).await;
    set_lead(&app, &groups, &team_id).await;
    assert_eq!(
        call(&app, Method::GET, &groups, "owner", None).await.1,
        json!([{"entity": me, "groupId": team_id, "type": "LEAD"}])
    );
}

#[tokio::test]
async fn list_group_members_filters_by_the_query() {
    let app = spawn_app().await;
    let (me, groups, team_id) = own_groups_and_team(&app).await;
    set_lead(&app, &groups, &team_id).await;
    let (_, leads) =
        call(&app, Method::GET, &format!("/api/v1/group/{team_id}/members?membership=LEAD&entity={me}"), "owner", None)
            .await;
    assert_eq!(leads.as_array().map(Vec::len), Some(1));
}

/// The owner made LEAD of a new team, then removed from it: the removal's status and path.
async fn set_then_remove(app: &TestApp) -> (u16, String, String) {
    let (me, groups, team_id) = own_groups_and_team(app).await;
    set_lead(app, &groups, &team_id).await;
    let remove = format!("/api/v1/entity/{me}/groups/{team_id}");
    (call(app, Method::DELETE, &remove, "owner", None).await.0, remove, groups)
}

#[tokio::test]
async fn remove_entity_group_is_200() {
    let app = spawn_app().await;
    assert_eq!(set_then_remove(&app).await.0, 200);
}

#[tokio::test]
async fn remove_entity_group_twice_is_404() {
    let app = spawn_app().await;
    let (_, remove, _) = set_then_remove(&app).await;
    assert_eq!(call(&app, Method::DELETE, &remove, "owner", None).await.0, 404);
}

#[tokio::test]
async fn list_entity_groups_after_removal_is_empty() {
    let app = spawn_app().await;
    let (_, _, groups) = set_then_remove(&app).await;
    assert_eq!(call(&app, Method::GET, &groups, "owner", None).await.1, json!([]));
}

// The reference marks both `groupId` and `type` optional on each membership.
fn memberships_without_group_or_type(team_id: &str) -> Value {
    json!([{"groupId": team_id}, {"type": "LEAD"}, {}, {"groupId": null, "type": null}])
}

#[tokio::test]
async fn openapi_entity_groups_schema_admits_items_without_group_or_type() {
    let app = spawn_app().await;
    let items = memberships_without_group_or_type("00000000-0000-4000-8000-000000000000");
    let document = app.get_json("/__admin/vendors/directory/openapi", None, 200).await;
    let schema = &document["paths"]["/api/v1/entity/{entity}/groups"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(jsonschema::draft202012::is_valid(schema, &items), "the document admits the items: {schema}");
}

#[tokio::test]
async fn set_entity_groups_defaults_the_type_to_member_skipping_groupless_items() {
    let app = spawn_app().await;
    let (me, groups, team_id) = own_groups_and_team(&app).await;
    let items = memberships_without_group_or_type(&team_id);
    assert_eq!(call(&app, Method::POST, &groups, "owner", Some(items)).await, (200, Value::Null));
    assert_eq!(
        call(&app, Method::GET, &groups, "owner", None).await.1,
        json!([{"entity": me, "groupId": team_id, "type": "MEMBER"}])
    );
}
