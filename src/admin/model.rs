//! Request bodies and query strings of the admin API. Unknown fields are errors: a typo must not
//! silently do nothing.

use schemars::JsonSchema;
use serde::Deserialize;

/// `?sandbox=NAME` on every route that concerns state.
#[derive(Debug, Deserialize)]
pub struct SandboxQuery {
    /// The sandbox addressed; `default` when absent.
    pub sandbox: Option<String>,
}

/// `POST /__admin/reset`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// Reseed with this seed instead of the current one.
    #[serde(default, deserialize_with = "whole")]
    #[schemars(extend("maximum" = u64::MAX))]
    pub seed: Option<u64>,
    /// Reset only these vendors (data only; clock and journal stay).
    pub vendors: Option<Vec<String>>,
}

/// `POST /__admin/sandboxes`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = {"required": ["seed", "snapshot"]}))]
pub struct CreateSandbox {
    /// Path-safe name, served under `/sandboxes/{name}/...`.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    pub name: String,
    /// Seed of its data; the server's seed when absent.
    #[serde(default, deserialize_with = "whole")]
    #[schemars(extend("maximum" = u64::MAX))]
    pub seed: Option<u64>,
    /// A snapshot document to start from (and reset back to) instead of a seed.
    pub snapshot: Option<super::document::Document>,
    /// The sandbox whose state this one starts from (with `at`: as it was then).
    pub from: Option<String>,
    /// With `from`: a journal seq (since `from`'s last reset) or an RFC 3339 sandbox time; the
    /// new sandbox starts from `from`'s state just after it, read from the log (`--state-dir`).
    #[schemars(with = "Option<serde_json::Value>")]
    pub at: Option<serde_json::Value>,
}

/// `POST /__admin/clock`: any of the three; `frozen` applies first, then `set`, then `advance_seconds`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct ClockRequest {
    /// Jump to this RFC 3339 instant.
    #[schemars(extend("format" = "date-time"))]
    pub set: Option<String>,
    /// Move forward this many seconds.
    #[serde(default, deserialize_with = "whole")]
    #[schemars(extend("minimum" = i64::MIN, "maximum" = i64::MAX))]
    pub advance_seconds: Option<i64>,
    /// Stop or restart the clock.
    pub frozen: Option<bool>,
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveScenarios {
    /// Loaded scenario names, in the order they are consulted.
    pub names: Vec<String>,
}

/// A whole number as JSON Schema's `integer` has it: `7` or `7.0` (serde alone refuses the
/// second), in range of `T`; `null` is `None`.
fn whole<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i128>,
{
    use serde::de::Error;
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else { return Ok(None) };
    let value = number.as_i128().or_else(|| {
        let f = number.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 2f64.powi(100)).then_some(f as i128)
    });
    value
        .and_then(|v| T::try_from(v).ok())
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("{number} is not a whole number in range")))
}
