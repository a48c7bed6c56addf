//! Request-rate limits on the sandbox clock, the way DRF's `SimpleRateThrottle` counts them: a
//! history of accepted requests per key, a request refused when the window already holds `num`,
//! and a wait of `(window - age of the newest) / (requests still to come + 1)`. Buckets belong to
//! a sandbox and are cleared by its reset.

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};

/// A rate such as "1 per second" or "1 per minute".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed per window.
    pub num: usize,
    /// Window length.
    pub per: Duration,
}

impl Rate {
    /// `num` requests per second.
    pub const fn per_second(num: usize) -> Self {
        Self { num, per: Duration::seconds(1) }
    }

    /// `num` requests per minute.
    pub const fn per_minute(num: usize) -> Self {
        Self { num, per: Duration::minutes(1) }
    }
}

/// Who is counted: the vendor, the endpoint's scope and the caller (a token's user, a client id).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BucketKey {
    /// Vendor id.
    pub vendor: &'static str,
    /// The endpoint group the rate applies to.
    pub scope: &'static str,
    /// The caller.
    pub caller: String,
}

/// Refused: the caller may retry after this many seconds (fractional, as DRF computes it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttled {
    /// Seconds until a request is expected to pass.
    pub wait_seconds: f64,
}

impl Throttled {
    /// The wait rounded up to whole seconds, as `Retry-After` and DRF's message give it.
    pub fn retry_after(&self) -> u64 {
        // Waits are bounded by the window (at most minutes), so the cast cannot overflow.
        self.wait_seconds.ceil().max(0.0) as u64
    }
}

/// The rate-limit buckets of one sandbox.
#[derive(Debug)]
pub struct RateLimiter {
    enabled: bool,
    buckets: Mutex<HashMap<BucketKey, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
    /// A limiter; `enabled: false` (`--rate-limits off`) lets everything through.
    pub fn new(enabled: bool) -> Self {
        Self { enabled, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether requests are counted at all (`--rate-limits off` turns every limiter off).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Counts a request at `now`, or refuses it with the wait. A refused request is not counted.
    pub fn check(&self, key: BucketKey, rate: Rate, now: DateTime<Utc>) -> Result<(), Throttled> {
        if !self.enabled {
            return Ok(());
        }
        let mut buckets = self.buckets.lock();
        let history = buckets.entry(key).or_default();
        // Newest first, like DRF's list; drop what left the window.
        while history.back().is_some_and(|oldest| *oldest <= now - rate.per) {
            history.pop_back();
        }
        if history.len() < rate.num {
            history.push_front(now);
            return Ok(());
        }
        let newest = history.front().copied().unwrap_or(now);
        let remaining = (rate.per - (now - newest)).as_seconds_f64();
        let available = (rate.num + 1).saturating_sub(history.len()).max(1);
        Err(Throttled { wait_seconds: remaining / available as f64 })
    }

    /// Forgets every bucket (sandbox reset).
    pub fn clear(&self) {
        self.buckets.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> BucketKey {
        BucketKey { vendor: "v", scope: "list", caller: "1".into() }
    }

    #[test]
    fn check_refuses_inside_the_window_and_passes_after_it() {
        let limiter = RateLimiter::new(true);
        let t0 = crate::common::rng::seed_epoch();
        let rate = Rate::per_minute(1);
        assert!(limiter.check(key(), rate, t0).is_ok());
        let refused = limiter.check(key(), rate, t0 + Duration::milliseconds(17_300));
        assert_eq!(refused.map_err(|t| t.retry_after()), Err(43));
        assert!(limiter.check(key(), rate, t0 + Duration::seconds(60)).is_ok());
    }

    #[test]
    fn check_passes_everything_when_disabled() {
        let limiter = RateLimiter::new(false);
        let t0 = crate::common::rng::seed_epoch();
        assert!(limiter.check(key(), Rate::per_second(1), t0).is_ok());
        assert!(limiter.check(key(), Rate::per_second(1), t0).is_ok());
    }
}
