//! A vendor state built from a seed and a record count, behind one lock: reset rebuilds it for a
//! seed, a new count re-seeds it with the same seed. Vendors whose stores are just that use
//! [`SeededState`] as their store type.

use parking_lot::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A state that can be built from a seed and a record count.
pub trait Seeded {
    /// The start state for `seed` with `count` records.
    fn from_seed(seed: u64, count: usize) -> Self;
    /// The record count it was built with.
    fn count(&self) -> usize;
}

/// A seeded state and the seed it was built from.
pub struct SeededState<S> {
    seed: Mutex<u64>,
    state: RwLock<S>,
}

impl<S: Seeded> SeededState<S> {
    /// The start state for `seed` with `count` records.
    pub fn new(seed: u64, count: usize) -> Self {
        Self { seed: Mutex::new(seed), state: RwLock::new(S::from_seed(seed, count)) }
    }

    /// Shared access.
    pub fn read(&self) -> RwLockReadGuard<'_, S> {
        self.state.read()
    }

    /// Exclusive access: checks and the write they guard happen under one lock.
    pub fn write(&self) -> RwLockWriteGuard<'_, S> {
        self.state.write()
    }

    /// Back to the start state for `seed` with `count` records, swapped under the lock.
    pub fn reset(&self, seed: u64, count: usize) {
        let fresh = S::from_seed(seed, count);
        *self.seed.lock() = seed;
        *self.state.write() = fresh;
    }

    /// Seeds the data again with another record count (same seed); nothing happens for the same count.
    pub fn reseed(&self, count: usize) {
        let mut state = self.state.write();
        if state.count() != count {
            *state = S::from_seed(*self.seed.lock(), count);
        }
    }
}
