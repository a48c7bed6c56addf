//! The workforce across a partial reset and a `--state-dir` restart.

use crate::durable::{Api, fresh_dir, serve, stop};
use crate::joinup::spawn_unthrottled;
use crate::workforce::{advance, churning, everyone, members};
use serde_json::{Value, json};

#[tokio::test]
async fn partial_reset_starts_the_workforce_again_from_the_vendors_records() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let body = json!({"type": "hire", "fields": {"given_name": "Zora", "family_name": "Quill"}});
    app.admin_post("/__admin/workforce/events", body, 201).await;
    advance(&app, "default", 30).await;
    app.admin_post("/__admin/reset", json!({"vendors": ["justworks"]}), 200).await;
    let view = app.get_json("/__admin/workforce", None, 200).await;
    assert_eq!(view["settings"]["shared"], true, "the settings stay: {view}");
    assert_eq!(view["settings"]["hires_per_month"], json!(10.0));
    assert_eq!((&view["counts"]["hires"], &view["events"]["last_seq"]), (&json!(0), &json!(0)), "{view}");
    // Every person's Justworks record is a member that exists now, and every member is a person.
    let members = members(&app, "").await;
    let people = everyone(&app).await;
    let in_justworks: Vec<&Value> = people.iter().filter_map(|p| p["records"].get("justworks")).collect();
    assert_eq!(in_justworks.len(), members.len());
    for record in in_justworks {
        assert!(members.iter().any(|m| m["id"] == record["id"]), "{record} is a member");
    }
    // The hire is gone from Justworks (reset) but is still a person of the other vendors.
    let zora: Vec<&Value> =
        people.iter().filter(|p| p["given_name"] == "Zora" && p["family_name"] == "Quill").collect();
    assert!(!zora.is_empty() && zora.iter().all(|p| p["records"].get("justworks").is_none()), "{zora:?}");
    crate::workforce_invariants::check(&app, "default").await;
    advance(&app, "default", 30).await;
}

/// What the restart test compares: the workforce's views and each vendor's state.
async fn reads(api: &Api) -> Vec<String> {
    let mut all = Vec::new();
    for path in [
        "/__admin/clock",
        "/__admin/workforce",
        "/__admin/workforce/people?limit=1000",
        "/__admin/workforce/people?limit=1000&offset=1000",
        "/__admin/workforce/events?limit=1000",
        "/__admin/vendors/justworks/state",
        "/__admin/vendors/joinup/state",
        "/__admin/vendors/directory/state",
        "/__admin/vendors/orquest/state",
        "/__admin/vendors/chiefonboarding/state",
    ] {
        all.push(api.get(path, None).await);
    }
    all
}

#[tokio::test]
async fn restart_on_the_state_dir_keeps_people_events_and_reads() {
    let dir = fresh_dir("workforce");
    let mut first = serve(&dir);
    let api = Api::of(&first);
    let frozen = json!({"set": "2026-02-01T12:00:00Z", "frozen": true});
    assert_eq!(api.send("POST", "/__admin/clock", None, Some(frozen)).await.0, 200);
    let rates = json!({"hires_per_month": 10, "changes_per_month": 5, "terminations_per_month": 3, "shared": true});
    assert_eq!(api.send("PATCH", "/__admin/workforce", None, Some(rates)).await.0, 200);
    let later = json!({"type": "schedule_termination", "person": "person_000001", "last_day": "2026-09-30"});
    assert_eq!(api.send("POST", "/__admin/workforce/events", None, Some(later)).await.0, 201);
    let quarter = json!({"advance_seconds": 90 * 86_400});
    assert_eq!(api.send("POST", "/__admin/clock", None, Some(quarter.clone())).await.0, 200);
    let before = reads(&api).await;
    stop(&mut first);
    let mut second = serve(&dir);
    let again = Api::of(&second);
    let after = reads(&again).await;
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        assert!(a == b, "read {i} differs after the restart");
    }
    // And time moves it on from there, as it would have without the restart.
    assert_eq!(again.send("POST", "/__admin/clock", None, Some(quarter)).await.0, 200);
    let view: Value = serde_json::from_str(&again.get("/__admin/workforce", None).await).expect("json");
    let before: Value = serde_json::from_str(&before[1]).expect("json");
    assert!(view["events"]["last_seq"].as_u64() > before["events"]["last_seq"].as_u64(), "{view}");
    stop(&mut second);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The person whose `vendor` record is `id`.
async fn person_with(app: &crate::helpers::TestApp, vendor: &str, id: &str) -> Option<Value> {
    everyone(app).await.into_iter().find(|p| p["records"][vendor]["id"] == id)
}

#[tokio::test]
async fn client_new_hire_joins_the_shared_workforce_and_every_vendor_sees_it() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let user = json!({"first_name": "Cleo", "last_name": "Client", "email": "cleo.client@acme.test", "role": 0});
    let co = app.vendor("chiefonboarding");
    let (status, _) = co.call(reqwest::Method::POST, "/api/users/", "admin", Some(user)).await;
    assert_eq!(status, 201);
    let users = crate::workforce_vendors::chiefonboarding_employees(&app).await;
    let id = users.iter().find(|u| u["email"] == "cleo.client@acme.test").expect("the user")["id"].to_string();
    let person = person_with(&app, "chiefonboarding", &id).await.expect("a person");
    assert_eq!((&person["given_name"], &person["family_name"]), (&json!("Cleo"), &json!("Client")));
    let log = app.get_json("/__admin/workforce/events", None, 200).await;
    assert_eq!((&log["events"][0]["kind"], &log["events"][0]["origin"]), (&json!("hire"), &json!("client")));
    let member_id = person["records"]["justworks"]["id"].as_str().expect("a member");
    let member = members(&app, "").await.into_iter().find(|m| m["id"] == member_id).expect("listed");
    assert_eq!(member["name"]["full_preferred_name"], "Cleo Client");
    let employee = crate::workforce_vendors::directory(
        &app,
        &format!("/employee/{}", person["records"]["directory"]["id"].as_str().expect("id")),
    )
    .await;
    assert_eq!(employee["email"], "cleo.client@acme.test");
}

#[tokio::test]
async fn client_directory_employee_joins_the_shared_workforce() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let body = json!({"name": "Dee Rect", "email": "dee.rect@acme.test"});
    let (status, employee) =
        crate::directory::call(&app, reqwest::Method::POST, "/api/v1/employee", "admin", Some(body)).await;
    assert_eq!(status, 201, "{employee}");
    let person = person_with(&app, "directory", employee["id"].as_str().expect("id")).await.expect("a person");
    assert_eq!(person["start_date"], "2026-02-01", "no joinDate: it starts today");
    let orquest_id = person["records"]["orquest"]["id"].as_str().expect("an Orquest employee");
    let (status, seen) =
        crate::workforce_vendors::orquest(&app, &format!("/api/v2/businesses/ACME/employees/{orquest_id}")).await;
    assert_eq!((status, &seen["name"], &seen["surname"]), (200, &json!("Dee"), &json!("Rect")));
    let joinup = crate::workforce_vendors::joinup_employees(
        &app,
        &format!("id={}", person["records"]["joinup"]["id"].as_str().expect("id")),
    )
    .await;
    assert_eq!(joinup[0]["base_email"], "dee.rect@acme.test");
}

#[tokio::test]
async fn client_writes_do_not_join_without_shared() {
    let app = spawn_unthrottled().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    let people = everyone(&app).await.len();
    let body = json!({"name": "Not Shared", "email": "not.shared@acme.test"});
    let (status, _) =
        crate::directory::call(&app, reqwest::Method::POST, "/api/v1/employee", "admin", Some(body)).await;
    assert_eq!(status, 201);
    assert_eq!(everyone(&app).await.len(), people);
    assert_eq!(app.get_json("/__admin/workforce/events", None, 200).await["last_seq"], 0);
}
