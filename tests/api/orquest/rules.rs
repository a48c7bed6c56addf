//! The import rules the fidelity review found missing: the list status switch, one user per
//! employee, incidences identified by `id`, and `ignoreWithoutOuterId` keeping what is stored.

use super::{call, element};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

const LIST: &str = "/api/v2/businesses/ACME/employees";
const STATE: &str = "/__admin/vendors/orquest/state";

fn with_user(employee_id: &str, user: Value) -> Value {
    let mut element = element(employee_id);
    element["user"] = user;
    element
}

/// A valid element, one with a bad email and one with a bad role.
fn mixed_elements() -> Value {
    let bad_email = with_user("910001", json!({"username": "e1", "email": "nope"}));
    let bad_role = with_user("910002", json!({"username": "e2", "roles": ["Chef"]}));
    json!([element("910000"), bad_email, bad_role])
}

const SETTINGS: &str = "/__admin/vendors/orquest/settings";

async fn switch_on(app: &TestApp) -> Value {
    app.admin_patch(SETTINGS, json!({"list_status_from_first_failure": true}), 200).await
}

#[tokio::test]
async fn import_is_200_with_each_elements_status_by_default() {
    let app = spawn_app().await;
    let (status, results) = call(&app, Method::PUT, LIST, "integration", Some(mixed_elements())).await;
    assert_eq!(status, 200, "the default keeps the reference's 200 array");
    let statuses: Vec<_> = results.as_array().expect("array").iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, vec![json!(200), json!(406), json!(409)]);
}

#[tokio::test]
async fn patch_settings_list_status_switch_answers_the_settings() {
    let app = spawn_app().await;
    assert_eq!(switch_on(&app).await, json!({"seed_employees": 60, "list_status_from_first_failure": true}));
}

#[tokio::test]
async fn import_with_the_status_switch_answers_the_first_failing_elements_status() {
    let app = spawn_app().await;
    switch_on(&app).await;
    let (status, again) = call(&app, Method::PUT, LIST, "integration", Some(mixed_elements())).await;
    assert_eq!((status, again[1]["message"].clone()), (406, json!("User email is not valid")));
}

#[tokio::test]
async fn import_with_the_status_switch_without_failures_is_200() {
    let app = spawn_app().await;
    switch_on(&app).await;
    let (status, _) = call(&app, Method::PUT, LIST, "integration", Some(json!([element("910003")]))).await;
    assert_eq!(status, 200, "no failing element, no failing status");
}

#[tokio::test]
async fn import_with_the_status_switch_answers_409_for_a_bad_role() {
    let app = spawn_app().await;
    switch_on(&app).await;
    let only_role = json!([with_user("910004", json!({"username": "e4", "roles": ["Chef"]}))]);
    let (status, results) = call(&app, Method::PUT, LIST, "integration", Some(only_role)).await;
    assert_eq!((status, results[0]["message"].clone()), (409, json!("some role is not valid")));
}

#[tokio::test]
async fn import_with_the_status_switch_keeps_the_valid_elements_data() {
    let app = spawn_app().await;
    switch_on(&app).await;
    call(&app, Method::PUT, LIST, "integration", Some(mixed_elements())).await;
    let state = app.get_json(STATE, None, 200).await;
    assert_eq!(state["businesses"][0]["employees"]["910000"]["person"]["employeeId"], "910000", "the data stays");
}

#[tokio::test]
async fn patch_settings_list_status_switch_not_a_boolean_is_400() {
    let app = spawn_app().await;
    app.admin_patch(SETTINGS, json!({"list_status_from_first_failure": "yes"}), 400).await;
}

/// The usernames of the users linked to `employee`.
fn linked(state: &Value, employee: &str) -> Vec<String> {
    let users = state["businesses"][0]["users"].as_array().expect("users");
    users
        .iter()
        .filter(|u| u["employeeId"] == employee)
        .map(|u| u["username"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// Imports `element`, asserting its own status is 200.
async fn import_ok(app: &TestApp, element: Value) {
    assert_eq!(call(app, Method::PUT, LIST, "integration", Some(json!([element]))).await.1[0]["status"], 200);
}

/// Employee 920001 imported with user first.user, then again naming second.user; the state.
async fn import_with_a_second_username(app: &TestApp) -> Value {
    import_ok(app, with_user("920001", json!({"username": "first.user", "email": "first@acme.test"}))).await;
    import_ok(app, with_user("920001", json!({"username": "second.user", "email": "second@acme.test"}))).await;
    app.get_json(STATE, None, 200).await
}

#[tokio::test]
async fn import_with_another_username_keeps_the_linked_user() {
    let app = spawn_app().await;
    let state = import_with_a_second_username(&app).await;
    assert_eq!(linked(&state, "920001"), vec!["first.user"], "the username never changes, no second user");
}

#[tokio::test]
async fn import_with_another_username_updates_the_linked_user() {
    let app = spawn_app().await;
    let state = import_with_a_second_username(&app).await;
    let users = state["businesses"][0]["users"].as_array().expect("users");
    let first_user = users.iter().find(|u| u["username"] == "first.user").expect("first.user");
    assert_eq!(first_user["email"], "second@acme.test", "the linked user is updated");
}

#[tokio::test]
async fn import_with_another_username_creates_no_second_user() {
    let app = spawn_app().await;
    let state = import_with_a_second_username(&app).await;
    let users = state["businesses"][0]["users"].as_array().expect("users");
    assert!(users.iter().all(|u| u["username"] != "second.user"));
}

/// After the two imports of 920001, employee 920002 imported with user free.user.
async fn import_free_user(app: &TestApp) {
    import_with_a_second_username(app).await;
    import_ok(app, with_user("920002", json!({"username": "free.user"}))).await;
}

#[tokio::test]
async fn import_with_a_new_username_links_that_user() {
    let app = spawn_app().await;
    import_free_user(&app).await;
    assert_eq!(linked(&app.get_json(STATE, None, 200).await, "920002"), vec!["free.user"]);
}

/// An existing user cannot be linked to an employee that already has one: the element's result.
async fn link_a_second_user(app: &TestApp) -> Value {
    import_free_user(app).await;
    let steal = with_user("920001", json!({"username": "free.user"}));
    call(app, Method::PUT, LIST, "integration", Some(json!([steal]))).await.1
}

#[tokio::test]
async fn import_linking_a_second_user_to_an_employee_is_409() {
    let app = spawn_app().await;
    let results = link_a_second_user(&app).await;
    assert_eq!(results[0]["status"], 409, "{results}");
}

#[tokio::test]
async fn import_linking_a_second_user_to_an_employee_keeps_its_user() {
    let app = spawn_app().await;
    link_a_second_user(&app).await;
    assert_eq!(linked(&app.get_json(STATE, None, 200).await, "920001"), vec!["first.user"]);
}

#[tokio::test]
async fn an_incidence_id_identifies_the_incidence() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::PUT, LIST, "integration", Some(json!([element("930001")]))).await.0, 200);
    let incidence = |minutes: i64| {
        json!({"lag": 0, "business": "ACME", "employeeId": "930001", "incidences": [
            {"id": "INC-1", "type": "TRAINING", "workedMinutes": minutes, "from": "2026-03-02", "to": "2026-03-02"}
        ]})
    };
    let path = "/api/v1/import/incidences";
    assert_eq!(call(&app, Method::POST, path, "integration", Some(incidence(480))).await.0, 200);
    assert_eq!(call(&app, Method::POST, path, "integration", Some(incidence(240))).await.0, 200);
    let state = app.get_json(STATE, None, 200).await;
    let stored = state["businesses"][0]["employees"]["930001"]["incidences"].clone();
    assert_eq!(stored.as_array().map(Vec::len), Some(1), "{stored}");
    assert_eq!(stored[0]["workedMinutes"], 240, "the second send replaced the first");
}

/// 940001 imported, then again with `ignoreWithoutOuterId`, an id-less contract and another
/// association (asserted 200); the stored employee.
async fn import_ignoring_id_less_contracts(app: &TestApp) -> Value {
    assert_eq!(call(app, Method::PUT, LIST, "integration", Some(json!([element("940001")]))).await.0, 200);
    let mut id_less = element("940001");
    id_less["ignoreWithoutOuterId"] = json!(true);
    id_less["contracts"] = json!([{"from": "2026-02-01", "regularMinutes": 100}]);
    id_less["serviceAssociations"] = json!([{"ownerProduct": "C15", "product": "C15", "from": "2026-02-01"}]);
    import_ok(app, id_less).await;
    let state = app.get_json(STATE, None, 200).await;
    state["businesses"][0]["employees"]["940001"].clone()
}

#[tokio::test]
async fn import_ignoring_id_less_contracts_keeps_the_stored_contract() {
    let app = spawn_app().await;
    let stored = import_ignoring_id_less_contracts(&app).await;
    assert_eq!(stored["contracts"].as_array().map(Vec::len), Some(1), "{stored}");
    assert_eq!(stored["contracts"][0]["id"], "CT-940001");
}

#[tokio::test]
async fn import_ignoring_id_less_contracts_keeps_the_stored_association() {
    let app = spawn_app().await;
    let stored = import_ignoring_id_less_contracts(&app).await;
    assert_eq!(stored["serviceAssociations"][0]["product"], "C14", "the stored association stays too");
}
