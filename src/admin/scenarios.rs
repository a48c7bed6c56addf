//! The scenario routes of the admin API: what is loaded, loading one (YAML or JSON text), the
//! active set and its order, unloading, the files shipped in `--scenarios-dir`, and the file
//! format's JSON Schema.

use super::context::{Admin, AdminResult, required_json, sandbox};
use super::error::AdminError;
use super::model::{ActiveScenarios, SandboxQuery, ScenarioUpload};
use crate::scenario::files;
use crate::scenario::loader::compile_text;
use crate::scenario::schema::scenario_schema;
use crate::scenario::{MAX_LOADED, UnknownScenario};
use crate::vendor::known_to_scenarios;
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use serde_json::{Value, json};

/// `GET /__admin/scenarios`: loaded scenarios, active flags, per-rule counters.
pub async fn list(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    Ok(HttpResponse::Ok().json(sandbox(&admin, query.sandbox.as_deref())?.scenarios.describe()))
}

/// `POST /__admin/scenarios`: a YAML or JSON scenario; active unless `?activate=false`.
pub async fn add(admin: Admin, query: web::Query<ScenarioUpload>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let text = std::str::from_utf8(&body).map_err(|_| AdminError::bad_request("<body>: not UTF-8"))?;
    let default_name = query.name.as_deref().unwrap_or("");
    let scenario = compile_text(text, "<body>", default_name, &known_to_scenarios(admin.registry.vendors()))
        .map_err(|e| AdminError::bad_request(e.to_string()))?;
    let name = scenario.name.clone();
    sandbox.scenarios.add(scenario, query.activate.unwrap_or(true), sandbox.clock.now()).map_err(|_| {
        AdminError::with_status(
            actix_web::http::StatusCode::CONFLICT,
            "too_many_scenarios",
            format!("this sandbox holds {MAX_LOADED} scenarios already; delete one first"),
        )
    })?;
    let all = sandbox.scenarios.describe();
    let added = all.as_array().into_iter().flatten().find(|s| s["name"] == name.as_str()).cloned();
    Ok(HttpResponse::Created().json(added))
}

/// `PUT /__admin/scenarios/active`: `{"names": [...]}` become the active set, in that order.
pub async fn activate(admin: Admin, query: web::Query<SandboxQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let request: ActiveScenarios = required_json(&body)?;
    sandbox
        .scenarios
        .set_active(&request.names, sandbox.clock.now())
        .map_err(|UnknownScenario(name)| AdminError::bad_request(format!("no scenario named '{name}' is loaded")))?;
    Ok(HttpResponse::Ok().json(sandbox.scenarios.describe()))
}

/// `DELETE /__admin/scenarios/active`: nothing active; everything stays loaded.
pub async fn deactivate(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    // An empty list names no scenario, so it cannot be refused.
    let _ = sandbox.scenarios.set_active(&[], sandbox.clock.now());
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /__admin/scenarios/{name}`: unload one.
pub async fn remove(admin: Admin, name: web::Path<String>, query: web::Query<SandboxQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    sandbox
        .scenarios
        .remove(&name)
        .map_err(|UnknownScenario(name)| AdminError::not_found(format!("no scenario named '{name}' is loaded")))?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /__admin/scenarios/shipped`: the scenario files in `--scenarios-dir` (name, description,
/// source), for a console or script to load by posting the source.
pub async fn shipped(admin: Admin) -> AdminResult {
    let dir = admin.scenarios_dir.clone();
    let known = known_to_scenarios(admin.registry.vendors());
    let files =
        web::block(move || files::shipped(&dir, &known)).await.map_err(|e| AdminError::internal(e.to_string()))?;
    let list: Vec<Value> = files
        .into_iter()
        .map(|(name, scenario)| json!({"name": name, "description": scenario.description, "source": scenario.source}))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// `GET /__admin/scenarios/schema`: the scenario file format as a JSON Schema, naming the vendors
/// this server serves (editors complete and check a file with it).
pub async fn schema(admin: Admin) -> AdminResult {
    let schema = scenario_schema(&known_to_scenarios(admin.registry.vendors()));
    let text = serde_json::to_string(&schema).map_err(|e| AdminError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok().content_type(SCHEMA_MEDIA_TYPE).body(text))
}

/// JSON Schema's media type (draft 2020-12, section 14.2).
pub const SCHEMA_MEDIA_TYPE: &str = "application/schema+json";
