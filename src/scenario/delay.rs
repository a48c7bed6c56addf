//! Durations as a scenario writes them (`1500ms`, `2s`, `1h`) and the delays built from them.

use crate::common::rng::SandboxRng;
use rand::RngExt;
use schemars::JsonSchema;
use serde::Deserialize;
use std::time::Duration;

/// A delay distribution.
#[derive(Debug, Clone, Copy)]
pub enum Delay {
    /// Always this long.
    Fixed(Duration),
    /// Uniform between the two.
    Uniform(Duration, Duration),
    /// exp(N(mu, sigma)) seconds.
    LogNormal {
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
}

/// Longest delay, timeout hold or other duration a scenario may give.
const MAX_DURATION: Duration = Duration::from_secs(3600);

/// What [`parse_duration`] reads: a number (as `f64` parses one), an optional unit, white space
/// (`str::trim`'s, spelled out since ECMA's `\s` is another set) around both. Signs and the
/// one-hour bound are checked at load.
const DURATION_PATTERN: &str = concat!(
    "^[\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*",
    "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?",
    "[\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*",
    "(ms|us|s|m|h)?",
    "[\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$"
);

/// `delay: 1500ms`, `delay: {min: 100ms, max: 2s}` or `delay: {median: 200ms, p99: 2s}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DelaySpec {
    /// A fixed delay.
    Fixed(DurationSpec),
    /// Uniform between two bounds.
    Uniform {
        /// Lower bound.
        min: DurationSpec,
        /// Upper bound.
        max: DurationSpec,
    },
    /// Lognormal with this median and 99th percentile.
    LogNormal {
        /// 50th percentile.
        median: DurationSpec,
        /// 99th percentile.
        p99: DurationSpec,
    },
}

/// `1500ms`, `2s`, `1.5s`, `5m`, `1h`, or a bare number of milliseconds; at most an hour.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DurationSpec {
    /// Milliseconds.
    Millis(#[schemars(range(max = MAX_DURATION.as_secs() * 1000))] u64),
    /// With a unit: `us`, `ms`, `s`, `m`, `h`, or none for milliseconds.
    Text(#[schemars(regex(pattern = DURATION_PATTERN))] String),
}

/// Compiles a `delay`: fixed, uniform or lognormal, each bound a [`duration`].
pub(super) fn compile_delay(spec: DelaySpec) -> Result<Delay, String> {
    match spec {
        DelaySpec::Fixed(d) => Ok(Delay::Fixed(duration(&d)?)),
        DelaySpec::Uniform { min, max } => {
            let (min, max) = (duration(&min)?, duration(&max)?);
            if min > max {
                return Err("delay min is larger than max".to_owned());
            }
            Ok(Delay::Uniform(min, max))
        }
        DelaySpec::LogNormal { median, p99 } => {
            let (median, p99) = (duration(&median)?, duration(&p99)?);
            if median.is_zero() || p99 < median {
                return Err("delay needs 0 < median <= p99".to_owned());
            }
            // p99 = exp(mu + z99 * sigma), z99 = 2.3263 (the standard normal's 99th percentile).
            let mu = median.as_secs_f64().ln();
            let sigma = (p99.as_secs_f64().ln() - mu) / 2.326_347_874;
            Ok(Delay::LogNormal { mu, sigma })
        }
    }
}

/// `1500ms`, `2s`, `1.5s`, `250us`, `5m`, `1h`, or a bare number of milliseconds; at most an
/// hour (`1h` and `3600000` included).
pub fn duration(spec: &DurationSpec) -> Result<Duration, String> {
    let (parsed, shown) = match spec {
        DurationSpec::Millis(ms) => (Some(Duration::from_millis(*ms)), ms.to_string()),
        DurationSpec::Text(text) => (parse_duration(text.trim()), format!("'{text}'")),
    };
    match parsed {
        Some(d) if d <= MAX_DURATION => Ok(d),
        Some(_) => Err(format!("duration {shown} is longer than 1h (at most 1h)")),
        None => Err(format!("bad duration {shown} (like 1500ms, 2s, 5m, 1h; at most 1h)")),
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (text, 1e-3)
    };
    let number = number.trim().parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0)?;
    Duration::try_from_secs_f64(number * scale).ok()
}

/// One wait drawn from a compiled delay with the sandbox's seeded RNG (a lognormal one capped at 1h).
pub(super) fn sample(delay: Delay, rng: &mut SandboxRng) -> Duration {
    match delay {
        Delay::Fixed(d) => d,
        Delay::Uniform(min, max) => min + (max - min).mul_f64(rng.random::<f64>()),
        Delay::LogNormal { mu, sigma } => {
            // Box-Muller: one standard normal from two uniforms.
            let (u1, u2) = (rng.random::<f64>().max(f64::MIN_POSITIVE), rng.random::<f64>());
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            Duration::try_from_secs_f64((mu + sigma * z).exp())
                .unwrap_or(Duration::from_secs(3600))
                .min(Duration::from_secs(3600))
        }
    }
}

#[cfg(test)]
mod sample_tests {
    use super::{Delay, sample};
    use crate::common::rng::rng_for;
    use std::time::Duration;

    #[test]
    fn lognormal_delays_have_the_requested_median_and_p99() {
        let median = Duration::from_millis(200);
        let p99 = Duration::from_millis(2000);
        let mu = median.as_secs_f64().ln();
        let delay = Delay::LogNormal { mu, sigma: (p99.as_secs_f64().ln() - mu) / 2.326_347_874 };
        let mut rng = rng_for(42, "test");
        let mut samples: Vec<Duration> = (0..20_000).map(|_| sample(delay, &mut rng)).collect();
        samples.sort();
        let (got_median, got_p99) = (samples[10_000].as_secs_f64(), samples[19_800].as_secs_f64());
        assert!((got_median / 0.2 - 1.0).abs() < 0.05, "median {got_median}");
        assert!((got_p99 / 2.0 - 1.0).abs() < 0.15, "p99 {got_p99}");
    }

    #[test]
    fn uniform_delays_stay_within_bounds() {
        let mut rng = rng_for(1, "test");
        let (min, max) = (Duration::from_millis(100), Duration::from_millis(300));
        assert!((0..1000).map(|_| sample(Delay::Uniform(min, max), &mut rng)).all(|d| d >= min && d <= max));
    }
}
