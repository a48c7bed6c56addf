//! Directory's switches (`GET`/`PATCH /__admin/vendors/directory/settings`).

use crate::common::vendor_settings::{VendorSettings, in_range};
use serde::{Deserialize, Serialize};

/// The switches.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Employees seeded; a new count re-seeds the data at once.
    pub seed_employees: usize,
}

impl VendorSettings for Settings {
    type Context = ();

    fn check(&self, _: &()) -> Result<(), String> {
        in_range("seed_employees", self.seed_employees, 13..=20_000)
    }
}
