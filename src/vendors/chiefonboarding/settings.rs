//! ChiefOnboarding's switches (`GET`/`PATCH /__admin/vendors/chiefonboarding/settings`).

use crate::common::vendor_settings::{VendorSettings, in_range};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The switches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Django's `API_ACCESS`: off, the API routes do not exist (404). On in the sandbox.
    pub api_access: bool,
    /// Users seeded: the four identities, then generated ones; a new count re-seeds.
    #[serde(default = "default_seed_users")]
    pub seed_users: usize,
}

/// The four identities and 96 generated users.
pub const SEED_USERS: usize = 100;

fn default_seed_users() -> usize {
    SEED_USERS
}

impl Default for Settings {
    fn default() -> Self {
        Self { api_access: true, seed_users: SEED_USERS }
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
        in_range("seed_users", self.seed_users, 4..=100_000)
    }
}
