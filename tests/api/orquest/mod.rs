//! Orquest through HTTP: API keys and form login, per-element imports, the user rules, `lag`,
//! the flags, contracts, incidences, and the reads that show what the PUTs wrote.

mod access;
mod imports;
mod reads;
mod rules;

use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::Value;

/// The seed's request example, verbatim (`BUSINESSID` is replaced by the caller).
pub const SEED_EXAMPLE: &str = include_str!("seed_example.json");

/// `/orquest` + a vendor path.
pub fn oq(path: &str) -> String {
    format!("/orquest{path}")
}

/// A request as an identity; status and JSON body (`null` when there is none).
pub async fn call(app: &TestApp, method: Method, path: &str, identity: &str, body: Option<Value>) -> (u16, Value) {
    app.vendor("orquest").call(method, path, identity, body).await
}

/// The seed example with the seeded business id, as a JSON value.
pub fn seed_example() -> Value {
    serde_json::from_str(&SEED_EXAMPLE.replace("BUSINESSID", "ACME")).expect("the seed example is JSON")
}

/// A minimal valid complex element for `employee_id`.
pub fn element(employee_id: &str) -> Value {
    serde_json::json!({
        "business": "ACME", "lag": 0,
        "person": {"name": "Ana", "surname": "Test", "employeeId": employee_id},
        "serviceAssociations": [{"ownerProduct": "C14", "product": "C14", "from": "2026-01-01"}],
        "contracts": [{"from": "2026-01-01", "regularMinutes": 2400, "personCategory": "DE125", "id": format!("CT-{employee_id}")}]
    })
}
