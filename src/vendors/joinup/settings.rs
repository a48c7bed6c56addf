//! Joinup's vendor switches (`GET`/`PATCH /__admin/vendors/joinup/settings`). A patch is checked
//! whole before anything changes.

use super::model::Tenant;
use crate::common::clock::MAX_SPAN_SECONDS;
use crate::common::error::{ApiError, ErrorKind};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A tenant's signup hook: where Joinup calls the client when someone of its domains signs up.
#[derive(Debug, Clone, Serialize)]
pub struct SignupHook {
    /// The client's `http://` endpoint.
    pub url: String,
    /// The raw `Authorization` value sent (no prefix is added).
    pub authorization: Option<String>,
    /// Email domains registered for the tenant.
    pub domains: Vec<String>,
    /// How long to wait for the client's answer, in seconds.
    pub timeout_seconds: f64,
}

/// The switches.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Seconds of sandbox time a bulk job stays `pending`.
    pub bulk_processing_seconds: u64,
    /// Whether the documented rate limits apply in this sandbox (`--rate-limits off` overrides).
    pub rate_limits: bool,
    /// Employees seeded per tenant.
    pub seed_employees: usize,
    /// Cost centers seeded per tenant.
    pub seed_cost_centers: usize,
    /// Per tenant: whether its cost centers are shared by all its companies.
    pub shared_cost_centers: BTreeMap<String, bool>,
    /// Per tenant: its signup hook.
    pub signup_hooks: BTreeMap<String, SignupHook>,
    /// The identity the docs' placeholder token `beep-beep-beep-beep-beep` authenticates as.
    pub docs_token: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bulk_processing_seconds: 5,
            rate_limits: true,
            seed_employees: 240,
            seed_cost_centers: 12,
            shared_cost_centers: BTreeMap::new(),
            signup_hooks: BTreeMap::new(),
            docs_token: Some("group_admin".to_owned()),
        }
    }
}

impl Settings {
    /// The switches as the admin API shows them.
    pub fn to_json(&self, tenants: &[Tenant]) -> Value {
        let shared: BTreeMap<&str, bool> =
            tenants.iter().map(|t| (t.identity.as_str(), t.shared_cost_centers)).collect();
        json!({
            "bulk_processing_seconds": self.bulk_processing_seconds,
            "rate_limits": self.rate_limits,
            "seed_employees": self.seed_employees,
            "seed_cost_centers": self.seed_cost_centers,
            "shared_cost_centers": shared,
            "signup_hooks": self.signup_hooks,
            "docs_token": self.docs_token,
        })
    }

    /// These settings with `patch` applied; `tenants` are the tenant identities, `users` every identity.
    pub fn patched(&self, patch: &Value, tenants: &[String], users: &[String]) -> Result<Self, ApiError> {
        let bad = |message: String| ApiError::with_message(ErrorKind::BadRequest, message);
        let mut next = self.clone();
        for (key, value) in patch.as_object().into_iter().flatten() {
            match key.as_str() {
                "bulk_processing_seconds" => {
                    next.bulk_processing_seconds =
                        value.as_u64().filter(|s| *s <= MAX_SPAN_SECONDS.unsigned_abs()).ok_or_else(|| {
                            bad(format!("{key} must be a whole number of seconds from 0 to {MAX_SPAN_SECONDS}"))
                        })?;
                }
                "rate_limits" => {
                    next.rate_limits = value.as_bool().ok_or_else(|| bad(format!("{key} must be a boolean")))?
                }
                "seed_employees" | "seed_cost_centers" => {
                    let count = value
                        .as_u64()
                        .filter(|n| *n <= 100_000)
                        .ok_or_else(|| bad(format!("{key} must be a count from 0 to 100000")))?;
                    let count = usize::try_from(count).unwrap_or(0);
                    if key == "seed_employees" { next.seed_employees = count } else { next.seed_cost_centers = count }
                }
                "shared_cost_centers" => {
                    for (tenant, shared) in per_tenant(value, tenants, key)? {
                        let shared =
                            shared.as_bool().ok_or_else(|| bad(format!("{key}.{tenant} must be a boolean")))?;
                        next.shared_cost_centers.insert(tenant.to_owned(), shared);
                    }
                }
                "signup_hooks" => {
                    for (tenant, hook) in per_tenant(value, tenants, key)? {
                        if hook.is_null() {
                            next.signup_hooks.remove(tenant);
                        } else {
                            next.signup_hooks.insert(tenant.to_owned(), signup_hook(hook, tenant)?);
                        }
                    }
                }
                "docs_token" => {
                    next.docs_token = match value {
                        Value::Null => None,
                        Value::String(identity) if users.contains(identity) => Some(identity.clone()),
                        _ => return Err(bad(format!("{key} must be null or one of: {}", users.join(", ")))),
                    };
                }
                _ => return Err(bad(format!("unknown setting '{key}'"))),
            }
        }
        Ok(next)
    }
}

/// A `{"<tenant identity>": value}` object whose keys are all known tenants.
fn per_tenant<'v>(value: &'v Value, tenants: &[String], key: &str) -> Result<Vec<(&'v str, &'v Value)>, ApiError> {
    let bad = |message: String| ApiError::with_message(ErrorKind::BadRequest, message);
    let map = value.as_object().ok_or_else(|| bad(format!("{key} must be an object keyed by tenant identity")))?;
    map.iter()
        .map(|(tenant, v)| {
            if tenants.iter().any(|t| t == tenant) {
                Ok((tenant.as_str(), v))
            } else {
                Err(bad(format!("{key}: unknown tenant '{tenant}' (known: {})", tenants.join(", "))))
            }
        })
        .collect()
}

fn signup_hook(value: &Value, tenant: &str) -> Result<SignupHook, ApiError> {
    let bad =
        |message: &str| ApiError::with_message(ErrorKind::BadRequest, format!("signup_hooks.{tenant}: {message}"));
    let map = value.as_object().ok_or_else(|| bad("must be an object or null"))?;
    if let Some(unknown) =
        map.keys().find(|k| !["url", "authorization", "domains", "timeout_seconds"].contains(&k.as_str()))
    {
        return Err(bad(&format!("unknown field '{unknown}'")));
    }
    let url = map.get("url").and_then(Value::as_str).ok_or_else(|| bad("\"url\" (an http:// URL) is required"))?;
    if !url.starts_with("http://") || url.parse::<actix_web::http::Uri>().is_err() {
        return Err(bad("\"url\" must be an http:// URL"));
    }
    let authorization = match map.get("authorization") {
        None | Some(Value::Null) => None,
        Some(Value::String(value)) => Some(value.clone()),
        Some(_) => return Err(bad("\"authorization\" must be a string")),
    };
    let domains = match map.get("domains") {
        Some(Value::Array(list)) => list
            .iter()
            .map(|d| d.as_str().map(str::to_ascii_lowercase).ok_or_else(|| bad("\"domains\" must be strings")))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("\"domains\" (a list of email domains) is required")),
    };
    let timeout_seconds = match map.get("timeout_seconds") {
        None => 5.0,
        Some(v) => v
            .as_f64()
            .filter(|s| *s > 0.0 && *s <= 300.0)
            .ok_or_else(|| bad("\"timeout_seconds\" must be in (0, 300]"))?,
    };
    Ok(SignupHook { url: url.to_owned(), authorization, domains, timeout_seconds })
}
