//! Vendor-neutral building blocks any vendor may use: error kinds, clock, RNG, JWT, the
//! `Authorization` header split, JSON media types, email and URL checks, query strings, keyset
//! cursors, the memo, wildcards, snapshots and the JSON-path problem their readers report, id
//! counters, record caps, bounded reads of files named by flags.
//! What belongs to one web framework lives in `crate::families`.

pub mod auth_header;
pub mod bounded_file;
pub mod clock;
pub mod email;
pub mod error;
pub mod expiring;
pub mod ids;
pub mod json_budget;
pub mod jwt;
pub mod keyset;
pub mod media;
pub mod memo;
pub mod names;
pub mod problem;
pub mod query;
pub mod rate_limit;
pub mod records;
pub mod rng;
pub mod routing;
pub mod seeded;
pub mod snapshot;
pub mod url;
pub mod vendor_settings;
pub mod wildcard;
