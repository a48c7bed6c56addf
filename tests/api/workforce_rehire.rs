//! A rehire in each of the five vendors, in its own shape: who left comes back as the same
//! record (the same id), active again from the new start date.

use crate::helpers::TestApp;
use crate::joinup::spawn_unthrottled;
use crate::workforce::{advance, churning, everyone, members};
use crate::workforce_vendors::{chiefonboarding_employees, directory, joinup_employees, orquest, same_id};
use serde_json::{Value, json};

/// The day the person leaves (its last day is the churning clock's day).
const LAST_DAY: &str = "2026-02-01";
/// The day it comes back (two days on).
const BACK: &str = "2026-02-03";

/// With `shared`, one person hired into all five vendors, let go on [`LAST_DAY`], and the
/// clock moved past it: the person as the workforce has it.
async fn hired_and_gone(app: &TestApp) -> Value {
    churning(app, "default", (0.0, 0.0, 0.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let body = json!({"type": "hire", "fields": {"given_name": "Ines", "family_name": "Back"}});
    let person = app.admin_post("/__admin/workforce/events", body, 201).await["event"]["person"].clone();
    let leave = json!({"type": "schedule_termination", "person": person, "last_day": LAST_DAY});
    app.admin_post("/__admin/workforce/events", leave, 201).await;
    advance(app, "default", 2).await;
    let gone = everyone(app).await.into_iter().find(|p| p["id"] == person).expect("the person");
    assert_eq!(gone["status"], "terminated", "{gone}");
    gone
}

/// Rehires `person` now ([`BACK`]); the person after it.
async fn rehire(app: &TestApp, person: &Value) -> Value {
    app.admin_post("/__admin/workforce/events", json!({"type": "rehire", "person": person["id"]}), 201).await;
    let back = everyone(app).await.into_iter().find(|p| p["id"] == person["id"]).expect("the person");
    assert_eq!((&back["status"], &back["start_date"]), (&json!("active"), &json!(BACK)));
    assert_eq!(back["records"], person["records"], "every vendor keeps its record");
    back
}

fn record(person: &Value, vendor: &str) -> String {
    person["records"][vendor]["id"].as_str().expect("a record").to_owned()
}

#[tokio::test]
async fn rehire_makes_the_same_justworks_member_active_again() {
    let app = spawn_unthrottled().await;
    let person = hired_and_gone(&app).await;
    let id = record(&person, "justworks");
    let member = |all: Vec<Value>| all.into_iter().find(|m| m["id"] == id.as_str()).expect("the member");
    let gone = member(members(&app, "").await);
    assert_eq!((&gone["active"], &gone["employment_termination_date"]), (&json!(false), &json!(LAST_DAY)));
    rehire(&app, &person).await;
    let back = member(members(&app, "").await);
    assert_eq!(back["active"], true, "{back}");
    assert_eq!(back["employment_start_date"], BACK);
    assert_eq!(back["employment_termination_date"], Value::Null);
}

#[tokio::test]
async fn rehire_enables_the_same_joinup_employee_with_a_new_enabled_date() {
    let app = spawn_unthrottled().await;
    let person = hired_and_gone(&app).await;
    let id = record(&person, "joinup");
    let gone = joinup_employees(&app, &format!("id={id}&disabled_date__gte={LAST_DAY}T00:00:00Z")).await;
    assert_eq!(gone.len(), 1, "a leaver since the last day");
    assert_eq!(gone[0]["enabled"], false);
    rehire(&app, &person).await;
    let back = joinup_employees(&app, &format!("id={id}&enabled_date__gte={BACK}T00:00:00Z")).await;
    assert_eq!(back.len(), 1, "a rehire is enabled since the day it came back");
    assert_eq!((&back[0]["enabled"], &back[0]["disabled_date"]), (&json!(true), &Value::Null));
    assert!(joinup_employees(&app, &format!("id={id}&disabled_date__gte={LAST_DAY}T00:00:00Z")).await.is_empty());
}

#[tokio::test]
async fn rehire_makes_the_same_chiefonboarding_user_a_new_hire_again() {
    let app = spawn_unthrottled().await;
    let person = hired_and_gone(&app).await;
    let id = record(&person, "chiefonboarding");
    let listed = |all: Vec<Value>| all.iter().any(|u| same_id(u, &id));
    // The API's employees list shows names and email only: the dates are read from the state.
    let user = |state: Value| {
        let users = state["users"].as_array().expect("users").clone();
        users.into_iter().find(|u| same_id(u, &id)).expect("the user")
    };
    let gone = user(app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await);
    assert_eq!(gone["termination_date"], LAST_DAY, "offboarded: {gone}");
    assert!(listed(chiefonboarding_employees(&app).await), "an offboarded user stays listed");
    rehire(&app, &person).await;
    let back = user(app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await);
    assert_eq!((&back["start_day"], &back["termination_date"], &back["role"]), (&json!(BACK), &Value::Null, &json!(0)));
    assert!(listed(chiefonboarding_employees(&app).await));
}

#[tokio::test]
async fn rehire_makes_the_same_directory_employee_active_again() {
    let app = spawn_unthrottled().await;
    let person = hired_and_gone(&app).await;
    let id = record(&person, "directory");
    let gone = directory(&app, &format!("/employee/{id}")).await;
    assert_eq!((&gone["active"], &gone["status"]["current"]), (&json!(false), &json!("INACTIVE")));
    assert_eq!(gone["status"]["changedAt"], "2026-02-02T00:00:00.000Z", "the day after the last day");
    rehire(&app, &person).await;
    let back = directory(&app, &format!("/employee/{id}")).await;
    assert_eq!((&back["active"], &back["status"]["current"]), (&json!(true), &json!("ACTIVE")));
    assert_eq!(back["profile"]["joinDate"], BACK);
    let active = directory(&app, "/employee?status=ACTIVE").await;
    assert!(active.as_array().expect("list").iter().any(|e| e["id"] == id.as_str()));
}

#[tokio::test]
async fn rehire_opens_a_new_orquest_association_and_contract_for_the_same_employee() {
    let app = spawn_unthrottled().await;
    let person = hired_and_gone(&app).await;
    let id = record(&person, "orquest");
    let path = format!("/api/v1/business/ACME/person/{id}/service-associations");
    let (_, gone) = orquest(&app, &path).await;
    assert_eq!(gone.as_array().expect("associations").len(), 1);
    assert_eq!(gone[0]["to"], LAST_DAY, "{gone}");
    rehire(&app, &person).await;
    let (_, back) = orquest(&app, &path).await;
    let back = back.as_array().expect("associations");
    assert_eq!(back.len(), 2, "the old one stays, ended; a new one is open: {back:?}");
    assert_eq!((&back[0]["to"], &back[1]["from"], back[1].get("to")), (&json!(LAST_DAY), &json!(BACK), None));
    let (_, employee) = orquest(&app, &format!("/api/v2/businesses/ACME/employees/{id}")).await;
    assert_eq!(employee["seniority"], BACK);
}
