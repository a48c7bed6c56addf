//! A sandbox is one tenant of the server: vendor stores (seeded on first use), clock, journal,
//! scenarios, rate-limit buckets and seed. The registry holds them by name, at most
//! `--max-sandboxes`; `default` always exists and is served under the bare vendor prefixes.

mod addressed;
pub mod deliveries;
mod living;

pub use addressed::{Addressed, Body, InSandbox, sandbox_now};

use crate::common::clock::Clock;
use crate::common::problem::Problem;
use crate::common::rate_limit::RateLimiter;
use crate::journal::Journal;
use crate::scenario::loader::KnownVendor;
use crate::scenario::{Scenario, ScenarioEngine};
use crate::vendor::{Vendor, VendorStore};
use parking_lot::{Mutex, RwLock};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, atomic::AtomicU64, atomic::AtomicUsize, atomic::Ordering};

/// The name of the sandbox served under the bare vendor prefixes.
pub const DEFAULT_SANDBOX: &str = "default";

/// One isolated tenant: its own data per vendor, clock, journal and seed.
pub struct Sandbox {
    name: String,
    seed: Mutex<u64>,
    /// The virtual clock every timestamp of this sandbox comes from.
    pub clock: Clock,
    /// What this sandbox answered.
    pub journal: Journal,
    /// Fault injection rules, their counters and activation.
    pub scenarios: ScenarioEngine,
    /// Request-rate buckets of every vendor.
    pub rate_limits: RateLimiter,
    /// The people behind the vendors' records, moved by the clock (`crate::workforce`).
    pub workforce: crate::workforce::Workforce,
    /// Each vendor's store, seeded on first use: a new sandbox costs almost nothing until a
    /// vendor in it is called (a suite may create thousands).
    stores: Vec<LazyStore>,
    /// What a reset goes back to when the sandbox started from a snapshot (see `crate::snapshot`).
    start: Option<Start>,
    /// That snapshot document, and how many times the seed was set: both for `--state-dir`.
    origin: Option<Arc<Value>>,
    seed_generation: AtomicU64,
    /// Held by the one sweep of due outbound deliveries at a time (`deliveries`).
    deliveries: tokio::sync::Mutex<()>,
}

/// A vendor's store, built from the sandbox's seed the first time anything asks for it.
struct LazyStore {
    vendor: Arc<dyn Vendor>,
    store: OnceLock<Arc<dyn VendorStore>>,
}

impl Sandbox {
    /// A sandbox for `seed` whose vendor stores seed on first use; the startup scenarios start active.
    pub fn new(name: &str, seed: u64, setup: &SandboxSetup) -> Self {
        let stores =
            setup.vendors.iter().map(|v| LazyStore { vendor: Arc::clone(v), store: OnceLock::new() }).collect();
        let clock = Clock::default();
        let scenarios = ScenarioEngine::new(setup.scenarios.clone(), seed, clock.now());
        Self {
            name: name.to_owned(),
            seed: Mutex::new(seed),
            clock,
            journal: Journal::new(setup.journal_limit, setup.journal_bytes),
            scenarios,
            rate_limits: RateLimiter::new(setup.rate_limits),
            workforce: Default::default(),
            stores,
            start: None,
            origin: None,
            seed_generation: AtomicU64::new(0),
            deliveries: tokio::sync::Mutex::new(()),
        }
    }

    /// This sandbox, resetting to `start` (which goes back to the document `origin`) instead of to its seed.
    pub fn with_start(self, start: Start, origin: Arc<Value>) -> Self {
        Self { start: Some(start), origin: Some(origin), ..self }
    }

    /// The snapshot document a reset goes back to, when the sandbox was made from one, and
    /// how many times the seed was set (a reset, a restore).
    pub fn origin(&self) -> (Option<&Arc<Value>>, u64) {
        (self.origin.as_ref(), self.seed_generation.load(Ordering::Acquire))
    }

    /// The stores already built (used), in registry order, with their vendor ids; seeds nothing.
    pub fn built_stores(&self) -> impl Iterator<Item = (&'static str, &Arc<dyn VendorStore>)> {
        self.stores.iter().filter_map(|lazy| Some((lazy.vendor.id(), lazy.store.get()?)))
    }

    /// The vendors as scenario files may name them.
    pub fn known_vendors(&self) -> Vec<KnownVendor> {
        let vendors: Vec<Arc<dyn Vendor>> = self.stores.iter().map(|lazy| Arc::clone(&lazy.vendor)).collect();
        crate::vendor::known_to_scenarios(&vendors)
    }

    /// Puts the vendor parts of a snapshot in place with its `seed`: every part is read and
    /// checked before any store changes (an unknown vendor, a bad record: nothing changes). A
    /// vendor the document leaves out goes back to its start state for `seed`.
    pub fn restore_stores(&self, seed: u64, parts: &Map<String, Value>) -> Result<(), Problem> {
        if let Some(unknown) = parts.keys().find(|id| !self.vendor_ids().any(|v| v == id.as_str())) {
            let served: Vec<&str> = self.vendor_ids().collect();
            return Err(Problem::at(
                format!("vendors.{unknown}"),
                format!("no such vendor (served: {})", served.join(", ")),
            ));
        }
        let mut swaps = Vec::new();
        for (id, store) in self.stores() {
            if let Some(part) = parts.get(id) {
                swaps.push(store.restore(part, seed).map_err(|p| p.under(&format!("vendors.{id}")))?);
            }
        }
        let mut current = self.seed.lock();
        *current = seed;
        self.seed_generation.fetch_add(1, Ordering::Release);
        for swap in swaps {
            swap();
        }
        for lazy in self.stores.iter().filter(|lazy| !parts.contains_key(lazy.vendor.id())) {
            if let Some(store) = lazy.store.get() {
                store.reset(seed);
            }
        }
        drop(current);
        Ok(())
    }

    /// The sandbox's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The seed of the last (re)seeding.
    pub fn seed(&self) -> u64 {
        *self.seed.lock()
    }

    /// The ids of the vendors this sandbox serves, in registry order (seeds nothing).
    pub fn vendor_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.stores.iter().map(|lazy| lazy.vendor.id())
    }

    /// The stores, in registry order, with their vendor ids (seeding any not used yet).
    pub fn stores(&self) -> impl Iterator<Item = (&'static str, &Arc<dyn VendorStore>)> {
        self.stores.iter().map(|lazy| (lazy.vendor.id(), self.seeded(lazy)))
    }

    /// The store of one vendor, if that vendor is served.
    pub fn store(&self, vendor_id: &str) -> Option<&Arc<dyn VendorStore>> {
        self.stores.iter().find(|lazy| lazy.vendor.id() == vendor_id).map(|lazy| self.seeded(lazy))
    }

    /// A vendor's store as its concrete type `T`, for handlers (seeds only that vendor); the
    /// workforce events due by the clock happen first.
    pub fn typed_store<T: Send + Sync + 'static>(&self, vendor_id: &str) -> Option<Arc<T>> {
        self.workforce_catch_up();
        crate::vendor::downcast(Arc::clone(self.store(vendor_id)?))
    }

    /// Seeds under the seed lock, which `reset` holds throughout: a store is built either
    /// before a reset (and then reset) or after it (from the new seed), never from a stale seed.
    fn seeded<'a>(&self, lazy: &'a LazyStore) -> &'a Arc<dyn VendorStore> {
        lazy.store.get_or_init(|| {
            let seed = self.seed.lock();
            lazy.vendor.build_store(*seed)
        })
    }

    /// Back to the start state: the listed vendors only, or everything (data, clock, journal,
    /// scenarios and their counters, rate-limit buckets).
    /// Each store swaps its state under its own write lock, so a request sees old or new.
    /// Stores never used stay unseeded: they will be built from the new seed.
    /// A sandbox made from a snapshot goes back to that snapshot, unless a `seed` is given.
    pub fn reset(&self, seed: Option<u64>, vendors: Option<&[String]>) {
        if let (None, Some(start)) = (seed, &self.start) {
            if let Err(problem) = start(self, vendors) {
                tracing::error!(sandbox = %self.name, %problem, "the start snapshot no longer restores");
            }
            if vendors.is_none() {
                self.journal.clear();
            } else {
                self.workforce.restart();
            }
            return;
        }
        let mut current = self.seed.lock();
        let seed = seed.unwrap_or(*current);
        *current = seed;
        self.seed_generation.fetch_add(1, Ordering::Release);
        for lazy in &self.stores {
            if vendors.is_none_or(|list| list.iter().any(|v| v == lazy.vendor.id()))
                && let Some(store) = lazy.store.get()
            {
                store.reset(seed);
            }
        }
        drop(current);
        if vendors.is_some() {
            self.workforce.restart();
        }
        if vendors.is_none() {
            self.clock.reset();
            self.workforce.reset();
            self.journal.clear();
            self.scenarios.reset(seed, self.clock.now());
            self.rate_limits.clear();
        }
    }
}

/// How a sandbox made from a snapshot goes back to it: the listed vendors, or everything.
pub type Start = Arc<dyn Fn(&Sandbox, Option<&[String]>) -> Result<(), Problem> + Send + Sync>;

/// Why a sandbox could not be created or deleted.
#[derive(Debug, PartialEq, Eq)]
pub enum RegistryError {
    /// The name breaks the naming rule.
    BadName,
    /// A sandbox of that name exists already.
    Exists,
    /// No sandbox of that name.
    Unknown,
    /// `default` cannot be deleted.
    DefaultIsPermanent,
    /// `--max-sandboxes` are alive already.
    Full(usize),
}

/// Why a sandbox could not be created from a snapshot.
#[derive(Debug)]
pub enum SnapshotRefused {
    /// The registry refused the name or is full.
    Registry(RegistryError),
    /// The document's first problem.
    Document(Problem),
}

impl From<RegistryError> for SnapshotRefused {
    fn from(error: RegistryError) -> Self {
        Self::Registry(error)
    }
}

/// What every new sandbox starts from.
pub struct SandboxSetup {
    /// The vendors served, in registry order.
    pub vendors: Vec<Arc<dyn Vendor>>,
    /// Journal entries kept.
    pub journal_limit: usize,
    /// Journal bytes kept (see `Journal::new`).
    pub journal_bytes: usize,
    /// Scenarios loaded and active at start (and after a reset).
    pub scenarios: Vec<Arc<Scenario>>,
    /// Whether rate limits are enforced (`--rate-limits`).
    pub rate_limits: bool,
    /// Most sandboxes alive at once, `default` included.
    pub max_sandboxes: usize,
}

/// Every sandbox of the server, by name.
pub struct SandboxRegistry {
    setup: SandboxSetup,
    sandboxes: RwLock<BTreeMap<String, Arc<Sandbox>>>,
    panics: AtomicUsize,
}

impl SandboxRegistry {
    /// A registry holding the `default` sandbox seeded with `seed`.
    pub fn new(setup: SandboxSetup, seed: u64) -> Self {
        let default = Arc::new(Sandbox::new(DEFAULT_SANDBOX, seed, &setup));
        let sandboxes = RwLock::new(BTreeMap::from([(DEFAULT_SANDBOX.to_owned(), default)]));
        Self { setup, sandboxes, panics: AtomicUsize::new(0) }
    }

    /// A registry whose `default` sandbox is what `build` makes (from a snapshot, `--snapshot`).
    pub fn with_default(
        setup: SandboxSetup,
        build: impl FnOnce(&str, &SandboxSetup) -> Result<Sandbox, Problem>,
    ) -> Result<Self, Problem> {
        let default = Arc::new(build(DEFAULT_SANDBOX, &setup)?);
        let sandboxes = RwLock::new(BTreeMap::from([(DEFAULT_SANDBOX.to_owned(), default)]));
        Ok(Self { setup, sandboxes, panics: AtomicUsize::new(0) })
    }

    /// Counts a request whose answering panicked (and got the vendor's 500 instead).
    pub fn note_panic(&self) {
        self.panics.fetch_add(1, Ordering::Relaxed);
    }

    /// How many requests panicked since the server started.
    pub fn panics(&self) -> usize {
        self.panics.load(Ordering::Relaxed)
    }

    /// The vendors every sandbox serves, in registry order.
    pub fn vendors(&self) -> &[Arc<dyn Vendor>] {
        &self.setup.vendors
    }

    /// A sandbox by name.
    pub fn get(&self, name: &str) -> Option<Arc<Sandbox>> {
        self.sandboxes.read().get(name).cloned()
    }

    /// All sandboxes, by name.
    pub fn all(&self) -> Vec<Arc<Sandbox>> {
        self.sandboxes.read().values().cloned().collect()
    }

    /// Creates a sandbox. Nothing is seeded yet (vendors seed on first use), so it is cheap
    /// enough to build under the registry lock.
    pub fn create(&self, name: &str, seed: u64) -> Result<Arc<Sandbox>, RegistryError> {
        let mut sandboxes = self.sandboxes.write();
        self.check_room_in(&sandboxes, name)?;
        let sandbox = Arc::new(Sandbox::new(name, seed, &self.setup));
        sandboxes.insert(name.to_owned(), Arc::clone(&sandbox));
        Ok(sandbox)
    }

    /// Creates the sandbox `build` makes (from a snapshot document): it is built before it is
    /// registered, so a bad document registers nothing.
    pub fn create_with(
        &self,
        name: &str,
        build: impl FnOnce(&str, &SandboxSetup) -> Result<Sandbox, Problem>,
    ) -> Result<Arc<Sandbox>, SnapshotRefused> {
        self.check_room(name)?;
        let sandbox = Arc::new(build(name, &self.setup).map_err(SnapshotRefused::Document)?);
        let mut sandboxes = self.sandboxes.write();
        self.check_room_in(&sandboxes, name)?;
        sandboxes.insert(name.to_owned(), Arc::clone(&sandbox));
        Ok(sandbox)
    }

    /// Whether a sandbox called `name` may be created now.
    fn check_room(&self, name: &str) -> Result<(), RegistryError> {
        self.check_room_in(&self.sandboxes.read(), name)
    }

    fn check_room_in(&self, sandboxes: &BTreeMap<String, Arc<Sandbox>>, name: &str) -> Result<(), RegistryError> {
        if !crate::common::names::valid_name(name) {
            return Err(RegistryError::BadName);
        }
        if sandboxes.contains_key(name) {
            return Err(RegistryError::Exists);
        }
        if sandboxes.len() >= self.setup.max_sandboxes {
            return Err(RegistryError::Full(self.setup.max_sandboxes));
        }
        Ok(())
    }

    /// Deletes a named sandbox; requests already inside it finish against the old state.
    pub fn delete(&self, name: &str) -> Result<(), RegistryError> {
        if name == DEFAULT_SANDBOX {
            return Err(RegistryError::DefaultIsPermanent);
        }
        let removed = self.sandboxes.write().remove(name).ok_or(RegistryError::Unknown)?;
        drop(removed);
        give_back_freed_memory();
        Ok(())
    }
}

/// Hands memory freed by a deleted sandbox back to the system. glibc keeps freed memory in
/// per-thread arenas, so without this a suite that creates and drops thousands of sandboxes
/// saw RSS stay at its peak; `malloc_trim` releases the free pages of every arena. musl (the
/// static Docker binary) has no such call: there, RSS measured 38% above its start after 40
/// seeded sandboxes were deleted (unused sandboxes cost ~1 KiB either way).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
