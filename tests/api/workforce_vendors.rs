//! The living workforce (issue 29) in Joinup, ChiefOnboarding, Directory and Orquest, each in its own shape.

use crate::helpers::TestApp;
use crate::joinup::spawn_unthrottled;
use crate::workforce::{advance, churning, everyone, members};
use reqwest::Method;
use serde_json::{Value, json};

/// Whether a vendor record (its numeric `id`) is the one a workforce record names.
pub(crate) fn same_id(record: &Value, id: &str) -> bool {
    record["id"].as_u64().is_some_and(|n| id.parse() == Ok(n))
}

pub(crate) const SINCE: &str = "2026-02-01T12:00:00Z";

/// Every employee of the first Joinup tenant matching `query`, all pages.
pub(crate) async fn joinup_employees(app: &TestApp, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let path = format!("/api/company/employees/?{query}&page_size=100&page={page}");
        let (status, body) = crate::joinup::get(app, &path, "group_admin").await;
        assert_eq!(status, 200, "{body}");
        all.extend(body["results"].as_array().expect("results").clone());
        if body["next"].is_null() {
            break;
        }
    }
    all
}

pub(crate) async fn chiefonboarding_employees(app: &TestApp) -> Vec<Value> {
    let (status, body) = app.vendor("chiefonboarding").call(Method::GET, "/api/employees/", "admin", None).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("a bare array").clone()
}

/// The ids `vendor` records for events of `kind`.
pub(crate) async fn touched(app: &TestApp, kind: &str, vendor: &str) -> Vec<String> {
    let log = app.get_json(&format!("/__admin/workforce/events?limit=1000&kind={kind}"), None, 200).await;
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .flat_map(|e| e["records"].as_array().into_iter().flatten())
        .filter(|r| r["vendor"] == vendor)
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn advance_90_days_changes_joinup_employees_in_its_own_shape() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    let enabled_since = format!("enabled_date__gte={SINCE}");
    let disabled_since = format!("disabled_date__gte={SINCE}");
    let before = joinup_employees(&app, "").await;
    advance(&app, "default", 90).await;
    let hired = joinup_employees(&app, &enabled_since).await;
    let hires = touched(&app, "hire", "joinup").await;
    assert!(!hires.is_empty(), "some hires went to Joinup");
    for id in &hires {
        assert!(hired.iter().any(|e| same_id(e, id)), "hire {id} is enabled_date__gte {SINCE}");
    }
    let all = joinup_employees(&app, "").await;
    assert_eq!(all.len(), before.len() + hires.len());
    let disabled = joinup_employees(&app, &disabled_since).await;
    let leavers = touched(&app, "termination", "joinup").await;
    // Only the first tenant's (the other tenant's employees are adopted people too).
    let here: Vec<_> = leavers.iter().filter(|id| all.iter().any(|e| same_id(e, id))).collect();
    assert!(!here.is_empty(), "some Joinup employees left");
    for id in here {
        let employee = disabled.iter().find(|e| same_id(e, id)).expect("a disabled_date__gte leaver");
        assert_eq!(employee["enabled"], false, "{employee}");
    }
}

#[tokio::test]
async fn advance_90_days_changes_chiefonboarding_employees_in_its_own_shape() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    let before = chiefonboarding_employees(&app).await;
    advance(&app, "default", 90).await;
    let after = chiefonboarding_employees(&app).await;
    let hires = touched(&app, "hire", "chiefonboarding").await;
    assert!(!hires.is_empty(), "some hires went to ChiefOnboarding");
    assert_eq!(after.len(), before.len() + hires.len(), "offboarded users stay listed");
    let people = everyone(&app).await;
    for id in &hires {
        let user = after.iter().find(|u| same_id(u, id)).expect("a listed new hire");
        let person = people.iter().find(|p| p["records"]["chiefonboarding"]["id"] == id.as_str()).expect("its person");
        assert_eq!(user["email"], person["work_email"], "{user}");
        assert_eq!(user["last_name"], person["family_name"], "{user}");
    }
}

/// A Directory read as the first organization's administrator.
pub(crate) async fn directory(app: &TestApp, path: &str) -> Value {
    let (status, body) = crate::directory::call(app, Method::GET, &format!("/api/v1{path}"), "admin", None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// An Orquest read of the first business (`ACME`) as the integration user: status and body.
pub(crate) async fn orquest(app: &TestApp, path: &str) -> (u16, Value) {
    crate::orquest::call(app, Method::GET, path, "integration", None).await
}

#[tokio::test]
async fn advance_90_days_changes_directory_employees_in_its_own_shape() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    let before = directory(&app, "/employee").await.as_array().expect("a bare array").len();
    advance(&app, "default", 90).await;
    let all = directory(&app, "/employee").await;
    let all = all.as_array().expect("a bare array");
    let hires = touched(&app, "hire", "directory").await;
    assert!(!hires.is_empty(), "some hires went to the Directory");
    assert_eq!(all.len(), before + hires.len());
    let people = everyone(&app).await;
    let person_of = |id: &str| people.iter().find(|p| p["records"]["directory"]["id"] == id).expect("its person");
    for id in &hires {
        let employee = all.iter().find(|e| e["id"] == id.as_str()).expect("a listed hire");
        let person = person_of(id);
        assert_eq!(employee["email"], person["work_email"], "{employee}");
        assert_eq!(employee["profile"]["lastName"], person["family_name"], "{employee}");
        assert_eq!(employee["profile"]["companyRole"], person["title"], "{employee}");
        // Its manager relation and the manager's reports agree with the workforce.
        let boss = person["manager"].as_str().and_then(|m| people.iter().find(|p| p["id"] == m));
        let boss_id = boss.and_then(|b| b["records"]["directory"]["id"].as_str());
        // (A manager adopted from the other organization is no relation here.)
        if let Some(boss_id) = boss_id.filter(|b| all.iter().any(|e| e["id"] == *b)) {
            let relations = directory(&app, &format!("/employee/{id}/managers")).await;
            assert_eq!(relations, json!([{"managerId": boss_id, "type": "DIRECT"}]));
            let reports = directory(&app, &format!("/employee/by-manager/{boss_id}")).await;
            assert!(reports.as_array().expect("reports").iter().any(|r| r["id"] == id.as_str()));
        }
    }
    let inactive = directory(&app, "/employee?status=INACTIVE").await;
    let leavers = touched(&app, "termination", "directory").await;
    let here: Vec<_> = leavers.iter().filter(|id| all.iter().any(|e| e["id"] == id.as_str())).collect();
    assert!(!here.is_empty(), "some Directory employees left");
    for id in here {
        let employee = inactive.as_array().expect("list").iter().find(|e| e["id"] == id.as_str()).expect("inactive");
        assert_eq!(employee["active"], false, "{employee}");
        assert!(employee["status"]["changedAt"].as_str().is_some_and(|t| t > SINCE), "{employee}");
        assert_eq!(directory(&app, &format!("/employee/{id}/managers")).await, json!([]));
    }
}

#[tokio::test]
async fn advance_90_days_changes_orquest_employees_in_its_own_shape() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    advance(&app, "default", 90).await;
    let people = everyone(&app).await;
    let hires = touched(&app, "hire", "orquest").await;
    assert!(!hires.is_empty(), "some hires went to Orquest");
    for id in &hires {
        let person = people.iter().find(|p| p["records"]["orquest"]["id"] == id.as_str()).expect("its person");
        assert_eq!(id.as_str(), person["id"], "the employeeId is the person id");
        let (status, employee) = orquest(&app, &format!("/api/v2/businesses/ACME/employees/{id}")).await;
        assert_eq!(status, 200, "{employee}");
        assert_eq!((&employee["name"], &employee["surname"]), (&person["given_name"], &person["family_name"]));
        assert_eq!(employee["seniority"], person["start_date"]);
    }
    let log = app.get_json("/__admin/workforce/events?limit=1000&kind=termination", None, 200).await;
    let mut leavers = 0;
    for event in log["events"].as_array().expect("events") {
        let Some(record) = event["records"].as_array().expect("records").iter().find(|r| r["vendor"] == "orquest")
        else {
            continue;
        };
        let path = format!("/api/v1/business/ACME/person/{}/service-associations", record["id"].as_str().expect("id"));
        let (status, associations) = orquest(&app, &path).await;
        if status != 200 {
            continue; // Another business's employee.
        }
        leavers += 1;
        let last = associations.as_array().and_then(|a| a.last()).expect("an association").clone();
        assert_eq!(last["to"], event["effective_date"], "the association ends on the last day: {last}");
        let day_after = event["at"].as_str().expect("at")[..10].to_owned();
        let between = format!(
            "/api/v2/businesses/ACME/services/{}/employees/between?from={day_after}&to={day_after}",
            last["service"].as_str().expect("service")
        );
        let (_, present) = orquest(&app, &between).await;
        assert!(!present.as_array().expect("people").iter().any(|p| p["employeeId"] == record["id"]), "gone after it");
    }
    assert!(leavers > 0, "some Orquest employees left");
}

#[tokio::test]
async fn shared_hire_is_the_same_person_in_all_five_vendors() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let body = json!({"type": "hire", "fields": {"given_name": "Zora", "family_name": "Quill"}});
    let event = app.admin_post("/__admin/workforce/events", body, 201).await["event"].clone();
    let person = everyone(&app).await.into_iter().find(|p| p["id"] == event["person"]).expect("the hire");
    let email = person["work_email"].as_str().expect("an email").to_owned();
    let record = |vendor: &str| person["records"][vendor]["id"].as_str().expect("a record").to_owned();
    let member_id = record("justworks");
    let member = members(&app, "").await.into_iter().find(|m| m["id"] == member_id.as_str()).expect("a member");
    assert_eq!(member["name"]["full_preferred_name"], "Zora Quill");
    assert_eq!(member["emails"][0]["address"], email.as_str());
    let employees = joinup_employees(&app, &format!("id={}", record("joinup"))).await;
    assert_eq!(employees.len(), 1);
    assert_eq!(employees[0]["name"], "Zora Quill");
    assert_eq!(employees[0]["base_email"], email.as_str());
    let user_id = record("chiefonboarding");
    let users = chiefonboarding_employees(&app).await;
    let user = users.iter().find(|u| same_id(u, &user_id)).expect("a new hire");
    assert_eq!((&user["first_name"], &user["last_name"]), (&json!("Zora"), &json!("Quill")));
    assert_eq!(user["email"], email.to_lowercase().as_str());
    let employee = directory(&app, &format!("/employee/{}", record("directory"))).await;
    assert_eq!((&employee["name"], &employee["email"]), (&json!("Zora Quill"), &json!(email)));
    let (status, employee) = orquest(&app, &format!("/api/v2/businesses/ACME/employees/{}", record("orquest"))).await;
    assert_eq!(status, 200, "{employee}");
    assert_eq!(
        (&employee["name"], &employee["surname"], &employee["email"]),
        (&json!("Zora"), &json!("Quill"), &json!(email))
    );
}

#[tokio::test]
async fn change_moves_the_directory_department_and_manager_and_transfers_in_orquest() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let hire = |given: &str| json!({"type": "hire", "fields": {"given_name": given, "family_name": "Moves", "department": "Sala"}});
    let boss = app.admin_post("/__admin/workforce/events", hire("Bea"), 201).await["event"]["person"].clone();
    let me = app.admin_post("/__admin/workforce/events", hire("Max"), 201).await["event"]["person"].clone();
    advance(&app, "default", 10).await;
    for (field, value) in [("department", json!("Cocina")), ("manager", boss.clone())] {
        let change = json!({"type": "change", "person": me, "field": field, "value": value});
        app.admin_post("/__admin/workforce/events", change, 201).await;
    }
    let people = everyone(&app).await;
    let record = |who: &Value, vendor: &str| {
        let person = people.iter().find(|p| p["id"] == *who).expect("person");
        person["records"][vendor]["id"].as_str().expect("record").to_owned()
    };
    let (mine, bosses) = (record(&me, "directory"), record(&boss, "directory"));
    assert_eq!(
        directory(&app, &format!("/employee/{mine}/managers")).await,
        json!([{"managerId": bosses, "type": "DIRECT"}])
    );
    let groups = directory(&app, "/group?type=DEPARTMENT").await;
    let cocina = groups.as_array().expect("groups").iter().find(|g| g["name"] == "Cocina").expect("a department added");
    let members = directory(&app, &format!("/group/{}/members", cocina["id"].as_str().expect("id"))).await;
    assert!(members.as_array().expect("members").iter().any(|m| m["entity"] == mine.as_str()), "{members}");
    let path = format!("/api/v1/business/ACME/person/{}/service-associations", record(&me, "orquest"));
    let (_, associations) = orquest(&app, &path).await;
    let list = associations.as_array().expect("associations");
    assert_eq!(list.len(), 2, "a transfer: {list:?}");
    assert_eq!(
        (&list[0]["product"], &list[0]["to"]),
        (&json!("C15"), &json!("2026-02-10")),
        "Sala ends the day before"
    );
    assert_eq!((&list[1]["product"], &list[1]["from"], list[1].get("to")), (&json!("C14"), &json!("2026-02-11"), None));
}
