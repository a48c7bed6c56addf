//! Orquest's switches (`GET`/`PATCH /__admin/vendors/orquest/settings`): the employee count.

use crate::common::vendor_settings::SeedEmployees;

/// The switches: `seed_employees` from 0 to 10_000.
pub type Settings = SeedEmployees<0, 10_000>;
