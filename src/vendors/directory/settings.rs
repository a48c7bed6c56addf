//! Directory's switches (`GET`/`PATCH /__admin/vendors/directory/settings`): the employee count.

use crate::common::vendor_settings::SeedEmployees;

/// The switches: `seed_employees` from 13 to 100_000.
pub type Settings = SeedEmployees<13, 100_000>;
