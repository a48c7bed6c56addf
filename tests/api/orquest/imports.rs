//! The employee PUTs: per-element statuses, the user rules, `lag`, the flags, the limit,
//! contracts and incidences.

use super::{call, element, seed_example};
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

const LIST: &str = "/api/v2/businesses/ACME/employees";

async fn put_list(app: &TestApp, elements: Value) -> Value {
    let (status, results) = call(app, Method::PUT, LIST, "integration", Some(elements)).await;
    assert_eq!(status, 200, "{results}");
    results
}

async fn employee(app: &TestApp, id: &str) -> (u16, Value) {
    call(app, Method::GET, &format!("/api/v2/businesses/ACME/employees/{id}"), "integration", None).await
}

async fn associations(app: &TestApp, id: &str) -> Value {
    call(app, Method::GET, &format!("/api/v1/business/ACME/person/{id}/service-associations"), "integration", None)
        .await
        .1
}

async fn user_of(app: &TestApp, employee_id: &str) -> Value {
    let (_, users) = call(app, Method::GET, "/api/v1/businesses/ACME/users", "integration", None).await;
    users.as_array().expect("users").iter().find(|u| u["employeeId"] == employee_id).cloned().unwrap_or(Value::Null)
}

#[tokio::test]
async fn the_seed_example_is_accepted_and_a_second_send_updates() {
    let app = spawn_app().await;
    assert_eq!(
        put_list(&app, seed_example()).await,
        json!([{"employeeId": "021298521", "status": 200, "message": "OK"}])
    );
    let counts = app.get_json("/__admin/vendors/orquest/state", None, 200).await["businesses"][0]["employees"].clone();
    assert_eq!(put_list(&app, seed_example()).await[0]["status"], 200);
    assert_eq!(
        app.get_json("/__admin/vendors/orquest/state", None, 200).await["businesses"][0]["employees"],
        counts,
        "nothing duplicated"
    );
    let (status, person) = employee(&app, "021298521").await;
    assert_eq!(status, 200);
    let stored = associations(&app, "021298521").await;
    insta::assert_json_snapshot!(json!({"person": person, "associations": stored, "user": user_of(&app, "021298521").await}), {".user.creation" => "[today]"});
}

#[tokio::test]
async fn each_element_has_its_own_status_and_failures_change_nothing() {
    let app = spawn_app().await;
    let mut bad_email = element("500002");
    bad_email["user"] = json!({"username": "u2", "email": "not-an-email"});
    let mut bad_role = element("500003");
    bad_role["user"] = json!({"username": "u3", "roles": ["Chef"]});
    let mut bad_category = element("500004");
    bad_category["contracts"][0]["personCategory"] = json!("XX");
    let mut bad_date = element("500005");
    bad_date["person"]["birthday"] = json!("01/02/1990");
    let mut no_person = element("500006");
    no_person.as_object_mut().expect("object").remove("person");
    let mut bad_product = element("500007");
    bad_product["serviceAssociations"][0]["product"] = json!("Z99");
    let mut bad_range = element("500008");
    bad_range["serviceAssociations"][0]["disponibility"] =
        json!([{"ranges": [{"dayType": "ALL", "startMinuteDay": 1500, "duration": 60}]}]);
    let mut role_elsewhere = element("500009");
    role_elsewhere["serviceAssociations"][0] =
        json!({"ownerProduct": "C24", "product": "C24", "from": "2026-01-01", "roles": ["cook"]});
    let elements = json!([
        element("500001"),
        bad_email,
        bad_role,
        bad_category,
        bad_date,
        no_person,
        bad_product,
        bad_range,
        role_elsewhere
    ]);
    let results = put_list(&app, elements).await;
    insta::assert_json_snapshot!(results);
    assert_eq!(employee(&app, "500001").await.0, 200);
    for id in ["500002", "500003", "500004", "500005", "500007", "500008", "500009"] {
        let (status, body) = employee(&app, id).await;
        assert_eq!((status, body["message"].clone()), (404, json!("Employee not found")), "{id}");
    }
}

#[tokio::test]
async fn user_rules_create_update_keep_and_refuse() {
    let app = spawn_app().await;
    let mut first = element("600001");
    first["user"] = json!({"username": "ana.test", "email": "ana@acme.test", "nodes": [10], "roles": ["Manager"]});
    assert_eq!(put_list(&app, json!([first])).await[0]["status"], 200);
    let created = user_of(&app, "600001").await;
    assert_eq!(
        (created["username"].clone(), created["nodes"].clone(), created["roles"].clone()),
        (json!("ana.test"), json!(["10"]), json!(["Manager"]))
    );
    // Only email, nodes and roles change; omitted nodes/roles keep their values.
    let mut update = element("600001");
    update["user"] = json!({"username": "ana.test", "email": "ana.new@acme.test"});
    assert_eq!(put_list(&app, json!([update])).await[0]["status"], 200);
    let updated = user_of(&app, "600001").await;
    assert_eq!(
        (updated["email"].clone(), updated["nodes"].clone(), updated["roles"].clone()),
        (json!("ana.new@acme.test"), json!(["10"]), json!(["Manager"]))
    );
    // The same username for another employee: 409, and that employee is not created.
    let mut thief = element("600002");
    thief["user"] = json!({"username": "ana.test"});
    let results = put_list(&app, json!([thief])).await;
    assert_eq!(
        results[0],
        json!({"employeeId": "600002", "status": 409, "message": "User ana.test is linked to another employee"})
    );
    assert_eq!(employee(&app, "600002").await.0, 404);
}

#[tokio::test]
async fn lag_leaves_history_before_today_minus_lag_untouched() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2026-06-15T10:00:00Z", "frozen": true}), 200).await;
    let mut start = element("700001");
    start["lag"] = json!(1000);
    start["serviceAssociations"] = json!([
        {"ownerProduct": "C14", "product": "C14", "from": "2026-01-01", "to": "2026-05-31", "id": "old"},
        {"ownerProduct": "C15", "product": "C15", "from": "2026-06-01", "id": "current"}
    ]);
    assert_eq!(put_list(&app, json!([start])).await[0]["status"], 200);
    let mut now_only = element("700001");
    now_only["serviceAssociations"] = json!([
        {"ownerProduct": "C16", "product": "C16", "from": "2026-06-01", "id": "new"},
        {"ownerProduct": "C14", "product": "C14", "from": "2026-02-01", "to": "2026-03-01", "id": "ignored"}
    ]);
    assert_eq!(put_list(&app, json!([now_only.clone()])).await[0]["status"], 200);
    let ids = |list: Value| list.as_array().expect("list").iter().map(|a| a["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(associations(&app, "700001").await), vec![json!("old"), json!("new")]);
    now_only["lag"] = json!(30);
    assert_eq!(put_list(&app, json!([now_only])).await[0]["status"], 200);
    assert_eq!(
        ids(associations(&app, "700001").await),
        vec![json!("new")],
        "a 30-day lag reaches the association ended on 05-31"
    );
}

#[tokio::test]
async fn flags_ignore_associations_contracts_entities_without_id_and_reset_contract_types() {
    let app = spawn_app().await;
    assert_eq!(put_list(&app, json!([element("800001")])).await[0]["status"], 200);
    let mut ignoring = element("800001");
    ignoring["ignoreServiceAssociations"] = json!(true);
    ignoring["ignoreContracts"] = json!(true);
    ignoring["serviceAssociations"][0]["product"] = json!("C15");
    ignoring["contracts"] = json!([]);
    assert_eq!(put_list(&app, json!([ignoring])).await[0]["status"], 200);
    let state = app.get_json("/__admin/vendors/orquest/state", None, 200).await;
    let stored = &state["businesses"][0]["employees"]["800001"];
    assert_eq!(stored["serviceAssociations"][0]["product"], "C14");
    assert_eq!(stored["contracts"].as_array().map(Vec::len), Some(1));
    let mut typed = element("800001");
    typed["ignoreWithoutOuterId"] = json!(true);
    typed["partial"] = json!(false);
    typed["contracts"] = json!([
        {"from": "2026-01-01", "regularMinutes": 100, "contractTypeId": "04P", "id": "CT-A"},
        {"from": "2026-01-01", "regularMinutes": 100}
    ]);
    assert_eq!(put_list(&app, json!([typed.clone()])).await[0]["status"], 200);
    let state = app.get_json("/__admin/vendors/orquest/state", None, 200).await;
    let contracts = state["businesses"][0]["employees"]["800001"]["contracts"].clone();
    let ids: Vec<_> = contracts.as_array().expect("contracts").iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids, vec![json!("CT-800001"), json!("CT-A")], "the contract without an id is ignored, CT-A upserted");
    assert_eq!(contracts[1]["regularMinutes"], 1200, "partial: false resets what the contract type sets");
    typed["partial"] = json!(true);
    assert_eq!(put_list(&app, json!([typed])).await[0]["status"], 200);
    let state = app.get_json("/__admin/vendors/orquest/state", None, 200).await;
    assert_eq!(state["businesses"][0]["employees"]["800001"]["contracts"][1]["regularMinutes"], 100);
}

#[tokio::test]
async fn more_than_30_elements_and_bad_bodies_are_rejected_whole() {
    let app = spawn_app().await;
    let many: Vec<Value> = (0..31).map(|i| element(&format!("9{i:05}"))).collect();
    let (status, body) = call(&app, Method::PUT, LIST, "integration", Some(json!(many))).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("A maximum of 30 elements is allowed in the request body"))
    );
    assert_eq!(employee(&app, "900000").await.0, 404);
    let (status, body) = call(&app, Method::PUT, LIST, "integration", Some(json!({"person": {}}))).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().is_some_and(|m| m.starts_with("JSON parse error")), "{body}");
}

#[tokio::test]
async fn single_and_simplified_puts() {
    let app = spawn_app().await;
    let one = "/api/v2/businesses/ACME/employees/810001";
    assert_eq!(call(&app, Method::PUT, one, "integration", Some(element("810001"))).await.0, 200);
    assert_eq!(call(&app, Method::PUT, one, "integration", Some(json!([element("810001")]))).await.0, 200);
    let (status, body) = call(&app, Method::PUT, one, "integration", Some(element("810999"))).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("person.employeeId does not match the path's employeeId"))
    );
    let mut failing = element("810001");
    failing["contracts"][0]["contractTypeId"] = json!("99X");
    assert_eq!(
        call(&app, Method::PUT, one, "integration", Some(failing)).await,
        (409, json!({"employeeId": "810001", "status": 409, "message": "contract type 99X not exists"}))
    );
    let simple = json!([{
        "person": {"name": "Sim", "surname": "Ple", "employeeId": "820001", "metadata": {"language": "es"}},
        "serviceAssociations": [{"ownerProduct": "C14", "product": "C14", "from": "2026-01-01", "card": "X1", "roles": ["manager"]}],
        "contracts": [{"from": "2026-01-01", "regularMinutes": 600, "weeklyContract": true}],
        "user": {"username": "ignored"}
    }]);
    let (status, results) =
        call(&app, Method::PUT, "/api/v1/businesses/ACME/import/simple/employees", "integration", Some(simple)).await;
    assert_eq!((status, results[0]["status"].clone()), (200, json!(200)));
    let state = app.get_json("/__admin/vendors/orquest/state", None, 200).await;
    let stored = &state["businesses"][0]["employees"]["820001"];
    assert_eq!(
        stored["serviceAssociations"][0],
        json!({"ownerProduct": "C14", "product": "C14", "from": "2026-01-01"}),
        "complex-only fields dropped"
    );
    assert_eq!(stored["contracts"][0], json!({"from": "2026-01-01", "regularMinutes": 600}));
    assert!(stored["person"].get("metadata").is_none());
    assert_eq!(user_of(&app, "820001").await, Value::Null, "the simplified schema has no user");
    let single_simple = "/api/v1/businesses/ACME/import/simple/employees/820002";
    let body = json!({"person": {"name": "Sim", "surname": "Two", "employeeId": "820002"}});
    assert_eq!(call(&app, Method::PUT, single_simple, "integration", Some(body)).await.0, 200);
}

#[tokio::test]
async fn contracts_put_upserts_by_id_and_can_keep_constraints() {
    let app = spawn_app().await;
    assert_eq!(put_list(&app, json!([element("830001")])).await[0]["status"], 200);
    let path = "/api/v2/businesses/ACME/employees/830001/contracts";
    let body = json!({"business": "ACME", "contracts": [
        {"from": "2026-01-01", "regularMinutes": 1800, "id": "CT-830001", "constraints": [{"kind": "MAX_DAYS", "value": 5}]},
        {"from": "2026-07-01", "regularMinutes": 900, "id": "CT-B"}
    ]});
    assert_eq!(call(&app, Method::PUT, path, "integration", Some(body)).await.0, 200);
    let body = json!({"business": "ACME", "ignoreConstraints": true, "contracts": [
        {"from": "2026-01-01", "regularMinutes": 2000, "id": "CT-830001", "constraints": []}
    ]});
    assert_eq!(call(&app, Method::PUT, path, "integration", Some(body)).await.0, 200);
    let state = app.get_json("/__admin/vendors/orquest/state", None, 200).await;
    let contracts = state["businesses"][0]["employees"]["830001"]["contracts"].clone();
    assert_eq!(contracts.as_array().map(Vec::len), Some(2));
    assert_eq!(contracts[0]["regularMinutes"], 2000);
    assert_eq!(contracts[0]["constraints"], json!([{"kind": "MAX_DAYS", "value": 5}]));
    let missing = "/api/v2/businesses/ACME/employees/nobody/contracts";
    let (status, body) =
        call(&app, Method::PUT, missing, "integration", Some(json!({"business": "ACME", "contracts": []}))).await;
    assert_eq!((status, body["message"].clone()), (404, json!("Employee not found")));
}

#[tokio::test]
async fn incidences_check_types_times_and_the_employee() {
    let app = spawn_app().await;
    assert_eq!(put_list(&app, json!([element("840001")])).await[0]["status"], 200);
    let incidence = |kind: &str, init: &str| {
        json!({"lag": 0, "business": "ACME", "employeeId": "840001", "incidences": [
            {"type": kind, "initTime": init, "endTime": "18:00", "workedMinutes": 480, "from": "2026-03-02", "to": "2026-03-02"}
        ]})
    };
    let path = "/api/v1/import/incidences";
    assert_eq!(call(&app, Method::POST, path, "integration", Some(incidence("TRAINING", "09:30"))).await.0, 200);
    let (status, body) = call(&app, Method::POST, path, "integration", Some(incidence("TRAINING", "24:00"))).await;
    assert_eq!((status, body["message"].clone()), (400, json!("incidences.initTime must be HH:mm")));
    let (status, body) = call(&app, Method::POST, path, "integration", Some(incidence("PARTY", "09:00"))).await;
    assert_eq!((status, body["message"].clone()), (409, json!("incidence type PARTY not exists")));
    let mut unknown = incidence("TRAINING", "09:00");
    unknown["employeeId"] = json!("nobody");
    assert_eq!(call(&app, Method::POST, path, "integration", Some(unknown)).await.0, 404);
    let state = app.get_json("/__admin/vendors/orquest/state", None, 200).await;
    assert_eq!(state["businesses"][0]["employees"]["840001"]["incidences"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn item_error_rules_fail_matching_elements_with_their_status() {
    let app = spawn_app().await;
    let scenario = json!({"name": "orquest-item-errors", "rules": [{
        "when": {"vendor": "orquest", "method": "PUT", "path": "/api/v2/businesses/*/employees"},
        "then": {"item_error": {"where": {"employeeId": "85*"}, "message": "locked by payroll", "status": 423}}
    }]});
    app.admin_post("/__admin/scenarios", scenario, 201).await;
    let results = put_list(&app, json!([element("850001"), element("860001")])).await;
    assert_eq!(
        results,
        json!([
            {"employeeId": "850001", "status": 423, "message": "locked by payroll"},
            {"employeeId": "860001", "status": 200, "message": "OK"}
        ])
    );
}

#[tokio::test]
async fn the_shipped_orquest_conflicts_scenario_fails_only_matching_elements() {
    let app = spawn_app().await;
    app.load_shipped_scenario("orquest-conflicts").await;
    let results = put_list(&app, json!([element("900001"), element("100001")])).await;
    assert_eq!(
        results[0],
        json!({"employeeId": "900001", "status": 409, "message": "Employee is locked by another process"})
    );
    assert_eq!(results[1]["status"], 200);
}
