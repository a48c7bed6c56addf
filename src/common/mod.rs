//! Vendor-neutral building blocks shared by every emulated vendor.

pub mod clock;
pub mod drf;
pub mod error;
pub mod expiring;
pub mod jwt;
pub mod memo;
pub mod pagination;
pub mod rate_limit;
pub mod rng;
pub mod routing;
pub mod seeded;
pub mod spring;
pub mod url;
pub mod wildcard;
