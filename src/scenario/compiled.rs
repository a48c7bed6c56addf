//! A scenario as the engine runs it: compiled once at load from the file schema (`model.rs`).

use super::delay::Delay;
use super::fault::Fault;
use super::matcher::Matcher;
use crate::common::error::ApiError;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use bytes::Bytes;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A compiled scenario.
#[derive(Debug)]
pub struct Scenario {
    /// Unique within a sandbox.
    pub name: String,
    /// What it simulates.
    pub description: String,
    /// Rules in file order.
    pub rules: Vec<Rule>,
    /// The text it was compiled from (snapshots carry it).
    pub source: String,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Which requests.
    pub when: Matcher,
    /// How often.
    pub fire: Fire,
    /// Wait before answering.
    pub delay: Option<Delay>,
    /// What answers.
    pub action: Action,
}

/// Firing conditions.
#[derive(Debug, Default)]
pub struct Fire {
    /// At most this many firings.
    pub times: Option<u64>,
    /// Matches skipped first.
    pub after: u64,
    /// Every Nth match after `after`.
    pub every: Option<u64>,
    /// Probability per eligible match.
    pub probability: Option<f64>,
    /// (start_after_s, duration_s) from activation, on the sandbox clock.
    pub window: Option<(u64, u64)>,
}

/// What a firing rule does.
#[derive(Debug, Clone)]
pub enum Action {
    /// Only the delay; the real handler answers.
    Pass,
    /// An error in the vendor's own format.
    Error(ApiError),
    /// A raw response.
    Response {
        /// Status.
        status: StatusCode,
        /// Headers.
        headers: Vec<(HeaderName, HeaderValue)>,
        /// Body bytes.
        body: Bytes,
        /// Whether the body came from `body` (JSON) rather than `body_text`.
        json: bool,
    },
    /// Make matching items of a bulk request fail; the vendor's handler reads it.
    ItemError(Arc<ItemError>),
    /// Break the connection.
    Fault(Fault),
}

/// The hook bulk endpoints read from the request's extensions.
#[derive(Debug)]
pub struct ItemError {
    /// Field -> glob.
    pub matching: BTreeMap<String, String>,
    /// Message in the per-item report.
    pub message: String,
    /// Per-item status, where the vendor has one.
    pub status: Option<u16>,
}

impl ItemError {
    /// Whether an item (a JSON object) is one that must fail.
    pub fn applies_to(&self, item: &Value) -> bool {
        self.matching.iter().all(|(field, glob)| {
            item.get(field).and_then(Value::as_str).is_some_and(|v| crate::common::wildcard::wildcard_match(glob, v))
        })
    }
}
