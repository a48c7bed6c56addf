//! No state can be corrupted by a document or a clock: id counters a snapshot may carry are
//! bounded, a used-up counter answers the vendor's error (never a wrap over an existing record),
//! scenario counters stop at the JSON-safe integer, and a running clock stops at 9999-12-31.

use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

/// The largest id ChiefOnboarding hands out: PostgreSQL's `integer`.
const POSTGRES_INTEGER: u64 = 2_147_483_647;
/// The largest id Joinup hands out, and the most a scenario counter counts: 2^53 - 1.
const JSON_SAFE_INTEGER: u64 = 9_007_199_254_740_991;
/// The last instant the sandbox clock shows.
const LATEST: &str = "9999-12-31T23:59:59.000Z";

async fn export(app: &TestApp) -> Value {
    app.get_json("/__admin/snapshot", None, 200).await
}

async fn import(app: &TestApp, document: &Value) -> (u16, Value) {
    let response = app.execute(app.request(Method::PUT, "/__admin/snapshot").json(document)).await;
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

/// The export of `app` is accepted by its own `PUT`.
async fn assert_round_trip(app: &TestApp) {
    let document = export(app).await;
    let (status, body) = import(app, &document).await;
    assert_eq!(status, 200, "the server's own export is accepted: {body}");
}

/// Puts the export back with `edit` applied; the `PUT`'s status and body.
async fn import_edited(app: &TestApp, edit: impl FnOnce(&mut Value)) -> (u16, Value) {
    let mut document = export(app).await;
    edit(&mut document);
    import(app, &document).await
}

fn assert_refused_at(answer: &(u16, Value), path: &str) {
    let (status, body) = answer;
    assert_eq!(*status, 400, "{path}: {body}");
    assert_eq!(body["error"]["code"], "invalid_snapshot", "{body}");
    assert_eq!(body["error"]["path"], path, "{body}");
}

#[tokio::test]
async fn snapshot_put_refuses_a_chiefonboarding_user_counter_past_postgres_integer() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let before = export(&app).await;
    for next in [u64::MAX, POSTGRES_INTEGER + 2] {
        let answer =
            import_edited(&app, |d| d["vendors"]["chiefonboarding"]["state"]["next_user_id"] = json!(next)).await;
        assert_refused_at(&answer, "vendors.chiefonboarding.state.next_user_id");
        assert!(
            answer.1["error"]["message"].as_str().is_some_and(|m| m.contains("at most 2147483648")),
            "{}",
            answer.1
        );
    }
    assert_eq!(export(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn snapshot_put_refuses_joinup_counters_past_their_bounds() {
    let app = spawn_app().await;
    for (member, value, path) in [
        ("employee", json!(u64::MAX), "vendors.joinup.state.ids.employee"),
        ("cost_center", json!(JSON_SAFE_INTEGER + 2), "vendors.joinup.state.ids.cost_center"),
        ("company", json!(u64::MAX), "vendors.joinup.state.ids.company"),
    ] {
        let answer = import_edited(&app, |d| d["vendors"]["joinup"]["state"]["ids"][member] = value).await;
        assert_refused_at(&answer, path);
    }
    let answer = import_edited(&app, |d| d["vendors"]["joinup"]["state"]["object_id_counter"] = json!(u32::MAX)).await;
    assert_refused_at(&answer, "vendors.joinup.state.object_id_counter");
    let answer =
        import_edited(&app, |d| d["vendors"]["joinup"]["state"]["object_id_process"] = json!("not hex!!!")).await;
    assert_refused_at(&answer, "vendors.joinup.state.object_id_process");
}

#[tokio::test]
async fn snapshot_put_refuses_scenario_counters_past_the_json_safe_integer() {
    let app = spawn_app().await;
    app.load_shipped_scenario("joinup-throttled").await;
    let answer = import_edited(&app, |d| d["scenarios"][0]["rules"][0]["matched"] = json!(u64::MAX)).await;
    assert_refused_at(&answer, "scenarios[0].rules");
}

/// Sets ChiefOnboarding's user counter one id from Postgres' integer end and hands out that
/// last id (both checked); the employees listed then.
async fn at_the_last_user_id(app: &TestApp) -> Value {
    let (status, body) =
        import_edited(app, |d| d["vendors"]["chiefonboarding"]["state"]["next_user_id"] = json!(POSTGRES_INTEGER))
            .await;
    assert_eq!(status, 200, "a counter one id from its end is accepted: {body}");
    let co = app.vendor("chiefonboarding");
    assert_eq!(
        co.call(Method::POST, "/api/users/", "admin", Some(new_hire(1))).await.0,
        201,
        "the last id is handed out"
    );
    co.call(Method::GET, "/api/employees/", "admin", None).await.1
}

fn new_hire(n: u32) -> Value {
    json!({"first_name": "New", "last_name": "Hire", "email": format!("hire{n}@example.test"), "role": 0})
}

#[tokio::test]
async fn create_user_with_the_last_id_is_201() {
    let app = spawn_app().await;
    at_the_last_user_id(&app).await;
}

#[tokio::test]
async fn create_user_past_the_last_id_answers_djangos_500() {
    let app = spawn_app().await;
    at_the_last_user_id(&app).await;
    let refused = app.vendor("chiefonboarding").send_as(Method::POST, "/api/users/", "admin", Some(new_hire(2))).await;
    assert_eq!(refused.status(), 500);
    assert_eq!(refused.text().await.unwrap_or_default(), "<h1>Server Error (500)</h1>");
}

#[tokio::test]
async fn create_user_past_the_last_id_replaces_no_one() {
    let app = spawn_app().await;
    let listed = at_the_last_user_id(&app).await;
    let co = app.vendor("chiefonboarding");
    co.send_as(Method::POST, "/api/users/", "admin", Some(new_hire(2))).await;
    let (_, after) = co.call(Method::GET, "/api/employees/", "admin", None).await;
    assert_eq!(after, listed, "no record replaced, none added");
    assert_eq!(after[0]["id"], 1, "user 1 is still there");
    assert_eq!(after.as_array().and_then(|l| l.last()).map(|u| u["id"].clone()), Some(json!(POSTGRES_INTEGER)));
}

#[tokio::test]
async fn bulk_onboarding_past_the_last_id_fails_the_item_in_the_report() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let used_up = JSON_SAFE_INTEGER + 1;
    let (status, body) =
        import_edited(&app, |d| d["vendors"]["joinup"]["state"]["ids"]["employee"] = json!(used_up)).await;
    assert_eq!(status, 200, "a used-up counter is a state the server reaches: {body}");
    let joinup = app.vendor("joinup");
    let (_, before) = joinup.call(Method::GET, "/api/company/employees/?ordering=-id", "group_admin", None).await;
    let items = json!([{"base_email": "last@acme-iberia.test", "name": "Last", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let (status, started) = joinup.call(Method::POST, "/api/company/employees/", "group_admin", Some(items)).await;
    assert_eq!(status, 202, "{started}");
    app.admin_post("/__admin/clock", json!({"advance_seconds": 10}), 200).await;
    let id = started["request_id"].as_str().unwrap_or_default();
    let path = format!("/api/company/employees/check-request/{id}/");
    let (_, report) = joinup.call(Method::GET, &path, "group_admin", None).await;
    assert_eq!(report["onboarding"]["success"], json!([]), "{report}");
    assert_eq!(
        report["onboarding"]["error"]["last@acme-iberia.test"],
        format!("No employee id left (ids stop at {JSON_SAFE_INTEGER})"),
        "{report}"
    );
    let (_, after) = joinup.call(Method::GET, "/api/company/employees/?ordering=-id", "group_admin", None).await;
    assert_eq!(after, before, "no employee added or replaced");
    assert_round_trip(&app).await;
}

#[tokio::test]
async fn scenario_counters_stop_at_the_json_safe_integer() {
    let app = spawn_app().await;
    app.load_shipped_scenario("joinup-throttled").await;
    let (status, body) = import_edited(&app, |d| {
        d["scenarios"][0]["rules"][0] = json!({"matched": JSON_SAFE_INTEGER, "fired": JSON_SAFE_INTEGER});
    })
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.vendor("joinup").call(Method::GET, "/api/company/employees/", "group_admin", None).await;
    assert_eq!(status, 429, "the rule still fires");
    let scenarios = app.get_json("/__admin/scenarios", None, 200).await;
    assert_eq!(scenarios[0]["rules"][0], json!({"index": 0, "matched": JSON_SAFE_INTEGER, "fired": JSON_SAFE_INTEGER}));
    assert_round_trip(&app).await;
}

/// Sets the running clock to its last second and lets real time pass it.
async fn run_past_the_bound(app: &TestApp) {
    app.admin_post("/__admin/clock", json!({"set": LATEST, "frozen": false}), 200).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
}

#[tokio::test]
async fn running_clock_stops_at_9999_12_31() {
    let app = spawn_app().await;
    run_past_the_bound(&app).await;
    assert_eq!(app.get_json("/__admin/clock", None, 200).await, json!({"now": LATEST, "frozen": false}));
    let response = app.vendor("chiefonboarding").send_as(Method::GET, "/api/employees/", "admin", None).await;
    assert_eq!(response.headers().get("date").and_then(|v| v.to_str().ok()), Some("Fri, 31 Dec 9999 23:59:59 GMT"));
    assert_round_trip(&app).await;
}

#[tokio::test]
async fn freezing_a_clock_stopped_at_the_bound_freezes_it_there() {
    let app = spawn_app().await;
    run_past_the_bound(&app).await;
    let frozen = app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    assert_eq!(frozen, json!({"now": LATEST, "frozen": true}));
    let back = app.admin_post("/__admin/clock", json!({"set": "9999-12-31T23:00:00Z", "frozen": false}), 200).await;
    assert_eq!(back["frozen"], false);
    assert!(back["now"].as_str().is_some_and(|now| now.starts_with("9999-12-31T23:00:0")), "{back}");
}
