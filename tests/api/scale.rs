//! Large data through HTTP (sizes a debug build seeds in a moment; `bench/run` measures 100,000):
//! record counts for every vendor, unique values by construction, and ordered pages that agree
//! with a full sort of the same data.

use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;

async fn joinup_pages(app: &TestApp, query: &str) -> Vec<Value> {
    let auth = app.auth("joinup", "group_admin").await;
    let mut all = Vec::new();
    let mut path = format!("/joinup/api/company/employees/?page_size=100&{query}");
    loop {
        let page = app.get_json(&path, Some(&auth), 200).await;
        all.extend(page["results"].as_array().expect("results").iter().cloned());
        match page["next"].as_str() {
            Some(next) => path = next.split_once("/joinup").map(|(_, rest)| format!("/joinup{rest}")).expect("link"),
            None => return all,
        }
    }
}

#[tokio::test]
async fn every_vendor_seeds_a_record_count_within_its_range() {
    let app = spawn_app().await;
    for (vendor, setting, count) in [
        ("joinup", "seed_employees", 3000),
        ("justworks", "seed_members", 3000),
        ("directory", "seed_employees", 3000),
        ("orquest", "seed_employees", 3000),
        ("chiefonboarding", "seed_users", 3000),
    ] {
        let path = format!("/__admin/vendors/{vendor}/settings");
        assert_eq!(app.admin_patch(&path, json!({setting: count}), 200).await[setting], count, "{vendor}");
        app.admin_patch(&path, json!({setting: 100_001}), 400).await;
    }
    let counts = app.get_json("/__admin/vendors", None, 200).await;
    let of = |id: &str, key: &str| {
        counts.as_array().expect("vendors").iter().find(|v| v["id"] == id).map(|v| v["counts"][key].clone())
    };
    assert_eq!(of("joinup", "employees"), Some(json!(6000)), "per tenant");
    assert_eq!(of("justworks", "members"), Some(json!(3000)));
    assert_eq!(of("orquest", "employees"), Some(json!(3750)), "a quarter more in the second business");
    assert_eq!(of("chiefonboarding", "users"), Some(json!(3000)));
    let auth = app.auth("chiefonboarding", "admin").await;
    let users = app.get_json("/chiefonboarding/api/employees/", Some(&auth), 200).await;
    let emails: HashSet<&str> = users.as_array().expect("users").iter().filter_map(|u| u["email"].as_str()).collect();
    assert_eq!(emails.len(), 3000, "every email unique");
}

/// A server with 4,000 Joinup employees per tenant and no rate limit; every employee, page by page.
async fn large_joinup() -> (TestApp, Vec<Value>) {
    let app = spawn_app().await;
    let settings = json!({"seed_employees": 4000, "rate_limits": false});
    app.admin_patch("/__admin/vendors/joinup/settings", settings, 200).await;
    let all = joinup_pages(&app, "").await;
    (app, all)
}

#[tokio::test]
async fn list_large_joinup_employees_gives_unique_records() {
    let (_app, all) = large_joinup().await;
    assert_eq!(all.len(), 4000);
    let emails: HashSet<&str> = all.iter().filter_map(|e| e["base_email"].as_str()).collect();
    assert_eq!(emails.len(), 4000, "unique emails without retries");
    let dnis: Vec<&str> = all.iter().filter_map(|e| e["dni"].as_str()).filter(|d| !d.is_empty()).collect();
    assert_eq!(dnis.iter().collect::<HashSet<_>>().len(), dnis.len(), "unique DNIs");
}

#[tokio::test]
async fn list_large_joinup_employees_ordered_pages_agree_with_a_full_sort() {
    let (app, all) = large_joinup().await;
    let ordered = joinup_pages(&app, "ordering=-enabled_date").await;
    let mut expected = all.clone();
    expected.sort_by(|a, b| {
        let date = |e: &Value| e["enabled_date"].as_str().unwrap_or("").to_owned();
        date(b).cmp(&date(a)).then(a["id"].as_u64().cmp(&b["id"].as_u64()))
    });
    let ids = |list: &[Value]| list.iter().map(|e| e["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&ordered), ids(&expected), "page after page, the order of a full sort");
}

#[tokio::test]
async fn list_large_joinup_employees_sees_a_write_between_two_pages() {
    let (app, _) = large_joinup().await;
    // A write between two pages is seen by the next one: kept orderings are dropped on change.
    let auth = app.auth("joinup", "group_admin").await;
    let first =
        app.get_json("/joinup/api/company/employees/?ordering=company_name,-id&page_size=5", Some(&auth), 200).await;
    let items = json!([{"base_email": "zz.new@acme-iberia.test", "name": "Zz New", "operation": "onboarding", "company_cif": "B86543212"}]);
    let response = app.send(Method::POST, "/joinup/api/company/employees/", Some(&auth), Some(items)).await;
    assert_eq!(response.status(), 202);
    app.admin_post("/__admin/clock", json!({"advance_seconds": 10}), 200).await;
    let again =
        app.get_json("/joinup/api/company/employees/?ordering=company_name,-id&page_size=5", Some(&auth), 200).await;
    assert_eq!(again["count"], json!(first["count"].as_u64().map(|c| c + 1)), "the new employee is counted");
}
