//! Deliveries waiting on the sandbox clock: each is due at a sandbox time, attempted when the
//! clock reaches it (`POST /__admin/clock`, or the server's sweep while the clock runs), and on
//! failure retried on [`BACKOFF_SECONDS`]; after [`MAX_ATTEMPTS`] failed attempts the target (a
//! webhook) closes and its deliveries are held until it is resumed. The queue is plain data, kept
//! in the vendor's state, so pending retries are in its snapshot and survive a restart with
//! `--state-dir`. Seeded faults (off by default) duplicate or delay deliveries, drawn from the
//! state's own RNG: the same seed and calls give the same duplicates and the same order.

use crate::common::rng::SandboxRng;
use chrono::{DateTime, Duration, Utc};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Seconds of sandbox time between a failed attempt and the next: attempt 2 comes 1 minute
/// after attempt 1 failed, attempt 3 5 minutes after attempt 2, then 30 minutes, 2 hours, 8 hours.
// Divergence: Justworks documents at-least-once delivery but no schedule: this one is the sandbox's.
pub const BACKOFF_SECONDS: [i64; 5] = [60, 300, 1800, 7200, 28_800];
/// Failed attempts of one delivery after which its target closes (the first try and 5 retries).
pub const MAX_ATTEMPTS: u32 = 6;
/// Deliveries waiting per queue; past it, the oldest is dropped (bounded memory).
pub const MAX_PENDING: usize = 10_000;
/// Sandbox seconds after a delivered event that its seeded duplicate comes.
pub const DUPLICATE_AFTER_SECONDS: i64 = 30;
/// Sandbox seconds a seeded reordering holds a delivery back, so later events overtake it.
pub const REORDER_DELAY_SECONDS: i64 = 90;

/// One delivery waiting for its next attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// Position in the queue's order of arrival (ties of `due` go by it).
    pub seq: u64,
    /// Who it goes to (a webhook id).
    pub target: String,
    /// When it is next attempted (sandbox time).
    pub due: DateTime<Utc>,
    /// Attempts made so far.
    pub attempts: u32,
    /// What the vendor renders into the call at each attempt (a webhook's envelope).
    pub payload: Value,
    /// Whether it is a seeded duplicate of a delivery that succeeded.
    #[serde(default)]
    pub duplicate: bool,
    /// Waits for its target to reopen (not attempted while closed).
    #[serde(default)]
    pub held: bool,
}

/// Seeded delivery faults, for idempotency tests: each a probability in 0..=1, 0 by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Chance that a delivered event is delivered once more, [`DUPLICATE_AFTER_SECONDS`] later.
    #[serde(default)]
    pub duplicate: f64,
    /// Chance that an event's first attempt waits [`REORDER_DELAY_SECONDS`], so later ones overtake it.
    #[serde(default)]
    pub reorder: f64,
}

impl Faults {
    /// Whether both are probabilities.
    pub fn check(&self) -> Result<(), String> {
        for (name, p) in [("duplicate", self.duplicate), ("reorder", self.reorder)] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("faults.{name} must be a probability between 0 and 1"));
            }
        }
        Ok(())
    }
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Answered 2xx: gone from the queue.
    Delivered,
    /// Failed: attempted again at this time.
    Retry(DateTime<Utc>),
    /// Failed its last attempt: its target closes.
    Exhausted,
}

/// The deliveries of one vendor state, in arrival order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    /// Waiting deliveries.
    pub pending: Vec<Pending>,
    /// The next delivery's `seq`.
    pub next_seq: u64,
}

impl Queue {
    /// Queues `payload` for `target`, due at `due` (later by the seeded reordering delay when
    /// it fires); held when the target is closed.
    pub fn push(
        &mut self,
        target: &str,
        payload: Value,
        due: DateTime<Utc>,
        (held, faults): (bool, Faults),
        rng: &mut SandboxRng,
    ) {
        let late = faults.reorder > 0.0 && rng.random::<f64>() < faults.reorder;
        let due = if late { due + Duration::seconds(REORDER_DELAY_SECONDS) } else { due };
        self.add(Pending { seq: 0, target: target.to_owned(), due, attempts: 0, payload, duplicate: false, held });
    }

    fn add(&mut self, mut pending: Pending) {
        if self.pending.len() >= MAX_PENDING {
            // Divergence: a sandbox's memory is bounded, so past MAX_PENDING the oldest is lost.
            self.pending.remove(0);
        }
        pending.seq = self.next_seq;
        self.next_seq += 1;
        self.pending.push(pending);
    }

    /// The earliest delivery due by `until` that is not held (ties by arrival).
    pub fn next_due(&self, until: DateTime<Utc>) -> Option<&Pending> {
        self.pending.iter().filter(|p| !p.held && p.due <= until).min_by_key(|p| (p.due, p.seq))
    }

    /// Records an attempt of delivery `seq` made at `at`: gone when `ok` (perhaps duplicated by
    /// the seeded fault), else due again on the schedule, or exhausted. `None` when no such
    /// delivery waits (it was dropped meanwhile).
    pub fn settle(
        &mut self,
        seq: u64,
        ok: bool,
        at: DateTime<Utc>,
        faults: Faults,
        rng: &mut SandboxRng,
    ) -> Option<Settled> {
        let index = self.pending.iter().position(|p| p.seq == seq)?;
        if ok {
            let done = self.pending.remove(index);
            if !done.duplicate && faults.duplicate > 0.0 && rng.random::<f64>() < faults.duplicate {
                let due = at + Duration::seconds(DUPLICATE_AFTER_SECONDS);
                self.add(Pending { due, attempts: 0, duplicate: true, held: false, ..done });
            }
            return Some(Settled::Delivered);
        }
        let pending = &mut self.pending[index];
        pending.attempts += 1;
        match BACKOFF_SECONDS.get(pending.attempts as usize - 1).filter(|_| pending.attempts < MAX_ATTEMPTS) {
            Some(wait) => {
                pending.due = at + Duration::seconds(*wait);
                Some(Settled::Retry(pending.due))
            }
            None => Some(Settled::Exhausted),
        }
    }

    /// Holds every delivery of `target` (it closed).
    pub fn hold(&mut self, target: &str) {
        self.pending.iter_mut().filter(|p| p.target == target).for_each(|p| p.held = true);
    }

    /// Releases the held deliveries of `target`, due at `now` with a fresh schedule (it reopened).
    pub fn release(&mut self, target: &str, now: DateTime<Utc>) {
        for pending in self.pending.iter_mut().filter(|p| p.target == target && p.held) {
            pending.held = false;
            pending.attempts = 0;
            pending.due = now;
        }
    }

    /// Forgets delivery `seq` (a simulated one, attempted once).
    pub fn remove(&mut self, seq: u64) {
        self.pending.retain(|p| p.seq != seq);
    }

    /// Forgets every delivery of `target` (it was removed).
    pub fn forget(&mut self, target: &str) {
        self.pending.retain(|p| p.target != target);
    }

    /// Waiting deliveries of `target`.
    pub fn count(&self, target: &str) -> usize {
        self.pending.iter().filter(|p| p.target == target).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::rng::{rng_for, seed_epoch};

    #[test]
    fn settle_follows_the_schedule_then_exhausts() {
        let (mut queue, mut rng, t0) = (Queue::default(), rng_for(1, "t"), seed_epoch());
        queue.push("w", Value::Null, t0, (false, Faults::default()), &mut rng);
        let mut at = t0;
        for wait in BACKOFF_SECONDS {
            let Some(Settled::Retry(due)) = queue.settle(0, false, at, Faults::default(), &mut rng) else { panic!() };
            assert_eq!(due, at + Duration::seconds(wait));
            at = due;
        }
        assert_eq!(queue.settle(0, false, at, Faults::default(), &mut rng), Some(Settled::Exhausted));
    }
}
