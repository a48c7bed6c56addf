//! The sandbox drives its workforce: events due as the clock moved happen before an admin
//! answer or a vendor read, and each is projected into the vendor stores taking part.

use super::Sandbox;
use crate::workforce::model::{Action, Event, VendorRecord};
use crate::workforce::{Projection, Projector, Rostered, State};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// The sandbox's stores as the workforce projects into them.
struct Stores<'a> {
    sandbox: &'a Sandbox,
    vendors: Vec<String>,
    /// The vendors an event was projected into, settled once after the batch.
    touched: BTreeSet<String>,
}

impl Projector for Stores<'_> {
    fn vendors(&self) -> Vec<String> {
        self.vendors.clone()
    }

    fn project(&mut self, vendor: &str, projection: &Projection) -> Option<VendorRecord> {
        if !self.touched.contains(vendor) {
            self.touched.insert(vendor.to_owned());
        }
        self.sandbox.store(vendor)?.apply_workforce(projection)
    }

    fn roster(&mut self, vendor: &str) -> Vec<Rostered> {
        self.sandbox.store(vendor).map(|store| store.workforce_roster()).unwrap_or_default()
    }
}

impl Sandbox {
    /// Runs `work` on the workforce, started (the vendors' people adopted) and caught up with
    /// the clock first; the lock's generation moves only if something changed.
    pub fn with_workforce<T>(&self, work: impl FnOnce(&mut State, &mut dyn Projector, u64, DateTime<Utc>) -> T) -> T {
        let mut state = self.workforce.peek();
        let seed = self.seed();
        let now = self.clock.now();
        let vendors: Vec<String> = match &state.settings.vendors {
            Some(list) => self.vendor_ids().filter(|id| list.iter().any(|v| v == id)).map(str::to_owned).collect(),
            None => self.vendor_ids().map(str::to_owned).collect(),
        };
        let mut stores = Stores { sandbox: self, vendors, touched: BTreeSet::new() };
        let before = (state.started(), state.last_seq, state.pending_seq, state.pending.len());
        state.start(seed, now, &mut stores);
        state.catch_up(seed, now, &mut stores);
        let answer = work(&mut state, &mut stores, seed, now);
        for vendor in &stores.touched {
            if let Some(store) = self.store(vendor) {
                store.settle_workforce();
            }
        }
        if before != (state.started(), state.last_seq, state.pending_seq, state.pending.len()) {
            self.workforce.touch();
        }
        self.workforce.note(&state);
        answer
    }

    /// Events due by the clock happen now (only when the workforce moves with time: a
    /// sandbox that never configured one pays one atomic read).
    pub fn workforce_catch_up(&self) {
        if self.workforce.is_live() {
            self.with_workforce(|_, _, _, _| ());
        }
    }

    /// A client's write through `vendor` made record `id`: with `shared`, it joins the
    /// workforce as a person, hired into the other vendors (free when sharing is off). The
    /// caller holds no store lock.
    pub fn workforce_joined(&self, vendor: &str, id: &str) {
        if !self.workforce.is_shared() {
            return;
        }
        self.with_workforce(|state, stores, seed, now| {
            let entry = self.store(vendor).and_then(|store| store.workforce_record(id))?;
            let mut rng = crate::common::rng::rng_for(seed, &format!("workforce/joined/{}", state.last_seq + 1));
            state.join(&mut rng, vendor, entry, now, stores)
        });
    }

    /// `POST /__admin/workforce/events`: `action` now, or at `at`.
    pub fn workforce_submit(&self, action: Action, at: Option<DateTime<Utc>>) -> Result<Option<Event>, String> {
        self.with_workforce(|state, stores, seed, now| state.submit(seed, action, at, now, stores))
    }
}
