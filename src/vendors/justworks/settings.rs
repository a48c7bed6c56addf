//! Justworks' switches (`GET`/`PATCH /__admin/vendors/justworks/settings`).

use crate::common::clock::MAX_SPAN_SECONDS;
use crate::common::vendor_settings::{VendorSettings, in_range};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The switches.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Every app redirects at once, without the consent page (headless CI).
    pub auto_approve: bool,
    /// The same, per app (`client_id` -> on).
    #[serde(default)]
    pub apps_auto_approve: BTreeMap<String, bool>,
    /// Seconds of sandbox time a balances report stays `pending`.
    pub balance_report_seconds: i64,
    /// Members seeded; a new count re-seeds the data at once.
    pub seed_members: usize,
}

impl VendorSettings for Settings {
    /// The registered apps' client ids.
    type Context = [String];

    fn check(&self, apps: &[String]) -> Result<(), String> {
        if let Some(unknown) = self.apps_auto_approve.keys().find(|c| !apps.contains(c)) {
            return Err(format!("unknown app '{unknown}'"));
        }
        in_range("balance_report_seconds", self.balance_report_seconds, 0..=MAX_SPAN_SECONDS)?;
        in_range("seed_members", self.seed_members, 3..=100_000)
    }
}
