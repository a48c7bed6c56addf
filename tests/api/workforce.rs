//! The living workforce (issue 29): time moves people, deterministically, into the vendors.

use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const DAY: i64 = 86_400;

/// A frozen clock at a fixed time, and churn at `rates` (hires, changes, terminations).
pub(crate) async fn churning(app: &TestApp, sandbox: &str, rates: (f64, f64, f64)) {
    let clock = format!("/__admin/clock?sandbox={sandbox}");
    app.admin_post(&clock, json!({"set": "2026-02-01T12:00:00Z", "frozen": true}), 200).await;
    let body = json!({"hires_per_month": rates.0, "changes_per_month": rates.1, "terminations_per_month": rates.2});
    app.admin_patch(&format!("/__admin/workforce?sandbox={sandbox}"), body, 200).await;
}

/// Moves `sandbox`'s clock `days` on, then checks every invariant of its workforce (and that
/// the move journaled nothing).
pub(crate) async fn advance(app: &TestApp, sandbox: &str, days: i64) {
    let journaled = crate::workforce_invariants::journaled(app, sandbox).await;
    app.admin_post(&format!("/__admin/clock?sandbox={sandbox}"), json!({"advance_seconds": days * DAY}), 200).await;
    assert_eq!(crate::workforce_invariants::journaled(app, sandbox).await, journaled, "a move journals nothing");
    crate::workforce_invariants::check(app, sandbox).await;
}

/// Every person, all pages.
pub(crate) async fn everyone(app: &TestApp) -> Vec<Value> {
    let mut people = Vec::new();
    loop {
        let page =
            app.get_json(&format!("/__admin/workforce/people?limit=1000&offset={}", people.len()), None, 200).await;
        let got = page["people"].as_array().expect("people").clone();
        if got.is_empty() {
            return people;
        }
        people.extend(got);
    }
}

pub(crate) async fn members(app: &TestApp, query: &str) -> Vec<Value> {
    let token = crate::justworks::all_scopes(app).await;
    let auth = format!("Bearer {token}");
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/justworks/v1/members?limit=100&cursor={c}&{query}"),
            None => format!("/justworks/v1/members?limit=100&{query}"),
        };
        let page = app.get_json(&path, Some(&auth), 200).await;
        all.extend(page["items"].as_array().expect("items").clone());
        match page["next_cursor"].as_str() {
            Some(next) if !next.is_empty() => cursor = Some(next.to_owned()),
            _ => return all,
        }
    }
}

#[tokio::test]
async fn advance_with_default_rates_changes_nothing() {
    let app = spawn_app().await;
    let before = members(&app, "").await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 400 * DAY}), 200).await;
    assert_eq!(members(&app, "").await, before);
    let log = app.get_json("/__admin/workforce/events", None, 200).await;
    assert_eq!(log["events"], json!([]));
    assert_eq!(app.get_json("/__admin/workforce", None, 200).await["settings"]["hires_per_month"], json!(0.0));
}

#[tokio::test]
async fn advance_keeps_headcount_and_no_manager_cycle() {
    let app = spawn_app().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    advance(&app, "default", 548).await;
    let counts = app.get_json("/__admin/workforce", None, 200).await["counts"].clone();
    let int = |v: &Value| v.as_i64().expect("count");
    assert!(int(&counts["hires"]) > 0 && int(&counts["terminations"]) > 0, "{counts}");
    // Headcount, the people list, no manager cycle, vendors in step, nothing journaled: the
    // invariants every advance in these tests is checked against.
    crate::workforce_invariants::check(&app, "default").await;
}

#[tokio::test]
async fn same_seed_and_clock_moves_give_identical_events_and_reads() {
    let (one, two) = (spawn_app().await, spawn_app().await);
    for app in [&one, &two] {
        churning(app, "default", (10.0, 5.0, 3.0)).await;
        advance(app, "default", 45).await;
        advance(app, "default", 45).await;
    }
    let path = "/__admin/workforce/events?limit=1000";
    let first = one.get_json(path, None, 200).await;
    assert!(!first["events"].as_array().expect("events").is_empty());
    assert_eq!(first, two.get_json(path, None, 200).await);
    assert_eq!(members(&one, "").await, members(&two, "").await);
}

#[tokio::test]
async fn advance_90_days_changes_justworks_members_in_its_own_shape() {
    let app = spawn_app().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    let before = members(&app, "").await;
    advance(&app, "default", 90).await;
    let after = members(&app, "").await;
    assert!(after.len() > before.len(), "hires are new members");
    let changed = members(&app, "updated_at_gte=2026-02-02").await;
    assert!(!changed.is_empty(), "an updated_at filter sees the changes");
    let log = app.get_json("/__admin/workforce/events?limit=1000&kind=termination", None, 200).await;
    let gone: BTreeSet<&str> = log["events"]
        .as_array()
        .expect("events")
        .iter()
        .flat_map(|e| e["records"].as_array().into_iter().flatten())
        .filter(|r| r["vendor"] == "justworks")
        .filter_map(|r| r["id"].as_str())
        .collect();
    let terminated = members(&app, "status=terminated").await;
    for id in &gone {
        let member = terminated.iter().find(|m| m["id"] == *id).expect("a terminated member");
        assert!(member["employment_termination_date"].is_string(), "{member}");
    }
}

#[tokio::test]
async fn scheduled_termination_is_visible_before_its_date_and_happens_on_it() {
    let app = spawn_app().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    let person = everyone(&app).await.into_iter().find(|p| p["status"] == "active" && p["manager"].is_string());
    let person = person.expect("an active person");
    let id = person["id"].as_str().expect("id");
    let member_id = person["records"]["justworks"]["id"].as_str().expect("a member").to_owned();
    let body = json!({"type": "schedule_termination", "person": id, "last_day": "2026-02-10"});
    let answer = app.admin_post("/__admin/workforce/events", body, 201).await;
    assert_eq!(answer["event"]["kind"], "termination_scheduled");
    let member = members(&app, "status=active").await.into_iter().find(|m| m["id"] == member_id.as_str());
    assert_eq!(member.expect("still active")["employment_termination_date"], "2026-02-10");
    advance(&app, "default", 10).await;
    let terminated = members(&app, "status=terminated").await;
    assert!(terminated.iter().any(|m| m["id"] == member_id.as_str()), "left after 2026-02-10");
}

#[tokio::test]
async fn shared_hire_keeps_one_identity() {
    let app = spawn_app().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true}), 200).await;
    let body = json!({"type": "hire", "fields": {"given_name": "Zora", "family_name": "Quill"}});
    let event = app.admin_post("/__admin/workforce/events", body, 201).await["event"].clone();
    let person = everyone(&app).await.into_iter().find(|p| p["id"] == event["person"]).expect("the hire");
    let record = event["records"].as_array().expect("records").iter().find(|r| r["vendor"] == "justworks").cloned();
    let member_id = record.expect("a Justworks member")["id"].clone();
    let member = members(&app, "").await.into_iter().find(|m| m["id"] == member_id).expect("listed");
    assert_eq!(member["name"]["given_name"], "Zora");
    assert_eq!(member["emails"][0]["address"], person["work_email"]);
    assert_eq!(member["employment_start_date"], "2026-02-01");
}

#[tokio::test]
async fn workforce_events_are_not_journaled() {
    let app = spawn_app().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    advance(&app, "default", 60).await;
    assert_eq!(app.get_json("/__admin/requests", None, 200).await, json!([]));
}

#[tokio::test]
async fn named_sandbox_has_its_own_workforce() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", json!({"name": "wf"}), 201).await;
    churning(&app, "wf", (10.0, 5.0, 3.0)).await;
    advance(&app, "wf", 60).await;
    let named = app.get_json("/__admin/workforce/events?sandbox=wf", None, 200).await;
    assert!(!named["events"].as_array().expect("events").is_empty());
    let default = app.get_json("/__admin/workforce", None, 200).await;
    assert_eq!(default["events"]["last_seq"], 0);
    assert_eq!(default["settings"]["hires_per_month"], json!(0.0));
}

#[tokio::test]
async fn snapshot_carries_the_workforce() {
    let app = spawn_app().await;
    churning(&app, "default", (10.0, 5.0, 3.0)).await;
    advance(&app, "default", 30).await;
    let document = app.get_json("/__admin/snapshot", None, 200).await;
    assert!(document["workforce"]["people"].is_array());
    app.admin_post("/__admin/sandboxes", json!({"name": "copy", "snapshot": document}), 201).await;
    let path = |s: &str| format!("/__admin/workforce/events?limit=1000&sandbox={s}");
    assert_eq!(app.get_json(&path("copy"), None, 200).await, app.get_json(&path("default"), None, 200).await);
    advance(&app, "default", 30).await;
    advance(&app, "copy", 30).await;
    assert_eq!(app.get_json(&path("copy"), None, 200).await, app.get_json(&path("default"), None, 200).await);
}

#[tokio::test]
async fn patch_workforce_refuses_bad_input_and_changes_nothing() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let before = app.get_json("/__admin/workforce", None, 200).await;
    for body in [
        json!({"hires_per_month": -1}),
        json!({"hires_per_month": 100.5}),
        json!({"hires_per_month": "10"}),
        json!({"hires_per_month": 1e308, "shared": true}),
        json!({"shared": "yes"}),
        json!({"vendors": ["justworks", "nope"]}),
        json!({"vendors": "justworks"}),
        json!({"rates": 1}),
        json!([1]),
        json!(null),
    ] {
        let answer = app.admin_patch("/__admin/workforce", body.clone(), 400).await;
        assert!(answer["error"]["message"].is_string(), "{body}: {answer}");
    }
    assert_eq!(app.get_json("/__admin/workforce", None, 200).await, before);
    app.admin_patch("/__admin/workforce?sandbox=nope", json!({}), 404).await;
}

#[tokio::test]
async fn post_workforce_event_refuses_bad_input_and_changes_nothing() {
    let app = spawn_app().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    let people = everyone(&app).await;
    // A top manager with reports (people adopted from a vendor without managers have none).
    let leads = |b: &&Value| people.iter().any(|p| p["manager"] == b["id"]);
    let boss = people.iter().filter(|p| p["status"] == "active" && p["manager"].is_null()).find(leads);
    let boss = boss.expect("a top manager");
    let report = people.iter().find(|p| p["manager"] == boss["id"]).expect("a report");
    let gone = people.iter().find(|p| p["status"] == "terminated").expect("someone who left");
    let long = "x".repeat(201);
    let before = (everyone(&app).await, app.get_json("/__admin/workforce", None, 200).await);
    for body in [
        json!({"type": "fire"}),
        json!({"type": "change", "field": "title", "value": "X"}),
        json!({"type": "change", "person": "person_999999", "field": "title", "value": "X"}),
        json!({"type": "change", "person": "person_00001", "field": "title", "value": "X"}),
        json!({"type": "change", "person": boss["id"], "field": "salary", "value": "X"}),
        json!({"type": "change", "person": boss["id"], "field": "title", "value": long}),
        json!({"type": "change", "person": boss["id"], "field": "title", "value": null}),
        json!({"type": "change", "person": boss["id"], "field": "title", "value": " "}),
        json!({"type": "change", "person": boss["id"], "field": "manager", "value": report["id"]}),
        json!({"type": "change", "person": boss["id"], "field": "manager", "value": boss["id"]}),
        json!({"type": "change", "person": boss["id"], "field": "manager", "value": gone["id"]}),
        json!({"type": "change", "person": boss["id"], "field": "employment_type", "value": "intern"}),
        json!({"type": "change", "person": gone["id"], "field": "title", "value": "X"}),
        json!({"type": "schedule_termination", "person": boss["id"], "last_day": "2026-01-31"}),
        json!({"type": "schedule_termination", "person": boss["id"], "last_day": "31/12/2026"}),
        json!({"type": "schedule_termination", "person": boss["id"]}),
        json!({"type": "cancel_termination", "person": boss["id"]}),
        json!({"type": "rehire", "person": boss["id"]}),
        json!({"type": "hire", "person": boss["id"]}),
        json!({"type": "hire", "fields": {"salary": "1"}}),
        json!({"type": "hire", "fields": {"manager": gone["id"]}}),
        json!({"type": "hire", "effective_at": "2020-01-01T00:00:00Z"}),
        json!({"type": "hire", "effective_at": "tomorrow"}),
        json!({"type": "hire", "extra": 1}),
        json!("hire"),
    ] {
        let answer = app.admin_post("/__admin/workforce/events", body.clone(), 400).await;
        assert!(answer["error"]["code"].is_string(), "{body}: {answer}");
    }
    assert_eq!((everyone(&app).await, app.get_json("/__admin/workforce", None, 200).await), before);
}

#[tokio::test]
async fn workforce_reads_refuse_bad_queries() {
    let app = spawn_app().await;
    for path in [
        "/__admin/workforce/people?limit=0",
        "/__admin/workforce/people?limit=1001",
        "/__admin/workforce/people?status=gone",
        "/__admin/workforce/people?offset=-1",
        "/__admin/workforce/people?page=2",
        "/__admin/workforce/events?after=x",
        "/__admin/workforce/events?kind=fired",
        "/__admin/workforce/events?limit=99999999999999999999999",
        "/__admin/workforce?extra=1",
    ] {
        let answer = app.get_json(path, None, 400).await;
        assert!(answer["error"]["message"].is_string(), "{path}");
    }
    app.get_json("/__admin/workforce/people?sandbox=nope", None, 404).await;
    let wrong = app.send(Method::DELETE, "/__admin/workforce", None, None).await;
    assert_eq!(wrong.status(), 405);
}

#[tokio::test]
async fn future_dated_event_waits_for_the_clock() {
    let app = spawn_app().await;
    churning(&app, "default", (0.0, 0.0, 0.0)).await;
    let body = json!({"type": "hire", "effective_at": "2026-03-01T00:00:00Z"});
    let answer = app.admin_post("/__admin/workforce/events", body, 202).await;
    assert_eq!(answer["pending"], true);
    assert_eq!(app.get_json("/__admin/workforce/events", None, 200).await["events"], json!([]));
    advance(&app, "default", 30).await;
    let log = app.get_json("/__admin/workforce/events", None, 200).await;
    assert_eq!(log["events"][0]["kind"], "hire");
    assert_eq!(log["events"][0]["at"], "2026-03-01T00:00:00Z");
}
