//! The registry: every vendor the binary serves, in one list. The contract they implement is
//! `crate::vendor`.

pub mod chiefonboarding;
pub mod directory;
pub mod joinup;
pub mod justworks;
pub mod orquest;

use crate::vendor::Vendor;
use std::sync::Arc;

/// Every vendor the binary can serve, in a fixed order. Adding a vendor is one line here.
pub fn registry() -> Vec<Arc<dyn Vendor>> {
    vec![
        Arc::new(joinup::Joinup),
        Arc::new(justworks::Justworks),
        Arc::new(directory::Directory),
        Arc::new(orquest::Orquest),
        Arc::new(chiefonboarding::ChiefOnboarding),
    ]
}
