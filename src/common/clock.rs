//! The virtual clock of a sandbox: real time by default, can be set, advanced and frozen.

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The earliest instant a sandbox clock may show.
pub const EARLIEST: DateTime<Utc> = DateTime::UNIX_EPOCH;
/// The latest instant a sandbox clock may show: 9999-12-31T23:59:59Z, the last RFC 3339 year,
/// far enough from chrono's limit that adding a token lifetime or a job delay cannot overflow.
pub const LATEST: DateTime<Utc> = match DateTime::from_timestamp(253_402_300_799, 0) {
    Some(at) => at,
    None => DateTime::UNIX_EPOCH,
};

/// The longest span a client may ask for in one number (a token lifetime, a job's delay):
/// ten years. Added to any clock reading it stays far inside chrono's range.
pub const MAX_SPAN_SECONDS: i64 = 10 * 366 * 24 * 3600;

/// `seconds` as a span, if it is within ±[`MAX_SPAN_SECONDS`].
pub fn span(seconds: i64) -> Option<Duration> {
    (-MAX_SPAN_SECONDS..=MAX_SPAN_SECONDS).contains(&seconds).then(|| Duration::seconds(seconds))
}

/// One change to a clock, as `POST /__admin/clock` asks for it.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClockChange {
    /// Stop (`true`) or restart (`false`) the clock.
    pub frozen: Option<bool>,
    /// Jump to this instant.
    pub set: Option<DateTime<Utc>>,
    /// Then move by this much.
    pub advance: Option<Duration>,
}

/// A change that would take the clock outside [`EARLIEST`, `LATEST`].
#[derive(Debug, PartialEq, Eq)]
pub struct ClockError;

impl std::fmt::Display for ClockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the sandbox clock must stay between {EARLIEST:?} and {LATEST:?}")
    }
}

fn now_at(real: DateTime<Utc>, offset: Duration) -> Result<DateTime<Utc>, ClockError> {
    real.checked_add_signed(offset).ok_or(ClockError)
}

/// A running clock's reading at real time `real`: never past [`LATEST`] (`apply` keeps it
/// after [`EARLIEST`], and real time only moves on).
fn running(real: DateTime<Utc>, offset: Duration) -> DateTime<Utc> {
    // The common case (a clock never moved) skips chrono's checked arithmetic: hot path.
    if offset.is_zero() {
        return real.min(LATEST);
    }
    now_at(real, offset).map_or(LATEST, |at| at.min(LATEST))
}

/// Whether `at` is a time the sandbox clock may show.
pub fn in_range(at: DateTime<Utc>) -> bool {
    (EARLIEST..=LATEST).contains(&at)
}

fn check_range(at: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
    if in_range(at) { Ok(at) } else { Err(ClockError) }
}

/// A sandbox's notion of "now". Every timestamp the sandbox creates comes from here.
#[derive(Debug, Default)]
pub struct Clock {
    state: Mutex<ClockState>,
    /// Moves with every change (`--state-dir` keeps the clock when it moved).
    generation: AtomicU64,
}

#[derive(Debug, Default, Clone, Copy)]
struct ClockState {
    /// Added to real time while the clock runs.
    offset: Duration,
    /// Some(t) while frozen: "now" stays t until advanced or unfrozen.
    frozen_at: Option<DateTime<Utc>>,
}

impl Clock {
    /// The current sandbox time. A running clock stops at [`LATEST`]: it shows that instant
    /// (still not frozen) until it is set, advanced back or reset.
    pub fn now(&self) -> DateTime<Utc> {
        let state = *self.state.lock();
        state.frozen_at.unwrap_or_else(|| running(Utc::now(), state.offset))
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.state.lock().frozen_at.is_some()
    }

    /// Applies a change as one step: `frozen`, then `set`, then `advance`. The new state is
    /// worked out with checked arithmetic first and kept only if sandbox time stays within
    /// [`EARLIEST`, `LATEST`]; otherwise nothing changes.
    pub fn apply(&self, change: ClockChange) -> Result<DateTime<Utc>, ClockError> {
        let mut state = self.state.lock();
        let real = Utc::now();
        let mut next = *state;
        if next.frozen_at.is_none() && running(real, next.offset) == LATEST {
            // A clock stopped at the bound moves on from there, not from where it would be.
            next.offset = LATEST.signed_duration_since(real);
        }
        match (change.frozen, next.frozen_at) {
            (Some(true), None) => next.frozen_at = Some(now_at(real, next.offset)?),
            (Some(false), Some(at)) => {
                next.offset = at.signed_duration_since(real);
                next.frozen_at = None;
            }
            _ => {}
        }
        if let Some(at) = change.set {
            check_range(at)?;
            match next.frozen_at {
                Some(_) => next.frozen_at = Some(at),
                None => next.offset = at.signed_duration_since(real),
            }
        }
        if let Some(by) = change.advance {
            match next.frozen_at.as_mut() {
                Some(frozen_at) => *frozen_at = frozen_at.checked_add_signed(by).ok_or(ClockError)?,
                None => next.offset = next.offset.checked_add(&by).ok_or(ClockError)?,
            }
        }
        let now = next.frozen_at.map_or_else(|| now_at(real, next.offset), Ok)?;
        check_range(now)?;
        *state = next;
        self.generation.fetch_add(1, Ordering::Release);
        Ok(now)
    }

    /// Back to real time, running.
    pub fn reset(&self) {
        *self.state.lock() = ClockState::default();
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// How many times the clock was changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}
