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

const STATE: &str = "/__admin/vendors/orquest/state";

async fn stored_employees(app: &TestApp) -> Value {
    app.get_json(STATE, None, 200).await["businesses"][0]["employees"].clone()
}

/// Sends the seed example twice (each asserted 200).
async fn seed_example_twice(app: &TestApp) {
    put_list(app, seed_example()).await;
    assert_eq!(put_list(app, seed_example()).await[0]["status"], 200);
}

#[tokio::test]
async fn import_the_seed_example_is_200_ok() {
    let app = spawn_app().await;
    assert_eq!(
        put_list(&app, seed_example()).await,
        json!([{"employeeId": "021298521", "status": 200, "message": "OK"}])
    );
}

#[tokio::test]
async fn import_the_seed_example_again_updates_duplicating_nothing() {
    let app = spawn_app().await;
    put_list(&app, seed_example()).await;
    let counts = stored_employees(&app).await;
    assert_eq!(put_list(&app, seed_example()).await[0]["status"], 200);
    assert_eq!(stored_employees(&app).await, counts, "nothing duplicated");
}

#[tokio::test]
async fn get_employee_of_the_seed_example_shows_its_person() {
    let app = spawn_app().await;
    seed_example_twice(&app).await;
    let (status, person) = employee(&app, "021298521").await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!(person);
}

#[tokio::test]
async fn list_service_associations_of_the_seed_example_shows_them() {
    let app = spawn_app().await;
    seed_example_twice(&app).await;
    insta::assert_json_snapshot!(associations(&app, "021298521").await);
}

#[tokio::test]
async fn list_users_shows_the_seed_examples_user() {
    let app = spawn_app().await;
    seed_example_twice(&app).await;
    insta::assert_json_snapshot!(user_of(&app, "021298521").await, {".creation" => "[today]"});
}

/// One valid element and eight that each break one rule.
fn mixed_elements() -> Value {
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
    json!([
        element("500001"),
        bad_email,
        bad_role,
        bad_category,
        bad_date,
        no_person,
        bad_product,
        bad_range,
        role_elsewhere
    ])
}

#[tokio::test]
async fn import_answers_each_elements_own_status() {
    let app = spawn_app().await;
    let results = put_list(&app, mixed_elements()).await;
    insta::assert_json_snapshot!(results);
}

#[tokio::test]
async fn import_stores_the_valid_element_among_failing_ones() {
    let app = spawn_app().await;
    put_list(&app, mixed_elements()).await;
    assert_eq!(employee(&app, "500001").await.0, 200);
}

#[tokio::test]
async fn import_stores_none_of_the_failing_elements() {
    let app = spawn_app().await;
    put_list(&app, mixed_elements()).await;
    for id in ["500002", "500003", "500004", "500005", "500007", "500008", "500009"] {
        let (status, body) = employee(&app, id).await;
        assert_eq!((status, body["message"].clone()), (404, json!("Employee not found")), "{id}");
    }
}

/// Employee 600001 imported with user ana.test (nodes 10, role Manager), asserted 200.
async fn import_ana(app: &TestApp) {
    let mut first = element("600001");
    first["user"] = json!({"username": "ana.test", "email": "ana@acme.test", "nodes": [10], "roles": ["Manager"]});
    assert_eq!(put_list(app, json!([first])).await[0]["status"], 200);
}

/// After [`import_ana`], 600002 imported naming ana.test too; the results.
async fn import_ana_for_another_employee(app: &TestApp) -> Value {
    import_ana(app).await;
    let mut thief = element("600002");
    thief["user"] = json!({"username": "ana.test"});
    put_list(app, json!([thief])).await
}

#[tokio::test]
async fn import_with_a_user_creates_it() {
    let app = spawn_app().await;
    import_ana(&app).await;
    let created = user_of(&app, "600001").await;
    assert_eq!(
        (created["username"].clone(), created["nodes"].clone(), created["roles"].clone()),
        (json!("ana.test"), json!(["10"]), json!(["Manager"]))
    );
}

#[tokio::test]
async fn import_with_a_user_again_changes_only_the_given_fields() {
    // Only email, nodes and roles change; omitted nodes/roles keep their values.
    let app = spawn_app().await;
    import_ana(&app).await;
    let mut update = element("600001");
    update["user"] = json!({"username": "ana.test", "email": "ana.new@acme.test"});
    assert_eq!(put_list(&app, json!([update])).await[0]["status"], 200);
    let updated = user_of(&app, "600001").await;
    assert_eq!(
        (updated["email"].clone(), updated["nodes"].clone(), updated["roles"].clone()),
        (json!("ana.new@acme.test"), json!(["10"]), json!(["Manager"]))
    );
}

#[tokio::test]
async fn import_with_another_employees_username_is_409() {
    let app = spawn_app().await;
    let results = import_ana_for_another_employee(&app).await;
    assert_eq!(
        results[0],
        json!({"employeeId": "600002", "status": 409, "message": "User ana.test is linked to another employee"})
    );
}

#[tokio::test]
async fn import_with_another_employees_username_creates_no_employee() {
    let app = spawn_app().await;
    import_ana_for_another_employee(&app).await;
    assert_eq!(employee(&app, "600002").await.0, 404);
}

/// On 2026-06-15, 700001 imported with an old and a current association (lag 1000), then
/// again (default lag) with a new one and one inside the old period; the second element.
async fn import_within_the_lag(app: &TestApp) -> Value {
    app.admin_post("/__admin/clock", json!({"set": "2026-06-15T10:00:00Z", "frozen": true}), 200).await;
    let mut start = element("700001");
    start["lag"] = json!(1000);
    start["serviceAssociations"] = json!([
        {"ownerProduct": "C14", "product": "C14", "from": "2026-01-01", "to": "2026-05-31", "id": "old"},
        {"ownerProduct": "C15", "product": "C15", "from": "2026-06-01", "id": "current"}
    ]);
    assert_eq!(put_list(app, json!([start])).await[0]["status"], 200);
    let mut now_only = element("700001");
    now_only["serviceAssociations"] = json!([
        {"ownerProduct": "C16", "product": "C16", "from": "2026-06-01", "id": "new"},
        {"ownerProduct": "C14", "product": "C14", "from": "2026-02-01", "to": "2026-03-01", "id": "ignored"}
    ]);
    assert_eq!(put_list(app, json!([now_only.clone()])).await[0]["status"], 200);
    now_only
}

fn association_ids(list: Value) -> Vec<Value> {
    list.as_array().expect("list").iter().map(|a| a["id"].clone()).collect()
}

#[tokio::test]
async fn import_leaves_history_before_today_minus_lag_untouched() {
    let app = spawn_app().await;
    import_within_the_lag(&app).await;
    assert_eq!(association_ids(associations(&app, "700001").await), vec![json!("old"), json!("new")]);
}

#[tokio::test]
async fn import_with_a_lag_reaching_an_association_replaces_it() {
    let app = spawn_app().await;
    let mut now_only = import_within_the_lag(&app).await;
    now_only["lag"] = json!(30);
    assert_eq!(put_list(&app, json!([now_only])).await[0]["status"], 200);
    assert_eq!(
        association_ids(associations(&app, "700001").await),
        vec![json!("new")],
        "a 30-day lag reaches the association ended on 05-31"
    );
}

/// 800001 imported, then again ignoring associations and contracts while changing both
/// (each asserted 200); the stored employee.
async fn import_ignoring_associations_and_contracts(app: &TestApp) -> Value {
    assert_eq!(put_list(app, json!([element("800001")])).await[0]["status"], 200);
    let mut ignoring = element("800001");
    ignoring["ignoreServiceAssociations"] = json!(true);
    ignoring["ignoreContracts"] = json!(true);
    ignoring["serviceAssociations"][0]["product"] = json!("C15");
    ignoring["contracts"] = json!([]);
    assert_eq!(put_list(app, json!([ignoring])).await[0]["status"], 200);
    stored_employees(app).await["800001"].clone()
}

#[tokio::test]
async fn import_ignoring_service_associations_keeps_the_stored_ones() {
    let app = spawn_app().await;
    let stored = import_ignoring_associations_and_contracts(&app).await;
    assert_eq!(stored["serviceAssociations"][0]["product"], "C14");
}

#[tokio::test]
async fn import_ignoring_contracts_keeps_the_stored_ones() {
    let app = spawn_app().await;
    let stored = import_ignoring_associations_and_contracts(&app).await;
    assert_eq!(stored["contracts"].as_array().map(Vec::len), Some(1));
}

/// After the ignoring import, 800001 with a typed contract CT-A and an id-less one
/// (`ignoreWithoutOuterId`, `partial: false`), asserted 200: the element and the stored contracts.
async fn import_typed_contracts(app: &TestApp) -> (Value, Value) {
    import_ignoring_associations_and_contracts(app).await;
    let mut typed = element("800001");
    typed["ignoreWithoutOuterId"] = json!(true);
    typed["partial"] = json!(false);
    typed["contracts"] = json!([
        {"from": "2026-01-01", "regularMinutes": 100, "contractTypeId": "04P", "id": "CT-A"},
        {"from": "2026-01-01", "regularMinutes": 100}
    ]);
    assert_eq!(put_list(app, json!([typed.clone()])).await[0]["status"], 200);
    (typed, stored_employees(app).await["800001"]["contracts"].clone())
}

#[tokio::test]
async fn import_ignoring_id_less_contracts_upserts_the_others() {
    let app = spawn_app().await;
    let (_, contracts) = import_typed_contracts(&app).await;
    let ids: Vec<_> = contracts.as_array().expect("contracts").iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids, vec![json!("CT-800001"), json!("CT-A")], "the contract without an id is ignored, CT-A upserted");
}

#[tokio::test]
async fn import_not_partial_resets_what_the_contract_type_sets() {
    let app = spawn_app().await;
    let (_, contracts) = import_typed_contracts(&app).await;
    assert_eq!(contracts[1]["regularMinutes"], 1200, "partial: false resets what the contract type sets");
}

#[tokio::test]
async fn import_partial_keeps_the_given_contract_fields() {
    let app = spawn_app().await;
    let (mut typed, _) = import_typed_contracts(&app).await;
    typed["partial"] = json!(true);
    assert_eq!(put_list(&app, json!([typed])).await[0]["status"], 200);
    assert_eq!(stored_employees(&app).await["800001"]["contracts"][1]["regularMinutes"], 100);
}

fn thirty_one_elements() -> Value {
    json!((0..31).map(|i| element(&format!("9{i:05}"))).collect::<Vec<Value>>())
}

#[tokio::test]
async fn import_of_more_than_30_elements_is_400() {
    let app = spawn_app().await;
    let (status, body) = call(&app, Method::PUT, LIST, "integration", Some(thirty_one_elements())).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("A maximum of 30 elements is allowed in the request body"))
    );
}

#[tokio::test]
async fn import_of_more_than_30_elements_stores_none() {
    let app = spawn_app().await;
    call(&app, Method::PUT, LIST, "integration", Some(thirty_one_elements())).await;
    assert_eq!(employee(&app, "900000").await.0, 404);
}

#[tokio::test]
async fn import_of_a_body_that_is_not_a_list_is_400_parse_error() {
    let app = spawn_app().await;
    let (status, body) = call(&app, Method::PUT, LIST, "integration", Some(json!({"person": {}}))).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().is_some_and(|m| m.starts_with("JSON parse error")), "{body}");
}

const ONE: &str = "/api/v2/businesses/ACME/employees/810001";

#[tokio::test]
async fn put_one_employee_is_200() {
    let app = spawn_app().await;
    assert_eq!(call(&app, Method::PUT, ONE, "integration", Some(element("810001"))).await.0, 200);
}

#[tokio::test]
async fn put_one_employee_as_a_list_is_200() {
    let app = spawn_app().await;
    call(&app, Method::PUT, ONE, "integration", Some(element("810001"))).await;
    assert_eq!(call(&app, Method::PUT, ONE, "integration", Some(json!([element("810001")]))).await.0, 200);
}

#[tokio::test]
async fn put_one_employee_with_another_id_in_the_body_is_400() {
    let app = spawn_app().await;
    let (status, body) = call(&app, Method::PUT, ONE, "integration", Some(element("810999"))).await;
    assert_eq!(
        (status, body["message"].clone()),
        (400, json!("person.employeeId does not match the path's employeeId"))
    );
}

#[tokio::test]
async fn put_one_failing_employee_answers_the_elements_status() {
    let app = spawn_app().await;
    call(&app, Method::PUT, ONE, "integration", Some(element("810001"))).await;
    let mut failing = element("810001");
    failing["contracts"][0]["contractTypeId"] = json!("99X");
    assert_eq!(
        call(&app, Method::PUT, ONE, "integration", Some(failing)).await,
        (409, json!({"employeeId": "810001", "status": 409, "message": "contract type 99X not exists"}))
    );
}

/// A simplified import of 820001 with complex-only fields and a user; status and results.
async fn simple_import(app: &TestApp) -> (u16, Value) {
    let simple = json!([{
        "person": {"name": "Sim", "surname": "Ple", "employeeId": "820001", "metadata": {"language": "es"}},
        "serviceAssociations": [{"ownerProduct": "C14", "product": "C14", "from": "2026-01-01", "card": "X1", "roles": ["manager"]}],
        "contracts": [{"from": "2026-01-01", "regularMinutes": 600, "weeklyContract": true}],
        "user": {"username": "ignored"}
    }]);
    call(app, Method::PUT, "/api/v1/businesses/ACME/import/simple/employees", "integration", Some(simple)).await
}

#[tokio::test]
async fn simple_import_is_200_per_element() {
    let app = spawn_app().await;
    let (status, results) = simple_import(&app).await;
    assert_eq!((status, results[0]["status"].clone()), (200, json!(200)));
}

#[tokio::test]
async fn simple_import_drops_complex_only_fields() {
    let app = spawn_app().await;
    simple_import(&app).await;
    let employees = stored_employees(&app).await;
    let stored = &employees["820001"];
    assert_eq!(
        stored["serviceAssociations"][0],
        json!({"ownerProduct": "C14", "product": "C14", "from": "2026-01-01"}),
        "complex-only fields dropped"
    );
    assert_eq!(stored["contracts"][0], json!({"from": "2026-01-01", "regularMinutes": 600}));
    assert!(stored["person"].get("metadata").is_none());
}

#[tokio::test]
async fn simple_import_creates_no_user() {
    let app = spawn_app().await;
    simple_import(&app).await;
    assert_eq!(user_of(&app, "820001").await, Value::Null, "the simplified schema has no user");
}

#[tokio::test]
async fn put_one_simple_employee_is_200() {
    let app = spawn_app().await;
    let single_simple = "/api/v1/businesses/ACME/import/simple/employees/820002";
    let body = json!({"person": {"name": "Sim", "surname": "Two", "employeeId": "820002"}});
    assert_eq!(call(&app, Method::PUT, single_simple, "integration", Some(body)).await.0, 200);
}

/// 830001 imported, its contracts put (CT-830001 with a constraint, CT-B), then CT-830001 put
/// again ignoring constraints; each asserted 200. The stored contracts.
async fn put_contracts_twice(app: &TestApp) -> Value {
    assert_eq!(put_list(app, json!([element("830001")])).await[0]["status"], 200);
    let path = "/api/v2/businesses/ACME/employees/830001/contracts";
    let body = json!({"business": "ACME", "contracts": [
        {"from": "2026-01-01", "regularMinutes": 1800, "id": "CT-830001", "constraints": [{"kind": "MAX_DAYS", "value": 5}]},
        {"from": "2026-07-01", "regularMinutes": 900, "id": "CT-B"}
    ]});
    assert_eq!(call(app, Method::PUT, path, "integration", Some(body)).await.0, 200);
    let body = json!({"business": "ACME", "ignoreConstraints": true, "contracts": [
        {"from": "2026-01-01", "regularMinutes": 2000, "id": "CT-830001", "constraints": []}
    ]});
    assert_eq!(call(app, Method::PUT, path, "integration", Some(body)).await.0, 200);
    stored_employees(app).await["830001"]["contracts"].clone()
}

#[tokio::test]
async fn put_contracts_upserts_by_id() {
    let app = spawn_app().await;
    let contracts = put_contracts_twice(&app).await;
    assert_eq!(contracts.as_array().map(Vec::len), Some(2));
    assert_eq!(contracts[0]["regularMinutes"], 2000);
}

#[tokio::test]
async fn put_contracts_ignoring_constraints_keeps_the_stored_ones() {
    let app = spawn_app().await;
    let contracts = put_contracts_twice(&app).await;
    assert_eq!(contracts[0]["constraints"], json!([{"kind": "MAX_DAYS", "value": 5}]));
}

#[tokio::test]
async fn put_contracts_of_an_unknown_employee_is_404() {
    let app = spawn_app().await;
    let missing = "/api/v2/businesses/ACME/employees/nobody/contracts";
    let (status, body) =
        call(&app, Method::PUT, missing, "integration", Some(json!({"business": "ACME", "contracts": []}))).await;
    assert_eq!((status, body["message"].clone()), (404, json!("Employee not found")));
}

const INCIDENCES: &str = "/api/v1/import/incidences";

fn incidence(kind: &str, init: &str) -> Value {
    json!({"lag": 0, "business": "ACME", "employeeId": "840001", "incidences": [
        {"type": kind, "initTime": init, "endTime": "18:00", "workedMinutes": 480, "from": "2026-03-02", "to": "2026-03-02"}
    ]})
}

/// Employee 840001 imported (asserted 200); the status of sending `body` as its incidences.
async fn send_incidence(app: &TestApp, body: Value) -> (u16, Value) {
    assert_eq!(put_list(app, json!([element("840001")])).await[0]["status"], 200);
    call(app, Method::POST, INCIDENCES, "integration", Some(body)).await
}

#[tokio::test]
async fn import_incidence_is_200() {
    let app = spawn_app().await;
    assert_eq!(send_incidence(&app, incidence("TRAINING", "09:30")).await.0, 200);
}

#[tokio::test]
async fn import_incidence_with_a_bad_time_is_400() {
    let app = spawn_app().await;
    let (status, body) = send_incidence(&app, incidence("TRAINING", "24:00")).await;
    assert_eq!((status, body["message"].clone()), (400, json!("incidences.initTime must be HH:mm")));
}

#[tokio::test]
async fn import_incidence_of_an_unknown_type_is_409() {
    let app = spawn_app().await;
    let (status, body) = send_incidence(&app, incidence("PARTY", "09:00")).await;
    assert_eq!((status, body["message"].clone()), (409, json!("incidence type PARTY not exists")));
}

fn incidence_of_nobody() -> Value {
    let mut unknown = incidence("TRAINING", "09:00");
    unknown["employeeId"] = json!("nobody");
    unknown
}

#[tokio::test]
async fn import_incidence_of_an_unknown_employee_is_404() {
    let app = spawn_app().await;
    assert_eq!(send_incidence(&app, incidence_of_nobody()).await.0, 404);
}

#[tokio::test]
async fn import_incidence_refused_stores_nothing() {
    let app = spawn_app().await;
    send_incidence(&app, incidence("TRAINING", "09:30")).await;
    for refused in [incidence("TRAINING", "24:00"), incidence("PARTY", "09:00"), incidence_of_nobody()] {
        call(&app, Method::POST, INCIDENCES, "integration", Some(refused)).await;
    }
    let employees = stored_employees(&app).await;
    assert_eq!(employees["840001"]["incidences"].as_array().map(Vec::len), Some(1));
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
