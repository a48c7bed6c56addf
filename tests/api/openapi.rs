//! The OpenAPI documents: each vendor's and the admin API's table describes exactly the routes
//! mounted (no route without its documentation, no documented operation that is not served),
//! and the served documents carry the sandbox's own `servers`, the vendor's security scheme and
//! error schema, in JSON and YAML.

use crate::helpers::spawn_app;
use hr_sandbox::common::routing::served_by;
use hr_sandbox::openapi::differences;
use reqwest::Method;
use serde_json::Value;

#[test]
fn every_mounted_route_is_documented_and_every_documented_operation_is_mounted() {
    for vendor in hr_sandbox::vendors::registry() {
        let api = vendor.api().unwrap_or_else(|| panic!("{} has a document", vendor.id()));
        let served = served_by(|cfg| vendor.configure(cfg));
        assert!(served.len() >= 4, "{}: the routes were noted: {served:?}", vendor.id());
        let (unserved, undocumented) = differences(api, &served);
        assert!(unserved.is_empty(), "{}: documented but not mounted: {unserved:?}", vendor.id());
        assert!(undocumented.is_empty(), "{}: mounted but not documented: {undocumented:?}", vendor.id());
    }
    let served = served_by(hr_sandbox::admin::routes::configure);
    let (unserved, undocumented) = differences(hr_sandbox::admin::openapi_table(), &served);
    assert!(unserved.is_empty() && undocumented.is_empty(), "admin: {unserved:?} {undocumented:?}");
}

#[tokio::test]
async fn each_document_is_served_for_the_sandbox_it_names() {
    let app = spawn_app().await;
    app.admin_post("/__admin/sandboxes", serde_json::json!({"name": "docs"}), 201).await;
    let expected = [
        ("joinup", "JWT", 6),
        ("justworks", "OAuth2Application", 28),
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
