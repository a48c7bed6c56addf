//! The scenario file schema, as QA writes it (YAML or JSON). Unknown keys are errors, so a typo
//! never silently disables a rule.

use super::delay::DelaySpec;
use super::fault::Fault;
use super::matcher::{MAX_BODY_CONTAINS_CHARS, MAX_GLOB_CHARS, MAX_PAIRS};
use crate::common::error::ErrorKind;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// A whole scenario file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Defaults to the file stem.
    pub name: Option<String>,
    /// What the scenario simulates.
    #[serde(default)]
    pub description: String,
    /// Ordered rules; the first that fires wins.
    pub rules: Vec<RuleSpec>,
}

/// One rule: which requests, how often, what happens.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Which requests the rule looks at.
    pub when: WhenSpec,
    /// When a matching request makes it fire; always when absent.
    #[serde(default)]
    pub fire: FireSpec,
    /// What a firing does.
    pub then: ThenSpec,
}

/// Request matchers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhenSpec {
    /// Vendor id, or `*` for all.
    pub vendor: String,
    /// HTTP method; any when absent.
    pub method: Option<String>,
    /// Glob relative to the vendor prefix: `*` one segment, `**` any number.
    #[schemars(length(max = MAX_GLOB_CHARS))]
    pub path: Option<String>,
    /// Query parameters that must be present with exactly these values.
    #[serde(default)]
    #[schemars(extend("maxProperties" = MAX_PAIRS))]
    pub query: BTreeMap<String, String>,
    /// Headers that must be present with exactly these values (names case-insensitive).
    #[serde(default)]
    #[schemars(extend("maxProperties" = MAX_PAIRS))]
    pub headers: BTreeMap<String, String>,
    /// A substring the request body must contain.
    #[schemars(length(max = MAX_BODY_CONTAINS_CHARS))]
    pub body_contains: Option<String>,
}

/// Firing conditions; all given ones must hold.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FireSpec {
    /// Fire at most this many times.
    pub times: Option<u64>,
    /// Skip the first N matches.
    pub after: Option<u64>,
    /// Fire on every Nth match (after `after`).
    pub every: Option<u64>,
    /// Fire with this probability, drawn from the sandbox's seeded RNG.
    #[schemars(range(min = 0, max = 1))]
    pub probability: Option<f64>,
    /// Fire only inside this window of sandbox-clock time after activation.
    pub window: Option<WindowSpec>,
}

/// A window on the sandbox clock, counted from the scenario's activation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    /// Seconds after activation the window opens.
    #[serde(default)]
    pub start_after_s: u64,
    /// How long it stays open.
    pub duration_s: u64,
}

/// The outcome of a firing: one of `error`, `response`, `fault`, `item_error`; `delay` alone or
/// with any of them.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThenSpec {
    /// An error in the vendor's own format.
    pub error: Option<ErrorSpec>,
    /// A raw response, byte for byte.
    pub response: Option<ResponseSpec>,
    /// A transport fault.
    pub fault: Option<Deferred<Fault>>,
    /// Wait before answering.
    pub delay: Option<DelaySpec>,
    /// Make matching items of a bulk request fail.
    pub item_error: Option<ItemErrorSpec>,
}

/// `error: conflict` or `error: {kind: conflict, status: 409, message: ..., headers: {...}}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ErrorSpec {
    /// Just the kind.
    Kind(String),
    /// Kind with overrides.
    Full {
        /// `conflict`, `rate_limited`, ...
        kind: String,
        /// Overrides the kind's status.
        status: Option<u16>,
        /// The vendor's message field.
        message: Option<String>,
        /// Extra response headers.
        #[serde(default)]
        headers: BTreeMap<String, String>,
    },
}

/// A raw response.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// Status code.
    pub status: u16,
    /// Response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    pub body: Option<Value>,
    /// A text body, sent as is.
    pub body_text: Option<String>,
}

/// `item_error: {where: {base_email: "*@fail.test"}, message: ..., status: ...}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemErrorSpec {
    /// Field -> glob; an item fails when every field matches.
    #[serde(rename = "where")]
    #[schemars(extend("maxProperties" = MAX_PAIRS, "additionalProperties" = {"type": "string", "maxLength": MAX_GLOB_CHARS}))]
    pub matching: BTreeMap<String, String>,
    /// The message in the vendor's per-item report.
    pub message: String,
    /// A per-item status, for vendors whose reports carry one.
    pub status: Option<u16>,
}

/// The error kinds a rule may ask for, in the order a load error lists them (their names are
/// [`ErrorKind::code`]'s). The others are the vendors' own reactions to a request (a malformed
/// body, an unknown route), not conditions a scenario simulates.
pub const ERROR_KINDS: &[ErrorKind] = &[
    ErrorKind::BadRequest,
    ErrorKind::Unauthorized,
    ErrorKind::Forbidden,
    ErrorKind::NotFound,
    ErrorKind::Conflict,
    ErrorKind::NotAcceptable,
    ErrorKind::PayloadTooLarge,
    ErrorKind::Unprocessable,
    ErrorKind::RateLimited,
    ErrorKind::Internal,
    ErrorKind::Unavailable,
    ErrorKind::GatewayTimeout,
];

/// A value written in a rule and read as `T` when the rule compiles, so that a bad one is
/// refused as `file:rule N: reason` in `T`'s own words rather than at a parser position. Its
/// schema is `T`'s.
#[derive(Debug)]
pub struct Deferred<T> {
    written: Value,
    read: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Deferred<T> {
    /// The value as a `T`, or why it is not one.
    pub fn read(self) -> Result<T, String> {
        T::deserialize(self.written).map_err(|e| e.to_string())
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self { written: Value::deserialize(deserializer)?, read: PhantomData })
    }
}

impl<T: JsonSchema> JsonSchema for Deferred<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}
