//! The OpenAPI documents: each vendor's and the admin API's table describes exactly the routes
//! mounted (no route without its documentation, no documented operation that is not served),
//! and the served documents carry the sandbox's own `servers`, the vendor's security scheme and
//! error schema, in JSON and YAML.

use crate::helpers::{VENDOR_IDS, spawn_app};
use hr_sandbox::common::routing::served_by;
use hr_sandbox::openapi::differences;
use reqwest::Method;
use serde_json::Value;

/// Each vendor's id with its documented-but-unmounted and mounted-but-undocumented routes.
fn vendor_differences() -> Vec<(&'static str, Vec<String>, Vec<String>)> {
    let mut found = Vec::new();
    for vendor in hr_sandbox::vendors::registry() {
        let api = vendor.api().unwrap_or_else(|| panic!("{} has a document", vendor.id()));
        let served = served_by(|cfg| vendor.configure(cfg));
        assert!(served.len() >= 4, "{}: the routes were noted: {served:?}", vendor.id());
        let (unserved, undocumented) = differences(api, &served);
        found.push((vendor.id(), unserved, undocumented));
    }
    found
}

#[test]
fn documented_vendor_operations_are_all_mounted() {
    for (vendor, unserved, _) in vendor_differences() {
        assert!(unserved.is_empty(), "{vendor}: documented but not mounted: {unserved:?}");
    }
}

#[test]
fn mounted_vendor_routes_are_all_documented() {
    for (vendor, _, undocumented) in vendor_differences() {
        assert!(undocumented.is_empty(), "{vendor}: mounted but not documented: {undocumented:?}");
    }
}

/// The admin API's documented-but-unmounted and mounted-but-undocumented routes.
fn admin_differences() -> (Vec<String>, Vec<String>) {
    differences(hr_sandbox::admin::openapi_table(), &served_by(hr_sandbox::admin::routes::configure))
}

#[test]
fn documented_admin_operations_are_all_mounted() {
    let (unserved, _) = admin_differences();
    assert!(unserved.is_empty(), "admin: documented but not mounted: {unserved:?}");
}

#[test]
fn mounted_admin_routes_are_all_documented() {
    let (_, undocumented) = admin_differences();
    assert!(undocumented.is_empty(), "admin: mounted but not documented: {undocumented:?}");
}

#[tokio::test]
async fn each_document_is_served_for_the_sandbox_it_names() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", serde_json::json!({"name": "docs"}), 201).await;
    let expected = [
        ("joinup", "JWT", 6),
        ("justworks", "OAuth2Application", 31),
        ("directory", "Bearer", 52),
        ("orquest", "ApiKey", 16),
        ("chiefonboarding", "Token", 4),
    ];
    for (vendor, scheme, operations) in expected {
        let doc = app.get_json(&format!("/__admin/vendors/{vendor}/openapi?sandbox=docs"), None, 200).await;
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], format!("{}/sandboxes/docs/{vendor}", app.base), "{vendor}");
        assert!(doc["components"]["securitySchemes"][scheme].is_object(), "{vendor}: {scheme}");
        assert!(doc["components"]["schemas"]["Error"].is_object(), "{vendor}: its error schema");
        let count: usize =
            doc["paths"].as_object().expect("paths").values().map(|item| item.as_object().map_or(0, |m| m.len())).sum();
        assert_eq!(count, operations, "{vendor}: operations");
        let default = app.get_json(&format!("/__admin/vendors/{vendor}/openapi"), None, 200).await;
        assert_eq!(default["servers"][0]["url"], format!("{}/{vendor}", app.base));
    }
    let justworks = app.get_json("/__admin/vendors/justworks/openapi", None, 200).await;
    let flow = &justworks["components"]["securitySchemes"]["OAuth2Application"]["flows"]["authorizationCode"];
    assert_eq!(flow["tokenUrl"], format!("{}/justworks/oauth/token", app.base));
    assert_eq!(justworks["paths"]["/v1/members"]["get"]["security"][0]["OAuth2Application"][0], "member.basic:read");
    let too_many = &justworks["paths"]["/v1/members"]["get"]["responses"]["429"]["headers"];
    assert!(too_many["Retry-After"].is_object(), "{too_many}");

    let yaml = app.execute(app.request(Method::GET, "/__admin/vendors/orquest/openapi?format=yaml")).await;
    assert_eq!(yaml.headers()["content-type"], "application/yaml");
    assert!(yaml.text().await.expect("yaml").starts_with("openapi: \"3.1.0\""));
    let admin = app.get_json("/__admin/openapi", None, 200).await;
    assert_eq!(admin["servers"][0]["url"], format!("{}/__admin", app.base));
    assert!(admin["paths"]["/snapshot"]["put"].is_object());
    app.get_json("/__admin/vendors/bamboohr/openapi", None, 404).await;
    app.get_json("/__admin/vendors/joinup/openapi?sandbox=nope", None, 404).await;
    let bad: Value = app.get_json("/__admin/openapi?format=xml", None, 400).await;
    assert_eq!(bad["error"]["code"], "bad_request");
    let forwarded =
        app.request(Method::GET, "/__admin/vendors/joinup/openapi").header("X-Forwarded-Host", "evil.example");
    let doc: Value = app.execute(forwarded).await.json().await.expect("json");
    assert_eq!(
        doc["servers"][0]["url"],
        format!("{}/joinup", app.base),
        "forwarded headers are not believed by default"
    );
}

/// The schema of `GET path`'s 200 in a served document.
fn answer_schema(document: &Value, path: &str) -> Value {
    document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"].clone()
}

/// Checks `body` against `schema`, naming what differs.
fn assert_valid(schema: &Value, body: &Value, what: &str) {
    let validator = jsonschema::draft202012::new(schema).unwrap_or_else(|e| panic!("{what}: a schema: {e}"));
    let errors: Vec<String> = validator.iter_errors(body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: the body breaks its schema: {errors:?}");
}

#[tokio::test]
async fn pre_rendered_list_bytes_match_the_schemas_derived_from_their_types() {
    // Joinup's and ChiefOnboarding's lists are assembled from bytes kept per record; the
    // document's schemas are derived from the view types those bytes were written from.
    let app = spawn_app().await;
    let joinup = app.get_json("/__admin/vendors/joinup/openapi", None, 200).await;
    for identity in ["group_admin", "single_company"] {
        let auth = app.auth("joinup", identity).await;
        for (list, size) in [("employees", "100"), ("cost-centers", "100")] {
            let path = format!("/api/company/{list}/");
            let page = app.get_json(&format!("/joinup{path}?page_size={size}"), Some(&auth), 200).await;
            assert!(page["results"].as_array().is_some_and(|r| !r.is_empty()), "{identity} {list}: rows to check");
            assert_valid(&answer_schema(&joinup, &path), &page, &format!("Joinup {list} as {identity}"));
        }
    }
    let chief = app.get_json("/__admin/vendors/chiefonboarding/openapi", None, 200).await;
    let auth = app.auth("chiefonboarding", "admin").await;
    for path in ["/api/employees/", "/api/sequences/"] {
        let list = app.get_json(&format!("/chiefonboarding{path}"), Some(&auth), 200).await;
        assert!(list.as_array().is_some_and(|l| !l.is_empty()), "{path}: rows to check");
        assert_valid(&answer_schema(&chief, path), &list, &format!("ChiefOnboarding {path}"));
    }
    // A schema that is not just `object`: a row missing a field fails it.
    let schema = answer_schema(&chief, "/api/sequences/");
    let validator = jsonschema::draft202012::new(&schema).expect("schema");
    assert!(!validator.is_valid(&serde_json::json!([{"id": 1}])), "a sequence without its name is refused");
}

#[tokio::test]
async fn every_example_from_the_sandbox_data_fits_its_schema() {
    let app = spawn_app().await;
    let mut documents = Vec::new();
    for &vendor in VENDOR_IDS.iter() {
        documents.push((vendor, app.get_json(&format!("/__admin/vendors/{vendor}/openapi"), None, 200).await));
    }
    documents.push(("admin", app.get_json("/__admin/openapi", None, 200).await));
    let mut checked = 0;
    for (name, document) in &documents {
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                let what = format!("{name} {method} {path}");
                let bodies = operation["requestBody"]["content"].as_object().into_iter().flatten();
                let answers = operation["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(status, _)| status.starts_with('2'))
                    .flat_map(|(_, response)| response["content"].as_object().into_iter().flatten());
                for (media, content) in bodies.chain(answers) {
                    if let Some(example) = content.get("example") {
                        assert_valid(&content["schema"], example, &format!("{what} {media} example"));
                        checked += 1;
                    }
                }
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    if let Some(seeded) = parameter["examples"]["seeded"]["value"].as_str() {
                        assert_valid(
                            &parameter["schema"],
                            &Value::from(seeded),
                            &format!("{what} {}", parameter["name"]),
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked >= 40, "examples were found: {checked}");
}

#[tokio::test]
async fn every_success_without_a_body_says_the_body_is_empty() {
    // A 2xx documented without `content` reads as "not documented" unless its description says
    // the answer really has no body (Directory's removals, Orquest's login, ChiefOnboarding's
    // offboarding).
    let app = spawn_app().await;
    let mut documents = Vec::new();
    for &vendor in VENDOR_IDS.iter() {
        documents.push((vendor, app.get_json(&format!("/__admin/vendors/{vendor}/openapi"), None, 200).await));
    }
    documents.push(("admin", app.get_json("/__admin/openapi", None, 200).await));
    let mut bodiless = Vec::new();
    for (name, document) in &documents {
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                let successes =
                    operation["responses"].as_object().into_iter().flatten().filter(|(s, _)| s.starts_with('2'));
                for (status, response) in successes.filter(|(_, r)| r.get("content").is_none()) {
                    let description = response["description"].as_str().unwrap_or_default();
                    assert!(
                        description.contains("no body"),
                        "{name} {method} {path} {status}: {description:?} does not say the body is empty"
                    );
                    bodiless.push(format!("{name} {method} {path}"));
                }
            }
        }
    }
    for expected in ["directory delete", "orquest post /login", "chiefonboarding"] {
        assert!(bodiless.iter().any(|b| b.starts_with(expected)), "{expected} is among {bodiless:?}");
    }
}
