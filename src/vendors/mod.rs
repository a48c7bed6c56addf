//! The registry: every vendor the binary serves, in one list. The contract they implement is
//! `crate::vendor`.
//!
//! # A vendor's folder
//!
//! Each vendor is one folder below this one, and a file name means the same in every folder:
//!
//! - `mod.rs`: the `//!` header (what is emulated and from which sources, the divergences), the
//!   `mod` lines and the `impl VendorDef` (id, name, store type, routes, renderer, OpenAPI table,
//!   and the optional filter and examples); nothing else. `crate::vendor` turns it into a `Vendor`.
//! - `auth.rs`: who is calling: the credential the vendor reads, checked against the store, with
//!   the vendor's own 401 and 403 texts.
//! - `model.rs`: the records as the vendor keeps them (serde derive); the wire shows them as they
//!   are unless `views.rs` says otherwise.
//! - `views.rs` (where needed): how records look on the wire when not as kept: the view types
//!   the handlers serialize and the OpenAPI document derives its schemas from, or projections
//!   (fields a scope hides).
//! - `seed.rs`: the start state, drawn from the seed and `fixtures/<vendor>/`.
//! - `settings.rs`: the vendor's switches, one serde struct with its checks
//!   (`GET`/`PATCH /__admin/vendors/<vendor>/settings`).
//! - `store.rs`: the state of one sandbox behind one lock, what changes it, and the store side of
//!   the contract (`impl Seeded`, `impl VendorState`, `impl AdminActions` on its `State`;
//!   `crate::vendor` writes the `VendorStore` forwarding once); it returns `ApiError`s and knows
//!   no wire format.
//! - `snapshot.rs`: the vendor's part of a snapshot document and the references checked before a
//!   part is swapped in.
//! - `error.rs`: the one place that knows the vendor's error body (`render`): its family's
//!   renderer (`crate::families`) given the vendor's own texts and headers, or its own.
//! - `openapi.rs`: the operation table of the vendor's OpenAPI document, and its examples;
//!   `schemas.rs` holds the JSON Schemas it uses when they would make it too long.
//! - `routes.rs`, or `routes/` (`mod.rs` with `configure` and what the handlers share, then one
//!   file per resource): every HTTP handler, and what only handling needs (query filters, pages,
//!   a framework's dispatch around the handlers, redirects).
//! - Any other file or folder is the vendor's own behaviour, named for it, with no handler in
//!   it: the vendor's part of its framework (`serializer.rs`, DRF's serializers; `i18n.rs`,
//!   Django's translations) or its business rules (`jobs.rs`, `signup.rs`, `scopes.rs`,
//!   `paystubs.rs`, `import/`).

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
