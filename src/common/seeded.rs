//! The one store pattern of every vendor: a state built from the sandbox's seed and a
//! configuration (a record count, the vendor's switches), behind one lock. Reset rebuilds it for
//! a seed with the start configuration; a new configuration re-seeds it with the same seed.

use parking_lot::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A state that can be built from a seed.
pub trait Seeded {
    /// What seeding depends on besides the seed (a vendor's switches, or a record count).
    type Config: Clone + PartialEq + Default;
    /// The configuration a new sandbox, and a reset, start with: the default switches.
    fn start_config() -> Self::Config {
        Self::Config::default()
    }
    /// The start state for `seed` and `config`.
    fn from_seed(seed: u64, config: &Self::Config) -> Self;
    /// The configuration it was built with.
    fn config(&self) -> Self::Config;
    /// Whether moving to `next` needs the data seeded again (a record count changed). By
    /// default any change does.
    fn reseeds(&self, next: &Self::Config) -> bool {
        self.config() != *next
    }
    /// Takes a configuration that does not reseed (switches applied to the data as it is). By
    /// default there is none: every change reseeds, so what arrives here equals the current one.
    fn apply_config(&mut self, _next: Self::Config) {}
}

/// A state behind its lock, with a generation that moves each time the write lock is taken:
/// `--state-dir` keeps a part whose generation moved, with no code in any handler.
pub struct Shared<S> {
    lock: RwLock<S>,
    generation: AtomicU64,
}

impl<S> Shared<S> {
    fn new(state: S) -> Self {
        Self { lock: RwLock::new(state), generation: AtomicU64::new(0) }
    }

    /// Shared access.
    pub fn read(&self) -> RwLockReadGuard<'_, S> {
        self.lock.read()
    }

    /// Exclusive access; counted as a change (taken only to change something, or to check and
    /// then change under one lock).
    pub fn write(&self) -> RwLockWriteGuard<'_, S> {
        let guard = self.lock.write();
        // Under the lock: whoever sees the new generation and then reads sees this change.
        self.generation.fetch_add(1, Ordering::Release);
        guard
    }

    /// How many times the write lock was taken.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

/// A seeded state and the seed it was built from.
pub struct SeededState<S> {
    seed: Mutex<u64>,
    state: Arc<Shared<S>>,
}

impl<S: Seeded> SeededState<S> {
    /// The start state for `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed: Mutex::new(seed), state: Arc::new(Shared::new(S::from_seed(seed, &S::start_config()))) }
    }

    /// Shared access.
    pub fn read(&self) -> RwLockReadGuard<'_, S> {
        self.state.read()
    }

    /// Exclusive access: checks and the write they guard happen under one lock.
    pub fn write(&self) -> RwLockWriteGuard<'_, S> {
        self.state.write()
    }

    /// The lock itself, for work that outlives a request (a call to the client, then its result).
    pub fn shared(&self) -> &Arc<Shared<S>> {
        &self.state
    }

    /// How many times the state was changed (its write lock taken); see [`Shared`].
    pub fn generation(&self) -> u64 {
        self.state.generation()
    }

    /// The seed of the last (re)seeding.
    pub fn seed(&self) -> u64 {
        *self.seed.lock()
    }

    /// Back to the start state for `seed`, swapped under the lock.
    pub fn reset(&self, seed: u64) {
        let fresh = S::from_seed(seed, &S::start_config());
        *self.seed.lock() = seed;
        *self.state.write() = fresh;
    }

    /// Puts a state read from a snapshot in place of this one, with the snapshot's seed, when
    /// the returned swap runs: the caller checks every vendor's part before it swaps any.
    pub fn staged(&self, seed: u64, state: S) -> super::snapshot::Swap<'_>
    where
        S: Send + Sync + 'static,
    {
        Box::new(move || {
            *self.seed.lock() = seed;
            *self.state.write() = state;
        })
    }

    /// Seeds the data again with another configuration (same seed); nothing happens for the
    /// same configuration.
    pub fn reseed(&self, config: &S::Config) {
        let next = self.reconfigure(|_| Ok::<_, std::convert::Infallible>(config.clone()));
        drop(next);
    }

    /// Moves to the configuration `next` computes from the current state, under one lock: an
    /// error changes nothing; a change that [`Seeded::reseeds`] seeds the data again (same
    /// seed), any other is [`Seeded::apply_config`]'d in place. The guard, for the answer.
    pub fn reconfigure<E>(&self, next: impl FnOnce(&S) -> Result<S::Config, E>) -> Result<RwLockWriteGuard<'_, S>, E> {
        let mut state = self.state.write();
        let next = next(&state)?;
        if state.reseeds(&next) {
            *state = S::from_seed(self.seed(), &next);
        } else {
            state.apply_config(next);
        }
        Ok(state)
    }
}
