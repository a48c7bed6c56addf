//! ChiefOnboarding's switches (`GET`/`PATCH /__admin/vendors/chiefonboarding/settings`).

use crate::common::vendor_settings::VendorSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The switches.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Django's `API_ACCESS`: off, the API routes do not exist (404). On in the sandbox.
    pub api_access: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { api_access: true }
    }
}

impl Settings {
    /// A patch with Django's own spelling (`API_ACCESS`) read as `api_access`.
    pub fn canonical(patch: &Value) -> Value {
        let mut patch = patch.clone();
        if let Some(map) = patch.as_object_mut()
            && let Some(value) = map.remove("API_ACCESS")
        {
            map.insert("api_access".to_owned(), value);
        }
        patch
    }
}

impl VendorSettings for Settings {
    type Context = ();

    fn check(&self, _: &()) -> Result<(), String> {
        Ok(())
    }
}
