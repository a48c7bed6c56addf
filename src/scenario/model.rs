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

/// Rules in one scenario: every request is matched against each active rule.
pub const MAX_RULES: usize = 256;

/// Names a scenario may not take: the fixed routes under `/__admin/scenarios/`, which
/// `DELETE /__admin/scenarios/{name}` could never reach (`schema` is the schema's route).
pub const RESERVED_NAMES: &[&str] = &["active", "shipped", "schema"];

/// Longest `window.start_after_s` or `window.duration_s`: ten years, like the other time spans
/// a client sends (the window is counted in milliseconds, which this keeps far from overflow).
pub const MAX_WINDOW_SECONDS: u64 = 10 * 366 * 24 * 3600;

/// An HTTP token (RFC 9110 5.6.2): what a method or a header name is made of.
const TOKEN: &str = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

/// A whole scenario file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Defaults to the file stem.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    #[schemars(extend("not" = {"enum": refused_names()}))]
    pub name: Option<String>,
    /// What the scenario simulates.
    #[serde(default)]
    pub description: String,
    /// Ordered rules; the first that fires wins.
    #[schemars(length(min = 1, max = MAX_RULES))]
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
    #[schemars(regex(pattern = TOKEN))]
    pub method: Option<String>,
    /// Glob relative to the vendor prefix: `*` one segment, `**` any number (a whole segment).
    /// The pattern says: from `/`, at most 64 segments.
    #[schemars(length(max = MAX_GLOB_CHARS), regex(pattern = r"^(/[^/]*){1,63}$"))]
    #[schemars(extend("not" = {"pattern": r"\*\*[^/]|[^/]\*\*"}))]
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
    #[schemars(range(min = 1))]
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
    #[schemars(range(max = MAX_WINDOW_SECONDS))]
    pub start_after_s: u64,
    /// How long it stays open.
    #[schemars(range(min = 1, max = MAX_WINDOW_SECONDS))]
    pub duration_s: u64,
}

/// The outcome of a firing: one of `error`, `response`, `fault`, `item_error`; `delay` alone or
/// with any of them.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_outcome)]
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
    Kind(#[schemars(schema_with = "error_kind")] String),
    /// Kind with overrides.
    Full {
        /// `conflict`, `rate_limited`, ...
        #[schemars(schema_with = "error_kind")]
        kind: String,
        /// Overrides the kind's status; one that carries a body (the vendor's error body).
        #[schemars(range(min = 200, max = 599), extend("not" = {"enum": [204, 304]}))]
        status: Option<u16>,
        /// The vendor's message field.
        message: Option<String>,
        /// Extra response headers.
        #[serde(default)]
        #[schemars(schema_with = "headers")]
        headers: BTreeMap<String, String>,
    },
}

/// A raw response: `body` or `body_text`, not both.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("not" = {"required": ["body", "body_text"],
    "properties": {"body": {"not": {"type": "null"}}, "body_text": {"type": "string"}}}))]
pub struct ResponseSpec {
    /// Status code; not 101 (1xx, 204 and 304 without a body).
    #[schemars(range(min = 100, max = 599), extend("not" = {"enum": [101]}))]
    pub status: u16,
    /// Response headers.
    #[serde(default)]
    #[schemars(schema_with = "headers")]
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

/// Names the name pattern admits but a scenario may not take.
fn refused_names() -> Vec<&'static str> {
    [".", ".."].into_iter().chain(RESERVED_NAMES.iter().copied()).collect()
}

/// `ERROR_KINDS` by name.
fn error_kind(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = ERROR_KINDS.iter().map(|kind| kind.code()).collect();
    schemars::json_schema!({"type": "string", "enum": names})
}

/// Response headers: token names, values without control characters but tab.
fn headers(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "object", "propertyNames": {"pattern": TOKEN},
        "additionalProperties": {"type": "string", "pattern": "^[^\\u0000-\\u0008\\u000a-\\u001f\\u007f]*$"}})
}

/// `then` holds at most one of `error`, `response`, `fault`, `item_error`, and one of those or
/// `delay` (a null counts as absent, as serde reads it).
fn one_outcome(schema: &mut schemars::Schema) {
    let given = |name: &str| serde_json::json!({"required": [name], "properties": {name: {"not": {"type": "null"}}}});
    let outcomes = ["error", "response", "fault", "item_error"];
    let pairs: Vec<Value> = outcomes
        .iter()
        .enumerate()
        .flat_map(|(i, a)| outcomes[i + 1..].iter().map(move |b| (*a, *b)))
        .map(|(a, b)| serde_json::json!({"allOf": [given(a), given(b)]}))
        .collect();
    let any: Vec<Value> = outcomes.iter().chain(&["delay"]).map(|name| given(name)).collect();
    schema.insert("not".to_owned(), serde_json::json!({"anyOf": pairs}));
    schema.insert("anyOf".to_owned(), Value::Array(any));
}

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
