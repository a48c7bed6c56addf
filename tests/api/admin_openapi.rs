//! The admin API's own OpenAPI document describes the server as started: the vendors it names
//! are the ones `--vendors` serves, not every vendor compiled in.

use crate::helpers::spawn_with;
use hr_sandbox::settings::Settings;
use serde_json::json;

#[tokio::test]
async fn admin_openapi_lists_only_the_served_vendors() {
    let settings = Settings { vendors: vec!["orquest".into(), "joinup".into()], ..Settings::default() };
    let app = spawn_with(settings).await;
    let document = app.get_json("/__admin/openapi", None, 200).await;
    let reset = &document["paths"]["/reset"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    // In registry order, as `GET /__admin/health` lists them.
    assert_eq!(reset["properties"]["vendors"]["items"]["enum"], json!(["joinup", "orquest"]), "{reset}");
}
