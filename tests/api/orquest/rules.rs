//! The import rules the fidelity review found missing: the list status switch, one user per
//! employee, incidences identified by `id`, and `ignoreWithoutOuterId` keeping what is stored.

use super::{call, element};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

const LIST: &str = "/api/v2/businesses/ACME/employees";
const STATE: &str = "/__admin/vendors/orquest/state";

fn with_user(employee_id: &str, user: Value) -> Value {
    let mut element = element(employee_id);
    element["user"] = user;
    element
}

#[tokio::test]
async fn the_list_status_switch_answers_the_first_failing_elements_status() {
    let app = spawn_app().await;
    let bad_email = with_user("910001", json!({"username": "e1", "email": "nope"}));
    let bad_role = with_user("910002", json!({"username": "e2", "roles": ["Chef"]}));
    let body = json!([element("910000"), bad_email, bad_role]);
    let (status, results) = call(&app, Method::PUT, LIST, "integration", Some(body.clone())).await;
    assert_eq!(status, 200, "the default keeps the reference's 200 array");
    let statuses: Vec<_> = results.as_array().expect("array").iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, vec![json!(200), json!(406), json!(409)]);

    let settings = app
        .admin_patch("/__admin/vendors/orquest/settings", json!({"list_status_from_first_failure": true}), 200)
        .await;
    assert_eq!(settings, json!({"seed_employees": 60, "list_status_from_first_failure": true}));
    let (status, again) = call(&app, Method::PUT, LIST, "integration", Some(body)).await;
    assert_eq!((status, again[1]["message"].clone()), (406, json!("User email is not valid")));
    let (status, _) = call(&app, Method::PUT, LIST, "integration", Some(json!([element("910003")]))).await;
    assert_eq!(status, 200, "no failing element, no failing status");
    let only_role = json!([with_user("910004", json!({"username": "e4", "roles": ["Chef"]}))]);
    let (status, results) = call(&app, Method::PUT, LIST, "integration", Some(only_role)).await;
    assert_eq!((status, results[0]["message"].clone()), (409, json!("some role is not valid")));
    let state = app.get_json(STATE, None, 200).await;
    assert_eq!(state["businesses"][0]["employees"]["910000"]["person"]["employeeId"], "910000", "the data stays");
    app.admin_patch("/__admin/vendors/orquest/settings", json!({"list_status_from_first_failure": "yes"}), 400).await;
}

#[tokio::test]
async fn an_employee_is_never_linked_to_two_users() {
    let app = spawn_app().await;
    let linked = |state: &Value, employee: &str| -> Vec<String> {
        let users = state["businesses"][0]["users"].as_array().expect("users");
        users
            .iter()
            .filter(|u| u["employeeId"] == employee)
            .map(|u| u["username"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let first = with_user("920001", json!({"username": "first.user", "email": "first@acme.test"}));
    assert_eq!(call(&app, Method::PUT, LIST, "integration", Some(json!([first]))).await.1[0]["status"], 200);
    let renamed = with_user("920001", json!({"username": "second.user", "email": "second@acme.test"}));
    assert_eq!(call(&app, Method::PUT, LIST, "integration", Some(json!([renamed]))).await.1[0]["status"], 200);
    let state = app.get_json(STATE, None, 200).await;
    assert_eq!(linked(&state, "920001"), vec!["first.user"], "the username never changes, no second user");
    let users = state["businesses"][0]["users"].as_array().expect("users");
    let first_user = users.iter().find(|u| u["username"] == "first.user").expect("first.user");
    assert_eq!(first_user["email"], "second@acme.test", "the linked user is updated");
    assert!(users.iter().all(|u| u["username"] != "second.user"));

    // An existing user that is free cannot be linked to an employee that already has one.
    let free = with_user("920002", json!({"username": "free.user"}));
    assert_eq!(call(&app, Method::PUT, LIST, "integration", Some(json!([free]))).await.1[0]["status"], 200);
    let unlink_free = app.get_json(STATE, None, 200).await;
    assert_eq!(linked(&unlink_free, "920002"), vec!["free.user"]);
    let steal = with_user("920001", json!({"username": "free.user"}));
    let results = call(&app, Method::PUT, LIST, "integration", Some(json!([steal]))).await.1;
    assert_eq!(results[0]["status"], 409, "{results}");
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

#[tokio::test]
async fn ignore_without_outer_id_skips_the_id_less_contract_and_keeps_what_is_stored() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::PUT, LIST, "integration", Some(json!([element("940001")]))).await.0, 200);
    let mut id_less = element("940001");
    id_less["ignoreWithoutOuterId"] = json!(true);
    id_less["contracts"] = json!([{"from": "2026-02-01", "regularMinutes": 100}]);
    id_less["serviceAssociations"] = json!([{"ownerProduct": "C15", "product": "C15", "from": "2026-02-01"}]);
    assert_eq!(call(&app, Method::PUT, LIST, "integration", Some(json!([id_less]))).await.1[0]["status"], 200);
    let state = app.get_json(STATE, None, 200).await;
    let stored = &state["businesses"][0]["employees"]["940001"];
    assert_eq!(stored["contracts"].as_array().map(Vec::len), Some(1), "{stored}");
    assert_eq!(stored["contracts"][0]["id"], "CT-940001");
    assert_eq!(stored["serviceAssociations"][0]["product"], "C14", "the stored association stays too");
}
