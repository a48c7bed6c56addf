//! The scenario file format as a JSON Schema (draft 2020-12), generated from the file's types
//! (`model.rs`, with the fault and error kinds they read) and given the vendors a server serves:
//! what `GET /__admin/scenarios/schema` answers, for editors' completion and checks in CI.

use super::loader::KnownVendor;
use super::model::ScenarioFile;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// The schema of a scenario file for a server serving `vendors`.
pub fn scenario_schema(vendors: &[KnownVendor]) -> Value {
    let mut schema = SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<ScenarioFile>().to_value();
    schema["title"] = json!("hr-sandbox scenario file");
    // The one rule the types cannot know: which vendors this server serves.
    let ids: Vec<&str> = vendors.iter().map(|v| v.id).chain(["*"]).collect();
    if let Some(vendor) = schema.pointer_mut("/$defs/WhenSpec/properties/vendor") {
        vendor["enum"] = json!(ids);
    }
    schema
}
