//! Orquest's switches (`GET`/`PATCH /__admin/vendors/orquest/settings`): the employee count and
//! how a list import reports failing elements.

use crate::common::vendor_settings::{VendorSettings, in_range};
use serde::{Deserialize, Serialize};

/// Employees seeded in the first business by default (a quarter of that in the others).
pub const SEED_EMPLOYEES: usize = 60;

/// The switches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Employees seeded in the first business, from 0 to 100_000.
    pub seed_employees: usize,
    /// The reference's switch for the list PUTs: `false` answers 200 with every element's
    /// status; `true` answers the first failing element's status (406, 409, ...) as the HTTP
    /// status, with the same per-element array as body.
    #[serde(default)]
    pub list_status_from_first_failure: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { seed_employees: SEED_EMPLOYEES, list_status_from_first_failure: false }
    }
}

impl VendorSettings for Settings {
    type Context = ();

    fn check(&self, _: &()) -> Result<(), String> {
        in_range("seed_employees", self.seed_employees, 0..=100_000)
    }
}
