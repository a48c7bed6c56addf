//! A living workforce: people with a stable identity, hired, changed and let go as the sandbox
//! clock moves (drawn from the sandbox's seed) or by hand, each event projected into the vendors
//! taking part in their own models. Default rates are zero: nothing moves unless configured.
//! This room knows no vendor: vendors implement the projection (`crate::vendor`), the sandbox
//! drives it (`crate::sandbox`).

mod apply;
mod draw;
mod engine;
mod join;
pub mod model;
mod pool;
mod state;

pub use engine::{FIELDS, MAX_EVENTS_PER_MOVE};
pub use state::{Counts, MAX_EVENTS, MAX_PEOPLE, Projection, Projector, Rostered, State};

use parking_lot::{Mutex, MutexGuard};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A sandbox's workforce behind its lock, with a generation for `--state-dir` and a flag read
/// without the lock (whether time moves it: vendor reads check it for free).
#[derive(Default)]
pub struct Workforce {
    state: Mutex<State>,
    generation: AtomicU64,
    live: AtomicBool,
    shared: AtomicBool,
}

impl Workforce {
    /// Exclusive access, counted as a change.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        let guard = self.state.lock();
        self.generation.fetch_add(1, Ordering::Release);
        guard
    }

    /// Marks a change made under [`Workforce::peek`].
    pub fn touch(&self) {
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Exclusive access, not counted as a change (see [`Workforce::touch`]).
    pub fn peek(&self) -> MutexGuard<'_, State> {
        self.state.lock()
    }

    /// Whether anything is due as time moves (churn on, or an event pending): set by the
    /// holder of the lock after each change.
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    /// Records whether `state` moves with time.
    pub fn note(&self, state: &State) {
        let live = state.started() && (state.settings.churns() || !state.pending.is_empty());
        self.live.store(live, Ordering::Release);
        self.shared.store(state.started() && state.settings.shared, Ordering::Release);
    }

    /// Whether a client's new record joins the workforce (started, `shared`): read without the lock.
    pub fn is_shared(&self) -> bool {
        self.shared.load(Ordering::Acquire)
    }

    /// How many times it was changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets the people, the log and pending events but keeps the settings: after a partial
    /// reset the vendors' records the people pointed at may be gone, so the next call adopts
    /// the people every vendor holds then, afresh.
    pub fn restart(&self) {
        let mut state = self.lock();
        let settings = std::mem::take(&mut state.settings);
        *state = State { settings, ..State::default() };
        self.note(&state);
    }

    /// Back to not started, default settings.
    pub fn reset(&self) {
        let mut state = self.lock();
        *state = State::default();
        self.note(&state);
    }
}
