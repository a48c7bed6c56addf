//! Joinup's vendor switches (`GET`/`PATCH /__admin/vendors/joinup/settings`). A patch is checked
//! whole before anything changes.

use super::model::Tenant;
use crate::common::clock::MAX_SPAN_SECONDS;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::vendor_settings::{self, VendorSettings, in_range};
use crate::outbound::ThisServer;
use actix_web::http::header::HeaderValue;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A tenant's signup hook: where Joinup calls the client when someone of its domains signs up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignupHook {
    /// The client's `http://` or `https://` endpoint.
    pub url: String,
    /// The raw `Authorization` value sent (no prefix is added).
    #[serde(default)]
    pub authorization: Option<String>,
    /// Email domains registered for the tenant.
    pub domains: Vec<String>,
    /// How long to wait for the client's answer, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: f64,
}

fn default_timeout() -> f64 {
    5.0
}

/// The switches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    #[serde(default)]
    pub shared_cost_centers: BTreeMap<String, bool>,
    /// Per tenant: its signup hook (`null` removes it).
    #[serde(default)]
    pub signup_hooks: BTreeMap<String, SignupHook>,
    /// The identity the docs' placeholder token `beep-beep-beep-beep-beep` authenticates as.
    #[serde(default)]
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

/// What the switches are checked against: the tenant identities and every user identity.
pub struct Known {
    /// Tenant (admin) identities.
    pub tenants: Vec<String>,
    /// Every identity.
    pub users: Vec<String>,
}

impl Settings {
    /// The switches as the admin API shows them: each tenant's effective cost-center sharing.
    pub fn to_json(&self, tenants: &[Tenant]) -> Value {
        json!(self.with_sharing_of(tenants))
    }

    /// These settings with `patch` applied and checked (domains compared lower-case).
    pub fn patched(&self, patch: &Value, tenants: &[Tenant], known: &Known) -> Result<Self, ApiError> {
        let mut next = vendor_settings::patched(&self.with_sharing_of(tenants), patch, known)?;
        for hook in next.signup_hooks.values_mut() {
            hook.domains.iter_mut().for_each(|d| d.make_ascii_lowercase());
        }
        Ok(next)
    }

    /// Refuses a hook whose URL addresses this server: it would call itself forever.
    pub fn check_hook_targets(&self, this_server: &ThisServer) -> Result<(), ApiError> {
        for (tenant, hook) in &self.signup_hooks {
            this_server.check_url(&hook.url).map_err(|reason| {
                ApiError::with_message(ErrorKind::BadRequest, format!("signup_hooks.{tenant}: \"url\": {reason}"))
            })?;
        }
        Ok(())
    }

    fn with_sharing_of(&self, tenants: &[Tenant]) -> Self {
        let shared = tenants.iter().map(|t| (t.identity.clone(), t.shared_cost_centers)).collect();
        Self { shared_cost_centers: shared, ..self.clone() }
    }
}

impl VendorSettings for Settings {
    type Context = Known;

    fn check(&self, known: &Known) -> Result<(), String> {
        in_range("bulk_processing_seconds", self.bulk_processing_seconds, 0..=MAX_SPAN_SECONDS.unsigned_abs())?;
        in_range("seed_employees", self.seed_employees, 0..=100_000)?;
        in_range("seed_cost_centers", self.seed_cost_centers, 0..=100_000)?;
        let tenants = self.shared_cost_centers.keys().chain(self.signup_hooks.keys());
        if let Some(unknown) = tenants.into_iter().find(|t| !known.tenants.contains(t)) {
            return Err(format!("unknown tenant '{unknown}' (known: {})", known.tenants.join(", ")));
        }
        for (tenant, hook) in &self.signup_hooks {
            if !crate::common::url::is_web_url(&hook.url) {
                return Err(format!("signup_hooks.{tenant}: \"url\" must be an http:// or https:// URL"));
            }
            // A value no header may carry (a line break, NUL) would fail every call later.
            if hook.authorization.as_deref().is_some_and(|a| HeaderValue::from_str(a).is_err()) {
                return Err(format!(
                    "signup_hooks.{tenant}: \"authorization\" must be a valid header value (visible ASCII, spaces and tabs; no line breaks or NUL)"
                ));
            }
            if !(hook.timeout_seconds > 0.0 && hook.timeout_seconds <= 300.0) {
                return Err(format!("signup_hooks.{tenant}: \"timeout_seconds\" must be in (0, 300]"));
            }
        }
        match &self.docs_token {
            Some(identity) if !known.users.contains(identity) => {
                Err(format!("docs_token must be null or one of: {}", known.users.join(", ")))
            }
            _ => Ok(()),
        }
    }
}
