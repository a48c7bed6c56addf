//! The vendor contract: what a vendor gives the server (the `Vendor` trait), what its per-sandbox
//! state answers to the admin API (`VendorStore`), and the outcomes of vendor admin actions.
//! Nothing here knows any vendor; `vendors/mod.rs` is the registry that lists them.

use crate::common::error::ApiError;
use crate::common::snapshot::Problem;
pub use crate::common::snapshot::Swap;
use crate::outbound::{OutboundCall, OutboundResult, ThisServer};
use crate::scenario::loader::KnownVendor;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::any::Any;
use std::sync::Arc;

/// An emulated vendor API, mounted under `/<id>`.
pub trait Vendor: Send + Sync + 'static {
    /// Path prefix and admin id, e.g. `chiefonboarding`.
    fn id(&self) -> &'static str;
    /// Human name, e.g. `ChiefOnboarding`.
    fn display_name(&self) -> &'static str;
    /// A new store holding this vendor's start state for `seed`.
    fn build_store(&self, seed: u64) -> Arc<dyn VendorStore>;
    /// Registers the vendor's routes, relative to its prefix.
    fn configure(&self, cfg: &mut web::ServiceConfig);
    /// The vendor's one error renderer: every error under its prefix goes through here.
    fn render(&self, err: &ApiError, req: &HttpRequest) -> HttpResponse;
    /// What runs before any handler of this vendor, once scenarios have let the request through
    /// (Spring Security's filter chain: an unauthenticated request is 401 whatever its path or
    /// parameters). By default nothing.
    fn filter(&self, _req: &HttpRequest) -> Result<(), ApiError> {
        Ok(())
    }
    /// What its OpenAPI document takes from the data of `store` (this vendor's store in a
    /// sandbox) at `now` (the sandbox's clock): path parameter examples by name (an existing
    /// member's id for `member_id`), and the `enum:<kind>` / `schema:<kind>` values of
    /// `openapi::schema::seeded` schemas.
    fn examples(
        &self,
        _store: Arc<dyn VendorStore>,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> serde_json::Map<String, Value> {
        serde_json::Map::new()
    }
    /// The table its OpenAPI document is built from (see `crate::openapi`).
    fn api(&self) -> Option<&'static crate::openapi::Api> {
        None
    }
    /// Whether the vendor has bulk endpoints that honour scenario `item_error` rules.
    fn has_bulk_items(&self) -> bool {
        false
    }
}

/// Lets the sandbox hand a handler its concrete store type.
pub trait AnyArc {
    /// Upcasts to `Any` for a checked downcast.
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

impl<T: Any + Send + Sync> AnyArc for T {
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// `store` as the vendor's own store type `T` (`None` for another vendor's).
pub fn downcast<T: Send + Sync + 'static>(store: Arc<dyn VendorStore>) -> Option<Arc<T>> {
    store.into_any().downcast::<T>().ok()
}

/// One vendor's state inside one sandbox, as the admin API sees it.
pub trait VendorStore: AnyArc + Send + Sync {
    /// Back to the start state for `seed` (data and settings), atomically.
    fn reset(&self, seed: u64);
    /// Record counts per collection.
    fn counts(&self) -> Value;
    /// The full state as JSON.
    fn state(&self) -> Value;
    /// Ready-to-use credentials per identity: `{"<identity>": {"authorization": ...}}`.
    fn credentials(&self) -> Value;
    /// The vendor switches.
    fn settings(&self) -> Value;
    /// Applies a partial update of the switches; a bad patch (one whose hook URL addresses
    /// `this_server`, too) changes nothing.
    fn update_settings(&self, patch: &Value, this_server: &ThisServer) -> Result<Value, ApiError>;
    /// This vendor's part of a snapshot, `{"settings", "state"}`: everything
    /// [`VendorStore::restore`] needs to answer every request byte for byte as now.
    fn export(&self) -> Value;
    /// A snapshot part's records checked from its JSON text before the document is built
    /// (what [`VendorStore::restore`] checks but the settings): a hostile part is refused at
    /// its first wrong element, for about nothing.
    fn check_part(&self, part: &serde_json::value::RawValue) -> Result<(), Problem>;
    /// A snapshot part read and checked (types, vendor rules, references), ready to swap in;
    /// nothing changes until the swap runs. `seed` is the snapshot's (later reseeds use it).
    fn restore(&self, part: &Value, seed: u64) -> Result<Swap<'_>, Problem>;
    /// A vendor-specific admin operation, `POST /__admin/vendors/{id}/{action}`, at sandbox time `now`.
    fn admin_action(&self, action: &str, body: &Value, now: DateTime<Utc>) -> Result<ActionOutcome, ApiError>;
}

/// Turns an outbound call's result, at sandbox time, into an admin answer.
pub type FinishCall = Box<dyn FnOnce(&OutboundResult, DateTime<Utc>) -> Value + Send>;

/// What a vendor admin action needs the server to do.
pub enum ActionOutcome {
    /// Done: this is the admin answer.
    Done(Value),
    /// Make this call to the client first; `finish` turns its result (at sandbox time) into the answer.
    Call {
        /// The call.
        call: OutboundCall,
        /// Applies the result to the store and builds the admin answer.
        finish: FinishCall,
    },
}

/// How scenario files may name these vendors.
pub fn known_to_scenarios(vendors: &[Arc<dyn Vendor>]) -> Vec<KnownVendor> {
    vendors.iter().map(|v| KnownVendor { id: v.id(), has_bulk_items: v.has_bulk_items() }).collect()
}
