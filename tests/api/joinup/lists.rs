//! The two lists: pagination and its links, every filter, ordering, both tenant modes.

use super::{get, spawn_unthrottled};
use crate::helpers::TestApp;
use serde_json::{Value, json};

/// The admin view of a tenant's employees (group admin's tenant is index 0).
async fn seeded(app: &TestApp, tenant: usize, collection: &str) -> Vec<Value> {
    let state = app.get_json("/__admin/vendors/joinup/state", None, 200).await;
    state["tenants"][tenant][collection].as_array().expect("records").clone()
}

fn ids(page: &Value) -> Vec<u64> {
    page["results"].as_array().expect("results").iter().map(|r| r["id"].as_u64().expect("id")).collect()
}

/// Every id of a filtered, ordered list, walking `page_size=100` pages.
async fn all_ids(app: &TestApp, list: &str, query: &str, identity: &str) -> Vec<u64> {
    let mut found = Vec::new();
    for page in 1.. {
        let (status, body) =
            get(app, &format!("/api/company/{list}/?{query}&page_size=100&page={page}"), identity).await;
        assert_eq!(status, 200, "{query}: {body}");
        found.extend(ids(&body));
        if body["next"].is_null() {
            break;
        }
    }
    found
}

#[tokio::test]
async fn list_employees_middle_page_has_drf_links_keeping_the_filters() {
    let app = spawn_unthrottled().await;
    let (status, page) = get(&app, "/api/company/employees/?page_size=2&page=2&enabled=true", "group_admin").await;
    assert_eq!(status, 200);
    let base = format!("{}/joinup/api/company/employees/", app.base);
    assert_eq!(page["next"], json!(format!("{base}?enabled=true&page=3&page_size=2")));
    assert_eq!(page["previous"], json!(format!("{base}?enabled=true&page_size=2")));
    insta::assert_json_snapshot!(page["results"]);
}

#[tokio::test]
async fn list_employees_without_a_page_is_the_first_ten_of_all() {
    let app = spawn_unthrottled().await;
    let base = format!("{}/joinup/api/company/employees/", app.base);
    let (_, first) = get(&app, "/api/company/employees/", "group_admin").await;
    assert_eq!(first["count"], 240);
    assert_eq!(first["previous"], Value::Null);
    assert_eq!(first["next"], json!(format!("{base}?page=2")));
    assert_eq!(ids(&first).len(), 10, "default page_size is 10");
}

#[tokio::test]
async fn list_employees_page_size_is_capped_at_100() {
    let app = spawn_unthrottled().await;
    let (_, capped) = get(&app, "/api/company/employees/?page_size=500", "group_admin").await;
    assert_eq!(ids(&capped).len(), 100, "page_size is capped at 100");
}

#[tokio::test]
async fn list_employees_last_page_has_no_next() {
    let app = spawn_unthrottled().await;
    let (_, last) = get(&app, "/api/company/employees/?page=24", "group_admin").await;
    assert_eq!(last["next"], Value::Null);
}

#[tokio::test]
async fn list_employees_in_single_company_mode_has_no_company_fields() {
    let app = spawn_unthrottled().await;
    let (status, page) = get(&app, "/api/company/employees/?page_size=1", "single_company").await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!(page["results"]);
}

#[tokio::test]
async fn list_employees_in_single_company_mode_ignores_company_queries() {
    let app = spawn_unthrottled().await;
    let (_, filtered) =
        get(&app, "/api/company/employees/?company_name=zzz&ordering=company_name", "single_company").await;
    assert_eq!(filtered["count"], 240, "company filters and ordering do not exist in single mode");
}

#[tokio::test]
async fn list_employees_never_shows_another_tenants_employees() {
    let app = spawn_unthrottled().await;
    let group_ids = all_ids(&app, "employees", "", "group_admin").await;
    let single_ids = all_ids(&app, "employees", "", "single_company").await;
    assert!(group_ids.iter().all(|id| !single_ids.contains(id)), "tenants never see each other's employees");
}

#[tokio::test]
async fn list_employees_applies_every_field_filter() {
    let app = spawn_unthrottled().await;
    let employees = seeded(&app, 0, "employees").await;
    let pick = |keep: &dyn Fn(&Value) -> bool| -> Vec<u64> {
        employees.iter().filter(|e| keep(e)).map(|e| e["id"].as_u64().expect("id")).collect()
    };
    let cut = "2024-01-01T00:00:00Z";
    let at = |e: &Value, field: &str| e[field].as_str().map(|d| d.to_owned());
    let cases: Vec<(&str, Vec<u64>)> = vec![
        ("id=20005", vec![20005]),
        ("enabled=false", pick(&|e| e["enabled"] == false)),
        ("enabled=1", pick(&|e| e["enabled"] == true)),
        ("enabled=maybe", pick(&|_| true)),
        ("enabled_date__gte=2024-01-01T00:00:00Z", pick(&|e| at(e, "enabled_date").is_some_and(|d| d.as_str() >= cut))),
        ("enabled_date__lt=2024-01-01", pick(&|e| at(e, "enabled_date").is_some_and(|d| d.as_str() < cut))),
        (
            "disabled_date__gte=2024-01-01T00:00:00Z",
            pick(&|e| at(e, "disabled_date").is_some_and(|d| d.as_str() >= cut)),
        ),
        (
            "disabled_date__lt=2024-01-01T00:00:00%2B00:00",
            pick(&|e| at(e, "disabled_date").is_some_and(|d| d.as_str() < cut)),
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(all_ids(&app, "employees", query, "group_admin").await, expected, "{query}");
    }
}

/// The ids of the group's employees of Acme Logística SA, from the admin state.
async fn logistica_ids(app: &TestApp) -> Vec<u64> {
    let employees = seeded(app, 0, "employees").await;
    let state = app.get_json("/__admin/vendors/joinup/state", None, 200).await;
    let companies = state["tenants"][0]["companies"].as_array().expect("companies").clone();
    let company_of = |e: &Value| companies.iter().find(|c| c["id"] == e["company"]).cloned().expect("company");
    employees
        .iter()
        .filter(|e| company_of(e)["name"] == "Acme Logística SA")
        .map(|e| e["id"].as_u64().expect("id"))
        .collect()
}

#[tokio::test]
async fn list_employees_filters_by_company_name_ignoring_case() {
    let app = spawn_unthrottled().await;
    let logistica = logistica_ids(&app).await;
    assert_eq!(all_ids(&app, "employees", "company_name=log%C3%ADSTICA", "group_admin").await, logistica);
}

#[tokio::test]
async fn list_employees_filters_by_part_of_the_company_cif() {
    let app = spawn_unthrottled().await;
    let logistica = logistica_ids(&app).await;
    assert_eq!(all_ids(&app, "employees", "company_cif=28119", "group_admin").await, logistica);
}

#[tokio::test]
async fn list_employees_with_bad_filter_values_is_400_per_field() {
    let app = spawn_unthrottled().await;
    let (status, body) = get(
        &app,
        "/api/company/employees/?id=abc&enabled_date__gte=yesterday&disabled_date__lt=2024-13-01",
        "group_admin",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"id": ["Enter a number."], "enabled_date__gte": ["Enter a valid date/time."], "disabled_date__lt": ["Enter a valid date/time."]})
    );
}

#[tokio::test]
async fn list_employees_with_a_bad_page_is_404_invalid_page() {
    let app = spawn_unthrottled().await;
    for page in ["25", "0", "abc", "-1"] {
        let (status, body) = get(&app, &format!("/api/company/employees/?page={page}"), "group_admin").await;
        assert_eq!((status, body), (404, json!({"detail": "Invalid page."})), "{page}");
    }
}

#[tokio::test]
async fn list_employees_orders_by_several_fields() {
    let app = spawn_unthrottled().await;
    let employees = seeded(&app, 0, "employees").await;
    let state = app.get_json("/__admin/vendors/joinup/state", None, 200).await;
    let companies = state["tenants"][0]["companies"].as_array().expect("companies").clone();
    let name_of =
        |e: &Value| companies.iter().find(|c| c["id"] == e["company"]).map(|c| c["name"].to_string()).expect("company");
    let mut expected: Vec<&Value> = employees.iter().collect();
    expected.sort_by(|a, b| {
        b["enabled"]
            .as_bool()
            .cmp(&a["enabled"].as_bool())
            .then(name_of(a).cmp(&name_of(b)))
            .then(b["id"].as_u64().cmp(&a["id"].as_u64()))
    });
    let expected: Vec<u64> = expected.iter().map(|e| e["id"].as_u64().expect("id")).collect();
    let found = all_ids(&app, "employees", "ordering=-enabled,company_name,-id,unknown", "group_admin").await;
    assert_eq!(found, expected);
}

#[tokio::test]
async fn list_employees_ordered_by_descending_date_puts_nulls_first() {
    let app = spawn_unthrottled().await;
    let employees = seeded(&app, 0, "employees").await;
    let mut by_date: Vec<&Value> = employees.iter().collect();
    by_date.sort_by(|a, b| {
        let key = |e: &Value| e["disabled_date"].as_str().map(str::to_owned);
        // PostgreSQL: NULLs first when descending.
        match (key(a), key(b)) {
            (None, None) => a["id"].as_u64().cmp(&b["id"].as_u64()),
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => y.cmp(&x),
        }
    });
    let expected: Vec<u64> = by_date.iter().map(|e| e["id"].as_u64().expect("id")).collect();
    assert_eq!(all_ids(&app, "employees", "ordering=-disabled_date", "group_admin").await, expected);
}

#[tokio::test]
async fn list_cost_centers_in_group_mode_shows_companies() {
    let app = spawn_unthrottled().await;
    let (status, page) =
        get(&app, "/api/company/cost-centers/?page_size=3&ordering=-name&company_cif=B8654", "group_admin").await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!(page, {".next" => "[url]", ".previous" => "[url]"});
}

#[tokio::test]
async fn list_cost_centers_in_single_company_mode_has_no_company_fields() {
    let app = spawn_unthrottled().await;
    let (_, single) = get(&app, "/api/company/cost-centers/?name=o&ordering=name", "single_company").await;
    insta::assert_json_snapshot!(single, {".next" => "[url]", ".previous" => "[url]"});
}

#[tokio::test]
async fn list_cost_centers_shared_by_the_group_has_no_company_fields_or_filters() {
    let app = spawn_unthrottled().await;
    let settings = app
        .client
        .patch(app.url("/__admin/vendors/joinup/settings"))
        .json(&json!({"shared_cost_centers": {"group_admin": true}}));
    assert_eq!(settings.send().await.expect("answered").status(), 200);
    let (_, shared) = get(&app, "/api/company/cost-centers/?page_size=2&company_cif=nothing", "group_admin").await;
    insta::assert_json_snapshot!(shared, {".next" => "[url]", ".previous" => "[url]"});
}
