//! The vendor contract: what a vendor writes (its [`VendorDef`], and [`VendorState`] and
//! [`AdminActions`] on its state type), and what the server holds (`dyn` [`Vendor`] and `dyn`
//! [`VendorStore`]), derived from those once here, with the outcomes of vendor admin actions.
//! Nothing here knows any vendor; `vendors/mod.rs` is the registry that lists them.

use crate::common::error::ApiError;
use crate::common::problem::Problem;
use crate::common::seeded::{Seeded, SeededState};
pub use crate::common::snapshot::Swap;
use crate::openapi::Api;
use crate::outbound::{Due, OutboundCall, OutboundResult, ThisServer};
use crate::scenario::loader::KnownVendor;
use crate::workforce::model::VendorRecord;
use crate::workforce::{Projection, Rostered};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::any::Any;
use std::sync::Arc;

/// An emulated vendor API, mounted under `/<id>`: what the server holds. Every vendor gets it
/// from its [`VendorDef`]; a test may implement it directly.
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
    fn examples(&self, _store: Arc<dyn VendorStore>, _now: DateTime<Utc>) -> Map<String, Value> {
        Map::new()
    }
    /// The table its OpenAPI document is built from (see `crate::openapi`).
    fn api(&self) -> Option<&'static Api> {
        None
    }
    /// Whether the vendor has bulk endpoints that honour scenario `item_error` rules.
    fn has_bulk_items(&self) -> bool {
        false
    }
}

/// A vendor as its `mod.rs` defines it: only what is its own. [`Vendor`] follows from it.
pub trait VendorDef: Send + Sync + 'static {
    /// Path prefix and admin id, e.g. `chiefonboarding`.
    const ID: &'static str;
    /// Human name, e.g. `ChiefOnboarding`.
    const NAME: &'static str;
    /// Its store in a sandbox: `SeededState<State>`, or its own type around one.
    type Store: SeededStore;
    /// Registers its routes, relative to its prefix (its `routes::configure`).
    const ROUTES: Routes;
    /// Its one error renderer (its `error::render`).
    const RENDER: Render;
    /// The table its OpenAPI document is built from.
    const API: Option<&'static Api> = None;
    /// Whether it has bulk endpoints that honour scenario `item_error` rules.
    const HAS_BULK_ITEMS: bool = false;
    /// See [`Vendor::filter`]. By default nothing.
    fn filter(_req: &HttpRequest) -> Result<(), ApiError> {
        Ok(())
    }
    /// See [`Vendor::examples`]: from its own store. By default none.
    fn examples(_store: &Self::Store, _now: DateTime<Utc>) -> Map<String, Value> {
        Map::new()
    }
}

/// Registers a vendor's routes, relative to its prefix.
pub type Routes = fn(&mut web::ServiceConfig);

/// Renders an error as the vendor does: every error under its prefix goes through it.
pub type Render = fn(&ApiError, &HttpRequest) -> HttpResponse;

impl<V: VendorDef> Vendor for V {
    fn id(&self) -> &'static str {
        V::ID
    }

    fn display_name(&self) -> &'static str {
        V::NAME
    }

    fn build_store(&self, seed: u64) -> Arc<dyn VendorStore> {
        Arc::new(V::Store::new(seed))
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        (V::ROUTES)(cfg);
    }

    fn render(&self, err: &ApiError, req: &HttpRequest) -> HttpResponse {
        (V::RENDER)(err, req)
    }

    fn filter(&self, req: &HttpRequest) -> Result<(), ApiError> {
        <V as VendorDef>::filter(req)
    }

    fn examples(&self, store: Arc<dyn VendorStore>, now: DateTime<Utc>) -> Map<String, Value> {
        downcast::<V::Store>(store).map(|store| <V as VendorDef>::examples(&store, now)).unwrap_or_default()
    }

    fn api(&self) -> Option<&'static Api> {
        V::API
    }

    fn has_bulk_items(&self) -> bool {
        V::HAS_BULK_ITEMS
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

/// One vendor's state inside one sandbox, as the admin API sees it: what the server holds.
/// Every vendor's store gets it from its [`VendorState`]; a test may implement it directly.
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
    /// [`VendorStore::export`] as JSON text (what `--state-dir` compares and keeps).
    fn export_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.export()).unwrap_or_default()
    }
    /// A snapshot part's records checked from its JSON text before the document is built
    /// (what [`VendorStore::restore`] checks but the settings): a hostile part is refused at
    /// its first wrong element, for about nothing.
    fn check_part(&self, part: &RawValue) -> Result<(), Problem>;
    /// A snapshot part read and checked (types, vendor rules, references), ready to swap in;
    /// nothing changes until the swap runs. `seed` is the snapshot's (later reseeds use it).
    fn restore(&self, part: &Value, seed: u64) -> Result<Swap<'_>, Problem>;
    /// A vendor-specific admin operation, `POST /__admin/vendors/{id}/{action}`, at sandbox time `now`.
    fn admin_action(&self, action: &str, body: &Value, now: DateTime<Utc>) -> Result<ActionOutcome, ApiError>;
    /// How many times the state was changed: `--state-dir` keeps the part when it moved. A
    /// store that never changes (a test's) may leave it at 0.
    fn generation(&self) -> u64 {
        0
    }
    /// Applies a workforce event to this vendor's records (in its own model); the record it
    /// touched or minted. By default the vendor takes no part (`None`).
    fn apply_workforce(&self, _projection: &Projection) -> Option<VendorRecord> {
        None
    }
    /// The people this vendor holds now, for the workforce to adopt. By default none.
    fn workforce_roster(&self) -> Vec<Rostered> {
        Vec::new()
    }
    /// Its earliest queued outbound delivery due by `until` (`crate::outbound::queue`). By
    /// default the vendor delivers nothing.
    fn next_delivery(&self, _until: DateTime<Utc>) -> Option<Due> {
        None
    }
    /// Records how the attempt of delivery `seq` made at sandbox time `at` went.
    fn settle_delivery(&self, _seq: u64, _result: &OutboundResult, _at: DateTime<Utc>) {}
    /// After a batch of workforce events: rebuilds what the vendor keeps ready for reads. By
    /// default nothing.
    fn settle_workforce(&self) {}
    /// Record `id` as a person to adopt (a client's new record), if it is one.
    fn workforce_record(&self, id: &str) -> Option<Rostered> {
        self.workforce_roster().into_iter().find(|entry| entry.record.id == id)
    }
}

/// A vendor's state type as the admin API sees it: the parts that are its own (written in its
/// `store.rs`). The lock, seed, reset and snapshot swap around it are [`SeededState`]'s.
pub trait VendorState: Seeded + AdminActions + Send + Sync + Sized + 'static {
    /// Its snapshot code (in its `snapshot.rs`).
    const SNAPSHOT: Snapshot<Self>;
    /// Record counts per collection.
    fn counts(&self) -> Value;
    /// The full state as JSON.
    fn view(&self) -> Value;
    /// Ready-to-use credentials per identity: `{"<identity>": {"authorization": ...}}`.
    fn credentials(&self) -> Value;
    /// The vendor switches.
    fn settings_view(&self) -> Value;
    /// See [`VendorStore::update_settings`]: on `store`, which holds this state.
    fn update_settings(store: &SeededState<Self>, patch: &Value, this_server: &ThisServer) -> Result<Value, ApiError>;
    /// See [`VendorStore::apply_workforce`]. By default the vendor takes no part.
    fn apply_workforce(&mut self, _projection: &Projection) -> Option<VendorRecord> {
        None
    }
    /// See [`VendorStore::workforce_roster`]. By default none.
    fn workforce_roster(&self) -> Vec<Rostered> {
        Vec::new()
    }
    /// See [`VendorStore::next_delivery`]. By default none.
    fn next_delivery(&self, _until: DateTime<Utc>) -> Option<Due> {
        None
    }
    /// See [`VendorStore::settle_delivery`].
    fn settle_delivery(&mut self, _seq: u64, _result: &OutboundResult, _at: DateTime<Utc>) {}
    /// See [`VendorStore::settle_workforce`]. By default nothing.
    fn settle_workforce(&mut self) {}
}

/// A vendor's admin operations, `POST /__admin/vendors/{id}/{action}`, on its state. A trait of
/// its own so they can be written where they live: in `store.rs`, or above it when an action
/// calls the client (Joinup's signup hook, in `admin.rs`: `store.rs` importing it would close an
/// import circle).
pub trait AdminActions: Seeded + Sized {
    /// Runs `action` with `body` at sandbox time `now` on `store`; an unknown one is 404.
    fn admin_action(
        store: &SeededState<Self>,
        action: &str,
        body: &Value,
        now: DateTime<Utc>,
    ) -> Result<ActionOutcome, ApiError>;
}

/// A state's part of a snapshot: the three functions of its `snapshot.rs`.
pub struct Snapshot<S> {
    /// `{"settings", "state"}`: everything `restore` needs to answer byte for byte as now.
    pub export: fn(&S) -> Value,
    /// `export` as JSON text, written without a `Value` tree.
    pub export_bytes: fn(&S) -> Vec<u8>,
    /// The part's records checked from its JSON text (all `restore` checks but the settings).
    pub check: fn(&RawValue) -> Result<(), Problem>,
    /// The part read and checked (types, vendor rules, references) into a state.
    pub restore: fn(&Value) -> Result<S, Problem>,
}

/// A vendor's store: a [`SeededState`], or a vendor's own type around one that adds its access
/// rules (Joinup runs the jobs due before each access).
pub trait SeededStore: Send + Sync + Sized + 'static {
    /// The state it holds.
    type State: VendorState;
    /// The start state for `seed`.
    fn new(seed: u64) -> Self;
    /// The state and its seed.
    fn seeded(&self) -> &SeededState<Self::State>;
}

impl<S: VendorState> SeededStore for SeededState<S> {
    type State = S;

    fn new(seed: u64) -> Self {
        SeededState::new(seed)
    }

    fn seeded(&self) -> &SeededState<S> {
        self
    }
}

impl<T: SeededStore> VendorStore for T {
    fn reset(&self, seed: u64) {
        self.seeded().reset(seed);
    }

    fn counts(&self) -> Value {
        self.seeded().read().counts()
    }

    fn state(&self) -> Value {
        self.seeded().read().view()
    }

    fn credentials(&self) -> Value {
        self.seeded().read().credentials()
    }

    fn settings(&self) -> Value {
        self.seeded().read().settings_view()
    }

    fn update_settings(&self, patch: &Value, this_server: &ThisServer) -> Result<Value, ApiError> {
        T::State::update_settings(self.seeded(), patch, this_server)
    }

    fn export(&self) -> Value {
        (T::State::SNAPSHOT.export)(&self.seeded().read())
    }

    fn export_bytes(&self) -> Vec<u8> {
        (T::State::SNAPSHOT.export_bytes)(&self.seeded().read())
    }

    fn check_part(&self, part: &RawValue) -> Result<(), Problem> {
        (T::State::SNAPSHOT.check)(part)
    }

    fn restore(&self, part: &Value, seed: u64) -> Result<Swap<'_>, Problem> {
        Ok(self.seeded().staged(seed, (T::State::SNAPSHOT.restore)(part)?))
    }

    fn admin_action(&self, action: &str, body: &Value, now: DateTime<Utc>) -> Result<ActionOutcome, ApiError> {
        T::State::admin_action(self.seeded(), action, body, now)
    }

    fn generation(&self) -> u64 {
        self.seeded().generation()
    }

    fn apply_workforce(&self, projection: &Projection) -> Option<VendorRecord> {
        self.seeded().write().apply_workforce(projection)
    }

    fn workforce_roster(&self) -> Vec<Rostered> {
        self.seeded().read().workforce_roster()
    }

    fn next_delivery(&self, until: DateTime<Utc>) -> Option<Due> {
        self.seeded().read().next_delivery(until)
    }

    fn settle_delivery(&self, seq: u64, result: &OutboundResult, at: DateTime<Utc>) {
        self.seeded().write().settle_delivery(seq, result, at);
    }

    fn settle_workforce(&self) {
        self.seeded().write().settle_workforce();
    }
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
    /// Refused (400) when one of `urls` addresses this server, else `then` makes the change
    /// (a webhook registration: the vendor does not know where the server listens).
    Guarded {
        /// The URLs the change would have the sandbox call later.
        urls: Vec<String>,
        /// Makes the change and builds the admin answer.
        then: Box<dyn FnOnce() -> Result<Value, ApiError> + Send>,
    },
}

/// How scenario files may name these vendors.
pub fn known_to_scenarios(vendors: &[Arc<dyn Vendor>]) -> Vec<KnownVendor> {
    vendors.iter().map(|v| KnownVendor { id: v.id(), has_bulk_items: v.has_bulk_items() }).collect()
}
