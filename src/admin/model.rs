//! Request bodies and query strings of the admin API. Unknown fields are errors: a typo must not
//! silently do nothing.

use serde::Deserialize;

/// `?sandbox=NAME` on every route that concerns state.
#[derive(Debug, Deserialize)]
pub struct SandboxQuery {
    /// The sandbox addressed; `default` when absent.
    pub sandbox: Option<String>,
}

/// `POST /__admin/reset`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// Reseed with this seed instead of the current one.
    pub seed: Option<u64>,
    /// Reset only these vendors (data only; clock and journal stay).
    pub vendors: Option<Vec<String>>,
}

/// `POST /__admin/sandboxes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSandbox {
    /// Path-safe name, served under `/sandboxes/{name}/...`.
    pub name: String,
    /// Seed of its data; the server's seed when absent.
    pub seed: Option<u64>,
    /// A snapshot document to start from (and reset back to) instead of a seed.
    pub snapshot: Option<serde_json::Value>,
}

/// `POST /__admin/clock`: any of the three; `frozen` applies first, then `set`, then `advance_seconds`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// Jump to this RFC 3339 instant.
    pub set: Option<String>,
    /// Move forward this many seconds.
    pub advance_seconds: Option<i64>,
    /// Stop or restart the clock.
    pub frozen: Option<bool>,
}

/// `GET`/`DELETE /__admin/requests` filters, plus the sandbox.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestsQuery {
    /// The sandbox addressed.
    pub sandbox: Option<String>,
    /// Only this vendor.
    pub vendor: Option<String>,
    /// Only `inbound` (requests to the sandbox) or `outbound` (calls it made).
    pub direction: Option<String>,
    /// Only this method.
    pub method: Option<String>,
    /// Only this path (relative to the vendor prefix; `*` wildcards).
    pub path: Option<String>,
    /// Only this status.
    pub status: Option<u16>,
    /// Only the newest N.
    pub limit: Option<usize>,
}

/// `POST /__admin/scenarios` query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioUpload {
    /// The sandbox addressed.
    pub sandbox: Option<String>,
    /// Activate at once (default true).
    pub activate: Option<bool>,
    /// Name to use when the body has none.
    pub name: Option<String>,
}

/// `PUT /__admin/scenarios/active`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveScenarios {
    /// Loaded scenario names, in the order they are consulted.
    pub names: Vec<String>,
}
