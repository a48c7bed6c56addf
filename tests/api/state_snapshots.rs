//! `GET`/`PUT /__admin/snapshot` through HTTP: the round trip over every list and detail read
//! of all five vendors, identical exports, atomic replace under concurrent reads, bad documents
//! (named by JSON path, nothing changed), `--snapshot` at start, reset back to the snapshot, and
//! a named sandbox made from one.

use crate::helpers::{TestApp, spawn_app, spawn_with};
use crate::orquest::element;
use hr_sandbox::settings::{RateLimits, Settings};
use reqwest::Method;
use serde_json::{Value, json};

async fn export(app: &TestApp, query: &str) -> (Value, Vec<u8>) {
    let response = app.execute(app.request(Method::GET, &format!("/__admin/snapshot{query}"))).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body").to_vec();
    (serde_json::from_slice(&bytes).expect("json"), bytes)
}

async fn import(app: &TestApp, query: &str, document: &Value) -> (u16, Value) {
    let request = app.request(Method::PUT, &format!("/__admin/snapshot{query}")).json(document);
    let response = app.execute(request).await;
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn get_bytes(app: &TestApp, vendor: &'static str, identity: &str, path: &str) -> (u16, Vec<u8>) {
    let response = app.vendor(vendor).send_as(Method::GET, path, identity, None).await;
    (response.status().as_u16(), response.bytes().await.expect("body").to_vec())
}

/// The first item's `field` of a JSON list (or of its `key` member).
fn first(list: &Value, key: Option<&str>, field: &str) -> String {
    let items = key.map_or(list, |k| &list[k]);
    items[0][field].as_str().map(str::to_owned).unwrap_or_else(|| items[0][field].to_string())
}

/// Every list and detail read of every vendor, as (vendor, identity, path).
async fn reads(app: &TestApp) -> Vec<(&'static str, &'static str, String)> {
    let mut reads: Vec<(&'static str, &'static str, String)> = Vec::new();
    let mut add = |vendor, identity, paths: Vec<String>| reads.extend(paths.into_iter().map(|p| (vendor, identity, p)));

    add(
        "joinup",
        "group_admin",
        vec![
            "/api/company/employees/".into(),
            "/api/company/employees/?page=2&ordering=-enabled_date".into(),
            "/api/company/cost-centers/".into(),
        ],
    );
    add("joinup", "single_company", vec!["/api/company/employees/".into(), "/api/company/cost-centers/".into()]);

    let jw = app.vendor("justworks");
    let (_, members) = jw.call(Method::GET, "/v1/members", "all_scopes", None).await;
    let member = first(&members, Some("items"), "id");
    let (document, _) = export(app, "").await;
    let legacy = &document["vendors"]["justworks"]["state"];
    let year = "start_date=2025-01-01&end_date=2025-12-31";
    let (_, payrolls) = jw.call(Method::GET, &format!("/v1/payrolls?{year}"), "all_scopes", None).await;
    let payroll = first(&payrolls, Some("items"), "id");
    let (_, paystubs) = jw.call(Method::GET, &format!("/v1/payrolls/{payroll}/paystubs"), "all_scopes", None).await;
    let paystub = first(&paystubs, Some("items"), "paystub_id");
    let mut justworks: Vec<String> = [
        "/v1/company",
        "/v1/company/bank-account",
        "/v1/company/custom-fields",
        "/v1/members",
        "/v1/deduction-types",
        "/v1/deductions",
        "/v1/time-off/policies",
    ]
    .map(String::from)
    .into();
    justworks.extend([
        format!("/v1/payrolls?{year}"),
        format!("/v1/time-off/requests?{year}"),
        format!("/v1/members/{member}"),
        format!("/v1/members/{member}/custom-field-values"),
        format!("/v1/members/{member}/tax-id"),
        format!("/v1/payrolls/{payroll}/fees"),
        format!("/v1/payrolls/{payroll}/paystubs"),
        format!("/v1/paystubs/{paystub}"),
        format!("/v1/legacy/members/{}", legacy["members"][0]["legacy_id"].as_str().unwrap_or("none")),
        format!("/v1/legacy/companies/{}", legacy["company"]["legacy_id"].as_str().unwrap_or("none")),
    ]);
    add("justworks", "all_scopes", justworks);

    let dir = app.vendor("directory");
    let (_, employees) = dir.call(Method::GET, "/api/v1/employee", "admin_key", None).await;
    let (_, accounts) = dir.call(Method::GET, "/api/v1/account", "admin_key", None).await;
    let (_, groups) = dir.call(Method::GET, "/api/v1/group", "admin_key", None).await;
    let (employee, account, group) =
        (first(&employees, None, "id"), first(&accounts, None, "id"), first(&groups, None, "id"));
    add(
        "directory",
        "admin_key",
        vec![
            "/api/v1/organization".into(),
            "/api/v1/organization/profile".into(),
            "/api/v1/employee".into(),
            "/api/v1/account".into(),
            "/api/v1/group".into(),
            format!("/api/v1/employee/{employee}"),
            format!("/api/v1/employee/{employee}/managers"),
            format!("/api/v1/account/{account}"),
            format!("/api/v1/group/{group}"),
            format!("/api/v1/group/{group}/members"),
            format!("/api/v1/group/{group}/profile"),
            format!("/api/v1/entity/{employee}/groups"),
        ],
    );

    let base = "/api/v2/businesses/ACME";
    let (_, staff) =
        app.vendor("orquest").call(Method::GET, &format!("{base}/services/S2101/employees"), "integration", None).await;
    let person = first(&staff, None, "employeeId");
    add(
        "orquest",
        "integration",
        vec![
            format!("{base}/services"),
            format!("{base}/services/S2101/employees"),
            format!("{base}/products/C35/employees"),
            format!("{base}/employees/{person}"),
            format!("{base}/employees/777000"),
            "/api/v1/businesses/ACME/users".into(),
            "/api/v1/businesses/ACME/services/S2101/employee-roles".into(),
            format!("/api/v1/business/ACME/person/{person}/service-associations"),
        ],
    );

    add("chiefonboarding", "admin", vec!["/api/employees/".into(), "/api/sequences/".into()]);
    reads
}

/// One write per vendor, through its own API.
async fn change_everything(app: &TestApp) {
    let onboard = json!([{"base_email": "new@acme-iberia.test", "name": "New", "operation": "onboarding", "company_name": "Acme Iberia SL"}]);
    let (status, _) =
        app.vendor("joinup").call(Method::POST, "/api/company/employees/", "group_admin", Some(onboard)).await;
    assert_eq!(status, 202);
    app.admin_post("/__admin/clock", json!({"advance_seconds": 10}), 200).await;

    let (_, members) = app.vendor("justworks").call(Method::GET, "/v1/members", "all_scopes", None).await;
    let member = first(&members, Some("items"), "id");
    let deduction = json!({"items": [{"operation_id": "op-1", "member_id": member, "deduction_type_code": "health_insurance",
        "amount_type": "fixed", "amount": 2500, "currency": "USD", "frequency": "every_paycheck", "start_date": "2026-02-01"}]});
    let (status, _) = app.vendor("justworks").call(Method::POST, "/v1/deductions", "all_scopes", Some(deduction)).await;
    assert_eq!(status, 200);

    let employee = json!({"name": "Snap Shot", "email": "snap@acme.test"});
    assert_eq!(
        app.vendor("directory").call(Method::POST, "/api/v1/employee", "admin_key", Some(employee)).await.0,
        201
    );

    let (status, _) = app
        .vendor("orquest")
        .call(Method::PUT, "/api/v2/businesses/ACME/employees", "integration", Some(json!([element("777000")])))
        .await;
    assert_eq!(status, 200);

    let user = json!({"first_name": "Ana", "last_name": "Snap", "email": "ana.snap@example.test", "role": 0});
    assert_eq!(app.vendor("chiefonboarding").call(Method::POST, "/api/users/", "admin", Some(user)).await.0, 201);
}

#[tokio::test]
async fn a_snapshot_put_back_answers_every_read_of_every_vendor_byte_for_byte() {
    let app = spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }).await;
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let reads = reads(&app).await;
    assert!(reads.len() > 40, "{} reads", reads.len());
    let mut before = Vec::new();
    for (vendor, identity, path) in &reads {
        before.push(get_bytes(&app, vendor, identity, path).await);
    }
    let failing: Vec<_> = reads
        .iter()
        .zip(&before)
        .filter(|(r, b)| b.0 != 200 && !r.2.ends_with("/777000"))
        .map(|(r, b)| (r, b.0))
        .collect();
    assert!(failing.is_empty(), "every read answers 200 before the changes: {failing:?}");
    let (document, first_export) = export(&app, "").await;
    assert_eq!(export(&app, "").await.1, first_export, "exporting twice gives identical bytes");
    assert_eq!((document["format"].clone(), document["version"].clone()), (json!("hr-sandbox-snapshot"), json!(1)));
    assert_eq!(document["clock"]["frozen"], true);
    assert!(document.get("journal").is_none(), "the journal only on request");

    change_everything(&app).await;
    for (i, (vendor, identity, path)) in reads.iter().enumerate() {
        let now = get_bytes(&app, vendor, identity, path).await;
        if now != before[i] {
            before[i].0 += 1000; // Marks the reads the changes touched.
        }
    }
    let touched: Vec<&str> = reads.iter().zip(&before).filter(|(_, b)| b.0 >= 1000).map(|(r, _)| r.0).collect();
    for vendor in ["joinup", "justworks", "directory", "orquest", "chiefonboarding"] {
        assert!(touched.contains(&vendor), "the changes show in {vendor}'s reads: {touched:?}");
    }
    before.iter_mut().for_each(|b| b.0 %= 1000);

    assert_eq!(import(&app, "", &document).await.0, 200);
    for (i, (vendor, identity, path)) in reads.iter().enumerate() {
        let after = get_bytes(&app, vendor, identity, path).await;
        assert!(
            after == before[i],
            "{vendor} {path}: {} vs {}",
            String::from_utf8_lossy(&after.1),
            String::from_utf8_lossy(&before[i].1)
        );
    }
    assert_eq!(export(&app, "").await.1, first_export, "the restored state exports as it was");
}

/// A server with the shipped `joinup-throttled` scenario and one journaled request; its
/// document exported with the journal.
async fn exported_with_journal() -> (TestApp, Value) {
    let app = spawn_app().await;
    app.load_shipped_scenario("joinup-throttled").await;
    app.vendor("chiefonboarding").call(Method::GET, "/api/employees/", "admin", None).await;
    let (document, _) = export(&app, "?journal=true").await;
    (app, document)
}

#[tokio::test]
async fn export_snapshot_with_journal_true_carries_the_journal() {
    let (_app, document) = exported_with_journal().await;
    assert_eq!(document["journal"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn export_snapshot_carries_the_scenarios_with_their_source() {
    let (_app, document) = exported_with_journal().await;
    let saved = &document["scenarios"][0];
    assert_eq!((saved["name"].clone(), saved["activation_order"].clone()), (json!("joinup-throttled"), json!(0)));
    assert!(saved["source"].as_str().is_some_and(|s| s.contains("rules")));
}

#[tokio::test]
async fn import_snapshot_with_journal_restores_its_active_scenarios() {
    let (app, document) = exported_with_journal().await;
    app.send(Method::DELETE, "/__admin/scenarios/joinup-throttled", None, None).await;
    assert_eq!(import(&app, "", &document).await.0, 200, "a document with its journal reads back");
    let scenarios = app.get_json("/__admin/scenarios", None, 200).await;
    assert_eq!(
        (scenarios[0]["name"].clone(), scenarios[0]["active"].clone()),
        (json!("joinup-throttled"), json!(true))
    );
}

/// `good` with the value at `path` (keys, or indexes as digits) replaced by `value`.
fn broken(good: &Value, path: &[&str], value: Value) -> Value {
    let mut document = good.clone();
    let (last, parents) = path.split_last().expect("a path");
    let mut target = &mut document;
    for key in parents {
        target = match key.parse::<usize>() {
            Ok(index) => &mut target[index],
            Err(_) => &mut target[*key],
        };
    }
    match last.parse::<usize>() {
        Ok(index) => target[index] = value,
        Err(_) => target[*last] = value,
    }
    document
}

/// Documents broken in one place each, with the path of that place.
fn bad_documents(good: &Value) -> Vec<(Value, &'static str)> {
    vec![
        (broken(good, &["format"], json!("something-else")), "format"),
        (broken(good, &["version"], json!(2)), "version"),
        (broken(good, &["vendors", "bamboohr"], json!({"settings": {}, "state": {}})), "vendors.bamboohr"),
        (broken(good, &["clock", "now"], json!("yesterday")), "clock.now"),
        (
            broken(good, &["vendors", "joinup", "state", "tenants", "0", "employees", "0", "company"], json!(999_999)),
            "vendors.joinup.state.tenants[0].employees[0].company",
        ),
        (
            broken(good, &["vendors", "joinup", "state", "tenants", "0", "employees", "1", "name"], json!(7)),
            "vendors.joinup.state.tenants[0].employees[1].name",
        ),
        (
            broken(
                good,
                &["vendors", "justworks", "state", "deductions"],
                json!([{"id": "deduction_x", "member_id": "member_nobody",
            "deduction_type_code": "x", "amount_type": "fixed", "amount": 1, "currency": "USD", "frequency": "one_time", "start_date": "2026-01-01"}]),
            ),
            "vendors.justworks.state.deductions[0].member_id",
        ),
        (
            broken(
                good,
                &["vendors", "directory", "state", "memberships", "0", "groupId"],
                json!("00000000-0000-0000-0000-000000000000"),
            ),
            "vendors.directory.state.memberships[0].groupId",
        ),
        (broken(good, &["vendors", "orquest", "settings", "seed_employees"], json!(-1)), "vendors.orquest.settings"),
        (
            broken(good, &["vendors", "chiefonboarding", "state", "tokens"], json!({"abc": 99_999})),
            "vendors.chiefonboarding.state.tokens.abc",
        ),
        (
            broken(
                good,
                &["scenarios"],
                json!([{"name": "x", "source": "rules: [", "activation_order": null, "activated_at": null, "rules": []}]),
            ),
            "scenarios[0].source",
        ),
    ]
}

/// A server with its clock frozen, its exported document and that document's bytes.
async fn frozen_export() -> (TestApp, Value, Vec<u8>) {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
    let (good, bytes) = export(&app, "").await;
    (app, good, bytes)
}

#[tokio::test]
async fn import_snapshot_refuses_a_bad_document_with_the_path_of_its_first_problem() {
    let (app, good, _) = frozen_export().await;
    for (document, path) in bad_documents(&good) {
        let (status, body) = import(&app, "", &document).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_snapshot", "{body}");
        assert!(body["error"]["path"].as_str().is_some_and(|p| p.starts_with(path)), "{path}: {body}");
    }
}

#[tokio::test]
async fn import_snapshot_refuses_an_unknown_version_saying_so() {
    let (app, good, _) = frozen_export().await;
    let version = import(&app, "", &broken(&good, &["version"], json!(2))).await.1;
    assert!(
        version["error"]["message"].as_str().is_some_and(|m| m.contains("version 2 is not supported")),
        "{version}"
    );
}

#[tokio::test]
async fn import_snapshot_refused_changes_nothing() {
    let (app, good, bytes) = frozen_export().await;
    for (document, _) in bad_documents(&good) {
        import(&app, "", &document).await;
    }
    assert_eq!(export(&app, "").await.1, bytes, "nothing changed");
}

#[tokio::test]
async fn readers_see_the_old_state_or_the_new_one_never_a_mix() {
    let app = spawn_app().await;
    let (seeded, _) = export(&app, "").await;
    let auth = app.auth("chiefonboarding", "admin").await;
    let url = app.url("/chiefonboarding/api/employees/");
    let old =
        app.client.get(&url).header("Authorization", &auth).send().await.expect("answered").text().await.expect("text");
    for i in 0..20 {
        let user =
            json!({"first_name": format!("U{i}"), "last_name": "X", "email": format!("u{i}@example.test"), "role": 0});
        app.vendor("chiefonboarding").call(Method::POST, "/api/users/", "admin", Some(user)).await;
    }
    let new =
        app.client.get(&url).header("Authorization", &auth).send().await.expect("answered").text().await.expect("text");
    let (changed, _) = export(&app, "").await;
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, auth) = (app.client.clone(), url.clone(), auth.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                for _ in 0..60 {
                    let body = client.get(&url).header("Authorization", &auth).send().await.expect("answered");
                    seen.push(body.text().await.expect("text"));
                }
                seen
            })
        })
        .collect();
    for round in 0..10 {
        let document = if round % 2 == 0 { &seeded } else { &changed };
        assert_eq!(import(&app, "", document).await.0, 200);
    }
    for reader in readers {
        for body in reader.await.expect("reader") {
            assert!(body == old || body == new, "a mixed answer: {body}");
        }
    }
}

#[tokio::test]
async fn a_sandbox_made_from_a_snapshot_resets_back_to_it() {
    let app = spawn_app().await;
    let user = json!({"first_name": "Kept", "last_name": "User", "email": "kept@example.test", "role": 0});
    app.vendor("chiefonboarding").call(Method::POST, "/api/users/", "admin", Some(user)).await;
    let (document, _) = export(&app, "").await;

    let created = app.admin_post("/__admin/sandboxes", json!({"name": "from-snap", "snapshot": document}), 201).await;
    assert_eq!(created["name"], "from-snap");
    let path = "/sandboxes/from-snap/chiefonboarding/api/employees/";
    let auth = app.auth_in("chiefonboarding", "admin", Some("from-snap")).await;
    let count = |body: Value| body.as_array().map(Vec::len).unwrap_or_default();
    let start = count(app.get_json(path, Some(&auth), 200).await);
    assert_eq!(start, count(app.get_json("/chiefonboarding/api/employees/", Some(&auth), 200).await));

    let extra = json!({"first_name": "Gone", "last_name": "Soon", "email": "gone@example.test", "role": 0});
    app.send(Method::POST, "/sandboxes/from-snap/chiefonboarding/api/users/", Some(&auth), Some(extra)).await;
    assert_eq!(count(app.get_json(path, Some(&auth), 200).await), start + 1);
    app.admin_post("/__admin/reset?sandbox=from-snap", json!({}), 200).await;
    assert_eq!(
        count(app.get_json(path, Some(&auth), 200).await),
        start,
        "reset goes back to the snapshot, the added user kept"
    );

    let mut bad = app.get_json("/__admin/snapshot", None, 200).await;
    bad["version"] = json!(9);
    let refused = app.admin_post("/__admin/sandboxes", json!({"name": "bad-snap", "snapshot": bad}), 400).await;
    assert_eq!(refused["error"]["path"], "version");
    app.get_json("/__admin/sandboxes/bad-snap", None, 404).await;
}

/// A snapshot file holding a default sandbox with the extra user boot@example.test.
async fn boot_snapshot_file(test: &str) -> std::path::PathBuf {
    let source = spawn_app().await;
    let user = json!({"first_name": "Boot", "last_name": "Strap", "email": "boot@example.test", "role": 0});
    source.vendor("chiefonboarding").call(Method::POST, "/api/users/", "admin", Some(user)).await;
    let (document, _) = export(&source, "").await;
    let file = std::env::temp_dir().join(format!("hr-sandbox-start-{test}-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(&document).expect("json")).expect("written");
    file
}

/// Whether ChiefOnboarding's employees include boot@example.test.
async fn has_boot(app: &TestApp) -> bool {
    let auth = app.auth("chiefonboarding", "admin").await;
    let body = app.get_json("/chiefonboarding/api/employees/", Some(&auth), 200).await;
    body.as_array().is_some_and(|l| l.iter().any(|u| u["email"] == "boot@example.test"))
}

#[tokio::test]
async fn snapshot_at_start_loads_the_default_sandbox() {
    let file = boot_snapshot_file("loads").await;
    let app = spawn_with(Settings { snapshot: Some(file.clone()), ..Settings::default() }).await;
    assert!(has_boot(&app).await);
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn reset_returns_to_the_snapshot_given_at_start() {
    let file = boot_snapshot_file("reset").await;
    let app = spawn_with(Settings { snapshot: Some(file.clone()), ..Settings::default() }).await;
    app.admin_post("/__admin/reset", json!({}), 200).await;
    assert!(has_boot(&app).await, "reset returns to the snapshot");
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn reset_with_a_seed_reseeds_past_the_snapshot_given_at_start() {
    let file = boot_snapshot_file("reseed").await;
    let app = spawn_with(Settings { snapshot: Some(file.clone()), ..Settings::default() }).await;
    app.admin_post("/__admin/reset", json!({"seed": 42}), 200).await;
    assert!(!has_boot(&app).await, "a seed given reseeds");
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn snapshot_at_start_of_an_unknown_version_refuses_to_start() {
    let file = std::env::temp_dir().join(format!("hr-sandbox-start-version-{}.json", std::process::id()));
    std::fs::write(&file, b"{\"format\": \"hr-sandbox-snapshot\", \"version\": 7}").expect("written");
    let refused = hr_sandbox::startup::Application::build(Settings {
        snapshot: Some(file.clone()),
        port: 0,
        ..Settings::default()
    });
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("--snapshot") && message.contains("version: version 7 is not supported"), "{message}");
    let _ = std::fs::remove_file(file);
}
