//! The virtual clock of a sandbox: real time by default, can be set, advanced and frozen.

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;

/// A sandbox's notion of "now". Every timestamp the sandbox creates comes from here.
#[derive(Debug, Default)]
pub struct Clock {
    state: Mutex<ClockState>,
}

#[derive(Debug, Default, Clone, Copy)]
struct ClockState {
    /// Added to real time while the clock runs.
    offset: Duration,
    /// Some(t) while frozen: "now" stays t until advanced or unfrozen.
    frozen_at: Option<DateTime<Utc>>,
}

impl Clock {
    /// The current sandbox time.
    pub fn now(&self) -> DateTime<Utc> {
        let state = *self.state.lock();
        state.frozen_at.unwrap_or_else(|| Utc::now() + state.offset)
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.state.lock().frozen_at.is_some()
    }

    /// Jumps to `at`; a frozen clock stays frozen there, a running one runs on from there.
    pub fn set(&self, at: DateTime<Utc>) {
        let mut state = self.state.lock();
        match state.frozen_at {
            Some(_) => state.frozen_at = Some(at),
            None => state.offset = at - Utc::now(),
        }
    }

    /// Moves the clock forward (or back, for a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock();
        match state.frozen_at.as_mut() {
            Some(frozen_at) => *frozen_at += by,
            None => state.offset += by,
        }
    }

    /// Freezes the clock at its current time, or lets it run on from where it stands.
    pub fn set_frozen(&self, frozen: bool) {
        let mut state = self.state.lock();
        match (frozen, state.frozen_at) {
            (true, None) => state.frozen_at = Some(Utc::now() + state.offset),
            (false, Some(at)) => {
                state.offset = at - Utc::now();
                state.frozen_at = None;
            }
            _ => {}
        }
    }

    /// Back to real time, running.
    pub fn reset(&self) {
        *self.state.lock() = ClockState::default();
    }
}
