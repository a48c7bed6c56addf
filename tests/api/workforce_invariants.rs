//! The workforce's invariants, checked after every advance in the workforce tests: headcount
//! conserved, no manager cycle, every vendor record of a person in step with the person (active
//! in all or gone in all), and no journal entry made by the move.

use crate::helpers::TestApp;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Every person of `sandbox`, all pages.
async fn people(app: &TestApp, sandbox: &str) -> Vec<Value> {
    let mut all = Vec::new();
    loop {
        let path = format!("/__admin/workforce/people?sandbox={sandbox}&limit=1000&offset={}", all.len());
        let page = app.get_json(&path, None, 200).await["people"].as_array().expect("people").clone();
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

/// The journal's length in `sandbox` (to show a move adds nothing to it).
pub(crate) async fn journaled(app: &TestApp, sandbox: &str) -> usize {
    app.get_json(&format!("/__admin/requests?sandbox={sandbox}"), None, 200).await.as_array().expect("entries").len()
}

/// A vendor's full state (the admin view).
async fn state(app: &TestApp, sandbox: &str, vendor: &str) -> Value {
    app.get_json(&format!("/__admin/vendors/{vendor}/state?sandbox={sandbox}"), None, 200).await
}

/// Whether each vendor holds each of its records active now, by (vendor, record id), read
/// from the admin state views (today: the sandbox clock's day, for the dated vendors).
async fn vendor_activity(app: &TestApp, sandbox: &str) -> BTreeMap<(String, String), bool> {
    let now = app.get_json(&format!("/__admin/clock?sandbox={sandbox}"), None, 200).await["now"].clone();
    let today = now.as_str().expect("now")[..10].to_owned();
    let current = |to: &Value| to.as_str().is_none_or(|day| day >= today.as_str());
    let text = |v: &Value| v.as_str().map(str::to_owned).or_else(|| v.as_u64().map(|n| n.to_string()));
    let mut held = BTreeMap::new();
    for member in state(app, sandbox, "justworks").await["members"].as_array().into_iter().flatten() {
        held.insert(("justworks".into(), text(&member["id"]).expect("id")), member["active"] == true);
    }
    for tenant in state(app, sandbox, "joinup").await["tenants"].as_array().into_iter().flatten() {
        for employee in tenant["employees"].as_array().into_iter().flatten() {
            held.insert(("joinup".into(), text(&employee["id"]).expect("id")), employee["enabled"] == true);
        }
    }
    for employee in state(app, sandbox, "directory").await["employees"].as_array().into_iter().flatten() {
        held.insert(("directory".into(), text(&employee["id"]).expect("id")), employee["active"] == true);
    }
    for business in state(app, sandbox, "orquest").await["businesses"].as_array().into_iter().flatten() {
        for (id, employee) in business["employees"].as_object().into_iter().flatten() {
            let last = employee["serviceAssociations"].as_array().and_then(|a| a.last()).cloned();
            held.insert(("orquest".into(), id.clone()), last.is_none_or(|a| current(&a["to"])));
        }
    }
    // ChiefOnboarding keeps offboarded users active: a leaver is one whose termination date passed.
    for user in state(app, sandbox, "chiefonboarding").await["users"].as_array().into_iter().flatten() {
        held.insert(("chiefonboarding".into(), text(&user["id"]).expect("id")), current(&user["termination_date"]));
    }
    held
}

/// Checks every invariant of `sandbox`'s workforce now.
pub(crate) async fn check(app: &TestApp, sandbox: &str) {
    let view = app.get_json(&format!("/__admin/workforce?sandbox={sandbox}"), None, 200).await;
    let counts = &view["counts"];
    let int = |v: &Value| v.as_i64().expect("count");
    let expected =
        int(&counts["start"]) + int(&counts["hires"]) + int(&counts["rehires"]) - int(&counts["terminations"]);
    assert_eq!(int(&counts["active"]), expected, "headcount: {counts}");
    let people = people(app, sandbox).await;
    let active = people.iter().filter(|p| p["status"] == "active").count() as i64;
    assert_eq!(active, int(&counts["active"]), "the people list agrees with the counts");
    let managers: BTreeMap<&str, &str> =
        people.iter().filter_map(|p| Some((p["id"].as_str()?, p["manager"].as_str()?))).collect();
    for start in managers.keys() {
        let mut seen = BTreeSet::new();
        let mut at = Some(*start);
        while let Some(here) = at {
            assert!(seen.insert(here), "manager cycle through {here}");
            at = managers.get(here).copied();
        }
    }
    let held = vendor_activity(app, sandbox).await;
    for person in &people {
        let is_active = person["status"] == "active";
        for (vendor, record) in person["records"].as_object().into_iter().flatten() {
            let key = (vendor.clone(), record["id"].as_str().expect("id").to_owned());
            let there = held.get(&key).copied();
            assert_eq!(
                there,
                Some(is_active),
                "{} is {} but its {vendor} record {key:?} is {there:?}",
                person["id"],
                person["status"]
            );
        }
    }
}

#[tokio::test]
async fn shared_churn_keeps_every_vendor_in_step_with_the_people() {
    let app = crate::joinup::spawn_unthrottled().await;
    crate::workforce::churning(&app, "default", (10.0, 5.0, 3.0)).await;
    app.admin_patch("/__admin/workforce", json!({"shared": true, "rehires_per_month": 2.0}), 200).await;
    for _ in 0..4 {
        crate::workforce::advance(&app, "default", 45).await;
    }
    let view = app.get_json("/__admin/workforce", None, 200).await;
    assert!(view["counts"]["rehires"].as_i64().expect("rehires") > 0, "{view}");
}
